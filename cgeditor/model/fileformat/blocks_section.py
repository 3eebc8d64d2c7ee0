"""The "blocks" section of a version-2 document: each block defined once, in definition order.

    "blocks": [{"name": "sig", "params": ["t"], "nodes": [...], "edges": [...], "output": "z",
                "formula": "...", "derivatives": {"t": "..."}}, ...]

A block uses only blocks defined before it, so one pass reads them, and an instance is an
ordinary op node whose "op" names a block.  A body is read like a document (the same node and
edge checks, every message prefixed with the block's name) and, like a document, may be
half-built: what it *means* is `validate`'s to report.  The limits count a block's nodes with
the document's, and its instances written out (what `cgeditor flatten` makes) too, so nesting
cannot turn a small file into an enormous computation; how deep blocks nest and how large one
block is written out are the library's rules (`BlockLibrary`), applied as each is defined.
"""

from __future__ import annotations

import keyword
from typing import Any, Callable, Collection

from cgeditor.model.blocks import Block, Extent
from cgeditor.model.fileformat.checks import check_id, json_type, list_field, quote, show
from cgeditor.model.fileformat.reading import fill
from cgeditor.model.fileformat.schema import (BLOCK_KEYS, MAX_BLOCKS, MAX_FORMULA_LENGTH, MAX_NODES,
                                              DocumentError)
from cgeditor.model.fileformat.writing import node_dict
from cgeditor.model.graph import Graph, GraphError, NodeKind
from cgeditor.model.ops import OPS

# -- reading ----------------------------------------------------------------------------------


def read_blocks(data: dict, graph: Graph, room: int) -> Collection[str]:
    """Define the document's blocks on `graph` in their order, with at most `room` nodes among
    them; returns the op names the document's nodes may use (the registry's and the blocks')."""
    entries = list_field(data, "blocks")
    if len(entries) > MAX_BLOCKS:
        raise DocumentError(f"too many blocks: {len(entries):,} (at most {MAX_BLOCKS:,})")
    position: dict[str, int] = {}
    for i, entry in enumerate(entries):
        name = _name(i, entry)
        if name in position:
            raise DocumentError(f"duplicate block name {quote(name)}")
        position[name] = i
    known: dict[str, None] = dict.fromkeys(OPS)
    for name, entry in zip(position, entries):
        try:
            block = _block(name, entry, known, position, room)
            room -= len(block.body)
            graph.define_block(block)  # the library's own rules: nesting depth, size written out
        except DocumentError as e:
            raise DocumentError(f"block {quote(name)}: {e}") from None
        except GraphError as e:
            text = str(e)
            raise DocumentError(text if text.startswith(f"block {name!r}") else f"block {quote(name)}: {text}") from None
        known[name] = None
    return known


def _name(i: int, entry: Any) -> str:
    if not isinstance(entry, dict):
        raise DocumentError(f"block {i + 1} must be an object, got {json_type(entry)}")
    name = entry.get("name")
    check_id(name, f"block {i + 1}: \"name\"")
    if not _identifier(name):
        raise DocumentError(f"block {i + 1}: \"name\" must be an identifier (letters, digits and _, "
                            f"not starting with a digit), got {quote(name)}")
    if name in OPS:
        raise DocumentError(f"block {quote(name)}: {name} is a built-in op (a block cannot shadow one)")
    return name


def _identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def _block(name: str, entry: dict, known: Collection[str], position: dict[str, int], room: int) -> Block:
    unknown = [k for k in entry if k not in BLOCK_KEYS]
    if unknown:
        raise DocumentError(f"unknown key {quote(unknown[0])} (a block has {', '.join(BLOCK_KEYS)})")
    nodes = list_field(entry, "nodes")
    edges = list_field(entry, "edges")
    if len(nodes) > room:
        raise DocumentError(f"too many nodes: the blocks and the document hold more than {MAX_NODES:,}")
    params = _params(entry.get("params"), len(nodes))
    for item in nodes:
        op = item.get("op") if isinstance(item, dict) and item.get("kind") == "op" else None
        if isinstance(op, str) and op not in known and op in position:
            if op == name:
                raise DocumentError("it uses itself (recursion is not allowed)")
            raise DocumentError(f"it uses block {quote(op)}, which is defined after it (a block may "
                                f"use only blocks defined before it)")
    body = Graph()
    fill(body, nodes, edges, entry.get("output"), known)
    for p in params:
        if p not in body or body.nodes[p].kind is not NodeKind.VARIABLE:
            raise DocumentError(f"parameter {quote(p)} is not a variable of its body")
    formula = _text(entry, "formula")
    derivatives = entry.get("derivatives")
    if derivatives is not None:
        if not isinstance(derivatives, dict):
            raise DocumentError(f"\"derivatives\" must be an object (param: formula), got {json_type(derivatives)}")
        for param in derivatives:
            if param not in params:
                raise DocumentError(f"\"derivatives\" names {quote(param)}, which is not a parameter")
            _text(derivatives, param)
    return Block(name, params, body, formula, derivatives)


def _params(value: Any, room: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise DocumentError(f"\"params\" must be a list of names, got {show(value)}")
    if len(value) > room:
        raise DocumentError(f"\"params\" lists {len(value):,} names for {room:,} nodes")
    for p in value:
        if not isinstance(p, str) or not _identifier(p):
            raise DocumentError(f"\"params\": a parameter must be an identifier, got {show(p)}")
    if len(set(value)) != len(value):
        twice = next(p for k, p in enumerate(value) if p in value[:k])
        raise DocumentError(f"\"params\": parameter {quote(twice)} is named twice")
    return tuple(value)


def _text(entry: dict, key: str) -> str | None:
    """A formula: one printable line, or absent."""
    text = entry.get(key)
    if text is None:
        return None
    if not isinstance(text, str) or len(text) > MAX_FORMULA_LENGTH or not text.isprintable():
        raise DocumentError(f"{show(key)} must be a formula on one line of at most {MAX_FORMULA_LENGTH:,} "
                            f"characters, got {show(text) if not isinstance(text, str) else 'another text'}")
    return text


def check_written_out(graph: Graph) -> None:
    """Refuse a document whose instances, written out, hold more nodes than the library allows
    (each block is held to that as it is defined; many instances of one could still add up)."""
    library = graph.blocks
    extent = Extent()
    for node in graph:
        extent.add(library.extent(node.op) if node.kind is NodeKind.OP and node.op in library else None)
    try:
        extent.check_nodes("the document")
    except GraphError as exc:
        raise DocumentError(str(exc)) from None


# -- writing ----------------------------------------------------------------------------------


def block_dicts(graph: Graph, keep: set[str] | None = None) -> list[dict[str, Any]]:
    """The "blocks" list: every block, or with `keep` only those its nodes use, directly or
    through other blocks (what the clipboard needs), in definition order."""
    blocks = list(graph.blocks)
    if keep is not None:
        used = {n.op for n in graph if n.id in keep and n.kind is NodeKind.OP and n.op in graph.blocks}
        for name in list(used):
            used |= graph.blocks.uses_transitively(graph.blocks[name])
        blocks = [b for b in blocks if b.name in used]
    return [_block_dict(b) for b in blocks]


def _block_dict(block: Block) -> dict[str, Any]:
    body = block.body
    d: dict[str, Any] = {
        "name": block.name, "params": list(block.params), "nodes": [node_dict(n) for n in body],
        "edges": [{"source": e.source, "target": e.target, "port": e.port} for e in body.edges]}
    if body.output is not None:
        d["output"] = body.output
    if block.formula is not None:
        d["formula"] = block.formula
    if block.derivatives is not None:
        d["derivatives"] = dict(block.derivatives)
    return d


def block_lines(blocks: list[dict[str, Any]], enc: Callable[[Any], str]) -> list[str]:
    """The "blocks" list as text: a line per key, nodes and edges one per line as in the document."""
    lines = ['  "blocks": [']
    for block in blocks:
        lines.append("    {")
        for key, value in block.items():
            if key in ("nodes", "edges") and value:
                lines.append(f'      "{key}": [')
                lines += [f"        {enc(item)}," for item in value]
                lines[-1] = lines[-1][:-1]
                lines.append("      ],")
            else:
                lines.append(f'      "{key}": {enc(value)},')
        lines[-1] = lines[-1][:-1]
        lines.append("    },")
    lines[-1] = lines[-1][:-1]
    lines.append("  ],")
    return lines

"""Reading: bytes from a path, text, parsed JSON, then a `Graph` with every bad input named."""

from __future__ import annotations

import json
import os
import stat
from typing import Any, Collection

from cgeditor.model.collector import collector_paused
from cgeditor.model.escape import one_line
from cgeditor.model.fileformat.checks import depth, edge_name, is_int, json_type, list_field, no_constants, \
    no_duplicate_keys, quote, shape, show
from cgeditor.model.fileformat.items import (annotation_from, edge_from, node_from, plain_edges, plain_nodes,
                                              well_formed_edge)
from cgeditor.model.fileformat.schema import (BLOCKS_VERSION, FORMAT, MAX_ANNOTATIONS, MAX_BYTES, MAX_DEPTH,
                                              MAX_NODES, VERSION, VERSIONS, DocumentError)
from cgeditor.model.graph import Edge, Graph, Node
from cgeditor.model.ops import OPS


def load(path: str | os.PathLike, *, lay_out: bool = True) -> Graph:
    """Read a `.cgraph` file; every failure is a DocumentError whose message starts with the path.

    `lay_out=False` leaves nodes without "pos" unplaced, for callers that draw nothing (laying
    out a 100k-node file costs more than evaluating it)."""
    name = os.fspath(path)
    try:  # the text is held by `loads` alone, which lets it go once parsed (a 200k-node file's
        return loads(_text(name), lay_out=lay_out)  # bytes and text were 60 MB of its peak)
    except _Unreadable:
        raise
    except DocumentError as e:
        raise DocumentError(f"{name}: {e}") from None


def _text(name: str) -> str:
    """The file's text; every failure a DocumentError (raised as `_Unreadable`, whose message
    already names the file)."""
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise _Unreadable(f"{name}: {not_regular(info.st_mode)}")
        size = info.st_size
        if size > MAX_BYTES:
            raise _Unreadable(f"{name}: file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        with open(name, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _Unreadable(f"{name}: no such file") from None
    except IsADirectoryError:
        raise _Unreadable(f"{name}: is a folder, not a file") from None
    except PermissionError:
        raise _Unreadable(f"{name}: permission denied") from None
    except OSError as e:
        raise _Unreadable(f"{name}: cannot read: {e.strerror or e}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _Unreadable(f"{name}: not UTF-8 text (bad byte at offset {e.start})") from None


class _Unreadable(DocumentError):
    """A file that could not be read as text; the message names it already."""


def not_regular(mode: int) -> str:
    """Why a file of this `st_mode` is not read: reading a FIFO or a device blocks or never ends."""
    kinds = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]
    kind = next((what for test, what in kinds if test(mode)), "an unusual kind of file")
    return f"not a regular file (it is {kind})"


def loads(text: str, *, lay_out: bool = True) -> Graph:
    """Parse a document from text; `lay_out` as for `load`."""
    if len(text) > MAX_BYTES:
        raise DocumentError(f"document is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not text.strip():
        raise DocumentError("empty document")
    with collector_paused():  # nothing built here is garbage until it is all built
        data, levels = _parsed(text)
        del text  # see `load`
        if levels > MAX_DEPTH:
            raise DocumentError(f"JSON nested too deep (more than {MAX_DEPTH} levels)")
        return graph_from_dict(data, lay_out=lay_out)


def _parsed(text: str) -> tuple[Any, int]:
    """The document's JSON and its nesting depth (up to MAX_DEPTH + 1).

    A duplicate key is refused, never silently dropped, but a hook told each object's pairs
    costs a Python call per object (a third of parsing 200k nodes).  So the C parser builds the
    objects, and the keys they kept are counted: each key written is followed by the only
    colon that may appear outside a string, so as many kept keys as colons in the text means
    none was dropped.  Otherwise (a colon in a label, a duplicate, an error, a document deeper
    than was counted) the text is parsed again with the hook, which names what is wrong."""
    try:
        data = json.loads(text, parse_constant=no_constants)
        levels, keys = shape(data)
        if keys == text.count(":"):
            return data, levels
    except (ValueError, RecursionError):
        pass
    data = _parsed_with_hook(text)
    return data, depth(data)


def _parsed_with_hook(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=no_duplicate_keys, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise DocumentError(f"not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise DocumentError(f"JSON nested too deep (more than {MAX_DEPTH} levels)") from None
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        if isinstance(e, DocumentError):
            raise
        raise DocumentError(f"not JSON: {one_line(str(e), 300)}") from None


def graph_from_dict(data: Any, *, lay_out: bool = True) -> Graph:
    """Build a graph from a parsed document (a file's JSON, or the editor's clipboard);
    `lay_out` as for `load`."""
    if not isinstance(data, dict):
        raise DocumentError(f"the document must be a JSON object, not {json_type(data)}")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise DocumentError(f"not a cgeditor graph: \"format\" must be {FORMAT!r}, got {show(fmt)}")
    version = data.get("version")
    if not is_int(version):
        raise DocumentError(f"\"version\" must be an integer, got {show(version)}")
    if version not in VERSIONS:
        newer = " (written by a newer cgeditor)" if version > BLOCKS_VERSION else ""
        raise DocumentError(f"unsupported version {show(version)}{newer}: this cgeditor reads versions "
                            f"{VERSION} and {BLOCKS_VERSION}")
    nodes = list_field(data, "nodes")
    edges = list_field(data, "edges")
    if len(nodes) > MAX_NODES:
        raise DocumentError(f"too many nodes: {len(nodes):,} (at most {MAX_NODES:,})")

    graph = Graph()
    ops: Collection[str] = OPS
    if version == BLOCKS_VERSION:  # version 1 has no blocks: a block's name there is an unknown op
        from cgeditor.model.fileformat.blocks_section import read_blocks

        ops = read_blocks(data, graph, MAX_NODES - len(nodes))
    fill(graph, nodes, edges, data.get("output"), ops)
    if len(graph.blocks):
        from cgeditor.model.fileformat.blocks_section import check_written_out

        check_written_out(graph)
    annotations = list_field(data, "annotations")
    if len(annotations) > MAX_ANNOTATIONS:
        raise DocumentError(f"too many annotations: {len(annotations):,} (at most {MAX_ANNOTATIONS:,})")
    seen: set[str] = set()
    for i, item in enumerate(annotations):
        annotation = annotation_from(i, item)
        if annotation.id in seen:
            raise DocumentError(f"duplicate annotation id {quote(annotation.id)}")
        seen.add(annotation.id)
        graph.add_annotation(annotation)
    if lay_out:
        _place_unpositioned(graph)
    return graph


def fill(graph: Graph, nodes: list, edges: list, output: Any, ops: Collection[str]) -> None:
    """Give `graph`, which has no nodes yet, a document's (or a block body's) nodes, edges and
    output, built in one pass (`Graph.take_checked`) after checking each entry as `add_node`
    and `add_edge` would, with the document's messages."""
    by_id = plain_nodes(nodes, ops)
    if by_id is None:  # something to name: entry by entry, so the first problem is the one named
        by_id = {}
        for i, item in enumerate(nodes):
            node = node_from(i, item, ops)
            if node.id in by_id:
                raise DocumentError(f"duplicate node id {node.id!r}")
            by_id[node.id] = node
    seen = plain_edges(edges, by_id)
    if seen is None:  # something to name: entry by entry, so the first problem is the one named
        seen = _checked_edges(edges, by_id)
    graph.take_checked(by_id, seen)
    if output is not None:
        if not isinstance(output, str):
            raise DocumentError(f"\"output\" must be a node id, got {show(output)}")
        if output not in graph:
            raise DocumentError(f"\"output\" names an unknown node {quote(output)}")
        graph.set_output(output)


def _checked_edges(edges: list, by_id: dict[str, Node]) -> dict[Edge, None]:
    seen: dict[Edge, None] = {}
    for i, item in enumerate(edges):
        edge = well_formed_edge(item, by_id)
        if edge is None:
            edge = edge_from(i, item)
            for end in (edge.source, edge.target):
                if end not in by_id:
                    raise DocumentError(f"edge {edge_name(edge)} names an unknown node {quote(end)}")
        if edge in seen:
            raise DocumentError(f"duplicate edge {edge_name(edge)}")
        seen[edge] = None
    return seen


def _place_unpositioned(graph: Graph) -> None:
    """Give nodes a file left without "pos" a layered left-to-right place."""
    missing = [n.id for n in graph if n.pos is None]
    if not missing:
        return
    from cgeditor.model.layout import layered_layout  # only documents without positions need it

    # None of them placed (a pasted script's graph): the whole graph, without the subset's bookkeeping
    for node_id, (x, y) in layered_layout(graph, missing if len(missing) < len(graph) else None).items():
        graph.nodes[node_id].pos = (float(x), float(y))


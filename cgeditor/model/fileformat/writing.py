"""Writing: stable, diff-friendly JSON (fixed key order, one node or edge per line, non-finite
values as strings, unknown node keys kept), saved with `atomic_write`'s one policy."""

from __future__ import annotations

import json
import math
import os
from typing import Any, Iterable, Iterator

from cgeditor.model.annotations import Annotation, Note
from cgeditor.model.atomic_write import ReadOnlyFileError, write_bytes_atomically
from cgeditor.model.fileformat.schema import BLOCKS_VERSION, NODE_KEYS, FORMAT, VERSION, DocumentError
from cgeditor.model.graph import Graph, Node, NodeKind, is_trainable, trainable_by_name


def graph_to_dict(graph: Graph, node_ids: Iterable[str] | None = None) -> dict:
    """The document for `graph` as plain JSON data; with `node_ids`, only those nodes, the edges
    among them, and the output if it is one of them (what the clipboard and undo need)."""
    keep = None if node_ids is None else set(node_ids)
    nodes = [node_dict(n) for n in graph if keep is None or n.id in keep]
    edges = [
        {"source": e.source, "target": e.target, "port": e.port}
        for e in graph.edges
        if keep is None or (e.source in keep and e.target in keep)
    ]
    blocks = _blocks(graph, keep)
    doc: dict[str, Any] = {"format": FORMAT, "version": BLOCKS_VERSION if blocks else VERSION}
    if blocks:
        doc["blocks"] = blocks
    doc["nodes"], doc["edges"] = nodes, edges
    if graph.output is not None and (keep is None or graph.output in keep):
        doc["output"] = graph.output
    if keep is None and graph.annotations:  # the clipboard carries nodes only
        doc["annotations"] = [annotation_dict(a) for a in graph.annotations]
    return doc


def _blocks(graph: Graph | GraphSnapshot, keep: set[str] | None) -> list[dict[str, Any]]:
    if isinstance(graph, GraphSnapshot):
        return graph.blocks
    if not len(graph.blocks):  # a document without blocks is version 1, byte for byte
        return []
    from cgeditor.model.fileformat.blocks_section import block_dicts

    return block_dicts(graph, keep)


def annotation_dict(annotation: Annotation) -> dict[str, Any]:
    if isinstance(annotation, Note):
        return {"id": annotation.id, "kind": "note", "text": annotation.text, "pos": _point(annotation.pos)}
    return {"id": annotation.id, "kind": "arrow", "from": _point(annotation.start), "to": _point(annotation.end)}


def _point(p: tuple[float, float]) -> list[int | float]:
    return [_compact_coordinate(c) for c in p]


class GraphSnapshot:
    """What `dumps` and `save` read of a graph, frozen in one cheap pass (node fields as tuples;
    edges and annotations are immutable already), so another thread can write it while the
    graph goes on changing: autosave takes one on the GUI thread and writes it in the background."""

    def __init__(self, graph: Graph):
        self._nodes = [(n.id, n.kind, n.label, n.value, n.op, n.pos, n.extra, n.trainable) for n in graph]
        self.edges = graph.edges
        self.output = graph.output
        self.annotations = graph.annotations
        self.blocks = _blocks(graph, None)  # as data: editing a body later changes nothing here

    def __iter__(self) -> Iterator[Node]:
        return (Node(*fields) for fields in self._nodes)


def dumps(graph: Graph | GraphSnapshot) -> str:
    """Stable JSON text: fixed key order, one node and one edge per line."""
    return _dumps(graph, ensure_ascii=False)


class ReadOnlyDocumentError(DocumentError):
    """Saving would replace a read-only file; `save(..., replace_read_only=True)` does so."""


def save(graph: Graph | GraphSnapshot, path: str | os.PathLike, *, replace_read_only: bool = False) -> None:
    """Write with `atomic_write`'s policy: readers see the old document or the new one, never a
    torn write; links are written through, permissions kept, non-regular files refused."""
    try:
        data = dumps(graph).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a string: JSON escapes keep it exact
        data = _dumps(graph, ensure_ascii=True).encode("ascii")
    try:
        write_bytes_atomically(path, data, replace_read_only=replace_read_only)
    except ReadOnlyFileError:
        raise ReadOnlyDocumentError(f"{os.fspath(path)}: cannot save: the file is read-only") from None
    except OSError as e:
        raise DocumentError(f"{os.fspath(path)}: cannot save: {e.strerror or e}") from None


def _dumps(graph: Graph | GraphSnapshot, ensure_ascii: bool) -> str:
    doc = graph_to_dict(graph)

    def enc(x: Any) -> str:
        return json.dumps(x, ensure_ascii=ensure_ascii)

    lines = ["{", f'  "format": {enc(FORMAT)},', f'  "version": {doc["version"]},']
    if "blocks" in doc:
        from cgeditor.model.fileformat.blocks_section import block_lines

        lines += block_lines(doc["blocks"], enc)
    for key in ("nodes", "edges"):
        items = doc[key]
        if not items:
            lines.append(f'  "{key}": [],')
            continue
        lines.append(f'  "{key}": [')
        lines += [f"    {enc(item)}," for item in items]
        lines[-1] = lines[-1][:-1]
        lines.append("  ],")
    if "output" in doc:
        lines.append(f'  "output": {enc(doc["output"])},')
    if "annotations" in doc:
        lines.append('  "annotations": [')
        lines += [f"    {enc(item)}," for item in doc["annotations"]]
        lines[-1] = lines[-1][:-1]
        lines.append("  ],")
    lines[-1] = lines[-1][:-1]
    lines.append("}")
    return "\n".join(lines) + "\n"


def node_dict(node: Node) -> dict[str, Any]:
    d: dict[str, Any] = {"id": node.id, "kind": node.kind.value, "label": node.label}
    if node.kind is NodeKind.OP:
        d["op"] = node.op
    elif node.value is not None:
        d["value"] = encode_number(node.value)
    if node.pos is not None:
        d["pos"] = [_compact_coordinate(c) for c in node.pos]
    if node.kind is NodeKind.VARIABLE and is_trainable(node) != trainable_by_name(node):
        d["trainable"] = is_trainable(node)  # only when the name would say otherwise: old files keep their bytes
    for k, v in node.extra.items():
        if k not in NODE_KEYS:
            d[k] = v
    return d


def encode_number(x: float) -> float | str:
    """A float as JSON can hold it: finite values as numbers, the rest as "nan"/"inf"/"-inf"."""
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float(x)


def _compact_coordinate(c: float) -> int | float:
    return int(c) if float(c).is_integer() and abs(c) < 1e15 else float(c)


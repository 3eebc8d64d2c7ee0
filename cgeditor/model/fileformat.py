"""File format v1 (`.cgraph`): JSON in, `Graph` out, and back, with every bad input named.

Reading is strict about what the document *says* (types, ids, ops, references) and refuses it
with a one-line `DocumentError`.  It is not strict about what the graph *means*: a cycle or an
unconnected port loads fine, because the editor must be able to open a half-built graph and
`validate` already reports those with the nodes to mark.

Writing is stable and diff-friendly: fixed key order, one node or edge per line, non-finite
values as the strings "nan"/"inf"/"-inf", unknown node keys kept; `save` replaces the file
atomically so a crash never leaves half a document behind.
"""

from __future__ import annotations

import json
import math
import os
import stat
from typing import Any, Iterable, Iterator

from cgeditor.model.annotations import Annotation, Arrow, Note
from cgeditor.model.atomic_write import ReadOnlyFileError, write_bytes_atomically
from cgeditor.model.escape import one_line
from cgeditor.model.graph import (MAX_ID_LENGTH, Edge, Graph, Node, NodeKind, is_trainable, label_problem,
                                  trainable_by_name)
from cgeditor.model.ops import OPS
from cgeditor.model.suggest import did_you_mean

FORMAT = "cgeditor-graph"
VERSION = 1
SUFFIX = ".cgraph"
MAX_BYTES = 50 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_PORT = MAX_NODES  # a port far beyond any real op would make validation list every gap
MAX_LABEL_LENGTH = 1000
MAX_EXTRA_LENGTH = 10_000  # strings kept from unknown node keys
MAX_COORDINATE = 1e9  # far beyond any canvas; keeps layout and rendering arithmetic finite
MAX_ANNOTATIONS = 10_000
MAX_NOTE_LENGTH = 10_000

_NODE_KEYS = ("id", "kind", "label", "value", "op", "pos", "trainable")
_EDGE_KEYS = ("source", "target", "port")
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class DocumentError(ValueError):
    """A document that cannot be read as a graph; the message is one line naming the problem."""


# -- reading -----------------------------------------------------------------------------------


def load(path: str | os.PathLike, *, lay_out: bool = True) -> Graph:
    """Read a `.cgraph` file; every failure is a DocumentError whose message starts with the path.

    `lay_out=False` leaves nodes without "pos" unplaced, for callers that draw nothing (laying
    out a 100k-node file costs more than evaluating it)."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise DocumentError(f"{name}: {not_regular(info.st_mode)}")
        size = info.st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{name}: file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        with open(name, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{name}: is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(f"{name}: permission denied") from None
    except OSError as e:
        raise DocumentError(f"{name}: cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{name}: not UTF-8 text (bad byte at offset {e.start})") from None
    try:
        return loads(text, lay_out=lay_out)
    except DocumentError as e:
        raise DocumentError(f"{name}: {e}") from None


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
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        raise DocumentError(f"not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise DocumentError(f"JSON nested too deep (more than {MAX_DEPTH} levels)") from None
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        if isinstance(e, DocumentError):
            raise
        raise DocumentError(f"not JSON: {one_line(str(e), 300)}") from None
    if _depth(data) > MAX_DEPTH:
        raise DocumentError(f"JSON nested too deep (more than {MAX_DEPTH} levels)")
    return graph_from_dict(data, lay_out=lay_out)


def graph_from_dict(data: Any, *, lay_out: bool = True) -> Graph:
    """Build a graph from a parsed document (a file's JSON, or the editor's clipboard);
    `lay_out` as for `load`."""
    if not isinstance(data, dict):
        raise DocumentError(f"the document must be a JSON object, not {_json_type(data)}")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise DocumentError(f"not a cgeditor graph: \"format\" must be {FORMAT!r}, got {_show(fmt)}")
    version = data.get("version")
    if not _is_int(version):
        raise DocumentError(f"\"version\" must be an integer, got {_show(version)}")
    if version != VERSION:
        newer = " (written by a newer cgeditor)" if version > VERSION else ""
        raise DocumentError(f"unsupported version {_show(version)}{newer}: this cgeditor reads version {VERSION}")
    nodes = _list_field(data, "nodes")
    edges = _list_field(data, "edges")
    if len(nodes) > MAX_NODES:
        raise DocumentError(f"too many nodes: {len(nodes):,} (at most {MAX_NODES:,})")

    graph = Graph()
    for i, item in enumerate(nodes):
        node = _node(i, item)
        if node.id in graph:
            raise DocumentError(f"duplicate node id {node.id!r}")
        graph.add_node(node)
    for i, item in enumerate(edges):
        edge = _edge(i, item)
        for end in (edge.source, edge.target):
            if end not in graph:
                raise DocumentError(f"edge {_edge_name(edge)} names an unknown node {_quote(end)}")
        if graph.has_edge(edge):
            raise DocumentError(f"duplicate edge {_edge_name(edge)}")
        graph.add_edge(edge)
    output = data.get("output")
    if output is not None:
        if not isinstance(output, str):
            raise DocumentError(f"\"output\" must be a node id, got {_show(output)}")
        if output not in graph:
            raise DocumentError(f"\"output\" names an unknown node {_quote(output)}")
        graph.set_output(output)
    annotations = _list_field(data, "annotations")
    if len(annotations) > MAX_ANNOTATIONS:
        raise DocumentError(f"too many annotations: {len(annotations):,} (at most {MAX_ANNOTATIONS:,})")
    seen: set[str] = set()
    for i, item in enumerate(annotations):
        annotation = _annotation(i, item)
        if annotation.id in seen:
            raise DocumentError(f"duplicate annotation id {_quote(annotation.id)}")
        seen.add(annotation.id)
        graph.add_annotation(annotation)
    if lay_out:
        _place_unpositioned(graph)
    return graph


def _identified(i: int, item: Any, what: str) -> tuple[str, str]:
    """The id of list entry `i`, an object with an "id", and how messages name it from then on."""
    where = f"{what} {i + 1}"
    if not isinstance(item, dict):
        raise DocumentError(f"{where} must be an object, got {_json_type(item)}")
    item_id = item.get("id")
    _check_id(item_id, f"{where}: \"id\"")
    return item_id, f"{what} {item_id!r}"


def _node(i: int, item: Any) -> Node:
    node_id, where = _identified(i, item, "node")
    kind_name = item.get("kind")
    try:
        kind = NodeKind(kind_name)
    except (ValueError, TypeError):
        raise DocumentError(
            f"{where}: \"kind\" must be \"variable\", \"constant\" or \"op\", got {_show(kind_name)}"
        ) from None
    label = item.get("label", node_id)
    if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
        raise DocumentError(f"{where}: \"label\" must be a string of at most {MAX_LABEL_LENGTH} "
                            f"characters, got {_show(label)}")
    problem = label_problem(label)
    if problem:
        raise DocumentError(f"{where}: \"label\" {_show(label)}: {problem}")
    value = None
    op = None
    if kind is NodeKind.OP:
        if "value" in item:
            raise DocumentError(f"{where}: an op node has no \"value\" (its value is computed)")
        op = item.get("op")
        if not isinstance(op, str):
            raise DocumentError(f"{where}: \"op\" must be an op name, got {_show(op)}")
        if op not in OPS:
            raise DocumentError(f"{where}: unknown op {_quote(op)}{did_you_mean(op, OPS)}")
    else:
        if "op" in item:
            raise DocumentError(f"{where}: a {kind.value} has no \"op\"")
        if "value" in item:
            value = _number(item["value"], f"{where}: \"value\"")
    pos = None
    if "pos" in item:
        pos = _position(item["pos"], f"{where}: \"pos\"")
    trainable = item.get("trainable")
    if "trainable" in item and kind is not NodeKind.VARIABLE:
        raise DocumentError(f"{where}: a {kind.value} has no \"trainable\" (only variables are trained)")
    if "trainable" in item and not isinstance(trainable, bool):
        raise DocumentError(f"{where}: \"trainable\" must be true or false, got {_show(trainable)}")
    extra = {k: v for k, v in item.items() if k not in _NODE_KEYS}
    for key, kept in extra.items():
        _check_extra(kept, f"{where}: key {_quote(key)}")
    return Node(node_id, kind, label, value, op, pos, extra, trainable)


def _edge(i: int, item: Any) -> Edge:
    where = f"edge {i + 1}"
    if not isinstance(item, dict):
        raise DocumentError(f"{where} must be an object, got {_json_type(item)}")
    unknown = [k for k in item if k not in _EDGE_KEYS]
    if unknown:
        raise DocumentError(f"{where}: unknown key {_quote(unknown[0])} (an edge has source, target, port)")
    source, target, port = item.get("source"), item.get("target"), item.get("port")
    _check_id(source, f"{where}: \"source\"")
    _check_id(target, f"{where}: \"target\"")
    if not _is_int(port) or port < 0:
        raise DocumentError(f"{where}: \"port\" must be a non-negative integer, got {_show(port)}")
    if port >= MAX_PORT:
        raise DocumentError(f"{where}: \"port\" {_show(port)} is too large (at most {MAX_PORT - 1:,})")
    return Edge(source, target, port)


def _annotation(i: int, item: Any) -> Annotation:
    """A note {"id", "kind": "note", "text", "pos"} or an arrow {"id", "kind": "arrow", "from", "to"}."""
    ann_id, where = _identified(i, item, "annotation")
    kind = item.get("kind")
    keys = _ANNOTATION_KEYS.get(kind) if isinstance(kind, str) else None
    if keys is None:
        raise DocumentError(f"{where}: \"kind\" must be \"note\" or \"arrow\", got {_show(kind)}")
    unknown = [k for k in item if k not in keys]
    if unknown:
        raise DocumentError(f"{where}: unknown key {_quote(unknown[0])} (an annotation of kind {kind} "
                            f"has {', '.join(keys)})")
    missing = [k for k in keys if k not in item]
    if missing:
        raise DocumentError(f"{where}: an annotation of kind {kind} needs \"{missing[0]}\"")
    if kind == "arrow":
        return Arrow(ann_id, _position(item["from"], f"{where}: \"from\""),
                     _position(item["to"], f"{where}: \"to\""))
    text = item["text"]
    if not isinstance(text, str) or len(text) > MAX_NOTE_LENGTH:
        raise DocumentError(f"{where}: \"text\" must be a string of at most {MAX_NOTE_LENGTH:,} "
                            f"characters, got {_show(text) if not isinstance(text, str) else 'a longer one'}")
    return Note(ann_id, text, _position(item["pos"], f"{where}: \"pos\""))


_ANNOTATION_KEYS = {"note": ("id", "kind", "text", "pos"), "arrow": ("id", "kind", "from", "to")}


def _place_unpositioned(graph: Graph) -> None:
    """Give nodes a file left without "pos" a layered left-to-right place."""
    missing = [n.id for n in graph if n.pos is None]
    if not missing:
        return
    from cgeditor.model.layout import layered_layout  # only documents without positions need it

    for node_id, (x, y) in layered_layout(graph, missing).items():
        graph.nodes[node_id].pos = (float(x), float(y))


# -- writing -----------------------------------------------------------------------------------


def graph_to_dict(graph: Graph, node_ids: Iterable[str] | None = None) -> dict:
    """The document for `graph` as plain JSON data; with `node_ids`, only those nodes, the edges
    among them, and the output if it is one of them (what the clipboard and undo need)."""
    keep = None if node_ids is None else set(node_ids)
    nodes = [_node_dict(n) for n in graph if keep is None or n.id in keep]
    edges = [
        {"source": e.source, "target": e.target, "port": e.port}
        for e in graph.edges
        if keep is None or (e.source in keep and e.target in keep)
    ]
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "nodes": nodes, "edges": edges}
    if graph.output is not None and (keep is None or graph.output in keep):
        doc["output"] = graph.output
    if keep is None and graph.annotations:  # the clipboard carries nodes only
        doc["annotations"] = [annotation_dict(a) for a in graph.annotations]
    return doc


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

    lines = ["{", f'  "format": {enc(FORMAT)},', f'  "version": {VERSION},']
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


def _node_dict(node: Node) -> dict[str, Any]:
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
        if k not in _NODE_KEYS:
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


# -- checks ------------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise DocumentError(f"duplicate key {_show(k)} in a JSON object")
            seen.add(k)
    return result


def _no_constants(name: str) -> float:
    raise DocumentError(f'not JSON: bare {name} is not allowed (write the string "nan", "inf" or "-inf")')


def _depth(data: Any) -> int:
    """Nesting depth (counted only up to MAX_DEPTH + 1), without recursion: a hostile document
    must not exhaust the stack.  Walked a level at a time, which keeps a 100k-node file's check
    to list comprehensions."""
    containers = (dict, list)
    level = [data] if isinstance(data, containers) else []
    depth = 0
    while level and depth <= MAX_DEPTH:
        depth += 1
        deeper: list = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            deeper += [c for c in children if isinstance(c, containers)]
        level = deeper
    return depth


def _check_extra(value: Any, where: str) -> None:
    """Unknown keys are kept, not trusted: their strings are capped and their numbers must save
    back as JSON (1e400 would load as inf and save as a literal no loader accepts)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if len(v) > MAX_EXTRA_LENGTH:
                raise DocumentError(f"{where} holds a string longer than {MAX_EXTRA_LENGTH:,} characters")
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise DocumentError(f"{where} holds a number too large for a float")
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            for k, item in v.items():
                if len(k) > MAX_EXTRA_LENGTH:
                    raise DocumentError(f"{where} holds a key longer than {MAX_EXTRA_LENGTH:,} characters")
                stack.append(item)


def _list_field(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise DocumentError(f"\"{key}\" must be a list, got {_json_type(value)}")
    return value


def _check_id(value: Any, where: str) -> None:
    if not isinstance(value, str) or not value:
        raise DocumentError(f"{where} must be a non-empty string, got {_show(value)}")
    if len(value) > MAX_ID_LENGTH:
        raise DocumentError(f"{where} is longer than {MAX_ID_LENGTH} characters")
    if not value.isprintable():
        raise DocumentError(f"{where} {value!r} contains control characters")


def _number(value: Any, where: str) -> float:
    if isinstance(value, str) and value in _NONFINITE:
        return _NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DocumentError(f'{where} must be a number (or "nan", "inf", "-inf"), got {_show(value)}')
    try:
        return float(value)
    except OverflowError:
        raise DocumentError(f"{where} is too large for a float") from None


def _position(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise DocumentError(f"{where} must be [x, y], got {_show(value)}")
    coords = []
    for c in value:
        if isinstance(c, bool) or not isinstance(c, (int, float)):
            raise DocumentError(f"{where} must be two numbers, got {_show(value)}")
        try:
            c = float(c)
        except OverflowError:
            c = math.inf
        if not math.isfinite(c):
            raise DocumentError(f"{where} must be two finite numbers, got {_show(value)}")
        if abs(c) > MAX_COORDINATE:
            raise DocumentError(f"{where} is too far out (each coordinate within ±{MAX_COORDINATE:.0e}), "
                                f"got {_show(value)}")
        coords.append(c)
    return coords[0], coords[1]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _show(value: Any) -> str:
    """A short one-line rendering of a JSON value for an error message."""
    if value is None:
        return "nothing"
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _quote(text: str) -> str:
    """A name from the document in quotes, cut short so one line stays one readable line."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def _edge_name(edge: Edge) -> str:
    return f"{edge.source} → {edge.target}:{edge.port}"

"""One entry of a document's "nodes", "edges" or "annotations" list, checked and built."""

from __future__ import annotations

from itertools import chain, repeat
from math import isfinite
from operator import attrgetter, itemgetter
from typing import Any, Collection

from cgeditor.model.annotations import Annotation, Arrow, Note
from cgeditor.model.fileformat.checks import (check_extra, check_id, is_int, json_type, number, position,
                                              quote, show)
from cgeditor.model.fileformat.schema import (EDGE_KEYS, NODE_KEYS, MAX_COORDINATE, MAX_ID_LENGTH, MAX_LABEL_LENGTH,
                                              MAX_NOTE_LENGTH, MAX_PORT, DocumentError)
from cgeditor.model.graph import Edge, Node, NodeKind, label_problem
from cgeditor.model.ops import OPS
from cgeditor.model.suggest import did_you_mean


def identified(i: int, item: Any, what: str) -> tuple[str, str]:
    """The id of list entry `i`, an object with an "id", and how messages name it from then on."""
    where = f"{what} {i + 1}"
    if not isinstance(item, dict):
        raise DocumentError(f"{where} must be an object, got {json_type(item)}")
    item_id = item.get("id")
    check_id(item_id, f"{where}: \"id\"")
    return item_id, f"{what} {item_id!r}"


def node_from(i: int, item: Any, ops: Collection[str] = OPS) -> Node:
    """Node entry `i`; an op node's "op" must be one of `ops` (the registry's, and in a
    document with blocks, its blocks' names too).  Loading a 200,000-node file runs this
    200,000 times, so the checks are written for the valid case (no message is formatted until
    one is needed, unknown keys are looked for only when the entry has a key beyond the known
    ones); the messages and the order they are checked in are the same as for every other entry."""
    if type(item) is not dict:
        identified(i, item, "node")  # raises: not an object
    node_id = item.get("id")
    if type(node_id) is not str or not 0 < len(node_id) <= MAX_ID_LENGTH or not node_id.isprintable():
        node_id, _ = identified(i, item, "node")  # raises unless a str subclass
    kind_name = item.get("kind")
    kind = _KINDS.get(kind_name) if type(kind_name) is str else None
    if kind is None:
        raise DocumentError(
            f"node {node_id!r}: \"kind\" must be \"variable\", \"constant\" or \"op\", got {show(kind_name)}")
    label = item.get("label", node_id)
    if label == node_id:
        label = node_id  # one string for both, not two equal copies
    if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
        raise DocumentError(f"node {node_id!r}: \"label\" must be a string of at most {MAX_LABEL_LENGTH} "
                            f"characters, got {show(label)}")
    if not label.isprintable():
        problem = label_problem(label)
        if problem:
            raise DocumentError(f"node {node_id!r}: \"label\" {show(label)}: {problem}")
    value = None
    op = None
    if kind is NodeKind.OP:
        if "value" in item:
            raise DocumentError(f"node {node_id!r}: an op node has no \"value\" (its value is computed)")
        op = item.get("op")
        if type(op) is not str or op not in ops:
            if not isinstance(op, str):
                raise DocumentError(f"node {node_id!r}: \"op\" must be an op name, got {show(op)}")
            if op not in ops:
                raise DocumentError(f"node {node_id!r}: unknown op {quote(op)}{did_you_mean(op, ops)}")
    else:
        if "op" in item:
            raise DocumentError(f"node {node_id!r}: a {kind.value} has no \"op\"")
        if "value" in item:
            value = item["value"]
            if type(value) is not float:
                value = number(value, f"node {node_id!r}: \"value\"")
    pos = None
    if "pos" in item:
        pos = position(item["pos"], f"node {node_id!r}: \"pos\"")
    trainable = item.get("trainable")
    if trainable is not None or "trainable" in item:
        if kind is not NodeKind.VARIABLE:
            raise DocumentError(f"node {node_id!r}: a {kind.value} has no \"trainable\" (only variables are trained)")
        if not isinstance(trainable, bool):
            raise DocumentError(f"node {node_id!r}: \"trainable\" must be true or false, got {show(trainable)}")
    extra = {}
    if not item.keys() <= _NODE_KEY_SET:
        extra = {k: v for k, v in item.items() if k not in NODE_KEYS}
        for key, kept in extra.items():
            check_extra(kept, f"node {node_id!r}: key {quote(key)}")
    return Node(node_id, kind, label, value, op, pos, extra, trainable)


def plain_nodes(items: list, ops: Collection[str]) -> dict[str, Node] | None:
    """The nodes of `items` by id, in order, if every entry is plain (only the keys id, kind,
    label, value, op and pos, printable text, numbers as numbers) and `node_from` would accept
    each and no id comes twice; else None, and the caller reads them entry by entry, which names
    the first problem.  The same checks over whole columns, each pass a C loop: a call of
    `node_from` per entry was a third of loading a 200,000-node file."""
    try:
        if not set(map(type, items)) <= _DICT or not set(chain.from_iterable(items)) <= _PLAIN_NODE_KEYS:
            return None
        ids = list(map(_ITEM_ID, items))
        kinds = list(map(dict.get, items, repeat("kind")))
        labels = list(map(dict.get, items, repeat("label"), ids))
        if not (set(map(type, ids)) <= _STR and set(map(type, labels)) <= _STR and set(kinds) <= _KIND_NAMES):
            return None
        if ids and not (0 < min(map(len, ids)) and max(map(len, ids)) <= MAX_ID_LENGTH
                        and max(map(len, labels)) <= MAX_LABEL_LENGTH):
            return None
        if not all(map(str.isprintable, ids)) or not all(map(str.isprintable, labels)):
            return None
        values = list(map(dict.get, items, repeat("value")))
        op_names = list(map(dict.get, items, repeat("op")))
        places = list(map(dict.get, items, repeat("pos")))
        # a key present with null is not plain: as many keys as values that are not None
        for key, column in (("value", values), ("op", op_names), ("pos", places)):
            if sum(map(dict.__contains__, items, repeat(key))) != len(column) - column.count(None):
                return None
        is_op = [kind == "op" for kind in kinds]
        if (sum(is_op) != len(op_names) - op_names.count(None)
                or [1 for op, name in zip(is_op, op_names) if not op and name is not None]
                or [1 for op, value in zip(is_op, values) if op and value is not None]
                or not (set(op_names) - _NONE).issubset(ops)):
            return None  # a leaf with an op name (so an op without one), an op with a value, an unknown op
        if not set(map(type, values)) <= _NUMBER_OR_NONE:
            return None
        if int in set(map(type, values)):
            values = [None if v is None else float(v) for v in values]
        if places.count(None) != len(places):
            places = _plain_places(places)
            if places is None:
                return None
        labels = [node_id if label == node_id else label for node_id, label in zip(ids, labels)]
        nodes = dict(zip(ids, map(Node, ids, map(_KINDS.__getitem__, kinds), labels, values, op_names, places)))
    except (KeyError, TypeError, OverflowError):  # no id, an unhashable kind, an integer too large for a float
        return None
    return nodes if len(nodes) == len(items) else None


def _plain_places(places: list) -> list | None:
    """Each "pos" as `position` reads it (None where absent), if each is two finite numbers
    within the limit; else None."""
    given = [p for p in places if p is not None]
    if not set(map(type, given)) <= _LIST or not set(map(len, given)) <= _TWO:
        return None
    coords = list(chain.from_iterable(given))
    if not set(map(type, coords)) <= _INT_OR_FLOAT:
        return None
    coords = list(map(float, coords))
    if not all(map(isfinite, coords)) or max(map(abs, coords)) > MAX_COORDINATE:
        return None
    pairs = iter(zip(*[iter(coords)] * 2))
    return [None if p is None else next(pairs) for p in places]


_KINDS = {kind.value: kind for kind in NodeKind}
_KIND_NAMES = frozenset(_KINDS)
_PLAIN_NODE_KEYS = frozenset(("id", "kind", "label", "value", "op", "pos"))
_STR, _LIST, _TWO, _NONE = frozenset({str}), frozenset({list}), frozenset({2}), frozenset({None})
_NUMBER_OR_NONE, _INT_OR_FLOAT = frozenset({float, int, type(None)}), frozenset({float, int})
_ITEM_ID = itemgetter("id")
_NODE_KEY_SET = frozenset(NODE_KEYS)
_EDGE_KEY_SET = frozenset(EDGE_KEYS)


def well_formed_edge(item: Any, nodes: dict[str, Node]) -> Edge | None:
    """Edge entry `item` if it is exactly what `edge_from` accepts, between known `nodes`;
    None for anything else, which `edge_from` and the caller then name (the valid case of
    300,000 edges, checked without formatting a message or calling a check per field)."""
    if type(item) is not dict or not item.keys() <= _EDGE_KEY_SET:
        return None
    source, target, port = item.get("source"), item.get("target"), item.get("port")
    if type(source) is str and type(target) is str and type(port) is int and 0 <= port < MAX_PORT:
        source_node, target_node = nodes.get(source), nodes.get(target)
        if source_node is not None and target_node is not None:  # a known node's id passed `check_id`
            return Edge(source_node.id, target_node.id, port)  # the nodes' own strings: one copy of each id
    return None


def plain_edges(items: list, nodes: dict[str, Node]) -> dict[Edge, None] | None:
    """The edges of `items`, in order, if every entry is what `well_formed_edge` accepts and no
    edge comes twice; else None, and the caller names the first problem entry by entry.  The
    same checks over whole columns, each pass a C loop (300,000 edges in a few of them)."""
    try:
        if not set(map(type, items)) <= _DICT or not set(map(len, items)) <= _THREE:
            return None
        ports = list(map(_PORT, items))
        if not set(map(type, ports)) <= _INT or (ports and not 0 <= min(ports) <= max(ports) < MAX_PORT):
            return None
        # a known node's id passed `check_id`; the nodes' own strings: one copy of each id
        sources = map(_ID, map(nodes.__getitem__, map(_SOURCE, items)))
        targets = map(_ID, map(nodes.__getitem__, map(_TARGET, items)))
        edges = dict.fromkeys(map(tuple.__new__, repeat(Edge), zip(sources, targets, ports)))
    except (KeyError, TypeError):  # a key missing (with another instead), an unknown or unhashable end
        return None
    return edges if len(edges) == len(items) else None


_DICT, _THREE, _INT = frozenset({dict}), frozenset({3}), frozenset({int})
_SOURCE, _TARGET, _PORT, _ID = itemgetter("source"), itemgetter("target"), itemgetter("port"), attrgetter("id")


def edge_from(i: int, item: Any) -> Edge:
    where = f"edge {i + 1}"
    if not isinstance(item, dict):
        raise DocumentError(f"{where} must be an object, got {json_type(item)}")
    unknown = [k for k in item if k not in EDGE_KEYS]
    if unknown:
        raise DocumentError(f"{where}: unknown key {quote(unknown[0])} (an edge has source, target, port)")
    source, target, port = item.get("source"), item.get("target"), item.get("port")
    check_id(source, f"{where}: \"source\"")
    check_id(target, f"{where}: \"target\"")
    if not is_int(port) or port < 0:
        raise DocumentError(f"{where}: \"port\" must be a non-negative integer, got {show(port)}")
    if port >= MAX_PORT:
        raise DocumentError(f"{where}: \"port\" {show(port)} is too large (at most {MAX_PORT - 1:,})")
    return Edge(source, target, port)


def annotation_from(i: int, item: Any) -> Annotation:
    """A note {"id", "kind": "note", "text", "pos"} or an arrow {"id", "kind": "arrow", "from", "to"}."""
    ann_id, where = identified(i, item, "annotation")
    kind = item.get("kind")
    keys = ANNOTATION_KEYS.get(kind) if isinstance(kind, str) else None
    if keys is None:
        raise DocumentError(f"{where}: \"kind\" must be \"note\" or \"arrow\", got {show(kind)}")
    unknown = [k for k in item if k not in keys]
    if unknown:
        raise DocumentError(f"{where}: unknown key {quote(unknown[0])} (an annotation of kind {kind} "
                            f"has {', '.join(keys)})")
    missing = [k for k in keys if k not in item]
    if missing:
        raise DocumentError(f"{where}: an annotation of kind {kind} needs \"{missing[0]}\"")
    if kind == "arrow":
        return Arrow(ann_id, position(item["from"], f"{where}: \"from\""),
                     position(item["to"], f"{where}: \"to\""))
    text = item["text"]
    if not isinstance(text, str) or len(text) > MAX_NOTE_LENGTH:
        raise DocumentError(f"{where}: \"text\" must be a string of at most {MAX_NOTE_LENGTH:,} "
                            f"characters, got {show(text) if not isinstance(text, str) else 'a longer one'}")
    return Note(ann_id, text, position(item["pos"], f"{where}: \"pos\""))


ANNOTATION_KEYS = {"note": ("id", "kind", "text", "pos"), "arrow": ("id", "kind", "from", "to")}

"""The computational graph: nodes, per-port edges, the chosen output, and change notification.

The graph is the single source of truth.  It holds only what a document says (no computed
values), so it can hold an invalid state that a file described; `validate` reports what is
wrong.  Every mutation is announced to subscribers as one `Change`, which lets the editor
mirror the graph without polling and lets the evaluator drop its caches precisely.
"""

from __future__ import annotations

import heapq
import operator
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Callable, Container, Iterable, Iterator

from cgeditor.model.annotations import Annotation, Point
from cgeditor.model.changes import (ANNOTATION_CHANGES, STRUCTURAL, AnnotationAdded, AnnotationChanged,  # noqa: F401
                                    AnnotationRemoved, Change, EdgeAdded, EdgeRemoved, Journal, LabelChanged,
                                    NodeAdded, NodeMoved, NodeRemoved, OutputChanged, TrainableChanged,
                                    ValueChanged)
from cgeditor.model.fresh_ids import FreshIds
from cgeditor.model.numbers import same_number


MAX_ID_LENGTH = 200  # characters
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # every break str.splitlines honours


def label_problem(label: str) -> str | None:
    """Why `label` cannot be a node's label, or None.

    A label is one line: a line break in it would start a new line of whatever it is written
    into (a comment in an exported script, a Markdown table, a terminal table).
    """
    if not label.isprintable() and any(ch in LINE_BREAKS for ch in label):  # breaks are unprintable
        return "a label cannot contain a line break"
    return None


class NodeKind(str, Enum):
    VARIABLE = "variable"
    CONSTANT = "constant"
    OP = "op"


@dataclass
class Node:
    id: str
    kind: NodeKind
    label: str = ""
    value: float | None = None  # variables and constants
    op: str | None = None  # op nodes: a name from the registry (possibly unknown)
    pos: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown file keys, kept on save
    trainable: bool | None = None  # variables: whether descent may change it; None follows the name

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.id

    def copy(self) -> "Node":
        return Node(self.id, self.kind, self.label, self.value, self.op, self.pos, dict(self.extra),
                    self.trainable)


# Names that say "data": inputs and targets are given, not learned.  Anything else a variable is
# called (w, b, θ, weights, a, ...) is a parameter by default.
_DATA_WORDS = frozenset({"x", "y", "t", "input", "inputs", "target", "targets", "data", "label", "labels"})
_WORD = re.compile(r"[^\W\d_₀-₉]+")


def trainable_by_name(node: Node) -> bool:
    """The default for a variable's trainable flag: off when a word of its label (what the class
    sees) names data (x, y, t, x1, x₂, "y (target)", inputs), on otherwise (w, b, θ, weights)."""
    words = {w.lower() for w in _WORD.findall(node.label)}
    return not words & _DATA_WORDS


def is_generated_id(node: Node) -> bool:
    """Whether `node`'s id is one the editor made up (x2, c3, add4: its kind's stem and a
    number, as `Graph.fresh_id` gives them) rather than one somebody chose."""
    stem = node.op if node.kind is NodeKind.OP else ("x" if node.kind is NodeKind.VARIABLE else "c")
    return re.fullmatch(rf"{re.escape(stem or '')}\d*", node.id) is not None


def usable_id(name: str) -> bool:
    """Whether `name` can be an id typed on a command line (`--set w=4`): an identifier."""
    return name.isidentifier() and len(name) <= MAX_ID_LENGTH


def is_trainable(node: Node) -> bool:
    """Whether gradient descent may change `node`: only variables, as flagged or as named."""
    if node.kind is not NodeKind.VARIABLE:
        return False
    return trainable_by_name(node) if node.trainable is None else node.trainable


@dataclass(frozen=True, order=True)
class Edge:
    """The output of `source` feeding input `port` of op node `target`."""

    source: str
    target: str
    port: int


class GraphError(ValueError):
    """A mutation the graph cannot take (unknown node, duplicate id, ...)."""


class Graph:
    """Nodes by id in insertion order, edges in insertion order, and an optional output."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._edges: dict[Edge, None] = {}
        self._in: dict[str, list[Edge]] = {}
        self._out: dict[str, list[Edge]] = {}
        self._in_sorted: dict[str, tuple[Edge, ...]] = {}  # in_edges cache: planning asks for every node
        self._output: str | None = None
        self._annotations: dict[str, Annotation] = {}  # notes and arrows, in drawing order
        self._listeners: list[Callable[[Change], None]] = []
        self.structure_version = 0  # bumped on every structural change; caches key on it
        self.journal = Journal()  # what each structural change touched (incremental re-planning)
        self._order: tuple[str, ...] = ()
        self._order_version = -1
        self._fresh_ids = FreshIds()

    # -- reading -----------------------------------------------------------------------

    @property
    def nodes(self) -> dict[str, Node]:
        return self._nodes

    @property
    def edges(self) -> list[Edge]:
        return list(self._edges)

    @property
    def output(self) -> str | None:
        return self._output

    @property
    def annotations(self) -> list[Annotation]:
        return list(self._annotations.values())

    def annotation(self, ann_id: str) -> Annotation:
        try:
            return self._annotations[ann_id]
        except KeyError:
            raise GraphError(f"no annotation with id {ann_id!r}") from None

    def node(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise GraphError(f"no node with id {node_id!r}") from None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def has_edge(self, edge: Edge) -> bool:
        return edge in self._edges

    def in_edges(self, node_id: str) -> list[Edge]:
        """Edges into `node_id`, sorted by port."""
        return list(self.sorted_in_edges(node_id))

    def sorted_in_edges(self, node_id: str) -> tuple[Edge, ...]:
        """`in_edges` as a shared tuple, sorted once per change of that node's inputs."""
        edges = self._in_sorted.get(node_id)
        if edges is None:
            edges = self._in.get(node_id, ())
            edges = tuple(sorted(edges, key=_PORT_SOURCE) if len(edges) > 1 else edges)
            if node_id in self._in:
                self._in_sorted[node_id] = edges
        return edges

    def out_edges(self, node_id: str) -> list[Edge]:
        return list(self._out.get(node_id, ()))

    def edges_into_port(self, node_id: str, port: int) -> list[Edge]:
        return [e for e in self._in.get(node_id, ()) if e.port == port]

    def sinks(self) -> list[str]:
        """Nodes whose output feeds nothing: the candidates for the graph's output."""
        return [n for n in self._nodes if not self._out.get(n)]

    def topological_order(self, among: Iterable[str] | None = None) -> tuple[str, ...]:
        """Every node after the nodes that feed it, and otherwise as early as its place in the
        document, so a document written in order reads back in that order (the narration's
        rule, and the order the evaluator computes and backpropagates in).

        With `among`, the same for those nodes alone, ordered by the edges among them.  Nodes on
        a cycle, or downstream of one, are left out: callers compare lengths to detect a cycle
        and ask networkx for the components only then.  The whole graph's order is computed
        once per structure version.
        """
        if among is not None:
            return self._ordered(among if isinstance(among, (set, frozenset, dict)) else set(among))
        if self._order_version != self.structure_version:
            self._order = self._ordered(None)
            self._order_version = self.structure_version
        return self._order

    def _ordered(self, members: Container[str] | None) -> tuple[str, ...]:
        """Kahn's algorithm, the ready node earliest in the document first (a heap of positions).

        A document whose edges all point forward is its own order: checking that is one pass,
        which makes the common case (files written in order, graphs built node by node) cheap."""
        ids = list(self._nodes) if members is None else [n for n in self._nodes if n in members]
        position = {n: k for k, n in enumerate(ids)}
        out = self._out
        if members is None:  # every edge counts: compared in C, a pass costs little at 200k edges
            at, edges = position.__getitem__, self._edges
            forward = all(map(operator.lt, map(at, map(_SOURCE, edges)), map(at, map(_TARGET, edges))))
        else:
            forward = all(position[e.source] < position[e.target]
                          for n in ids for e in out[n] if e.target in position)
        if forward:
            return tuple(ids)
        waiting = [0] * len(ids)
        for n in ids:
            for e in out[n]:
                k = position.get(e.target)
                if k is not None:
                    waiting[k] += 1
        ready = [k for k, w in enumerate(waiting) if w == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            n = ids[heapq.heappop(ready)]
            order.append(n)
            for e in out[n]:
                k = position.get(e.target)
                if k is not None:
                    waiting[k] -= 1
                    if waiting[k] == 0:
                        heapq.heappush(ready, k)
        return tuple(order)

    def reachable(self, start: str, upstream: bool = False) -> Iterator[str]:
        """`start`, then every node its output reaches (with `upstream`, every node that reaches
        it), each once, found as the walk goes so a caller can stop early.  Iterative, so a
        graph of any depth is fine."""
        adjacency, end = (self._in, "source") if upstream else (self._out, "target")
        seen, stack = {start}, [start]
        yield start
        while stack:
            for e in adjacency.get(stack.pop(), ()):
                n = getattr(e, end)
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
                    yield n

    def creates_cycle(self, source: str, target: str) -> bool:
        """Whether an edge source → target would close a cycle: target already reaches source."""
        return any(n == source for n in self.reachable(target))

    def fresh_id(self, stem: str, reserved: Container[str] = ()) -> str:
        """An id not yet used, nor in `reserved` (ids given out for nodes still to be added):
        `stem` itself if free, else stem2, stem3, ... (see `FreshIds`)."""
        return self._fresh_ids.fresh(stem, self._nodes, reserved)

    def fresh_annotation_id(self, stem: str) -> str:
        """An annotation id not yet used: stem1, stem2, ..."""
        i = 1
        while f"{stem}{i}" in self._annotations:
            i += 1
        return f"{stem}{i}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Graph):
            return NotImplemented
        return (
            self._output == other._output
            and list(self._nodes) == list(other._nodes)
            and all(_same_node(a, other._nodes[a.id]) for a in self._nodes.values())
            and sorted(self._edges) == sorted(other._edges)
            and list(self._annotations.values()) == list(other._annotations.values())
        )

    __hash__ = None  # type: ignore[assignment]

    # -- notification ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        if isinstance(change, STRUCTURAL):
            self.structure_version += 1
            self.journal.record(change, self.structure_version)
        for listener in list(self._listeners):
            listener(change)

    # -- mutation ----------------------------------------------------------------------

    def add_node(self, node: Node, index: int | None = None) -> Node:
        """Add `node`; with `index`, at that place in the node order (to undo a removal exactly)."""
        if node.id in self._nodes:
            raise GraphError(f"duplicate node id {node.id!r}")
        problem = label_problem(node.label)
        if problem:
            raise GraphError(f"node {node.id!r}: {problem}")
        self._nodes = _inserted(self._nodes, node.id, node, index)
        self._in.setdefault(node.id, [])
        self._out.setdefault(node.id, [])
        self._emit(NodeAdded(node))
        return node

    def remove_node(self, node_id: str) -> Node:
        """Remove a node and, first, every edge touching it (each announced)."""
        node = self.node(node_id)
        for edge in self.in_edges(node_id) + self.out_edges(node_id):
            if edge in self._edges:
                self.remove_edge(edge)
        if self._output == node_id:
            self.set_output(None)
        del self._nodes[node_id]
        self._in.pop(node_id, None)
        self._in_sorted.pop(node_id, None)
        self._out.pop(node_id, None)
        self._fresh_ids.forget(node_id)
        self._emit(NodeRemoved(node))
        return node

    def add_edge(self, edge: Edge, index: int | None = None) -> Edge:
        """Add an edge as given; checking whether it is sensible is `connection_problem`'s job.

        With `index`, the edge takes that place in the edge order (to undo a removal exactly)."""
        if edge.source not in self._nodes:
            raise GraphError(f"edge from unknown node {edge.source!r}")
        if edge.target not in self._nodes:
            raise GraphError(f"edge into unknown node {edge.target!r}")
        if edge in self._edges:
            raise GraphError(f"edge {edge.source} → {edge.target}:{edge.port} already exists")
        if index is None or index >= len(self._edges):
            self._edges[edge] = None
        else:
            edges = list(self._edges)
            edges.insert(index, edge)
            self._edges = dict.fromkeys(edges)
        self._out[edge.source].append(edge)
        self._in[edge.target].append(edge)
        self._in_sorted.pop(edge.target, None)
        self._emit(EdgeAdded(edge))
        return edge

    def remove_edge(self, edge: Edge) -> Edge:
        if edge not in self._edges:
            raise GraphError(f"no edge {edge.source} → {edge.target}:{edge.port}")
        del self._edges[edge]
        self._out[edge.source].remove(edge)
        self._in[edge.target].remove(edge)
        self._in_sorted.pop(edge.target, None)
        self._emit(EdgeRemoved(edge))
        return edge

    def move_node(self, node_id: str, pos: tuple[float, float] | None) -> None:
        node = self.node(node_id)
        if node.pos != pos:
            node.pos = pos
            self._emit(NodeMoved(node_id, pos))

    def set_value(self, node_id: str, value: float | None) -> None:
        node = self.node(node_id)
        if node.kind is NodeKind.OP:
            raise GraphError(f"node {node_id!r} is an op and has no value of its own")
        if not same_number(node.value, value):
            node.value = value
            self._emit(ValueChanged(node_id, value))

    def set_label(self, node_id: str, label: str) -> None:
        node = self.node(node_id)
        problem = label_problem(label)
        if problem:
            raise GraphError(f"node {node_id!r}: {problem}")
        if node.label != label:
            node.label = label
            self._emit(LabelChanged(node_id, label))

    def set_trainable(self, node_id: str, trainable: bool | None) -> None:
        """Flag a variable as a parameter (True), as data (False), or as its name says (None)."""
        node = self.node(node_id)
        if node.kind is not NodeKind.VARIABLE:
            raise GraphError(f"node {node_id!r} is not a variable and cannot be trained")
        if node.trainable != trainable:
            node.trainable = trainable
            self._emit(TrainableChanged(node_id, trainable))

    def rename_id(self, old: str, new: str) -> None:
        """Give node `old` the id `new`, its edges and the output following, in one call that
        checks first and so never leaves half a rename.  Announced as the node leaving and
        coming back at the same place with the same edges, which every listener understands."""
        node = self.node(old)
        if new in self._nodes:
            raise GraphError(f"duplicate node id {new!r}")
        order = list(self._nodes)
        edge_order = list(self._edges)
        touching = [(edge_order.index(e), e) for e in self.in_edges(old) + self.out_edges(old)]
        was_output = self._output == old
        self.remove_node(old)
        renamed = node.copy()
        renamed.id = new
        self.add_node(renamed, order.index(old))
        for index, e in sorted(touching):
            self.add_edge(Edge(new if e.source == old else e.source, new if e.target == old else e.target,
                               e.port), index)
        if was_output:
            self.set_output(new)

    def set_output(self, node_id: str | None) -> None:
        if node_id is not None:
            self.node(node_id)
        if self._output != node_id:
            old, self._output = self._output, node_id
            self._emit(OutputChanged(old, node_id))

    def add_annotation(self, annotation: Annotation, index: int | None = None) -> Annotation:
        """Add a note or arrow on top; with `index`, at that place (to undo a removal exactly)."""
        if annotation.id in self._annotations:
            raise GraphError(f"duplicate annotation id {annotation.id!r}")
        self._annotations = _inserted(self._annotations, annotation.id, annotation, index)
        self._emit(AnnotationAdded(annotation))
        return annotation

    def remove_annotation(self, ann_id: str) -> tuple[Annotation, int]:
        """Remove an annotation; returns it with the place it had (for undo)."""
        annotation = self.annotation(ann_id)
        index = list(self._annotations).index(ann_id)
        del self._annotations[ann_id]
        self._emit(AnnotationRemoved(annotation))
        return annotation, index

    def move_annotation(self, ann_id: str, points: tuple[Point, ...]) -> None:
        """Put a note at (pos,) or an arrow at (start, end)."""
        old = self.annotation(ann_id)
        new = old.with_points(tuple((float(x), float(y)) for x, y in points))
        if new != old:
            self._replace_annotation(new)

    def set_annotation_text(self, ann_id: str, text: str) -> None:
        old = self.annotation(ann_id)
        if old.kind != "note":
            raise GraphError(f"annotation {ann_id!r} is an arrow and has no text")
        if old.text != text:
            self._replace_annotation(replace(old, text=text))

    def _replace_annotation(self, annotation: Annotation) -> None:
        self._annotations[annotation.id] = annotation  # same key: the drawing order is kept
        self._emit(AnnotationChanged(annotation))

    def copy(self) -> "Graph":
        g = Graph()
        for node in self._nodes.values():
            g.add_node(node.copy())
        for edge in self._edges:
            g.add_edge(edge)
        g.set_output(self._output)
        for annotation in self._annotations.values():
            g.add_annotation(annotation)
        return g


_SOURCE = operator.attrgetter("source")
_TARGET = operator.attrgetter("target")
_PORT_SOURCE = operator.attrgetter("port", "source")


def _same_node(a: Node, b: Node) -> bool:
    return (
        a.id == b.id and a.kind == b.kind and a.label == b.label and a.op == b.op
        and same_number(a.value, b.value) and a.pos == b.pos and a.extra == b.extra
        and is_trainable(a) == is_trainable(b)
    )


def _inserted(mapping: dict, key, value, index: int | None) -> dict:
    """`mapping` with `key` added last, or at place `index` of its order (undoing a removal
    exactly); appending changes the dict in place, inserting builds a new one."""
    if index is None or index >= len(mapping):
        mapping[key] = value
        return mapping
    items = list(mapping.items())
    items.insert(index, (key, value))
    return dict(items)

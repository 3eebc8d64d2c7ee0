"""The computational graph: nodes, per-port edges, the chosen output, and change notification.

The graph is the single source of truth.  It holds only what a document says (no computed
values), so it can hold an invalid state that a file described; `validate` reports what is
wrong.  Every mutation is announced to subscribers as one `Change`, which lets the editor
mirror the graph without polling and lets the evaluator drop its caches precisely.
"""

from __future__ import annotations

import operator
from collections import deque
from typing import Callable, Container, Iterable, Iterator

from cgeditor.model.annotation_layer import AnnotationLayer
from cgeditor.model.graph_blocks import BlockHolder
from cgeditor.model.changes import (ANNOTATION_CHANGES, BLOCK_CHANGES, STRUCTURAL, AnnotationAdded,  # noqa: F401
                                    AnnotationChanged, AnnotationRemoved, BlockChanged, BlockDefined,
                                    BlockRemoved, Change, EdgeAdded, EdgeRemoved, Journal, LabelChanged,
                                    NodeAdded, NodeMoved, NodeRemoved, OutputChanged, TrainableChanged,
                                    ValueChanged, ValueLog)
from cgeditor.model.fresh_ids import FreshIds
from cgeditor.model.graph_order import document_order
from cgeditor.model.inserted import inserted
from cgeditor.model.node import (LINE_BREAKS, MAX_ID_LENGTH, Edge, GraphError, Node, NodeKind,  # noqa: F401
                                 is_generated_id, is_trainable, label_problem, same_node, trainable_by_name, usable_id)
from cgeditor.model.numbers import same_number
from cgeditor.model.ops import OPS, Op


class Graph(AnnotationLayer, BlockHolder):
    """Nodes by id in insertion order, edges in insertion order, and an optional output."""

    def __init__(self) -> None:
        AnnotationLayer.__init__(self)
        self._nodes: dict[str, Node] = {}
        self._edges: dict[Edge, None] = {}
        self._in: dict[str, list[Edge]] = {}
        self._out: dict[str, list[Edge]] = {}
        self._in_sorted: dict[str, tuple[Edge, ...]] = {}  # in_edges cache: planning asks for every node
        self._sinks: set[str] = set()  # nodes feeding nothing, kept as edges come and go
        self._output: str | None = None
        self._listeners: list[Callable[[Change], None]] = []
        self.structure_version = 0  # bumped on every structural change; caches key on it
        self.journal = Journal()  # what each structural change touched (incremental re-planning)
        self.value_log = ValueLog()  # which values were set (incremental forward passes)
        self._order: tuple[str, ...] = ()
        self._order_version = -1
        self._fresh_ids = FreshIds()
        BlockHolder.__init__(self)

    def take_checked(self, nodes: dict[str, Node], edges: dict[Edge, None]) -> None:
        """Give this graph, which has no nodes yet, `nodes` (by id, in order) and `edges` (in
        order), taken as they are and built in one pass without announcing each: for a loader
        that has already checked what `add_node` and `add_edge` check (labels, unique ids,
        known ends, unique edges).  Nobody listens to a graph being loaded, and a Change per
        item was most of the cost of loading."""
        if self._nodes:
            raise GraphError("take_checked fills an empty graph")
        ins: dict[str, list[Edge]] = {n: [] for n in nodes}
        outs: dict[str, list[Edge]] = {n: [] for n in nodes}
        # each edge appended to its source's and its target's list, in C (a loop in Python was
        # a tenth of loading a 300,000-edge file)
        deque(map(list.append, map(outs.__getitem__, map(_SOURCE, edges)), edges), 0)
        deque(map(list.append, map(ins.__getitem__, map(_TARGET, edges)), edges), 0)
        self._nodes, self._edges, self._in, self._out = nodes, edges, ins, outs
        self._sinks = {n for n, out in outs.items() if not out}
        self.structure_version += 1  # caches keyed on the version see a new structure,
        self.journal.restart(self.structure_version)  # and nothing re-plans from an older one
        self.value_log.restart()

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
            if len(edges) == 2:  # most op nodes: one comparison, as the stable sort would order them
                a, b = edges
                edges = (a, b) if a.port < b.port or (a.port == b.port and a.source <= b.source) else (b, a)
            else:
                edges = tuple(sorted(edges, key=_PORT_SOURCE) if len(edges) > 1 else edges)
            if node_id in self._in:
                self._in_sorted[node_id] = edges
        return edges

    def out_edges(self, node_id: str) -> list[Edge]:
        return list(self._out.get(node_id, ()))

    def edges_into_port(self, node_id: str, port: int) -> list[Edge]:
        return [e for e in self._in.get(node_id, ()) if e.port == port]

    def sinks(self) -> list[str]:
        """Nodes whose output feeds nothing, in document order: the candidates for the graph's
        output.  Known without a walk when there is at most one (resolving the output of a
        large graph is asked after every edit)."""
        if len(self._sinks) <= 1:
            return list(self._sinks)
        return [n for n in self._nodes if n in self._sinks]

    def topological_order(self, among: Iterable[str] | None = None) -> tuple[str, ...]:
        """Every node after the nodes that feed it, and otherwise as early as its place in the
        document, so a document written in order reads back in that order (the narration's
        rule, and the order the evaluator computes and backpropagates in).

        With `among`, the same for those nodes alone, ordered by the edges among them.  Nodes on
        a cycle, or downstream of one, are left out: callers compare lengths to detect a cycle
        and look for the components (model/rings) only then.  The whole graph's order is computed
        once per structure version.
        """
        if among is not None:
            members = among if isinstance(among, (set, frozenset, dict)) else set(among)
            return document_order([n for n in self._nodes if n in members], self._out, None, members)
        if self._order_version != self.structure_version:
            self._order = document_order(list(self._nodes), self._out, self._edges, None)
            self._order_version = self.structure_version
        return self._order

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

    def op(self, name: str | None) -> Op | None:
        """The op an op node named `name` computes: the registry's, else the one made from the
        document's block of that name (None if neither): the one lookup for a graph's nodes."""
        return OPS.get(name) or self.blocks.op(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Graph):
            return NotImplemented
        return self.same_contents(other) and self.blocks == other.blocks

    def same_contents(self, other: "Graph") -> bool:
        """Equal nodes, edges, output and annotations, blocks aside."""
        return (
            self._output == other._output
            and list(self._nodes) == list(other._nodes)
            and all(same_node(a, other._nodes[a.id]) for a in self._nodes.values())
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
        self._nodes = inserted(self._nodes, node.id, node, index)
        self._in.setdefault(node.id, [])
        self._out.setdefault(node.id, [])
        self._sinks.add(node.id)
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
        self._sinks.discard(node_id)
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
        self._sinks.discard(edge.source)
        self._in[edge.target].append(edge)
        self._in_sorted.pop(edge.target, None)
        self._emit(EdgeAdded(edge))
        return edge

    def remove_edge(self, edge: Edge) -> Edge:
        if edge not in self._edges:
            raise GraphError(f"no edge {edge.source} → {edge.target}:{edge.port}")
        del self._edges[edge]
        self._out[edge.source].remove(edge)
        if not self._out[edge.source]:
            self._sinks.add(edge.source)
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
            self.value_log.record(node_id)
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

    def copy(self) -> "Graph":
        g = self.copy_contents()
        for block in self.blocks:
            g.define_block(block.copy())
        return g

    def copy_contents(self) -> "Graph":
        """A copy of the nodes, edges, output and annotations, with an empty library."""
        g = Graph()
        for node in self._nodes.values():
            g.add_node(node.copy())
        for edge in self._edges:
            g.add_edge(edge)
        g.set_output(self._output)
        for annotation in self._annotations.values():
            g.add_annotation(annotation)
        return g


_PORT_SOURCE = operator.attrgetter("port", "source")
_SOURCE, _TARGET = operator.attrgetter("source"), operator.attrgetter("target")

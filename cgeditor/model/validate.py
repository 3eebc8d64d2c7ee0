"""Validation: every problem in a graph at once, each naming the node it belongs to.

The editor marks each problem on its owner (the canvas and the inspector read the same
`owners`) and on the edges it involves, the CLI prints the messages, and the evaluator refuses
an invalid graph with the same list.  The connection rules live here too: `connection_problem`
answers the narrower question the editor asks while a wire is being dragged, and
`new_node_problem` and `insertion_problem` the ones it asks before wiring a node in.
"""

from __future__ import annotations

from enum import Enum
from operator import attrgetter

from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS
from cgeditor.model.records import Frozen
from cgeditor.model.rings import rings


class ProblemCode(str, Enum):
    CYCLE = "cycle"
    UNCONNECTED_PORT = "unconnected_port"
    PORT_CONNECTED_TWICE = "port_connected_twice"
    PORT_BEYOND_ARITY = "port_beyond_arity"
    EDGE_INTO_LEAF = "edge_into_leaf"
    UNKNOWN_OP = "unknown_op"
    MISSING_VALUE = "missing_value"
    BROKEN_BLOCK = "broken_block"  # an instance of a block whose inside cannot be computed


# Problems that leave their owner uncomputable (a leaf with an edge into it still has its value;
# a cycle leaves out its members by having no topological order).
UNCOMPUTABLE = frozenset({ProblemCode.UNKNOWN_OP, ProblemCode.UNCONNECTED_PORT,
                          ProblemCode.PORT_CONNECTED_TWICE, ProblemCode.PORT_BEYOND_ARITY,
                          ProblemCode.MISSING_VALUE, ProblemCode.BROKEN_BLOCK})


class Problem(Frozen):
    """One problem, read-only (see `records`)."""

    __slots__ = ("code", "message", "owners", "edges", "port")

    code: ProblemCode
    message: str
    owners: tuple[str, ...]  # the node the problem belongs to; every member, for a cycle
    edges: tuple[Edge, ...]  # the edges at fault (marked on the canvas)
    port: int | None  # the owner's input port concerned, if one is

    def __init__(self, code: ProblemCode, message: str, owners: tuple[str, ...], edges: tuple[Edge, ...] = (),
                 port: int | None = None) -> None:
        self._set(code, message, owners, edges, port)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node involved: the ends of the edges at fault, then any owner not among them."""
        ends = dict.fromkeys(n for e in self.edges for n in (e.source, e.target))
        return (*ends, *(n for n in self.owners if n not in ends))

    def __str__(self) -> str:
        return self.message


class InvalidGraphError(ValueError):
    """Raised when a graph with problems is evaluated; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0].message if problems else "invalid graph"
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        super().__init__(first + more)


def validate(graph: Graph) -> list[Problem]:
    problems: list[Problem] = []
    op_kind = NodeKind.OP
    for node in graph:
        found = _op_node_problems(graph, node.id, node.op) if node.kind is op_kind else node_problems(graph, node)
        if found:
            problems += found
    problems += cycle_problems(graph)
    return problems


def node_problems(graph: Graph, node: Node) -> list[Problem]:
    """The problems owned by one node, cycles aside: they depend on the node and its in-edges only."""
    if node.kind is NodeKind.OP:
        return _op_node_problems(graph, node.id, node.op)
    problems = []
    for e in graph.sorted_in_edges(node.id):
        problems.append(Problem(
            ProblemCode.EDGE_INTO_LEAF,
            f"edge {e.source} → {node.id}: {node.id} is a {node.kind.value} and takes no inputs",
            (node.id,), (e,), e.port))
    if node.value is None or not isinstance(node.value, float):
        problems.append(Problem(ProblemCode.MISSING_VALUE, f"{node.kind.value} {node.id} has no value", (node.id,)))
    return problems


def _op_node_problems(graph: Graph, node_id: str, op_name: str | None) -> list[Problem]:
    # `graph.op`, split: a registry op (nearly every node) costs one look-up, and only a
    # block's instance asks whether the block's inside can be computed.
    op = OPS.get(op_name)
    instance = op is None
    if instance:
        op = graph.blocks.op(op_name)
        if op is None:
            return [Problem(ProblemCode.UNKNOWN_OP, f"node {node_id}: unknown op {op_name!r}", (node_id,))]
    in_edges = graph.sorted_in_edges(node_id)
    n = len(in_edges)
    # The common case, checked cheaply: ports 0..n-1 wired once each, n within the op's arity.
    if n >= op.min_arity and (op.max_arity is None or n == op.max_arity) and (
            (in_edges[0].port == 0 and in_edges[-1].port == n - 1) if 0 < n <= 2  # sorted by port
            else list(map(_PORT, in_edges)) == list(range(n))):
        return _block_problems(graph, node_id, op_name) if instance else []
    problems = _block_problems(graph, node_id, op_name) if instance else []
    by_port: dict[int, list[Edge]] = {}
    for e in in_edges:
        by_port.setdefault(e.port, []).append(e)
    # A variadic op takes as many ports as are wired, but never fewer than its minimum.
    arity = max(op.min_arity, max(by_port, default=-1) + 1) if op.variadic else op.max_arity
    for port, edges in sorted(by_port.items()):
        if port < 0 or port >= arity:
            for e in edges:
                problems.append(Problem(
                    ProblemCode.PORT_BEYOND_ARITY,
                    f"node {node_id}: port {port} is beyond {op.name}'s {arity} input"
                    f"{'s' if arity != 1 else ''} (edge from {e.source})",
                    (node_id,), (e,), port))
        elif len(edges) > 1:
            sources = _names([e.source for e in edges])
            problems.append(Problem(
                ProblemCode.PORT_CONNECTED_TWICE,
                f"node {node_id}: input {op.port_name(port)} is connected twice (from {sources})",
                (node_id,), tuple(edges), port))
    missing = [port for port in range(arity) if port not in by_port]
    for first, last in _runs(missing) if op.variadic else [(p, p) for p in missing]:
        which = (f"input {op.port_name(first)}" if first == last
                 else f"inputs {op.port_name(first)}–{op.port_name(last)}")
        problems.append(Problem(
            ProblemCode.UNCONNECTED_PORT,
            f"node {node_id}: {which} of {op.name} {'is' if first == last else 'are'} not connected",
            (node_id,), (), first))
    return problems


def _block_problems(graph: Graph, node_id: str, name: str) -> list[Problem]:
    """An instance of a block whose inside cannot be computed cannot be computed either."""
    inside = graph.blocks.problem(name)
    if inside is None:
        return []
    return [Problem(ProblemCode.BROKEN_BLOCK, f"node {node_id}: block {name} is broken inside: {inside}", (node_id,))]


def _names(ids: tuple[str, ...] | list[str], shown: int = 10) -> str:
    """Node ids for a message, the first `shown` of them: a cycle through 200,000 nodes must
    still be a line someone reads (the problem's `nodes` keeps every one)."""
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} and {len(ids) - shown:,} more"


_PORT = attrgetter("port")


def _runs(ports: list[int]) -> list[tuple[int, int]]:
    """Consecutive ports as (first, last), so a variadic op wired at port 100,000 is one problem."""
    runs: list[tuple[int, int]] = []
    for port in ports:
        if runs and runs[-1][1] == port - 1:
            runs[-1] = (runs[-1][0], port)
        else:
            runs.append((port, port))
    return runs


def cycle_problems(graph: Graph) -> list[Problem]:
    """One problem per strongly connected component that forms a cycle (or a self-loop).

    Only the nodes a topological order leaves out can be on a cycle, and almost every graph
    evaluated has none, so the components are looked for (model/rings.py) only then."""
    ordered = graph.topological_order()
    if len(ordered) == len(graph):
        return []
    acyclic = set(ordered)
    left = [n for n in graph.nodes if n not in acyclic]
    found = rings(left, lambda n: [e.target for e in graph.out_edges(n)])
    which = {n: k for k, ring in enumerate(found) for n in ring}
    ring_edges: list[list[Edge]] = [[] for _ in found]
    for e in graph.edges:
        k = which.get(e.source)
        if k is not None and which.get(e.target) == k:
            ring_edges[k].append(e)
    return [Problem(ProblemCode.CYCLE, f"cycle through {_names(ring)}", tuple(ring), tuple(edges))
            for ring, edges in zip(found, ring_edges)]


def connection_problem(graph: Graph, source: str, target: str, port: int) -> str | None:
    """Why a wire from `source`'s output into `target`'s input `port` is refused, or None.

    An occupied port is not a problem: the editor replaces the old edge.
    """
    if source not in graph or target not in graph:
        return "both ends must be nodes of the graph"
    reason = _port_problem(graph, target, port)
    if reason is not None:
        return reason
    if graph.has_edge(Edge(source, target, port)):
        return "that wire is already there"
    if source == target:
        label = graph.node(target).label
        return f"a node cannot feed itself ({label} → {label})"
    return _cycle_problem(graph, source, target)


def new_node_problem(graph: Graph, source: str | None, target: str, port: int) -> str | None:
    """Why a new op node, fed by `source` (or by nothing), could not feed `target`'s input
    `port`, or None.  A cycle through the new node closes exactly when target reaches source."""
    reason = _port_problem(graph, target, port)
    if reason is None and source is not None:
        reason = _cycle_problem(graph, source, target)
    return reason


def insertion_problem(graph: Graph, node_id: str, edge: Edge) -> str | None:
    """Why node `node_id` cannot go into `edge`, or None: only an unconnected op can."""
    node = graph.node(node_id)
    if node.kind is not NodeKind.OP:
        return f"{node.label} is a {node.kind.value}: only an op can go into a wire"
    if graph.in_edges(node_id) or graph.out_edges(node_id):
        return f"{node.label} is already wired: only an unconnected node goes into a wire"
    if not graph.has_edge(edge):
        return "that wire is gone"
    return None


def _port_problem(graph: Graph, target: str, port: int) -> str | None:
    """Why `target`'s input `port` can take no wire at all, or None."""
    tnode = graph.node(target)
    if tnode.kind is not NodeKind.OP:
        return f"{tnode.label} is a {tnode.kind.value} and takes no inputs"
    op = graph.op(tnode.op)
    if op is None:
        return f"{tnode.label} has an unknown op {tnode.op!r}"
    if port < 0 or (op.max_arity is not None and port >= op.max_arity):
        return f"{op.name} has no input {port}"
    return None


def _cycle_problem(graph: Graph, source: str, target: str) -> str | None:
    if graph.creates_cycle(source, target):
        return f"connecting {graph.node(source).label} → {graph.node(target).label} would create a cycle"
    return None

"""Edits that move nodes into and out of blocks, as pure functions returning new data.

`flatten` returns a new graph; `group`, `ungroup` and `make_unique` return a `Rewrite` (what
to remove, add and rewire), which the editor turns into one undo step and `apply_rewrite`
performs on a graph directly.  None of them changes the graph it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Iterable

from cgeditor.model.blocks import Block
from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind

Place = Callable[[tuple[float, float] | None], tuple[float, float] | None]


@dataclass
class Rewrite:
    """Remove `removed` (with every edge touching them), define `block` if given, add `nodes`
    where the first removed node stood in the document, add `edges`, and make `output` the
    graph's output if it is not None."""

    removed: list[str]
    nodes: list[Node]
    edges: list[Edge]
    block: Block | None = None
    output: str | None = None
    at: int | None = field(default=None)  # document position of the added nodes

    @property
    def instance(self) -> Node:
        """The instance node a `group` or `make_unique` adds."""
        return self.nodes[0]


def apply_rewrite(graph: Graph, rewrite: Rewrite) -> None:
    if rewrite.block is not None:
        graph.define_block(rewrite.block)
    for node_id in rewrite.removed:
        graph.remove_node(node_id)
    for k, node in enumerate(rewrite.nodes):
        graph.add_node(node, None if rewrite.at is None else rewrite.at + k)
    for edge in rewrite.edges:
        graph.add_edge(edge)
    if rewrite.output is not None:
        graph.set_output(rewrite.output)


def is_instance(graph: Graph, node: Node) -> bool:
    return node.kind is NodeKind.OP and node.op in graph.blocks


def block_output(block: Block) -> str:
    """The body's returned node: its output, else its only sink."""
    if block.body.output is not None:
        return block.body.output
    sinks = block.body.sinks()
    if len(sinks) != 1:
        raise GraphError(f"block {block.name!r} has no output chosen")
    return sinks[0]


# -- flatten --------------------------------------------------------------------------------


def flatten(graph: Graph, expanded: Collection[str] | None = None) -> Graph:
    """`graph` with every instance expanded, recursively, and no blocks: an inside node's id
    is `<instance id>/<inner id>` (`h1/z`, `h1/n2/z`), its label kept, its position placed
    around the instance's.  A param takes the node wired into its port (an unwired one stays,
    as a variable).  `expanded`: write out only the instances at these paths (`h1`, `h1/n2`;
    an inner one only with its outer one), the others staying instances of the library, shared."""
    out = Graph()
    if expanded is not None:
        out.blocks = graph.blocks
    wanted = (lambda path: True) if expanded is None else frozenset(expanded).__contains__
    edges: list[Edge] = []
    flat = _expand(graph, "", {}, lambda pos: pos, out, edges, wanted)
    for edge in edges:
        out.add_edge(edge)
    out.set_output(flat.get(graph.output) if graph.output is not None else None)
    for annotation in graph.annotations:
        out.add_annotation(annotation)
    return out


def _expand(g: Graph, prefix: str, bindings: dict[str, str], place: Place, out: Graph,
            edges: list[Edge], wanted: Callable[[str], bool]) -> dict[str, str]:
    flat = _flat_ids(g, prefix, bindings, wanted)
    for node in g:
        if node.id in bindings:
            continue
        if is_instance(g, node) and wanted(prefix + node.id):
            block = g.blocks[node.op]
            _expand(block.body, f"{prefix}{node.id}/", _bindings(g, node.id, block, flat),
                    _placer(block.body, place(node.pos)), out, edges, wanted)
            continue
        copy = node.copy()
        copy.id, copy.pos = flat[node.id], place(node.pos)
        out.add_node(copy)
    edges += [Edge(flat[e.source], flat[e.target], e.port) for e in g.edges
              if e.target not in bindings and not (is_instance(g, g.nodes[e.target]) and wanted(prefix + e.target))]
    return flat


def _flat_ids(g: Graph, prefix: str, bindings: dict[str, str], wanted: Callable[[str], bool]) -> dict[str, str]:
    """Each node of `g` → the id of the flattened node giving its value (an instance's is its
    inside's output's)."""
    flat: dict[str, str] = {}
    order = list(g.topological_order())
    if len(order) != len(g):  # a cycle: its members come last, their instances' ports unbound
        done = set(order)
        order += [n for n in g.nodes if n not in done]
    for node_id in order:
        node = g.nodes[node_id]
        if node_id in bindings:
            flat[node_id] = bindings[node_id]
        elif is_instance(g, node) and wanted(prefix + node_id):
            block = g.blocks[node.op]
            inner = _flat_ids(block.body, f"{prefix}{node_id}/", _bindings(g, node_id, block, flat), wanted)
            flat[node_id] = inner[block_output(block)]
        else:
            flat[node_id] = prefix + node_id
    return flat


def _bindings(g: Graph, instance_id: str, block: Block, known: dict[str, str]) -> dict[str, str]:
    """Param → what feeds its port (in `known`'s ids), for the wired ports."""
    sources = {}
    for e in g.sorted_in_edges(instance_id):
        if e.port < len(block.params) and e.source in known:
            sources.setdefault(block.params[e.port], known[e.source])
    return sources


def _placer(body: Graph, anchor: tuple[float, float] | None) -> Place:
    """Inside positions moved so the body's centre sits on `anchor` (none without one)."""
    spots = [n.pos for n in body if n.pos is not None]
    if anchor is None or not spots:
        return lambda pos: None
    cx = (min(p[0] for p in spots) + max(p[0] for p in spots)) / 2
    cy = (min(p[1] for p in spots) + max(p[1] for p in spots)) / 2
    return lambda pos: None if pos is None else (anchor[0] + pos[0] - cx, anchor[1] + pos[1] - cy)


# -- group, ungroup, make unique ------------------------------------------------------------


def group(graph: Graph, node_ids: Iterable[str], name: str) -> Rewrite:
    """The selection as a new block `name` and one instance of it in its place: a param per
    node outside feeding the selection (named after it where it can be), the returned node the
    one feeding the rest of the graph (or the selection's only sink).  Refused when more than
    one selected node feeds the outside, or there is no single sink to return."""
    selected = [n for n in graph.nodes if n in set(node_ids)]
    chosen = set(selected)
    if not selected:
        raise GraphError("select the nodes to group first")
    missing = set(node_ids) - chosen
    if missing:
        raise GraphError(f"no node with id {sorted(missing)[0]!r}")
    ret = _returned(graph, selected, chosen)
    params: dict[str, str] = {}  # outside source → param id
    body = Graph()
    body.blocks = graph.blocks
    for e in graph.edges:
        if e.target in chosen and e.source not in chosen and e.source not in params:
            params[e.source] = _param_name(e.source, chosen, params.values())
    for source, param in params.items():
        body.add_node(Node(param, NodeKind.VARIABLE, graph.nodes[source].label, pos=graph.nodes[source].pos))
    for node_id in selected:
        body.add_node(graph.nodes[node_id].copy())
    for e in graph.edges:
        if e.target in chosen:
            body.add_edge(Edge(params.get(e.source, e.source), e.target, e.port))
    body.set_output(ret)
    block = Block(name, tuple(params.values()), body)
    instance = Node(graph.fresh_id(name), NodeKind.OP, op=name, pos=_centre(graph, selected))
    wiring = [Edge(source, instance.id, port) for port, source in enumerate(params)]
    wiring += [Edge(instance.id, e.target, e.port) for e in graph.out_edges(ret) if e.target not in chosen]
    return Rewrite(selected, [instance], wiring, block, instance.id if graph.output in chosen else None,
                   list(graph.nodes).index(selected[0]))


def _returned(graph: Graph, selected: list[str], chosen: set[str]) -> str:
    feeding = [n for n in selected if n == graph.output or any(e.target not in chosen for e in graph.out_edges(n))]
    if len(feeding) > 1:
        raise GraphError(f"the selection has more than one output ({', '.join(feeding[:5])}): "
                         "a block returns one value")
    if feeding:
        return feeding[0]
    sinks = [n for n in selected if not any(e.target in chosen for e in graph.out_edges(n))]
    if len(sinks) != 1:
        raise GraphError(f"the selection has more than one output ({', '.join(sinks[:5])}): "
                         "a block returns one value")
    return sinks[0]


def _param_name(source: str, taken: set[str], used: Iterable[str]) -> str:
    used = set(used)
    if source.isidentifier() and source not in taken and source not in used:
        return source
    k = 1
    while f"in{k}" in taken or f"in{k}" in used:
        k += 1
    return f"in{k}"


def _centre(graph: Graph, node_ids: list[str]) -> tuple[float, float] | None:
    spots = [graph.nodes[n].pos for n in node_ids if graph.nodes[n].pos is not None]
    if not spots:
        return None
    return (sum(p[0] for p in spots) / len(spots), sum(p[1] for p in spots) / len(spots))


def ungroup(graph: Graph, instance_id: str) -> Rewrite:
    """The instance's inside written back into the graph in its place (one level: instances
    inside stay instances), each inner node under a fresh id close to its own."""
    node = graph.node(instance_id)
    if not is_instance(graph, node):
        raise GraphError(f"{instance_id!r} is not an instance of a block")
    block = graph.blocks[node.op]
    body, place = block.body, _placer(block.body, node.pos)
    ids = {n: n for n in graph.nodes}
    bound = _bindings(graph, instance_id, block, ids)
    new: dict[str, str] = dict(bound)
    reserved: set[str] = set()
    nodes = []
    for inner in body:
        if inner.id in bound:
            continue
        copy = inner.copy()
        copy.id = new[inner.id] = graph.fresh_id(inner.id, reserved)
        copy.pos = place(inner.pos)
        reserved.add(copy.id)
        nodes.append(copy)
    ret = new[block_output(block)]
    edges = [Edge(new[e.source], new[e.target], e.port) for e in body.edges if e.target not in bound]
    edges += [Edge(ret, e.target, e.port) for e in graph.out_edges(instance_id)]
    return Rewrite([instance_id], nodes, edges, None, ret if graph.output == instance_id else None,
                   list(graph.nodes).index(instance_id))


def make_unique(graph: Graph, instance_id: str, new_name: str) -> Rewrite:
    """A copy of the instance's block under `new_name`, used by this instance alone, so
    editing its inside leaves the other instances as they are."""
    node = graph.node(instance_id)
    if not is_instance(graph, node):
        raise GraphError(f"{instance_id!r} is not an instance of a block")
    block = graph.blocks[node.op].copy()
    block.name = new_name
    instance = node.copy()
    instance.op = new_name
    edges = graph.in_edges(instance_id) + graph.out_edges(instance_id)
    return Rewrite([instance_id], [instance], edges, block, instance_id if graph.output == instance_id else None,
                   list(graph.nodes).index(instance_id))

"""Stepping into expanded instances: the walk goes over the graph with the expanded instances
written out (`block_edits.flatten(graph, expanded)`), so their insides are stepped through node
by node, while a collapsed instance stays one step; each state of that walk is then split back
into what each level shows: the document's canvas ("") and each expanded instance's frame
("h1", "h1/n2" for an instance expanded inside h1's frame).

A node written out is named by its path (`h1/z`, its label `h⁽¹⁾₁/z`), so the narration says
which instance's z it means.  A flat node can stand for several drawn ones: an instance's
output is also the instance node one level up, and a param bound to a node outside is that
node.  Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from cgeditor.model.block_edits import block_output, flatten, is_instance
from cgeditor.model.evaluate import evaluate
from cgeditor.model.evaluation import Evaluation
from cgeditor.model.graph import Edge, Graph, GraphError
from cgeditor.model.teaching.view_state import TeachingState

TOP = ""  # the level of the document's own nodes

Spot = tuple[str, str]  # (level, node id there)


def parent(path: str) -> str:
    return path.rpartition("/")[0]


def last(path: str) -> str:
    return path.rpartition("/")[2]


def level_graph(graph: Graph, path: str) -> Graph | None:
    """The graph drawn at `path`: the document's at the top, else the body of the instance at
    `path` (None when there is no instance there)."""
    g = graph
    for part in path.split("/") if path else ():
        node = g.nodes.get(part)
        if node is None or not is_instance(g, node):
            return None
        g = g.blocks[node.op].body
    return g


def expandable(graph: Graph, paths: Iterable[str]) -> tuple[str, ...]:
    """Of `paths`, those naming an instance whose outer instances are expanded too, outer first."""
    chosen = set(paths)
    kept = []
    for path in sorted(chosen, key=lambda p: p.count("/")):
        if (parent(path) == TOP or parent(path) in kept) and level_graph(graph, path) is not None:
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Split:
    """One walk state as the levels show it: `top` for the canvas (with the walk's callout and
    lines), `frames` for the expanded instances, each with its own current node and edge."""

    top: TeachingState
    frames: dict[str, TeachingState]

    def step_level(self) -> str:
        """Where the current step happens: the innermost level with its edge, else the innermost
        with its node (an instance's output is its node one level up too, but its steps are
        the inside's), else the canvas."""
        levels = [(TOP, self.top), *self.frames.items()]
        for has in (lambda s: s.current_edge is not None, lambda s: s.current_node is not None):
            found = [path for path, s in levels if has(s)]
            if found:
                return max(found, key=lambda p: -1 if p == TOP else p.count("/"))
        return TOP


class ExpandedView:
    """The document graph with instances at `expanded` written out, its evaluation, and where
    each of its nodes and edges is drawn."""

    def __init__(self, graph: Graph, evaluation: Evaluation, expanded: Iterable[str] = ()):
        self.expanded = expandable(graph, expanded)
        self._levels = {path: level_graph(graph, path) for path in (TOP, *self.expanded)}
        if not self.expanded:
            self.graph, self.evaluation = graph, evaluation
            self._spots: dict[str, list[Spot]] = {}
            return
        self.graph = flatten(graph, self.expanded)
        self._spots = {}
        for path, g in self._levels.items():
            for node in g:
                self._spots.setdefault(self.flat_id(path, node.id), []).append((path, node.id))
        self._relabel()
        output = evaluation.output
        try:
            self.evaluation = evaluate(self.graph, self.flat_id(TOP, output) if output is not None else None,
                                       strict=False)
        except (GraphError, ValueError):  # the document's own evaluation says why
            self.evaluation = evaluation

    def flat_id(self, path: str, node_id: str) -> str:
        """The id of the node of the written-out graph that gives `node_id`'s value at level `path`."""
        if path != TOP:
            block = self._block(path)
            if node_id in block.params:
                up = self._levels[parent(path)]
                port = block.params.index(node_id)
                source = next((e.source for e in up.sorted_in_edges(last(path)) if e.port == port), None)
                if source is not None:
                    return self.flat_id(parent(path), source)
        inner = f"{path}/{node_id}" if path else node_id
        if inner in self._levels:
            return self.flat_id(inner, block_output(self._block(inner)))
        return inner

    def _block(self, path: str):
        up = self._levels[parent(path)]
        return up.blocks[up.nodes[last(path)].op]

    def _relabel(self) -> None:
        """A written-out node reads with its instance's label in front: h⁽¹⁾₁/z."""
        for path in self.expanded:
            prefix = self._label_path(path)
            for node in self._levels[path]:
                flat = f"{path}/{node.id}"
                if flat in self.graph.nodes:
                    self.graph.set_label(flat, f"{prefix}/{node.label}")

    def _label_path(self, path: str) -> str:
        up = self._levels[parent(path)].nodes[last(path)].label or last(path)
        return up if parent(path) == TOP else f"{self._label_path(parent(path))}/{up}"

    # -- where things are drawn ---------------------------------------------------------------

    def spots(self, flat_id: str) -> list[Spot]:
        """Every drawn node standing for `flat_id`, outermost first."""
        return self._spots.get(flat_id, [(TOP, flat_id)])

    def edge_spots(self, edge: Edge) -> list[tuple[str, Edge]]:
        """The drawn edges the flat `edge` is: the edge into its target where the target is drawn
        as itself, and, where that edge leaves a param, the edge into the instance's port above."""
        own = [s for s in self.spots(edge.target) if self._is_own(*s)]
        if not own:
            return [(TOP, edge)]
        path, target = own[-1]
        found = []
        while True:
            g = self._levels[path]
            drawn = next((e for e in g.sorted_in_edges(target) if e.port == edge.port), None)
            if drawn is None:
                break
            found.append((path, drawn))
            if path == TOP or drawn.source not in self._block(path).params:
                break
            port = self._block(path).params.index(drawn.source)
            path, target, edge = parent(path), last(path), Edge(drawn.source, last(path), port)
        return found[::-1]

    def _is_own(self, path: str, node_id: str) -> bool:
        inner = f"{path}/{node_id}" if path else node_id
        return inner not in self._levels and not self._is_param(path, node_id)

    def _is_param(self, path: str, node_id: str) -> bool:
        return path != TOP and node_id in self._block(path).params

    def hidden(self, node_ids: frozenset[str]) -> frozenset[str]:
        """The quiz's hidden canvas nodes as walked: an expanded instance is its inside's output."""
        return frozenset(self.flat_id(TOP, n) for n in node_ids if n in self._levels[TOP].nodes)

    def split(self, state: TeachingState) -> Split:
        if not self.expanded:
            return Split(state, {})
        values: dict[str, set[str]] = {p: set() for p in self._levels}
        grads: dict[str, dict] = {p: {} for p in self._levels}
        edges: dict[str, set[Edge]] = {p: set() for p in self._levels}
        current_node: dict[str, str] = {}
        current_edge: dict[str, Edge] = {}
        for flat in state.values:
            for path, node in self.spots(flat):
                values[path].add(node)
        for flat, shown in state.grads.items():
            for path, node in self.spots(flat):
                grads[path][node] = shown
        for edge in state.edges:
            for path, drawn in self.edge_spots(edge):
                edges[path].add(drawn)
        if state.current_node is not None:  # not on the params it is bound to: the step is not theirs
            for path, node in self.spots(state.current_node):
                if not self._is_param(path, node):
                    current_node[path] = node
        if state.current_edge is not None:
            for path, drawn in self.edge_spots(state.current_edge):
                current_edge[path] = drawn

        def at(path: str) -> TeachingState:
            return replace(state, values=frozenset(values[path]), grads=grads[path], edges=frozenset(edges[path]),
                           current_node=current_node.get(path), current_edge=current_edge.get(path))

        return Split(at(TOP), {path: at(path) for path in self.expanded})


def carried_position(old: ExpandedView, old_walk, position: int, new: ExpandedView, new_walk) -> int:
    """Where a walk goes on when instances expand or collapse mid-way: the first step of the
    new walk that shows on the canvas everything the old one showed there: expanding plays the
    inside from where the walk stood, and collapsing inside a frame goes back to the step
    before the instance's own ones, skipping nothing."""
    shown = set()
    for event in old_walk.events[:position + 1]:
        shown |= _on_canvas(old, event)
    so_far: set = set()
    for index, event in enumerate(new_walk.events):
        so_far |= _on_canvas(new, event)
        if shown <= so_far:
            return index
    return len(new_walk.events) - 1


def _on_canvas(view: ExpandedView, event) -> set:
    """What one walk event reveals on the canvas itself, in the canvas' own ids."""
    keys = {("value", node) for flat in event.reveal for path, node in view.spots(flat) if path == TOP}
    if event.grad is not None:
        keys |= {("grad", node) for path, node in view.spots(event.grad[0]) if path == TOP}
    if event.edge is not None:
        keys |= {("edge", drawn) for path, drawn in view.edge_spots(event.edge) if path == TOP}
    return keys

"""Layered left-to-right layout: inputs on the left, the output on the right, few crossings.

The classic Sugiyama steps, kept small and deterministic:

1. layers — a node's layer is its longest path from a source, except that a source (a
   variable or constant) is pulled right next to its nearest consumer, so a constant used only
   by the last op does not sit at the far left with a long wire;
2. long edges are split by dummy points so every edge joins adjacent layers;
3. order within layers — a depth-first walk from the output, inputs in port order, gives a
   crossing-free start for trees; barycenter and median sweeps then try to do better on shared
   subexpressions, the ordering with the fewest crossings wins, and sifting (each node to its
   best place in its layer) and neighbour swaps polish it (ports count: a wire into input 0
   should arrive above one into input 1);
4. coordinates — layers `LAYER_GAP` apart, rows at least `ROW_GAP` apart, each node pulled
   towards its neighbours (least squares under the order constraint), which straightens wires;
   whole pixels, so documents stay tidy.

The steps' building blocks (cycle breaking, layer assignment, crossing counts, the ordered
least-squares fit) are in `layout_steps`; `layout_metrics` measures a picture the way a reader
sees it (crossings, total wire length).
"""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Iterable

from cgeditor.model.graph import Graph
from cgeditor.model.layout_steps import acyclic, assign_layers, crossed, inversions, ordered_fit, ranks

LAYER_GAP = 170.0  # horizontal distance between layers
ROW_GAP = 110.0  # minimum vertical distance between nodes of one layer
_DUMMY_GAP = ROW_GAP / 2  # the lane a long wire keeps free where it passes a layer
_SWEEPS = 12
_SIFT_LIMIT = 600  # sifting costs about (layer size)² per layer: skipped for huge graphs
_SIFT_LAYER_LIMIT = 300
_SIFT_PASSES = 6
_POLISH_LIMIT = 1000  # above this many layered nodes, polish less so huge files still open fast
_TRANSPOSE_ROUNDS = 4  # each round costs a crossing count per neighbour pair
_REDUCE_LIMIT = 6000  # above this many (dummies included), keep the first ordering: a pasted
#                        network must open in seconds, and nobody reads its crossings anyway

Positions = dict[str, tuple[float, float]]


def layered_layout(graph: Graph, node_ids: Iterable[str] | None = None) -> Positions:
    """Positions for every node, or with `node_ids` only for those (the rest stay where they are).

    A subset is laid out as a block of its own (edges to outside nodes are ignored) and moved so
    its centre is where the subset's centre was; if none of them had a position, it goes to the
    right of the others.
    """
    ids, edges = _block(graph, node_ids)
    if not ids:
        return {}
    first = graph.output if graph.output in set(ids) else None
    positions = _Layered(ids, edges, first).positions()
    if node_ids is None:
        return positions
    return _moved_into_place(graph, positions)


def layered_extent(graph: Graph, node_ids: Iterable[str] | None = None) -> tuple[float, float]:
    """The least width and height that `layered_layout(graph, node_ids)`'s positions span,
    found in linear time without laying anything out: its layers are LAYER_GAP apart, and the
    nodes of its fullest layer at least ROW_GAP.  So a picture too large to draw is known before
    the layout's slow part (a 200,000-node cycle is 34 million units wide)."""
    ids, edges = _block(graph, node_ids)
    if not ids:
        return 0.0, 0.0
    _, layer = _layering(ids, edges, {n: i for i, n in enumerate(ids)})
    return (max(layer) - min(layer)) * LAYER_GAP, (max(Counter(layer).values()) - 1) * ROW_GAP


def _block(graph: Graph, node_ids: Iterable[str] | None) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The nodes to lay out, in graph order, and the edges among them (no self-loops)."""
    if node_ids is None:
        ids = list(graph.nodes)
    else:
        wanted = set(node_ids)
        ids = [n for n in graph.nodes if n in wanted]
    chosen = set(ids)
    edges = [(e.source, e.target, e.port) for e in graph.edges
             if e.source in chosen and e.target in chosen and e.source != e.target]
    return ids, edges


def _layering(ids: list[str], edges: list[tuple[str, str, int]],
              index: dict[str, int]) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The edges as arcs between node numbers (`index`) with cycles broken, and each node's layer."""
    arcs = [(index[s], index[t], p) for s, t, p in edges]
    layer = assign_layers(len(ids), arcs)  # an acyclic graph (nearly every one) needs one walk
    if layer is None:
        arcs = acyclic(arcs, len(ids))
        layer = assign_layers(len(ids), arcs)
    return arcs, layer


def _moved_into_place(graph: Graph, positions: Positions) -> Positions:
    placed = [graph.nodes[n].pos for n in positions if graph.nodes[n].pos is not None]
    others = [n.pos for n in graph if n.id not in positions and n.pos is not None]
    if placed:
        cx, cy = _centre(placed)
    elif others:
        cx = max(p[0] for p in others) + LAYER_GAP + _width(positions) / 2
        cy = _centre(others)[1]
    else:
        return positions
    bx, by = _centre(list(positions.values()))
    return {n: (float(round(x - bx + cx)), float(round(y - by + cy))) for n, (x, y) in positions.items()}


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _width(positions: Positions) -> float:
    xs = [p[0] for p in positions.values()]
    return max(xs) - min(xs)


def _by_key_then_node(neighbour: tuple[int, float]) -> tuple[float, int]:
    return neighbour[1], neighbour[0]


class _Layered:
    """One layout run over nodes 0..n-1 (real) and n.. (dummy points of long edges)."""

    def __init__(self, ids: list[str], edges: list[tuple[str, str, int]], first: str | None):
        self.ids = ids
        index = {n: i for i, n in enumerate(ids)}
        self.n_real = len(ids)
        ports = [1] * len(ids)
        for _, t, p in edges:
            i = index[t]
            if p >= ports[i]:
                ports[i] = p + 1
        arcs, layer = _layering(ids, edges, index)
        # Proper layered graph: up[v] / down[u] hold (neighbour, port key); the port key orders
        # wires arriving at one node (0 for a dummy, which has a single input).
        self.layer = layer
        self.up: list[list[tuple[int, float]]] = [[] for _ in ids]
        self.down: list[list[tuple[int, float]]] = [[] for _ in ids]
        link = self._link
        # Huge graphs skip the dummies (they would run into millions) and crossing reduction.
        spans = sum(layer[v] - layer[u] - 1 for u, v, _ in arcs)
        dummies = len(ids) + spans <= _REDUCE_LIMIT
        for u, v, p in arcs:
            key = (p + 1) / (ports[v] + 1) - 0.5
            if dummies and layer[v] - layer[u] > 1:
                for lay in range(layer[u] + 1, layer[v]):
                    d = self._add_dummy(lay)
                    link(u, d, 0.0)
                    u = d
            link(u, v, key)
        for lists in (self.up, self.down):
            for neighbours in lists:
                if len(neighbours) > 1:
                    neighbours.sort(key=_by_key_then_node)
        self.root = index[first] if first is not None else None

    def _add_dummy(self, lay: int) -> int:
        self.layer.append(lay)
        self.up.append([])
        self.down.append([])
        return len(self.layer) - 1

    def _link(self, u: int, v: int, key: float) -> None:
        self.down[u].append((v, key))
        self.up[v].append((u, key))

    # -- ordering -------------------------------------------------------------------------

    def initial_order(self) -> list[list[int]]:
        """Depth-first from the sinks, inputs in port order: planar for any expression tree."""
        n_layers = max(self.layer) + 1
        order: list[list[int]] = [[] for _ in range(n_layers)]
        seen = [False] * len(self.layer)
        roots = [v for v in range(self.n_real) if not self.down[v]]
        if self.root is not None and self.root in roots:
            roots.remove(self.root)
            roots.insert(0, self.root)
        for start in roots + list(range(len(self.layer))):
            if seen[start]:
                continue
            stack = [start]
            while stack:
                v = stack.pop()
                if seen[v]:
                    continue
                seen[v] = True
                order[self.layer[v]].append(v)
                stack.extend(u for u, _ in reversed(self.up[v]) if not seen[u])
        return order

    def crossings(self, order: list[list[int]]) -> int:
        rank = ranks(order, len(self.layer))
        return sum(self._crossings_after(lay, rank) for lay in order[:-1])

    def _crossings_after(self, lay: list[int], rank: list[int]) -> int:
        """Crossings among the wires leaving layer `lay` for the next one."""
        return inversions([(rank[u], (rank[v], key)) for u in lay for v, key in self.down[u]])

    def reduce_crossings(self) -> list[list[int]]:
        best = self.initial_order()
        if len(self.layer) > _REDUCE_LIMIT:
            return best
        best_count = self.crossings(best)
        current = [list(lay) for lay in best]
        for sweep in range(_SWEEPS):
            if best_count == 0:
                break
            use_median = sweep % 4 >= 2
            downward = sweep % 2 == 0
            self._sweep(current, downward, use_median)
            count = self.crossings(current)
            if count < best_count:
                best, best_count = [list(lay) for lay in current], count
        if best_count and len(self.layer) <= _SIFT_LIMIT:
            best = self._sift(best)
        if best_count and len(self.layer) <= _POLISH_LIMIT:
            best = self._transpose(best)
        return best

    def _sweep(self, order: list[list[int]], downward: bool, use_median: bool) -> None:
        rank = ranks(order, len(self.layer))
        layers = range(1, len(order)) if downward else range(len(order) - 2, -1, -1)
        for i in layers:
            keys = {}
            for v in order[i]:
                if downward:
                    ns = [rank[u] for u, _ in self.up[v]]
                else:
                    ns = [rank[w] + key for w, key in self.down[v]]
                if ns:
                    keys[v] = median(ns) if use_median else sum(ns) / len(ns)
                else:
                    keys[v] = rank[v]
            order[i].sort(key=lambda v: (keys[v], rank[v]))
            for r, v in enumerate(order[i]):
                rank[v] = r

    def _transpose(self, order: list[list[int]]) -> list[list[int]]:
        """Swap neighbours in a layer while that removes crossings (a local polish)."""
        rank = ranks(order, len(self.layer))

        def around(k: int) -> int:  # crossings on both sides of layer k
            before = self._crossings_after(order[k - 1], rank) if k else 0
            after = self._crossings_after(order[k], rank) if k + 1 < len(order) else 0
            return before + after

        improved, rounds = True, 0
        while improved and rounds < _TRANSPOSE_ROUNDS:
            improved, rounds = False, rounds + 1
            for k, lay in enumerate(order):
                for i in range(len(lay) - 1):
                    old = around(k)
                    if not old:
                        break
                    self._swap(lay, i, rank)
                    if around(k) < old:
                        improved = True
                    else:
                        self._swap(lay, i, rank)
        return order

    def _sift(self, order: list[list[int]]) -> list[list[int]]:
        """Move each node to the place in its layer with the fewest crossings, until none helps.

        Moving v past w changes the crossings by c(w, v) - c(v, w), where c(a, b) counts the
        crossings between a's and b's wires when a comes first, so one pass over the layer
        finds v's best place.
        """
        rank = ranks(order, len(self.layer))
        for _ in range(_SIFT_PASSES):
            improved = False
            for lay in order:
                if not 2 <= len(lay) <= _SIFT_LAYER_LIMIT:
                    continue
                keys = {v: (sorted(rank[u] for u, _ in self.up[v]),
                            sorted((rank[w], key) for w, key in self.down[v])) for v in lay}
                for v in list(lay):
                    here = lay.index(v)
                    others = lay[:here] + lay[here + 1:]
                    cost = sum(crossed(keys[v], keys[w]) for w in others)
                    best, best_at, current = cost, 0, cost if here == 0 else None
                    for p, w in enumerate(others):
                        cost += crossed(keys[w], keys[v]) - crossed(keys[v], keys[w])
                        if p + 1 == here:
                            current = cost
                        if cost < best:
                            best, best_at = cost, p + 1
                    if best < current:
                        improved = True
                        others.insert(best_at, v)
                        lay[:] = others
                        for r, w in enumerate(lay):
                            rank[w] = r
            if not improved:
                break
        return order

    @staticmethod
    def _swap(lay: list[int], i: int, rank: list[int]) -> None:
        lay[i], lay[i + 1] = lay[i + 1], lay[i]
        rank[lay[i]], rank[lay[i + 1]] = i, i + 1

    # -- coordinates ----------------------------------------------------------------------

    def coordinates(self, order: list[list[int]]) -> list[float]:
        """Rows pulled towards their neighbours, alternating directions, order and gaps kept."""
        y = [0.0] * len(self.layer)
        for lay in order:
            offsets = self._offsets(lay)
            mid = (offsets[0] + offsets[-1]) / 2 if lay else 0.0
            for v, off in zip(lay, offsets):
                y[v] = off - mid
        for sweep in range(8 if len(y) <= _POLISH_LIMIT else 2 if len(y) <= _REDUCE_LIMIT else 0):
            downward = sweep % 2 == 0
            layers = order[1:] if downward else order[-2::-1]
            for lay in layers:
                wanted = []
                for v in lay:
                    ns = self.up[v] if downward else self.down[v]
                    both = ns or (self.down[v] if downward else self.up[v])
                    wanted.append(sum(y[u] for u, _ in both) / len(both) if both else y[v])
                if len(lay) == 1:
                    y[lay[0]] = wanted[0]
                    continue
                for v, new in zip(lay, ordered_fit(wanted, self._offsets(lay))):
                    y[v] = new
        return y

    def _offsets(self, lay: list[int]) -> list[float]:
        """Each node's minimum distance from the first one of its layer."""
        n_real, offsets, acc, before = self.n_real, [], 0.0, None
        for v in lay:
            size = ROW_GAP if v < n_real else _DUMMY_GAP  # a dummy is a wire's bend, not a node
            if before is not None:
                acc += (before + size) / 2
            offsets.append(acc)
            before = size
        return offsets

    def positions(self) -> Positions:
        order = self.reduce_crossings()
        y = self.coordinates(order)
        real = range(self.n_real)
        top = min(y[v] for v in real)
        bottom = max(y[v] for v in real)
        shift = (top + bottom) / 2
        return {self.ids[v]: (self.layer[v] * LAYER_GAP, float(round(y[v] - shift))) for v in real}

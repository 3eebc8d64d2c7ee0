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

`count_crossings` and `total_edge_length` measure a picture the way a reader sees it, with
straight wires from a node's centre to its target's input port.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from statistics import median
from typing import Iterable

from cgeditor.model.graph import Graph

LAYER_GAP = 170.0  # horizontal distance between layers
ROW_GAP = 110.0  # minimum vertical distance between nodes of one layer
PORT_SPACING = 20.0  # vertical distance between neighbouring input ports, for the metrics
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
    if node_ids is None:
        ids = list(graph.nodes)
    else:
        wanted = set(node_ids)
        ids = [n for n in graph.nodes if n in wanted]
    if not ids:
        return {}
    chosen = set(ids)
    edges = [(e.source, e.target, e.port) for e in graph.edges
             if e.source in chosen and e.target in chosen and e.source != e.target]
    first = graph.output if graph.output in chosen else None
    positions = _Layered(ids, edges, first).positions()
    if node_ids is None:
        return positions
    return _moved_into_place(graph, positions)


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


class _Layered:
    """One layout run over nodes 0..n-1 (real) and n.. (dummy points of long edges)."""

    def __init__(self, ids: list[str], edges: list[tuple[str, str, int]], first: str | None):
        self.ids = ids
        index = {n: i for i, n in enumerate(ids)}
        self.n_real = len(ids)
        ports = [1] * len(ids)
        for _, t, p in edges:
            ports[index[t]] = max(ports[index[t]], p + 1)
        arcs = _acyclic([(index[s], index[t], p) for s, t, p in edges], len(ids))
        layer = _assign_layers(len(ids), arcs)
        # Proper layered graph: up[v] / down[u] hold (neighbour, port key); the port key orders
        # wires arriving at one node (0 for a dummy, which has a single input).
        self.layer = layer
        self.up: list[list[tuple[int, float]]] = [[] for _ in ids]
        self.down: list[list[tuple[int, float]]] = [[] for _ in ids]
        # Huge graphs skip the dummies (they would run into millions) and crossing reduction.
        spans = sum(layer[v] - layer[u] - 1 for u, v, _ in arcs)
        dummies = len(ids) + spans <= _REDUCE_LIMIT
        for u, v, p in arcs:
            key = (p + 1) / (ports[v] + 1) - 0.5
            prev = u
            for lay in range(layer[u] + 1, layer[v]) if dummies else ():
                d = self._add_dummy(lay)
                self._link(prev, d, 0.0)
                prev = d
            self._link(prev, v, key)
        for lists in (self.up, self.down):
            for neighbours in lists:
                neighbours.sort(key=lambda a: (a[1], a[0]))
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
        rank = _ranks(order, len(self.layer))
        return sum(self._crossings_after(lay, rank) for lay in order[:-1])

    def _crossings_after(self, lay: list[int], rank: list[int]) -> int:
        """Crossings among the wires leaving layer `lay` for the next one."""
        return _inversions([(rank[u], (rank[v], key)) for u in lay for v, key in self.down[u]])

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
        rank = _ranks(order, len(self.layer))
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
        rank = _ranks(order, len(self.layer))

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
        rank = _ranks(order, len(self.layer))
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
                    cost = sum(_crossed(keys[v], keys[w]) for w in others)
                    best, best_at, current = cost, 0, cost if here == 0 else None
                    for p, w in enumerate(others):
                        cost += _crossed(keys[w], keys[v]) - _crossed(keys[v], keys[w])
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
                for v, new in zip(lay, _ordered_fit(wanted, self._offsets(lay))):
                    y[v] = new
        return y

    def _offsets(self, lay: list[int]) -> list[float]:
        """Each node's minimum distance from the first one of its layer."""
        offsets, acc = [], 0.0
        for i, v in enumerate(lay):
            if i:
                acc += (self._size(lay[i - 1]) + self._size(v)) / 2
            offsets.append(acc)
        return offsets

    def _size(self, v: int) -> float:
        return ROW_GAP if v < self.n_real else _DUMMY_GAP

    def positions(self) -> Positions:
        order = self.reduce_crossings()
        y = self.coordinates(order)
        real = range(self.n_real)
        top = min(y[v] for v in real)
        bottom = max(y[v] for v in real)
        shift = (top + bottom) / 2
        return {self.ids[v]: (self.layer[v] * LAYER_GAP, float(round(y[v] - shift))) for v in real}


def _acyclic(arcs: list[tuple[int, int, int]], n: int) -> list[tuple[int, int, int]]:
    """The arcs with those that close a cycle (found depth-first, in node order) reversed."""
    succ: list[list[int]] = [[] for _ in range(n)]
    for k, (u, v, _) in enumerate(arcs):
        succ[u].append(k)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    back = set()
    for start in range(n):
        if state[start]:
            continue
        state[start] = 1
        stack = [(start, iter(succ[start]))]
        while stack:
            u, it = stack[-1]
            k = next(it, None)
            if k is None:
                state[u] = 2
                stack.pop()
                continue
            v = arcs[k][1]
            if state[v] == 1:
                back.add(k)
            elif state[v] == 0:
                state[v] = 1
                stack.append((v, iter(succ[v])))
    return [(v, u, p) if k in back else (u, v, p) for k, (u, v, p) in enumerate(arcs)]


def _assign_layers(n: int, arcs: list[tuple[int, int, int]]) -> list[int]:
    """Longest path from the sources, then each source moved next to its nearest consumer."""
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for u, v, _ in arcs:
        preds[v].append(u)
        succs[u].append(v)
    indegree = [len(p) for p in preds]
    queue = deque(v for v in range(n) if indegree[v] == 0)
    layer = [0] * n
    while queue:
        u = queue.popleft()
        for v in succs[u]:
            layer[v] = max(layer[v], layer[u] + 1)
            indegree[v] -= 1
            if indegree[v] == 0:
                queue.append(v)
    for v in range(n):
        if not preds[v] and succs[v]:
            layer[v] = min(layer[w] for w in succs[v]) - 1
    low = min(layer)
    return [lay - low for lay in layer]


def _crossed(a: tuple[list, list], b: tuple[list, list]) -> int:
    """Crossings between the wires of two nodes of one layer when node a sits above node b."""
    return sum(bisect_left(b[0], x) for x in a[0]) + sum(bisect_left(b[1], x) for x in a[1])


def _ranks(order: list[list[int]], n: int) -> list[int]:
    rank = [0] * n
    for lay in order:
        for r, v in enumerate(lay):
            rank[v] = r
    return rank


def _inversions(pairs: list[tuple[int, tuple[int, float]]]) -> int:
    """Pairs (a, b) with a_i < a_j but b_i > b_j: wires between two layers that cross."""
    pairs.sort()
    keys = {b: i + 1 for i, b in enumerate(sorted({b for _, b in pairs}))}
    tree = [0] * (len(keys) + 1)
    count = 0
    for seen, (_, b) in enumerate(pairs):
        i = keys[b]
        not_above = 0
        j = i
        while j:
            not_above += tree[j]
            j -= j & -j
        count += seen - not_above
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return count


def _ordered_fit(wanted: list[float], offsets: list[float]) -> list[float]:
    """Least-squares closest positions to `wanted` that keep the order and the minimum gaps.

    With z_i = y_i - offset_i the gaps become z non-decreasing, so this is isotonic regression,
    solved by pooling adjacent violators.
    """
    blocks: list[list[float]] = []  # [mean, weight]
    for w, off in zip(wanted, offsets):
        blocks.append([w - off, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    z = [m for m, w in blocks for _ in range(int(w))]
    return [zi + off for zi, off in zip(z, offsets)]


# -- metrics ----------------------------------------------------------------------------------


def _segments(graph: Graph, positions: Positions) -> list[tuple[tuple, tuple, tuple]]:
    """Each edge as a straight wire from the source's centre to the target's input port."""
    ports: dict[str, int] = {}
    for e in graph.edges:
        ports[e.target] = max(ports.get(e.target, 1), e.port + 1)
    segments = []
    for e in graph.edges:
        a = positions.get(e.source, graph.nodes[e.source].pos)
        b = positions.get(e.target, graph.nodes[e.target].pos)
        if a is None or b is None:
            continue
        dy = (e.port - (ports[e.target] - 1) / 2) * PORT_SPACING
        segments.append(((a[0], a[1]), (b[0], b[1] + dy), (e.source, (e.target, e.port))))
    return segments


def total_edge_length(graph: Graph, positions: Positions) -> float:
    return sum(math.dist(a, b) for a, b, _ in _segments(graph, positions))


def count_crossings(graph: Graph, positions: Positions) -> int:
    """Pairs of wires that properly cross (wires sharing an end do not count)."""
    segments = sorted(_segments(graph, positions), key=lambda s: min(s[0][0], s[1][0]))
    count = 0
    for i, (a, b, ends) in enumerate(segments):
        right = max(a[0], b[0])
        for c, d, other in segments[i + 1:]:
            if min(c[0], d[0]) > right:
                break
            if ends[0] == other[0] or ends[1] == other[1]:
                continue
            if _cross(a, b, c, d):
                count += 1
    return count


def _cross(a, b, c, d) -> bool:
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 1e-9) - (v < -1e-9)

    return (orient(a, b, c) * orient(a, b, d) < 0) and (orient(c, d, a) * orient(c, d, b) < 0)

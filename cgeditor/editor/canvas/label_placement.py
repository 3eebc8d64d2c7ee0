"""Where overlay labels go so that they never cover each other, a node or a foreign edge.

Pure geometry, no Qt, so it can be tested on its own and reused by headless renderers.  Each
label offers candidate centres in order of preference (around its node, or along its edge);
`place_labels` takes them one at a time and keeps the cheapest candidate, where overlapping a
node or an already placed label costs far more than crossing an edge, and crossing an edge
far more than straying from the preferred spot.  A uniform grid keeps every query local, so
placing thousands of labels stays roughly linear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Sequence

Point = tuple[float, float]

NODE_OVERLAP = 1000.0
LABEL_OVERLAP = 1000.0
EDGE_CROSSING = 60.0
RANK_COST = 1.0  # per step down the candidate list
GAP = 4.0  # free space kept between a label and what it avoids


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @classmethod
    def centered(cls, cx: float, cy: float, w: float, h: float) -> "Rect":
        return cls(cx - w / 2, cy - h / 2, w, h)

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> Point:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def intersects(self, other: "Rect") -> bool:
        """Open intersection: rectangles that only touch do not overlap."""
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def adjusted(self, margin: float) -> "Rect":
        return Rect(self.x - margin, self.y - margin, self.w + 2 * margin, self.h + 2 * margin)

    def united(self, other: "Rect") -> "Rect":
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


def segment_hits_rect(a: Point, b: Point, r: Rect) -> bool:
    """Whether segment a–b passes through the interior of r (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - r.x), (dx, r.right - x0), (-dy, y0 - r.y), (dy, r.bottom - y0)):
        if p == 0:
            if q <= 0:
                return False
        else:
            t = q / p
            if p < 0:
                if t > t1:
                    return False
                t0 = max(t0, t)
            else:
                if t < t0:
                    return False
                t1 = min(t1, t)
    return t0 < t1


@dataclass
class LabelRequest:
    """One label to place: its size, candidate centres best first, and the edge it may sit on."""

    key: Hashable
    size: tuple[float, float]
    candidates: Sequence[Point]
    own_edge: Hashable | None = None


Box = tuple[float, float, float, float]  # x0, y0, x1, y1: the grid's cheap form of a Rect


class _Grid:
    """Buckets of boxes and segments by cell, so a query only looks at its neighbourhood.

    Only the cells within `within` are kept, the only ones queries look at: placing a few
    labels again then does not file every cell along the long edges nearby."""

    def __init__(self, within: Box, cell: float = 80.0):
        self.cell = cell
        self.limits = tuple(math.floor(v / cell) for v in within)
        self.boxes: dict[tuple[int, int], list[Box]] = {}
        self.segments: dict[tuple[int, int], list[tuple[Hashable, Point, Point]]] = {}

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        c = self.cell
        i0, j0, i1, j1 = self.limits
        js = range(max(math.floor(y0 / c), j0), min(math.floor(y1 / c), j1) + 1)
        return [(i, j) for i in range(max(math.floor(x0 / c), i0), min(math.floor(x1 / c), i1) + 1)
                for j in js]

    def add_box(self, box: Box) -> None:
        for cell in self._cells(*box):
            self.boxes.setdefault(cell, []).append(box)

    def add_segment(self, key: Hashable, a: Point, b: Point) -> None:
        seg = (key, a, b)
        for cell in self._cells(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
            self.segments.setdefault(cell, []).append(seg)

    def overlap_cost(self, box: Box, cells: list[tuple[int, int]], weight: float) -> float:
        """`weight` plus the overlap area for every stored box that `box` overlaps."""
        x0, y0, x1, y1 = box
        seen: set[int] = set()
        cost = 0.0
        for cell in cells:
            for other in self.boxes.get(cell, ()):
                a0, b0, a1, b1 = other
                if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1 and id(other) not in seen:
                    seen.add(id(other))
                    cost += weight + (min(x1, a1) - max(x0, a0)) * (min(y1, b1) - max(y0, b0))
        return cost

    def edges_crossing(self, r: Rect, cells: list[tuple[int, int]], own_edge: Hashable | None) -> int:
        crossed: set[Hashable] = set()
        for cell in cells:
            for key, a, b in self.segments.get(cell, ()):
                if key is not own_edge and key not in crossed and key != own_edge \
                        and segment_hits_rect(a, b, r):
                    crossed.add(key)
        return len(crossed)


def _box(r: Rect, margin: float = 0.0) -> Box:
    return (r.x - margin, r.y - margin, r.x + r.w + margin, r.y + r.h + margin)


@dataclass
class Placement:
    rects: dict[Hashable, Rect] = field(default_factory=dict)
    conflicts: set[Hashable] = field(default_factory=set)  # placed, but overlapping something


def place_labels(nodes: Iterable[Rect], edges: dict[Hashable, Sequence[Point]],
                 requests: Iterable[LabelRequest], fixed: Iterable[Rect] = ()) -> Placement:
    """Greedy placement in request order; `edges` maps an edge key to its polyline, `fixed`
    are labels already placed that stay where they are (for placing a few labels again)."""
    requests = list(requests)
    within = _reach(requests)
    if within is None:
        return Placement()
    node_grid, label_grid = _Grid(within), _Grid(within)
    for r in fixed:
        label_grid.add_box(_box(r, GAP / 2))
    for r in nodes:
        node_grid.add_box(_box(r, GAP))
    for key, points in edges.items():
        for a, b in zip(points, points[1:]):
            node_grid.add_segment(key, a, b)
    result = Placement()
    for req in requests:
        w, h = req.size
        best, best_cost = None, math.inf
        for rank, (cx, cy) in enumerate(req.candidates):
            cost = rank * RANK_COST
            if cost >= best_cost:
                break
            r = Rect.centered(cx, cy, w, h)
            cost += _cost(r, req.own_edge, node_grid, label_grid, best_cost - cost)
            if cost < best_cost:
                best, best_cost = r, cost
        if best is None:
            continue
        result.rects[req.key] = best
        if best_cost >= EDGE_CROSSING:
            result.conflicts.add(req.key)
        label_grid.add_box(_box(best, GAP / 2))
    return result


def _reach(requests: list[LabelRequest]) -> Box | None:
    """The box any candidate of `requests` can touch, margin included (None: no candidates)."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for req in requests:
        if not req.candidates:
            continue
        xs = [x for x, _ in req.candidates]
        ys = [y for _, y in req.candidates]
        hw, hh = (req.size[0] + GAP) / 2, (req.size[1] + GAP) / 2
        x0, x1 = min(x0, min(xs) - hw), max(x1, max(xs) + hw)
        y0, y1 = min(y0, min(ys) - hh), max(y1, max(ys) + hh)
    return (x0, y0, x1, y1) if x0 <= x1 else None


def _cost(r: Rect, own_edge: Hashable | None, nodes: _Grid, labels: _Grid, budget: float) -> float:
    box = _box(r)
    cells = nodes._cells(*_box(r, GAP / 2))
    cost = nodes.overlap_cost(box, cells, NODE_OVERLAP) + labels.overlap_cost(box, cells, LABEL_OVERLAP)
    if cost >= budget:
        return cost
    return cost + EDGE_CROSSING * nodes.edges_crossing(r.adjusted(GAP / 2), cells, own_edge)


# -- candidate generators -------------------------------------------------------------------


def around_node(node: Rect, size: tuple[float, float], rings: int = 4) -> list[Point]:
    """Centres below the node first (where a reader looks for a value), then above, then
    beside, then the same further out."""
    w, h = size
    cx, cy = node.center
    out: list[Point] = []
    for ring in range(rings):
        d = GAP + 1 + ring * (h + GAP)
        below = node.bottom + d + h / 2
        above = node.y - d - h / 2
        side = node.w / 2 + d + w / 2
        out += [(cx, below), (cx, above)]
        for shift in (0.5, 1.0):
            dx = shift * (node.w / 2 + w / 2)
            out += [(cx + dx, below), (cx - dx, below), (cx + dx, above), (cx - dx, above)]
        out += [(cx + side, cy + node.h / 2 + h / 2), (cx - side, cy + node.h / 2 + h / 2),
                (cx + side, cy - node.h / 2 - h / 2), (cx - side, cy - node.h / 2 - h / 2)]
    return out


def along_polyline(points: Sequence[Point], size: tuple[float, float],
                   fractions: Sequence[float] = (0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74,
                                                 0.2, 0.8, 0.15, 0.85),
                   offsets: int = 3) -> list[Point]:
    """Centres on the polyline at the given fractions of its length, then pushed off it to
    either side (perpendicular), further each round."""
    if len(points) < 2:
        return []
    on = [point_at(points, f) for f in fractions]
    out = [p for p, _ in on]
    w, h = size
    for k in range(1, offsets + 1):
        for (x, y), (nx, ny) in on:
            # move far enough that the label's box clears the line whatever its slope
            d = k * (abs(nx) * w / 2 + abs(ny) * h / 2 + GAP)
            out += [(x + nx * d, y + ny * d), (x - nx * d, y - ny * d)]
    return out


def point_at(points: Sequence[Point], fraction: float) -> tuple[Point, Point]:
    """The point at `fraction` of the polyline's length and the unit normal there."""
    segments = [(a, b, math.dist(a, b)) for a, b in zip(points, points[1:])]
    target = fraction * sum(length for _, _, length in segments)
    for a, b, length in segments[:-1]:
        if target <= length:
            break
        target -= length
    else:
        a, b, length = segments[-1]
    t = min(1.0, target / length) if length else 0.0
    x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
    dx, dy = ((b[0] - a[0]) / length, (b[1] - a[1]) / length) if length else (1.0, 0.0)
    return (x, y), (-dy, dx)

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

    def overlap_area(self, other: "Rect") -> float:
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.bottom, other.bottom) - max(self.y, other.y)
        return w * h if w > 0 and h > 0 else 0.0

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


class _Grid:
    """Buckets of rects and segments by cell, so a query only looks at its neighbourhood."""

    def __init__(self, cell: float = 80.0):
        self.cell = cell
        self.rects: dict[tuple[int, int], list[Rect]] = {}
        self.segments: dict[tuple[int, int], list[tuple[Hashable, Point, Point]]] = {}

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                yield (i, j)

    def add_rect(self, r: Rect) -> None:
        for cell in self._cells(r.x, r.y, r.right, r.bottom):
            self.rects.setdefault(cell, []).append(r)

    def add_segment(self, key: Hashable, a: Point, b: Point) -> None:
        seg = (key, a, b)
        for cell in self._cells(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
            self.segments.setdefault(cell, []).append(seg)

    def rects_near(self, r: Rect) -> Iterable[Rect]:
        found: dict[int, Rect] = {}
        for cell in self._cells(r.x, r.y, r.right, r.bottom):
            for other in self.rects.get(cell, ()):
                found[id(other)] = other
        return found.values()

    def segments_near(self, r: Rect) -> list[tuple[Hashable, Point, Point]]:
        found: dict[int, tuple[Hashable, Point, Point]] = {}
        for cell in self._cells(r.x, r.y, r.right, r.bottom):
            for seg in self.segments.get(cell, ()):
                found[id(seg)] = seg
        return list(found.values())


@dataclass
class Placement:
    rects: dict[Hashable, Rect] = field(default_factory=dict)
    conflicts: set[Hashable] = field(default_factory=set)  # placed, but overlapping something


def place_labels(nodes: Iterable[Rect], edges: dict[Hashable, Sequence[Point]],
                 requests: Iterable[LabelRequest], fixed: Iterable[Rect] = ()) -> Placement:
    """Greedy placement in request order; `edges` maps an edge key to its polyline, `fixed`
    are labels already placed that stay where they are (for placing a few labels again)."""
    node_grid, label_grid = _Grid(), _Grid()
    for r in fixed:
        label_grid.add_rect(r.adjusted(GAP / 2))
    for r in nodes:
        node_grid.add_rect(r.adjusted(GAP))
    for key, points in edges.items():
        for a, b in zip(points, points[1:]):
            node_grid.add_segment(key, a, b)
    result = Placement()
    for req in requests:
        w, h = req.size
        best, best_cost = None, math.inf
        for rank, (cx, cy) in enumerate(req.candidates):
            r = Rect.centered(cx, cy, w, h)
            cost = rank * RANK_COST
            if cost >= best_cost:
                break
            cost += _cost(r, req.own_edge, node_grid, label_grid, best_cost - cost)
            if cost < best_cost:
                best, best_cost = r, cost
        if best is None:
            continue
        result.rects[req.key] = best
        if best_cost >= EDGE_CROSSING:
            result.conflicts.add(req.key)
        label_grid.add_rect(best.adjusted(GAP / 2))
    return result


def _cost(r: Rect, own_edge: Hashable | None, nodes: _Grid, labels: _Grid, budget: float) -> float:
    cost = 0.0
    for other in nodes.rects_near(r):
        if r.intersects(other):
            cost += NODE_OVERLAP + r.overlap_area(other)
    for other in labels.rects_near(r):
        if r.intersects(other):
            cost += LABEL_OVERLAP + r.overlap_area(other)
    if cost >= budget:
        return cost
    padded = r.adjusted(GAP / 2)
    crossed: set[Hashable] = set()
    for key, a, b in nodes.segments_near(padded):
        if key != own_edge and key not in crossed and segment_hits_rect(a, b, padded):
            crossed.add(key)
    return cost + EDGE_CROSSING * len(crossed)


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
                   fractions: Sequence[float] = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82),
                   offsets: int = 3) -> list[Point]:
    """Centres on the polyline at the given fractions of its length, then pushed off it to
    either side (perpendicular), further each round."""
    if len(points) < 2:
        return []
    on = [_point_at(points, f) for f in fractions]
    out = [p for p, _ in on]
    w, h = size
    for k in range(1, offsets + 1):
        for (x, y), (nx, ny) in on:
            # move far enough that the label's box clears the line whatever its slope
            d = k * (abs(nx) * w / 2 + abs(ny) * h / 2 + GAP)
            out += [(x + nx * d, y + ny * d), (x - nx * d, y - ny * d)]
    return out


def _point_at(points: Sequence[Point], fraction: float) -> tuple[Point, Point]:
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

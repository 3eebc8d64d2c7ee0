"""Where overlay labels go so that they never cover each other, a node or a foreign edge.

Pure geometry, no Qt, so it can be tested on its own and reused by headless renderers.  Each
label offers candidate centres in order of preference (label_spots.py: around its node, or
along its edge); `place_labels` takes them one at a time and keeps the cheapest candidate: a spot clear of
nodes and placed labels always beats one covering them, and crossing an edge costs far more
than straying from the preferred spot.  A pyramid of grids (`Index`) keeps every
query local and every edge's filing bounded, so the cost follows the number of labels and
segments, not the span of the drawing.  A spot's crossings are counted only while it can still
win (`_cheapest`), and what got in the way of a label's other spots is tried first.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Sequence

from cgeditor.editor.canvas.label_index import Box, Index, Point


NODE_OVERLAP = 1000.0
LABEL_OVERLAP = 1000.0
EDGE_CROSSING = 60.0
RANK_COST = 1.0  # per step down the candidate list
# Edges a spot may cross before crossing more makes it no worse: where N edges meet in one port
# every spot there crosses a share of them, and counting each would make placing their N
# labels cost N^2.
CROSSINGS_COUNTED = 16
# Segments filed around a spot beyond which it counts as crossing CROSSINGS_COUNTED edges
# without testing each: a random 5,000-node DAG's densest spots have 900 and 99 % have under
# 360, while a spot among 3,000 edges into one port has thousands, a few of which it crosses.
CROWDED = 512
SEEN = 64  # boxes or segments a label remembers from its spots: past about 64 (more than it meets) none saves work
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
    return _segment_hits_box(a, b, r.x, r.y, r.right, r.bottom)


def _segment_hits_box(a: Point, b: Point, left: float, top: float, right: float, bottom: float) -> bool:
    """Liang–Barsky clipping against the sides across x, then across y, written out (the
    placement's hot loop: a quarter of a million calls for a 1,000-op DAG); the parameter t of
    each crossing is q / p exactly as the textbook form has it."""
    (x0, y0), (x1, y1) = a, b
    t0, t1 = 0.0, 1.0
    p = x0 - x1  # for the near side (q = x0 - left) and, negated, the far one (r = right - x0)
    if p == 0:
        if x0 - left <= 0 or right - x0 <= 0:
            return False
    else:
        if p < 0:  # moving towards the far side: enters at t, leaves at u
            t, u = (x0 - left) / p, (right - x0) / -p
        else:  # enters at u, leaves at t
            u, t = (x0 - left) / p, (right - x0) / -p
        if t > 1.0 or u < 0.0:
            return False
        if t > 0.0:
            t0 = t
        if u < 1.0:
            t1 = u
    p = y0 - y1
    if p == 0:
        if y0 - top <= 0 or bottom - y0 <= 0:
            return False
        return t0 < t1
    if p < 0:
        t, u = (y0 - top) / p, (bottom - y0) / -p
    else:
        u, t = (y0 - top) / p, (bottom - y0) / -p
    if t > t1 or u < t0:
        return False
    if t > t0:
        t0 = t
    if u < t1:
        t1 = u
    return t0 < t1


@dataclass
class LabelRequest:
    """One label to place: its size, candidate centres best first, and the edge it may sit on."""

    key: Hashable
    size: tuple[float, float]
    candidates: Sequence[Point]
    own_edge: Hashable | None = None


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
    cell = _cell_size(requests)
    boxes, segments = Index(within, cell), Index(within, cell)
    for r in fixed:
        _add_obstacle(boxes, _box(r, GAP / 2), is_label=True)
    for r in nodes:
        _add_obstacle(boxes, _box(r, GAP), is_label=False)
    numbers: dict[Hashable, int] = {}  # edge keys as small ints: cheap to compare and hash
    for key, points in edges.items():
        number = numbers.setdefault(key, len(numbers))
        for a, b in zip(points, points[1:]):
            # its bounding box inline: a nested tuple cost 170 bytes a segment and an unpacking a
            # test; each side as min() and max() pick it, without their four calls a segment
            (ax, ay), (bx, by) = a, b
            segments.add_segment((number, bx if bx < ax else ax, by if by < ay else ay,
                                  bx if bx > ax else ax, by if by > ay else ay, a, b), a, b)
    result = Placement()
    for req in requests:
        w, h = req.size
        own = -1 if req.own_edge is None else numbers.get(req.own_edge, -1)
        best = _cheapest(req.candidates, w, h, own, boxes, segments)
        if best is None:
            continue
        (x, y), in_conflict = best
        rect = Rect(x, y, w, h)
        result.rects[req.key] = rect
        if in_conflict:
            result.conflicts.add(req.key)
        _add_obstacle(boxes, _box(rect, GAP / 2), is_label=True)
    return result


def _cheapest(candidates: Sequence[Point], w: float, h: float, own: int, boxes: Index,
              segments: Index) -> tuple[Point, bool] | None:
    """The top-left corner of the cheapest candidate (the earliest of equals) and whether it
    covers or crosses anything; None without candidates.

    A spot clear of nodes and labels beats every spot that covers one, whatever edges it
    crosses: an edge under a label's pill leaves both readable, text over text or over a node
    does not.  A clear spot costs its rank plus EDGE_CROSSING a crossing, and each is weighed
    only until it cannot win.  Only a label with no clear spot at all covers something: the
    spot of least overlap (rank added), crossings not counted (it is in conflict anyway).  So a
    label whose spots all cover something, one in six on a dense 1,000-op DAG, costs a cheap
    test a spot, not the crossings of every spot, and an overlap sum only for the spots that
    the one box found covered does not already price out (8,400 sums of 37,700 there)."""
    best, best_cost, best_crossing = None, math.inf, 0.0
    covering: list[tuple[int, tuple]] = []  # the covering spots' ranks, and a box each covers
    seen: list = []  # segments that crossed this label's earlier candidates, latest first
    covered: list = []  # the boxes its earlier candidates covered, latest first
    half_w, half_h = w / 2, h / 2
    for rank, (cx, cy) in enumerate(candidates):
        cost = rank * RANK_COST
        if cost >= best_cost:
            break
        x, y = cx - half_w, cy - half_h  # as Rect.centered has it, to the last bit
        box = _covering(x, y, x + w, y + h, boxes, covered)
        if box is not None:
            if best is None:
                covering.append((rank, box))
            continue
        crossing = _crossing_cost(x, y, w, h, own, segments, _losing_count(cost, best_cost), seen)
        if cost + crossing < best_cost:
            best, best_cost, best_crossing = (x, y), cost + crossing, crossing
    if best is not None:
        return best, best_crossing > 0
    for rank, box in covering:
        cx, cy = candidates[rank]
        x, y = cx - half_w, cy - half_h
        if rank * RANK_COST + _overlap(x, y, x + w, y + h, box) >= best_cost:
            continue  # its overlap with that one box already costs too much
        cost = rank * RANK_COST + _overlap_cost((x, y, x + w, y + h), boxes)
        if cost < best_cost:
            best, best_cost = (x, y), cost
    return None if best is None else (best, True)


def _add_obstacle(boxes: Index, box: Box, is_label: bool) -> None:
    boxes.add_box(box, (*box, is_label))


def _cell_size(requests: list[LabelRequest]) -> float:
    """About twice the median label's larger side: a query then touches a few cells."""
    sides = sorted(max(req.size) for req in requests)
    return min(max(2 * sides[len(sides) // 2] + GAP, 16.0), 1000.0)


def _reach(requests: list[LabelRequest]) -> Box | None:
    """The box any candidate of `requests` can touch, margin included (None: no candidates)."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for req in requests:
        if not req.candidates:
            continue
        spots = req.candidates
        if isinstance(spots, Spots):
            left, top, right, bottom = spots.extent()
        else:
            left, right = min(x for x, _ in spots), max(x for x, _ in spots)
            top, bottom = min(y for _, y in spots), max(y for _, y in spots)
        hw, hh = (req.size[0] + GAP) / 2, (req.size[1] + GAP) / 2
        x0, x1 = min(x0, left - hw), max(x1, right + hw)
        y0, y1 = min(y0, top - hh), max(y1, bottom + hh)
    return (x0, y0, x1, y1) if x0 <= x1 else None


def _overlap_cost(box: Box, boxes: Index) -> float:
    """NODE_OVERLAP or LABEL_OVERLAP plus the overlap area for every filed box that `box`
    overlaps: the nodes' sum plus the labels' sum, each in filing order (the same to the last
    bit whichever cells found them)."""
    x0, y0, x1, y1 = box
    items = boxes.items
    hits: dict[int, float] = {}
    for k in boxes.near(x0, y0, x1, y1):
        a0, b0, a1, b1, _ = items[k]
        if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1 and k not in hits:
            hits[k] = (min(x1, a1) - max(x0, a0)) * (min(y1, b1) - max(y0, b0))
    if not hits:
        return 0.0
    nodes = labels = 0.0
    for k in sorted(hits) if len(hits) > 1 else hits:
        if items[k][4]:
            labels += LABEL_OVERLAP + hits[k]
        else:
            nodes += NODE_OVERLAP + hits[k]
    return nodes + labels


def _overlap(x0: float, y0: float, x1: float, y1: float, item: tuple) -> float:
    """One filed box's term of `_overlap_cost` for box (x0, y0, x1, y1), to the last bit.  A
    sum of such terms (none negative, each added in round-to-nearest) is never less than one of
    them, so rank plus this is a floor on what the spot costs: a label whose every spot covers
    something skips the full sum of most of them."""
    a0, b0, a1, b1, is_label = item
    area = (min(x1, a1) - max(x0, a0)) * (min(y1, b1) - max(y0, b0))
    return (LABEL_OVERLAP if is_label else NODE_OVERLAP) + area


def _covering(x0: float, y0: float, x1: float, y1: float, boxes: Index, seen: list) -> tuple | None:
    """A filed node or label that box (x0, y0, x1, y1) overlaps (the test `_overlap_cost`
    makes), None if it is clear.  The boxes in `seen` (which the label's other spots covered;
    updated here) are tried first: neighbouring spots mostly cover the same node or label."""
    for item in seen:
        a0, b0, a1, b1, _ = item
        if b0 < y1 and y0 < b1 and a0 < x1 and x0 < a1:  # rows first: they part more of them
            return item
    items = boxes.items
    for k in boxes.near(x0, y0, x1, y1):
        a0, b0, a1, b1, _ = item = items[k]
        if b0 < y1 and y0 < b1 and a0 < x1 and x0 < a1:
            seen.insert(0, item)
            del seen[SEEN:]
            return item
    return None


def _losing_count(cost: float, best_cost: float) -> int:
    """How many crossings make a clear spot of rank cost `cost` lose to `best_cost` (ties
    lose: the earlier spot wins); past CROSSINGS_COUNTED, one more than that."""
    for n in range(CROSSINGS_COUNTED + 1):
        if cost + EDGE_CROSSING * n >= best_cost:
            return n
    return CROSSINGS_COUNTED + 1


def _crossing_cost(x: float, y: float, w: float, h: float, own_edge: int, segments: Index,
                   stop: int, seen: list) -> float:
    """EDGE_CROSSING for each foreign edge crossing Rect(x, y, w, h) with GAP / 2 around, up to
    CROSSINGS_COUNTED; once `stop` are found (the spot loses) the rest are not counted.  The
    segments in `seen` (which crossed the label's other spots; updated here) are tried first:
    neighbouring spots are crossed by the same edges, so they often tell that a spot loses
    without the index."""
    x0, y0 = x - GAP / 2, y - GAP / 2  # the rect with GAP / 2 around, as Rect.adjusted has it
    x1, y1 = x0 + (w + GAP), y0 + (h + GAP)
    enough = min(stop, CROSSINGS_COUNTED)
    crossed: set[int] = set()
    for i, item in enumerate(seen):
        number, a0, b0, a1, b1, a, b = item
        if b1 < y0 or y1 < b0 or a1 < x0 or x1 < a0 or number in crossed \
                or not _segment_hits_box(a, b, x0, y0, x1, y1):
            continue
        crossed.add(number)
        if len(crossed) == enough:
            if i:
                seen.insert(0, seen.pop(i))
            return EDGE_CROSSING * enough
    near = segments.near(x0, y0, x1, y1, enough=CROWDED)
    if len(near) > CROWDED:
        return EDGE_CROSSING * CROSSINGS_COUNTED
    items = segments.items
    for k in near:
        number, a0, b0, a1, b1, a, b = item = items[k]
        if b1 < y0 or y1 < b0 or a1 < x0 or x1 < a0 or number == own_edge or number in crossed:
            continue  # too far to touch (four in five: tested first), its own edge, or counted already
        if _segment_hits_box(a, b, x0, y0, x1, y1):
            if len(seen) < SEEN:
                seen.insert(0, item)
            crossed.add(number)
            if len(crossed) == enough:
                break
    return EDGE_CROSSING * len(crossed)


# -- candidates ---------------------------------------------------------------------------------


class Spots(SequenceABC):
    """Candidate centres packed as x, y, x, y, … in an array of doubles.  A render asks for
    every label's spots at once: as lists of tuples they took about 9 KB a label (270 MB at
    10,000 ops), packed 1.3 KB, and their extent is a C-speed min and max."""

    __slots__ = ("_xy",)

    def __init__(self, xy: array):
        self._xy = xy

    def __len__(self) -> int:
        return len(self._xy) // 2

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self)[i]
        n = len(self._xy) // 2
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return (self._xy[2 * i], self._xy[2 * i + 1])

    def __iter__(self):
        pairs = iter(self._xy)
        return zip(pairs, pairs)

    def extent(self) -> Box:
        """The box of the centres (the spots must not be empty)."""
        xs, ys = self._xy[0::2], self._xy[1::2]
        return min(xs), min(ys), max(xs), max(ys)

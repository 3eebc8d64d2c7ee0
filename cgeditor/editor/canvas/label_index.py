"""The spatial index behind label placement: boxes and segments by the grid cells they touch.

Pure geometry, no Qt.  A pyramid of uniform grids, so filing and querying stay cheap whether the
drawing spans a hundred units or two billion.
"""

from __future__ import annotations

import math

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1: the index's cheap form of a Rect
Cell = tuple[int, int, int]  # level, column, row

FANOUT = 4  # each level's cells are this many times wider than the level below
MAX_CELLS = 24  # a box or segment is filed on the finest level where it touches at most this many
_PAD = 1e-6  # relative slack when finding a segment's cells, so rounding never drops one


class Index:
    """Boxes and segments filed by the cells they touch, in a pyramid of ever coarser grids.

    Level 0's cells are about a label's size; each level above is FANOUT times coarser.  An item
    goes to the finest level where it touches at most MAX_CELLS cells, a segment by the cells it
    actually crosses (not its bounding box), and only its part within `within` (where queries
    look) counts.  So filing costs a bounded number of cells per item and a query looks at a
    few cells on each level in use, however far apart the drawing's nodes lie."""

    def __init__(self, within: Box, cell: float):
        self.within = within
        self.cell = cell
        self.items: list = []
        self.cells: dict[Cell, list[int]] = {}
        self.levels: dict[int, float] = {}  # the levels in use and their cell sizes

    def add_box(self, box: Box, item) -> None:
        """File `item` (anything; here the box and what it is) by the cells `box` touches."""
        wx0, wy0, wx1, wy1 = self.within
        x0, y0, x1, y1 = max(box[0], wx0), max(box[1], wy0), min(box[2], wx1), min(box[3], wy1)
        if x0 > x1 or y0 > y1:
            return
        level, size = 0, self.cell
        while (math.floor(x1 / size) - math.floor(x0 / size) + 1) \
                * (math.floor(y1 / size) - math.floor(y0 / size) + 1) > MAX_CELLS:
            level, size = level + 1, size * FANOUT
        self._file(level, size, _box_cells(x0, y0, x1, y1, size), item)

    def add_segment(self, item, a: Point, b: Point) -> None:
        (ax, ay), (bx, by) = a, b
        wx0, wy0, wx1, wy1 = self.within
        size = self.cell
        if wx0 <= ax <= wx1 and wx0 <= bx <= wx1 and wy0 <= ay <= wy1 and wy0 <= by <= wy1:
            i, j = math.floor(ax / size), math.floor(ay / size)
            if i == math.floor(bx / size) and j == math.floor(by / size):
                self._file(0, size, ((i, j),), item)  # the usual short piece of a curve: one cell
                return
        clipped = clip_segment(a, b, self.within)
        if clipped is None:
            return
        (x0, y0), (x1, y1) = clipped
        level, size = 0, self.cell
        span = (abs(x1 - x0) + abs(y1 - y0)) / size
        while span > MAX_CELLS:  # more cells than that however the segment lies
            level, size, span = level + 1, size * FANOUT, span / FANOUT
        cells = _segment_cells(x0, y0, x1, y1, size)
        while len(cells) > MAX_CELLS:
            level, size = level + 1, size * FANOUT
            cells = _segment_cells(x0, y0, x1, y1, size)
        self._file(level, size, cells, item)

    def _file(self, level: int, size: float, cells, item) -> None:
        self.levels[level] = size
        k = len(self.items)
        self.items.append(item)
        for i, j in cells:
            self.cells.setdefault((level, i, j), []).append(k)

    def near(self, x0: float, y0: float, x1: float, y1: float, enough: int | None = None) -> list[int]:
        """Indices of the items filed in a cell that box (x0, y0, x1, y1) touches; an item filed
        in several of those cells is listed once for each.  With `enough`, the search may stop
        once more than that many are found (the caller only asks whether there are)."""
        found: list[int] = []
        get = self.cells.get
        floor = math.floor
        for level, size in self.levels.items():
            i0, i1, j0, j1 = floor(x0 / size), floor(x1 / size), floor(y0 / size), floor(y1 / size)
            if i0 == i1 and j0 == j1:  # the usual case: a label within one cell
                hit = get((level, i0, j0))
                if hit:
                    found += hit
            else:
                for i in range(i0, i1 + 1):
                    for j in range(j0, j1 + 1):
                        hit = get((level, i, j))
                        if hit:
                            found += hit
            if enough is not None and len(found) > enough:
                return found[:enough + 1]
        return found


def _box_cells(x0: float, y0: float, x1: float, y1: float, size: float) -> list[tuple[int, int]]:
    js = range(math.floor(y0 / size), math.floor(y1 / size) + 1)
    return [(i, j) for i in range(math.floor(x0 / size), math.floor(x1 / size) + 1) for j in js]


def _segment_cells(x0: float, y0: float, x1: float, y1: float, size: float) -> list[tuple[int, int]]:
    """The cells of side `size` that segment (x0, y0)–(x1, y1) passes through (a few extra where
    it runs close to a corner), column by column."""
    if x0 > x1:
        x0, y0, x1, y1 = x1, y1, x0, y0
    pad = _PAD * size
    floor = math.floor
    cells = []
    i0, i1 = floor((x0 - pad) / size), floor((x1 + pad) / size)
    slope = (y1 - y0) / (x1 - x0) if x1 > x0 else None
    if slope is not None and math.isinf(slope):  # a run too short to divide by: vertical
        slope = None
    for i in range(i0, i1 + 1):
        if slope is None:  # vertical: its whole height in each column it is near
            ya, yb = y0, y1
        else:  # the part within this column; a column only reached by the slack gets an end
            xa, xb = min(max(x0, i * size), x1), max(min(x1, (i + 1) * size), x0)
            ya, yb = y0 + (xa - x0) * slope, y0 + (xb - x0) * slope
        if ya > yb:
            ya, yb = yb, ya
        cells += [(i, j) for j in range(floor((ya - pad) / size), floor((yb + pad) / size) + 1)]
    return cells


def clip_segment(a: Point, b: Point, box: Box) -> tuple[Point, Point] | None:
    """The part of segment a–b inside the closed `box` (Liang–Barsky), or None."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return None
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    if t0 > t1:
        return None
    return (x0 + dx * t0, y0 + dy * t0), (x0 + dx * t1, y0 + dy * t1)

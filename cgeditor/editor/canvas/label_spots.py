"""Where a label may go, in order of preference: centres around its node (below first, where a
reader looks for a value) or along its edge (the middle first), packed as `Spots` for
`place_labels` to choose from."""

from __future__ import annotations

import math
from array import array
from typing import Iterable, Sequence

from cgeditor.editor.canvas.label_index import Point
from cgeditor.editor.canvas.label_placement import GAP, Rect, Spots


def around_node(node: Rect, size: tuple[float, float], rings: int = 4) -> Spots:
    """Centres below the node first (where a reader looks for a value), then above, then
    beside, then the same further out."""
    w, h = size
    cx, cy = node.center
    out = array("d")
    for ring in range(rings):
        d = GAP + 1 + ring * (h + GAP)
        below = node.bottom + d + h / 2
        above = node.y - d - h / 2
        side = node.w / 2 + d + w / 2
        out.extend((cx, below, cx, above))
        for shift in (0.5, 1.0):
            dx = shift * (node.w / 2 + w / 2)
            out.extend((cx + dx, below, cx - dx, below, cx + dx, above, cx - dx, above))
        out.extend((cx + side, cy + node.h / 2 + h / 2, cx - side, cy + node.h / 2 + h / 2,
                    cx + side, cy - node.h / 2 - h / 2, cx - side, cy - node.h / 2 - h / 2))
    return Spots(out)


def along_polyline(points: Sequence[Point], size: tuple[float, float],
                   fractions: Sequence[float] = (0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74,
                                                 0.2, 0.8, 0.15, 0.85),
                   offsets: int = 3) -> Spots:
    """Centres on the polyline at the given fractions of its length, then pushed off it to
    either side (perpendicular), further each round."""
    if len(points) < 2:
        return Spots(array("d"))
    on = _points_along(points, fractions)
    xy = [c for (x, y), _ in on for c in (x, y)]  # one array made at the end: 2,181 edges made 113,000 extends
    w, h = size
    # how far to move a round for the label's box to clear the line whatever its slope
    steps = [((x, y), (nx, ny), abs(nx) * w / 2 + abs(ny) * h / 2 + GAP) for (x, y), (nx, ny) in on]
    for k in range(1, offsets + 1):
        for (x, y), (nx, ny), step in steps:
            d = k * step
            xy += (x + nx * d, y + ny * d, x - nx * d, y - ny * d)
    return Spots(array("d", xy))


def point_at(points: Sequence[Point], fraction: float) -> tuple[Point, Point]:
    """The point at `fraction` of the polyline's length and the unit normal there."""
    return _points_along(points, (fraction,))[0]


def _points_along(points: Sequence[Point], fractions: Iterable[float]) -> list[tuple[Point, Point]]:
    """The point at each fraction of the polyline's length and the unit normal there (the
    segments' lengths measured once for them all)."""
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:])]
    total, last = sum(lengths), len(lengths) - 1
    out = []
    for fraction in fractions:
        target = fraction * total
        for i in range(last):
            length = lengths[i]
            if target <= length:
                break
            target -= length
        else:
            i = last
        (ax, ay), (bx, by) = points[i], points[i + 1]
        length = lengths[i]
        t = min(1.0, target / length) if length else 0.0
        dx, dy = ((bx - ax) / length, (by - ay) / length) if length else (1.0, 0.0)
        out.append(((ax + (bx - ax) * t, ay + (by - ay) * t), (-dy, dx)))
    return out

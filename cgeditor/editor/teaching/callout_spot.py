"""Where the step callout goes: which side of the graph it hangs on, where its pointer ends, and
how far the bubble slides along so that it stays inside the view.

The bubble hangs below the graph, or above it, where it can hide no node or number.  Its pointer
runs from the current step to the bubble's tail; of the ends tried along either side, the one
whose pointer crosses the fewest other nodes wins, then the shortest pointer, where hanging above
counts as a bubble's width longer (below is where the class looks first, but a pointer slanting
across the screen to a free spot below loses the eye).  A
graph taller than the view would leave the bubble off screen whichever side it takes, so there
the bubble goes into the nearest gap between the nodes around the step, near enough to share
the screen with it, or just outside the graph when that is near enough too (covering as little
as can be when there is no such gap).

Rects are handled as plain (left, top, right, bottom) tuples: a placement tries a few hundred
spots against the nodes nearby at every step, too many for a call into Qt each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

from cgeditor.editor.canvas.label_index import clip_segment

SLIDES = (0, 1, -1, 2, -2, 3, -3, 4, -4, 6, -6, 8, -8)  # pointer ends tried, in steps from the anchor's x
BAND_STEP = 24.0  # screen pixels between the heights tried for a gap in a tall graph
EDGE_ROOM = 8.0  # screen pixels kept between the bubble and the view's sides
OWN_WEIGHT = 100  # covering one of the step's own nodes counts as covering this many others
SHARED_ROOM = 120.0  # screen pixels of a tall view's height left over when step and bubble share it
OUTSIDE_ROOM = 48.0  # screen pixels beside a bubble just outside a tall graph and its step, at the least

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class CalloutSpot:
    tail: QPointF  # where the pointer ends and the bubble's tail touches, in scene coordinates
    above: bool  # the bubble hangs above the tail (else below)
    shift: float  # the bubble's centre right of the tail, in screen pixels


def callout_spot(anchor: QPointF, bubble: tuple[float, float], tail_half: float, zoom: float,
                 graph: QRectF, seen: QRectF | None, nodes: list[QRectF], keep_clear: list[QRectF],
                 own: list[QRectF] = ()) -> CalloutSpot:
    """The spot for a bubble `bubble` = (width, height with the gap to its tail) screen pixels
    pointing at `anchor`: `nodes` are the rects the pointer should not cross (not the step's
    own), `keep_clear` what the bubble must not cover in a tall graph (nodes and their numbers),
    `own` the step's own nodes, which it covers last of all, `seen` the view's visible scene rect
    (None without a view)."""
    w, h = bubble[0] / zoom, bubble[1] / zoom
    step = max(w / 6, 40.0 / zoom)
    ax, ay = anchor.x(), anchor.y()
    obstacles = [_box(r) for r in nodes]
    # the tail keeps enough room from the view's sides for the bubble to slide over it
    room = (EDGE_ROOM + 2 * tail_half) / zoom
    xs = [ax + slide * step for slide in SLIDES]
    xs = [x for x in xs if seen is None or seen.left() + room <= x <= seen.right() - room] or [ax]
    best = None
    if seen is None or graph.height() + h <= seen.height():
        for rank, (y, above) in enumerate(((graph.bottom(), False), (graph.top(), True))):
            for x in xs:
                if graph.left() <= x <= graph.right() or x == ax:
                    cost = (_crossings(ax, ay, x, y, obstacles), math.hypot(x - ax, y - ay) + rank * w)
                    if best is None or cost < best[0]:
                        best = (cost, x, y, above)
    else:  # the bubble must share the screen with the step: it goes in a gap within reach
        clear, mine = [_box(r) for r in keep_clear], [_box(r) for r in own]
        reach, band = seen.height() - h - SHARED_ROOM / zoom, BAND_STEP / zoom
        tails = [(math.hypot(x - ax, i * band), x, ay + (-i if above else i) * band, above)
                 for above in (False, True) for x in xs for i in range(1, max(int(reach / band), 1) + 1)]
        for y, above in ((graph.bottom(), False), (graph.top(), True)):  # just outside the graph
            if abs(y - ay) + h + OUTSIDE_ROOM / zoom <= seen.height():  # covers nothing, if in reach
                tails += [(math.hypot(x - ax, y - ay), x, y, above) for x in xs]
        centres = {x: x + _shift(QPointF(x, ay), bubble[0], tail_half, zoom, seen) / zoom for x in xs}
        for length, x, y, above in sorted(tails):
            top, centre = y - h if above else y, centres[x]  # where the bubble is once slid into view
            area = (centre - w / 2, top, centre + w / 2, top + h)
            covered = sum(_overlap(area, c) for c in clear) + OWN_WEIGHT * sum(_overlap(area, m) for m in mine)
            if best is not None and covered > best[0][0]:
                continue
            cost = (covered, _crossings(ax, ay, x, y, obstacles), length)
            if best is None or cost < best[0]:
                best = (cost, x, y, above)
            if cost[:2] == (0, 0):
                break
    _, x, y, above = best if best is not None else (None, ax, graph.bottom(), False)
    tail = QPointF(x, y)
    return CalloutSpot(tail, above, _shift(tail, bubble[0], tail_half, zoom, seen))


def _shift(tail: QPointF, width: float, tail_half: float, zoom: float, seen: QRectF | None) -> float:
    """How far (screen pixels) to slide the bubble off centre so it stays in view; the tail stays
    under the bubble."""
    if seen is None:
        return 0.0
    x = (tail.x() - seen.left()) * zoom  # the tail on screen, from the view's left side
    view_w = seen.width() * zoom
    if width + 2 * EDGE_ROOM <= view_w:
        centre = min(max(x, width / 2 + EDGE_ROOM), view_w - width / 2 - EDGE_ROOM)
    else:
        centre = view_w / 2
    most = max(width / 2 - 2 * tail_half, 0.0)
    return min(max(centre - x, -most), most)


def _box(r: QRectF) -> Box:
    return r.left(), r.top(), r.right(), r.bottom()


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crossings(x0: float, y0: float, x1: float, y1: float, boxes: list[Box]) -> int:
    """How many of `boxes` the segment from (x0, y0) to (x1, y1) passes through."""
    return sum(clip_segment((x0, y0), (x1, y1), b) is not None for b in boxes)

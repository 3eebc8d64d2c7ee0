"""Where the step callout goes: which side of the graph it hangs on, where its pointer ends, and
how far the bubble slides along so that it stays inside the view.

The bubble hangs below the graph, or above it, where it can hide no node or number.  Its pointer
runs from the current step to the bubble's tail; of the ends tried along either side, the one
whose pointer crosses the fewest other nodes wins (below before above, then the shortest).  A
graph taller than the view would leave the bubble off screen whichever side it takes, so there
the bubble goes into the nearest gap between the nodes above or below the step instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF

SLIDES = (0, 1, -1, 2, -2, 3, -3, 4, -4, 6, -6, 8, -8)  # pointer ends tried, in steps from the anchor's x
BAND_STEP = 12.0  # screen pixels between the heights tried for a gap in a tall graph
EDGE_ROOM = 8.0  # screen pixels kept between the bubble and the view's sides


@dataclass(frozen=True)
class CalloutSpot:
    tail: QPointF  # where the pointer ends and the bubble's tail touches, in scene coordinates
    above: bool  # the bubble hangs above the tail (else below)
    shift: float  # the bubble's centre right of the tail, in screen pixels


def callout_spot(anchor: QPointF, bubble: tuple[float, float], tail_half: float, zoom: float,
                 graph: QRectF, seen: QRectF | None, nodes: list[QRectF], keep_clear: list[QRectF]) -> CalloutSpot:
    """The spot for a bubble `bubble` = (width, height with the gap to its tail) screen pixels
    pointing at `anchor`: `nodes` are the rects the pointer should not cross (not the step's
    own), `keep_clear` what the bubble must not cover in a tall graph (nodes and their numbers),
    `seen` the view's visible scene rect (None without a view)."""
    w, h = bubble[0] / zoom, bubble[1] / zoom
    step = max(w / 6, 40.0 / zoom)
    fits_tall = seen is None or graph.height() + h <= seen.height()
    candidates = []
    if fits_tall:
        for rank, (y, above) in enumerate(((graph.bottom(), False), (graph.top(), True))):
            for slide in SLIDES:
                x = anchor.x() + slide * step
                if graph.left() <= x <= graph.right() and (seen is None or _inside_x(x, seen, tail_half / zoom)):
                    tail = QPointF(x, y)
                    candidates.append(((_crossings(anchor, tail, nodes), rank, abs(slide)), tail, above))
    else:
        for above in (False, True):
            tail = _gap(anchor, w, h, above, graph, keep_clear, BAND_STEP / zoom)
            if tail is not None:
                candidates.append(((_crossings(anchor, tail, nodes), abs(tail.y() - anchor.y()), above), tail, above))
    if not candidates:
        tail, above = QPointF(anchor.x(), graph.bottom()), False
    else:
        _, tail, above = min(candidates, key=lambda c: c[0])
    return CalloutSpot(tail, above, _shift(tail, bubble[0], tail_half, zoom, seen))


def _inside_x(x: float, seen: QRectF, room: float) -> bool:
    return seen.left() + room <= x <= seen.right() - room


def _shift(tail: QPointF, width: float, tail_half: float, zoom: float, seen: QRectF | None) -> float:
    """How far (screen pixels) to slide the bubble off centre so it stays in view; the tail stays
    under the bubble."""
    if seen is None:
        return 0.0
    x = (tail.x() - seen.left()) * zoom  # the tail on screen, from the view's left side
    view_w = seen.width() * zoom
    centre = min(max(x, width / 2 + EDGE_ROOM), view_w - width / 2 - EDGE_ROOM) if width + 2 * EDGE_ROOM <= view_w \
        else view_w / 2
    most = max(width / 2 - 2 * tail_half, 0.0)
    return min(max(centre - x, -most), most)


def _gap(anchor: QPointF, w: float, h: float, above: bool, graph: QRectF, keep_clear: list[QRectF],
         step: float) -> QPointF | None:
    """The nearest tail height above or below `anchor` where the bubble covers nothing in
    `keep_clear` (at the latest just past the graph's edge)."""
    y = anchor.y()
    for _ in range(int(graph.height() / step) + 2):  # past the graph's edge everything is clear
        y += -step if above else step
        area = QRectF(anchor.x() - w / 2, y - h if above else y, w, h)
        if not any(area.intersects(r) for r in keep_clear):
            return QPointF(anchor.x(), y)
    return None


def _crossings(start: QPointF, end: QPointF, rects: list[QRectF]) -> int:
    line = QLineF(start, end)
    return sum(_crosses(line, r) for r in rects)


def _crosses(line: QLineF, r: QRectF) -> bool:
    if r.contains(line.p1()) or r.contains(line.p2()):
        return True
    corners = (r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft())
    return any(line.intersects(QLineF(corners[i], corners[(i + 1) % 4]))[0] == QLineF.BoundedIntersection
               for i in range(4))

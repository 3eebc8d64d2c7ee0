"""Positions as the graph keeps them: two floats, whatever a caller passes (ints, a QPointF's
tuple), each within the file format's ±MAX_COORDINATE, so that no edit (a paste beside a node
at the limit, a drag, a note) can put a node where the saved file would no longer open."""

from __future__ import annotations

from cgeditor.model.fileformat import MAX_COORDINATE


def point(p) -> tuple[float, float]:
    return _within(float(p[0])), _within(float(p[1]))


def _within(c: float) -> float:
    return min(max(c, -MAX_COORDINATE), MAX_COORDINATE)


def shift_within(xs: list[float], ys: list[float], dx: float, dy: float) -> tuple[float, float]:
    """(dx, dy) shortened so that points at `xs`, `ys` moved by it all stay within the limits:
    a copy pasted beside nodes at the edge keeps its shape rather than piling onto the edge."""
    return (min(max(dx, -MAX_COORDINATE - min(xs)), MAX_COORDINATE - max(xs)),
            min(max(dy, -MAX_COORDINATE - min(ys)), MAX_COORDINATE - max(ys)))

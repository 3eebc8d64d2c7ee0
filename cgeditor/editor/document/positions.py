"""Positions as the graph keeps them: two floats, whatever a caller passes (ints, a QPointF's tuple)."""

from __future__ import annotations


def point(p) -> tuple[float, float]:
    return float(p[0]), float(p[1])

"""How a layout reads: wire crossings and total wire length, with straight wires from a node's
centre to its target's input port (the layout's tests and benchmarks compare layouts by these)."""

from __future__ import annotations

import math

from cgeditor.model.graph import Graph
from cgeditor.model.layout import Positions

PORT_SPACING = 20.0  # vertical distance between neighbouring input ports


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

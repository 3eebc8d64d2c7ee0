"""Where things sit: node sizes, port positions and the curve of an edge (QtNodes' NodeGeometry).

Pure Python, so the canvas, exported images and tests agree on one set of numbers.  Text widths
come from a `measure(role, text)` callback (the canvas passes font metrics), which keeps this
module free of Qt.  All node coordinates are local, with the node's position at the centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Sequence

from cgeditor.model.escape import visible
from cgeditor.model.graph import Graph, Node, NodeKind
from cgeditor.model.ops import Op

from cgeditor.editor.canvas.label_placement import Point, Rect

PORT_SPACING = 20.0  # matches the layout's spacing of input ports
PORT_RADIUS = 4.5
PORT_HIT_RADIUS = 9.0  # generous target for the mouse
TAG_HEIGHT = 15.0  # the "output" tag above the output node
BADGE_RADIUS = 8.0  # the warning badge of an invalid node

Measure = Callable[[str, str], float]  # (role: "label" | "symbol" | "small", text) -> width


def rough_measure(role: str, text: str) -> float:
    """A width estimate for when no font is at hand (tests, headless use)."""
    per_char = {"label": 8.0, "symbol": 11.0, "small": 6.0}[role]
    return per_char * len(text)


@dataclass(frozen=True)
class NodeShape:
    kind: NodeKind
    body: Rect
    inputs: tuple[Point, ...]
    port_names: tuple[str, ...]  # "" where the order of inputs does not matter
    symbol: str | None  # what an op node shows (its op's symbol, a block's name); None: unknown op
    output: Point
    tag: Rect | None  # the "output" tag, if this node is the output
    badge: Point | None  # centre of the warning badge, if the node has problems

    @cached_property
    def bounds(self) -> Rect:
        """Everything the node paints: body, ports, tag, badge."""
        r = self.body.adjusted(PORT_RADIUS + 1)
        if self.tag is not None:
            r = r.united(self.tag)
        if self.badge is not None:
            bx, by = self.badge
            r = r.united(Rect.centered(bx, by, 2 * BADGE_RADIUS + 2, 2 * BADGE_RADIUS + 2))
        return r

    def input_point(self, port: int) -> Point:
        """Where an edge into `port` ends; edges into ports the node lacks end at its left side."""
        if 0 <= port < len(self.inputs):
            return self.inputs[port]
        return (self.body.x, 0.0)


def input_count(graph: Graph, node: Node, spare: bool = False) -> int:
    """How many input ports a node shows: its arity; for a variadic op, the wired ones (at least
    its minimum), plus a free one while `spare` (a wire is being dragged)."""
    if node.kind is not NodeKind.OP:
        return 0
    edges = graph.sorted_in_edges(node.id)  # by port: the last is the highest
    wired = edges[-1].port + 1 if edges else 0
    op = graph.op(node.op)
    if op is None:
        return max(wired, 1)
    if op.max_arity is None:
        return max(op.min_arity, wired) + (1 if spare else 0)
    return max(op.max_arity, wired)


def node_shape(node: Node, n_inputs: int, measure: Measure = rough_measure, *, op: Op | None = None,
               is_output: bool = False, invalid: bool = False) -> NodeShape:
    """The node's shape, `op` being what the graph's lookup (`graph.op`) says an op node
    computes; nodes of one kind, ports and width share one (a large graph has few)."""
    label = visible(node.label)  # as the painter draws it
    if node.kind is NodeKind.VARIABLE:
        w, h = max(60.0, measure("label", label) + 32), 42.0
    elif node.kind is NodeKind.CONSTANT:
        w, h = max(52.0, measure("label", label) + 28), 34.0
    else:
        symbol = op.symbol if op else "?"
        named = op.ports if op else ()
        names_w = max([measure("small", n) for n in named]) if named else 0.0
        w = max(64.0, measure("symbol", symbol) + 30, measure("small", label) + 22)
        w += names_w + 8 if names_w else 0
        h = max(50.0, n_inputs * PORT_SPACING + 12)
    tw = measure("small", "output") + 12 if is_output else None
    names: tuple[str, ...] = ()
    shown = None
    if node.kind is NodeKind.OP:
        names = _port_names(named, n_inputs)
        shown = op.symbol if op else None
    return _shape(node.kind, names, shown, n_inputs, w, h, tw, invalid)


@lru_cache(maxsize=256)
def _port_names(named: tuple[str, ...], n_inputs: int) -> tuple[str, ...]:
    """Each input's name as shown: the op's, "" past its names (a large graph has few kinds)."""
    return tuple(named[i] if i < len(named) else "" for i in range(n_inputs))


@lru_cache(maxsize=4096)
def _shape(kind: NodeKind, names: tuple[str, ...], symbol: str | None, n_inputs: int, w: float,
           h: float, tag_w: float | None, invalid: bool) -> NodeShape:
    body = Rect.centered(0.0, 0.0, w, h)
    inputs = tuple((-w / 2, (i - (n_inputs - 1) / 2) * PORT_SPACING) for i in range(n_inputs))
    tag = None if tag_w is None else Rect(body.right - tag_w - 6, body.y - TAG_HEIGHT + 1, tag_w, TAG_HEIGHT)
    badge = (body.x + 4, body.y + 4) if invalid else None
    return NodeShape(kind, body, inputs, names, symbol, (w / 2, 0.0), tag, badge)


def edge_controls(p0: Point, p1: Point) -> tuple[Point, Point, Point, Point]:
    """A cubic Bézier leaving `p0` to the right and arriving at `p1` from the left."""
    dx = max(abs(p1[0] - p0[0]) * 0.5, 40.0)
    return p0, (p0[0] + dx, p0[1]), (p1[0] - dx, p1[1]), p1


def cubic_points(controls: Sequence[Point], n: int = 16) -> list[Point]:
    """The curve as a polyline of n segments (for label placement and hit tests)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = controls
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


def curve_bounds(controls: Sequence[Point]) -> tuple[float, float, float, float]:
    """(x, y, w, h) of the cubic Bézier `controls`, computed as Qt's QPainterPath.boundingRect
    computes it for moveTo + cubicTo, to the last bit: an edge knows its bounds without making
    its path, which most edges of a large graph never need."""
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = controls
    minx, maxx = (x1, x4) if x1 < x4 else (x4, x1)
    miny, maxy = (y1, y4) if y1 < y4 else (y4, y1)
    for t in _extremum_ts(x1, x2, x3, x4) + _extremum_ts(y1, y2, y3, y4):
        if 0 <= t <= 1:  # QBezier::pointAt, which interpolates in this order
            m = 1.0 - t
            a, b, c = x1 * m + x2 * t, x2 * m + x3 * t, x3 * m + x4 * t
            a, b = a * m + b * t, b * m + c * t
            x = a * m + b * t
            a, b, c = y1 * m + y2 * t, y2 * m + y3 * t, y3 * m + y4 * t
            a, b = a * m + b * t, b * m + c * t
            y = a * m + b * t
            if x < minx:
                minx = x
            elif x > maxx:
                maxx = x
            if y < miny:
                miny = y
            elif y > maxy:
                maxy = y
    # The curve's rect is stored as (x, y, w, h), then united with the path's start point.
    right, bottom = minx + (maxx - minx), miny + (maxy - miny)
    left, top = min(x1, minx), min(y1, miny)
    right, bottom = right if right > x1 else x1, bottom if bottom > y1 else y1
    return left, top, right - left, bottom - top


def _extremum_ts(c1: float, c2: float, c3: float, c4: float) -> tuple[float, ...]:
    """Where one coordinate of a cubic Bézier may turn: the roots of its derivative, found as
    Qt's qt_painterpath_bezier_extrema finds them (1e-12 is its qFuzzyIsNull)."""
    a = 3 * (-c1 + 3 * c2 - 3 * c3 + c4)
    b = 6 * (c1 - 2 * c2 + c3)
    c = 3 * (-c1 + c2)
    if -1e-12 <= a <= 1e-12:
        return (-c / b,) if not -1e-12 <= b <= 1e-12 else ()
    d = b * b - 4 * a * c
    if d < 0:
        return ()
    s, r = math.sqrt(d), 1 / (2 * a)
    return ((-b + s) * r, (-b - s) * r)

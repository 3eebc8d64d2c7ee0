"""The graphics items: nodes, their ports, edges and overlay labels.

Items hold only what they draw (a node's kind, label and shape; an edge's end points; a label's
text).  The scene pushes that state into them from the graph and the latest evaluation; the
items never compute, validate or edit anything.  Geometry comes from `node_geometry`, looks from
`node_painter`.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6 import QtGui
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from cgeditor.model.graph import Edge, Node
from cgeditor.model.numbers import format_compact, format_full
from cgeditor.editor.canvas.label_placement import Point
from cgeditor.editor.canvas.node_geometry import (PORT_HIT_RADIUS, NodeShape, cubic_points, curve_bounds,
                                                  edge_controls)
from cgeditor.editor.canvas.node_painter import LABEL_MIN_PX, NodePainter, qrect

Z_NODE, Z_WIRE, Z_LABEL = 10.0, 20.0, 30.0  # above the edges, which keep Qt's default z of 0
EDGE_HIT_WIDTH = 10.0
SLOT_STEP = 8.0  # label slots are rounded up to this, see OverlayLabel._slot
SLOT_TEXT = "-0.0000"  # the width most compact numbers stay within


_PORT_RECT = QRectF(-PORT_HIT_RADIUS, -PORT_HIT_RADIUS, 2 * PORT_HIT_RADIUS, 2 * PORT_HIT_RADIUS)


def _lod(painter, option: QStyleOptionGraphicsItem) -> float:
    return option.levelOfDetailFromTransform(painter.worldTransform())


class PortItem(QGraphicsItem):
    """An invisible, generous mouse target over a port, ringed while a wire is dragged."""

    def __init__(self, node_id: str, index: int | None, painter: NodePainter, parent: "NodeItem"):
        super().__init__(parent)
        self.node_id = node_id
        self.index = index  # input port number, or None for the output
        self._painter = painter
        self._state: str | None = None  # None, "valid", "invalid", "hover"
        self.setAcceptHoverEvents(True)

    def hoverEnterEvent(self, event) -> None:
        if not self.hasCursor():  # set on first hover: a large graph has tens of thousands of ports
            self.setCursor(Qt.CrossCursor)
        super().hoverEnterEvent(event)

    @property
    def is_input(self) -> bool:
        return self.index is not None

    def boundingRect(self) -> QRectF:
        return _PORT_RECT

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(self.boundingRect())
        return path

    def set_state(self, state: str | None) -> None:
        if state != self._state:
            self._state = state
            self.update()

    def state(self) -> str | None:
        return self._state

    def paint(self, p, option, widget=None) -> None:
        if self._state is None:
            return
        t = self._painter.theme
        color = t.color("port_invalid" if self._state == "invalid" else "port_valid")
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(color, 3.0 if self._state == "hover" else 2.0))
        r = PORT_HIT_RADIUS - 2.5
        p.drawEllipse(QPointF(0, 0), r, r)


class NodeItem(QGraphicsItem):
    """One node, drawn by the node painter from the shape the scene gives it."""

    def __init__(self, node: Node, shape: NodeShape, painter: NodePainter,
                 flags=QGraphicsItem.ItemIsSelectable):
        super().__init__()
        self.node_id = node.id
        self._painter = painter
        self._node = node.copy()  # what is drawn: kind, label, op
        self._shape = shape
        self._bounds = qrect(shape.bounds)  # asked for on every paint and scene query: kept
        self._is_output = False
        self._invalid = False
        self._bad_ports: frozenset[int] = frozenset()
        self._ports: list[PortItem] | None = None  # made when first asked for, see `ports`
        self.setFlags(flags)
        self.setZValue(Z_NODE)

    # -- state pushed by the scene -------------------------------------------------------

    def set_node(self, node: Node, shape: NodeShape) -> None:
        """New label or port count: new shape; ports are rebuilt when their number changes."""
        self.prepareGeometryChange()
        self._node = node.copy()
        old_inputs = len(self._shape.inputs)
        self._shape = shape
        self._bounds = qrect(shape.bounds)
        if self._ports is not None and len(shape.inputs) != old_inputs:
            self._rebuild_ports()
        else:
            for port in self._ports or ():
                port.setPos(*self._port_point(port.index))
        self.update()

    def set_status(self, is_output: bool, problems: list[str], bad_ports: frozenset[int]) -> None:
        self._is_output = is_output
        self._invalid = bool(problems)
        self._bad_ports = bad_ports
        self.setToolTip(plain_tooltip("\n".join(problems)))
        self.update()

    @property
    def shape_info(self) -> NodeShape:
        return self._shape

    @property
    def label(self) -> str:
        return self._node.label

    @property
    def node(self) -> Node:
        """A copy of the node as drawn (kind, label, op)."""
        return self._node

    def is_output(self) -> bool:
        return self._is_output

    def is_invalid(self) -> bool:
        return self._invalid

    def ports(self) -> list[PortItem]:
        """The port items, made on first use: the scene asks for them where the mouse goes, so
        a large graph does not pay for tens of thousands of ports nobody points at."""
        if self._ports is None:
            self._rebuild_ports()
        return list(self._ports)

    def input_port(self, index: int) -> PortItem | None:
        return next((p for p in self.ports() if p.index == index), None)

    def output_port(self) -> PortItem:
        return next(p for p in self.ports() if p.index is None)

    def input_scene_point(self, port: int) -> Point:
        x, y = self._shape.input_point(port)
        return (self.x() + x, self.y() + y)

    def output_scene_point(self) -> Point:
        x, y = self._shape.output
        return (self.x() + x, self.y() + y)

    def label_rect(self) -> QRectF:
        """Where the node's own name is drawn, in scene coordinates (for inline renaming)."""
        b = self._shape.body
        return QRectF(self.x() + b.x, self.y() + b.y, b.w, b.h)

    def _port_point(self, index: int | None) -> Point:
        return self._shape.output if index is None else self._shape.inputs[index]

    def _rebuild_ports(self) -> None:
        for port in self._ports or ():
            port.setParentItem(None)
            if port.scene() is not None:
                port.scene().removeItem(port)
        self._ports = []
        for index in [*range(len(self._shape.inputs)), None]:
            port = PortItem(self.node_id, index, self._painter, self)
            port.setPos(*self._port_point(index))
            self._ports.append(port)

    # -- QGraphicsItem ------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(qrect(self._shape.body))
        return path

    def paint(self, p, option, widget=None) -> None:
        self._painter.paint_node(p, self._node, self._shape, selected=self.isSelected(),
                                 is_output=self._is_output, invalid=self._invalid,
                                 bad_ports=self._bad_ports, lod=_lod(p, option))


class EdgeItem(QGraphicsItem):
    """A smooth curve from a source's output port to a target's input port."""

    def __init__(self, edge: Edge, painter: NodePainter, p0: Point, p1: Point,
                 flags=QGraphicsItem.ItemIsSelectable):
        super().__init__()
        self.edge = edge
        self._painter = painter
        self._invalid = False
        self._highlighted = False  # a palette op hovers over it: dropping inserts into this edge
        self.setFlags(flags)
        self._set_curve(edge_controls(p0, p1))

    def set_ends(self, p0: Point, p1: Point) -> None:
        controls = edge_controls(p0, p1)
        if controls != self._controls:
            self.prepareGeometryChange()
            self._set_curve(controls)

    def _set_curve(self, controls: tuple[Point, Point, Point, Point]) -> None:
        self._controls = controls
        self._polyline: list[Point] | None = None  # worked out when label placement first asks
        # The curve and the mouse target around it are made when first asked for: a large
        # graph opens with most of its edges never painted or pointed at.
        self._path: QPainterPath | None = None
        self._hit: QPainterPath | None = None
        x, y, w, h = curve_bounds(controls)  # the path's boundingRect, without the path
        m = EDGE_HIT_WIDTH / 2
        # boundingRect, also as numbers (the scene sums them up): rounded as QRectF.adjusted rounds
        self.extent = (x - m, y - m, w + m + m, h + m + m)
        self._bounds = QRectF(*self.extent)

    def set_problem(self, message: str | None) -> None:
        self._invalid = message is not None
        self.setToolTip(plain_tooltip(message or ""))
        self.update()

    def is_invalid(self) -> bool:
        return self._invalid

    def set_highlighted(self, on: bool) -> None:
        self._highlighted = on
        self.update()

    def is_highlighted(self) -> bool:
        return self._highlighted

    def polyline(self) -> list[Point]:
        """The curve as 16 straight segments, for label placement."""
        if self._polyline is None:
            self._polyline = cubic_points(self._controls)
        return self._polyline

    def path(self) -> QPainterPath:
        return QPainterPath(self._curve())

    def _curve(self) -> QPainterPath:
        if self._path is None:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self._controls
            self._path = QPainterPath()
            self._path.moveTo(x0, y0)
            self._path.cubicTo(x1, y1, x2, y2, x3, y3)
        return self._path

    def controls(self) -> tuple[Point, Point, Point, Point]:
        """The curve's Bézier control points, start to end."""
        return self._controls

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._hit is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(EDGE_HIT_WIDTH)
            self._hit = stroker.createStroke(self._curve())
        return self._hit

    def paint(self, p, option, widget=None) -> None:
        self._painter.paint_edge(p, self._curve(), selected=self.isSelected() or self._highlighted,
                                 invalid=self._invalid)


class OverlayLabel(QGraphicsItem):
    """A computed number shown on the canvas: a node's value or gradient, an edge's local gradient.

    Compact text on the canvas, every digit in the tooltip; nan and inf are highlighted.
    """

    PREFIX = {"value": "", "grad": "∂ ", "edge_grad": "∂ "}

    def __init__(self, style: str, owner, painter: NodePainter):
        super().__init__()
        self.style = style  # "value", "grad" or "edge_grad"
        self.owner = owner  # node id, or Edge for "edge_grad"
        self._painter = painter
        self._number: float | None = None
        self._tooltip = ""
        self._override: str | None = None  # text shown instead of the number (a running sum, "?")
        self._concealed = False  # not revealed yet by a step-through: its place kept, nothing drawn
        self._text = ""
        self._pill = (0.0, 0.0)  # what the text needs
        self.placed = False  # set by the label layout; unplaced labels stay hidden
        self.serial = 0  # which evaluation it shows (the scene fills in labels as they come into view)
        self._size = (0.0, 0.0)  # the slot reserved for it: it only grows between full placements,
        #                          so typing a value soon stops moving labels around
        self.setZValue(Z_LABEL)
        self.setAcceptedMouseButtons(Qt.LeftButton)

    def text(self) -> str:
        """What the canvas shows, e.g. "64" or "∂ 32"."""
        return self._text

    def number(self) -> float | None:
        return self._number

    def size(self) -> tuple[float, float]:
        """The slot the label occupies on the canvas (its text's pill is centred in it)."""
        return self._size

    def set_number(self, value: float | None, tooltip: str, text: str | None = None) -> bool:
        """Show `value` (None: nothing computable, shown as "–"), or `text` in its place (a
        step-through's running sum "3 + …", a quiz's "?"); True if the size changed."""
        if (value, tooltip, text) == (self._number, self._tooltip, self._override) and value == value:
            return False  # the common case after an edit elsewhere: nothing to do
        shown = text if text is not None else "–" if value is None else format_compact(value)
        text, self._override = self.PREFIX[self.style] + shown, text
        self._number, self._tooltip = value, tooltip
        self.setToolTip(plain_tooltip(self._full_tooltip()))
        if text == self._text:
            return False
        self._text = text
        self._pill = self._painter.label_size(text)
        w, h = self._pill
        if w <= self._size[0] and h == self._size[1]:
            self.update()
            return False
        self.prepareGeometryChange()
        self._size = self._slot()
        return True

    def _full_tooltip(self) -> str:
        if self._concealed or self._override is not None:
            return ""  # the tooltip would give away what the class has not been shown yet
        value = self._number
        # the template's last "{full}" is the number's place; the labels before it are free text,
        # so braces in them ("}{", "{0}") are text too, not format fields
        head, _, tail = self._tooltip.rpartition("{full}")
        return head + ("not computable" if value is None else format_full(value)) + tail

    def set_concealed(self, concealed: bool) -> None:
        """Draw nothing but keep the slot, so labels do not jump as a step-through reveals them."""
        if concealed != self._concealed:
            self._concealed = concealed
            self.setToolTip(plain_tooltip(self._full_tooltip()))
            self.update()

    def is_concealed(self) -> bool:
        return self._concealed

    def shrink_to_fit(self) -> None:
        """Give back slot width the text no longer needs (before everything is placed anew)."""
        size = self._slot()
        if size != self._size:
            self.prepareGeometryChange()
            self._size = size

    def _slot(self) -> tuple[float, float]:
        """Room for the text and, beside nodes, for any number of the usual width, so that new
        values rarely need a new place."""
        w, h = self._pill
        if self.style == "edge_grad":  # edges have little room: keep their labels tight
            return (w, h)
        typical = self._painter.label_size(self.PREFIX[self.style] + SLOT_TEXT)[0]
        return (math.ceil(max(w, typical) / SLOT_STEP) * SLOT_STEP, h)

    def is_nonfinite(self) -> bool:
        return self._number is not None and not math.isfinite(self._number)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def paint(self, p, option, widget=None) -> None:
        if self._concealed or _lod(p, option) * self._painter.theme.overlay_px < LABEL_MIN_PX:
            return
        w, h = self._pill
        pill = QRectF((self._size[0] - w) / 2, 0, w, h)
        self._painter.paint_label(p, pill, self._text, self.style, self.is_nonfinite())


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows exactly these characters: Qt renders a tooltip that looks
    like markup (a label "<b>x</b>" or "<img src=…>") as rich text unless it is escaped."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"

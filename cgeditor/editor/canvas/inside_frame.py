"""One expanded instance's inside, painted in a frame: its nodes, edges and their numbers.

The frame holds only what it draws (`Insides` lays it out and pushes the texts in, as the
scene does for its own items).  An instance expanded inside it gets a frame of its own, a child
item placed in the band below the inside, with a dashed line from the inner instance down to it.
While stepping through, the frame shows only what the walk has revealed (labels not revealed
keep their places but draw nothing, as on the canvas) and marks the current step's node and edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from cgeditor.model.graph import Edge, Node
from cgeditor.model.teaching.view_state import TeachingState
from cgeditor.editor.canvas.items import Z_LABEL
from cgeditor.editor.canvas.node_geometry import NodeShape, edge_controls
from cgeditor.editor.canvas.node_painter import NodePainter, qrect

Z_FRAME = Z_LABEL + 10  # over the canvas' own nodes and labels: the inside is looked at, not around
PAD, TITLE_H, STEM, ROW = 26.0, 28.0, 56.0, 20.0  # margins, title band, line up to the instance
#                                                   (room for its own labels), label row
NONE = "–"  # what a number that cannot be computed reads


@dataclass
class InnerNode:
    node: Node
    shape: NodeShape
    pos: tuple[float, float]  # the node's centre, in the frame's coordinates
    value: str  # the texts of its labels ("–" where nothing is computable)
    grad: str
    returned: bool  # the block's output: drawn with the output's border


@dataclass(frozen=True)
class Texts:
    """What the frame's labels read at this instance's inputs."""

    nodes: dict[str, tuple[str, str]]  # inner id → (value, grad)
    edges: dict[Edge, str]  # inner edge → its local gradient


@dataclass(frozen=True)
class Step:
    """How the frame shows a step-through: what is revealed and the step's colours."""

    state: TeachingState
    color: str
    scale: float


class InsideFrame(QGraphicsItem):
    """Paints one expanded instance's inside; `instance_id` is its path ("h1", "h1/n2")."""

    def __init__(self, instance_id: str, painter: NodePainter):
        super().__init__()
        self.instance_id = instance_id
        self._painter = painter
        self._title = ""
        self._nodes: dict[str, InnerNode] = {}
        self._edges: list[Edge] = []
        self._edge_texts: dict[Edge, str] = {}
        self._links: list[tuple[str, QRectF]] = []  # inner instance → its own frame's rect, below
        self._size = (0.0, 0.0)
        self._below = True  # below the instance (the line to it leaves the top), else above
        self._stem_length = STEM
        self._stem = True  # a nested frame's line is drawn by the frame around it
        self._step: Step | None = None
        self.setZValue(Z_FRAME)
        self.setToolTip("Double-click an instance inside to expand it; double-click elsewhere "
                        "(or press Escape) to collapse")

    def set_contents(self, title: str, nodes: dict[str, InnerNode], edges: list[Edge],
                     size: tuple[float, float], links: list[tuple[str, QRectF]] = ()) -> None:
        self.prepareGeometryChange()
        self._title, self._nodes, self._edges, self._size = title, nodes, edges, size
        self._links = list(links)
        self.update()

    def set_texts(self, texts: Texts) -> None:
        for node_id, (value, grad) in texts.nodes.items():
            self._nodes[node_id].value, self._nodes[node_id].grad = value, grad
        self._edge_texts = dict(texts.edges)
        self.update()

    def set_step(self, step: Step | None) -> None:
        self._step = step
        self.update()

    def set_nested(self) -> None:
        self._stem = False
        self.setZValue(0)  # a child item: over its parent frame, as children are

    def texts(self) -> dict[str, tuple[str, str]]:
        """Each inner node's value and gradient as shown: {inner id: (value, grad)} ("" where a
        step-through has not revealed it yet)."""
        return {n: (self._shown_value(n), self._shown_grad(n)) for n in self._nodes}

    def edge_texts(self) -> dict[Edge, str]:
        """Each computed inner edge's local gradient as shown ("" where not revealed yet)."""
        return {e: self._shown_edge(e) for e in self._edge_texts}

    def title(self) -> str:
        return self._title

    def inner_at(self, pos: QPointF) -> str | None:
        """The inner node drawn at `pos` (frame coordinates), if any."""
        for node_id, inner in self._nodes.items():
            if qrect(inner.shape.bounds).translated(*inner.pos).contains(pos):
                return node_id
        return None

    def node_rect(self, node_id: str) -> QRectF:
        inner = self._nodes[node_id]
        return qrect(inner.shape.body).translated(*inner.pos)

    def edge_path(self, edge: Edge) -> QPainterPath:
        a, b = self._nodes[edge.source], self._nodes[edge.target]
        p0 = (a.pos[0] + a.shape.output[0], a.pos[1] + a.shape.output[1])
        x, y = b.shape.input_point(edge.port)
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge_controls(p0, (b.pos[0] + x, b.pos[1] + y))
        path = QPainterPath(QPointF(x0, y0))
        path.cubicTo(x1, y1, x2, y2, x3, y3)
        return path

    def drawn_rects(self) -> list[QRectF]:
        """Each inner node with its value above and gradient below, and the title band."""
        rows = [self.node_rect(n).adjusted(-PAD, -ROW - 1, PAD, ROW + 2) for n in self._nodes]
        return rows + [QRectF(0, 0, self._size[0], TITLE_H)]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._nodes

    def set_below(self, below: bool, stem: float = STEM) -> None:
        """Below the instance or above it, `stem` away from its node."""
        if (below, stem) != (self._below, self._stem_length):
            self.prepareGeometryChange()
            self._below, self._stem_length = below, stem
            self.update()

    def frame_rect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def boundingRect(self) -> QRectF:
        stem = self._stem_length if self._stem else 0.0
        return QRectF(0, -stem, self._size[0], self._size[1] + 2 * stem).adjusted(-4, -4, 4, 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.frame_rect())
        return path

    # -- painting -----------------------------------------------------------------------------

    def paint(self, p, option, widget=None) -> None:
        t = self._painter.theme
        frame = self.frame_rect()
        w, h = frame.width(), frame.height()
        p.setPen(QPen(t.color("accent"), 1.4, Qt.DashLine))
        if self._stem and self._below:
            p.drawLine(QPointF(w / 2, -self._stem_length), QPointF(w / 2, 0))
        elif self._stem:
            p.drawLine(QPointF(w / 2, h), QPointF(w / 2, h + self._stem_length))
        shadow = QColor(t.shadow)
        shadow.setAlpha(40)
        p.setPen(Qt.NoPen)
        p.setBrush(shadow)
        p.drawRoundedRect(frame.translated(0, 2.5), 10, 10)
        p.setBrush(t.color("canvas"))
        p.setPen(QPen(t.color("accent"), 1.6))
        p.drawRoundedRect(frame, 10, 10)
        p.setFont(self._painter.fonts["label"])
        p.setPen(t.color("muted"))
        p.drawText(QRectF(12, 5, w - 24, TITLE_H - 6), Qt.AlignLeft | Qt.AlignVCenter, self._title)
        p.setPen(QPen(t.color("accent"), 1.4, Qt.DashLine))
        for node_id, rect in self._links:
            if node_id in self._nodes:
                top = self.node_rect(node_id)
                p.drawLine(QPointF(top.center().x(), top.bottom()), QPointF(rect.center().x(), rect.top()))
        self._paint_step(p)
        paths = [(self.edge_path(edge), edge) for edge in self._edges]
        for path, _ in paths:
            self._painter.paint_edge(p, path)
        for node_id, inner in self._nodes.items():
            p.save()
            p.translate(*inner.pos)
            self._painter.paint_node(p, inner.node, inner.shape, is_output=inner.returned)
            p.restore()
            body = self.node_rect(node_id)
            self._label(p, self._shown_value(node_id), "value", body.center().x(), body.top() - ROW - 1)
            grad = self._shown_grad(node_id)
            self._label(p, "∂ " + grad if grad else "", "grad", body.center().x(), body.bottom() + 2)
        for path, edge in paths:
            middle, text = path.pointAtPercent(0.5), self._shown_edge(edge)
            self._label(p, "∂ " + text if text else "", "edge_grad", middle.x(), middle.y() - ROW / 2)

    def _paint_step(self, p) -> None:
        """The current step's halo, under the edges and nodes it marks."""
        step = self._step
        if step is None:
            return
        color = QColor(step.color)
        color.setAlpha(150)
        edge, node = step.state.current_edge, step.state.current_node
        if edge is not None and edge in self._edges:
            p.setPen(QPen(color, 12 * step.scale, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            p.setBrush(Qt.NoBrush)
            p.drawPath(self.edge_path(edge))
        if node is not None and node in self._nodes:
            pad = 7 * step.scale
            p.setPen(QPen(color, 6 * step.scale))
            p.setBrush(Qt.NoBrush)
            p.drawRoundedRect(self.node_rect(node).adjusted(-pad, -pad, pad, pad), 14, 14)

    def _shown_value(self, node_id: str) -> str:
        if self._step is not None and node_id not in self._step.state.values:
            return ""
        return self._nodes[node_id].value

    def _shown_grad(self, node_id: str) -> str:
        """d L / d node: the evaluation's, or what the walk has summed so far while stepping."""
        if self._step is None:
            return self._nodes[node_id].grad
        shown = self._step.state.grads.get(node_id)
        return shown.text if shown is not None else ""

    def _shown_edge(self, edge: Edge) -> str:
        if self._step is not None and edge not in self._step.state.edges:
            return ""
        return self._edge_texts.get(edge, NONE)

    def _label(self, p, text: str, style: str, centre_x: float, top: float) -> None:
        if not text:
            return
        w, h = self._painter.label_size(text)
        self._painter.paint_label(p, QRectF(centre_x - w / 2, top, w, h), text, style,
                                  text.removeprefix("∂ ") in ("nan", "inf", "-inf"))

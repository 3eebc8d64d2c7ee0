"""Expanded instances: a block instance's inside shown in place, in a frame below it.

Expanding is view state, not an edit: nothing in the document changes and nothing is undone.
The frame is one read-only item that paints the block's body (its nodes, edges and, at this
instance's inputs, every inner value, d output / d inner node and local gradient); `Insides`
gets those from the evaluator, run on the body with the params bound to the instance's inputs,
and pushes them in, as the scene does for its own items.
Double-clicking the frame, Escape or "Collapse" folds it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from cgeditor.model.block_edits import is_instance
from cgeditor.model.changes import BLOCK_CHANGES
from cgeditor.model.graph import Edge, Graph, Node, NodeKind, NodeMoved, NodeRemoved
from cgeditor.model.instance_values import inside_at, instance_inputs
from cgeditor.model.layout import layered_layout
from cgeditor.model.numbers import format_compact
from cgeditor.editor.canvas.items import Z_LABEL, NodeItem
from cgeditor.editor.canvas.node_geometry import NodeShape, edge_controls, input_count, node_shape
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


class InsideFrame(QGraphicsItem):
    """Paints one expanded instance's inside; it holds only what it draws."""

    def __init__(self, instance_id: str, painter: NodePainter):
        super().__init__()
        self.instance_id = instance_id
        self._painter = painter
        self._title = ""
        self._nodes: dict[str, InnerNode] = {}
        self._edges: list[Edge] = []
        self._edge_texts: dict[Edge, str] = {}
        self._size = (0.0, 0.0)
        self._below = True  # below the instance (the line to it leaves the top), else above
        self.setZValue(Z_FRAME)
        self.setToolTip("Double-click the frame (or press Escape) to collapse")

    def set_contents(self, title: str, nodes: dict[str, InnerNode], edges: list[Edge],
                     size: tuple[float, float]) -> None:
        self.prepareGeometryChange()
        self._title, self._nodes, self._edges, self._size = title, nodes, edges, size
        self.update()

    def set_texts(self, texts: Texts) -> None:
        for node_id, (value, grad) in texts.nodes.items():
            self._nodes[node_id].value, self._nodes[node_id].grad = value, grad
        self._edge_texts = dict(texts.edges)
        self.update()

    def texts(self) -> dict[str, tuple[str, str]]:
        """Each inner node's value and gradient as shown: {inner id: (value, grad)}."""
        return {n: (i.value, i.grad) for n, i in self._nodes.items()}

    def edge_texts(self) -> dict[Edge, str]:
        """Each inner edge's local gradient as shown."""
        return dict(self._edge_texts)

    def title(self) -> str:
        return self._title

    def set_below(self, below: bool) -> None:
        if below != self._below:
            self._below = below
            self.update()

    def frame_rect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def boundingRect(self) -> QRectF:
        return QRectF(0, -STEM, self._size[0], self._size[1] + 2 * STEM).adjusted(-4, -4, 4, 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.frame_rect())
        return path

    def paint(self, p, option, widget=None) -> None:
        t = self._painter.theme
        frame = self.frame_rect()
        w = frame.width()
        p.setPen(QPen(t.color("accent"), 1.4, Qt.DashLine))
        h = frame.height()
        if self._below:
            p.drawLine(QPointF(w / 2, -STEM), QPointF(w / 2, 0))
        else:
            p.drawLine(QPointF(w / 2, h), QPointF(w / 2, h + STEM))
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
        middles = []
        for edge in self._edges:
            a, b = self._nodes[edge.source], self._nodes[edge.target]
            p0 = (a.pos[0] + a.shape.output[0], a.pos[1] + a.shape.output[1])
            x, y = b.shape.input_point(edge.port)
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge_controls(p0, (b.pos[0] + x, b.pos[1] + y))
            path = QPainterPath(QPointF(x0, y0))
            path.cubicTo(x1, y1, x2, y2, x3, y3)
            self._painter.paint_edge(p, path)
            middles.append((path.pointAtPercent(0.5), self._edge_texts.get(edge, NONE)))
        for inner in self._nodes.values():
            p.save()
            p.translate(*inner.pos)
            self._painter.paint_node(p, inner.node, inner.shape, is_output=inner.returned)
            p.restore()
            body = qrect(inner.shape.body).translated(*inner.pos)
            self._label(p, inner.value, "value", body.center().x(), body.top() - ROW - 1)
            self._label(p, "∂ " + inner.grad, "grad", body.center().x(), body.bottom() + 2)
        for middle, text in middles:
            self._label(p, "∂ " + text, "edge_grad", middle.x(), middle.y() - ROW / 2)

    def _label(self, p, text: str, style: str, centre_x: float, top: float) -> None:
        w, h = self._painter.label_size(text)
        self._painter.paint_label(p, QRectF(centre_x - w / 2, top, w, h), text, style,
                                  text.removeprefix("∂ ") in ("nan", "inf", "-inf"))


class Insides:
    """The scene's expanded instances (GraphScene.insides): which are open, and their frames."""

    def __init__(self, scene):
        self.scene = scene
        self._frames: dict[str, InsideFrame] = {}  # instance id → its frame, in the order opened

    def is_expanded(self, node_id: str) -> bool:
        return node_id in self._frames

    def frame(self, node_id: str) -> InsideFrame | None:
        return self._frames.get(node_id)

    def expanded(self) -> list[str]:
        return list(self._frames)

    def toggle(self, node_id: str) -> None:
        if self.is_expanded(node_id):
            self.collapse(node_id)
        else:
            self.expand(node_id)

    def expand(self, node_id: str) -> None:
        graph = self.scene.graph
        if node_id in self._frames or not is_instance(graph, graph.node(node_id)):
            return
        frame = InsideFrame(node_id, self.scene.painter)
        self._frames[node_id] = frame
        self.scene.addItem(frame)
        self._build(node_id)
        view = self.scene.view()
        if node_id in self._frames and view is not None:
            view.ensureVisible(frame.sceneBoundingRect(), 20, 20)

    def collapse(self, node_id: str) -> None:
        frame = self._frames.pop(node_id, None)
        if frame is not None:
            self.scene.removeItem(frame)

    def collapse_last(self) -> bool:
        """Escape: fold the frame opened last; False if none is open."""
        if not self._frames:
            return False
        self.collapse(list(self._frames)[-1])
        return True

    # -- following the graph and its evaluation --------------------------------------------

    def on_change(self, change) -> None:
        if not self._frames:
            return
        if isinstance(change, NodeRemoved) and change.node.id in self._frames:
            self.collapse(change.node.id)
        elif isinstance(change, NodeMoved) and change.node_id in self._frames:
            self._place(change.node_id)
        elif isinstance(change, BLOCK_CHANGES):
            for node_id in list(self._frames):
                self._build(node_id)

    def show_evaluation(self) -> None:
        for node_id in self._frames:
            self._frames[node_id].set_texts(self._texts(node_id))

    def _build(self, node_id: str) -> None:
        graph: Graph = self.scene.graph
        node = graph.node(node_id)
        if not is_instance(graph, node):
            self.collapse(node_id)
            return
        block = graph.blocks[node.op]
        body = block.body
        missing = [n.id for n in body if n.pos is None]
        spots = {n.id: n.pos for n in body if n.pos is not None}
        spots.update(layered_layout(body, missing) if missing else {})
        measure = self.scene.painter.measure
        shapes = {n.id: node_shape(n, input_count(body, n), measure,
                                   op=body.op(n.op) if n.kind is NodeKind.OP else None) for n in body}
        if not shapes:
            self.collapse(node_id)
            return
        left = min(spots[n][0] + s.bounds.x for n, s in shapes.items())
        top = min(spots[n][1] + s.body.y - ROW for n, s in shapes.items())
        right = max(spots[n][0] + s.bounds.right for n, s in shapes.items())
        bottom = max(spots[n][1] + s.body.bottom + ROW for n, s in shapes.items())
        dx, dy = PAD - left, PAD + TITLE_H - top
        nodes = {n.id: InnerNode(n.copy(), shapes[n.id], (spots[n.id][0] + dx, spots[n.id][1] + dy), NONE, NONE,
                                 n.id == body.output) for n in body}
        edges = list(body.edges)
        params = ", ".join(block.params)
        title = f"inside {block.name}({params}) at {node.label}"
        size = (max(right - left + 2 * PAD, measure("label", title) + 28), bottom - top + 2 * PAD + TITLE_H)
        frame = self._frames[node_id]
        frame.set_contents(title, nodes, edges, size)
        frame.set_texts(self._texts(node_id))
        self._place(node_id)

    def _place(self, node_id: str) -> None:
        """Centred on the instance, below it, or above it where that covers fewer nodes."""
        frame, item = self._frames[node_id], self.scene.node_item(node_id)
        w, h = frame.frame_rect().width(), frame.frame_rect().height()
        body = item.shape_info.body
        below = QPointF(item.x() - w / 2, item.y() + body.bottom + STEM)
        above = QPointF(item.x() - w / 2, item.y() + body.y - STEM - h)
        covered = [self._nodes_under(QRectF(corner, frame.frame_rect().size())) for corner in (below, above)]
        on_top = covered[1] < covered[0]
        frame.set_below(not on_top)
        frame.setPos(above if on_top else below)

    def _nodes_under(self, rect: QRectF) -> int:
        return sum(isinstance(i, NodeItem) for i in self.scene.items(rect, Qt.IntersectsItemBoundingRect))

    def _texts(self, node_id: str) -> Texts:
        """Each inner value, d output / d inner node and local gradient at this instance's
        inputs: the evaluator's, on the body with its params bound to them ("–" where an input
        or the block cannot be computed)."""
        graph = self.scene.graph
        block = graph.blocks[graph.node(node_id).op]
        inputs = instance_inputs(graph, self.scene.document.evaluation, node_id)
        empty = {n: (NONE, NONE) for n in block.body.nodes}
        if len(inputs) < len(block.params) or graph.blocks.problem(block.name) is not None:
            return Texts(empty, {})
        ev = inside_at(graph.blocks, block.name, inputs)
        shown = {n: (format_compact(v), format_compact(ev.grads[n]) if n in ev.grads else NONE)
                 for n, v in ev.values.items()}
        return Texts({**empty, **shown}, {e: format_compact(g) for e, g in ev.edge_grads.items()})

"""Expanded instances: a block instance's inside shown in place, in a frame below it.

Expanding is view state, not an edit: nothing in the document changes and nothing is undone.
The frame is one read-only item that paints the block's body (its nodes, edges and, at this
instance's inputs, every inner value and d output / d inner node); `Insides` works out what it
shows from the model (`blocks.inside`) and pushes it in, as the scene does for its own items.
Double-clicking the frame, Escape or "Collapse" folds it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from cgeditor.model.block_edits import is_instance
from cgeditor.model.blocks import inside
from cgeditor.model.changes import BLOCK_CHANGES
from cgeditor.model.graph import Graph, GraphError, Node, NodeKind, NodeMoved, NodeRemoved
from cgeditor.model.layout import layered_layout
from cgeditor.model.numbers import format_compact
from cgeditor.editor.canvas.items import Z_LABEL
from cgeditor.editor.canvas.node_geometry import NodeShape, edge_controls, input_count, node_shape
from cgeditor.editor.canvas.node_painter import NodePainter, qrect

Z_FRAME = Z_LABEL + 10  # over the canvas' own nodes and labels: the inside is looked at, not around
PAD, TITLE_H, STEM, ROW = 26.0, 24.0, 28.0, 20.0  # margins, title band, line up to the instance, label row


@dataclass
class InnerNode:
    node: Node
    shape: NodeShape
    pos: tuple[float, float]  # the node's centre, in the frame's coordinates
    value: str  # the texts of its labels ("–" where nothing is computable)
    grad: str


class InsideFrame(QGraphicsItem):
    """Paints one expanded instance's inside; it holds only what it draws."""

    def __init__(self, instance_id: str, painter: NodePainter):
        super().__init__()
        self.instance_id = instance_id
        self._painter = painter
        self._title = ""
        self._nodes: dict[str, InnerNode] = {}
        self._edges: list[tuple[str, str, int]] = []
        self._size = (0.0, 0.0)
        self.setZValue(Z_FRAME)
        self.setToolTip("Double-click the frame (or press Escape) to collapse")

    def set_contents(self, title: str, nodes: dict[str, InnerNode], edges: list[tuple[str, str, int]],
                     size: tuple[float, float]) -> None:
        self.prepareGeometryChange()
        self._title, self._nodes, self._edges, self._size = title, nodes, edges, size
        self.update()

    def set_texts(self, texts: dict[str, tuple[str, str]]) -> None:
        for node_id, (value, grad) in texts.items():
            self._nodes[node_id].value, self._nodes[node_id].grad = value, grad
        self.update()

    def texts(self) -> dict[str, tuple[str, str]]:
        """Each inner node's value and gradient as shown: {inner id: (value, grad)}."""
        return {n: (i.value, i.grad) for n, i in self._nodes.items()}

    def title(self) -> str:
        return self._title

    def frame_rect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def boundingRect(self) -> QRectF:
        return QRectF(0, -STEM, self._size[0], self._size[1] + STEM).adjusted(-4, -4, 4, 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.frame_rect())
        return path

    def paint(self, p, option, widget=None) -> None:
        t = self._painter.theme
        frame = self.frame_rect()
        w = frame.width()
        p.setPen(QPen(t.color("accent"), 1.4, Qt.DashLine))
        p.drawLine(QPointF(w / 2, -STEM), QPointF(w / 2, 0))
        shadow = QColor(t.shadow)
        shadow.setAlpha(40)
        p.setPen(Qt.NoPen)
        p.setBrush(shadow)
        p.drawRoundedRect(frame.translated(0, 2.5), 10, 10)
        p.setBrush(t.color("canvas"))
        p.setPen(QPen(t.color("accent"), 1.6))
        p.drawRoundedRect(frame, 10, 10)
        p.setFont(self._painter.fonts["small"])
        p.setPen(t.color("muted"))
        p.drawText(QRectF(10, 4, w - 20, TITLE_H - 6), Qt.AlignLeft | Qt.AlignVCenter, self._title)
        for source, target, port in self._edges:
            a, b = self._nodes[source], self._nodes[target]
            p0 = (a.pos[0] + a.shape.output[0], a.pos[1] + a.shape.output[1])
            x, y = b.shape.input_point(port)
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge_controls(p0, (b.pos[0] + x, b.pos[1] + y))
            path = QPainterPath(QPointF(x0, y0))
            path.cubicTo(x1, y1, x2, y2, x3, y3)
            self._painter.paint_edge(p, path)
        for inner in self._nodes.values():
            p.save()
            p.translate(*inner.pos)
            self._painter.paint_node(p, inner.node, inner.shape)
            p.restore()
            body = qrect(inner.shape.body).translated(*inner.pos)
            for text, style, y in ((inner.value, "value", body.top() - ROW - 1),
                                   ("∂ " + inner.grad, "grad", body.bottom() + 2)):
                lw, lh = self._painter.label_size(text)
                self._painter.paint_label(p, QRectF(body.center().x() - lw / 2, y, lw, lh), text, style,
                                          text.lstrip("∂ ") in ("nan", "inf", "-inf"))


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
                                   op=body.op(n.op) if n.kind is NodeKind.OP else None,
                                   is_output=n.id == body.output) for n in body}
        if not shapes:
            self.collapse(node_id)
            return
        left = min(spots[n][0] + s.bounds.x for n, s in shapes.items())
        top = min(spots[n][1] + s.body.y - ROW for n, s in shapes.items())
        right = max(spots[n][0] + s.bounds.right for n, s in shapes.items())
        bottom = max(spots[n][1] + s.body.bottom + ROW for n, s in shapes.items())
        dx, dy = PAD - left, PAD + TITLE_H - top
        nodes = {n.id: InnerNode(n.copy(), shapes[n.id], (spots[n.id][0] + dx, spots[n.id][1] + dy), "–", "–")
                 for n in body}
        edges = [(e.source, e.target, e.port) for e in body.edges if e.source in nodes and e.target in nodes]
        params = ", ".join(block.params)
        title = f"inside {block.name}({params}) at {node.label}"
        size = (max(right - left + 2 * PAD, measure("small", title) + 24), bottom - top + 2 * PAD + TITLE_H)
        frame = self._frames[node_id]
        frame.set_contents(title, nodes, edges, size)
        frame.set_texts(self._texts(node_id))
        self._place(node_id)

    def _place(self, node_id: str) -> None:
        """Below the instance, centred on it."""
        frame, item = self._frames[node_id], self.scene.node_item(node_id)
        w = frame.frame_rect().width()
        frame.setPos(item.x() - w / 2, item.y() + item.shape_info.body.bottom + STEM)

    def _texts(self, node_id: str) -> dict[str, tuple[str, str]]:
        """Each inner node's value and d output / d node at this instance's inputs ("–" where
        an input or the block cannot be computed)."""
        graph, values = self.scene.graph, self.scene.document.evaluation.values
        node = graph.node(node_id)
        block = graph.blocks[node.op]
        sources = {e.port: e.source for e in graph.in_edges(node_id)}
        args = [values.get(sources.get(port)) for port in range(len(block.params))]
        empty = {n: ("–", "–") for n in block.body.nodes}
        if any(a is None for a in args):
            return empty
        try:
            found = inside(graph.blocks, block.name, args)
        except GraphError:
            return empty
        return {**empty, **{n: (format_compact(v), format_compact(g)) for n, (v, g) in found.items()}}

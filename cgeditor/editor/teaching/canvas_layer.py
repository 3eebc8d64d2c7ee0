"""What teaching adds on top of the canvas: a halo on the current edge and node, a highlighted
path, and the callout bubble with the step's chain-rule line.

These are items of their own, added to the scene and drawn around the graph's items, never
instead of them: which numbers the nodes show is the scene's business (its
`apply_teaching_state` hook).  The callout ignores the view's zoom so it stays large enough to
read from the back of the room however far the graph is zoomed out.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem

from cgeditor.model.graph import Edge

from cgeditor.model.teaching.view_state import TeachingState

STEP_COLOR = "#f59f00"  # amber: the step happening now
PATH_COLOR = "#0ca678"  # teal: a path hovered in the paths panel
Z_HALO_EDGE, Z_HALO_NODE, Z_CALLOUT = -1.0, 9.0, 100.0  # under edges; between edges and nodes; on top
CALLOUT_GAP = 18.0  # screen pixels between the graph's bottom and the bubble


class Callout(QGraphicsItem):
    """A bubble of one or two lines, hanging below the point it is placed at; sized in screen
    pixels, so it reads the same at any zoom."""

    def __init__(self):
        super().__init__()
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)
        self.setZValue(Z_CALLOUT)
        self._lines: tuple[str, ...] = ()
        self._px = 20
        self._font = QFont()
        self._rect = QRectF()
        self.set_text((), 20)

    def set_text(self, lines: tuple[str, ...], px: int) -> None:
        self.prepareGeometryChange()
        self._lines, self._px = tuple(lines), px
        self._font = QFont("DejaVu Sans")
        self._font.setPixelSize(px)
        metrics = QFontMetricsF(self._font)
        pad = px * 0.6
        w = max((metrics.horizontalAdvance(line) for line in lines), default=0.0) + 2 * pad
        h = metrics.lineSpacing() * len(lines) + 2 * pad
        self._rect = QRectF(-w / 2, CALLOUT_GAP, w, h)
        self.setVisible(bool(lines))

    def text(self) -> str:
        return "\n".join(self._lines)

    def font_px(self) -> int:
        return self._px

    def bubble_size(self) -> tuple[float, float]:
        """Width and height on screen, the gap above it included."""
        return self._rect.width(), self._rect.bottom()

    def boundingRect(self) -> QRectF:
        return self._rect.united(QRectF(-2, -2, 4, 4)).adjusted(-4, -4, 4, 4)

    def paint(self, p: QPainter, option, widget=None) -> None:
        r = self._rect
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(QColor(STEP_COLOR), max(2.0, self._px / 8)))
        p.setBrush(QColor("#fffdf5"))
        path = QPainterPath()
        path.addRoundedRect(r, 10, 10)
        tail = QPainterPath()
        tail.addPolygon(QPolygonF([QPointF(0, 0), QPointF(-12, r.top() + 1), QPointF(12, r.top() + 1)]))
        p.drawPath(path.united(tail))
        p.setPen(QColor("#111111"))
        p.setFont(self._font)
        pad = self._px * 0.6
        p.drawText(r.adjusted(pad, pad, -pad, -pad), Qt.AlignLeft | Qt.AlignVCenter, self.text())


class CanvasLayer(QObject):
    """The teaching items of one scene: they follow the state given and the nodes as they move."""

    def __init__(self, scene, parent: QObject | None = None):
        super().__init__(parent if parent is not None else scene)
        self.scene = scene
        self.state: TeachingState | None = None
        self.path: tuple[list[str], list[Edge]] | None = None
        self.callout_px = 20
        self.halo_scale = 1.0
        self.edge_halo = self._path_item(Z_HALO_EDGE)
        self.node_halo = self._path_item(Z_HALO_NODE)
        self.path_edges = self._path_item(Z_HALO_EDGE)
        self.path_nodes = self._path_item(Z_HALO_NODE)
        self.callout = Callout()
        scene.addItem(self.callout)
        self.pointer = QGraphicsLineItem()  # from the current step down to the bubble
        self.pointer.setZValue(Z_HALO_EDGE)  # nodes and numbers draw over it
        self.pointer.setVisible(False)
        scene.addItem(self.pointer)
        scene.layout_changed.connect(self.refresh)

    def detach(self) -> None:
        self.scene.layout_changed.disconnect(self.refresh)
        for item in (self.edge_halo, self.node_halo, self.path_edges, self.path_nodes, self.callout,
                     self.pointer):
            if item.scene() is not None:
                self.scene.removeItem(item)

    def _path_item(self, z: float) -> QGraphicsPathItem:
        item = QGraphicsPathItem()
        item.setZValue(z)
        item.setAcceptedMouseButtons(Qt.NoButton)
        self.scene.addItem(item)
        return item

    # -- what to show ------------------------------------------------------------------

    def show_state(self, state: TeachingState | None) -> None:
        self.state = state
        self.refresh()

    def highlight_path(self, nodes: list[str] | None, edges: list[Edge] | None = None) -> None:
        """Mark one path (from the paths panel) on the canvas; None clears it."""
        self.path = (list(nodes), list(edges or [])) if nodes else None
        self.refresh()

    def set_presentation(self, callout_px: int, halo_scale: float) -> None:
        self.callout_px, self.halo_scale = callout_px, halo_scale
        self.refresh()

    def focus_rect(self) -> QRectF:
        """The scene area of the current step (its edge, node and the line down to the bubble),
        for keeping it in view."""
        rect = QRectF()
        for item in (self.edge_halo, self.node_halo, self.pointer):
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    # -- drawing -----------------------------------------------------------------------

    def refresh(self) -> None:
        state = self.state
        edge = state.current_edge if state is not None else None
        node = state.current_node if state is not None else None
        self._stroke(self.edge_halo, self._edges_path([edge] if edge else []), STEP_COLOR, 12)
        self._stroke(self.node_halo, self._nodes_path([node] if node else []), STEP_COLOR, 6)
        nodes, edges = self.path if self.path is not None else ([], [])
        self._stroke(self.path_edges, self._edges_path(edges), PATH_COLOR, 10)
        self._stroke(self.path_nodes, self._nodes_path(nodes), PATH_COLOR, 5)
        self._place_callout(state, edge, node)

    def _stroke(self, item: QGraphicsPathItem, path: QPainterPath, color: str, width: float) -> None:
        pen = QPen(QColor(color), width * self.halo_scale, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
        c = pen.color()
        c.setAlpha(150)
        pen.setColor(c)
        item.setPen(pen)
        item.setPath(path)
        item.setVisible(not path.isEmpty())

    def _edges_path(self, edges: list[Edge]) -> QPainterPath:
        path = QPainterPath()
        for edge in edges:
            item = self.scene.edge_item(edge)
            if item is not None:
                path.addPath(item.path())
        return path

    def _nodes_path(self, node_ids: list[str]) -> QPainterPath:
        path = QPainterPath()
        for node_id in node_ids:
            item = self.scene.node_item(node_id)
            if item is not None:
                pad = 7 * self.halo_scale
                path.addRoundedRect(item.label_rect().adjusted(-pad, -pad, pad, pad), 14, 14)
        return path

    def _place_callout(self, state: TeachingState | None, edge: Edge | None, node: str | None) -> None:
        """Hang the bubble just below the graph, under the current edge or node, with a line up
        to it: below the graph it can never hide a node or a number, at any zoom."""
        lines = state.callout if state is not None else ()
        self.callout.set_text(lines, self.callout_px)
        if not lines:
            self.pointer.setVisible(False)
            return
        anchor = self._anchor(edge, node)
        bottom = self.scene.graph_rect().bottom()
        x = anchor.x() if anchor is not None else self.scene.graph_rect().center().x()
        self.callout.setPos(x, bottom)
        self.pointer.setVisible(anchor is not None)
        if anchor is not None:
            pen = QPen(QColor(STEP_COLOR), 3 * self.halo_scale, Qt.DashLine, Qt.RoundCap)
            pen.setCosmetic(True)
            self.pointer.setPen(pen)
            self.pointer.setLine(QLineF(anchor, QPointF(x, bottom)))

    def _anchor(self, edge: Edge | None, node: str | None) -> QPointF | None:
        """Where the bubble points: the current edge's middle, else the current node's bottom."""
        item = self.scene.edge_item(edge) if edge is not None else None
        if item is not None:
            return item.path().pointAtPercent(0.5)
        node_item = self.scene.node_item(node) if node is not None else None
        if node_item is not None:
            r = node_item.label_rect()
            return QPointF(r.center().x(), r.bottom())
        return None

"""The canvas view: zoom around the cursor within limits, fit and frame, pan, grid, drops, minimap.

Settings follow the performance findings, re-measured by benchmarks/bench_editor.py ("finding"
rows): SmartViewportUpdate (a value edit repaints the few labels in view; Qt falls back to one
bounding rect when many change, where MinimalViewportUpdate was measured far slower), no item
caching (it speeds panning but slows every zoom step),
cosmetic 1 px edge pens; labels too small to read are neither placed nor drawn; zoomed far out, a
large graph's nodes and edges are drawn with the background in one pass (`overview`), and
while nothing else shows a frame is painted without Qt's walk over the items (`paintEvent`).
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QKeySequence, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsView

from cgeditor.editor.canvas.empty_hint import EmptyHint
from cgeditor.editor.canvas import node_creation
from cgeditor.editor.canvas.items import EdgeItem
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT
from cgeditor.editor.canvas.minimap import Minimap
from cgeditor.editor.panels.node_entries import NODE_MIME

MIN_ZOOM, MAX_ZOOM = 0.02, 4.0  # 0.02: a pasted 10,000-node network still fits the window
FIT_MAX_ZOOM = 1.6  # fitting a tiny graph should not blow it up to poster size
FIT_MARGIN = 40.0
OPEN_MIN_ZOOM = 0.45  # a graph opens no smaller: its numbers 6 px tall (below 0.36 they are not drawn)
ZOOM_STEP = 1.25
WORLD = 1.0e6  # the scrollable area: far beyond any graph, so panning never hits a wall


NODES_PAD = 1000.0  # around the nodes' positions: their bodies, labels and bent wires


def nodes_bounds(graph) -> QRectF | None:
    """Where the graph's positioned nodes are, with NODES_PAD to spare (None: none is)."""
    xs = [node.pos[0] for node in graph if node.pos is not None]
    if not xs:
        return None
    ys = [node.pos[1] for node in graph if node.pos is not None]
    left, top = min(xs) - NODES_PAD, min(ys) - NODES_PAD
    return QRectF(left, top, max(xs) + NODES_PAD - left, max(ys) + NODES_PAD - top)


def world_rect(nodes: QRectF | None) -> QRectF:
    """The scrollable area: WORLD around the origin, grown to take in every node with WORLD/2 to
    spare (a 100,000-node network laid out is 3.2 million units wide)."""
    world = QRectF(-WORLD / 2, -WORLD / 2, WORLD, WORLD)
    if nodes is None:
        return world
    return world.united(nodes.adjusted(-WORLD / 2, -WORLD / 2, WORLD / 2, WORLD / 2))


class GraphView(QGraphicsView):
    def __init__(self, scene, parent=None):
        super().__init__(parent)
        nodes = nodes_bounds(scene.document.graph)
        if nodes is not None and not scene.views():
            # The scene's rect, given before a view asks for it: without one Qt finds it by asking
            # every item for its bounding rect (2 s for 330,000 items, all in Python).  The
            # nodes' bounds, not the world: the scene's index divides this rect into its cells.
            scene.setSceneRect(nodes)
        self.setSceneRect(world_rect(nodes))
        self.setScene(scene)
        self._fitted_once = False  # before anything scrolls: `_view_moved` asks
        self._keeps_fit = None  # fit_graph or show_graph, done and not zoomed or panned since: a resize does it again
        self._fitting = False  # a fit zooms and scrolls in steps: it follows the view once, when done
        self.minimap = Minimap(self)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheNone)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.NoAnchor)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.NoFrame)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self._space = False
        self._pan_from: QPointF | None = None
        self._drop_edge: EdgeItem | None = None
        scene.layout_changed.connect(self.minimap.sync_later)
        self.empty_hint = EmptyHint(self, scene.document.graph)
        scene.document.evaluated.connect(self.empty_hint.follow)  # after every edit

    # -- zoom and framing ------------------------------------------------------------------

    def zoom_level(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the scene point under `anchor` (viewport coordinates) in place."""
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom_level() * factor))
        factor = target / self.zoom_level()
        if abs(factor - 1.0) < 1e-9:
            return
        self._keeps_fit = None
        before = self.mapToScene(anchor.toPoint())
        self.scale(factor, factor)
        after = self.mapToScene(anchor.toPoint())
        self._scroll_by_scene(after - before)
        self._view_moved()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def fit_graph(self) -> None:
        """The whole graph, however small that makes it (Fit Graph)."""
        self._fit(self.scene().graph_rect())
        self._keeps_fit = self.fit_graph

    def show_graph(self) -> None:
        """How a graph opens: whole while its numbers stay readable; a graph too long for that
        (deep_chain at 1024×700 fitted at 0.35, every name and number gone) is shown from its
        start, the inputs, at the least readable zoom, and the minimap tells there is more.
        A large graph (far zoom) opens whole, as an overview."""
        large = len(self.scene().graph) > LAZY_LIMIT
        self._fit(self.scene().graph_rect(), MIN_ZOOM if large else OPEN_MIN_ZOOM)
        self._keeps_fit = self.show_graph

    def frame_selection(self) -> None:
        rect = QRectF()
        for item in self.scene().selectedItems():
            rect = rect.united(item.sceneBoundingRect())
        self._fit(rect if not rect.isEmpty() else self.scene().graph_rect())
        self._keeps_fit = None

    def _fit(self, rect: QRectF, least: float = MIN_ZOOM) -> None:
        """Zoom to show `rect`, but no smaller than `least`: then show its start (top left)."""
        self._fitting = True
        try:
            if rect.isEmpty():
                self.setTransform(QTransform())
                self.centerOn(0, 0)
            else:
                rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
                vp = self.viewport().rect()
                scale = min(vp.width() / rect.width(), vp.height() / rect.height())
                scale = max(MIN_ZOOM, least, min(FIT_MAX_ZOOM, scale))
                self.setTransform(QTransform.fromScale(scale, scale))
                w, h = vp.width() / scale, vp.height() / scale
                self.centerOn(rect.center().x() if rect.width() <= w else rect.left() + w / 2,
                              rect.center().y() if rect.height() <= h else rect.top() + h / 2)
        finally:
            self._fitting = False
        self._view_moved()

    def pan_to(self, point: QPointF) -> None:
        """Centre the view on `point` (a user's choice, so a resize no longer fits the graph)."""
        self._keeps_fit = None
        self.centerOn(point)

    def set_minimap_visible(self, on: bool) -> None:
        """Allow the minimap (it still shows only while the graph does not fit the view)."""
        self.minimap.enabled = on
        self.minimap.sync()

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def _scroll_by_scene(self, delta: QPointF) -> None:
        self._keeps_fit = None
        z = self.zoom_level()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(round(h.value() - delta.x() * z))
        v.setValue(round(v.value() - delta.y() * z))

    # -- events ----------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            self.show_graph()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._keeps_fit is not None:
            self._keeps_fit()
        else:
            self._view_moved()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if not self._fitting:  # on a large graph each step would place labels and the minimap anew
            self._view_moved()

    def _view_moved(self) -> None:
        if self.scene() is not None:
            if self._fitted_once:  # not before: a large graph is first seen fitted, not at 1:1
                self.scene().overview.follow_zoom(self.zoom_level())
            self.scene().labels.reveal(self.visible_scene_rect())
            self.minimap.sync()

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(1.0015 ** delta, event.position())
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        return False  # Tab opens the node search instead of moving focus

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key_Space and not event.isAutoRepeat() and self.scene().focusItem() is None:
            self._space = True
            self.setDragMode(QGraphicsView.NoDrag)
            self.viewport().setCursor(Qt.OpenHandCursor)
        elif key == Qt.Key_Tab and not mods:
            cursor = self.viewport().mapFromGlobal(self.cursor().pos())
            if not self.viewport().rect().contains(cursor):
                cursor = self.viewport().rect().center()
            node_creation.open_node_search(self.scene(), self.mapToScene(cursor))
        elif event.matches(QKeySequence.ZoomIn) or (key == Qt.Key_Equal and mods & Qt.ControlModifier):
            self.zoom_in()
        elif event.matches(QKeySequence.ZoomOut):
            self.zoom_out()
        elif key == Qt.Key_F and not mods:
            self.fit_graph()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat() and self._space:
            self._space = False
            self.setDragMode(QGraphicsView.RubberBandDrag)
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self._scroll_by_scene(QPointF(d.x(), d.y()) / self.zoom_level())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None and event.button() in (Qt.MiddleButton, Qt.LeftButton):
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # -- drops from the palette ---------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(NODE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if not event.mimeData().hasFormat(NODE_MIME):
            super().dragMoveEvent(event)
            return
        key = bytes(event.mimeData().data(NODE_MIME)).decode()
        edge = None
        if key not in ("variable", "constant"):
            edge = node_creation.edge_at(self.scene(), self.mapToScene(event.position().toPoint()))
        self._highlight_drop_edge(edge)
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._highlight_drop_edge(None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event) -> None:
        if not event.mimeData().hasFormat(NODE_MIME):
            super().dropEvent(event)
            return
        self._highlight_drop_edge(None)
        key = bytes(event.mimeData().data(NODE_MIME)).decode()
        node_creation.drop_entry(self.scene(), key, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()
        self.setFocus()

    def add_entry_at_centre(self, key: str) -> str | None:
        """Add the palette entry `key` at the centre of what the view shows (the palette's
        double-click or Enter)."""
        return node_creation.create_node(self.scene(), key, self.mapToScene(self.viewport().rect().center()))

    def _highlight_drop_edge(self, edge: EdgeItem | None) -> None:
        """Mark the edge a dragged op would be inserted into."""
        if edge is self._drop_edge:
            return
        overview = self.scene().overview
        if self._drop_edge is not None and self._drop_edge.scene() is not None:
            self._drop_edge.set_highlighted(False)
            overview.touch(self._drop_edge)
        self._drop_edge = edge
        if edge is not None:
            edge.set_highlighted(True)
            overview.touch(edge)

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        """Qt's paint, or, while the far-zoom overview is all there is to see (`paints_alone`),
        what Qt's would draw then: the background (with the overview) and the foreground, with
        no walk over the items under the repainted area."""
        scene = self.scene()
        if scene is None or not self.rubberBandRect().isNull() or not scene.overview.paints_alone():
            super().paintEvent(event)
            return
        exposed = self.mapToScene(event.region().boundingRect()).boundingRect()
        painter = QPainter(self.viewport())
        painter.setRenderHints(painter.renderHints(), False)
        painter.setRenderHints(self.renderHints(), True)
        painter.setWorldTransform(self.viewportTransform())
        painter.save()
        self.drawBackground(painter, exposed)
        painter.restore()
        self.drawForeground(painter, exposed)
        painter.end()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        theme = self.scene().painter.theme
        painter.fillRect(rect, theme.color("canvas"))
        step = theme.grid_size
        z = self.zoom_level()
        while step * z < 12:  # keep grid lines at least 12 pixels apart
            step *= 5
        left, top = int(rect.left() // step) * step, int(rect.top() // step) * step
        minor, major = [], []
        x = left
        while x < rect.right():
            (major if round(x / step) % 5 == 0 else minor).append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            (major if round(y / step) % 5 == 0 else minor).append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, False)  # axis-aligned hairlines: ~1 ms a frame saved
        for lines, color in ((minor, "grid_minor"), (major, "grid_major")):
            pen = QPen(theme.color(color), 0)
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.restore()
        self.scene().overview.paint(painter, rect)

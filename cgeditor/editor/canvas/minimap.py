"""A minimap in the corner of the view: the whole graph in miniature and the visible part framed.

It draws nodes as dots and edges as straight lines (cheap even for thousands of nodes), appears
by itself when the graph does not fit the view, and clicking or dragging in it moves the view.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QLineF, QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from cgeditor.editor.canvas.items import NodeItem
from cgeditor.model.graph import NodeKind

SIZE = (210, 140)
MAX_SHARE = 0.25  # of the view's width and of its height: a small window keeps its canvas
MIN_WIDTH = 90  # smaller than this, a map shows nothing useful: it stays hidden
MARGIN = 12
PAD = 8


class Minimap(QWidget):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.enabled = True  # the user's wish; shown only when the graph does not fit as well
        self.keep_clear = None  # a callable giving a viewport rect (or None) it must not cover
        self._frozen: QRectF | None = None  # the world while dragging, so the map holds still
        self._cache: tuple | None = None  # (what it shows, the graph drawn in miniature)
        self._corner_cache: tuple | None = None  # (the nodes and corners asked about, the corner)
        self._later = QTimer(self, singleShot=True, interval=80)
        self._later.timeout.connect(self.sync)
        self.resize(*SIZE)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Minimap: click or drag to move the view")
        self.hide()

    def world(self) -> QRectF:
        """The rect shown: the graph and the visible area together."""
        if self._frozen is not None:
            return self._frozen
        return self.view.scene().graph_rect().united(self.view.visible_scene_rect())

    def _transform(self) -> tuple[float, float, float]:
        world = self.world()
        w, h = self.width() - 2 * PAD, self.height() - 2 * PAD
        scale = min(w / max(world.width(), 1.0), h / max(world.height(), 1.0))
        ox = PAD + (w - world.width() * scale) / 2 - world.left() * scale
        oy = PAD + (h - world.height() * scale) / 2 - world.top() * scale
        return scale, ox, oy

    def sync_later(self) -> None:
        """Sync soon, once: the graph changes in bursts (a drag), the overview need not follow each step."""
        self._later.start()

    def sync(self) -> None:
        """Place in the corner; show only while part of the graph is out of view and nothing
        that must stay readable (the teaching callout) is under the corner."""
        parent = self.view
        if parent.scene() is None:  # the document (and its scene) is being replaced
            return
        if not parent.isVisible():  # the view syncs it when shown, fitted: nothing to ask the scene before
            return
        shrink = min(1.0, MAX_SHARE * parent.width() / SIZE[0], MAX_SHARE * parent.height() / SIZE[1])
        self.resize(round(SIZE[0] * shrink), round(SIZE[1] * shrink))
        graph = self.view.scene().graph_rect()
        fits = graph.isEmpty() or self.view.visible_scene_rect().contains(graph)
        wanted = self.enabled and not fits and self.width() >= MIN_WIDTH
        if wanted:  # finding a corner asks the scene for items: only for a map that may show
            self.move(self._corner())
        clear = self.keep_clear() if self.keep_clear is not None else None
        in_the_way = clear is not None and clear.intersects(QRectF(self.geometry()))
        self.setVisible(wanted and not in_the_way)
        if self.isVisible():
            self.raise_()
            self.update()

    def _corner(self) -> QPoint:
        """The corner of the view whose nodes the map covers fewest (bottom right on a tie):
        a corner left free by the graph is taken, so the map hides no node there."""
        view, w, h = self.view, self.width(), self.height()
        right, bottom = view.width() - w - MARGIN, view.height() - h - MARGIN
        corners = [QPoint(right, bottom), QPoint(MARGIN, bottom), QPoint(right, MARGIN), QPoint(MARGIN, MARGIN)]
        scene = view.scene()
        areas = [view.mapToScene(QRect(corner, self.size())).boundingRect() for corner in corners]
        # Asked again (each evaluation syncs the map) with the same nodes under the same
        # corners, the answer is the last one: counting them costs a large graph tens of ms.
        # (A weak reference: a scene replaced by another one's file must be free to go.)
        key = (weakref.ref(scene), scene.graph_changes, tuple((c.x(), c.y()) for c in corners),
               tuple(a.getRect() for a in areas))
        if self._corner_cache is None or self._corner_cache[0] != key:
            counts = [sum(isinstance(item, NodeItem) for item in scene.items(area, Qt.IntersectsItemBoundingRect))
                      for area in areas]
            self._corner_cache = (key, corners[counts.index(min(counts))])
        return self._corner_cache[1]

    def paintEvent(self, event) -> None:
        scene = self.view.scene()
        theme = scene.painter.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        bg = QColor(theme.node_fill)
        bg.setAlpha(235)
        p.setPen(QPen(theme.color("value_border"), 1))
        p.setBrush(bg)
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        scale, ox, oy = self._transform()

        def at(x: float, y: float) -> QPointF:
            return QPointF(ox + x * scale, oy + y * scale)

        graph = scene.graph_rect()
        if not graph.isEmpty():
            p.setRenderHint(QPainter.SmoothPixmapTransform)
            p.drawPixmap(QRectF(at(graph.left(), graph.top()), at(graph.right(), graph.bottom())),
                         self._drawing(scene, graph), QRectF())
        seen = self.view.visible_scene_rect()
        frame = QRectF(at(seen.left(), seen.top()), at(seen.right(), seen.bottom()))
        fill = theme.color("selection")
        fill.setAlpha(30)
        p.setBrush(fill)
        p.setPen(QPen(theme.color("selection"), 1.5))
        p.drawRect(frame)

    def _drawing(self, scene, graph: QRectF) -> QPixmap:
        """The graph in miniature, drawn again only after the graph changed: redrawing thousands
        of dots and lines on every scroll step would cost more than the canvas frame itself."""
        key = (scene.graph_changes, graph.getRect(), self.width(), self.height())
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        theme = scene.painter.theme
        w, h = self.width() - 2 * PAD, self.height() - 2 * PAD
        scale = min(w / max(graph.width(), 1.0), h / max(graph.height(), 1.0))
        pixmap = QPixmap(max(1, round(graph.width() * scale)), max(1, round(graph.height() * scale)))
        pixmap.fill(Qt.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        p.translate(-graph.left() * scale, -graph.top() * scale)
        p.scale(scale, scale)
        p.setPen(QPen(theme.color("edge"), 0))
        items = scene.node_items()
        points = _positions(scene.graph, items)
        spots = _spots(points, scale)
        p.drawLines(_distinct_lines(points, spots, scene.graph.edges))
        p.setPen(Qt.NoPen)
        colors = {NodeKind.VARIABLE: theme.color("variable_border"),
                  NodeKind.CONSTANT: theme.color("constant_border"), NodeKind.OP: theme.color("node_border")}
        accent = theme.color("accent")
        dot = max(1.5, min(4.0, 40 * scale)) / scale
        for item, (x, y) in _distinct_dots(items, points, spots):
            p.setBrush(accent if item.is_output() else colors[item.node.kind])
            p.drawEllipse(QPointF(x, y), dot, dot)
        p.end()
        self._cache = (key, pixmap)
        return pixmap

    def _navigate(self, pos: QPointF) -> None:
        scale, ox, oy = self._transform()
        self.view.pan_to(QPointF((pos.x() - ox) / scale, (pos.y() - oy) / scale))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self._frozen = self.world()
            self._navigate(event.position())
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        self._frozen = None
        self.update()
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self._navigate(event.position())
        event.accept()



SPOT = 4  # per pixel of the map: things closer than a quarter pixel are drawn once
Spot = tuple[int, int]


def _positions(graph, items: list[NodeItem]) -> dict[str, tuple[float, float]]:
    """Where each node is drawn: the model's position, which its item mirrors (an item asked
    costs a call into Qt), or the item's for a node placed only on the canvas."""
    nodes = graph.nodes
    points = {}
    for item in items:
        node = nodes.get(item.node_id)
        pos = node.pos if node is not None else None
        if pos is None:
            pos = (item.x(), item.y())
        points[item.node_id] = pos
    return points


def _spots(points: dict[str, tuple[float, float]], scale: float) -> dict[str, Spot]:
    k = scale * SPOT
    return {n: (round(x * k), round(y * k)) for n, (x, y) in points.items()}


def _distinct_lines(points: dict, spots: dict[str, Spot], edges) -> list[QLineF]:
    """The edges as lines between node positions, one per pair of spots: a 100,000-node graph
    has 200,000 edges and a map of some 30,000 pixels, and each line drawn costs a call into Qt."""
    lines = {}
    for e in edges:
        a, b = spots.get(e.source), spots.get(e.target)
        if a is not None and b is not None and (a, b) not in lines:
            lines[a, b] = QLineF(*points[e.source], *points[e.target])
    return list(lines.values())


def _distinct_dots(items: list[NodeItem], points: dict, spots: dict[str, Spot]) -> list[tuple[NodeItem, tuple]]:
    """One node per spot and look (the last drawn, which is the one that shows), in drawing order."""
    dots = {}
    for item in reversed(items):  # the last of each is the first met going backwards
        node_id = item.node_id
        key = (spots[node_id], item.is_output(), item.node.kind)
        if key not in dots:
            dots[key] = (item, points[node_id])
    return list(reversed(dots.values()))

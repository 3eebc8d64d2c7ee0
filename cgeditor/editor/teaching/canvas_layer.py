"""What teaching adds on top of the canvas: a halo on the current edge and node, a highlighted
path, and the callout bubble with the step's chain-rule line.

These are items of their own, added to the scene and drawn around the graph's items, never
instead of them: which numbers the nodes show is the scene's business (its
`apply_teaching_state` hook).  The callout ignores the view's zoom so it stays large enough to
read from the back of the room however far the graph is zoomed out.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem

from cgeditor.model.graph import Edge

from cgeditor.model.teaching.expanded import TOP, Split
from cgeditor.model.teaching.view_state import TeachingState
from cgeditor.editor.canvas.items import NodeItem, OverlayLabel
from cgeditor.editor.teaching.callout_spot import EDGE_ROOM, callout_spot

STEP_COLOR = "#f59f00"  # amber: the step happening now
PATH_COLOR = "#0ca678"  # teal: a path hovered in the paths panel
Z_HALO_EDGE, Z_HALO_NODE, Z_CALLOUT = -1.0, 9.0, 100.0  # under edges; between edges and nodes; on top
CALLOUT_GAP = 18.0  # screen pixels between the graph's bottom and the bubble
MIN_CALLOUT_PX = 12  # a callout too wide for the view shrinks its type to fit, down to this
TAIL_HALF = 12.0  # screen pixels: half the width of the bubble's tail where it meets the bubble


class Callout(QGraphicsItem):
    """A bubble of one or two lines, hanging below (or above) the point it is placed at, slid
    sideways to stay in view; sized in screen pixels, so it reads the same at any zoom."""

    def __init__(self):
        super().__init__()
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)
        self.setZValue(Z_CALLOUT)
        self._lines: tuple[str, ...] = ()
        self._px = 20
        self._font = QFont()
        self._rect = QRectF()
        self._above, self._shift = False, 0.0
        self._shown: tuple[str, ...] = ()  # the lines as drawn: long ones broken to fit the view
        self.set_text((), 20)

    def set_text(self, lines: tuple[str, ...], px: int, width: float | None = None) -> None:
        """Show `lines` in `px` type; a line wider than `width` pixels breaks before an "=" into
        two, and the type gets smaller (down to MIN_CALLOUT_PX) while a line needs more than two
        or a part is still too wide: a bubble of five short lines would fill a small screen."""
        self.prepareGeometryChange()
        self._lines = tuple(lines)
        shown = self._set_font(px, lines, width)
        while px > MIN_CALLOUT_PX and len(shown) > 2 * len(lines):
            px -= 2
            shown = self._set_font(px, lines, width)
        if width is not None and self._widest(shown) + 2 * self._pad() > width:
            shown = self._set_font(max(MIN_CALLOUT_PX, int(px * width / (self._widest(shown) + 2 * self._pad()))),
                                   lines, width)
        self._shown = shown
        metrics = QFontMetricsF(self._font)
        self._size = (self._widest(shown) + 2 * self._pad(), metrics.lineSpacing() * len(shown) + 2 * self._pad())
        self._lay_out()
        self.setVisible(bool(lines))

    def _set_font(self, px: int, lines: tuple[str, ...], width: float | None) -> tuple[str, ...]:
        self._px = px
        self._font = QFont("DejaVu Sans")
        self._font.setPixelSize(px)
        if width is None:
            return tuple(lines)
        room = width - 2 * self._pad()
        return tuple(part for line in lines for part in _broken(line, QFontMetricsF(self._font), room))

    def _widest(self, lines: tuple[str, ...]) -> float:
        metrics = QFontMetricsF(self._font)
        return max((metrics.horizontalAdvance(line) for line in lines), default=0.0)

    def _pad(self) -> float:
        return self._px * 0.6

    def set_side(self, above: bool, shift: float) -> None:
        """Hang above the tail or below it, the bubble's centre `shift` pixels right of the tail."""
        if (above, shift) != (self._above, self._shift):
            self.prepareGeometryChange()
            self._above, self._shift = above, shift
            self._lay_out()

    def _lay_out(self) -> None:
        w, h = self._size
        top = -CALLOUT_GAP - h if self._above else CALLOUT_GAP
        self._rect = QRectF(self._shift - w / 2, top, w, h)

    def is_above(self) -> bool:
        return self._above

    def text(self) -> str:
        """The narration's lines, however they are broken on screen."""
        return "\n".join(self._lines)

    def shown_lines(self) -> tuple[str, ...]:
        return self._shown

    def font_px(self) -> int:
        return self._px

    def bubble_size(self) -> tuple[float, float]:
        """Width and height on screen, the gap to the tail included."""
        return self._rect.width(), self._rect.height() + CALLOUT_GAP

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
        base = r.bottom() - 1 if self._above else r.top() + 1
        tail.addPolygon(QPolygonF([QPointF(0, 0), QPointF(-TAIL_HALF, base), QPointF(TAIL_HALF, base)]))
        p.drawPath(path.united(tail))
        p.setPen(QColor("#111111"))
        p.setFont(self._font)
        pad = self._px * 0.6
        p.drawText(r.adjusted(pad, pad, -pad, -pad), Qt.AlignLeft | Qt.AlignVCenter, "\n".join(self._shown))


def _broken(line: str, metrics: QFontMetricsF, room: float) -> list[str]:
    """`line` in parts no wider than `room` where it can be: broken before " = " and " += ",
    so each part is a whole step of the arithmetic."""
    if metrics.horizontalAdvance(line) <= room:
        return [line]
    pieces = re.split(r"(?= \+?= )", line)
    parts = [pieces[0]]
    for piece in pieces[1:]:
        joined = parts[-1] + piece
        if metrics.horizontalAdvance(joined) <= room:
            parts[-1] = joined
        else:
            parts.append(piece.lstrip())
    return parts


class CanvasLayer(QObject):
    """The teaching items of one scene: they follow the state given and the nodes as they move."""

    callout_placed = Signal()  # what shows on the canvas beside the bubble makes room for it

    def __init__(self, scene, parent: QObject | None = None):
        super().__init__(parent if parent is not None else scene)
        self.scene = scene
        self.state: TeachingState | None = None
        self.split: Split | None = None
        self.path: tuple[list[str], list[Edge]] | None = None
        self.callout_px = 20
        self.halo_scale = 1.0
        self._bubble_synced: QRectF | None = None  # where the bubble was at the last minimap sync
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
        view = self.scene.view()
        if view is not None and view.minimap.keep_clear == self.bubble_on_screen:
            view.minimap.keep_clear = None
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

    def show_state(self, state: TeachingState | None, split: Split | None = None) -> None:
        """Show `state` on the canvas; `split`: the same step as the expanded instances' frames
        show it (their halos are the frames' own, drawn under their nodes)."""
        self.state = state
        self.split = split
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
        rect = self.scene.insides.step_rect(self._level())
        for item in (self.edge_halo, self.node_halo, self.pointer):
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def step_rect(self) -> QRectF:
        """The scene area of the current step itself: its edge and node (in a frame, there)."""
        rect = self.scene.insides.step_rect(self._level())
        for item in (self.edge_halo, self.node_halo):
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def _level(self) -> str:
        """The expanded instance whose frame the current step is in ("" on the canvas)."""
        return self.split.step_level() if self.split is not None else TOP

    def anchor_point(self) -> QPointF:
        """The point of the current step the callout points at."""
        return self.pointer.line().p1() if self.pointer.isVisible() else self.step_rect().center()

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
        frames = self.split.frames if self.split is not None and state is not None else None
        self.scene.insides.show_teaching(frames, STEP_COLOR, self.halo_scale)
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
        """Hang the bubble below the graph (or above it) under the current edge or node, with a
        line to it that crosses no other node where a free end exists, slid sideways to stay in
        view (`callout_spot`): outside the graph it can never hide a node or a number."""
        lines = state.callout if state is not None else ()
        view = self.scene.view()
        self.callout.set_text(lines, self.callout_px, view.viewport().width() - 2 * EDGE_ROOM if view else None)
        if not lines:
            self.pointer.setVisible(False)
            self._sync_minimap()
            return
        level = self._level()
        anchor = self.scene.insides.step_anchor(level) if level != TOP else self._anchor(edge, node)
        graph = self.scene.graph_rect().united(self.scene.insides.frames_rect())  # a bubble hides no frame
        seen = view.visible_scene_rect() if view is not None else None
        own = {edge.source, edge.target} if edge is not None else {node}
        nodes, clear = self._obstacles(anchor if anchor is not None else graph.center(), graph, own)
        mine = [self.scene.node_item(n).sceneBoundingRect() for n in own if self.scene.node_item(n) is not None]
        spot = callout_spot(anchor if anchor is not None else QPointF(graph.center().x(), graph.bottom()),
                            self.callout.bubble_size(), TAIL_HALF, self._zoom(), graph, seen, nodes, clear, mine)
        self.callout.set_side(spot.above, spot.shift)
        self.callout.setPos(spot.tail)
        self.pointer.setVisible(anchor is not None)
        if anchor is not None:
            pen = QPen(QColor(STEP_COLOR), 3 * self.halo_scale, Qt.DashLine, Qt.RoundCap)
            pen.setCosmetic(True)
            self.pointer.setPen(pen)
            self.pointer.setLine(QLineF(anchor, spot.tail))
        self._sync_minimap()

    def bubble_scene_rect(self) -> QRectF:
        """The scene area the bubble covers at the view's zoom now (it keeps its size on screen)."""
        zoom = self._zoom()
        w, h = self.callout.bubble_size()
        shift = self.callout.boundingRect().center().x()  # the bubble's centre right of its tail
        pos = self.callout.pos()
        top = pos.y() - h / zoom if self.callout.is_above() else pos.y()
        return QRectF(pos.x() + shift / zoom - w / 2 / zoom, top, w / zoom, h / zoom)

    def _obstacles(self, anchor: QPointF, graph: QRectF, own: set) -> tuple[list[QRectF], list[QRectF]]:
        """The other nodes a pointer from `anchor` might cross, and everything (nodes and their
        numbers) a bubble near it must not cover: what lies in the graph's height near `anchor`,
        and what the expanded instances' frames show."""
        reach = max(self.callout.bubble_size()[0], 400.0) * 2 / max(self._zoom(), 1e-3)
        column = QRectF(anchor.x() - reach, graph.top(), 2 * reach, graph.height())
        nodes, clear = [], []
        for item in self.scene.items(column, Qt.IntersectsItemBoundingRect):
            if isinstance(item, NodeItem):
                rect = item.sceneBoundingRect()
                clear.append(rect)
                if item.node_id not in own:
                    nodes.append(rect.adjusted(-4, -4, 4, 4))  # a pointer passes with room to spare
            elif isinstance(item, OverlayLabel) and item.isVisible():
                clear.append(item.sceneBoundingRect())
        return nodes, clear + self.scene.insides.inner_rects()

    def _zoom(self) -> float:
        view = self.scene.view()
        return view.zoom_level() if view is not None else 1.0

    def bubble_on_screen(self) -> QRectF | None:
        """Where the bubble is in the view's viewport, for the minimap to keep clear of."""
        view = self.scene.view()
        if view is None or not self.callout.isVisible():
            return None
        return view.mapFromScene(self.bubble_scene_rect()).boundingRect().toRectF()

    def graph_on_screen(self) -> list[QRectF]:
        """The nodes and numbers in the view's viewport, for the step counter to keep clear of."""
        view = self.scene.view()
        if view is None:
            return []
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        return [view.mapFromScene(item.sceneBoundingRect()).boundingRect().toRectF()
                for item in self.scene.items(seen, Qt.IntersectsItemBoundingRect)
                if isinstance(item, NodeItem) or (isinstance(item, OverlayLabel) and item.isVisible())]

    def _sync_minimap(self) -> None:
        """The minimap stays out of the bubble's way: it hides while the two would overlap.
        With no bubble now nor at the last sync there is nothing to keep clear of, and the map
        is left alone (its sync walks every item after an edit of the graph)."""
        view = self.scene.view()
        if view is not None:
            bubble = self.bubble_on_screen()
            if bubble is not None or self._bubble_synced is not None or view.minimap.keep_clear != self.bubble_on_screen:
                view.minimap.keep_clear = self.bubble_on_screen
                view.minimap.sync()
            self._bubble_synced = bubble
        self.callout_placed.emit()

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

"""A large graph seen from afar, drawn in one pass instead of item by item.

Below `BOX_LOD` a node is only a box and an edge a hairline, yet Qt's per-item painting (style
option, painter state, a call into Python) costs about 10 µs an item: some 250 ms a frame for a
10,000-node network.  While the view is that far out, the node and edge items keep everything
but their paint (selection, hit tests, tooltips, the rubber band) and the view's background
draws them all from one cached set of boxes and hairlines, in the looks the items would use.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem
from shiboken6 import isValid

from cgeditor.editor.canvas.node_painter import BOX_LOD
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT

NO_CONTENTS = QGraphicsItem.ItemHasNoContents
_FLAGS = {False: QGraphicsItem.ItemIsSelectable,  # made once: combining Qt flags costs microseconds
          True: QGraphicsItem.ItemIsSelectable | NO_CONTENTS}
TILE = 2000.0  # scene units: a scroll step at the overview's zoom exposes a strip a tile or two wide
REACH_PX = 3.0  # how far past its shape a box's border or a hairline paints, in pixels


class Overview:
    def __init__(self, scene, large: bool):
        self.scene = scene
        self.active = large  # a large graph opens fitted, zoomed out: its items start without paint
        self._tiles: dict | None = None  # what is drawn, by square of the canvas; None: collect again

    def item_flags(self) -> QGraphicsItem.GraphicsItemFlag:
        """Flags for a new node or edge item: selectable, and without paint while active."""
        return _FLAGS[self.active]

    def follow_zoom(self, zoom: float) -> None:
        """The view is at `zoom` now: items paint themselves again once boxes become shapes."""
        active = len(self.scene.graph) > LAZY_LIMIT and zoom < BOX_LOD
        if active == self.active:
            return
        self.active = active
        for item in (*self.scene.node_items(), *self.scene.edge_items()):
            item.setFlag(NO_CONTENTS, active)
        self.invalidate()

    def invalidate(self) -> None:
        """Something drawn changed (a move, a selection, a state): draw anew on the next frame."""
        self._tiles = None
        if self.active and isValid(self.scene):  # selections also change as a scene is deleted
            for view in self.scene.views():
                view.viewport().update()  # items without paint do not ask for repaints themselves

    def paint(self, p: QPainter, exposed: QRectF) -> None:
        """Draw what meets `exposed` (a scrolled strip needs only its tiles)."""
        if not self.active:
            return
        if self._tiles is None:
            self._tiles = self._collect()
        reach = REACH_PX / p.worldTransform().m11()  # cosmetic borders and antialiasing, in scene units
        left, top = exposed.left() - reach, exposed.top() - reach
        right, bottom = exposed.right() + reach, exposed.bottom() + reach
        shown = [tile for tile in self._tiles.values()
                 if tile.left <= right and tile.right >= left and tile.top <= bottom and tile.bottom >= top]
        self.scene.painter.paint_overview(p, [t.paths for t in shown], [t.boxes for t in shown])

    def _collect(self) -> dict[tuple[int, int], "_Tile"]:
        selected = set(self.scene.selectedItems())  # one call, rather than one per item
        tiles: dict[tuple[int, int], _Tile] = {}

        def tile_at(x: float, y: float) -> _Tile:
            key = (int(x // TILE), int(y // TILE))
            tile = tiles.get(key)
            if tile is None:
                tile = tiles[key] = _Tile()
            return tile

        for item in self.scene.edge_items():
            state = "invalid" if item.is_invalid() else \
                "selected" if item in selected or item.is_highlighted() else "normal"
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = item.controls()
            tile = tile_at((x0 + x3) / 2, (y0 + y3) / 2)
            path = tile.paths.get(state)
            if path is None:
                path = tile.paths[state] = QPainterPath()
            path.moveTo(x0, y0)
            path.cubicTo(x1, y1, x2, y2, x3, y3)
            tile.include(min(x0, x2), min(y0, y3), max(x1, x3), max(y0, y3))  # the control points' box
        for item in self.scene.node_items():
            body = item.shape_info.body
            state = "selection" if item in selected else "error" if item.is_invalid() else \
                "accent" if item.is_output() else None
            x, y = item.x() + body.x, item.y() + body.y
            tile = tile_at(x, y)
            tile.boxes.setdefault((item.node.kind, state), []).append(QRectF(x, y, body.w, body.h))
            tile.include(x, y, x + body.w, y + body.h)
        return tiles


class _Tile:
    """What lies around one square of the canvas: hairline paths by state, boxes by look, and
    the bounds they reach (an edge can stray out of its square)."""

    def __init__(self):
        self.paths: dict[str, QPainterPath] = {}
        self.boxes: dict[tuple, list[QRectF]] = {}
        self.left = self.top = float("inf")
        self.right = self.bottom = float("-inf")

    def include(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left, self.top = min(self.left, left), min(self.top, top)
        self.right, self.bottom = max(self.right, right), max(self.bottom, bottom)

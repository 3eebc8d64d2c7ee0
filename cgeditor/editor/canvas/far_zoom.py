"""A large graph seen from afar, drawn in one pass instead of item by item.

Below `BOX_LOD` a node is only a box and an edge a hairline, yet Qt's per-item painting (style
option, painter state, a call into Python) costs about 10 µs an item: some 250 ms a frame for a
10,000-node network.  While the view is that far out, the node and edge items keep everything
but their paint (selection, hit tests, tooltips, the rubber band) and the view's background
draws them all from cached boxes and hairlines, in the looks the items would use.

The picture is kept by square of the canvas, and an edit redraws only the squares of the items it
touched (the scene says which): rebuilding all of it made adding one node to a 10,000-node graph
cost 400 ms.  Items without paint ask for no repaints, so a touch also repaints, in the view,
where the item was drawn and where it is now.  Squares are filled when a frame first shows them
(the scene's index says which items meet them): a 100,000-node graph opens showing a few
hundred of its 330,000 items, and filing all of them first cost 3 s.  While nothing else shows,
the view paints a frame without Qt's walk over the items under it (`paints_alone`).
"""

from __future__ import annotations

from itertools import count

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem
from shiboken6 import isValid

from cgeditor.editor.canvas.items import EdgeItem, NodeItem
from cgeditor.editor.canvas.node_geometry import Point, cubic_points
from cgeditor.editor.canvas.node_painter import BOX_LOD
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT

NO_CONTENTS = QGraphicsItem.ItemHasNoContents
_FLAGS = {False: QGraphicsItem.ItemIsSelectable,  # made once: combining Qt flags costs microseconds
          True: QGraphicsItem.ItemIsSelectable | NO_CONTENTS}
TILE = 2000.0  # scene units: a scroll step at the overview's zoom exposes a strip a tile or two wide
BULK = 500  # items touched before the next frame past which everything is drawn anew
REACH_PX = 3.0  # how far past its shape a box's border or a hairline paints, in pixels


class Overview:
    def __init__(self, scene, large: bool):
        self.scene = scene
        self.active = large  # a large graph opens fitted, zoomed out: its items start without paint
        self._tiles: dict[tuple[int, int], _Tile] = {}  # what is drawn, by square of the canvas
        self._drawn: dict[QGraphicsItem, Drawn] = {}  # each item as it is drawn now
        self._covered: set[tuple[int, int]] = set()  # squares every item meeting them is filed for
        self._touched: dict[QGraphicsItem, None] = {}  # to draw anew
        self._selected: set[QGraphicsItem] = set()  # as drawn
        self._serial = count()  # stacking order: boxes overlap as the items would
        self._others: dict[QGraphicsItem, None] = {}  # every other item added to the scene (see `paints_alone`)

    def added(self, item: QGraphicsItem) -> None:
        """The scene took `item`, one the overview does not draw unless it is a node or an edge."""
        if not isinstance(item, (NodeItem, EdgeItem)):
            self._others[item] = None

    def paints_alone(self) -> bool:
        """Whether a frame is only the background and the overview: active, and no item but the
        nodes and edges shown (a note, a block's frame, a readable label, a dragged wire: its
        ports are ringed then).  The view then draws it without Qt's walk over every item under
        the repainted area, which at far zoom finds thousands that draw nothing: 4.5 ms of an
        edit of a 10,000-node network, 34 ms at 100,000."""
        if not self.active:
            return False
        for item in list(self._others):
            if not isValid(item) or item.scene() is not self.scene:
                del self._others[item]
            elif item.isVisible():
                return False
        return True

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
        """Everything drawn may have changed (a theme): draw it all anew on the next frame."""
        self._touched, self._tiles, self._drawn, self._covered = {}, {}, {}, set()
        if self.active and isValid(self.scene):
            for view in self.scene.views():
                view.viewport().update()

    def touch(self, item: QGraphicsItem) -> None:
        """`item` (a node or an edge) came, went, moved or changed its look."""
        if not self.active or not self._covered:
            return  # drawn from scratch when next shown anyway
        if len(self._touched) > BULK:
            self.invalidate()  # a paste or a delete of many: one pass over all is cheaper
            return
        self._touched[item] = None
        drawn = self._drawn.get(item)
        if drawn is not None:  # where it was drawn
            self._repaint(curve_reaches(drawn[4]) if drawn[2] else [drawn[5]])
        if item.scene() is self.scene:  # where it is now
            self._repaint(curve_reaches(item.controls()) if isinstance(item, EdgeItem) else
                          [item.sceneBoundingRect().getCoords()])

    def touch_all(self, items) -> None:
        """`touch` each of `items` (what one edit touched), or, past `BULK` of them, draw
        everything anew at once, without working out each one's spots to repaint first."""
        if not self.active or self._touched is None or not items:
            return
        if len(self._touched) + len(items) > BULK:
            self.invalidate()
            return
        for item in items:
            self.touch(item)

    def selection_changed(self) -> None:
        """The selection settled: the items that joined or left it are drawn anew."""
        if not self.active or not self._covered or not isValid(self.scene):  # also as a scene is deleted
            return
        now = {item for item in self.scene.selectedItems() if isinstance(item, (NodeItem, EdgeItem))}
        changed = now ^ self._selected
        self._selected = now
        if len(changed) > BULK:
            self.invalidate()
            return
        for item in changed:
            self.touch(item)

    def paint(self, p: QPainter, exposed: QRectF) -> None:
        """Draw what meets `exposed` (a scrolled strip or a repainted spot needs only its tiles)."""
        if not self.active:
            return
        if self._touched:
            self._redraw_touched()
        reach = REACH_PX / p.worldTransform().m11()  # cosmetic borders and antialiasing, in scene units
        spots = [r.adjusted(-reach, -reach, reach, reach).getCoords() for r in _exposed_rects(p, exposed)]
        around = (min(s[0] for s in spots), min(s[1] for s in spots), max(s[2] for s in spots),
                  max(s[3] for s in spots))
        self._cover(*around)
        paths, boxes = [], []
        for _, tile in sorted(self._tiles.items()):  # in one order, however they came
            if not tile.meets(*around):
                continue
            if len(spots) == 1:
                tile_paths, tile_boxes = tile.parts()
            else:
                here = [spot for spot in spots if tile.meets(*spot)]
                if not here:
                    continue
                tile_paths, tile_boxes = tile.parts_meeting(here)
            paths.append(tile_paths)
            boxes.append(tile_boxes)
        self.scene.painter.paint_overview(p, paths, boxes)

    def _repaint(self, reaches: list[Reach]) -> None:
        pad = int(REACH_PX) + 1
        for view in self.scene.views():
            for left, top, right, bottom in reaches:
                rect = view.mapFromScene(QRectF(left, top, right - left, bottom - top)).boundingRect()
                view.viewport().update(rect.adjusted(-pad, -pad, pad, pad))

    def _cover(self, left: float, top: float, right: float, bottom: float) -> None:
        """File every item that meets the squares under this rect.  Serials follow the scene's
        stacking order (the order items paint in), square by square: the squares' items are all
        among those found, in that order, whenever and by whichever square they were filed."""
        columns = range(int(left // TILE), int(right // TILE) + 1)
        rows = range(int(top // TILE), int(bottom // TILE) + 1)
        squares = {(kx, ky) for kx in columns for ky in rows}
        if squares <= self._covered:
            return
        if not self._covered:
            self._selected = {item for item in self.scene.selectedItems()  # one call, not one per item
                              if isinstance(item, (NodeItem, EdgeItem))}
        self._covered |= squares
        area = QRectF(columns[0] * TILE, rows[0] * TILE, len(columns) * TILE, len(rows) * TILE)
        found = self.scene.items(area, Qt.IntersectsItemBoundingRect, Qt.AscendingOrder)
        drawn, selected = self._drawn, self._selected
        by_edge, by_node = self.scene.items_by_edge, self.scene.items_by_node  # not a block's insides
        edges = [item for item in found if isinstance(item, EdgeItem) and by_edge.get(item.edge) is item]
        nodes = [item for item in found if isinstance(item, NodeItem) and by_node.get(item.node_id) is item]
        for items, look in ((edges, _edge), (nodes, _node)):
            for item in items:
                old = drawn.get(item)
                if old is None:
                    self._file(item, look(item, item in selected, next(self._serial)))
                elif old[0] in squares:
                    self._file(item, (old[0], next(self._serial), *old[2:]))

    def _redraw_touched(self) -> None:
        touched, self._touched = self._touched, {}
        for item in touched:
            drawn = self._drawn.pop(item, None)
            if drawn is not None:
                tile = self._tiles[drawn[0]]
                tile.forget(item)
                if not tile.items:
                    del self._tiles[drawn[0]]
            if isValid(item) and item.scene() is self.scene:
                serial = drawn[1] if drawn is not None else next(self._serial)
                selected = item in self._selected
                now = _edge(item, selected, serial) if isinstance(item, EdgeItem) else _node(item, selected, serial)
                if drawn is not None or now[0] in self._covered:  # else its square's cover files it, in order
                    self._file(item, now)

    def _file(self, item: QGraphicsItem, drawn: "Drawn") -> None:
        self._drawn[item] = drawn
        tile = self._tiles.get(drawn[0])
        if tile is None:
            tile = self._tiles[drawn[0]] = _Tile()
        tile.add(item, drawn)


Reach = tuple[float, float, float, float]  # left, top, right, bottom: where an item's paint reaches
CURVE_PIECES = 16  # a touched edge repaints a box around each sixteenth of its curve, not its whole box
MAX_SPOTS = 64  # exposed rects tested tile by tile; beyond, their bounding rect
SPOT_SLACK = 2.0  # neighbouring rects become one spot while it is at most this much larger than they are


def _exposed_rects(p: QPainter, exposed: QRectF) -> list[QRectF]:
    """The scene rects a frame repaints: a long edge that moved exposes a thin band across the
    view, whose bounding rect would take in most squares.  A region cuts a band into many rects
    (a strip where another starts or ends, one a pixel row where a wire slants): neighbours are
    joined, as every item tested costs a test per spot, and an item meeting a joined spot but
    not the region paints only outside it, where the painter's clip (the region) drops it."""
    region = p.paintEngine().systemClip()  # the widget's repainted region, in device pixels
    inverse, invertible = p.worldTransform().inverted()
    if not invertible or not 0 < region.rectCount() <= MAX_SPOTS:
        return [exposed]
    spots: list[list[int]] = []  # left, top, right, bottom (exclusive), and the area of the rects joined
    for r in region:  # top to bottom
        left, top, right, bottom = r.x(), r.y(), r.x() + r.width(), r.y() + r.height()
        area = r.width() * r.height()
        if spots:
            last = spots[-1]
            joined = (min(last[0], left), min(last[1], top), max(last[2], right), max(last[3], bottom))
            if (joined[2] - joined[0]) * (joined[3] - joined[1]) <= SPOT_SLACK * (last[4] + area):
                last[:] = [*joined, last[4] + area]
                continue
        spots.append([left, top, right, bottom, area])
    return [inverse.mapRect(QRectF(left, top, right - left, bottom - top)) for left, top, right, bottom, _ in spots]


def curve_reaches(controls: tuple[Point, Point, Point, Point]) -> list[Reach]:
    """Boxes that together hold the cubic: each piece of its 16-segment polyline, grown by how far
    the curve can stray from the chords along each axis (an eighth of that coordinate's second
    derivative bound over n²)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = controls
    bend_x = 6 * max(abs(x0 - 2 * x1 + x2), abs(x1 - 2 * x2 + x3))  # each axis its own: a wire across a
    bend_y = 6 * max(abs(y0 - 2 * y1 + y2), abs(y1 - 2 * y2 + y3))  # wide graph strays far in x, not in y
    stray_x, stray_y = (bend / (8 * 16 * 16) * 1.5 + 1.0 for bend in (bend_x, bend_y))  # with room for rounding
    points = cubic_points(controls)
    step = len(points) // CURVE_PIECES
    reaches = []
    for i in range(0, len(points) - 1, step):
        xs = [x for x, _ in points[i:i + step + 1]]
        ys = [y for _, y in points[i:i + step + 1]]
        reaches.append((min(xs) - stray_x, min(ys) - stray_y, max(xs) + stray_x, max(ys) + stray_y))
    return reaches
# One item as the overview draws it (a tuple: hundreds of thousands are made at once): the
# square it is filed under, its stacking serial, whether it is an edge, its look (an edge's
# hairline state, a node's kind and state), its shape (control points, a box) and its reach.
Drawn = tuple[tuple[int, int], int, bool, object, object, Reach]


def _edge(item: EdgeItem, selected: bool, serial: int) -> Drawn:
    state = "invalid" if item.is_invalid() else "selected" if selected or item.is_highlighted() else "normal"
    controls = item.controls()
    (x0, y0), (x1, _), (x2, _), (x3, y3) = controls
    reach = (min(x0, x2), min(y0, y3), max(x1, x3), max(y0, y3))  # the control points' box
    return (int((x0 + x3) / 2 // TILE), int((y0 + y3) / 2 // TILE)), serial, True, state, controls, reach


def _node(item: NodeItem, selected: bool, serial: int) -> Drawn:
    body = item.shape_info.body
    state = "selection" if selected else "error" if item.is_invalid() else "accent" if item.is_output() else None
    x, y = item.x() + body.x, item.y() + body.y
    return ((int(x // TILE), int(y // TILE)), serial, False, (item.node.kind, state), QRectF(x, y, body.w, body.h),
            (x, y, x + body.w, y + body.h))


Parts = tuple[dict[str, QPainterPath], dict[tuple, list[QRectF]]]  # what a square draws: paths by edge state, boxes by node look


class _Tile:
    """The items filed under one square of the canvas, and what they draw: hairline paths by
    state and boxes by look, made when first painted after a change, and the bounds they reach
    (an edge can stray out of its square)."""

    def __init__(self):
        self.items: dict[QGraphicsItem, Drawn] = {}
        self._order: list[Drawn] | None = None  # by stacking serial
        self._reaches: list[Reach] = []  # each one's reach, in that order
        self._parts: Parts | None = None
        self._bounds: Reach | None = None

    def add(self, item: QGraphicsItem, drawn: Drawn) -> None:
        self.items[item] = drawn
        self._order = self._parts = self._bounds = None

    def forget(self, item: QGraphicsItem) -> None:
        del self.items[item]
        self._order = self._parts = self._bounds = None

    def meets(self, left: float, top: float, right: float, bottom: float) -> bool:
        if self._bounds is None:
            reaches = [drawn[5] for drawn in self.items.values()]
            self._bounds = (min(r[0] for r in reaches), min(r[1] for r in reaches),
                            max(r[2] for r in reaches), max(r[3] for r in reaches))
        x0, y0, x1, y1 = self._bounds
        return x0 <= right and x1 >= left and y0 <= bottom and y1 >= top

    def parts(self) -> Parts:
        """Everything filed here as it draws: hairline paths by edge state, boxes by node look."""
        if self._parts is None:
            self._parts = _parts(self._in_order())
        return self._parts

    def parts_meeting(self, spots: list[Reach]) -> Parts:
        """The paths and boxes of only the items whose reach meets one of `spots`: the rest
        paint nothing inside them.  A wire added across a wide graph at far zoom repaints thin
        bands through most squares, where stroking all their items drew 3,700 edges of a
        10,000-node network for the 1,100 that meet a band."""
        order = self._in_order()
        reaches = self._reaches
        hits: set[int] = set()
        for x0, y0, x1, y1 in spots:  # one comprehension a spot: a test per spot and item cost 3 times more
            hits.update([i for i, (left, top, right, bottom) in enumerate(reaches)
                         if left <= x1 and x0 <= right and top <= y1 and y0 <= bottom])
        return _parts([order[i] for i in sorted(hits)])

    def _in_order(self) -> list[Drawn]:
        if self._order is None:
            self._order = sorted(self.items.values(), key=_serial)
            self._reaches = [drawn[5] for drawn in self._order]
        return self._order


def _parts(drawn_items: list[Drawn]) -> Parts:
    """Hairline paths by edge state and boxes by node look, in the order given."""
    paths: dict[str, QPainterPath] = {}
    boxes: dict[tuple, list[QRectF]] = {}
    for _, _, is_edge, look, shape, _ in drawn_items:
        if is_edge:
            path = paths.get(look)
            if path is None:
                path = paths[look] = QPainterPath()
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = shape
            path.moveTo(x0, y0)
            path.cubicTo(x1, y1, x2, y2, x3, y3)
        else:
            boxes.setdefault(look, []).append(shape)
    return paths, boxes


def _serial(drawn: Drawn) -> int:
    return drawn[1]

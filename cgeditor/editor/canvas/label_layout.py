"""Keeps the overlay labels placed as the graph changes, without redoing the whole canvas.

After a rebuild or a toggle every label is placed again; after a move, a rename or a label that
outgrew its slot, only the labels near what changed are, with the rest held fixed as obstacles.
On a large graph even the first placement covers only what the view shows at a readable zoom;
the rest is placed as it scrolls into view.  A label is shown once placed and wanted.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer

from cgeditor.model.graph import Edge
from cgeditor.editor.canvas.items import EdgeItem, NodeItem, OverlayLabel
from cgeditor.editor.canvas.node_painter import LABEL_MIN_PX
from cgeditor.editor.canvas.label_placement import LabelRequest, Rect, place_labels
from cgeditor.editor.canvas.label_spots import along_polyline, around_node, point_at

ROW_GAP = 2.0  # between a node's value and gradient labels
REACH = 230.0  # farther than any candidate position lies from its node or edge
LAZY_LIMIT = 1000  # above this many nodes, labels are placed as they come into view


def _rect(r: QRectF) -> Rect:
    return Rect(r.x(), r.y(), r.width(), r.height())


class LabelLayout:
    """Where the labels of `labels` (an OverlayLabels, which owns this) go on `scene`."""

    def __init__(self, scene, labels):
        self.scene = scene
        self.labels = labels
        self.wanted = labels.wanted  # whether the overlay toggles ask for this label
        self.unplaced: set = set()  # owners whose labels wait until they come into view
        self.nodes, self.edges = scene.items_by_node, scene.items_by_edge  # read-only views
        self.values, self.grads, self.edge_grads = labels.values, labels.grads, labels.edge_grads
        self.full = True
        self.dirty: list[QRectF] = []
        self.moved: set[Edge] = set()  # edges whose path changed: their labels are placed again
        self.timer = QTimer(scene, singleShot=True, interval=0)
        self.timer.timeout.connect(self.run)

    def touch(self, item) -> None:
        """Labels near `item` (a graphics item, where it is now) need placing again, and an
        edge's own label wherever it is."""
        if self.full:  # before asking where it is: building a large scene touches every item
            return
        if isinstance(item, EdgeItem):
            self.moved.add(item.edge)
        rect = item.sceneBoundingRect()
        if rect.isEmpty():
            return
        self.dirty.append(rect)
        if len(self.dirty) > max(50, len(self.nodes) // 4):
            self.full = True  # scattered everywhere: placing all at once is cheaper
            self.dirty, self.moved = [], set()

    def invalidate_all(self) -> None:
        self.full = True

    def schedule(self) -> None:
        self.timer.start()

    def pending(self) -> bool:
        return self.timer.isActive()

    def run(self) -> None:
        self.timer.stop()
        full, dirty, moved = self.full, self.dirty, self.moved
        self.full, self.dirty, self.moved = False, [], set()
        if full:
            self._reset()
            seen = self.readable_view_rect()
            if seen is None:  # a small graph, or no view yet: everything now
                self._place(list(self.nodes), list(self.edges), list(self.nodes), list(self.edges), [])
            else:
                self._place_around(self._placeable_in(seen) if not seen.isEmpty() else (set(), set()))
        elif dirty:
            if not self.readable() and self.lazy():
                # Too small to read (nothing is drawn): sorting out what the edits touched waits
                # until the view is readable again; doing it now cost 100 ms an edit at 10,000 nodes.
                self.dirty, self.moved = dirty, moved
                return
            node_ids, edges = self.owners_in(dirty)
            self._place_around(self._now_or_later((node_ids, edges | (moved & self.edges.keys()))))

    def _now_or_later(self, owners: tuple[set[str], set[Edge]]) -> tuple[set[str], set[Edge]]:
        """On a large graph, owners out of view (or all, when too small to read) wait for
        `reveal`; the rest are returned to be placed now."""
        seen = self.readable_view_rect()
        if seen is None:
            return owners
        now: tuple[set[str], set[Edge]] = (set(), set())
        for group, items, kind in ((owners[0], self.nodes, 0), (owners[1], self.edges, 1)):
            for owner in group:
                if seen.intersects(items[owner].sceneBoundingRect()) and \
                        (kind == 0 or self._middle_in(owner, seen)):
                    now[kind].add(owner)
                else:
                    self.unplaced.add(owner)
                    for label in self.labels.labels_of(owner, make=False):
                        label.placed = False
                        label.setVisible(False)
        return now

    def reveal(self, seen: QRectF) -> None:
        """The view now shows `seen`: place the labels there that were left for later."""
        if self.timer.isActive() or self.full or not self.readable():
            return
        if self.dirty:  # edits made while labels were too small to read
            self.run()
        if not self.unplaced:
            return
        nodes, edges = self._placeable_in(seen)
        nodes = {n for n in nodes if n in self.unplaced}
        edges = {e for e in edges if e in self.unplaced}
        if nodes or edges:
            self._place_around((nodes, edges))

    def _placeable_in(self, seen: QRectF) -> tuple[set[str], set[Edge]]:
        """The owners whose labels would land in `seen`."""
        node_ids, edges = self.owners_in([seen])
        return node_ids, {e for e in edges if self._middle_in(e, seen)}

    def _middle_in(self, edge: Edge, seen: QRectF) -> bool:
        """Whether `edge`'s label, which sits about halfway along it, would land in `seen`.  The
        long edges of a dense network cross every view; placing their labels somewhere far
        along them, for nobody to see yet, took seconds at a zoom step on a 10,000-node MLP."""
        (x, y), _ = point_at(self.edges[edge].polyline(), 0.5)
        return seen.adjusted(-REACH, -REACH, REACH, REACH).contains(x, y)

    def _reset(self) -> None:
        """Forget every placement: labels are hidden until placed, in their tightest slots."""
        self.unplaced = {*self.nodes, *self.edges}
        self.scene.forget_label_rects()  # labels are hidden until placed again
        for label in self.labels.made():
            if label.placed or label.isVisible():
                label.shrink_to_fit()  # the others shrink when they are placed
                label.placed = False
                label.setVisible(False)

    def lazy(self) -> bool:
        """Whether labels are placed and filled in only as they come into view (a large graph)."""
        return len(self.nodes) > LAZY_LIMIT and self.scene.view() is not None

    def readable(self) -> bool:
        view = self.scene.view()
        return view is None or view.zoom_level() * self.scene.painter.theme.overlay_px >= LABEL_MIN_PX

    def readable_view_rect(self) -> QRectF | None:
        """Where to place labels first on a large graph: the part in view, or nothing while
        labels are too small to read there; None for a small graph (place everything)."""
        view = self.scene.view()
        if view is None or len(self.nodes) <= LAZY_LIMIT:
            return None
        if not self.readable():
            return QRectF()
        return view.visible_scene_rect().adjusted(-REACH, -REACH, REACH, REACH)

    def _place_around(self, owners: tuple[set[str], set[Edge]]) -> None:
        """Place the labels of `owners`, holding every other placed label near them fixed."""
        node_ids, edges = owners
        if not node_ids and not edges:
            return
        reaches = [self.nodes[n].sceneBoundingRect() for n in node_ids]
        reaches += [self.edges[e].sceneBoundingRect() for e in edges]
        seen: dict[int, object] = {}
        for reach in reaches:
            for item in self.scene.items(reach.adjusted(-REACH, -REACH, REACH, REACH),
                                         Qt.IntersectsItemBoundingRect):
                seen[id(item)] = item
        obstacle_nodes, obstacle_edges, fixed = [], [], []
        for item in seen.values():
            if isinstance(item, NodeItem):
                obstacle_nodes.append(item.node_id)
            elif isinstance(item, EdgeItem):
                obstacle_edges.append(item.edge)
            elif isinstance(item, OverlayLabel) and item.isVisible() and item.owner not in node_ids \
                    and item.owner not in edges:
                fixed.append(_rect(item.sceneBoundingRect()))
        order = {n: i for i, n in enumerate(self.nodes)}
        self._place(sorted(node_ids, key=order.__getitem__), sorted(edges), obstacle_nodes, obstacle_edges,
                    fixed)

    def _place(self, node_ids, edges, obstacle_nodes, obstacle_edges, fixed: list[Rect]) -> None:
        self.labels.show_numbers(node_ids, edges, touch=False)  # sizes below need the current numbers
        for owner in (*node_ids, *edges):
            for label in self.labels.labels_of(owner):
                if not label.placed:
                    label.shrink_to_fit()
        node_rects = {n: self._node_rect(n) for n in obstacle_nodes}
        polylines = {e: self.edges[e].polyline() for e in obstacle_edges}
        requests = []
        for node_id in node_ids:
            rows = self._rows(node_id)
            if rows:
                size = (max(r.size()[0] for r in rows),
                        sum(r.size()[1] for r in rows) + ROW_GAP * (len(rows) - 1))
                requests.append(LabelRequest(node_id, size, around_node(node_rects[node_id], size)))
        for edge in edges:
            label = self.edge_grads[edge]
            if self.wanted(label):
                requests.append(LabelRequest(edge, label.size(), along_polyline(polylines[edge], label.size()),
                                             own_edge=edge))
        placed = place_labels(node_rects.values(), polylines, requests, fixed)
        reach = QRectF()
        for rect in placed.rects.values():
            reach = reach.united(QRectF(rect.x, rect.y, rect.w, rect.h))
        self.scene.grow_graph_rect(reach)
        for key, rect in placed.rects.items():
            if isinstance(key, Edge):
                self._show(self.edge_grads[key], rect.x, rect.y)
                continue
            y = rect.y
            for label in self._rows(key):
                w, h = label.size()
                self._show(label, rect.x + (rect.w - w) / 2, y)
                y += h + ROW_GAP
        for owner in (*node_ids, *edges):
            self.unplaced.discard(owner)
            for label in self.labels.labels_of(owner):
                if not self.wanted(label):
                    label.setVisible(False)
        self.scene.layout_changed.emit()

    @staticmethod
    def _show(label: OverlayLabel, x: float, y: float) -> None:
        label.setPos(x, y)
        label.placed = True
        label.setVisible(True)

    def _rows(self, node_id: str) -> list[OverlayLabel]:
        return [lab for lab in (self.values[node_id], self.grads[node_id]) if self.wanted(lab)]

    def _node_rect(self, node_id: str) -> Rect:
        item = self.nodes[node_id]
        b = item.shape_info.bounds
        return Rect(item.x() + b.x, item.y() + b.y, b.w, b.h)

    def owners_in(self, rects: list[QRectF]) -> tuple[set[str], set[Edge]]:
        """Nodes whose item or placed label meets one of `rects`; edges whose placed label does
        or, without one, whose item does.  A long edge merely passing through keeps its label
        where it is, far along it: placing that again means weighing the whole edge's length."""
        node_ids, edges = set(), set()
        for rect in rects:
            for item in self.scene.items(rect, Qt.IntersectsItemBoundingRect):
                if isinstance(item, OverlayLabel):
                    owner = item.owner if item.isVisible() else None
                elif isinstance(item, NodeItem):
                    owner = item.node_id
                elif isinstance(item, EdgeItem):
                    label = self.edge_grads.get(item.edge)
                    owner = item.edge if label is None or not label.isVisible() else None
                else:
                    continue
                if isinstance(owner, Edge) and owner in self.edges:
                    edges.add(owner)
                elif isinstance(owner, str) and owner in self.nodes:
                    node_ids.add(owner)
        return node_ids, edges

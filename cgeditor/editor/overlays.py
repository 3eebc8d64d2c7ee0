"""Keeps the overlay labels placed as the graph changes, without redoing the whole canvas.

After a rebuild or a toggle every label is placed again; after a move, a rename or a label that
outgrew its slot, only the labels near what changed are, with the rest held fixed as obstacles.
That keeps dragging a node or typing a value cheap on a graph with thousands of labels.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer

from ..model.graph import Edge
from .items import EdgeItem, NodeItem, OverlayLabel
from .label_placement import LabelRequest, Rect, along_polyline, around_node, place_labels

ROW_GAP = 2.0  # between a node's value and gradient labels
REACH = 230.0  # farther than any candidate position lies from its node or edge


def _rect(r: QRectF) -> Rect:
    return Rect(r.x(), r.y(), r.width(), r.height())


class LabelLayout:
    def __init__(self, scene, nodes: dict[str, NodeItem], edges: dict[Edge, EdgeItem],
                 values: dict[str, OverlayLabel], grads: dict[str, OverlayLabel],
                 edge_grads: dict[Edge, OverlayLabel]):
        self.scene = scene
        self.nodes, self.edges = nodes, edges
        self.values, self.grads, self.edge_grads = values, grads, edge_grads
        self.full = True
        self.dirty: list[QRectF] = []
        self.timer = QTimer(scene, singleShot=True, interval=0)
        self.timer.timeout.connect(self.run)

    def touch(self, rect: QRectF) -> None:
        """Labels near `rect` need placing again."""
        if self.full or rect.isEmpty():
            return
        self.dirty.append(rect)
        if len(self.dirty) > max(50, len(self.nodes) // 4):
            self.full = True  # scattered everywhere: placing all at once is cheaper
            self.dirty = []

    def invalidate_all(self) -> None:
        self.full = True

    def schedule(self) -> None:
        self.timer.start()

    def pending(self) -> bool:
        return self.timer.isActive()

    def run(self) -> None:
        self.timer.stop()
        full, dirty = self.full, self.dirty
        self.full, self.dirty = False, []
        if full:
            for label in (*self.values.values(), *self.grads.values(), *self.edge_grads.values()):
                label.shrink_to_fit()
            node_ids, edges = list(self.nodes), list(self.edges)
            obstacle_nodes, obstacle_edges, fixed = node_ids, edges, []
        elif not dirty:
            return
        else:
            node_ids, edges, obstacle_nodes, obstacle_edges, fixed = self._neighbourhood(dirty)
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
            if label.isVisible():
                requests.append(LabelRequest(edge, label.size(), along_polyline(polylines[edge], label.size()),
                                             own_edge=edge))
        placed = place_labels(node_rects.values(), polylines, requests, fixed)
        for key, rect in placed.rects.items():
            if isinstance(key, Edge):
                self.edge_grads[key].setPos(rect.x, rect.y)
                continue
            y = rect.y
            for label in self._rows(key):
                w, h = label.size()
                label.setPos(rect.x + (rect.w - w) / 2, y)
                y += h + ROW_GAP
        self.scene.layout_changed.emit()

    def _rows(self, node_id: str) -> list[OverlayLabel]:
        return [lab for lab in (self.values[node_id], self.grads[node_id]) if lab.isVisible()]

    def _node_rect(self, node_id: str) -> Rect:
        item = self.nodes[node_id]
        b = item.shape_info.bounds
        return Rect(item.x() + b.x, item.y() + b.y, b.w, b.h)

    def _neighbourhood(self, dirty: list[QRectF]):
        """Owners whose labels must move (their node, edge or label meets a dirty rect), the
        obstacles within reach of those labels' candidates, and the other labels there, fixed."""
        node_ids, edges = set(), set()
        for rect in dirty:
            for item in self.scene.items(rect, Qt.IntersectsItemBoundingRect):
                owner = item.owner if isinstance(item, OverlayLabel) and item.isVisible() else item
                if isinstance(owner, NodeItem):
                    owner = owner.node_id
                elif isinstance(owner, EdgeItem):
                    owner = owner.edge
                if isinstance(owner, Edge) and owner in self.edges:
                    edges.add(owner)
                elif isinstance(owner, str) and owner in self.nodes:
                    node_ids.add(owner)
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
        return (sorted(node_ids, key=order.__getitem__), sorted(edges), obstacle_nodes, obstacle_edges, fixed)

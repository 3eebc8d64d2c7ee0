"""Mouse gestures as small objects (Orange canvas' interactions) sharing one protocol, and the
drags that move things: nodes with the notes selected with them, and notes and arrows.

Each gesture turns mouse input into Document edits; none touches the graph or the items
directly, so undo and the overlays follow by themselves.  The wire drag lives in `wire_drag`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF

from cgeditor.model.annotations import shifted
from cgeditor.editor.canvas.items import EdgeItem, NodeItem, OverlayLabel
from cgeditor.editor.document.commands import new_merge_id

DRAG_THRESHOLD = 3.0  # scene units the mouse must travel before a press becomes a drag


class Gesture:
    """One mouse gesture, from a press to its release.  The scene holds at most one: it calls
    `start` at the press, `move` at each mouse move, then either `finish` at the release or
    `cancel` on Escape, and routes no other mouse input meanwhile.

    A gesture edits through the Document only and never steps the undo stack back itself: what
    it wants to take back, it moves back under its own merge id, which leaves no step behind."""

    selects = False  # the item pressed saw the press (and selected itself), so it sees the release

    def __init__(self, scene):
        self.scene = scene

    def start(self, pos: QPointF) -> None:
        raise NotImplementedError

    def move(self, pos: QPointF) -> None:
        raise NotImplementedError

    def finish(self, pos: QPointF) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError


def unpacked(points: tuple) -> tuple:
    """Annotation points as the Document takes them: a note's pos, an arrow's (start, end)."""
    return points[0] if len(points) == 1 else points


def _snap(value: float, grid: float) -> float:
    return round(value / grid) * grid


def _edge_under_dragged(scene, pos: QPointF, node_id: str) -> EdgeItem | None:
    """The edge under `pos`, seen through the dragged node itself and through labels."""
    for item in scene.items_at(pos):
        owner = item if isinstance(item, NodeItem) else item.parentItem()
        if isinstance(item, OverlayLabel) or (isinstance(owner, NodeItem) and owner.node_id == node_id):
            continue
        return item if isinstance(item, EdgeItem) else None
    return None


class NodeDrag(Gesture):
    """Moving the selected nodes (and the notes selected with them), snapped to the grid: one
    merge id per drag, so the whole drag is one undo step."""

    selects = True  # a plain click narrows the selection

    def __init__(self, scene, item: NodeItem):
        super().__init__(scene)
        self.item = item

    def start(self, pos: QPointF) -> None:
        scene, item = self.scene, self.item
        self.press = pos
        ids = scene.selected_node_ids()
        self.ids = ids if item.node_id in ids else [item.node_id]
        self.starts = {n: (scene.node_item(n).x(), scene.node_item(n).y()) for n in self.ids}
        self.anchor = self.starts[item.node_id]
        notes = scene.annotations.selected_ids() if item.node_id in ids else []  # they go along
        self.note_starts = {a: scene.graph.annotation(a).points for a in notes}
        self.grid = scene.painter.theme.grid_size
        self.merge_id = new_merge_id()
        self.moved = False

    def move(self, pos: QPointF) -> None:
        dx, dy = pos.x() - self.press.x(), pos.y() - self.press.y()
        if not self.moved and math.hypot(dx, dy) < DRAG_THRESHOLD:
            return
        self.moved = True
        ax, ay = self.anchor
        sx, sy = _snap(ax + dx, self.grid) - ax, _snap(ay + dy, self.grid) - ay
        moves = {n: (x + sx, y + sy) for n, (x, y) in self.starts.items()}
        notes = {a: unpacked(shifted(p, sx, sy)) for a, p in self.note_starts.items()}
        self.scene.document.move_nodes(moves, merge_id=self.merge_id, annotations=notes)

    def finish(self, pos: QPointF) -> None:
        self.move(pos)
        if self.moved and len(self.ids) == 1 and not self.note_starts:
            self._drop_into_edge(self.ids[0], pos)

    def _drop_into_edge(self, node_id: str, pos: QPointF) -> None:
        """A lone, unconnected op dropped onto a wire goes into it.  The drag's own move step is
        abandoned first (moved back under its merge id, it is a no-op and the stack drops it),
        so the insertion, which carries the move, is the drag's one undo step."""
        edge = _edge_under_dragged(self.scene, pos, node_id)
        document = self.scene.document
        if edge is None or document.insertion_problem(node_id, edge.edge) is not None:
            return
        end = self.scene.graph.node(node_id).pos
        document.move_nodes({node_id: self.starts[node_id]}, merge_id=self.merge_id)
        document.insert_node_into_edge(node_id, edge.edge, self.starts[node_id], end)

    def cancel(self) -> None:
        if self.moved:
            self.scene.document.move_nodes(self.starts, merge_id=self.merge_id,
                                           annotations={a: unpacked(p) for a, p in self.note_starts.items()})


class AnnotationDrag(Gesture):
    """Moving a note or an arrow (with the rest of the selection, when it is part of one) or,
    with `end`, one end of an arrow: one merge id, so the drag is one undo step.  If something
    dragged is removed meanwhile (an undo during the drag), the rest of the drag does nothing."""

    selects = True  # a plain click narrows the selection

    def __init__(self, scene, item, end: int | None = None):
        super().__init__(scene)
        self.item, self.end = item, end

    def start(self, pos: QPointF) -> None:
        scene, graph = self.scene, self.scene.graph
        group = self.end is None and self.item.isSelected()
        notes = scene.annotations.selected_ids() if group else [self.item.ann_id]
        nodes = scene.selected_node_ids() if group else []
        self.ann_id, self.press = self.item.ann_id, pos
        self.notes = {a: graph.annotation(a).points for a in notes}  # with their points at the press
        self.nodes = {n: graph.node(n).pos for n in nodes}  # moved along, from where they were
        self.merge_id = new_merge_id()
        self.gone = False

    def move(self, pos: QPointF) -> None:
        if self.gone or not self._still_there():
            self.gone = True
            return
        self._move_by(pos.x() - self.press.x(), pos.y() - self.press.y())

    def _still_there(self) -> bool:
        annotations = self.scene.annotations
        return all(annotations.item(a) is not None for a in self.notes) and \
            all(n in self.scene.graph for n in self.nodes)

    def _move_by(self, dx: float, dy: float) -> None:
        document = self.scene.document
        if self.end is not None:
            points = list(self.notes[self.ann_id])
            points[self.end] = (points[self.end][0] + dx, points[self.end][1] + dy)
            document.move_annotation(self.ann_id, tuple(points), merge_id=self.merge_id)
            return
        if self.nodes:  # nodes stay on the grid they snap to
            grid = self.scene.painter.theme.grid_size
            dx, dy = _snap(dx, grid), _snap(dy, grid)
        notes = {a: unpacked(shifted(p, dx, dy)) for a, p in self.notes.items()}
        if len(notes) == 1 and not self.nodes:
            document.move_annotation(self.ann_id, notes[self.ann_id], merge_id=self.merge_id)
        else:
            moves = {n: (p[0] + dx, p[1] + dy) for n, p in self.nodes.items() if p is not None}
            document.move_nodes(moves, merge_id=self.merge_id, annotations=notes)

    def finish(self, pos: QPointF) -> None:
        """Nothing left to do: each move was pushed as it came, and the release adds none."""

    def cancel(self) -> None:
        if not self.gone and self._still_there():
            self._move_by(0.0, 0.0)

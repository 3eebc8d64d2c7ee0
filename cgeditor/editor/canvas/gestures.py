"""Gestures as small objects (Orange canvas' interactions): dragging nodes, drawing wires,
dropping palette entries, the node search popup, inline editors and context menus.

Each gesture turns mouse input into Document edits; none touches the graph or the items
directly, so undo and the overlays follow by themselves.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QLineEdit, QMenu

from cgeditor.model.annotations import shifted
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Edge, GraphError, NodeKind
from cgeditor.model.numbers import format_full, parse_number
from cgeditor.model.validate import connection_problem
from cgeditor.editor.canvas.annotation_items import NoteItem, annotation_owner
from cgeditor.editor.canvas.annotation_layer import unpacked
from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.canvas.items import Z_WIRE, EdgeItem, NodeItem, OverlayLabel, PortItem
from cgeditor.editor.canvas.node_geometry import edge_controls
from cgeditor.editor.panels.node_entries import node_entries
from cgeditor.editor.panels.node_search import NodeSearchPopup

DRAG_THRESHOLD = 3.0  # scene units the mouse must travel before a press becomes a drag
MARK_ALL_LIMIT = 400  # above this many nodes, only ports in view are marked while wiring


def _say(scene, text: str) -> None:
    scene.show_message.emit(text[:1].upper() + text[1:])


def create_node(scene, key: str, pos: QPointF) -> str:
    """Add the palette entry `key` ("variable", "constant" or an op name) centred at `pos`."""
    doc = scene.document
    at = (pos.x(), pos.y())
    if key == "variable":
        return doc.add_node(NodeKind.VARIABLE, pos=at)
    if key == "constant":
        return doc.add_node(NodeKind.CONSTANT, pos=at)
    return doc.add_node(NodeKind.OP, op=key, pos=at)


def edge_at(scene, pos: QPointF) -> EdgeItem | None:
    """The edge under `pos`, seen through overlay labels (an edge's label sits on the edge)."""
    for item in scene.items_at(pos):
        if not isinstance(item, OverlayLabel):
            return item if isinstance(item, EdgeItem) else None
    return None


def _edge_under_dragged(scene, pos: QPointF, node_id: str) -> EdgeItem | None:
    """The edge under `pos`, seen through the dragged node itself and through labels."""
    for item in scene.items_at(pos):
        owner = item if isinstance(item, NodeItem) else item.parentItem()
        if isinstance(item, OverlayLabel) or (isinstance(owner, NodeItem) and owner.node_id == node_id):
            continue
        return item if isinstance(item, EdgeItem) else None
    return None


def drop_entry(scene, key: str, pos: QPointF) -> str:
    """A palette entry dropped on the canvas: an op dropped onto an edge goes into that edge."""
    edge = edge_at(scene, pos)
    if edge is not None and key not in ("variable", "constant"):
        return scene.document.insert_on_edge(edge.edge, key, (pos.x(), pos.y()))
    return create_node(scene, key, pos)


def _snap(value: float, grid: float) -> float:
    return round(value / grid) * grid


class NodeDrag:
    """Moving the selected nodes: one merge id per drag, so the whole drag is one undo step."""

    def __init__(self, scene, item: NodeItem, pos: QPointF):
        self.scene = scene
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

    def release(self, pos: QPointF) -> None:
        self.move(pos)
        if self.moved and len(self.ids) == 1 and not self.note_starts:
            self._drop_into_edge(self.ids[0], pos)

    def _drop_into_edge(self, node_id: str, pos: QPointF) -> None:
        """A lone, unconnected op dropped onto a wire goes into it; the drag's own move step is
        taken back first, so the move and the rewiring are one undo step."""
        edge = _edge_under_dragged(self.scene, pos, node_id)
        document = self.scene.document
        if edge is None or document.insertion_problem(node_id, edge.edge) is not None:
            return
        end = self.scene.graph.node(node_id).pos
        stack = document.undo_stack
        if stack.index() > 0 and stack.command(stack.index() - 1).id() == self.merge_id:
            stack.undo()
        document.insert_node_into_edge(node_id, edge.edge, self.starts[node_id], end)

    def cancel(self) -> None:
        if self.moved:
            self.scene.document.move_nodes(self.starts, merge_id=self.merge_id,
                                           annotations={a: unpacked(p) for a, p in self.note_starts.items()})


class WireDrag:
    """Drawing a wire from a port: a curve follows the mouse, ports that would take it light up,
    and the release connects, explains a refusal, or offers new nodes on empty canvas."""

    def __init__(self, scene, port: PortItem, pos: QPointF):
        self.scene = scene
        self.graph = scene.graph
        self.node_id, self.port = port.node_id, port.index
        self.from_output = not port.is_input
        self.press = pos
        scene.set_spare_ports(True)
        self.preview = QGraphicsPathItem()
        pen = QPen(scene.painter.theme.color("wire_preview"), 1.6, Qt.DashLine)
        pen.setCosmetic(True)
        self.preview.setPen(pen)
        self.preview.setZValue(Z_WIRE)
        scene.addItem(self.preview)
        self.marked: list[PortItem] = []
        self.hovered: PortItem | None = None
        self._mark_targets()
        self.move(pos)

    def _anchor(self) -> QPointF:
        item = self.scene.node_item(self.node_id)
        x, y = item.output_scene_point() if self.from_output else item.input_scene_point(self.port)
        return QPointF(x, y)

    def problem(self, port: PortItem) -> str | None:
        """Why a wire from the start port to `port` is refused, or None."""
        if port.is_input != self.from_output:
            side = "output" if self.from_output else "input"
            return f"an {side} connects to an {'input' if self.from_output else 'output'}, not to another {side}"
        if self.from_output:
            return connection_problem(self.graph, self.node_id, port.node_id, port.index)
        return connection_problem(self.graph, port.node_id, self.node_id, self.port)

    def _mark_targets(self) -> None:
        items = self.scene.node_items()
        view = self.scene.view()
        if len(items) > MARK_ALL_LIMIT and view is not None:
            seen = view.mapToScene(view.viewport().rect()).boundingRect()
            items = [i for i in items if seen.intersects(i.sceneBoundingRect())]
        for item in items:
            for port in item.ports():
                if port.is_input == self.from_output:
                    port.set_state("valid" if self.problem(port) is None else "invalid")
                    self.marked.append(port)

    def move(self, pos: QPointF) -> None:
        if self.scene.node_item(self.node_id) is None:
            return  # the start node went away (undone meanwhile); release will clean up
        a = self._anchor()
        p0, p1 = ((a.x(), a.y()), (pos.x(), pos.y())) if self.from_output else ((pos.x(), pos.y()), (a.x(), a.y()))
        c = edge_controls(p0, p1)
        path = QPainterPath(QPointF(*c[0]))
        path.cubicTo(QPointF(*c[1]), QPointF(*c[2]), QPointF(*c[3]))
        self.preview.setPath(path)
        target = self._target_at(pos)
        hovered = target if isinstance(target, PortItem) and target in self.marked else None
        if hovered is not self.hovered:
            if self.hovered is not None:
                self.hovered.set_state("valid" if self.problem(self.hovered) is None else "invalid")
            if hovered is not None and hovered.state() == "valid":
                hovered.set_state("hover")
            self.hovered = hovered

    def _target_at(self, pos: QPointF):
        """The port or node under the mouse, looking through the wire itself and any label."""
        for item in self.scene.items_at(pos):
            if isinstance(item, (PortItem, NodeItem)):
                return item
            if isinstance(item, EdgeItem):
                return None
        return None

    def _finish(self) -> None:
        for port in self.marked:
            port.set_state(None)
        self.scene.removeItem(self.preview)

    def cancel(self) -> None:
        self._finish()
        self.scene.set_spare_ports(False)

    def release(self, pos: QPointF) -> None:
        target = self._target_at(pos)
        self._finish()
        if self.node_id not in self.graph:
            self.scene.set_spare_ports(False)
            return
        try:
            if isinstance(target, PortItem):
                if target.node_id == self.node_id and target.index == self.port:
                    return  # a click on a port, not a wire
                self._connect_port(target)
            elif isinstance(target, NodeItem):
                self._connect_node(target)
            elif math.hypot(pos.x() - self.press.x(), pos.y() - self.press.y()) >= DRAG_THRESHOLD:
                self._offer_new_node(pos)
        finally:
            self.scene.set_spare_ports(False)

    def _connect(self, source: str, target: str, port: int) -> None:
        reason = self.scene.document.connect(source, target, port)
        if reason is not None:
            _say(self.scene, f"cannot connect: {reason}")

    def _connect_port(self, port: PortItem) -> None:
        if port.is_input != self.from_output:
            _say(self.scene, f"cannot connect: {self.problem(port)}")
        elif self.from_output:
            self._connect(self.node_id, port.node_id, port.index)
        else:
            self._connect(port.node_id, self.node_id, self.port)

    def _connect_node(self, item: NodeItem) -> None:
        """A wire dropped on a node's body: into its first free input, or from its output."""
        if not self.from_output:
            self._connect(item.node_id, self.node_id, self.port)
            return
        if item.node.kind is not NodeKind.OP:
            self._connect(self.node_id, item.node_id, 0)  # refused, with the reason
            return
        taken = {e.port for e in self.graph.in_edges(item.node_id)}
        free = [p.index for p in item.ports() if p.is_input and p.index not in taken]
        if not free:
            _say(self.scene, f"every input of {item.label} is taken: drop onto a port to replace its wire")
            return
        self._connect(self.node_id, item.node_id, free[0])

    def _offer_new_node(self, pos: QPointF) -> None:
        source = self.node_id if self.from_output else None
        target = None if self.from_output else (self.node_id, self.port)
        scene = self.scene

        def add(op: str) -> None:
            try:
                scene.document.add_connected_node(op, (pos.x(), pos.y()), source=source, target=target)
            except GraphError as e:
                _say(scene, str(e))

        entries = [e for e in node_entries() if e.key not in ("variable", "constant")]
        open_node_search(scene, pos, entries, add, title="Connect to")


def open_node_search(scene, pos: QPointF, entries=None, on_chosen=None, title: str = "Add node"):
    """The search popup at scene position `pos`; the chosen entry is created there."""
    view = scene.view()
    if view is None:
        return None
    popup = NodeSearchPopup(entries or node_entries(), view, title)
    popup.setAttribute(Qt.WA_DeleteOnClose)
    popup.chosen.connect(on_chosen or (lambda key: create_node(scene, key, pos)))
    popup.open_at(view.viewport().mapToGlobal(view.mapFromScene(pos)))
    scene.search_popup = popup
    return popup


# -- inline editors ---------------------------------------------------------------------------


class InlineEditor(QLineEdit):
    """A line edit laid over the canvas; Escape cancels, Enter commits, focus loss commits."""

    def __init__(self, view, scene_rect: QRectF, text: str, on_edit=None, on_commit=None, on_cancel=None):
        super().__init__(text, view.viewport())
        self._on_commit, self._on_cancel = on_commit, on_cancel
        self._done = False
        r = view.mapFromScene(scene_rect).boundingRect()
        width = max(r.width() + 16, 90)
        self.setGeometry(r.center().x() - width // 2, r.center().y() - 13, width, 26)
        self.setAlignment(Qt.AlignCenter)
        if on_edit is not None:
            self.textEdited.connect(on_edit)
        self.returnPressed.connect(self.commit)
        self.selectAll()
        self.show()
        self.setFocus()

    def commit(self) -> None:
        if self._done:
            return
        if self._on_commit is None or self._on_commit(self.text()):
            self._close()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            if self._on_cancel is not None:
                self._on_cancel()
            self._close()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if not self._done:
            self._close()

    def _close(self) -> None:
        self._done = True
        self.hide()
        self.deleteLater()


def edit_value(scene, node_id: str) -> InlineEditor | None:
    """Edit a variable's or constant's value in place: results follow each keystroke, and the
    whole session is one undo step; text that is not a number changes nothing and says why."""
    view, label = scene.view(), scene.value_label(node_id)
    if view is None:
        return None
    doc = scene.document
    original = doc.graph.node(node_id).value
    merge_id = new_merge_id()

    def parse(text: str) -> float | None:
        try:
            return parse_number(text)
        except ValueError as e:
            _say(scene, f"{doc.graph.node(node_id).label}: {e}")
            return None

    def on_edit(text: str) -> None:
        value = parse(text)
        if value is not None and node_id in doc.graph:
            doc.set_value(node_id, value, merge_id=merge_id)

    def on_commit(text: str) -> bool:
        value = parse(text)
        if value is not None and node_id in doc.graph:
            doc.set_value(node_id, value, merge_id=merge_id)
        return value is not None

    def on_cancel() -> None:
        if original is not None and node_id in doc.graph:
            doc.set_value(node_id, original, merge_id=merge_id)

    rect = label.sceneBoundingRect() if label is not None else scene.node_item(node_id).label_rect()
    text = format_full(original) if original is not None else ""
    editor = InlineEditor(view, rect, text, on_edit, on_commit, on_cancel)
    scene.inline_editor = editor
    return editor


def rename_inline(scene, node_id: str) -> InlineEditor | None:
    view, item = scene.view(), scene.node_item(node_id)
    if view is None:
        return None

    def on_commit(text: str) -> bool:
        if not text.strip():
            _say(scene, "a label cannot be empty")
            return False
        if node_id in scene.graph:
            scene.document.rename(node_id, text)
        return True

    editor = InlineEditor(view, item.label_rect(), item.label, on_commit=on_commit)
    scene.inline_editor = editor
    return editor


# -- context menus ------------------------------------------------------------------------------


def context_menu(scene, item, pos: QPointF, screen_pos) -> None:
    menu = QMenu(scene.view())
    doc = scene.document
    if isinstance(item, PortItem):
        item = item.parentItem()
    if isinstance(item, OverlayLabel) and not isinstance(item.owner, Edge):
        item = scene.node_item(item.owner)
    note = annotation_owner(item)
    if note is not None:
        if not note.isSelected():
            scene.clearSelection()
            note.setSelected(True)
        if isinstance(note, NoteItem):
            menu.addAction("Edit text…", lambda: scene.annotations.edit_note(note.ann_id))
            menu.addSeparator()
        menu.addAction("Delete", scene.delete_selection)
    elif isinstance(item, NodeItem):
        if not item.isSelected():
            scene.clearSelection()
            item.setSelected(True)
        node_id = item.node_id
        menu.addAction("Set as output", lambda: doc.set_output(node_id)).setEnabled(not item.is_output())
        menu.addAction("Rename…", lambda: rename_inline(scene, node_id))
        menu.addSeparator()
        menu.addAction("Delete", scene.delete_selection)
    elif isinstance(item, EdgeItem):
        edge = item.edge
        menu.addAction("Delete", lambda: doc.disconnect([edge]))
    else:
        menu.addAction("Add node…", lambda: open_node_search(scene, pos))
        menu.addAction("Paste", lambda: paste_at(scene, pos))
        menu.addAction("Add note here", lambda: scene.annotations.add_note_at(pos))
        menu.addAction("Add arrow here", lambda: scene.annotations.add_arrow_at(pos))
        view = scene.view()
        if view is not None:
            menu.addAction("Fit graph", view.fit_graph)
    menu.exec(screen_pos)
    menu.deleteLater()


def paste_at(scene, pos: QPointF) -> list[str]:
    try:
        return scene.document.paste_text(QApplication.clipboard().text(), at=(pos.x(), pos.y()))
    except DocumentError as e:
        _say(scene, f"cannot paste: {e}")
        return []

"""Editors laid over the canvas: a leaf's value (results follow each keystroke) and a node's label
(with the inspector's offer to rename a made-up id along)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLineEdit

from cgeditor.model.graph import GraphError, label_problem
from cgeditor.model.numbers import format_full, parse_number
from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.document.id_offer import id_offer


class InlineEditor(QLineEdit):
    """A line edit laid over the canvas; Escape cancels, Enter commits, focus loss commits."""

    closed = Signal()

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
        self.closed.emit()
        self.deleteLater()


class IdOfferBox(QCheckBox):
    """The inspector's offer to rename a made-up id along, under the inline label editor.  It
    never takes the focus, so a click ticks it and typing goes on; Ctrl+Enter commits with it
    ticked."""

    def __init__(self, editor: InlineEditor, document, node_id: str):
        super().__init__(editor.parentWidget())
        self._editor, self._document, self._node_id = editor, document, node_id
        self.setFocusPolicy(Qt.NoFocus)
        self.setFocusProxy(editor)  # a click finds the focus already here and leaves it (not to the view)
        self.setAutoFillBackground(True)  # readable over wires and nodes
        editor.textEdited.connect(self._update)
        editor.installEventFilter(self)
        editor.closed.connect(self._close)
        self._update(editor.text())
        self.show()

    def wanted(self) -> bool:
        return self.isEnabled() and self.isChecked()

    def _update(self, text: str) -> None:
        offer = id_offer(self._document, self._node_id, text)
        self.setEnabled(offer.enabled)
        self.setText(offer.text)
        self.adjustSize()
        area, under = self.parentWidget().rect(), self._editor.geometry()
        x = max(0, min(under.center().x() - self.width() // 2, area.right() - self.width()))
        y = under.bottom() + 3 if under.bottom() + 3 + self.height() <= area.bottom() else under.top() - 3 - self.height()
        self.move(x, y)

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and event.modifiers() & Qt.ControlModifier and self.isEnabled()):
            self.setChecked(True)
        return False

    def _close(self) -> None:
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
            scene.say(f"{doc.graph.node(node_id).label}: {e}")
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
    """Edit a node's label in place; a made-up id is offered the new name as in the inspector,
    and taking it renames the id in the same undo step and keeps the node selected."""
    view, item = scene.view(), scene.node_item(node_id)
    if view is None:
        return None
    offer: IdOfferBox | None = None

    def on_commit(text: str) -> bool:
        if not text.strip():
            scene.say("a label cannot be empty")
            return False
        problem = label_problem(text.strip())
        if problem:
            scene.say(problem)
            return False
        if node_id in scene.graph:
            try:
                renamed = scene.document.rename(node_id, text, offer is not None and offer.wanted())
            except GraphError as e:
                scene.say(str(e))
                return False
            if renamed != node_id:
                scene.clearSelection()
                scene.node_item(renamed).setSelected(True)
        return True

    editor = InlineEditor(view, item.label_rect(), item.label, on_commit=on_commit)
    if id_offer(scene.document, node_id, "").shown:
        offer = IdOfferBox(editor, scene.document, node_id)
    scene.inline_editor = editor
    return editor

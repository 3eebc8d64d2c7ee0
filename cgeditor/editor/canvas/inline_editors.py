"""Editors laid over the canvas: a leaf's value (results follow each keystroke) and a node's label."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLineEdit

from cgeditor.model.graph import label_problem
from cgeditor.model.numbers import format_full, parse_number
from cgeditor.editor.document.commands import new_merge_id


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
    view, item = scene.view(), scene.node_item(node_id)
    if view is None:
        return None

    def on_commit(text: str) -> bool:
        if not text.strip():
            scene.say("a label cannot be empty")
            return False
        problem = label_problem(text.strip())
        if problem:
            scene.say(problem)
            return False
        if node_id in scene.graph:
            scene.document.rename(node_id, text)
        return True

    editor = InlineEditor(view, item.label_rect(), item.label, on_commit=on_commit)
    scene.inline_editor = editor
    return editor

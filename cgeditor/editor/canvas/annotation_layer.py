"""The scene's annotations: notes and arrows mirrored from the graph, where their drags begin,
and the note editor.

The layer subscribes to the graph's annotation changes (as the scene does for nodes), so undo,
redo and opening a file show the same items as editing does.  A press on an item comes back
here and begins an `AnnotationDrag` (one undo step); an edited text is one step, a cancelled
edit none.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QPlainTextEdit

from cgeditor.model.annotations import Arrow
from cgeditor.model.graph import AnnotationAdded, AnnotationChanged, AnnotationRemoved, Change
from cgeditor.editor.canvas.annotation_items import NOTE_PADDING, NOTE_TEXT_PX, ArrowItem, NoteItem, annotation_owner
from cgeditor.editor.canvas.gestures import AnnotationDrag

NEW_NOTE_TEXT = "Note"
NEW_ARROW = (120.0, 60.0)  # a new arrow points this far right and down from where it was asked for


class AnnotationLayer:
    def __init__(self, scene):
        self.scene = scene
        self.document = scene.document
        self.graph = scene.graph
        self.font = scene.painter.theme.font(NOTE_TEXT_PX)
        self.items: dict[str, NoteItem | ArrowItem] = {}
        self.editor: NoteEditor | None = None  # the note editor open now (tests type into it)
        for annotation in self.graph.annotations:
            self._add(annotation)
        self.graph.subscribe(self._on_change)

    def detach(self) -> None:
        self.graph.unsubscribe(self._on_change)

    # -- reading -----------------------------------------------------------------------

    def item(self, ann_id: str) -> NoteItem | ArrowItem | None:
        return self.items.get(ann_id)

    def selected_ids(self) -> list[str]:
        return [i.ann_id for i in self.items.values() if i.isSelected()]

    @staticmethod
    def owns(item) -> bool:
        return annotation_owner(item) is not None

    # -- mirroring the graph -------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if isinstance(change, AnnotationAdded):
            self._add(change.annotation)
        elif isinstance(change, AnnotationRemoved):
            self.scene.removeItem(self.items.pop(change.annotation.id))
        elif isinstance(change, AnnotationChanged):
            item = self.items[change.annotation.id]
            if isinstance(item, NoteItem):
                item.set_note(change.annotation)
            else:
                item.set_arrow(change.annotation)
        else:
            return
        self.scene.forget_label_rects()  # notes and arrows are walked with the labels

    def _add(self, annotation) -> None:
        item = ArrowItem(annotation, self) if isinstance(annotation, Arrow) else NoteItem(annotation, self, self.font)
        self.scene.addItem(item)
        self.items[annotation.id] = item

    # -- creating ------------------------------------------------------------------------

    def add_note_at(self, pos: QPointF) -> str:
        """A new note at `pos`, opened for typing."""
        ann_id = self.document.add_note(NEW_NOTE_TEXT, (pos.x(), pos.y()))
        self.scene.clearSelection()
        self.items[ann_id].setSelected(True)
        self.edit_note(ann_id)
        return ann_id

    def add_arrow_at(self, pos: QPointF) -> str:
        ann_id = self.document.add_arrow((pos.x(), pos.y()), (pos.x() + NEW_ARROW[0], pos.y() + NEW_ARROW[1]))
        self.scene.clearSelection()
        self.items[ann_id].setSelected(True)
        return ann_id

    # -- dragging: the whole annotation, or one end of an arrow ------------------------------

    def press(self, item: NoteItem | ArrowItem, pos: QPointF, end: int | None = None) -> None:
        """Start dragging `item` (with the rest of the selection, when it is part of one) or,
        with `end`, one end of an arrow: a gesture the scene routes the mouse to."""
        self.scene.begin_gesture(AnnotationDrag(self.scene, item, end), pos)

    # -- editing a note's text ---------------------------------------------------------------

    def edit_note(self, ann_id: str) -> "NoteEditor | None":
        """Open an editor over the note: Ctrl+Enter or a click elsewhere keeps the text, Escape
        drops it."""
        view, item = self.scene.view(), self.items.get(ann_id)
        if view is None or not isinstance(item, NoteItem):
            return None

        def commit(text: str) -> None:
            if ann_id in self.items:
                self.document.set_note_text(ann_id, text)

        self.editor = NoteEditor(view, item, self.font, commit)
        return self.editor


class NoteEditor(QPlainTextEdit):
    """A multi-line editor laid over a note at the view's zoom, so typing looks like the note."""

    def __init__(self, view, item: NoteItem, font, on_commit):
        super().__init__(item.note.text, view.viewport())
        self._on_commit = on_commit
        self._done = False
        zoom = view.transform().m11()
        scaled = type(font)(font)
        scaled.setPixelSize(max(8, round(font.pixelSize() * zoom)))
        self.setFont(scaled)
        pad = round(NOTE_PADDING * zoom * 0.5)
        self.setViewportMargins(pad, pad, pad, pad)
        self.setStyleSheet("QPlainTextEdit { background: #fffbe0; border: 2px solid #2f80ed; "
                           "border-radius: 4px; color: #3b3000; }")
        rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        self.setGeometry(rect.adjusted(0, 0, 0, round(2 * scaled.pixelSize() + 2 * pad)))
        self.selectAll()
        self.show()
        self.setFocus()
        view.viewport().installEventFilter(self)  # a click on the canvas keeps the text

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.MouseButtonPress and not self._done:
            self.commit()
        return False

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self._close()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier:
            self.commit()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        # A menu or another window taking over for a moment is not a click elsewhere.
        if event.reason() not in (Qt.PopupFocusReason, Qt.ActiveWindowFocusReason):
            self.commit()

    def commit(self) -> None:
        if self._done:
            return
        self._close()
        self._on_commit(self.toPlainText())

    def _close(self) -> None:
        if self._done:
            return
        self._done = True
        self.parentWidget().removeEventFilter(self)
        self.hide()
        self.deleteLater()
        parent = self.parentWidget()
        if parent is not None:
            parent.parentWidget().setFocus()  # back to the canvas for the next shortcut

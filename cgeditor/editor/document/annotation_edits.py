"""The Document's edits of notes and arrows: annotations sit beside the graph and never touch
a value, so they are kept apart from the node and wire edits."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from cgeditor.model.annotations import Arrow, Note
from cgeditor.model.fileformat import MAX_NOTE_LENGTH
from cgeditor.model.graph import Graph

from cgeditor.editor.document.annotation_commands import AddAnnotationCommand, MoveAnnotationCommand, SetNoteTextCommand
from cgeditor.editor.document.positions import point


class AnnotationEdits:
    """Mixed into `Document`: each method pushes exactly one undo command on its stack."""

    graph: Graph
    undo_stack: QUndoStack

    def add_note(self, text: str, pos) -> str:
        """Add a note with its top-left corner at `pos`; returns its id."""
        note = Note(self.graph.fresh_annotation_id("note"), _note_text(text), point(pos))
        self.undo_stack.push(AddAnnotationCommand(self.graph, note))
        return note.id

    def add_arrow(self, start, end) -> str:
        """Add an arrow from `start` to `end` (its head); returns its id."""
        arrow = Arrow(self.graph.fresh_annotation_id("arrow"), point(start), point(end))
        self.undo_stack.push(AddAnnotationCommand(self.graph, arrow))
        return arrow.id

    def move_annotation(self, ann_id: str, pos, merge_id: int | None = None) -> None:
        """Move a note to `pos` (its top-left), or an arrow to `pos` = (start, end); commands with
        the same merge id merge (one drag, one step)."""
        points = self._annotation_points(ann_id, pos)
        if points != self.graph.annotation(ann_id).points:
            self.undo_stack.push(MoveAnnotationCommand(self.graph, ann_id, points, merge_id))

    def _annotation_points(self, ann_id: str, pos) -> tuple[tuple[float, float], ...]:
        """A note's pos, or an arrow's (start, end), as the points the graph keeps."""
        if self.graph.annotation(ann_id).kind == "note":
            return (point(pos),)
        return point(pos[0]), point(pos[1])

    def set_note_text(self, ann_id: str, text: str) -> None:
        text = _note_text(text)
        if self.graph.annotation(ann_id).text != text:
            self.undo_stack.push(SetNoteTextCommand(self.graph, ann_id, text))


def _note_text(text: str) -> str:
    """What a note keeps: as typed, cut to the length a file may hold."""
    return str(text)[:MAX_NOTE_LENGTH]

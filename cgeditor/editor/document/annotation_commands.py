"""Undo commands for notes and arrows, which sit beside the graph and never touch a value."""

from __future__ import annotations

from cgeditor.model.annotations import Annotation, Point
from cgeditor.model.graph import Graph

from cgeditor.editor.document.commands import Command, MergingCommand


class AddAnnotationCommand(Command):
    def __init__(self, graph: Graph, annotation: Annotation, parent: Command | None = None):
        super().__init__(f"Add {annotation.kind}", parent)
        self.graph = graph
        self.annotation = annotation

    def redo(self) -> None:
        self.graph.add_annotation(self.annotation)

    def undo(self) -> None:
        self.graph.remove_annotation(self.annotation.id)


class RemoveAnnotationCommand(Command):
    def __init__(self, graph: Graph, ann_id: str, parent: Command | None = None):
        super().__init__(f"Delete {graph.annotation(ann_id).kind}", parent)
        self.graph = graph
        self.ann_id = ann_id
        self.removed: tuple[Annotation, int] | None = None

    def redo(self) -> None:
        self.removed = self.graph.remove_annotation(self.ann_id)  # with its place in the drawing order

    def undo(self) -> None:
        annotation, index = self.removed
        self.graph.add_annotation(annotation, index)


class MoveAnnotationCommand(MergingCommand):
    """Move a note, an arrow or one end of an arrow; one drag (one merge id) is one undo step."""

    def __init__(self, graph: Graph, ann_id: str, points: tuple[Point, ...], merge_id: int | None = None,
                 parent: Command | None = None):
        annotation = graph.annotation(ann_id)
        super().__init__(f"Move {annotation.kind}", merge_id, parent)
        self.graph = graph
        self.ann_id = ann_id
        self.old = annotation.points
        self.new = tuple(points)

    def absorb(self, other: "MoveAnnotationCommand") -> bool:
        if other.ann_id != self.ann_id:
            return False
        self.new = other.new
        return True

    def unchanged(self) -> bool:
        return self.old == self.new

    def redo(self) -> None:
        self.graph.move_annotation(self.ann_id, self.new)

    def undo(self) -> None:
        self.graph.move_annotation(self.ann_id, self.old)


class SetNoteTextCommand(Command):
    def __init__(self, graph: Graph, ann_id: str, text: str, parent: Command | None = None):
        super().__init__("Edit note", parent)
        self.graph = graph
        self.ann_id = ann_id
        self.old = graph.annotation(ann_id).text
        self.new = text

    def redo(self) -> None:
        self.graph.set_annotation_text(self.ann_id, self.new)

    def undo(self) -> None:
        self.graph.set_annotation_text(self.ann_id, self.old)

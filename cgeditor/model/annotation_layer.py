"""Notes and arrows on a graph: a layer of their own, drawn on top, kept in drawing order and
announced like every other change, but never part of what is computed."""

from __future__ import annotations

from cgeditor.model.annotations import Annotation, Note, Point
from cgeditor.model.changes import AnnotationAdded, AnnotationChanged, AnnotationRemoved
from cgeditor.model.inserted import inserted
from cgeditor.model.node import GraphError


class AnnotationLayer:
    """The annotation half of `Graph`, which announces each change through its `_emit`."""

    def __init__(self) -> None:
        self._annotations: dict[str, Annotation] = {}  # notes and arrows, in drawing order

    @property
    def annotations(self) -> list[Annotation]:
        return list(self._annotations.values())

    def annotation(self, ann_id: str) -> Annotation:
        try:
            return self._annotations[ann_id]
        except KeyError:
            raise GraphError(f"no annotation with id {ann_id!r}") from None

    def fresh_annotation_id(self, stem: str) -> str:
        """An annotation id not yet used: stem1, stem2, ..."""
        i = 1
        while f"{stem}{i}" in self._annotations:
            i += 1
        return f"{stem}{i}"

    def add_annotation(self, annotation: Annotation, index: int | None = None) -> Annotation:
        """Add a note or arrow on top; with `index`, at that place (to undo a removal exactly)."""
        if annotation.id in self._annotations:
            raise GraphError(f"duplicate annotation id {annotation.id!r}")
        self._annotations = inserted(self._annotations, annotation.id, annotation, index)
        self._emit(AnnotationAdded(annotation))
        return annotation

    def remove_annotation(self, ann_id: str) -> tuple[Annotation, int]:
        """Remove an annotation; returns it with the place it had (for undo)."""
        annotation = self.annotation(ann_id)
        index = list(self._annotations).index(ann_id)
        del self._annotations[ann_id]
        self._emit(AnnotationRemoved(annotation))
        return annotation, index

    def move_annotation(self, ann_id: str, points: tuple[Point, ...]) -> None:
        """Put a note at (pos,) or an arrow at (start, end)."""
        old = self.annotation(ann_id)
        new = old.with_points(tuple((float(x), float(y)) for x, y in points))
        if new != old:
            self._replace_annotation(new)

    def set_annotation_text(self, ann_id: str, text: str) -> None:
        old = self.annotation(ann_id)
        if old.kind != "note":
            raise GraphError(f"annotation {ann_id!r} is an arrow and has no text")
        if old.text != text:
            self._replace_annotation(Note(old.id, text, old.pos))

    def _replace_annotation(self, annotation: Annotation) -> None:
        self._annotations[annotation.id] = annotation  # same key: the drawing order is kept
        self._emit(AnnotationChanged(annotation))

"""Annotations: text notes and arrows an instructor puts beside a graph to explain it.

They are part of the document (saved, undone, copied with the graph) but not of the computation:
no value or gradient depends on them, so changing one never re-plans or re-evaluates anything.
Both kinds are immutable; an edit replaces the annotation, which keeps undo records trivially safe.
"""

from __future__ import annotations

from cgeditor.model.records import Frozen

Point = tuple[float, float]


class Note(Frozen):
    """A block of text whose top-left corner sits at `pos`."""

    __slots__ = ("id", "text", "pos")

    id: str
    text: str
    pos: Point

    def __init__(self, id: str, text: str, pos: Point) -> None:  # noqa: A002
        self._set(id, text, pos)

    kind = "note"

    @property
    def points(self) -> tuple[Point, ...]:
        return (self.pos,)

    def with_points(self, points: tuple[Point, ...]) -> "Note":
        (pos,) = points
        return Note(self.id, self.text, pos)


class Arrow(Frozen):
    """A straight arrow from `start` to `end` (the head is at `end`)."""

    __slots__ = ("id", "start", "end")

    id: str
    start: Point
    end: Point

    def __init__(self, id: str, start: Point, end: Point) -> None:  # noqa: A002
        self._set(id, start, end)

    kind = "arrow"

    @property
    def points(self) -> tuple[Point, ...]:
        return (self.start, self.end)

    def with_points(self, points: tuple[Point, ...]) -> "Arrow":
        start, end = points
        return Arrow(self.id, start, end)


Annotation = Note | Arrow


def shifted(points: tuple[Point, ...], dx: float, dy: float) -> tuple[Point, ...]:
    """Every point moved by (dx, dy): how a whole annotation is dragged."""
    return tuple((x + dx, y + dy) for x, y in points)

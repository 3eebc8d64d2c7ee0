"""What a graph announces: one `Change` per mutation, which the editor mirrors and the
evaluator's caches key on.  `cgeditor.model.graph` re-exports them with the graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cgeditor.model.annotations import Annotation

if TYPE_CHECKING:
    from cgeditor.model.graph import Edge, Node


@dataclass(frozen=True)
class NodeAdded:
    node: Node


@dataclass(frozen=True)
class NodeRemoved:
    node: Node


@dataclass(frozen=True)
class NodeMoved:
    node_id: str
    pos: tuple[float, float] | None


@dataclass(frozen=True)
class EdgeAdded:
    edge: Edge


@dataclass(frozen=True)
class EdgeRemoved:
    edge: Edge


@dataclass(frozen=True)
class ValueChanged:
    node_id: str
    value: float | None


@dataclass(frozen=True)
class LabelChanged:
    node_id: str
    label: str


@dataclass(frozen=True)
class TrainableChanged:
    node_id: str
    trainable: bool | None


@dataclass(frozen=True)
class OutputChanged:
    old: str | None
    new: str | None


@dataclass(frozen=True)
class AnnotationAdded:
    annotation: Annotation


@dataclass(frozen=True)
class AnnotationRemoved:
    annotation: Annotation


@dataclass(frozen=True)
class AnnotationChanged:
    """An annotation moved or its text changed; `annotation` is the new one (same id)."""

    annotation: Annotation


Change = (NodeAdded | NodeRemoved | NodeMoved | EdgeAdded | EdgeRemoved | ValueChanged | LabelChanged
          | TrainableChanged | OutputChanged | AnnotationAdded | AnnotationRemoved | AnnotationChanged)
ANNOTATION_CHANGES = (AnnotationAdded, AnnotationRemoved, AnnotationChanged)
STRUCTURAL = (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved)


class Journal:
    """Which node each structural change touched (a node added or removed, an edge's target), so
    the evaluator can re-plan just those.  Bounded: past `LIMIT` changes the older ones are
    forgotten and `since` answers None (re-plan everything)."""

    LIMIT = 1 << 16

    def __init__(self) -> None:
        self._base = 0  # the structure version the first entry moved away from
        self._touched: list[str] = []

    def record(self, change: Change, version: int) -> None:
        """`change` made the graph's structure `version` (called for structural changes only)."""
        if len(self._touched) >= self.LIMIT:
            self._touched.clear()
            self._base = version - 1
        self._touched.append(change.edge.target if isinstance(change, (EdgeAdded, EdgeRemoved))
                             else change.node.id)

    def since(self, version: int) -> list[str] | None:
        """The nodes touched after `version`, or None if that is no longer known."""
        if version < self._base:
            return None
        return self._touched[version - self._base:]

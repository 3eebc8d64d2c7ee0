"""What a graph announces: one `Change` per mutation, which the editor mirrors and the
evaluator's caches key on.  `cgeditor.model.graph` re-exports them with the graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cgeditor.model.annotations import Annotation

if TYPE_CHECKING:
    from cgeditor.model.blocks import Block
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


@dataclass(frozen=True)
class BlockDefined:
    block: Block


@dataclass(frozen=True)
class BlockRemoved:
    block: Block
    index: int  # its place in the library, to undo the removal exactly


@dataclass(frozen=True)
class BlockChanged:
    """Block `name` was replaced, or its inside edited: every instance may compute anew."""

    name: str


Change = (NodeAdded | NodeRemoved | NodeMoved | EdgeAdded | EdgeRemoved | ValueChanged | LabelChanged
          | TrainableChanged | OutputChanged | AnnotationAdded | AnnotationRemoved | AnnotationChanged
          | BlockDefined | BlockRemoved | BlockChanged)
ANNOTATION_CHANGES = (AnnotationAdded, AnnotationRemoved, AnnotationChanged)
BLOCK_CHANGES = (BlockDefined, BlockRemoved, BlockChanged)
STRUCTURAL = (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved, *BLOCK_CHANGES)


class Journal:
    """Which node each structural change touched (a node added or removed, an edge's target), so
    the evaluator can re-plan just those.  Bounded: past `LIMIT` changes the older ones are
    forgotten and `since` answers None (re-plan everything), as after a block change, which
    may touch every instance."""

    LIMIT = 1 << 16

    def __init__(self) -> None:
        self._base = 0  # the structure version the first entry moved away from
        self._touched: list[str] = []

    def record(self, change: Change, version: int) -> None:
        """`change` made the graph's structure `version` (called for structural changes only)."""
        if len(self._touched) >= self.LIMIT:
            self._touched.clear()
            self._base = version - 1
        if isinstance(change, (EdgeAdded, EdgeRemoved)):
            self._touched.append(change.edge.target)
        elif isinstance(change, (NodeAdded, NodeRemoved)):
            self._touched.append(change.node.id)
        else:
            self._touched.clear()
            self._base = version

    def restart(self, version: int) -> None:
        """The structure became `version` all at once: asked about any earlier version, `since`
        answers None (re-plan everything)."""
        self._touched.clear()
        self._base = version

    def since(self, version: int) -> list[str] | None:
        """The nodes touched after `version`, or None if that is no longer known."""
        if version < self._base:
            return None
        return self._touched[version - self._base:]

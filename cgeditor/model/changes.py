"""What a graph announces: one `Change` per mutation, which the editor mirrors and the
evaluator's caches key on.  `cgeditor.model.graph` re-exports them with the graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cgeditor.model.annotations import Annotation

if TYPE_CHECKING:
    from cgeditor.model.blocks import Block
    from cgeditor.model.graph import Edge, Node


class _Change:
    """One mutation, as a read-only record: made from its fields (by position or name), equal
    to another of its own class with equal fields, hashable if they are.  What
    `@dataclass(frozen=True)` gave, without generating and compiling six methods for each of
    fifteen classes at import, which was a tenth of what `cgeditor eval` did on a small file."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if kwargs or len(args) != len(names):
            values = dict(zip(names, args))
            if len(args) > len(names) or values.keys() & kwargs.keys() or set(names) != values.keys() | kwargs.keys():
                raise TypeError(f"{type(self).__name__} takes the fields {', '.join(names)}, each once")
            values.update(kwargs)
            args = tuple(values[n] for n in names)
        for name, value in zip(names, args):
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class NodeAdded(_Change):
    __slots__ = ("node",)
    node: Node


class NodeRemoved(_Change):
    __slots__ = ("node",)
    node: Node


class NodeMoved(_Change):
    __slots__ = ("node_id", "pos")
    node_id: str
    pos: tuple[float, float] | None


class EdgeAdded(_Change):
    __slots__ = ("edge",)
    edge: Edge


class EdgeRemoved(_Change):
    __slots__ = ("edge",)
    edge: Edge


class ValueChanged(_Change):
    __slots__ = ("node_id", "value")
    node_id: str
    value: float | None


class LabelChanged(_Change):
    __slots__ = ("node_id", "label")
    node_id: str
    label: str


class TrainableChanged(_Change):
    __slots__ = ("node_id", "trainable")
    node_id: str
    trainable: bool | None


class OutputChanged(_Change):
    __slots__ = ("old", "new")
    old: str | None
    new: str | None


class AnnotationAdded(_Change):
    __slots__ = ("annotation",)
    annotation: Annotation


class AnnotationRemoved(_Change):
    __slots__ = ("annotation",)
    annotation: Annotation


class AnnotationChanged(_Change):
    """An annotation moved or its text changed; `annotation` is the new one (same id)."""

    __slots__ = ("annotation",)
    annotation: Annotation


class BlockDefined(_Change):
    __slots__ = ("block",)
    block: Block


class BlockRemoved(_Change):
    __slots__ = ("block", "index")
    block: Block
    index: int  # its place in the library, to undo the removal exactly


class BlockChanged(_Change):
    """Block `name` was replaced, or its inside edited: every instance may compute anew."""

    __slots__ = ("name",)
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


class ValueLog:
    """Which leaves' values were set, by value version, so the evaluator compares only those
    with the values it computed from rather than every leaf of a 100k-node graph after each
    edit.  Bounded as `Journal` is: past `LIMIT` entries `since` answers None (compare all)."""

    LIMIT = 1 << 16

    def __init__(self) -> None:
        self.version = 0  # bumped on every value set
        self._base = 0  # the version the first entry moved away from
        self._ids: list[str] = []

    def record(self, node_id: str) -> None:
        if len(self._ids) >= self.LIMIT:
            self._ids.clear()
            self._base = self.version
        self._ids.append(node_id)
        self.version += 1

    def restart(self) -> None:
        """Every value may be new: asked about any earlier version, `since` answers None."""
        self._ids.clear()
        self.version += 1
        self._base = self.version

    def since(self, version: int) -> list[str] | None:
        """The nodes whose values were set after `version` (repeats possible), or None if that
        is no longer known."""
        if version < self._base:
            return None
        return self._ids[version - self._base:]

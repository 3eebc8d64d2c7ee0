"""Undo commands: each edit is a small QUndoCommand whose redo/undo call the model.

Commands never touch items: the scene mirrors the graph through its change notifications, so
undoing an edit repaints exactly as making it did.  Compound edits (connect onto an occupied
port, paste, insert into an edge) are a parent command with one child per model call, run in order
on redo and in reverse on undo.
"""

from __future__ import annotations

import itertools
from typing import Iterable

from PySide6.QtGui import QUndoCommand

from cgeditor.model.annotations import Point
from cgeditor.model.graph import Edge, Graph, Node

from cgeditor.editor.document.gc_pause import bulk_edit

Pos = tuple[float, float] | None
_merge_ids = itertools.count(1)


def new_merge_id() -> int:
    """A fresh merge id: one per drag or per typing session, so that session is one undo step."""
    return next(_merge_ids)


class Command(QUndoCommand):
    """An undo command; a bare `Command(text)` is the parent of a compound edit.

    Children are run here in Python (in order on redo, in reverse on undo) rather than through
    Qt's child commands: PySide frees a Qt child's Python object while Qt still owns it, which
    crashes on the next redo or on deletion.
    """

    def __init__(self, text: str = "", parent: "Command | None" = None):
        super().__init__(text)
        self.children: list[Command] = []
        if parent is not None:
            parent.children.append(self)

    def redo(self) -> None:
        for child in self.children:
            child.redo()

    def undo(self) -> None:
        for child in reversed(self.children):
            child.undo()


class MergingCommand(Command):
    """A command that the next one of its kind with the same merge id (one drag, one typing
    session, one training run) folds into, so the session is one undo step; folded back to
    where it began, it is obsolete and the stack drops it."""

    def __init__(self, text: str, merge_id: int | None = None, parent: Command | None = None):
        super().__init__(text, parent)
        self.merge_id = -1 if merge_id is None else merge_id  # -1: Qt never merges

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or not self.absorb(other):
            return False
        self.setObsolete(self.unchanged())
        return True

    def absorb(self, other: "MergingCommand") -> bool:
        """Take `other`'s change into this one; False if it is not part of the same session."""
        raise NotImplementedError

    def unchanged(self) -> bool:
        """Whether the merged change leaves everything as it was before the session."""
        raise NotImplementedError


class AddNodeCommand(Command):
    def __init__(self, graph: Graph, node: Node, parent: Command | None = None):
        super().__init__(f"Add {node.label}", parent)
        self.graph = graph
        self.node = node.copy()

    def redo(self) -> None:
        self.graph.add_node(self.node.copy())

    def undo(self) -> None:
        self.graph.remove_node(self.node.id)


class AddNodesCommand(Command):
    """Add nodes, then edges (among them or onto nodes already there), as one command: a
    paste of n nodes was 2n child commands, each a Qt object made, run and kept."""

    def __init__(self, graph: Graph, nodes: Iterable[Node], edges: Iterable[Edge], text: str,
                 parent: Command | None = None):
        super().__init__(text, parent)
        self.graph = graph
        self.nodes = [node.copy() for node in nodes]
        self.edges = list(edges)

    def redo(self) -> None:
        graph = self.graph
        with bulk_edit(graph):
            for node in self.nodes:
                graph.add_node(node.copy())
            for edge in self.edges:
                graph.add_edge(edge)

    def undo(self) -> None:
        graph = self.graph
        with bulk_edit(graph):
            for edge in reversed(self.edges):
                graph.remove_edge(edge)
            for node in reversed(self.nodes):
                graph.remove_node(node.id)


class RemoveNodesCommand(Command):
    """Remove nodes with every edge touching them.

    Copies of the removed nodes are kept with the edges touching them, each node's place in the
    node order and the output mark, so undo restores the graph exactly.  (Copies, not the file
    format: an instance of a block is a node the file format alone cannot read back.)
    """

    def __init__(self, graph: Graph, node_ids: Iterable[str], parent: Command | None = None):
        wanted = set(node_ids)
        ids = [n for n in graph.nodes if n in wanted]
        label = graph.node(ids[0]).label if len(ids) == 1 else f"{len(ids)} nodes"
        super().__init__(f"Delete {label}", parent)
        self.graph = graph
        self.ids = ids
        self.saved = {n: graph.node(n).copy() for n in ids}
        self.indices: dict[str, int] = {}
        self.edges: list[tuple[int, Edge]] = []
        self.output: str | None = None

    def redo(self) -> None:
        # Places are read now, not at construction: sibling commands may have run in between.
        graph, removed = self.graph, set(self.ids)
        self.indices = {n: i for i, n in enumerate(graph.nodes) if n in removed}
        self.edges = [(i, e) for i, e in enumerate(graph.edges) if e.source in removed or e.target in removed]
        self.output = graph.output if graph.output in removed else None
        with bulk_edit(graph):
            for node_id in self.ids:
                graph.remove_node(node_id)

    def undo(self) -> None:
        graph = self.graph
        with bulk_edit(graph):
            for node_id in sorted(self.ids, key=self.indices.__getitem__):
                graph.add_node(self.saved[node_id].copy(), self.indices[node_id])
            for index, edge in self.edges:  # ascending, so each lands at its old place
                graph.add_edge(edge, index)
        if self.output is not None:
            graph.set_output(self.output)


class AddEdgeCommand(Command):
    def __init__(self, graph: Graph, edge: Edge, parent: Command | None = None):
        super().__init__(f"Connect {edge.source} → {edge.target}", parent)
        self.graph = graph
        self.edge = edge

    def redo(self) -> None:
        self.graph.add_edge(self.edge)

    def undo(self) -> None:
        self.graph.remove_edge(self.edge)


class RemoveEdgeCommand(Command):
    def __init__(self, graph: Graph, edge: Edge, parent: Command | None = None):
        super().__init__(f"Disconnect {edge.source} → {edge.target}", parent)
        self.graph = graph
        self.edge = edge
        self.index = 0

    def redo(self) -> None:
        self.index = self.graph.edges.index(self.edge)  # now: earlier siblings may have moved it
        self.graph.remove_edge(self.edge)

    def undo(self) -> None:
        self.graph.add_edge(self.edge, self.index)


class MoveNodesCommand(MergingCommand):
    """Move nodes, and the annotations selected with them (id -> their points); successive moves
    with the same merge id (one drag) become one undo step."""

    def __init__(self, graph: Graph, moves: dict[str, Pos], merge_id: int | None = None,
                 text: str = "Move", parent: Command | None = None,
                 annotations: dict[str, tuple[Point, ...]] | None = None):
        super().__init__(text, merge_id, parent)
        self.graph = graph
        self.old = {n: graph.node(n).pos for n in moves}
        self.new = dict(moves)
        self.old_notes = {a: graph.annotation(a).points for a in annotations or {}}
        self.new_notes = dict(annotations or {})

    def absorb(self, other: "MoveNodesCommand") -> bool:
        for node_id, pos in other.new.items():
            self.old.setdefault(node_id, other.old[node_id])
            self.new[node_id] = pos
        for ann_id, points in other.new_notes.items():
            self.old_notes.setdefault(ann_id, other.old_notes[ann_id])
            self.new_notes[ann_id] = points
        return True

    def unchanged(self) -> bool:
        return self.old == self.new and self.old_notes == self.new_notes

    def redo(self) -> None:
        for node_id, pos in self.new.items():
            self.graph.move_node(node_id, pos)
        for ann_id, points in self.new_notes.items():
            self.graph.move_annotation(ann_id, points)

    def undo(self) -> None:
        for node_id, pos in self.old.items():
            self.graph.move_node(node_id, pos)
        for ann_id, points in self.old_notes.items():
            self.graph.move_annotation(ann_id, points)


class SetValueCommand(MergingCommand):
    """Set a leaf's value; typing a number (one merge id) is one undo step."""

    def __init__(self, graph: Graph, node_id: str, value: float, merge_id: int | None = None,
                 parent: Command | None = None):
        node = graph.node(node_id)
        super().__init__(f"Set {node.label} = {value:g}", merge_id, parent)
        self.graph = graph
        self.node_id = node_id
        self.old = node.value
        self.new = value

    def absorb(self, other: "SetValueCommand") -> bool:
        if other.node_id != self.node_id:
            return False
        self.new = other.new
        self.setText(other.text())
        return True

    def unchanged(self) -> bool:
        return self.new == self.old

    def redo(self) -> None:
        self.graph.set_value(self.node_id, self.new)

    def undo(self) -> None:
        self.graph.set_value(self.node_id, self.old)


class SetValuesCommand(MergingCommand):
    """Set several leaves at once (a descent step, a reset); a training run shares one merge id,
    so the whole run is one undo step."""

    def __init__(self, graph: Graph, values: dict[str, float], text: str, merge_id: int | None = None,
                 parent: Command | None = None):
        super().__init__(text, merge_id, parent)
        self.graph = graph
        self.old = {n: graph.node(n).value for n in values}
        self.new = dict(values)

    def absorb(self, other: "SetValuesCommand") -> bool:
        for node_id, value in other.new.items():
            self.old.setdefault(node_id, other.old[node_id])
            self.new[node_id] = value
        return True

    def unchanged(self) -> bool:
        return self.old == self.new

    def redo(self) -> None:
        for node_id, value in self.new.items():
            self.graph.set_value(node_id, value)

    def undo(self) -> None:
        for node_id, value in self.old.items():
            self.graph.set_value(node_id, value)


class RenameCommand(Command):
    """A new label, and with `new_id` a new id too (edges and output follow): one undo step."""

    def __init__(self, graph: Graph, node_id: str, label: str, new_id: str | None = None,
                 parent: Command | None = None):
        super().__init__(f"Rename {graph.node(node_id).label} to {label}", parent)
        self.graph = graph
        self.node_id = node_id
        self.new_id = new_id or node_id
        self.old = graph.node(node_id).label
        self.new = label

    def redo(self) -> None:
        if self.new_id != self.node_id:
            self.graph.rename_id(self.node_id, self.new_id)
        self.graph.set_label(self.new_id, self.new)

    def undo(self) -> None:
        if self.new_id != self.node_id:
            self.graph.rename_id(self.new_id, self.node_id)
        self.graph.set_label(self.node_id, self.old)


class SetTrainableCommand(Command):
    def __init__(self, graph: Graph, node_id: str, trainable: bool, parent: Command | None = None):
        label = graph.node(node_id).label
        super().__init__(f"Train {label}" if trainable else f"Keep {label} fixed", parent)
        self.graph = graph
        self.node_id = node_id
        self.old = graph.node(node_id).trainable
        self.new = trainable

    def redo(self) -> None:
        self.graph.set_trainable(self.node_id, self.new)

    def undo(self) -> None:
        self.graph.set_trainable(self.node_id, self.old)


class SetOutputCommand(Command):
    def __init__(self, graph: Graph, node_id: str | None, parent: Command | None = None):
        what = graph.node(node_id).label if node_id is not None else "none"
        super().__init__(f"Set output to {what}", parent)
        self.graph = graph
        self.old = graph.output
        self.new = node_id

    def redo(self) -> None:
        self.graph.set_output(self.new)

    def undo(self) -> None:
        self.graph.set_output(self.old)

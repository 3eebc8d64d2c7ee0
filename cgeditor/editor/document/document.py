"""The editing layer between the model and the widgets: one Document per open graph.

Every edit goes through a `Document` method, which pushes exactly one undo command; the
scene and panels learn about the result from the graph's change notifications, never from
here.  Values and gradients are derived, not edited: any change that can affect them schedules
one evaluation (a 0-ms single-shot timer, so a compound edit or a burst of keystrokes evaluates
once), done by an `Evaluator` kept across edits so a value change recomputes only what lies
downstream of it.  The edits that splice an op node into the wiring (`insertion_edits`), those
of notes and arrows (`annotation_edits`) and those of blocks (`grouping_edits`) are mixed in
from modules of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from cgeditor.model import fileformat
from cgeditor.model.evaluate import Evaluation, Evaluator
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import (ANNOTATION_CHANGES, Change, Edge, Graph, GraphError, LabelChanged,
                                  Node, NodeKind, NodeMoved, TrainableChanged, is_generated_id,
                                  is_trainable, label_problem, usable_id)
from cgeditor.model.layout import layered_layout
from cgeditor.model.numbers import same_number
from cgeditor.model.validate import Problem, connection_problem

from cgeditor.editor.document.annotation_commands import RemoveAnnotationCommand
from cgeditor.editor.document.annotation_edits import AnnotationEdits
from cgeditor.editor.document.commands import (AddEdgeCommand, AddNodeCommand, Command, MoveNodesCommand,
                                               RemoveEdgeCommand, RemoveNodesCommand,
                                               RenameCommand, SetOutputCommand, SetTrainableCommand,
                                               SetValueCommand, SetValuesCommand)
from cgeditor.editor.document import clipboard
from cgeditor.editor.document.gc_pause import collector_paused, freeze_if_large
from cgeditor.editor.document.grouping_edits import GroupingEdits
from cgeditor.editor.document.insertion_edits import InsertionEdits
from cgeditor.editor.document.positions import point

_NOT_EVALUATED = (NodeMoved, LabelChanged, TrainableChanged, *ANNOTATION_CHANGES)  # cannot alter a value or a gradient


class Document(InsertionEdits, AnnotationEdits, GroupingEdits, QObject):
    evaluated = Signal()  # after each (coalesced) re-evaluation; read .evaluation
    modified_changed = Signal(bool)  # clean/dirty, following the undo stack's clean state
    path_changed = Signal()

    def __init__(self, graph: Graph | None = None, path: Path | str | None = None,
                 parent: QObject | None = None, *, undo_stack: QUndoStack | None = None,
                 inside_of: str | None = None):
        """`inside_of` names the block whose body `graph` is, opened for editing from its
        document, whose `undo_stack` it shares (its edits are that document's)."""
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph()
        self.inside_of = inside_of
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._path = Path(path) if path is not None else None
        self._disk_stamp = _stamp(self._path)
        self._evaluator = Evaluator(self.graph)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.evaluate_now)
        self.graph.subscribe(self._on_graph_change)
        # The leaves' values as opened or created: "Reset values" returns to them after a lesson.
        self.initial_values = {n.id: n.value for n in self.graph if n.kind is not NodeKind.OP}
        self.evaluation: Evaluation
        self.evaluate_now()

    # -- documents ---------------------------------------------------------------------

    def detach(self) -> None:
        """Stop following the graph (a block's inside closed: its graph lives on in the block)."""
        self._timer.stop()
        self.graph.unsubscribe(self._on_graph_change)

    @classmethod
    def open(cls, path: Path | str, parent: QObject | None = None) -> "Document":
        """Read a file into a new document; raises DocumentError with a one-line reason."""
        with collector_paused():
            document = cls(fileformat.load(path), Path(path), parent)
            freeze_if_large(document.graph)
        return document

    def save(self, path: Path | str | None = None, replace_read_only: bool = False) -> None:
        """Write to `path` (or the current one) and mark the document clean; raises DocumentError
        (ReadOnlyDocumentError for a read-only file, unless `replace_read_only`)."""
        target = Path(path) if path is not None else self._path
        if target is None:
            raise DocumentError("the document has no file name yet")
        fileformat.save(self.graph, target, replace_read_only=replace_read_only)
        self._disk_stamp = _stamp(target)
        self.undo_stack.setClean()
        if target != self._path:
            self._path = target
            self.path_changed.emit()

    def changed_on_disk(self) -> bool:
        """Whether another program wrote the file since this document read or saved it."""
        now = _stamp(self._path)
        return now is not None and now != self._disk_stamp

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def name(self) -> str:
        """What the window title calls the document."""
        return self._path.name if self._path is not None else "Untitled"

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    # -- evaluation --------------------------------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        return self.evaluation.problems

    def evaluate_now(self) -> None:
        self._timer.stop()
        self.evaluation = self._evaluator.evaluate(strict=False)
        self.evaluated.emit()

    def _on_graph_change(self, change: Change) -> None:
        if not isinstance(change, _NOT_EVALUATED):
            self._timer.start()

    # -- edits: each pushes exactly one undo command -------------------------------------

    def add_node(self, kind: NodeKind, op: str | None = None, pos=(0.0, 0.0),
                 value: float | None = None, label: str | None = None) -> str:
        kind = NodeKind(kind)
        if kind is NodeKind.OP:
            self.check_op(op)
            stem, value = op, None
        else:
            stem, op = ("x" if kind is NodeKind.VARIABLE else "c"), None
            value = 1.0 if value is None else float(value)
        node_id = self.graph.fresh_id(stem)
        node = Node(node_id, kind, label or "", value, op, point(pos))
        self.undo_stack.push(AddNodeCommand(self.graph, node))
        return node_id

    def remove_nodes(self, node_ids: Iterable[str], edges: Iterable[Edge] = (),
                     annotations: Iterable[str] = ()) -> None:
        """Delete nodes (with every edge touching them), further edges and annotations, as one step."""
        ids = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        self.check_removal(ids)
        removed = set(ids)
        loose = [e for e in dict.fromkeys(edges) if self.graph.has_edge(e)
                 and e.source not in removed and e.target not in removed]
        wanted = set(annotations)
        notes = [a.id for a in self.graph.annotations if a.id in wanted]
        if not ids and not notes:
            if loose:
                self.disconnect(loose)
            return
        parent = Command()
        for edge in loose:
            RemoveEdgeCommand(self.graph, edge, parent)
        text = ""
        if ids:
            text = RemoveNodesCommand(self.graph, ids, parent).text()
        for ann_id in notes:
            text = RemoveAnnotationCommand(self.graph, ann_id, parent).text()
        if ids and loose:
            text = f"Delete {len(ids)} nodes and {len(loose)} edges"
        if notes and len(ids) + len(loose) + len(notes) > 1:
            text = f"Delete {len(ids) + len(loose) + len(notes)} items"
        parent.setText(text)
        self.undo_stack.push(parent)

    def remove_annotations(self, ann_ids: Iterable[str]) -> None:
        """Delete notes and arrows, as one step."""
        self.remove_nodes((), (), ann_ids)

    def connect(self, source: str, target: str, port: int) -> str | None:
        """Wire `source` into `target`'s input `port`; an edge already there is replaced in the
        same step.  Returns why the wire is refused (changing nothing), or None."""
        reason = connection_problem(self.graph, source, target, port)
        if reason is not None:
            return reason
        parent = Command(f"Connect {self._label(source)} → {self._label(target)}")
        for old in self.graph.edges_into_port(target, port):
            RemoveEdgeCommand(self.graph, old, parent)
        AddEdgeCommand(self.graph, Edge(source, target, port), parent)
        self.undo_stack.push(parent)
        return None

    def disconnect(self, edges: Iterable[Edge]) -> None:
        edges = [e for e in dict.fromkeys(edges) if self.graph.has_edge(e)]
        if not edges:
            return
        if len(edges) == 1:
            self.undo_stack.push(RemoveEdgeCommand(self.graph, edges[0]))
            return
        parent = Command(f"Disconnect {len(edges)} edges")
        for edge in edges:
            RemoveEdgeCommand(self.graph, edge, parent)
        self.undo_stack.push(parent)

    def move_nodes(self, moves: dict[str, tuple[float, float]], merge_id: int | None = None,
                   annotations: dict | None = None) -> None:
        """Move nodes to new positions, and `annotations` (id -> a note's pos or an arrow's
        (start, end)) with them; commands with the same merge id merge (one drag, one step)."""
        moves = {n: point(p) for n, p in moves.items() if n in self.graph}
        moves = {n: p for n, p in moves.items() if self.graph.node(n).pos != p}
        notes = {a: self._annotation_points(a, p) for a, p in (annotations or {}).items()}
        notes = {a: p for a, p in notes.items() if self.graph.annotation(a).points != p}
        if moves or notes:
            self.undo_stack.push(MoveNodesCommand(self.graph, moves, merge_id, annotations=notes))

    def set_value(self, node_id: str, value: float, merge_id: int | None = None) -> None:
        """Set a variable's or constant's value; one typing session (same merge id) is one step."""
        node = self.graph.node(node_id)
        if node.kind is NodeKind.OP:
            raise GraphError(f"{node.label} is an op: its value is computed, not set")
        self.check_param_value(node_id)
        value = float(value)
        if same_number(node.value, value):
            return
        self.undo_stack.push(SetValueCommand(self.graph, node_id, value, merge_id))

    def set_values(self, values: dict[str, float], text: str, merge_id: int | None = None) -> None:
        """Set several leaves' values as one undo step (commands with the same merge id merge, so
        an animated training run is one step too)."""
        for node_id in values:
            if self.graph.node(node_id).kind is NodeKind.OP:
                raise GraphError(f"{self._label(node_id)} is an op: its value is computed, not set")
        changed = {n: float(v) for n, v in values.items() if not same_number(self.graph.node(n).value, float(v))}
        if changed:
            self.undo_stack.push(SetValuesCommand(self.graph, changed, text, merge_id))

    def reset_values(self) -> None:
        """Put every leaf that still exists back to its value when the document was opened."""
        self.set_values({n: v for n, v in self.initial_values.items()
                         if n in self.graph and self.graph.node(n).kind is not NodeKind.OP}, "Reset values")

    def rename(self, node_id: str, label: str, with_id: bool = False) -> str:
        """Give the node a new label (surrounding blanks dropped); one with a line break is
        refused with a GraphError saying so, before anything changes.  `with_id` renames its id
        to the label too when `id_can_follow` says it may.  Returns the node's id afterwards."""
        label = label.strip()
        problem = label_problem(label)
        if problem:
            raise GraphError(problem)
        new_id = label if with_id and self.id_can_follow(node_id, label) else None
        if label and (label != self.graph.node(node_id).label or new_id):
            self.undo_stack.push(RenameCommand(self.graph, node_id, label, new_id))
        return new_id or node_id

    def id_can_follow(self, node_id: str, label: str) -> bool:
        """Whether renaming to `label` should offer the id along: the id was made up by the
        editor (x2, add3), and `label` is a free id a command line can name (`--set w=4`)."""
        label = label.strip()
        return (label != node_id and is_generated_id(self.graph.node(node_id)) and usable_id(label)
                and label not in self.graph and node_id not in self.params())

    def set_trainable(self, node_id: str, trainable: bool) -> None:
        """Let gradient descent change a variable (or keep it fixed), as one undo step."""
        node = self.graph.node(node_id)
        if node.kind is not NodeKind.VARIABLE:
            raise GraphError(f"{node.label} is not a variable: only variables are trained")
        if is_trainable(node) != trainable:
            self.undo_stack.push(SetTrainableCommand(self.graph, node_id, trainable))

    def set_output(self, node_id: str | None) -> None:
        if node_id is not None:
            self.graph.node(node_id)
        if node_id != self.graph.output:
            self.undo_stack.push(SetOutputCommand(self.graph, node_id))

    # -- clipboard and layout -------------------------------------------------------------

    def copy_text(self, node_ids: Iterable[str]) -> str:
        """The selected nodes and the edges among them as file-format JSON (clipboard text)."""
        return clipboard.copy_text(self.graph, node_ids)

    def paste_text(self, text: str, at=None) -> list[str]:
        """Add the nodes of a file-format text as one step, with fresh ids; returns the new ids.

        The copy lands with its top-left node at `at`, or beside the original.  Raises
        DocumentError (one line) when the text is not a graph or holds no nodes.
        """
        return self.paste_graph(clipboard.pasted_graph(text), at)

    def paste_graph(self, source: Graph, at=None, text: str = "Paste") -> list[str]:
        """Add a copy of every node and edge of `source` as one step named `text`, as
        `paste_text` does; for a caller that already holds the graph (it placed the copy by
        it), so a large clipboard is read once, not once to place and again to paste."""
        command, new_ids = clipboard.add_copy_command(self.graph, source, at, text)
        self.undo_stack.push(command)
        return new_ids

    def duplicate(self, node_ids: Iterable[str], at=None) -> list[str]:
        """Copy the nodes and the edges among them as one step, to `at` (as `paste_text`)."""
        ids = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        return self.paste_graph(clipboard.selection(self.graph, ids), at, "Duplicate") if ids else []

    def arrange(self, node_ids: Iterable[str] | None = None) -> None:
        """Lay out the graph (or just `node_ids`) left to right, as one undo step."""
        moves = {n: point(p) for n, p in layered_layout(self.graph, node_ids).items()}
        moves = {n: p for n, p in moves.items() if self.graph.node(n).pos != p}
        if moves:
            self.undo_stack.push(MoveNodesCommand(self.graph, moves, text="Arrange"))

    # -- helpers -----------------------------------------------------------------------

    def _label(self, node_id: str) -> str:
        return self.graph.node(node_id).label


def _stamp(path: Path | None) -> tuple[int, ...] | None:
    """What tells one version of a file from another, or None when there is no file.  Time and
    size alone miss a copy that keeps both (`cp -p`, `rsync -t`): a file renamed into place has
    another inode, and one rewritten in place another change time, which no program can set."""
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev, st.st_ctime_ns) if st is not None else None

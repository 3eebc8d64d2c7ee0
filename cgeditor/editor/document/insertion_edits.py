"""The Document's edits that put an op node into the wiring in one step: into an edge (a new
node, or an unconnected one dropped on it) or already wired to a neighbour.  Which wires are
allowed is the model's rule (`cgeditor.model.validate`); these only build the undo commands."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind
from cgeditor.model.validate import insertion_problem, new_node_problem

from cgeditor.editor.document.commands import (AddEdgeCommand, AddNodeCommand, Command, MoveNodesCommand,
                                               RemoveEdgeCommand)
from cgeditor.editor.document.positions import point


class InsertionEdits:
    """Mixed into `Document`: each method pushes exactly one undo command on its stack."""

    graph: Graph
    undo_stack: QUndoStack

    def insert_on_edge(self, edge: Edge, op: str, pos) -> str:
        """Put a new `op` node into `edge`: source → new (input 0) → target, as one step."""
        if not self.graph.has_edge(edge):
            raise GraphError(f"no edge {edge.source} → {edge.target}:{edge.port}")
        node = self._new_op_node(op, pos)
        parent = Command(f"Insert {op} into {self._edge_text(edge)}")
        AddNodeCommand(self.graph, node, parent)
        RemoveEdgeCommand(self.graph, edge, parent)
        AddEdgeCommand(self.graph, Edge(edge.source, node.id, 0), parent)
        AddEdgeCommand(self.graph, Edge(node.id, edge.target, edge.port), parent)
        self.undo_stack.push(parent)
        return node.id

    def insertion_problem(self, node_id: str, edge: Edge) -> str | None:
        """Why node `node_id` cannot go into `edge`, or None (the model's rule, for gestures)."""
        return insertion_problem(self.graph, node_id, edge)

    def insert_node_into_edge(self, node_id: str, edge: Edge, start_pos, end_pos) -> None:
        """Drop an unconnected op node, dragged from `start_pos`, into `edge` at `end_pos`:
        source → node (input 0) → target, the move and the rewiring as one step."""
        reason = self.insertion_problem(node_id, edge)
        if reason is not None:
            raise GraphError(reason)
        node = self.graph.node(node_id)
        parent = Command(f"Insert {node.label} into {self._edge_text(edge)}")
        move = MoveNodesCommand(self.graph, {node_id: point(end_pos)}, parent=parent)
        move.old[node_id] = point(start_pos)  # undo returns the node to where the drag began
        RemoveEdgeCommand(self.graph, edge, parent)
        AddEdgeCommand(self.graph, Edge(edge.source, node_id, 0), parent)
        AddEdgeCommand(self.graph, Edge(node_id, edge.target, edge.port), parent)
        self.undo_stack.push(parent)

    def add_connected_node(self, op: str, pos, source: str | None = None,
                           target: tuple[str, int] | None = None) -> str:
        """Add an `op` node already wired: `source` feeds its input 0, and/or it feeds `target`'s
        port (replacing an edge there), as one step.  A target that cannot take the wire raises
        GraphError with the reason."""
        node = self._new_op_node(op, pos)
        if source is not None:
            self.graph.node(source)
        if target is not None:
            reason = new_node_problem(self.graph, source, *target)
            if reason is not None:
                raise GraphError(reason)
        parent = Command(f"Add {op}")
        AddNodeCommand(self.graph, node, parent)
        if source is not None:
            AddEdgeCommand(self.graph, Edge(source, node.id, 0), parent)
        if target is not None:
            target_id, port = target
            for old in self.graph.edges_into_port(target_id, port):
                RemoveEdgeCommand(self.graph, old, parent)
            AddEdgeCommand(self.graph, Edge(node.id, target_id, port), parent)
        self.undo_stack.push(parent)
        return node.id

    def _new_op_node(self, op: str, pos) -> Node:
        self.check_op(op)
        return Node(self.graph.fresh_id(op), NodeKind.OP, "", None, op, point(pos))

    def _edge_text(self, edge: Edge) -> str:
        """An edge as the undo history names it: by its ends' labels."""
        return f"{self.graph.node(edge.source).label} → {self.graph.node(edge.target).label}"

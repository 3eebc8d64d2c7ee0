"""The Document's edits that move nodes into and out of blocks: group a selection into a new
block, ungroup an instance, give an instance its own copy of its block.  What each does is the
model's (`cgeditor.model.block_edits`); these check the block's name first and push the one
undo command.

A document can also be a block's inside, opened for editing (`inside_of`): there an instance
of the block itself (or of a block using it) would make it recursive, and its params, fed by
every instance's inputs, stay; new blocks are made at the document's top level.
"""

from __future__ import annotations

from typing import Iterable

from PySide6.QtGui import QUndoStack

from cgeditor.model import block_edits
from cgeditor.model.blocks import Block
from cgeditor.model.graph import Graph, GraphError

from cgeditor.editor.document.block_commands import RemoveBlockCommand, RewriteCommand


class GroupingEdits:
    """Mixed into `Document`: each method pushes exactly one undo command on its stack."""

    graph: Graph
    undo_stack: QUndoStack
    inside_of: str | None

    def params(self) -> tuple[str, ...]:
        """The params of the block this document is the inside of (none at the top level)."""
        if self.inside_of is None or self.inside_of not in self.graph.blocks:
            return ()
        return tuple(self.graph.blocks[self.inside_of].params)

    def check_op(self, op: str | None) -> None:
        """Raise GraphError unless an op node of `op` may be added here."""
        if self.graph.op(op) is None:
            raise GraphError(f"unknown op {op!r}")
        blocks, home = self.graph.blocks, self.inside_of
        if home is not None and op in blocks and (op == home or home in blocks.uses_transitively(blocks[op])):
            raise GraphError(f"block {home} cannot use {op}: a block cannot use itself")

    def check_param_value(self, node_id: str) -> None:
        """Raise GraphError if the node is a param of the block being edited: its value is
        each instance's input, never its own."""
        if node_id in self.params():
            raise GraphError(f"{node_id} is a parameter of block {self.inside_of}: each instance's input is its value")

    def check_removal(self, node_ids: Iterable[str]) -> None:
        """Raise GraphError if one of the nodes is a param of the block being edited."""
        kept = [n for n in node_ids if n in self.params()]
        if kept:
            raise GraphError(f"{kept[0]} is a parameter of block {self.inside_of}: every instance's "
                             "input feeds it, so it stays")

    def block_name_problem(self, name: str) -> str | None:
        """Why a new block cannot be called `name`, or None (the library's rules)."""
        try:
            self.graph.blocks.check_new(Block(name, (), Graph()))  # a name alone: nothing inside
        except GraphError as e:
            return str(e)
        return None

    def suggest_block_name(self, stem: str = "block") -> str:
        """A free name for a new block: `stem`, else stem2, stem3, ..."""
        name, k = stem, 1
        while self.block_name_problem(name) is not None:
            k += 1
            name = f"{stem}{k}"
        return name

    def group_problem(self, node_ids: Iterable[str]) -> str | None:
        """Why the nodes cannot become one block (none chosen, more than one output), or None."""
        try:
            self._check_top_level("group")
            block_edits.group(self.graph, list(node_ids), "block")
        except GraphError as e:
            return str(e)
        return None

    def group(self, node_ids: Iterable[str], name: str) -> str:
        """The nodes as a new block `name` and one instance of it in their place, as one step;
        returns the instance's id.  Raises GraphError with the reason when the selection cannot
        be a block (more than one output) or the name is not free."""
        self._check_top_level("group")
        self._check_name(name)
        rewrite = block_edits.group(self.graph, list(node_ids), name)
        self.undo_stack.push(RewriteCommand(self.graph, rewrite, f"Group {len(rewrite.removed)} nodes as {name}"))
        return rewrite.instance.id

    def ungroup(self, instance_id: str) -> list[str]:
        """The instance's inside written back in its place, as one step; returns the new ids."""
        rewrite = block_edits.ungroup(self.graph, instance_id)
        block = self.graph.node(instance_id).op
        self.undo_stack.push(RewriteCommand(self.graph, rewrite, f"Ungroup {block}"))
        return [n.id for n in rewrite.nodes]

    def make_unique(self, instance_id: str, new_name: str) -> None:
        """Give the instance its own copy of its block, called `new_name`, as one step."""
        self._check_top_level("make an instance unique")
        self._check_name(new_name)
        rewrite = block_edits.make_unique(self.graph, instance_id, new_name)
        self.undo_stack.push(RewriteCommand(self.graph, rewrite, f"Make {instance_id} unique as {new_name}"))

    def remove_block(self, name: str) -> None:
        """Delete block `name` from the library, as one step; refused (GraphError with the
        reason, nothing changed) while an instance or another block uses it."""
        self._check_top_level("delete a block")
        command = RemoveBlockCommand(self.graph, name)
        command.redo()  # the model's refusal comes before anything is pushed
        command.done = True
        self.undo_stack.push(command)

    def is_instance(self, node_id: str) -> bool:
        return node_id in self.graph and block_edits.is_instance(self.graph, self.graph.node(node_id))

    def _check_top_level(self, doing: str) -> None:
        if self.inside_of is not None:
            raise GraphError(f"to {doing}, go back to the document: new blocks are made at its top level")

    def _check_name(self, name: str) -> None:
        problem = self.block_name_problem(name)
        if problem is not None:
            raise GraphError(problem)

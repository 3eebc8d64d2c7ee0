"""The undo commands of blocks: an edit that moves nodes into or out of a block (group, ungroup,
make unique) is the model's `Rewrite` (what to remove, add, rewire and define) done as one step;
deleting an unused block is another.

Undo takes the added edges and nodes away, puts the removed nodes back where they stood (with
their edges and the output mark, as `RemoveNodesCommand` keeps them) and forgets the block it
defined, so the graph is exactly as before.
"""

from __future__ import annotations

from cgeditor.model.block_edits import Rewrite
from cgeditor.model.blocks import Block
from cgeditor.model.graph import Graph

from cgeditor.editor.document.commands import Command, RemoveNodesCommand


class RewriteCommand(Command):
    def __init__(self, graph: Graph, rewrite: Rewrite, text: str, parent: Command | None = None):
        super().__init__(text, parent)
        self.graph = graph
        self.rewrite = rewrite
        self.removal = RemoveNodesCommand(graph, rewrite.removed)
        self.output_before: str | None = None

    def redo(self) -> None:
        graph, rw = self.graph, self.rewrite
        if rw.block is not None:
            graph.define_block(rw.block)
        self.removal.redo()
        self.output_before = graph.output
        for k, node in enumerate(rw.nodes):
            graph.add_node(node.copy(), None if rw.at is None else rw.at + k)
        for edge in rw.edges:
            graph.add_edge(edge)
        if rw.output is not None:
            graph.set_output(rw.output)

    def undo(self) -> None:
        graph, rw = self.graph, self.rewrite
        graph.set_output(self.output_before)
        for edge in reversed(rw.edges):
            if graph.has_edge(edge):  # an edge between nodes that stay (ungroup returning a param)
                graph.remove_edge(edge)
        for node in reversed(rw.nodes):
            graph.remove_node(node.id)
        self.removal.undo()
        if rw.block is not None:
            graph.remove_block(rw.block.name)


class RemoveBlockCommand(Command):
    """Remove an unused block from the library; undo puts it back in its place."""

    def __init__(self, graph: Graph, name: str, parent: Command | None = None):
        super().__init__(f"Delete block {name}", parent)
        self.graph = graph
        self.name = name
        self.removed: tuple[Block, int] | None = None
        self.done = False  # redone once already, to find out whether the model allows it

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        names = self.graph.blocks.names()
        index = names.index(self.name) if self.name in names else 0
        self.removed = (self.graph.remove_block(self.name), index)

    def undo(self) -> None:
        block, index = self.removed
        self.graph.define_block(block, index)

"""Defining blocks in a document as one undo step: a user op typed in the New Operation dialog,
or a block from the user library with the blocks it uses that the document lacks.

Defining adds no node: the block appears in the palette's Blocks section, from where the user
makes instances.  Undo removes the blocks again, last defined first (the library refuses to
remove a block another one uses).
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtGui import QUndoStack

from cgeditor.model.blocks import Block
from cgeditor.model.graph import Graph

from cgeditor.editor.document.commands import Command


class DefineBlocksCommand(Command):
    def __init__(self, graph: Graph, blocks: Sequence[Block], text: str, parent: Command | None = None):
        super().__init__(text, parent)
        self.graph = graph
        self.blocks = [b.copy() for b in blocks]

    def redo(self) -> None:
        for block in self.blocks:
            self.graph.define_block(block.copy())

    def undo(self) -> None:
        for block in reversed(self.blocks):
            self.graph.remove_block(block.name)


def check_definable(graph: Graph, blocks: Sequence[Block]) -> None:
    """Raise GraphError with the reason if `blocks`, defined in order (each may use the ones
    before it), could not all be; checked on a copy of the library, which stays untouched."""
    trial = Graph()
    for existing in graph.blocks if blocks else ():
        trial.define_block(existing.copy())
    for block in blocks:
        trial.define_block(block.copy())


def define_blocks(graph: Graph, undo_stack: QUndoStack, blocks: Sequence[Block], text: str) -> None:
    """Define `blocks` as one undo step; raises GraphError with the reason, defining none,
    if one of them cannot be defined."""
    check_definable(graph, blocks)
    undo_stack.push(DefineBlocksCommand(graph, blocks, text))

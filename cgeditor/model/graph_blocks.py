"""The blocks half of `Graph`: its library, and the changes to it, each announced as one
structural change so plans rebuild; an edit inside a body is announced on the document too."""

from __future__ import annotations

from typing import Callable

from cgeditor.model.blocks import Block, BlockLibrary
from cgeditor.model.changes import ANNOTATION_CHANGES, BlockChanged, BlockDefined, BlockRemoved, Change, NodeMoved
from cgeditor.model.node import GraphError, NodeKind


class BlockHolder:
    """A graph's block library (see blocks.py), changed through `Graph`, which provides `_emit`
    and `_nodes`."""

    def __init__(self) -> None:
        self.blocks = BlockLibrary()  # a body graph shares its document's
        self._block_watchers: dict[str, Callable[[Change], None]] = {}

    def define_block(self, block: Block, index: int | None = None) -> None:
        """Add `block` to the library (refused with the reason: see `BlockLibrary`)."""
        self.blocks.define(block, index)
        self._watch(block)
        self._emit(BlockDefined(block))

    def remove_block(self, name: str) -> Block:
        """Remove block `name`, refused while an instance or another block uses it."""
        users = [n.id for n in self._nodes.values() if n.op == name and n.kind is NodeKind.OP]
        if users:
            raise GraphError(f"block {name!r} is used by {', '.join(users[:10])}"
                             f"{' and more' if len(users) > 10 else ''}")
        index = self.blocks.names().index(name) if name in self.blocks else 0
        block = self.blocks.remove(name)
        block.body.unsubscribe(self._block_watchers.pop(name))
        self._emit(BlockRemoved(block, index))
        return block

    def replace_block(self, block: Block) -> Block:
        """Put `block` in place of the block of its name (every instance computes it)."""
        old = self.blocks.replace(block)
        old.body.unsubscribe(self._block_watchers.pop(old.name))
        self._watch(block)
        self._emit(BlockChanged(block.name))
        return old

    def _watch(self, block: Block) -> None:
        """Bind the body to this library and re-announce an edit of it as `BlockChanged`
        (a move or a note inside changes no number, so it is not)."""
        block.body.blocks = self.blocks

        def edited(change: Change, name: str = block.name) -> None:
            if not isinstance(change, (NodeMoved, *ANNOTATION_CHANGES)):
                self.blocks.touch()
                self._emit(BlockChanged(name))

        block.body.subscribe(edited)
        self._block_watchers[block.name] = edited

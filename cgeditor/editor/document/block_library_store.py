"""The user's library of blocks: one file per block in QStandardPaths' AppDataLocation/blocks.

`NAME.json` is a cgeditor document with no nodes whose "blocks" section holds block NAME
after the blocks it uses, so it is written and read by the file format (atomically; read
strictly, every problem one line) and a block is self-contained: inserting it needs no other
file.  Inserting defines in the document the blocks it lacks; a block the document has under
the same name must be the same block, else the insertion is refused rather than mix two.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from cgeditor.model import fileformat
from cgeditor.model.blocks import Block, BlockLibrary
from cgeditor.model.graph import Graph

SUFFIX = ".json"


class LibraryError(ValueError):
    """A block the library cannot save, read or insert, with the reason in one line."""


def default_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "blocks"


class BlockStore:
    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()

    def path(self, name: str) -> Path:
        return self.folder / f"{name}{SUFFIX}"

    def names(self) -> list[str]:
        """The saved blocks' names, sorted (files whose names are not block names are ignored)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob(f"*{SUFFIX}") if p.stem.isidentifier())

    def save(self, library: BlockLibrary, name: str) -> Path:
        """Write block `name` of `library`, with the blocks it uses, replacing a saved one."""
        block = library[name]
        graph = Graph()
        for b in _with_uses(library, block):
            graph.define_block(b.copy())
        path = self.path(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise LibraryError(f"{self.folder}: cannot create the library folder: {e.strerror or e}") from None
        try:
            fileformat.save(graph, path)
        except fileformat.DocumentError as e:
            raise LibraryError(str(e)) from None
        return path

    def load(self, name: str) -> list[Block]:
        """Block `name` after the blocks it uses (definition order), read from its file."""
        path = self.path(name)
        try:
            graph = fileformat.load(path, lay_out=False)
        except fileformat.DocumentError as e:  # its message names the file
            raise LibraryError(str(e)) from None
        if len(graph.nodes):
            raise LibraryError(f"{path}: a library file holds blocks only, not {len(graph.nodes):,} nodes")
        if name not in graph.blocks:
            raise LibraryError(f"{path}: holds no block named {name}")
        return _with_uses(graph.blocks, graph.blocks[name])


def _with_uses(library: BlockLibrary, block: Block) -> list[Block]:
    used = library.uses_transitively(block)
    return [b for b in library if b.name in used] + [block]


def missing_blocks(library: BlockLibrary, blocks: list[Block]) -> list[Block]:
    """Of `blocks` (a library block with its uses), those `library` lacks; raises LibraryError
    if it has one of them by name but not the same block."""
    for b in blocks:
        if b.name in library and library[b.name] != b:
            raise LibraryError(f"the document already has a different block named {b.name} "
                               "(rename one of them first)")
    return [b for b in blocks if b.name not in library]


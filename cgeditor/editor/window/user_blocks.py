"""The window's user-defined blocks: Edit → New Operation… (a block from a formula), the user
library (Save Block to Library, Insert from Library, the palette's Library section) and
File → New Network….

Blocks are defined in the document at its top level (a block's inside, when one is open for
editing, shares the document's library); an insertion goes into the canvas shown.  Each edit
is one undo step, and what cannot be done is said in the status bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from cgeditor.model.graph import GraphError, Node, NodeKind

from cgeditor.editor.document.block_library_store import BlockStore, LibraryError, missing_blocks
from cgeditor.editor.document.commands import AddNodeCommand, Command
from cgeditor.editor.document.define_blocks import DefineBlocksCommand, check_definable, define_blocks
from cgeditor.editor.document.document import Document
from cgeditor.editor.document.positions import point
from cgeditor.editor.panels.user_op_dialog import ask_user_op
from cgeditor.editor.window.network_dialog import ask_network


class UserBlocks:
    def __init__(self, window, store: BlockStore | None = None):
        self.window = window
        self._store = None
        window.palette.library_requested.connect(self.insert_from_library)
        self.store = store if store is not None else BlockStore()
        # Swappable so a test can answer without the modal dialogs.
        self.ask_user_op = ask_user_op
        self.ask_network = ask_network
        a = window.window_actions
        a.new_operation.triggered.connect(self.new_operation)
        a.new_network.triggered.connect(self.new_network)
        a.save_to_library.triggered.connect(lambda: self.save_to_library())
        a.library_menu.aboutToShow.connect(lambda: self.fill_library_menu(a.library_menu))

    @property
    def store(self) -> BlockStore:
        return self._store

    @store.setter
    def store(self, store: BlockStore) -> None:
        self._store = store
        self.list_library()

    def list_library(self) -> None:
        """Show the saved blocks in the palette's Library section."""
        self.window.palette.set_library(self._store.names())

    # -- user ops ---------------------------------------------------------------------------

    def new_operation(self) -> str | None:
        """Ask for a formula; define its block in the document; returns the block's name."""
        doc = self.window.document
        block = self.ask_user_op(self.window, doc.graph.blocks)
        if block is None:
            return None
        try:
            define_blocks(doc.graph, doc.undo_stack, [block], f"Define {block.name}")
        except GraphError as e:
            return self._say(f"Cannot define {block.name}: {e}")
        self.window.show_message(f"Defined {block.name}({', '.join(block.params)}): "
                                 "drag it from the palette's Blocks section")
        return block.name

    # -- the library ------------------------------------------------------------------------

    def save_to_library(self, node_id: str | None = None) -> str | None:
        """Save the block of instance `node_id` (or of the one selected instance)."""
        scene = self.window.scene
        if node_id is None:
            instances = [n for n in scene.selected_node_ids() if scene.document.is_instance(n)]
            if len(instances) != 1:
                return self._say("To save a block to the library, select one instance of it")
            node_id = instances[0]
        name = scene.document.graph.node(node_id).op
        try:
            path = self.store.save(self.window.document.graph.blocks, name)
        except LibraryError as e:
            return self._say(f"Cannot save {name} to the library: {e}")
        self.list_library()
        self.window.show_message(f"Saved block {name} to the library ({path})")
        return name

    def insert_from_library(self, name: str) -> str | None:
        """Add an instance of library block `name` at the centre of the canvas, defining it
        (and the blocks it uses) in the document where absent, as one step; returns its id."""
        window = self.window
        top, doc, view = window.document, window.scene.document, window.view
        try:
            blocks = self.store.load(name)
            new = missing_blocks(top.graph.blocks, blocks)
            check_definable(top.graph, new)
        except (LibraryError, GraphError) as e:
            return self._say(f"Cannot insert {name}: {e}")
        if doc.inside_of in {b.name for b in blocks}:
            return self._say(f"Cannot insert {name} into block {doc.inside_of}: a block cannot use itself")
        centre = view.mapToScene(view.viewport().rect().center())
        node = Node(doc.graph.fresh_id(name), NodeKind.OP, "", None, name, point((centre.x(), centre.y())))
        step = Command(f"Insert {name} from the library")
        DefineBlocksCommand(top.graph, new, "", step)
        AddNodeCommand(doc.graph, node, step)
        doc.undo_stack.push(step)
        return node.id

    def fill_library_menu(self, menu: QMenu) -> None:
        menu.clear()
        names = self.store.names()
        for name in names:
            menu.addAction(name, lambda n=name: self.insert_from_library(n))
        if not names:
            menu.addAction("No saved blocks (Save Block to Library first)").setEnabled(False)

    # -- networks ---------------------------------------------------------------------------

    def new_network(self) -> bool:
        """Ask for a network; it becomes a new, unsaved document (after the usual question
        about unsaved changes to the current one)."""
        window = self.window
        graph = self.ask_network(window)
        if graph is None or not window.maybe_save():
            return False
        document = Document(graph)
        document.undo_stack.resetClean()  # built, never saved: closing it must ask
        window.set_document(document)
        return True

    def _say(self, text: str) -> None:
        self.window.show_message(text)
        return None

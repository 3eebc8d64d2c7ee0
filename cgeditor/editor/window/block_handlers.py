"""What the block actions do (Edit menu, an instance's context menu, a block's palette entry):
group the selection into a new block, ungroup an instance, make it unique, open a block's
inside for editing, delete an unused block.

They act on the document the canvas shows (the inside of a block while one is open), and
say why in the status bar when they cannot.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit

from cgeditor.model.graph import GraphError


def ask_block_name(window, title: str, prompt: str, suggestion: str) -> str | None:
    """The name typed in a small dialog (the suggestion selected), or None if cancelled."""
    text, ok = QInputDialog.getText(window, title, prompt, QLineEdit.Normal, suggestion)
    return text.strip() if ok else None


class BlockHandlers:
    def __init__(self, window):
        self.window = window
        self.ask_name = ask_block_name  # swappable so a test can answer without the dialog

    @property
    def _scene(self):
        return self.window.scene

    def group(self) -> str | None:
        """Ctrl+G: the selection becomes a block named as the user says; returns the instance."""
        scene = self._scene
        doc, ids = scene.document, scene.selected_node_ids()
        problem = doc.group_problem(ids)
        if problem is not None:
            return self._refuse(f"Cannot group: {problem}")
        name = self.ask_name(self.window, "Group into Block", "Name of the new block:", doc.suggest_block_name())
        if not name:
            return None
        try:
            instance = doc.group(ids, name)
        except GraphError as e:
            return self._refuse(f"Cannot group: {e}")
        scene.select_only([instance])
        self.window.show_message(f"Grouped {len(ids)} nodes as block {name}")
        return instance

    def ungroup(self, node_id: str | None = None) -> list[str]:
        node_id = node_id or self._instance("ungroup")
        if node_id is None:
            return []
        ids = self._scene.document.ungroup(node_id)
        self._scene.select_only(ids)
        return ids

    def make_unique(self, node_id: str | None = None) -> None:
        node_id = node_id or self._instance("make unique")
        if node_id is None:
            return
        doc = self._scene.document
        block = doc.graph.node(node_id).op
        name = self.ask_name(self.window, "Make Unique", f"Name of this instance's own copy of {block}:",
                             doc.suggest_block_name(block))
        if not name:
            return
        try:
            doc.make_unique(node_id, name)
        except GraphError as e:
            self._refuse(f"Cannot make unique: {e}")

    def edit_block(self, node_id: str | None = None) -> None:
        node_id = node_id or self._instance("edit its block")
        if node_id is not None:
            doc = self._scene.document
            at = node_id if doc is self.window.document else None  # numbers at a top-level instance
            self.window.block_editing.open(doc.graph.node(node_id).op, at)

    def delete_block(self, name: str) -> None:
        """Delete an unused block from the document (the palette's "Delete Block")."""
        self.window.block_editing.back()
        try:
            self.window.document.remove_block(name)
        except GraphError as e:
            self._refuse(f"Cannot delete block {name}: {e}")
            return
        self.window.show_message(f"Deleted block {name}")

    def on_palette_request(self, what: str, name: str) -> None:
        if what == "delete":
            self.delete_block(name)
        else:
            self.window.block_editing.open(name)

    def on_request(self, what: str, node_id: str) -> None:
        """The canvas' context menu asked for `what` ("group", "ungroup", "make_unique", "edit",
        "save_to_library")."""
        if what == "group":
            self.group()
        elif what == "save_to_library":
            self.window.user_blocks.save_to_library(node_id)
        else:
            {"ungroup": self.ungroup, "make_unique": self.make_unique, "edit": self.edit_block}[what](node_id)

    def _instance(self, doing: str) -> str | None:
        scene = self._scene
        instances = [n for n in scene.selected_node_ids() if scene.document.is_instance(n)]
        if len(instances) != 1:
            self._refuse(f"To {doing}, select one instance of a block")
            return None
        return instances[0]

    def _refuse(self, text: str) -> None:
        self.window.show_message(text)
        return None

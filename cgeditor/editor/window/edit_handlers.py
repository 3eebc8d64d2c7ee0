"""What the Edit menu's actions do: the clipboard, duplicate, select all, arrange and a new note.

They act on whichever document, scene and view the canvas shows now (opening a file replaces
all three; a block opened for editing shows its inside), so they read them from the window
each time.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import GraphError
from cgeditor.editor.window.evaluation_status import counted


class EditHandlers:
    def __init__(self, window):
        self.window = window

    def copy(self) -> bool:
        ids = self.window.scene.selected_node_ids()
        if not ids:
            self.window.show_message("Nothing to copy: select some nodes first")
            return False
        QApplication.clipboard().setText(self.window.scene.document.copy_text(ids))
        self.window.show_message(f"Copied {counted(len(ids), 'node')}")
        return True

    def cut(self) -> None:
        if self.copy():
            try:
                self.window.scene.document.remove_nodes(self.window.scene.selected_node_ids())
            except GraphError as e:
                self.window.show_message(f"Cannot cut: {e}")

    def paste(self) -> None:
        try:
            ids = self.window.scene.document.paste_text(QApplication.clipboard().text())
        except DocumentError as e:
            self.window.show_message(f"Cannot paste: {e}")
            return
        self._select(ids)

    def duplicate(self) -> None:
        self._select(self.window.scene.document.duplicate(self.window.scene.selected_node_ids()))

    def select_all(self) -> None:
        self._select(list(self.window.scene.document.graph.nodes), reveal=False)

    def arrange(self) -> None:
        selected = self.window.scene.selected_node_ids()
        self.window.scene.document.arrange(selected if len(selected) > 1 else None)

    def add_note(self) -> str:
        """A note near the top left of what the canvas shows, opened for typing."""
        seen = self.window.view.visible_scene_rect()
        return self.window.scene.annotations.add_note_at(seen.topLeft() + (seen.bottomRight() - seen.topLeft()) * 0.1)

    def _select(self, node_ids: list[str], reveal: bool = True) -> None:
        """Select exactly these nodes and, with `reveal`, scroll them into view (a paste may land
        off screen)."""
        if not node_ids:
            return
        self.window.scene.clearSelection()
        area = QRectF()
        for node_id in node_ids:
            item = self.window.scene.node_item(node_id)
            if item is not None:
                item.setSelected(True)
                area = area.united(item.sceneBoundingRect())
        if reveal:
            self.window.view.ensureVisible(area, 40, 40)

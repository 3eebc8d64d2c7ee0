"""What the Edit menu's actions do: the clipboard, duplicate, select all, arrange and a new note.

They act on whichever document, scene and view the canvas shows now (opening a file replaces
all three; a block opened for editing shows its inside), so they read them from the window
each time.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import GraphError
from cgeditor.editor.canvas.paste_spot import paste_spot
from cgeditor.editor.document import clipboard
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
        """At the mouse when it is over the canvas, else beside the selection (`paste_spot`)."""
        try:
            source = clipboard.pasted_graph(QApplication.clipboard().text())
        except DocumentError as e:
            self.window.show_message(f"Cannot paste: {e}")
            return
        scene = self.window.scene
        self._select(scene.document.paste_graph(source, at=paste_spot(scene, source, self._mouse())))

    def duplicate(self) -> None:
        """Beside the originals, never on top of them."""
        scene = self.window.scene
        selected = scene.selected_node_ids()
        if selected:
            part = clipboard.selection(scene.document.graph, selected)
            self._select(scene.document.paste_graph(part, paste_spot(scene, part, None), "Duplicate"))

    def _mouse(self) -> QPointF | None:
        """Where the mouse is on the canvas, in scene coordinates; None when it is elsewhere."""
        viewport = self.window.view.viewport()
        point = viewport.mapFromGlobal(QCursor.pos())
        return self.window.view.mapToScene(point) if viewport.rect().contains(point) else None

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

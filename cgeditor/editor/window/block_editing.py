"""Editing a block's inside in the main window, as Blender edits a node group.

"Edit Block" shows the block's body on a canvas of its own in place of the document's, under a
breadcrumb bar over its top left ("Graph › sig", with a Back button), with the numbers at the instance it was
opened from.  Its edits are the document's: they go
onto the document's undo stack, and every instance computes the changed block.  Opening another
document, or the block going away (an undo of the group that made it), goes back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from cgeditor.model.changes import BLOCK_CHANGES

from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.canvas.view import GraphView
from cgeditor.editor.document.document import Document
from cgeditor.editor.document.inside_document import InsideDocument


class BlockEditing:
    def __init__(self, window):
        self.window = window
        self._top = None  # (document, scene, view) of the document, while a block is open
        self._inside: InsideDocument | None = None
        self.bar: QFrame | None = None  # the breadcrumb bar, on the inside's canvas
        self.back_button: QPushButton | None = None
        self.crumbs: QLabel | None = None

    def is_open(self) -> bool:
        return self._inside is not None

    def block_name(self) -> str | None:
        return self._inside.inside_of if self._inside is not None else None

    def open(self, name: str, instance_id: str | None = None) -> None:
        """Show block `name`'s inside for editing, with the numbers at instance `instance_id`
        (going back from another block first)."""
        self.back()
        w = self.window
        top = w.document
        if w.teaching.is_teaching():
            w.teaching.set_teaching(False)
        self._top = (top, w.scene, w.view)
        inside = self._inside = InsideDocument(top, name, instance_id)
        scene = GraphScene(inside, parent=inside)
        view = GraphView(scene)
        self._show(scene, view, inside, top)
        top.graph.subscribe(self._on_top_change)
        at = f", numbers at {top.graph.node(instance_id).label}" if instance_id in top.graph else ""
        self._breadcrumbs(view, f"{top.name}  ›  {name}({', '.join(top.graph.blocks[name].params)})"
                                f"  —  edits change every instance{at}")
        w.show_message(f"Editing block {name}: every instance follows")

    def back(self) -> None:
        """Show the document again (nothing to do if no block is open)."""
        if self._inside is None:
            return
        top, scene, view = self._top
        inside, inner_scene, inner_view = self._inside, self.window.scene, self.window.view
        self._inside = self._top = None
        top.graph.unsubscribe(self._on_top_change)
        inner_scene.detach()
        self._show(scene, view, top, top)
        self.window.canvas_area.layout().removeWidget(inner_view)
        inner_view.deleteLater()
        inside.detach()
        inside.deleteLater()
        self.bar = self.back_button = self.crumbs = None  # they go with the inside's view

    def _breadcrumbs(self, view: GraphView, text: str) -> None:
        """The bar over the top left of the inside's canvas: Back, and where the canvas is."""
        self.bar = QFrame(view)
        self.bar.setFrameShape(QFrame.StyledPanel)
        self.bar.setAutoFillBackground(True)
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(6, 3, 10, 3)
        self.back_button = QPushButton("‹ Back to graph")
        self.back_button.setToolTip("Close the block and show the whole graph again")
        self.back_button.clicked.connect(self.back)
        self.crumbs = QLabel(text)
        self.crumbs.setTextFormat(Qt.PlainText)  # names are document text, never markup
        row.addWidget(self.back_button)
        row.addWidget(self.crumbs)
        self.bar.move(8, 8)
        self.bar.adjustSize()
        self.bar.show()

    def _show(self, scene: GraphScene, view: GraphView, document: Document, top: Document) -> None:
        w = self.window
        old_view = w.view
        w.scene, w.view = scene, view
        for kind, action in w.window_actions.overlays.items():
            scene.set_overlay_visible(kind, action.isChecked())
        view.set_minimap_visible(w.window_actions.minimap.isChecked())
        layout = w.canvas_area.layout()
        if layout.indexOf(view) < 0:
            layout.addWidget(view)
        view.show()
        old_view.hide()
        if document is not top:
            scene.selection_settled.connect(w._selection_changed)
            scene.show_message.connect(w.show_message)
            scene.block_requested.connect(w.blocks.on_request)
        w.palette.set_view(view, blocks_of=top.graph)
        w.inspector.set_document(document)
        view.setFocus()

    def _on_top_change(self, change) -> None:
        """Go back when the open block is removed or replaced by another."""
        if isinstance(change, BLOCK_CHANGES):
            name, body = self._inside.inside_of, self._inside.graph
            blocks = self._top[0].graph.blocks
            if name not in blocks or blocks[name].body is not body:
                self.back()

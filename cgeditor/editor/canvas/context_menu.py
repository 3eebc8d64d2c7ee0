"""The canvas' context menu: what a right click offers on a node, an edge, a note or an arrow,
or on empty canvas."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication, QMenu

from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Edge
from cgeditor.editor.canvas.annotation_items import NoteItem, annotation_owner
from cgeditor.editor.canvas.inline_editors import rename_inline
from cgeditor.editor.canvas.items import EdgeItem, NodeItem, OverlayLabel, PortItem
from cgeditor.editor.canvas.node_creation import open_node_search
from cgeditor.editor.canvas.paste_spot import paste_spot
from cgeditor.editor.document import clipboard


def context_menu(scene, item, pos: QPointF, screen_pos) -> None:
    menu = QMenu(scene.view())
    doc = scene.document
    if isinstance(item, PortItem):
        item = item.parentItem()
    if isinstance(item, OverlayLabel) and not isinstance(item.owner, Edge):
        item = scene.node_item(item.owner)
    note = annotation_owner(item)
    if note is not None:
        if not note.isSelected():
            scene.clearSelection()
            note.setSelected(True)
        if isinstance(note, NoteItem):
            menu.addAction("Edit text…", lambda: scene.annotations.edit_note(note.ann_id))
            menu.addSeparator()
        menu.addAction("Delete", scene.delete_selection)
    elif isinstance(item, NodeItem):
        if not item.isSelected():
            scene.clearSelection()
            item.setSelected(True)
        node_id = item.node_id
        menu.addAction("Set as output", lambda: doc.set_output(node_id)).setEnabled(not item.is_output())
        menu.addAction("Rename…", lambda: rename_inline(scene, node_id))
        _block_entries(scene, menu, node_id)
        menu.addSeparator()
        menu.addAction("Delete", scene.delete_selection)
    elif isinstance(item, EdgeItem):
        edge = item.edge
        menu.addAction("Delete", lambda: doc.disconnect([edge]))
    else:
        menu.addAction("Add node…", lambda: open_node_search(scene, pos))
        menu.addAction("Paste", lambda: paste_at(scene, pos))
        menu.addAction("Add note here", lambda: scene.annotations.add_note_at(pos))
        menu.addAction("Add arrow here", lambda: scene.annotations.add_arrow_at(pos))
        view = scene.view()
        if view is not None:
            menu.addAction("Fit graph", view.fit_graph)
    menu.exec(screen_pos)
    menu.deleteLater()


def _block_entries(scene, menu: QMenu, node_id: str) -> None:
    """Group a selection; expand, ungroup, make unique or edit an instance."""
    ask = scene.block_requested.emit
    if len(scene.selected_node_ids()) > 1:
        menu.addSeparator()
        menu.addAction("Group into Block…", lambda: ask("group", node_id))
    elif scene.document.is_instance(node_id):
        menu.addSeparator()
        expanded = scene.insides.is_expanded(node_id)
        menu.addAction("Collapse" if expanded else "Expand", lambda: scene.insides.toggle(node_id))
        menu.addAction("Edit Block", lambda: ask("edit", node_id))
        menu.addAction("Make Unique…", lambda: ask("make_unique", node_id))
        menu.addAction("Ungroup", lambda: ask("ungroup", node_id))
        menu.addAction("Save Block to Library", lambda: ask("save_to_library", node_id))


def paste_at(scene, pos: QPointF) -> list[str]:
    try:
        source = clipboard.pasted_graph(QApplication.clipboard().text())
        return scene.document.paste_graph(source, at=paste_spot(scene, source, pos))
    except DocumentError as e:
        scene.say(f"cannot paste: {e}")
        return []

"""The node palette: the node entries, searchable, grouped by category, then the document's
blocks and the user's library.

Dragging an entry onto the view creates that node at the drop point (the view reads
`NODE_MIME`); double-click or Enter asks the view to add it at its centre.  The "Blocks"
section follows the document's library: it is filled again whenever a block is defined,
removed or changed, and its entries' context menu edits or deletes a block.  The "Library"
section lists the blocks saved to the user library (`set_library`); choosing one asks the
window to insert it (`library_requested`), which defines it in the document first.  A name too
long for its row is set in smaller type, down to MIN_FONT_SCALE, so it reads whole in a
narrow dock; the tooltip always has it in full.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QLineEdit, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from cgeditor.model.changes import BLOCK_CHANGES
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme
from cgeditor.editor.panels.node_entries import (KEY_ROLE, NODE_MIME, Entry, block_entries, entry_icon,
                                                 node_entries, search)

LIBRARY = "library"  # the user library's section

CATEGORY_TITLES = {"inputs": "Inputs", "arithmetic": "Arithmetic", "function": "Functions",
                   "activation": "Activations", "comparison": "Comparison", "block": "Blocks",
                   LIBRARY: "Library"}
LIBRARY_KEY = "library:"  # + a saved block's name: apart from the document's block of that name
MIN_FONT_SCALE = 0.7  # the smallest type a long name is set in, against the list's own


def library_entries(names: list[str]) -> list[Entry]:
    return [Entry(LIBRARY_KEY + name, name, "ƒ", LIBRARY, f"{name.lower()} library block saved") for name in names]


class _EntryTree(QTreeWidget):
    """A tree whose drags carry the entry key under NODE_MIME."""

    resized = Signal()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        keys = [k for i in items if (k := i.data(0, KEY_ROLE)) and not k.startswith(LIBRARY_KEY)]
        if keys:
            data.setData(NODE_MIME, keys[0].encode())
        return data


class PaletteWidget(QWidget):
    entry_activated = Signal(str)  # an entry was chosen with double-click or Enter
    block_requested = Signal(str, str)  # a block entry's context menu: ("edit" | "delete", name)
    library_requested = Signal(str)  # a library block was chosen: insert it (defining it first)

    def __init__(self, view=None, parent: QWidget | None = None, theme: Theme = DEFAULT_THEME):
        super().__init__(parent)
        self.view = None
        self._graph = None  # whose blocks the "Blocks" section lists
        self._theme = theme
        self._ops = node_entries()  # the registry's, fixed
        self._blocks: list[Entry] = []
        self._library: list[Entry] = []
        self.entries: list[Entry] = list(self._ops)
        self.filter_edit = QLineEdit(placeholderText="Search nodes…", clearButtonEnabled=True)
        self.tree = _EntryTree()
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(40, 24))
        self.tree.setIndentation(10)
        self.tree.setRootIsDecorated(False)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragOnly)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._fill(self._ops)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.filter_edit.returnPressed.connect(self._activate_first)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.resized.connect(self._fit_names)  # a new width: long names fitted again
        self.set_view(view)

    def set_view(self, view, blocks_of=None) -> None:
        """Add nodes through `view`; list the blocks of `blocks_of` (the document graph whose
        library they are; by default the graph the view shows)."""
        self.view = view
        graph = blocks_of if blocks_of is not None else view.scene().graph if view is not None else None
        if graph is not self._graph:
            if self._graph is not None:
                self._graph.unsubscribe(self._on_change)
            self._graph = graph
            if graph is not None:
                graph.subscribe(self._on_change)
            self._fill_blocks()

    def _on_change(self, change) -> None:
        if isinstance(change, BLOCK_CHANGES):
            self._fill_blocks()

    def _fill_blocks(self) -> None:
        self._blocks = block_entries(self._graph.blocks if self._graph is not None else None)
        self._fill_sections()

    def set_library(self, names: list[str]) -> None:
        """List these saved blocks in the "Library" section."""
        self._library = library_entries(names)
        self._fill_sections()

    def _fill_sections(self) -> None:
        """The Blocks and Library sections filled again, in that order, after the ops."""
        for category in ("block", LIBRARY):
            group = self._groups.pop(category, None)
            if group is not None:
                for i in range(group.childCount()):
                    self._items.pop(group.child(i).data(0, KEY_ROLE), None)
                self.tree.invisibleRootItem().removeChild(group)
        self.entries = self._ops + self._blocks + self._library
        self._fill(self._blocks + self._library)
        self._fit_names()
        if self.filter_edit.text():
            self._apply_filter(self.filter_edit.text())

    def item(self, key: str) -> QTreeWidgetItem:
        return self._items[key]

    def mime_data(self, key: str) -> QMimeData:
        """The drag payload for `key`, exactly as a drag from the list carries it."""
        return self.tree.mimeData([self._items[key]])

    def visible_keys(self) -> list[str]:
        return [k for k, i in self._items.items() if not i.isHidden() and not i.parent().isHidden()]

    def _fill(self, entries: list[Entry]) -> None:
        theme, groups = self._theme, self._groups
        for entry in entries:
            group = groups.get(entry.category)
            if group is None:
                group = QTreeWidgetItem(self.tree, [CATEGORY_TITLES.get(entry.category, entry.category.title())])
                group.setFlags(Qt.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setForeground(0, theme.color("muted"))
                groups[entry.category] = group
            item = QTreeWidgetItem(group, [entry.palette_title])
            item.setIcon(0, entry_icon(entry, theme))
            item.setData(0, KEY_ROLE, entry.key)
            if entry.category == LIBRARY:
                item.setToolTip(0, f"{entry.title} from your block library — double-click to insert it "
                                   "(its definition is added to the document)")
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            else:
                item.setToolTip(0, f"{entry.title} ({entry.key}) — drag onto the canvas, or double-click")
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
            self._items[entry.key] = item
        self.tree.expandAll()

    def _fit_names(self) -> None:
        """Set each block's name in type small enough for its row (not below MIN_FONT_SCALE of
        the list's own), so "tanh_neuron2" reads whole in the 164 px palette of a 1024 px window."""
        base, tree = self.tree.font(), self.tree
        for category in ("block", LIBRARY):
            group = self._groups.get(category)
            for i in range(group.childCount() if group is not None else 0):
                item = group.child(i)
                item.setFont(0, base)
                index = tree.indexFromItem(item)
                row = tree.viewport().width() - tree.visualRect(index).left()  # the rect may lag a resize
                scale = 1.0
                while tree.sizeHintForIndex(index).width() > row and scale > MIN_FONT_SCALE and row > 0:
                    scale = max(MIN_FONT_SCALE, scale - 0.04)
                    font = QFont(base)
                    font.setPointSizeF(base.pointSizeF() * scale)
                    item.setFont(0, font)

    def _apply_filter(self, text: str) -> None:
        keys = {e.key for e in search(self.entries, text)}
        for key, item in self._items.items():
            item.setHidden(key not in keys)
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            group.setHidden(all(group.child(j).isHidden() for j in range(group.childCount())))
        best = search(self.entries, text)
        if best:
            self.tree.setCurrentItem(self._items[best[0].key])

    def block_menu(self, name: str) -> QMenu:
        """What a right click on block `name`'s entry offers."""
        menu = QMenu(self)
        menu.addAction("Edit Block", lambda: self.block_requested.emit("edit", name))
        menu.addAction("Delete Block", lambda: self.block_requested.emit("delete", name))
        return menu

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        group = item.parent() if item is not None else None
        menu = None
        if group is not None and group is self._groups.get("block"):
            menu = self.block_menu(item.data(0, KEY_ROLE))
        elif group is not None and group is self._groups.get(LIBRARY):
            menu = QMenu(self)
            name = item.data(0, KEY_ROLE).removeprefix(LIBRARY_KEY)
            menu.addAction("Insert into Document", lambda: self.library_requested.emit(name))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _activate_first(self) -> None:
        current = self.tree.currentItem()
        if current is not None and not current.isHidden() and current.data(0, KEY_ROLE):
            self._on_activated(current)

    def _on_activated(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, KEY_ROLE)
        if not key:
            return
        if key.startswith(LIBRARY_KEY):
            self.library_requested.emit(key.removeprefix(LIBRARY_KEY))
            return
        self.entry_activated.emit(key)
        if self.view is not None:
            self.view.add_entry_at_centre(key)

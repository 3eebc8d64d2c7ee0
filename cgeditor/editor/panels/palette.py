"""The node palette: the node entries, searchable, grouped by category.

Dragging an entry onto the view creates that node at the drop point (the view reads
`NODE_MIME`); double-click or Enter asks the view to add it at its centre.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme
from cgeditor.editor.panels.node_entries import KEY_ROLE, NODE_MIME, entry_icon, node_entries, search

CATEGORY_TITLES = {"inputs": "Inputs", "arithmetic": "Arithmetic", "function": "Functions",
                   "activation": "Activations", "comparison": "Comparison"}


class _EntryTree(QTreeWidget):
    """A tree whose drags carry the entry key under NODE_MIME."""

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        keys = [i.data(0, KEY_ROLE) for i in items if i.data(0, KEY_ROLE)]
        if keys:
            data.setData(NODE_MIME, keys[0].encode())
        return data


class PaletteWidget(QWidget):
    entry_activated = Signal(str)  # an entry was chosen with double-click or Enter

    def __init__(self, view=None, parent: QWidget | None = None, theme: Theme = DEFAULT_THEME):
        super().__init__(parent)
        self.view = view
        self.entries = node_entries()
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
        self._fill(theme)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.filter_edit.returnPressed.connect(self._activate_first)
        self.tree.itemActivated.connect(self._on_activated)

    def set_view(self, view) -> None:
        self.view = view

    def item(self, key: str) -> QTreeWidgetItem:
        return self._items[key]

    def mime_data(self, key: str) -> QMimeData:
        """The drag payload for `key`, exactly as a drag from the list carries it."""
        return self.tree.mimeData([self._items[key]])

    def visible_keys(self) -> list[str]:
        return [k for k, i in self._items.items() if not i.isHidden() and not i.parent().isHidden()]

    def _fill(self, theme: Theme) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for entry in self.entries:
            group = groups.get(entry.category)
            if group is None:
                group = QTreeWidgetItem(self.tree, [CATEGORY_TITLES.get(entry.category, entry.category.title())])
                group.setFlags(Qt.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setForeground(0, theme.color("muted"))
                groups[entry.category] = group
            item = QTreeWidgetItem(group, [entry.title])
            item.setIcon(0, entry_icon(entry, theme))
            item.setData(0, KEY_ROLE, entry.key)
            item.setToolTip(0, f"{entry.title} ({entry.key}) — drag onto the canvas, or double-click")
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
            self._items[entry.key] = item
        self.tree.expandAll()

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

    def _activate_first(self) -> None:
        current = self.tree.currentItem()
        if current is not None and not current.isHidden() and current.data(0, KEY_ROLE):
            self._on_activated(current)

    def _on_activated(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, KEY_ROLE)
        if not key:
            return
        self.entry_activated.emit(key)
        if self.view is not None:
            self.view.add_entry_at_centre(key)

"""The node palette: every op of the registry plus Variable and Constant, searchable, grouped.

Entries are generated from `cgeditor.model.ops.OPS`, so a new op appears here without touching
this file.  Dragging an entry onto the view creates that node at the drop point (the view reads
`NODE_MIME`); double-click or Enter adds it at the centre of the view.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cgeditor.model.ops import OPS
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme

NODE_MIME = "application/x-cgeditor-node"
CATEGORY_TITLES = {"inputs": "Inputs", "arithmetic": "Arithmetic", "function": "Functions",
                   "activation": "Activations", "comparison": "Comparison"}
KEY_ROLE = Qt.UserRole + 1


@dataclass(frozen=True)
class Entry:
    key: str  # "variable", "constant" or an op name
    title: str
    symbol: str
    category: str
    keywords: str  # lower-case words a search matches

    def rank(self, text: str) -> int | None:
        """How well `text` matches: 0 exact, 1 prefix, 2 anywhere, None not at all."""
        text = text.strip().lower()
        if not text:
            return 2
        words = [self.key, self.title.lower(), self.symbol.lower()]
        if text in words:
            return 0
        if any(w.startswith(text) for w in words + self.keywords.split()):
            return 1
        return 2 if text in self.keywords else None


def node_entries() -> list[Entry]:
    entries = [Entry("variable", "Variable", "x", "inputs", "variable input leaf parameter"),
               Entry("constant", "Constant", "c", "inputs", "constant number literal fixed")]
    for op in OPS.values():
        words = " ".join([op.name, op.title.lower(), op.symbol.lower(), *op.aliases, op.infix or ""])
        entries.append(Entry(op.name, op.title, op.symbol, op.category, words))
    return entries


def search(entries: list[Entry], text: str) -> list[Entry]:
    """Matching entries, best matches first, palette order within a rank."""
    ranked = [(r, i, e) for i, e in enumerate(entries) if (r := e.rank(text)) is not None]
    return [e for _, _, e in sorted(ranked, key=lambda t: (t[0], t[1]))]


def entry_icon(entry: Entry, theme: Theme = DEFAULT_THEME, size: QSize = QSize(40, 24)) -> QIcon:
    """A miniature of the node: ellipse, pill or rounded box with the symbol inside."""
    ratio = 2.0
    pix = QPixmap(size * ratio)
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    r = QRectF(1.5, 2.5, size.width() - 3, size.height() - 5)
    path = QPainterPath()
    if entry.key == "variable":
        path.addEllipse(r)
        p.setBrush(theme.color("variable_fill"))
        pen = QPen(theme.color("variable_border"), 1.3)
    elif entry.key == "constant":
        path.addRoundedRect(r, r.height() / 2, r.height() / 2)
        p.setBrush(theme.color("constant_fill"))
        pen = QPen(theme.color("constant_border"), 1.2, Qt.DashLine)
    else:
        path.addRoundedRect(r, 5, 5)
        p.setBrush(theme.color("node_fill"))
        pen = QPen(theme.color("node_border"), 1.2)
    p.setPen(pen)
    p.drawPath(path)
    font = theme.font(12 if len(entry.symbol) <= 2 else 9, bold=entry.key in ("variable", "constant"))
    p.setFont(font)
    p.setPen(QColor(theme.text))
    p.drawText(r, Qt.AlignCenter, entry.symbol)
    p.end()
    return QIcon(pix)


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
            from cgeditor.editor.canvas.gestures import create_node  # the canvas module needs the palette's mime type
            scene = self.view.scene()
            create_node(scene, key, self.view.mapToScene(self.view.viewport().rect().center()))

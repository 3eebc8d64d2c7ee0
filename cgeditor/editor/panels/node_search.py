"""The quick node search: a small popup with a filter field and a list (Tab, double-click on
the canvas, or a wire dropped on empty canvas).  Typing narrows the list, Enter picks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from cgeditor.editor.panels.node_entries import KEY_ROLE, Entry, entry_icon, search


class NodeSearchPopup(QFrame):
    chosen = Signal(str)  # the entry key

    def __init__(self, entries: list[Entry], parent=None, title: str = "Add node"):
        super().__init__(parent, Qt.Popup)
        self.setFrameShape(QFrame.StyledPanel)
        self.entries = entries
        self.edit = QLineEdit(placeholderText=f"{title}: type a name…")
        self.list = QListWidget()
        self.list.setIconSize(QSize(40, 24))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        self.resize(240, 300)
        self.edit.textChanged.connect(self._refill)
        self.edit.returnPressed.connect(self._choose_current)
        self.edit.installEventFilter(self)
        self.list.itemActivated.connect(self._choose)
        self._refill("")

    def open_at(self, global_pos: QPoint) -> None:
        self.move(global_pos)
        self.show()
        self.edit.setFocus()

    def keys(self) -> list[str]:
        return [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())]

    def _refill(self, text: str) -> None:
        self.list.clear()
        for entry in search(self.entries, text):
            item = QListWidgetItem(entry_icon(entry), f"{entry.title}   {entry.symbol}")
            item.setData(KEY_ROLE, entry.key)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _choose_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        self.close()
        self.chosen.emit(key)

    def eventFilter(self, obj, event) -> bool:
        """Up and Down in the filter field move through the list, so the hands stay on the keys."""
        if obj is self.edit and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Up, Qt.Key_Down):
            step = -1 if event.key() == Qt.Key_Up else 1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)

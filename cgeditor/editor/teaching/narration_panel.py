"""The narration dock: every chain-rule line of the walk so far, the current one highlighted,
in type large enough to read from the back of a lecture hall."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from cgeditor.model.teaching.view_state import TeachingState

LINE_PX = 20
CURRENT_FILL = "#fff3bf"
IDLE_TEXT = "Press Teach (or View → Step through backpropagation) to walk the graph step by step."


class NarrationPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.status = QLabel(IDLE_TEXT)
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setFocusPolicy(Qt.NoFocus)  # the clicker's arrow keys belong to the stepper
        font = QFont()
        font.setPixelSize(LINE_PX)
        self.list.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)

    def show_state(self, state: TeachingState | None, problem: str | None = None) -> None:
        """Show the lines so far with the current step's highlighted, or why there are none."""
        self.list.clear()
        if state is None:
            self.status.setText(f"Cannot step through: {problem}" if problem else IDLE_TEXT)
            return
        self.status.setText(f"Step {state.position} of {state.count - 1}")
        current = len(state.lines) - len(state.callout)
        for i, line in enumerate(state.lines):
            item = QListWidgetItem(line)
            if i >= current:
                font = self.list.font()
                font.setBold(True)
                item.setFont(font)
                item.setBackground(QBrush(QColor(CURRENT_FILL)))
            self.list.addItem(item)
        QTimer.singleShot(0, self.list.scrollToBottom)  # once the new rows are laid out

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def current_lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count()) if self.list.item(i).font().bold()]

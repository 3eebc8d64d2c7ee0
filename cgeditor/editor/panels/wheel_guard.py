"""The mouse wheel over a value field in a scrolling dock scrolls the dock.

Qt's spin boxes and combo boxes change their value under a passing wheel, so scrolling down a
dock silently edited what the pointer crossed (the finite-difference step went from 0.01 to
0.07).  Fields guarded here hand every wheel event to the dock's scroll bar instead; their
value changes only by typing, the arrows, or the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget


class WheelScrollsDock(QObject):
    """Installed on the fields of `scroll_area`'s content by `guard_fields`."""

    def __init__(self, scroll_area: QAbstractScrollArea):
        super().__init__(scroll_area)
        self._bar = scroll_area.verticalScrollBar()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Wheel:
            QApplication.sendEvent(self._bar, event)
            return True
        return False


def guard_fields(scroll_area: QAbstractScrollArea, content: QWidget) -> None:
    """Guard every spin box and combo box inside `content` (call once it is built)."""
    guard = WheelScrollsDock(scroll_area)
    for field in content.findChildren(QAbstractSpinBox) + content.findChildren(QComboBox):
        field.installEventFilter(guard)

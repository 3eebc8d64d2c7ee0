"""Shared set-up for the teaching-mode GUI tests: main windows that close without asking, and
the clicks and keys a presenter uses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.editor.window.main_window import MainWindow
from cgeditor.resources import example_path
from helpers.windows import close_discarding


@pytest.fixture
def open_example(qtbot, settings):
    """Open an example in an active main window; at the end it closes discarding any edits."""
    opened = []

    def make(name: str) -> MainWindow:
        window = MainWindow(Document.open(example_path(name)), settings)
        opened.append(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        window.view.setFocus()
        return window

    yield make
    for window in opened:
        window.teaching.presentation.leave()
    close_discarding(opened)


def key(qtbot, window: MainWindow, k, modifiers=Qt.NoModifier) -> None:
    """A key as a clicker or keyboard sends it, to whatever has the focus on the canvas."""
    qtbot.keyClick(window.view, k, modifiers)


def click_node(qtbot, window: MainWindow, node_id: str) -> None:
    item = window.scene.node_item(node_id)
    point = window.view.mapFromScene(item.label_rect().center())
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=QPoint(point.x(), point.y()))
    qtbot.waitUntil(lambda: window.inspector.node_id == node_id)  # the selection settles next turn


def start_teaching(qtbot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key_T, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.teaching.is_teaching()

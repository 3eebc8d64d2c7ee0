"""Main windows for GUI tests: private settings, and windows that close without asking at the
end (nobody is left to answer a Save/Discard/Cancel box, and an unanswered one hangs the run)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from cgeditor.editor.window.main_window import MainWindow


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    opened = []

    def make(document=None) -> MainWindow:
        window = MainWindow(document, settings)
        opened.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    close_discarding(opened)


def close_discarding(windows) -> None:
    for window in windows:
        window.ask_save_changes = lambda *args: QMessageBox.Discard
        window.close()
        window.deleteLater()


def answer_message_box(button: QMessageBox.StandardButton) -> list[str]:
    """Click `button` in the next modal message box (the code under test is blocked in its
    exec); returns a list that then holds the box's text."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[str] = []

    def poll():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(5, poll)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, poll)
    return seen

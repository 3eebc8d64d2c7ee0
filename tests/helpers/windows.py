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

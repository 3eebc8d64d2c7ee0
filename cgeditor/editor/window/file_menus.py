"""The File menu's submenus that list files: Open Recent and Examples."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QMenu, QWidget

from cgeditor.editor.window.file_dialogs import RecentFiles
from cgeditor.resources import list_examples


class RecentMenu(QMenu):
    """Open Recent, filled from the recent-files list each time it opens (so it never shows a
    stale list), with Clear Recent at its foot."""

    def __init__(self, recent: RecentFiles, open_file: Callable[[Path], object], parent: QWidget):
        super().__init__("Open &Recent", parent)
        self.recent = recent
        self.open_file = open_file
        self.aboutToShow.connect(self._fill)

    def _fill(self) -> None:
        self.clear()
        paths = self.recent.paths()
        for path in paths:
            action = self.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not paths:
            self.addAction("No recent files").setEnabled(False)
        self.addSeparator()
        self.addAction("Clear Recent", self.recent.clear).setEnabled(bool(paths))


def examples_menu(open_file: Callable[[Path], object], parent: QWidget) -> QMenu:
    """The bundled examples, by their names in words ("Deep chain")."""
    menu = QMenu("&Examples", parent)
    for path in list_examples():
        action = menu.addAction(path.stem.replace("_", " ").capitalize())
        action.setData(str(path))
        action.triggered.connect(lambda _=False, p=path: open_file(p))
    return menu

"""Document files as the window handles them: recent files, file dialogs, and the questions
asked before unsaved changes would be lost.

The dialogs are plain functions so the window can swap one for a stand-in and tests can
answer the real ones (they are application-modal, reachable through activeModalWidget).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from cgeditor.model.atomic_write import ReadOnlyFileError
from cgeditor.model.fileformat import SUFFIX, ReadOnlyDocumentError
from cgeditor.resources import examples_dir

FILE_FILTER = f"Computational graphs (*{SUFFIX});;All files (*)"
MAX_RECENT = 10
_RECENT_KEY = "recentFiles"
_FOLDER_KEY = "lastFolder"


class RecentFiles:
    """The last opened or saved files, newest first, kept in QSettings; vanished files drop out."""

    def __init__(self, settings: QSettings):
        self._settings = settings

    def paths(self) -> list[Path]:
        stored = [Path(p) for p in _as_list(self._settings.value(_RECENT_KEY, []))]
        existing = [p for p in stored if p.is_file()]
        if existing != stored:
            self._store(existing)
        return existing

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._store([path] + [p for p in self.paths() if p != path])
        self._settings.setValue(_FOLDER_KEY, str(path.parent))

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.setValue(_RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])


def start_folder(settings: QSettings, document_path: Path | None) -> Path:
    """Where a file dialog opens: beside the current file (unless it is a bundled example), else
    the last folder used, else ~/Documents or home."""
    if document_path is not None and not is_example(document_path):
        return document_path.parent
    last = settings.value(_FOLDER_KEY, "")
    if last and Path(last).is_dir():
        return Path(last)
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def is_example(path: Path) -> bool:
    """Bundled examples are templates: saving one asks for a new name instead of overwriting it."""
    return Path(path).resolve().parent == examples_dir().resolve()


def ask_save_changes(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel, asked before unsaved changes to `name` would be lost."""
    box = QMessageBox(QMessageBox.Warning, "Unsaved changes",
                      f"Do you want to save the changes to {name}?",
                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setDefaultButton(QMessageBox.Save)
    return QMessageBox.StandardButton(box.exec())


def ask_overwrite_changed(parent: QWidget, name: str) -> bool:
    """Whether to overwrite `name`, which another program changed since it was opened."""
    box = QMessageBox(QMessageBox.Warning, "File changed on disk",
                      f"{name} was changed by another program since you opened it.",
                      QMessageBox.Save | QMessageBox.Cancel, parent)
    box.setInformativeText("Save anyway and replace that version, or cancel and use Save As.")
    box.button(QMessageBox.Save).setText("Overwrite")
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Save


def ask_replace_read_only(parent: QWidget, name: str) -> bool:
    """Whether to replace `name` although it is read-only (the CLI refuses; here the user decides)."""
    box = QMessageBox(QMessageBox.Warning, "File is read-only", f"{name} is read-only. Save anyway?",
                      QMessageBox.Yes | QMessageBox.No, parent)
    box.setInformativeText("Yes replaces it with a new file that keeps its read-only permissions.")
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def write_asking(window, path: Path, write: Callable[[bool], object]) -> bool:
    """`write(False)`; when that finds `path` read-only, ask `window.ask_replace_read_only` and
    on yes `write(True)`.  False when the user kept the file; other errors propagate."""
    try:
        write(False)
    except (ReadOnlyFileError, ReadOnlyDocumentError):
        if not window.ask_replace_read_only(window, Path(path).name):
            return False
        write(True)
    return True


def show_error(parent: QWidget, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Critical, title, message, QMessageBox.Ok, parent)
    box.exec()


def choose_open_path(parent: QWidget, folder: Path) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open graph", str(folder), FILE_FILTER)
    return Path(path) if path else None


def choose_save_path(parent: QWidget, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save graph as", str(suggested), FILE_FILTER)
    if not path:
        return None
    path = Path(path)
    return path if path.suffix else path.with_suffix(SUFFIX)


def _as_list(value) -> list[str]:
    """QSettings returns a lone string for a one-item list in some formats."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]

"""Autosave to a recovery file, so a crash, a kill or a power cut loses at most half a minute.

While a document has unsaved changes, an `Autosaver` writes it every `interval_ms` (30 s) and
whenever the application loses focus, to `autosave-<pid>-<n>.cgraph` in the recovery folder
(under the user's config location), with the same atomic `fileformat.save` as real saves, next to
a small JSON sidecar naming the document's own file.  The sidecar is written first, so a graph
file never lacks one.  A clean close — or the document becoming unmodified — removes both.

At the next start `find_recovery` returns what a dead process left behind (files of a process
still running are another window's, and are left alone); the start-up code offers it with
`ask_restore` and opens it with `RecoveryInfo.restore`.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from cgeditor.model import fileformat
from cgeditor.model.atomic_write import write_text_atomically
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Change, Graph

from cgeditor.editor.document.document import Document

INTERVAL_MS = 30_000
SIDECAR_FORMAT = "cgeditor-recovery"
MAX_SIDECAR_BYTES = 64 * 1024  # a sidecar is a few lines; anything bigger is not ours
_numbers = itertools.count(1)


def default_recovery_dir() -> Path:
    """`recovery` in the per-user config folder Qt names for this app (e.g. ~/.config/cgeditor)."""
    base = QStandardPaths.writableLocation(QStandardPaths.AppConfigLocation)
    if not base:
        base = os.path.join(os.path.expanduser("~"), ".cgeditor")
    return Path(base) / "recovery"


@dataclass(frozen=True)
class RecoveryInfo:
    """An autosave a previous session left: the graph file, its sidecar, and what it was."""

    path: Path
    sidecar: Path
    original: Path | None  # the document's own file, None for an untitled graph
    saved_at: datetime.datetime

    def load(self) -> Graph:
        return fileformat.load(self.path)

    def restore(self, parent: QObject | None = None) -> Document:
        """The recovered graph as a modified document that saves to the original file.  These
        recovery files are removed: the caller gives the document an Autosaver and calls its
        `save_now()` at once, which writes the recovered work to a recovery file of its own."""
        document = Document(self.load(), self.original, parent)
        document.undo_stack.resetClean()  # unsaved, as it was when the autosave was written
        self.discard()
        return document

    def discard(self) -> None:
        _remove(self.path, self.sidecar)

    def describe(self) -> str:
        what = self.original.name if self.original is not None else "an untitled graph"
        return f"unsaved changes to {what} from {self.saved_at:%Y-%m-%d %H:%M}"


def find_recovery(directory: Path | str | None = None) -> RecoveryInfo | None:
    """The newest autosave left by a process that is no longer running, or None."""
    folder = Path(directory) if directory is not None else default_recovery_dir()
    try:
        sidecars = list(folder.glob("autosave-*.json"))
    except OSError:
        return None
    found = [info for info in map(_read_sidecar, sidecars) if info is not None]
    return max(found, key=lambda info: info.saved_at, default=None)


def ask_restore(parent: QWidget | None, info: RecoveryInfo) -> bool:
    """Whether the user wants `info` restored (on No the caller discards it)."""
    box = QMessageBox(QMessageBox.Question, "Restore unsaved changes?",
                      f"cgeditor did not close normally. Restore the {info.describe()}?",
                      QMessageBox.Yes | QMessageBox.No, parent)
    box.setInformativeText("If you choose No, the recovered changes are deleted.")
    box.setDefaultButton(QMessageBox.Yes)
    return box.exec() == QMessageBox.Yes


class Autosaver(QObject):
    """Writes `document` to a recovery file while it has unsaved changes."""

    saved = Signal(Path)  # the recovery file, after each autosave
    failed = Signal(str)  # why an autosave could not be written (one line)

    def __init__(self, document: Document, directory: Path | str | None = None,
                 interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent if parent is not None else document)
        self.document = document
        self.directory = Path(directory) if directory is not None else default_recovery_dir()
        stem = f"autosave-{os.getpid()}-{next(_numbers)}"
        self.path = self.directory / f"{stem}{fileformat.SUFFIX}"
        self.sidecar = self.directory / f"{stem}.json"
        self._changes = _ChangeFlag()
        self._changes.pending = document.is_modified()  # e.g. a restored recovery: not on disk
        document.graph.subscribe(self._changes)
        document.modified_changed.connect(self._on_modified_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_application_state)

    def save_now(self) -> bool:
        """Write the recovery file if there is something new and unsaved; True when written.
        Never raises: a failing autosave must not disturb the editing it protects."""
        if not self.document.is_modified() or not self._changes.pending:
            return False
        self._changes.pending = False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._write_sidecar()
            fileformat.save(self.document.graph, self.path)
        except (OSError, DocumentError) as e:
            self._changes.pending = True  # try again at the next tick
            self.failed.emit(f"autosave failed: {getattr(e, 'strerror', None) or e}")
            return False
        self.saved.emit(self.path)
        return True

    def discard(self) -> None:
        """Remove this document's recovery files (clean close, or nothing left unsaved)."""
        _remove(self.path, self.sidecar)

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()
        self._changes.pending = modified

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationActive:
            self.save_now()

    def _write_sidecar(self) -> None:
        data = {"format": SIDECAR_FORMAT, "pid": os.getpid(), "recovery": self.path.name,
                "original": str(self.document.path) if self.document.path is not None else None,
                "saved_at": datetime.datetime.now().isoformat()}
        write_text_atomically(self.sidecar, json.dumps(data, indent=1))


class _ChangeFlag:
    """Graph listener noting that something changed since the last autosave.  A plain object, so
    a graph outliving its autosaver never calls into a deleted Qt object."""

    def __init__(self):
        self.pending = False

    def __call__(self, change: Change) -> None:
        self.pending = True


def _remove(*paths: Path) -> None:
    """Delete files and the temporary files a save killed midway left beside them."""
    for p in paths:
        for leftover in [p, *p.parent.glob(f".{p.name}.*tmp")]:
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def _read_sidecar(sidecar: Path) -> RecoveryInfo | None:
    """The recovery a sidecar describes, or None if it is unreadable, not ours, still owned by
    a running process, or its graph file is missing."""
    try:
        if sidecar.stat().st_size > MAX_SIDECAR_BYTES:
            return None
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
            return None
        pid, name, original = data.get("pid"), data.get("recovery"), data.get("original")
        saved_at = datetime.datetime.fromisoformat(data.get("saved_at"))
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(pid, int) or _is_running(pid):
        return None
    if not isinstance(name, str) or Path(name).name != name or not name.endswith(fileformat.SUFFIX):
        return None  # only a file beside the sidecar: a path in it is never followed
    graph_file = sidecar.with_name(name)
    if not graph_file.is_file():
        return None
    return RecoveryInfo(graph_file, sidecar, Path(original) if isinstance(original, str) else None,
                        saved_at)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _is_running_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else
    return True


def _is_running_windows(pid: int) -> bool:
    """os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead."""
    import ctypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
    finally:
        kernel32.CloseHandle(handle)

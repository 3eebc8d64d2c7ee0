"""Recovery files a killed session left behind: finding them, offering them, restoring them.

An `Autosaver` (autosave.py) writes `autosave-<pid>-<n>.cgraph` with a JSON sidecar naming its
owner and the document's own file.  At the next start `find_recovery` returns what a dead
process left behind (files of a process still running are another window's, and are left
alone; the owner is known by its pid, boot and start time, as pids are reused); the start-up
code offers it with `ask_restore`, opens it with `RecoveryInfo.restore` and hands it to the new
document's `Autosaver.take_over`, which deletes it only once its own copy is on disk.  One that
cannot be read is kept aside (`ask_keep_aside`) and the editor starts normally.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from cgeditor.model import fileformat
from cgeditor.model.graph import Graph

from cgeditor.editor.document.document import Document

SIDECAR_FORMAT = "cgeditor-recovery"
MAX_SIDECAR_BYTES = 64 * 1024  # a sidecar is a few lines; anything bigger is not ours


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
        """The recovered graph as a modified document that saves to the original file; raises
        DocumentError if the file cannot be read.  These recovery files stay until the new
        session's own autosave of it is on disk: the caller hands them to `Autosaver.take_over`."""
        document = Document(self.load(), self.original, parent)
        document.undo_stack.resetClean()  # unsaved, as it was when the autosave was written
        return document

    def discard(self) -> None:
        remove_files(self.path, self.sidecar)

    def aside_path(self) -> Path:
        """Where `keep_aside` puts the graph file: beside it, under a name no start looks for."""
        for n in itertools.count(1):
            aside = self.path.with_name(f"unreadable-{self.path.stem}{f'-{n}' if n > 1 else ''}{self.path.suffix}")
            if not aside.exists() and not aside.with_suffix(".json").exists():
                return aside

    def keep_aside(self) -> Path:
        """Rename both files out of `find_recovery`'s way (an unreadable recovery must not stop
        every start); returns the graph file's new path."""
        aside = self.aside_path()
        os.replace(self.path, aside)
        try:
            os.replace(self.sidecar, aside.with_suffix(".json"))
        except OSError:
            self.sidecar.unlink(missing_ok=True)
        return aside

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


def ask_keep_aside(parent: QWidget | None, info: RecoveryInfo, reason: str) -> bool:
    """Whether to keep an unreadable recovery aside (True) or delete it; either way the editor
    then starts normally."""
    box = QMessageBox(QMessageBox.Warning, "Cannot restore unsaved changes",
                      f"The {info.describe()} cannot be read: {reason}",
                      QMessageBox.Yes | QMessageBox.Discard, parent)
    box.button(QMessageBox.Yes).setText("Keep Aside")
    box.setInformativeText(f"Keep Aside renames it to {info.aside_path()} so it is not offered "
                           f"again; Discard deletes it.  cgeditor then starts normally.")
    box.setDefaultButton(QMessageBox.Yes)
    return box.exec() == QMessageBox.Yes


def remove_files(*paths: Path) -> None:
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
    if not isinstance(pid, int) or _is_running(pid, data.get("boot_id"), data.get("started")):
        return None
    if not isinstance(name, str) or Path(name).name != name or not name.endswith(fileformat.SUFFIX):
        return None  # only a file beside the sidecar: a path in it is never followed
    graph_file = sidecar.with_name(name)
    if not graph_file.is_file():
        return None
    return RecoveryInfo(graph_file, sidecar, Path(original) if isinstance(original, str) else None,
                        saved_at)


def _boot_id() -> str | None:
    """This boot's random id (Linux): a pid from before a reboot names another process."""
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def _start_time(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (Linux), or None if unknown."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[19])  # field 22; the name may hold ") "
    except (OSError, IndexError, ValueError):
        return None


_PROC = Path("/proc")


def owner() -> dict:
    """Who writes this session's sidecars.  A pid alone is reused (after a reboot, or by the
    time the next session starts): the boot and the start time identify the process."""
    return {"pid": os.getpid(), "boot_id": _boot_id(), "started": _start_time(os.getpid())}


def _is_running(pid: int, boot_id: object = None, started: object = None) -> bool:
    """Whether the process that wrote a sidecar still runs.  With /proc, a different boot or a
    different start time means the pid now belongs to someone else; without it (or for a
    sidecar that does not say), the pid's existence decides."""
    if pid <= 0:
        return False
    if isinstance(boot_id, str) and _boot_id() not in (None, boot_id):
        return False
    if isinstance(started, int) and (_PROC / "self").is_dir():
        return _start_time(pid) == started
    if pid == os.getpid():
        return True
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

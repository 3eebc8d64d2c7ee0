"""Autosave to a recovery file, so a crash, a kill or a power cut loses at most half a minute.

While a document has unsaved changes, an `Autosaver` writes it `interval_ms` (30 s) after the
first unsaved edit and whenever the application loses focus, in the background, to
`autosave-<pid>-<n>.cgraph` in the recovery folder (under the user's config location), with the
same atomic `fileformat.save` as real saves, next to a small JSON sidecar naming the document's
own file.  The sidecar is written first, so a graph file never lacks one.  A clean close — or
the document becoming unmodified — removes both.  Finding and restoring what a killed session
left is recovery.py's part.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from cgeditor.model import fileformat
from cgeditor.model.atomic_write import write_text_atomically
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Change

from cgeditor.editor.document.document import Document
from cgeditor.editor.document.gc_pause import collector_paused
from cgeditor.editor.document.recovery import (SIDECAR_FORMAT, RecoveryInfo, default_recovery_dir,
                                               owner, remove_files)

INTERVAL_MS = 30_000
_numbers = itertools.count(1)


class Autosaver(QObject):
    """Writes `document` to a recovery file while it has unsaved changes.

    The first unsaved edit starts the clock; `interval_ms` later (or when the application loses
    focus) `save_now` takes a `GraphSnapshot` on the GUI thread and a worker thread encodes and
    writes it, so a big graph does not freeze the window.  One write at a time: a save asked for
    meanwhile waits for it (the newest waiting one wins), and `discard` waits for the write
    under way before it removes the files, so no late write brings them back."""

    saved = Signal(Path)  # the recovery file, after each autosave is on disk
    failed = Signal(str)  # why an autosave could not be written (one line)

    def __init__(self, document: Document, directory: Path | str | None = None,
                 interval_ms: int | None = None, parent: QObject | None = None):
        super().__init__(parent if parent is not None else document)
        self.document = document
        self.directory = Path(directory) if directory is not None else default_recovery_dir()
        stem = f"autosave-{os.getpid()}-{next(_numbers)}"
        self.path = self.directory / f"{stem}{fileformat.SUFFIX}"
        self.sidecar = self.directory / f"{stem}.json"
        self._superseded: RecoveryInfo | None = None  # a restored recovery, until ours is on disk
        self._running: _Write | None = None  # the write under way
        self._waiting: _Write | None = None  # the next one, asked for while it runs
        self._written_up_to = 0  # writes numbered up to this were discarded: ignore their end
        self._count = 0
        self._closed = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(INTERVAL_MS if interval_ms is None else interval_ms)
        self.timer.timeout.connect(self.save_now)
        self._changes = _ChangeFlag(self.timer)
        if document.is_modified():  # e.g. a restored recovery: not on disk
            self._changes(None)
        document.graph.subscribe(self._changes)
        document.modified_changed.connect(self._on_modified_changed)
        _relay().written.connect(self._on_written, Qt.QueuedConnection)
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_application_state)

    def save_now(self) -> bool:
        """Start writing the recovery file if there is something new and unsaved; True when a
        write was started or queued (`saved` or `failed` tells how it ended).  Never raises: a
        failing autosave must not disturb the editing it protects."""
        if self._closed or not self.document.is_modified() or not self._changes.pending:
            return False
        self._changes.pending = False
        self.timer.stop()
        self._count += 1
        with collector_paused():  # 200k new tuples must not set off a full collection here
            snapshot = fileformat.GraphSnapshot(self.document.graph)
        write = _Write(self._count, snapshot, self._sidecar_text())
        if self._running is None:
            self._start(write)
        else:
            self._waiting = write
        return True

    def wait(self) -> None:
        """Block until every write asked for has ended, and report each (quitting, tests)."""
        while self._running is not None:
            self._running.thread.join()
            self._finish(self._running)

    def take_over(self, recovery: RecoveryInfo) -> None:
        """Write the restored `recovery` to this autosaver's own file now; its files are removed
        once that write is on disk (a kill before then leaves them to be offered again), or when
        the document is saved or its changes discarded."""
        self._superseded = recovery
        self._changes(None)
        self.save_now()

    def discard(self) -> None:
        """Remove this document's recovery files (clean close, or nothing left unsaved), after
        the write under way, if any, has ended."""
        self._waiting = None
        self._written_up_to = self._count
        if self._running is not None:
            self._running.thread.join()
            self._running = None
        remove_files(self.path, self.sidecar)
        self._forget_superseded()

    def close(self) -> None:
        """Discard, and write nothing more: the window closes or shows another document."""
        self._closed = True
        self.timer.stop()
        self.discard()

    def _start(self, write: _Write) -> None:
        self._running = write
        write.thread = threading.Thread(target=self._write, args=(write,), name="autosave", daemon=True)
        write.thread.start()

    def _write(self, write: _Write) -> None:
        """On the worker thread: the sidecar first, so a graph file never lacks one.  The
        collector waits meanwhile: a full collection set off by encoding a big graph would hold
        the GIL, and so the window, for most of a second."""
        try:
            with collector_paused():
                self.directory.mkdir(parents=True, exist_ok=True)
                write_text_atomically(self.sidecar, write.sidecar)
                fileformat.save(write.snapshot, self.path)
        except (OSError, DocumentError) as e:
            write.error = f"autosave failed: {getattr(e, 'strerror', None) or e}"
        finally:  # anything else still ends this write (and reaches the exception guard)
            _relay().written.emit(write)

    def _on_written(self, write: _Write) -> None:
        if write is self._running:  # not another autosaver's, nor one `discard` already ended
            write.thread.join()
            self._finish(write)

    def _finish(self, write: _Write) -> None:
        self._running = None
        if write.number > self._written_up_to:
            if write.error:
                self._changes(None)  # try again after another interval
                self.failed.emit(write.error)
            else:
                self._forget_superseded()
                self.saved.emit(self.path)
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(waiting)

    def _forget_superseded(self) -> None:
        if self._superseded is not None:
            self._superseded.discard()
            self._superseded = None

    def _on_modified_changed(self, modified: bool) -> None:
        if modified:
            self._changes(None)
        else:
            self.discard()
            self._changes.pending = False
            self.timer.stop()

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationActive:
            self.save_now()

    def _sidecar_text(self) -> str:
        data = {"format": SIDECAR_FORMAT, **owner(), "recovery": self.path.name,
                "original": str(self.document.path) if self.document.path is not None else None,
                "saved_at": datetime.datetime.now().isoformat()}
        return json.dumps(data, indent=1)


class _Relay(QObject):
    """Carries "this write has ended" from worker threads to the GUI thread.  One for the whole
    program, never deleted: a worker never emits on an Autosaver, which may be deleted (with its
    document) while the write runs."""

    written = Signal(object)  # the _Write


@functools.cache
def _relay() -> _Relay:
    return _Relay()  # first asked for by an Autosaver, so made on the GUI thread


@dataclass(eq=False)
class _Write:
    """One autosave: what to write, and how it ended (set by the worker thread)."""

    number: int
    snapshot: fileformat.GraphSnapshot
    sidecar: str
    thread: threading.Thread | None = None
    error: str = ""


class _ChangeFlag:
    """Graph listener noting that something changed since the last autosave, and starting the
    autosave clock at the first such change.  A plain object checking that the timer is still
    alive, so a graph outliving its autosaver never calls into a deleted Qt object."""

    def __init__(self, timer: QTimer):
        self.pending = False
        self._timer = timer

    def __call__(self, change: Change | None) -> None:
        if self.pending:
            return
        self.pending = True
        if shiboken6.isValid(self._timer):
            self._timer.start()

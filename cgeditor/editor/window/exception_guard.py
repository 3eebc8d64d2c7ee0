"""Nothing escapes the event loop: an exception in a slot, a paint or an event handler is shown,
logged and survived.

PySide hands an exception raised in Python code called from Qt (a slot, a virtual such as
`paintEvent`, a timer) to `sys.excepthook` and carries on with the event loop.  The default hook
only prints to a console nobody sees, so the user would notice nothing until something stops
working.  `install_exception_hook` replaces it: the traceback goes to a timestamped log file,
and a dialog names the one-line reason, where the log is, and offers "Copy details" — while the
window, its document and its undo history stay as they were, so the work can still be saved.

One exception tends to come with more (a paint that raises raises on every repaint; an event
handler can fire again while the dialog's own event loop runs), so while a dialog is open, and
for the same error shortly after it was shown, further exceptions are logged but never stack
another dialog.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Callable

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QStyle, QVBoxLayout, QWidget)

MAX_LOG_BYTES = 2 * 1024 * 1024  # a paint raising on every frame must not fill the disk
REPEAT_QUIET_SECONDS = 30.0  # the same error again this soon is logged, not shown again
MAX_REASON_LENGTH = 300


@dataclass(frozen=True)
class CrashReport:
    """What the dialog shows: the one-line `reason`, the full `details` (for the clipboard) and
    the log file they were written to (None, with `log_error` saying why, if it could not be)."""

    reason: str
    details: str
    log_path: Path | None
    log_error: str | None = None


Dialog = Callable[[CrashReport, "QWidget | None"], None]


def default_log_dir() -> Path:
    """The per-user application data folder Qt names for this app (e.g. ~/.local/share/cgeditor)."""
    base = QStandardPaths.writableLocation(QStandardPaths.AppLocalDataLocation)
    if not base:
        base = os.path.join(os.path.expanduser("~"), ".cgeditor")
    return Path(base) / "logs"


def one_line_reason(exc_type: type[BaseException], exc: BaseException | None) -> str:
    """`ValueError: bad thing`, first line only, shortened: what the dialog's headline says."""
    try:
        text = str(exc).strip() if exc is not None else ""
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails still gets its dialog
        text = ""
    text = text.splitlines()[0] if text else ""
    reason = f"{exc_type.__name__}: {text}" if text else exc_type.__name__
    if len(reason) > MAX_REASON_LENGTH:
        reason = reason[:MAX_REASON_LENGTH - 1] + "…"
    return reason


class ExceptionGuard(QObject):
    """The installed hook.  `dialog` is swappable (tests record instead of blocking on a modal)."""

    _from_thread = Signal(object, object, object)  # exceptions of other threads reach the GUI here

    def __init__(self, app: QApplication, log_dir: Path | str | None = None,
                 dialog: Dialog | None = None):
        super().__init__(app)
        self.app = app
        self.log_dir = Path(log_dir) if log_dir is not None else default_log_dir()
        self.dialog: Dialog | None = dialog
        self.log_path: Path | None = None  # one file per session, created at the first exception
        self.count = 0
        self._showing = False
        self._last_shown: dict[str, float] = {}
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._from_thread.connect(self.handle, Qt.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        """Put back the hooks that were there before (tests install and remove one per test)."""
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_thread_hook

    def handle(self, exc_type: type[BaseException], exc: BaseException | None,
               tb: TracebackType | None) -> None:
        """Log the exception and, unless one is already open or this error was just shown, show
        the dialog.  Never raises: a failing hook would be the very crash it exists to prevent."""
        try:
            if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal is no error
                self._previous_hook(exc_type, exc, tb)
                return
            self.count += 1
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            log_error = self._write_log(details)
            _echo(details)
            report = CrashReport(one_line_reason(exc_type, exc), details, self.log_path, log_error)
            if self._should_show(report, tb):
                self._show(report)
        except Exception:  # noqa: BLE001 - last line of defence; print and keep the app alive
            _echo("cgeditor: the error handler itself failed:\n" + traceback.format_exc())

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if threading.current_thread() is threading.main_thread():
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)
        else:  # a dialog may only be shown from the GUI thread: queue it there
            self._from_thread.emit(args.exc_type, args.exc_value, args.exc_traceback)

    def _should_show(self, report: CrashReport, tb: TracebackType | None) -> bool:
        if self.dialog is None or self._showing:
            return False
        where = traceback.extract_tb(tb)[-1] if tb is not None else None
        key = f"{report.reason}@{where.filename}:{where.lineno}" if where else report.reason
        now = time.monotonic()
        last = self._last_shown.get(key)
        if last is not None and now - last < REPEAT_QUIET_SECONDS:
            return False
        self._last_shown[key] = now
        return True

    def _show(self, report: CrashReport) -> None:
        self._showing = True
        try:
            self.dialog(report, self.app.activeWindow())
        finally:
            self._showing = False

    def _write_log(self, details: str) -> str | None:
        """Append to this session's log file; returns why it could not, or None."""
        try:
            if self.log_path is None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                self.log_path = self.log_dir / f"crash-{stamp}-{os.getpid()}.log"
                header = (f"cgeditor error log, started {datetime.datetime.now().isoformat()}\n"
                          f"Python {sys.version.split()[0]}, PySide6 {PYSIDE_VERSION}, "
                          f"{platform.platform()}\n")
                self.log_path.write_text(header, encoding="utf-8")
            size = self.log_path.stat().st_size
            if size > MAX_LOG_BYTES:
                return None  # already full: the first errors are the ones worth reading
            with open(self.log_path, "a", encoding="utf-8", errors="backslashreplace") as f:
                f.write(f"\n--- error {self.count} at {datetime.datetime.now().isoformat()} ---\n")
                f.write(details)
                if size + len(details) > MAX_LOG_BYTES:
                    f.write("\n--- log full: later errors are not recorded ---\n")
            return None
        except OSError as e:
            return f"cannot write the log in {self.log_dir}: {e.strerror or e}"


def install_exception_hook(app: QApplication, log_dir: Path | str | None = None,
                           show_dialog: bool = True, dialog: Dialog | None = None) -> ExceptionGuard:
    """Route every uncaught exception (GUI thread or other threads) to a log file and, when
    `show_dialog`, to `dialog` (the real error dialog unless a test passes its own)."""
    chosen = (dialog or show_error_dialog) if show_dialog else None
    guard = ExceptionGuard(app, log_dir, chosen)
    guard.install()
    return guard


class ErrorDialog(QDialog):
    """The reason in one line, where the log is, and "Copy details" (which leaves it open)."""

    def __init__(self, report: CrashReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("cgeditor: something went wrong")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignTop)
        self.reason_label = QLabel(f"<b>An internal error occurred:</b><br>{_escape(report.reason)}")
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        where = (f"The details were written to {report.log_path}." if report.log_path is not None
                 and report.log_error is None else f"No log was written ({report.log_error}).")
        self.info_label = QLabel("Your graph is unchanged by this error and can still be saved. "
                                 + where)
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        self.copy_button = self.buttons.addButton("Copy details", QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.accepted.connect(self.accept)
        text = QVBoxLayout()
        text.addWidget(self.reason_label)
        text.addWidget(self.info_label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def copy_details(self) -> None:
        where = f"Log: {self.report.log_path}\n" if self.report.log_path else ""
        QGuiApplication.clipboard().setText(where + self.report.details)
        self.copy_button.setText("Copied")


def show_error_dialog(report: CrashReport, parent: QWidget | None = None) -> None:
    ErrorDialog(report, parent).exec()


def _echo(text: str) -> None:
    """Print to stderr when there is one (a windowed app on Windows has none)."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(text)
    except (OSError, ValueError):
        pass


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

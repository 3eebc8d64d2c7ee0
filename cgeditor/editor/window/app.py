"""Starting the editor: the application object, its icon, and the first document."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from cgeditor.model.fileformat import DocumentError
from cgeditor.resources import example_path

from cgeditor.editor.document.recovery import RecoveryInfo, ask_keep_aside, ask_restore, find_recovery
from cgeditor.editor.window.exception_guard import install_exception_hook
from cgeditor.editor.document.document import Document
from cgeditor.editor.window.file_dialogs import show_error
from cgeditor.editor.window.main_window import MainWindow


def run(path: str | None) -> int:
    """Open `path` (or the chain-rule example) in a window and run until it closes.

    A file that cannot be loaded (typed on the command line or passed by a desktop launcher) opens
    the window on an empty document with a dialog naming the problem, never a silent exit.  Work
    left by a killed session is offered back first, and from then on exceptions end in a dialog
    and a log.
    """
    problem = None
    try:
        document = Document.open(path if path is not None else example_path())
    except DocumentError as e:
        document, problem = Document(), str(e)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cgeditor")
    app.setOrganizationName("cgeditor")
    app.setWindowIcon(app_icon())
    guard = install_exception_hook(app)
    recovery = find_recovery()
    restored = _restored(recovery) if recovery is not None else None
    if restored is not None:
        document = restored
    window = MainWindow(document)
    if path is not None and restored is None and problem is None:
        window.recent.add(document.path)
    if restored is not None:
        window.autosaver.take_over(recovery)  # removes the old files once the new ones are on disk
    window.show()  # the view fits the graph when first shown
    if problem is not None:
        QTimer.singleShot(0, lambda: show_error(window, "Cannot open graph", problem))
    try:
        return app.exec()
    finally:
        guard.uninstall()


def _restored(recovery: RecoveryInfo) -> Document | None:
    """The recovered document if the user wants it and it can be read.  An unreadable one is
    kept aside (or deleted) at the user's word, so it never stops the editor from starting."""
    if not ask_restore(None, recovery):
        recovery.discard()
        return None
    try:
        return recovery.restore()
    except DocumentError as e:
        if ask_keep_aside(None, recovery, str(e)):
            try:
                recovery.keep_aside()
            except OSError as failure:
                print(f"cgeditor: cannot keep {recovery.path} aside: {failure.strerror}", file=sys.stderr)
        else:
            recovery.discard()
        return None


def app_icon() -> QIcon:
    """Two inputs wired into an op, drawn rather than shipped as a file."""
    icon = QIcon()
    for size in (16, 32, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        p.scale(size / 64, size / 64)
        p.setPen(QPen(QColor("#5b6b7f"), 4))
        for y in (16, 48):
            p.drawLine(QPointF(18, y), QPointF(38, 32))
        p.setPen(Qt.NoPen)
        p.setBrush(QColor("#3d7bd9"))
        p.drawEllipse(QPointF(13, 16), 10, 10)
        p.drawEllipse(QPointF(13, 48), 10, 10)
        p.setBrush(QColor("#e8833a"))
        p.drawRoundedRect(QRectF(34, 20, 26, 24), 6, 6)
        p.end()
        icon.addPixmap(pixmap)
    return icon

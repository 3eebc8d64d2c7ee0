"""An exception in a slot, a paint or a thread is shown, logged and survived.

pytest-qt normally swaps `sys.excepthook` for its own during each test (to fail the test on an
exception inside Qt); `qt_no_exception_capture` turns that off so the hook under test is the one
PySide really calls.  The dialog is injected: it records the report instead of blocking on a
modal, and one test drives the real dialog separately.
"""

import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from cgeditor.editor.window.exception_guard import CrashReport, ErrorDialog, install_exception_hook
from cgeditor.editor.document.document import Document
from cgeditor.editor.window.main_window import MainWindow
from cgeditor.model import fileformat
from cgeditor.model.graph import NodeKind
from cgeditor.resources import example_path

pytestmark = pytest.mark.qt_no_exception_capture


class Recorder:
    """Stands in for the modal dialog; `during` runs while the 'dialog' is open."""

    def __init__(self, during=None):
        self.reports: list[CrashReport] = []
        self.during = during

    def __call__(self, report, parent):
        self.reports.append(report)
        if self.during is not None:
            self.during()


@pytest.fixture
def guard_factory(qapp, tmp_path):
    guards = []

    def make(dialog, log_dir=None, show_dialog=True):
        guard = install_exception_hook(qapp, log_dir or tmp_path / "logs", show_dialog, dialog)
        guards.append(guard)
        return guard

    yield make
    for guard in guards:
        guard.uninstall()
        guard.deleteLater()


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document.open(example_path()), settings=settings)
    qtbot.addWidget(win)
    win.show()
    return win


def _raise_in_handler():
    raise RuntimeError("handler failed on purpose\nsecond line stays in the details")


def test_exception_in_clicked_slot_shows_dialog_writes_log_and_keeps_document_saveable(
        qtbot, window, guard_factory, tmp_path):
    recorder = Recorder()
    guard = guard_factory(recorder)
    button = QPushButton("boom", window)
    button.clicked.connect(_raise_in_handler)
    button.show()
    before = fileformat.dumps(window.document.graph)

    qtbot.mouseClick(button, Qt.LeftButton)

    assert [r.reason for r in recorder.reports] == ["RuntimeError: handler failed on purpose"]
    report = recorder.reports[0]
    assert report.log_path is not None and report.log_path.parent == tmp_path / "logs"
    log = report.log_path.read_text(encoding="utf-8")
    assert "Traceback" in log and "_raise_in_handler" in log and "second line stays" in log
    # the window and its document carry on: unchanged, editable, undoable, saveable
    assert window.isVisible()
    assert fileformat.dumps(window.document.graph) == before
    node = window.document.add_node(NodeKind.VARIABLE, pos=(10, 10))
    window.document.undo_stack.undo()
    window.document.undo_stack.redo()
    window.document.save(tmp_path / "after.cgraph")
    assert node in fileformat.load(tmp_path / "after.cgraph")
    assert guard.count == 1


def test_exception_in_timer_slot_reaches_the_dialog(qtbot, guard_factory):
    recorder = Recorder()
    guard_factory(recorder)
    QTimer.singleShot(0, _raise_in_handler)
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    assert recorder.reports[0].reason.startswith("RuntimeError: handler failed")


class PaintsBadly(QWidget):
    def paintEvent(self, event):
        raise ZeroDivisionError("paint divided by zero")


def test_paint_that_raises_every_frame_shows_one_dialog_and_logs_each(qtbot, guard_factory):
    recorder = Recorder()
    guard = guard_factory(recorder)
    widget = PaintsBadly()
    qtbot.addWidget(widget)
    widget.resize(80, 60)
    widget.show()
    qtbot.waitUntil(lambda: guard.count >= 1)
    for n in (2, 3):
        widget.update()  # a paint from the event loop (a direct repaint() raises to its caller)
        qtbot.waitUntil(lambda: guard.count >= n)
    assert [r.reason for r in recorder.reports] == ["ZeroDivisionError: paint divided by zero"]
    assert guard.log_path.read_text(encoding="utf-8").count("ZeroDivisionError: paint divided by zero") == guard.count


class KeysBadly(QWidget):
    def keyPressEvent(self, event):
        raise KeyError("no binding for this key")


def test_exception_in_an_event_handler_reaches_the_dialog(qtbot, guard_factory):
    recorder = Recorder()
    guard_factory(recorder)
    widget = KeysBadly()
    qtbot.addWidget(widget)
    widget.show()
    # posted, so the event loop delivers it as it would a real key press (a direct send from
    # Python would hand the exception back to the sender instead)
    QCoreApplication.postEvent(widget, QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier, "a"))
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    assert recorder.reports[0].reason == "KeyError: 'no binding for this key'"
    assert widget.isVisible()


def test_exception_while_the_dialog_is_open_is_logged_without_a_second_dialog(qtbot, guard_factory):
    def another_error_meanwhile():
        QTimer.singleShot(0, lambda: 1 / 0)
        qtbot.waitUntil(lambda: guard.count == 2)  # runs the event loop, as a modal dialog does

    recorder = Recorder(during=another_error_meanwhile)
    guard = guard_factory(recorder)
    QTimer.singleShot(0, _raise_in_handler)
    qtbot.waitUntil(lambda: guard.count == 2)
    assert len(recorder.reports) == 1
    log = guard.log_path.read_text(encoding="utf-8")
    assert "handler failed on purpose" in log and "ZeroDivisionError" in log


def test_a_different_error_after_the_dialog_closed_gets_its_own_dialog(qtbot, guard_factory):
    recorder = Recorder()
    guard_factory(recorder)
    QTimer.singleShot(0, _raise_in_handler)
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    QTimer.singleShot(0, lambda: {}["missing key"])
    qtbot.waitUntil(lambda: len(recorder.reports) == 2)
    assert recorder.reports[1].reason == "KeyError: 'missing key'"
    assert recorder.reports[1].log_path == recorder.reports[0].log_path  # one log per session


def test_exception_in_another_thread_is_shown_from_the_gui_thread(qtbot, guard_factory):
    shown_in: list[threading.Thread] = []
    recorder = Recorder(during=lambda: shown_in.append(threading.current_thread()))
    guard_factory(recorder)
    worker = threading.Thread(target=_raise_in_handler)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    assert shown_in == [threading.main_thread()]


def test_unwritable_log_folder_still_shows_the_dialog_saying_why(qtbot, guard_factory, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the log folder should be")
    recorder = Recorder()
    guard_factory(recorder, log_dir=blocker / "logs")
    QTimer.singleShot(0, _raise_in_handler)
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    report = recorder.reports[0]
    assert report.log_path is None and "cannot write the log" in report.log_error


def test_without_dialog_the_error_is_only_logged(qtbot, guard_factory):
    recorder = Recorder()
    guard = guard_factory(recorder, show_dialog=False)
    QTimer.singleShot(0, _raise_in_handler)
    qtbot.waitUntil(lambda: guard.count == 1)
    assert recorder.reports == []
    assert "handler failed on purpose" in guard.log_path.read_text(encoding="utf-8")


def test_uninstall_puts_back_the_previous_hooks(qapp, tmp_path):
    before, before_thread = sys.excepthook, threading.excepthook
    guard = install_exception_hook(qapp, tmp_path, dialog=Recorder())
    assert sys.excepthook == guard.handle
    guard.uninstall()
    guard.deleteLater()
    assert sys.excepthook is before and threading.excepthook is before_thread


def test_error_dialog_copy_details_puts_the_traceback_on_the_clipboard_and_stays_open(qtbot, tmp_path):
    report = CrashReport("RuntimeError: boom", "Traceback (most recent call last):\n  ...\nRuntimeError: boom\n",
                         tmp_path / "crash-1.log")
    dialog = ErrorDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "RuntimeError: boom" in dialog.reason_label.text()
    assert str(tmp_path / "crash-1.log") in dialog.info_label.text()
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    clip = QGuiApplication.clipboard().text()
    assert "Traceback (most recent call last)" in clip and str(tmp_path / "crash-1.log") in clip
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert not dialog.isVisible()


def test_real_dialog_opens_from_the_hook_and_closes_with_ok(qtbot, guard_factory, tmp_path):
    """The default dialog, not a stand-in: close it from a timer once it is up."""
    guard = install_exception_hook(QApplication.instance(), tmp_path / "logs")
    try:
        seen = []

        def close_when_up():
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, ErrorDialog):
                QTimer.singleShot(10, close_when_up)
                return
            seen.append(dialog.reason_label.text())
            dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

        QTimer.singleShot(0, close_when_up)
        QTimer.singleShot(0, _raise_in_handler)
        qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
        assert "handler failed on purpose" in seen[0]
    finally:
        guard.uninstall()
        guard.deleteLater()

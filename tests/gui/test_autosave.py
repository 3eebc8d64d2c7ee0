"""Autosave: unsaved work survives a kill and is offered back; a clean close leaves nothing.

The full cycle runs in a real subprocess (tests/helpers/autosave_victim.py) that is SIGKILLed
while it is editing; the rest drives an `Autosaver` in this process.
"""

import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cgeditor.editor.document import autosave
from cgeditor.editor.document import recovery as recovery_files
from cgeditor.editor.document.autosave import Autosaver
from cgeditor.editor.document.recovery import find_recovery
from cgeditor.editor.document.document import Document
from cgeditor.model import fileformat
from cgeditor.model.graph import NodeKind
from cgeditor.resources import example_path

HELPER = Path(__file__).parents[1] / "helpers" / "autosave_victim.py"
SAVES_BEFORE_KILL = 3

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture
def work_file(tmp_path):
    path = tmp_path / "work.cgraph"
    shutil.copy(example_path(), path)
    return path


def _start_victim(recovery: Path, document: Path, mode: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, str(HELPER), str(recovery), str(document), mode],
                            stdout=subprocess.PIPE, text=True, env=env)


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@posix_only
def test_killed_mid_edit_the_next_start_finds_a_recovery_with_the_edits(tmp_path, work_file):
    recovery = tmp_path / "recovery"
    proc = _start_victim(recovery, work_file, "kill")
    saved = []
    try:
        while len(saved) < SAVES_BEFORE_KILL:
            line = proc.stdout.readline()
            assert line, "the helper exited before autosaving"
            saved.append(line.split()[1])
    finally:
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    saved += [line.split()[1] for line in rest.splitlines() if line.startswith("saved ")]

    info = find_recovery(recovery)
    assert info is not None
    assert info.original == work_file
    assert hashlib.sha256(info.path.read_bytes()).hexdigest() in saved  # a whole snapshot
    graph = info.load()
    edited = [n for n in graph if n.label == "edited"]
    assert len(edited) == 1 and edited[0].value >= 1.0  # the added node and a later value edit
    original = fileformat.load(work_file)
    assert all(node_id in graph for node_id in original.nodes)
    assert "edited" not in {n.label for n in original}  # the user's own file was never touched


@posix_only
def test_restoring_a_recovery_gives_a_modified_document_saving_to_the_original(
        qtbot, tmp_path, work_file):
    recovery = tmp_path / "recovery"
    proc = _start_victim(recovery, work_file, "kill")
    try:
        assert proc.stdout.readline().startswith("saved ")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    info = find_recovery(recovery)
    document = info.restore()
    assert document.is_modified() and document.path == work_file
    assert any(n.label == "edited" for n in document.graph)
    assert find_recovery(recovery) == info  # kept until the new session's copy is on disk
    autosaver = Autosaver(document, recovery)
    with qtbot.waitSignal(autosaver.saved):
        autosaver.take_over(info)  # the recovered work is on disk again at once
    assert any(n.label == "edited" for n in fileformat.load(autosaver.path))
    assert sorted(p.name for p in recovery.iterdir()) == sorted([autosaver.path.name, autosaver.sidecar.name])
    document.save()
    assert not autosaver.path.exists()
    assert any(n.label == "edited" for n in fileformat.load(work_file))


def test_clean_close_removes_the_recovery(tmp_path, work_file):
    recovery = tmp_path / "recovery"
    proc = _start_victim(recovery, work_file, "close")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert out.startswith("saved ") and "closed" in out
    assert find_recovery(recovery) is None
    assert list(recovery.iterdir()) == []


# -- in this process ---------------------------------------------------------------------


@pytest.fixture
def document(qapp, work_file):
    doc = Document.open(work_file)
    yield doc
    doc.deleteLater()


def test_timer_writes_unsaved_changes_with_a_sidecar_naming_the_file(qtbot, document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec", interval_ms=10)
    document.add_node(NodeKind.VARIABLE, pos=(0, 400), label="typed")
    with qtbot.waitSignal(autosaver.saved, timeout=5000) as blocker:
        pass
    assert blocker.args == [autosaver.path]
    assert fileformat.load(autosaver.path) == document.graph
    sidecar = json.loads(autosaver.sidecar.read_text())
    assert sidecar["original"] == str(document.path) and sidecar["pid"] == os.getpid()


def test_losing_focus_autosaves_at_once(qtbot, document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec", interval_ms=3_600_000)
    document.set_value("x", 7.5)
    with qtbot.waitSignal(autosaver.saved, timeout=1000):
        QApplication.instance().applicationStateChanged.emit(Qt.ApplicationInactive)
    assert fileformat.load(autosaver.path).node("x").value == 7.5


def test_unmodified_document_writes_nothing(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    assert autosaver.save_now() is False
    assert not (tmp_path / "rec").exists()


def test_no_second_write_without_a_new_change(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    assert autosaver.save_now() is True
    assert autosaver.save_now() is False
    document.set_value("x", 5.0)
    assert autosaver.save_now() is True


def test_saving_the_document_removes_its_recovery(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    autosaver.save_now()
    autosaver.wait()  # the write runs on a worker thread
    assert autosaver.path.exists()
    document.save()
    assert not autosaver.path.exists() and not autosaver.sidecar.exists()


def test_undoing_back_to_the_saved_state_removes_the_recovery(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    autosaver.save_now()
    autosaver.wait()  # the write runs on a worker thread
    document.undo_stack.undo()
    assert not autosaver.path.exists()
    assert autosaver.save_now() is False


def test_unwritable_recovery_folder_reports_and_keeps_editing(qtbot, document, tmp_path):
    blocker = tmp_path / "file_not_folder"
    blocker.write_text("x")
    autosaver = Autosaver(document, blocker / "rec")
    document.set_value("x", 4.0)
    with qtbot.waitSignal(autosaver.failed) as failure:
        assert autosaver.save_now() is True  # started; it fails on the worker thread
    assert failure.args[0].startswith("autosave failed")
    document.set_value("x", 6.0)
    assert document.graph.node("x").value == 6.0


def test_own_running_session_is_not_offered_as_a_recovery(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    autosaver.save_now()
    autosaver.wait()  # the write runs on a worker thread
    assert find_recovery(tmp_path / "rec") is None


def _leave_recovery(folder: Path, stem: str, saved_at: datetime.datetime, recovery_name=None,
                    original="/somewhere/graph.cgraph") -> None:
    folder.mkdir(exist_ok=True)
    shutil.copy(example_path(), folder / f"{stem}.cgraph")
    (folder / f"{stem}.json").write_text(json.dumps({
        "format": "cgeditor-recovery", "pid": _dead_pid(), "original": original,
        "recovery": recovery_name or f"{stem}.cgraph", "saved_at": saved_at.isoformat()}))


def test_find_recovery_offers_the_newest_dead_session(tmp_path):
    now = datetime.datetime.now()
    _leave_recovery(tmp_path, "autosave-1-1", now - datetime.timedelta(hours=1))
    _leave_recovery(tmp_path, "autosave-2-1", now, original=None)
    info = find_recovery(tmp_path)
    assert info.path.name == "autosave-2-1.cgraph" and info.original is None
    assert "untitled" in info.describe()


@pytest.mark.parametrize("sidecar", [
    "not json", "[]", '{"format": "other"}',
    '{"format": "cgeditor-recovery", "pid": "1", "recovery": "a.cgraph", "saved_at": "2020-01-01"}',
    '{"format": "cgeditor-recovery", "pid": 1, "recovery": "a.cgraph", "saved_at": 5}',
])
def test_unreadable_sidecars_are_ignored(tmp_path, sidecar):
    (tmp_path / "autosave-9-9.json").write_text(sidecar)
    assert find_recovery(tmp_path) is None


@pytest.mark.parametrize("name", ["../outside.cgraph", "/etc/passwd", "sub/a.cgraph", "a.txt"])
def test_sidecar_never_points_outside_the_recovery_folder(tmp_path, name):
    (tmp_path / "outside.cgraph").write_text(example_path().read_text())
    rec = tmp_path / "rec"
    _leave_recovery(rec, "autosave-1-1", datetime.datetime.now(), recovery_name=name)
    assert find_recovery(rec) is None


# -- who owns a recovery -----------------------------------------------------------------------


def _live_stranger():
    return subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)


def _owned_by(folder: Path, **owner) -> None:
    _leave_recovery(folder, "autosave-5-1", datetime.datetime.now())
    sidecar = folder / "autosave-5-1.json"
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), **owner}))


needs_proc = pytest.mark.skipif(recovery_files._start_time(os.getpid()) is None, reason="needs /proc")


@needs_proc
def test_a_live_owner_with_its_own_start_time_keeps_its_recovery(tmp_path):
    stranger = _live_stranger()
    try:
        _owned_by(tmp_path, pid=stranger.pid, boot_id=recovery_files._boot_id(),
                  started=recovery_files._start_time(stranger.pid))
        assert find_recovery(tmp_path) is None  # another window's, still running
    finally:
        stranger.kill()
        stranger.wait()


@needs_proc
@pytest.mark.parametrize("reused", ["start time", "boot"])
def test_a_pid_now_owned_by_another_process_is_offered(tmp_path, reused):
    stranger = _live_stranger()
    try:
        owner = {"pid": stranger.pid, "boot_id": recovery_files._boot_id(),
                 "started": recovery_files._start_time(stranger.pid)}
        if reused == "boot":
            owner["boot_id"] = "another-boot"
        else:
            owner["started"] -= 1
        _owned_by(tmp_path, **owner)
        assert find_recovery(tmp_path) is not None
    finally:
        stranger.kill()
        stranger.wait()


def test_without_proc_the_pid_alone_decides(tmp_path, monkeypatch):
    monkeypatch.setattr(recovery_files, "_PROC", tmp_path / "no-proc")
    stranger = _live_stranger()
    try:
        _owned_by(tmp_path / "live", pid=stranger.pid, boot_id="x", started=1)
        _owned_by(tmp_path / "dead", pid=_dead_pid(), boot_id="x", started=1)
        assert find_recovery(tmp_path / "live") is None
        assert find_recovery(tmp_path / "dead") is not None
    finally:
        stranger.kill()
        stranger.wait()


def test_sidecars_name_the_owner_by_pid_boot_and_start_time(document, tmp_path):
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    autosaver.save_now()
    autosaver.wait()  # the write runs on a worker thread
    data = json.loads(autosaver.sidecar.read_text())
    assert (data["pid"], data["boot_id"], data["started"]) == (
        os.getpid(), recovery_files._boot_id(), recovery_files._start_time(os.getpid()))


# -- an unreadable recovery, in the real dialog ------------------------------------------------


@pytest.fixture
def torn_recovery(tmp_path, monkeypatch):
    from cgeditor.editor.window import app as app_module

    folder = tmp_path / "rec"
    _leave_recovery(folder, "autosave-7-1", datetime.datetime.now())
    (folder / "autosave-7-1.cgraph").write_text("{ torn", encoding="utf-8")
    monkeypatch.setattr(app_module, "find_recovery", lambda: find_recovery(folder))
    monkeypatch.setattr(app_module, "ask_restore", lambda parent, info: True)
    return folder


def _start_and_close(qapp, answer) -> list[str]:
    """run() with `answer` clicked in the first message box; its text and informative text."""
    from cgeditor.editor.window.app import run
    from cgeditor.editor.window.main_window import MainWindow

    seen = []
    earlier = set(QApplication.topLevelWidgets())  # windows other tests left, hidden

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(f"{box.text()} | {box.informativeText()}")
            box.button(answer).click()
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                       and w.isVisible() and w not in earlier), None)
        if window is None:
            QTimer.singleShot(5, poll)
            return
        seen.append(window.windowTitle())
        window.close()  # the last window: the application quits

    QTimer.singleShot(0, poll)
    assert run(None) == 0
    return seen


def test_an_unreadable_recovery_is_kept_aside_where_the_dialog_says(qapp, torn_recovery):
    seen = _start_and_close(qapp, QMessageBox.Yes)
    aside = torn_recovery / "unreadable-autosave-7-1.cgraph"
    assert seen[0].startswith("The unsaved changes to graph.cgraph") and "cannot be read" in seen[0]
    assert str(aside) in seen[0]
    assert seen[1] == "chain_rule.cgraph[*] — cgeditor"  # started normally, on the usual document
    assert aside.read_text(encoding="utf-8") == "{ torn"
    assert find_recovery(torn_recovery) is None


def test_an_unreadable_recovery_can_be_discarded_instead(qapp, torn_recovery):
    seen = _start_and_close(qapp, QMessageBox.Discard)
    assert "cannot be read" in seen[0] and seen[1] == "chain_rule.cgraph[*] — cgeditor"
    assert list(torn_recovery.iterdir()) == []


# -- when and where autosaves are written ---------------------------------------------------


def test_the_clock_starts_at_the_first_edit_not_when_the_window_opens(document, tmp_path):
    interval = 3_600_000
    autosaver = Autosaver(document, tmp_path / "rec", interval_ms=interval)
    assert not autosaver.timer.isActive()  # opened and untouched: nothing is due
    document.set_value("x", 4.0)
    assert autosaver.timer.isActive() and autosaver.timer.remainingTime() > interval - 60_000
    first_due = autosaver.timer.remainingTime()
    document.set_value("x", 5.0)
    assert autosaver.timer.remainingTime() <= first_due  # later edits do not push it back
    autosaver.save_now()
    autosaver.wait()
    assert not autosaver.timer.isActive()
    document.set_value("x", 6.0)
    assert autosaver.timer.isActive()  # the next unsaved edit starts it again


class HeldWrites:
    """Stands in for the autosave's file writes: each blocks until released, and the most
    writes ever under way at once is counted."""

    def __init__(self, monkeypatch):
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.active = self.most = 0
        self.started = threading.Event()
        real_save = fileformat.save

        def held_save(graph, path, **kwargs):
            with self.lock:
                self.active += 1
                self.most = max(self.most, self.active)
            self.started.set()
            self.release.wait()
            try:
                real_save(graph, path, **kwargs)
            finally:
                with self.lock:
                    self.active -= 1

        monkeypatch.setattr(autosave.fileformat, "save", held_save)


def test_the_write_happens_off_the_gui_thread_and_saves_the_state_it_was_asked_for(
        qtbot, document, tmp_path, monkeypatch):
    held = HeldWrites(monkeypatch)
    autosaver = Autosaver(document, tmp_path / "rec")
    document.set_value("x", 4.0)
    assert autosaver.save_now() is True  # returned while the write is still held
    assert held.started.wait(timeout=60) and not autosaver.path.exists()
    document.set_value("x", 99.0)  # editing goes on meanwhile
    with qtbot.waitSignal(autosaver.saved, timeout=60_000):
        held.release.set()
    assert fileformat.load(autosaver.path).node("x").value == 4.0  # the snapshot, not the later edit


def test_two_writes_never_overlap_and_the_newest_waiting_one_wins(qtbot, document, tmp_path,
                                                                  monkeypatch):
    held = HeldWrites(monkeypatch)
    autosaver = Autosaver(document, tmp_path / "rec")
    saves = []
    autosaver.saved.connect(lambda path: saves.append(fileformat.load(path).node("x").value))
    for value in (4.0, 5.0, 6.0):
        document.set_value("x", value)
        assert autosaver.save_now() is True
    assert held.started.wait(timeout=60)
    held.release.set()
    qtbot.waitUntil(lambda: len(saves) == 2, timeout=60_000)
    autosaver.wait()
    assert saves == [4.0, 6.0] and held.most == 1  # 5.0 was overtaken while it waited


def test_discarding_during_a_write_leaves_no_file_behind(qtbot, document, tmp_path, monkeypatch):
    held = HeldWrites(monkeypatch)
    autosaver = Autosaver(document, tmp_path / "rec")
    saves = []
    autosaver.saved.connect(saves.append)
    document.set_value("x", 4.0)
    autosaver.save_now()
    assert held.started.wait(timeout=60)
    held.release.set()
    autosaver.discard()  # waits for the write under way, then removes what it wrote
    assert not autosaver.path.exists() and not autosaver.sidecar.exists()
    QApplication.processEvents()  # the write's late report is ignored
    assert saves == [] and not autosaver.path.exists()


def test_closing_the_window_waits_for_the_write_and_leaves_no_recovery(qtbot, make_window, work_file,
                                                                       tmp_path, monkeypatch):
    held = HeldWrites(monkeypatch)
    window = make_window(Document.open(work_file))
    window.document.set_value("x", 4.0)
    assert window.autosaver.save_now() is True
    assert held.started.wait(timeout=60)
    held.release.set()
    window.ask_save_changes = lambda *args: QMessageBox.Discard
    window.close()
    assert not window.autosaver.path.exists() and not window.autosaver.sidecar.exists()


def test_a_document_deleted_while_its_autosave_is_written_is_no_crash(qtbot, work_file, tmp_path,
                                                                       monkeypatch):
    held = HeldWrites(monkeypatch)
    doc = Document.open(work_file)
    autosaver = Autosaver(doc, tmp_path / "rec")
    doc.set_value("x", 4.0)
    autosaver.save_now()
    assert held.started.wait(timeout=60)
    writer = next(t for t in threading.enumerate() if t.name == "autosave")
    shiboken6.delete(doc)  # and its autosaver with it, the write still under way
    held.release.set()
    writer.join(timeout=60)
    QApplication.processEvents()  # the write's end reaches nobody
    assert not writer.is_alive()
    assert fileformat.load(next((tmp_path / "rec").glob("autosave-*.cgraph"))).node("x").value == 4.0

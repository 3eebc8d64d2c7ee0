"""Recovery end to end: real editor processes (tests/helpers/editor_session.py, started as
`cgeditor FILE`) killed with SIGKILL, then started again on the recovery they left.

Pinned: a kill between restoring and the next autosave loses nothing; restored work survives
kill after kill; an unreadable recovery is kept aside and the editor starts (it used to exit
with status 2 at every start); a recovery whose pid now names a live, unrelated process is
still offered.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cgeditor.editor.document.recovery import find_recovery
from cgeditor.model import fileformat
from cgeditor.resources import example_path

HELPER = Path(__file__).parents[1] / "helpers" / "editor_session.py"
CYCLES = 5  # restore-edit-kill rounds in a row
WAIT_S = 120  # a generous bound for one line from a starting editor on a loaded machine

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Session:
    """One editor process; `expect(prefix)` waits for (and returns) its next line with it."""

    def __init__(self, home: Path, document: Path, answer: str, mode: str):
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen([sys.executable, str(HELPER), str(document), answer, mode],
                                     stdout=subprocess.PIPE, text=True, env=env)
        _STARTED.append(self.proc)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # end of output

    def expect(self, prefix: str) -> str:
        while True:
            line = self.lines.get(timeout=WAIT_S)
            assert line is not None, f"the editor ended before {prefix!r}; it said {self.seen}"
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=WAIT_S) == -signal.SIGKILL

    def finish(self) -> int:
        return self.proc.wait(timeout=WAIT_S)


_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_session_outlives_its_test():
    """A failed expectation leaves its editor running (a `hold` one never ends): kill it."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=WAIT_S)


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def work_file(tmp_path):
    path = tmp_path / "work.cgraph"
    shutil.copy(example_path(), path)
    return path


def killed_while_editing(home: Path, work_file: Path, answer: str = "yes") -> Path:
    """Start an editor on `work_file`, let it autosave twice, kill it; its recovery folder."""
    session = Session(home, work_file, answer, "edit")
    folder = Path(session.expect("recovery ").split(" ", 1)[1])
    session.expect("saved")
    session.expect("saved")
    session.kill()
    return folder


def edited_labels(folder: Path) -> set[str]:
    info = find_recovery(folder)
    assert info is not None, f"nothing offered in {sorted(p.name for p in folder.iterdir())}"
    return {n.label for n in info.load() if n.label.startswith("edited-")}


def test_a_kill_before_the_restored_work_is_autosaved_again_loses_nothing(home, work_file):
    folder = killed_while_editing(home, work_file)
    first = edited_labels(folder)
    restoring = Session(home, work_file, "yes", "hold")
    restoring.expect("asked-restore")
    restoring.expect("writing")  # the restored document's own autosave has not reached the disk
    restoring.kill()
    assert edited_labels(folder) == first
    assert fileformat.load(work_file) == fileformat.load(example_path())  # the user's file untouched


def test_restored_work_survives_kill_after_kill(home, work_file):
    folder = killed_while_editing(home, work_file)
    for cycle in range(CYCLES):
        session = Session(home, work_file, "yes", "edit")
        session.expect("asked-restore")
        session.expect("window work.cgraph")
        session.expect("saved")
        session.expect("saved")
        session.kill()
        labels = edited_labels(folder)
        assert len(labels) == cycle + 2, labels  # every session's own edits, none lost
        assert len(list(folder.glob("autosave-*.json"))) == 1  # the restored copy was removed


def test_an_unreadable_recovery_is_kept_aside_and_the_editor_starts(home, work_file):
    folder = killed_while_editing(home, work_file)
    info = find_recovery(folder)
    info.path.write_text("{ torn", encoding="utf-8")
    session = Session(home, work_file, "yes", "close")
    session.expect("asked-restore")
    reason = session.expect("asked-keep-aside ")
    assert info.path.name in reason and "JSON" in reason
    session.expect("window work.cgraph")
    session.expect("exit 0")
    assert session.finish() == 0
    aside = folder / f"unreadable-{info.path.name}"
    assert aside.read_text(encoding="utf-8") == "{ torn"
    assert find_recovery(folder) is None and not info.sidecar.exists()


def test_a_recovery_whose_pid_now_names_a_live_process_is_offered(home, work_file):
    folder = killed_while_editing(home, work_file)
    sidecar = next(folder.glob("autosave-*.json"))
    stranger = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                stdin=subprocess.PIPE)
    try:
        data = json.loads(sidecar.read_text())
        data["pid"] = stranger.pid  # the pid reused, as after a reboot; boot and start time kept
        sidecar.write_text(json.dumps(data))
        session = Session(home, work_file, "yes", "close")
        assert "work.cgraph" in session.expect("asked-restore")
        assert session.finish() == 0
    finally:
        stranger.kill()
        stranger.wait()

"""A real editor session, started as `cgeditor FILE` starts it, for tests/gui/test_recovery_kill.py
to kill with SIGKILL.

    editor_session.py DOCUMENT ANSWER MODE

The test gives it a private HOME and XDG_CONFIG_HOME, so its recovery files land in a folder of
the test's own.  The start-up questions are answered ANSWER ("yes" or "no") and reported on
stdout (flushed): `asked-restore`, `asked-keep-aside <reason>`.  Once the window is up it prints
`window <title>`, adds a variable `edited-<pid>` and keeps changing its value; every autosave
(each 20 ms while editing) prints `saved`.  MODE `edit` runs until killed; `hold` makes this
session's autosaves never reach the disk (they block, as on a hung disk, after printing
`writing`), so a kill lands between a restore and the restored work's next autosave; `close`
closes the window (discarding) once it is up, and the process exits with main()'s status.
"""

import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from cgeditor.cli import main  # noqa: E402
from cgeditor.editor.document import autosave, recovery  # noqa: E402
from cgeditor.editor.window import app  # noqa: E402
from cgeditor.model import fileformat  # noqa: E402
from cgeditor.model.graph import NodeKind  # noqa: E402


_SAYING = threading.Lock()


def say(line: str) -> None:
    """One whole line at a time: autosave's writer thread says "writing" while the window
    thread may be saying something else, and `print` writes a line and its end separately."""
    with _SAYING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def session(document: str, answer: str, mode: str) -> int:
    yes = answer == "yes"
    autosave.INTERVAL_MS = 20

    def ask_restore(parent, info):
        say(f"asked-restore {info.describe()}")
        return yes

    def ask_keep_aside(parent, info, reason):
        say(f"asked-keep-aside {reason}")
        return yes

    app.ask_restore, app.ask_keep_aside = ask_restore, ask_keep_aside
    if mode == "hold":
        real_save = fileformat.save

        def hung_save(graph, path, **kwargs):
            if os.path.basename(path).startswith("autosave-"):
                say("writing")
                threading.Event().wait()  # never returns: the disk hangs until the kill
            real_save(graph, path, **kwargs)

        autosave.fileformat.save = hung_save

    class Window(app.MainWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            say(f"recovery {recovery.default_recovery_dir()}")
            self.autosaver.saved.connect(lambda path: say("saved"))
            QTimer.singleShot(0, self.started)

        def started(self):
            say(f"window {self.windowTitle()}")
            if mode == "close":
                self.ask_save_changes = lambda *args: QMessageBox.Discard
                self.close()
                return
            doc = self.document
            node = doc.add_node(NodeKind.VARIABLE, pos=(50, 300), value=0.0, label=f"edited-{os.getpid()}")
            self.editor = QTimer(self)
            self.editor.timeout.connect(lambda: doc.set_value(node, doc.graph.node(node).value + 1.0))
            self.editor.start(5)

    app.MainWindow = Window
    return main([document])


if __name__ == "__main__":
    status = session(*sys.argv[1:])
    say(f"exit {status}")
    sys.exit(status)

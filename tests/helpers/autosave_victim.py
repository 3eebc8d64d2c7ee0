"""A cgeditor session to be killed mid-edit (driven by tests/test_autosave.py).

    autosave_victim.py RECOVERY_DIR DOCUMENT MODE

Opens DOCUMENT offscreen with an Autosaver writing to RECOVERY_DIR every 20 ms, adds a variable
`edited` and keeps changing its value on a timer, so the process is always in the middle of
editing.  After each autosave it prints `saved <sha256 of the saved text>` (flushed), so the
test knows which snapshots were written.  MODE `kill` runs until killed; MODE `close` stops
after the first autosave and closes cleanly (discarding the recovery file).
"""

import hashlib
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cgeditor.editor.document.autosave import Autosaver  # noqa: E402
from cgeditor.editor.document.document import Document  # noqa: E402
from cgeditor.model import fileformat  # noqa: E402
from cgeditor.model.graph import NodeKind  # noqa: E402


def main(recovery_dir: str, document_path: str, mode: str) -> int:
    app = QApplication([])
    document = Document.open(document_path)
    autosaver = Autosaver(document, recovery_dir, interval_ms=20)
    node = document.add_node(NodeKind.VARIABLE, pos=(50, 300), value=0.0, label="edited")
    ticks = [0]

    def edit():
        ticks[0] += 1
        document.set_value(node, float(ticks[0]))

    def report(path):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"saved {digest}", flush=True)
        if mode == "close":
            autosaver.close()  # what the window does on a clean close
            app.quit()

    autosaver.saved.connect(report)
    editor = QTimer()
    editor.timeout.connect(edit)
    editor.start(1)
    app.exec()
    print(f"closed {len(fileformat.load(document_path))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

"""Autosave of a ~200k-node graph: how long the GUI thread is held, before and now.  Prints JSON rows.

Before, the autosave serialised and wrote the whole file on the GUI thread (`fileformat.save`);
now the GUI thread takes a `GraphSnapshot` and a worker thread writes it.  Measured here: that
synchronous save, `Autosaver.save_now()` (the snapshot, all the GUI thread waits for), the time
until `saved`, and the longest gap between 1-ms timer ticks while the worker writes (the event
loop stays responsive, sharing the GIL with the worker).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_evaluator import row, timed  # noqa: E402
from dag import build_graph, random_recipe  # noqa: E402

from cgeditor.editor.document.autosave import Autosaver  # noqa: E402
from cgeditor.editor.document.document import Document  # noqa: E402
from cgeditor.model import fileformat  # noqa: E402


def background_write(autosaver: Autosaver, document: Document, k: int) -> tuple[float, float, float]:
    """(save_now ms, ms until saved, longest event-loop gap ms) for one autosave."""
    document.set_value("x0", float(k))  # something new to save
    document.evaluate_now()  # the edit's own work, done before the clock starts
    loop = QEventLoop()
    ticks: list[float] = []
    gaps = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        if ticks:
            gaps.append(now - ticks[-1])
        ticks.append(now)

    ticker = QTimer()
    ticker.timeout.connect(tick)
    ticker.start(1)
    autosaver.saved.connect(loop.quit)
    t0 = time.perf_counter()
    autosaver.save_now()
    t1 = time.perf_counter()
    ticks.append(t1)  # from here on the gaps are the background write's doing
    loop.exec()
    t2 = time.perf_counter()
    ticker.stop()
    autosaver.saved.disconnect(loop.quit)
    return (t1 - t0) * 1000.0, (t2 - t0) * 1000.0, max(gaps) * 1000.0


def main() -> None:
    n_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 155_000  # with its leaves: ~200k nodes
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    app = QApplication.instance() or QApplication([])  # noqa: F841
    graph = build_graph(random_recipe(n_ops, seed=7))
    n = len(graph)
    with tempfile.TemporaryDirectory() as tmp:
        sync = timed(lambda: fileformat.save(graph, Path(tmp) / "sync.cgraph"), repeats)
        path = Path(tmp) / "big.cgraph"
        fileformat.save(graph, path)
        document = Document.open(path)  # as the editor opens it (the collector set aside)
        autosaver = Autosaver(document, Path(tmp) / "rec", interval_ms=3_600_000)
        runs = [background_write(autosaver, document, k) for k in range(repeats)]
        autosaver.close()
    rows = [
        row(f"autosave {n:,} nodes, before: serialise + write on the GUI thread", "cgeditor", sync),
        row(f"autosave {n:,} nodes, now: GUI thread held (snapshot)", "cgeditor", [r[0] for r in runs]),
        row(f"autosave {n:,} nodes, now: until written in the background", "cgeditor", [r[1] for r in runs]),
        row(f"autosave {n:,} nodes, now: longest event-loop gap while writing", "cgeditor",
            [r[2] for r in runs]),
    ]
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

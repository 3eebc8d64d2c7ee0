"""Whole-graph actions in the editor's main window, at growing sizes, so a quadratic path shows.

Select All + Copy, paste, undo/redo of the paste, duplicate, delete and its undo on an MLP of
n nodes; adding a node and two edges to a large graph.  Each size runs in its own child
processes, `--processes` of them one after another (a step's row is the median of their times:
each process times a step once, and one time alone is at the mercy of the machine), each with a
time limit: an action still running when it is reached is reported as "over T s" and the rest of
that size is skipped in that process.  A step's time runs from triggering the action until the event loop
is idle with the frame painted (as bench_editor.py measures).  Prints JSON rows.

The window is real (xcb) when DISPLAY is set, e.g. under `Xvfb :99`; otherwise offscreen, and
the rows say so.  The children read their bytecode from a cache that one untimed run of each kind
on a small MLP fills first, so no measured step compiles source (see bench_cli.py).
Usage: python bench_actions.py [--sizes 1000,2000,4000,10000] [--add-sizes 10000,100000] [--limit 120]
       [--processes 3]
       python bench_actions.py --child actions|add N FILE   (one size, one JSON line per step)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def platform_name() -> str:
    return "xcb (real window)" if os.environ.get("QT_QPA_PLATFORM") == "xcb" else "offscreen"


def child(kind: str, path: Path) -> None:
    """Open `path` in a main window and run the steps, printing each step's time as it ends."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench_editor import Shown, settle
    from cgeditor.model.graph import NodeKind

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        t0 = time.perf_counter()
        shown = Shown(app, path, settings, "window")
        report("open to first paint", (shown.painted - t0) * 1000.0)
        window, doc, counter = shown.widget, shown.document, shown.counter
        acts = window.window_actions

        def step(name: str, action) -> None:
            since = counter.count
            start = time.perf_counter()
            action()
            report(name, (settle(app, counter, since, shown.scene) - start) * 1000.0)

        def untimed(action) -> None:
            action()
            settle(app, counter, counter.count, shown.scene)

        if kind == "actions":
            step("Select All + Copy", lambda: (acts.select_all.trigger(), acts.copy.trigger()))
            step("paste", acts.paste.trigger)
            step("undo the paste", acts.undo.trigger)
            step("redo the paste", acts.redo.trigger)
            untimed(acts.undo.trigger)
            untimed(acts.select_all.trigger)
            step("duplicate", acts.duplicate.trigger)
            untimed(acts.undo.trigger)
            untimed(acts.select_all.trigger)
            step("delete", acts.delete.trigger)
            step("undo the delete", acts.undo.trigger)
        else:
            sink = doc.graph.output
            leaf = next(n.id for n in doc.graph if n.kind is not NodeKind.OP)
            step("add a node and two edges", lambda: add_node_and_edges(doc, leaf, sink))
        shown.close()


def add_node_and_edges(doc, leaf: str, sink: str) -> None:
    """What a user does with the palette and two wire drags: an add node fed by a leaf and the
    old output, three undo steps."""
    from cgeditor.model.graph import NodeKind

    node_id = doc.add_node(NodeKind.OP, op="add", pos=(0.0, -300.0))
    doc.connect(leaf, node_id, 0)
    doc.connect(sink, node_id, 1)


def report(step: str, ms: float) -> None:
    print(json.dumps({"step": step, "ms": ms}), flush=True)


def run_size(kind: str, path: Path, tag: str, limit: float, env: dict) -> list[dict]:
    """One child process for one size; the steps it finished within `limit` seconds, then one
    row for the step it was in when stopped."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=HERE, env=env)
    try:
        out, err = proc.communicate(timeout=limit)
        stopped = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        stopped = True
    rows, done = [], []
    who = f"cgeditor, {platform_name()}"
    for line in out.splitlines():
        step = json.loads(line)
        done.append(step["step"])
        rows.append({"case": f"editor: {step['step']}, {tag}", "who": who, "median_ms": step["ms"],
                     "min_ms": step["ms"], "max_ms": step["ms"], "runs": 1})
    steps = STEPS[kind]
    left = [s for s in steps if s not in done]
    if left and stopped:
        rows.append({"case": f"editor: {left[0]}, {tag}", "who": who,
                     "skipped": f"over {limit:.0f} s (stopped; the rest of this size not run)"})
    elif left:
        tail = err.strip().splitlines()[-1:] or ["(no message)"]
        rows.append({"case": f"editor: {left[0]}, {tag}", "who": who, "skipped": f"failed: {tail[0]}"})
    return rows


def median_rows(runs: list[list[dict]]) -> list[dict]:
    """One row per step over several processes' rows: the median, min and max of the times
    they took, and, if some were stopped or failed, how many and the first one's reason."""
    by_case: dict[str, list[dict]] = {}
    for rows in runs:
        for row in rows:
            by_case.setdefault(row["case"], []).append(row)
    merged = []
    for rows in by_case.values():
        times = [row["median_ms"] for row in rows if "median_ms" in row]
        if not times:
            merged.append(rows[0])
            continue
        row = {**rows[0], "median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
               "runs": len(times)}
        missed = [r["skipped"] for r in rows if "skipped" in r] + [""] * (len(runs) - len(rows))
        if missed:
            row["note"] = f"{len(missed)} of {len(runs)} processes did not finish it" + (
                f" ({missed[0]})" if missed[0] else "")
        merged.append(row)
    return merged


WARM_UP_SIZE = 2000  # above LAZY_LIMIT: the large-graph paths run (and compile) too


def mlp_file(n: int, tmp: Path) -> tuple[Path, int]:
    """The MLP of about `n` nodes, saved once under `tmp`, and its node count."""
    from bench_editor import mlp_graph

    from cgeditor.model import fileformat

    graph = mlp_graph(n)
    path = tmp / f"mlp{len(graph)}.cgraph"
    if not path.exists():
        fileformat.save(graph, path)
    return path, len(graph)


STEPS = {"actions": ["open to first paint", "Select All + Copy", "paste", "undo the paste", "redo the paste",
                     "duplicate", "delete", "undo the delete"],
         "add": ["open to first paint", "add a node and two edges"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,4000,10000")
    parser.add_argument("--add-sizes", default="10000,100000")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per size")
    parser.add_argument("--processes", type=int, default=3, help="child processes per size")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    from bench_cli import compiled_env

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = compiled_env(Path(tmp))
        kinds = [(kind, [int(s) for s in sizes.split(",") if s])
                 for kind, sizes in (("actions", args.sizes), ("add", args.add_sizes))]
        for kind, sizes in kinds:
            if sizes:
                run_size(kind, mlp_file(WARM_UP_SIZE, Path(tmp))[0], "warm-up", args.limit, env)
        for kind, sizes in kinds:
            for n in sizes:
                path, nodes = mlp_file(n, Path(tmp))
                rows += median_rows([run_size(kind, path, f"{nodes:,}-node MLP", args.limit, env)
                                     for _ in range(args.processes)])
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

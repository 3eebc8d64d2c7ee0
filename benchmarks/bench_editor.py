"""The editor, offscreen: open to first paint, value edit to painted frame, pan and zoom frames, RSS.

The graphs are what engineers paste: an MLP's scalar graph (per neuron: weight × input products,
one add with the bias, a tanh), laid out by `layered_layout` and saved to a file first.  A frame
counts as painted once the view's viewport has processed a paint event.  Prints JSON rows.

Also a file without positions (benchmarks/dag.py's random DAG, as pasted from a script) opened in
the main window to first paint, layout included, each time in a fresh process with its peak RSS.

Usage: python benchmarks/bench_editor.py [--sizes 1000,2000,10000] [--repeats 9]
                                         [--unplaced 1000,10000,100000] [--unplaced-repeats 3]
       python benchmarks/bench_editor.py --rss N   (one fresh process: RSS after first paint)
       python benchmarks/bench_editor.py --open FILE   (one fresh process: ms to first paint, CPU s, peak MB)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # bench_actions.py chooses a real display

from PySide6.QtCore import QEvent, QObject, QSettings  # noqa: E402
from PySide6.QtGui import QPen, QTransform  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView  # noqa: E402

from bench_evaluator import row  # noqa: E402
from dag import build_graph, random_recipe  # noqa: E402

from cgeditor.editor.document.document import Document  # noqa: E402
from cgeditor.editor.document.gc_pause import release  # noqa: E402
from cgeditor.editor.window.main_window import MainWindow  # noqa: E402
from cgeditor.editor.canvas.node_painter import LABEL_MIN_PX  # noqa: E402
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT  # noqa: E402
from cgeditor.editor.canvas.scene import GraphScene  # noqa: E402
from cgeditor.editor.canvas.view import GraphView  # noqa: E402
from cgeditor.model import fileformat  # noqa: E402
from cgeditor.model.graph import Edge, Graph, Node, NodeKind  # noqa: E402
from cgeditor.model.layout import layered_layout  # noqa: E402

WINDOW = (1280, 800)
FRAME_TIMEOUT_S = 60.0
IDLE_ROUNDS = 5
QUIET_S = 0.15  # before each sample: longer than any timer the editor starts after a change


def mlp_graph(n_nodes: int, seed: int = 3) -> Graph:
    """A tanh MLP's scalar graph with about `n_nodes` nodes, summed into one loss, laid out."""
    import random

    rng = random.Random(seed)
    width = 8 if n_nodes <= 3000 else 16
    per_layer = width * (2 * width + 3)
    layers = max(1, round((n_nodes - width) / per_layer))
    g = Graph()
    prev = []
    for i in range(width):
        g.add_node(Node(f"x{i}", NodeKind.VARIABLE, value=rng.uniform(-1, 1)))
        prev.append(f"x{i}")
    for layer in range(layers):
        outs = []
        for j in range(width):
            stem = f"L{layer}n{j}"
            terms = []
            for k, src in enumerate(prev):
                w, m = f"{stem}w{k}", f"{stem}m{k}"
                g.add_node(Node(w, NodeKind.VARIABLE, value=rng.uniform(-1, 1) / width ** 0.5))
                g.add_node(Node(m, NodeKind.OP, op="mul"))
                g.add_edge(Edge(w, m, 0))
                g.add_edge(Edge(src, m, 1))
                terms.append(m)
            b, s, t = f"{stem}b", f"{stem}s", f"{stem}t"
            g.add_node(Node(b, NodeKind.VARIABLE, value=rng.uniform(-0.1, 0.1)))
            g.add_node(Node(s, NodeKind.OP, op="add"))
            for port, src in enumerate([*terms, b]):
                g.add_edge(Edge(src, s, port))
            g.add_node(Node(t, NodeKind.OP, op="tanh"))
            g.add_edge(Edge(s, t, 0))
            outs.append(t)
        prev = outs
    g.add_node(Node("loss", NodeKind.OP, op="add"))
    for port, src in enumerate(prev):
        g.add_edge(Edge(src, "loss", port))
    g.set_output("loss")
    for node_id, pos in layered_layout(g).items():
        g.nodes[node_id].pos = pos
    return g


class PaintCounter(QObject):
    """Counts paint events reaching a widget (the filter runs before the paint itself) and the
    document's evaluations."""

    def __init__(self, widget, document):
        super().__init__(widget)
        self.count = 0
        self.evaluations = self.evaluations_at_start = 0  # the document's re-evaluations
        widget.installEventFilter(self)
        document.evaluated.connect(self._evaluated)

    def _evaluated(self) -> None:
        self.evaluations += 1

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint:
            self.count += 1
        return False


def settle(app: QApplication, counter: PaintCounter, since: int, scene=None) -> float:
    """Run the event loop until it is idle and return when the last piece of work finished
    (perf_counter seconds): the last frame painted after `since`, or, if nothing visible
    changed, the last evaluation.  Idle means no label placement waiting and a few rounds of
    events with no new paint or evaluation."""
    deadline = time.perf_counter() + FRAME_TIMEOUT_S
    done, seen, quiet = time.perf_counter(), (since, counter.evaluations_at_start), 0
    while quiet < IDLE_ROUNDS:
        if time.perf_counter() > deadline:
            raise TimeoutError("the event loop did not settle within a minute")
        app.processEvents()
        now = (counter.count, counter.evaluations)
        if now != seen or (scene is not None and scene.placement_pending()):
            seen, quiet = now, 0
            done = time.perf_counter()
        else:
            quiet += 1
    if counter.count == 0:
        raise TimeoutError("the window never painted")
    counter.evaluations_at_start = counter.evaluations
    return done


class Shown:
    """A document on screen: in the main window (what users get, docks and teaching tools
    included) or as the bare canvas (GraphScene + GraphView, what the canvas alone costs)."""

    def __init__(self, app: QApplication, path: Path, settings: QSettings, kind: str):
        self.app = app
        document = Document.open(path)
        if kind == "window":
            self.widget = MainWindow(document, settings=settings)
            self.scene, self.view = self.widget.scene, self.widget.view
        else:
            self.scene = GraphScene(document, parent=document)
            self.view = self.widget = GraphView(self.scene)
            self.widget.resize(*WINDOW)
        self.document = document
        self.counter = PaintCounter(self.view.viewport(), document)
        self.widget.show()
        self.painted = settle(app, self.counter, 0)

    def close(self) -> None:
        self.document.undo_stack.setClean()
        self.widget.close()
        self.widget.deleteLater()
        if not isinstance(self.widget, MainWindow):  # what the window does when it closes
            self.scene.detach()
            self.document.deleteLater()
            release(self.document)
        self.app.processEvents()
        self.app.sendPostedEvents(None, QEvent.DeferredDelete)


def drain(app: QApplication, seconds: float = QUIET_S) -> None:
    """Let timers that are still due (the minimap's 80 ms resync, a placement) fire now, so they
    do not land in the next sample."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()


def frame_times(app, counter, scene, action, repeats: int) -> list[float]:
    samples = []
    for k in range(repeats):
        drain(app)
        since = counter.count
        t0 = time.perf_counter()
        action(k)
        samples.append((settle(app, counter, since, scene) - t0) * 1000.0)
    return samples


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def middle_weight(graph: Graph) -> str:
    """A weight in the first hidden layer: its change reaches every later layer."""
    return "L0n0w0" if "L0n0w0" in graph else next(n.id for n in graph if n.kind is not NodeKind.OP)


def bench_shown(app, path: Path, tag: str, kind: str, repeats: int, settings: QSettings) -> list[dict]:
    who = "cgeditor" if kind == "window" else "cgeditor (canvas only)"
    opens = []
    for _ in range(max(3, repeats // 3)):
        t0 = time.perf_counter()
        shown = Shown(app, path, settings, kind)
        opens.append((shown.painted - t0) * 1000.0)
        shown.close()
    rows = [row(f"editor: open {tag} file to first paint", who, opens,
                note=f"{WINDOW[0]}×{WINDOW[1]} window, graph fitted")]

    shown = Shown(app, path, settings, kind)
    doc, scene, view, counter = shown.document, shown.scene, shown.view, shown.counter
    leaf = middle_weight(doc.graph)
    base = doc.graph.nodes[leaf].value

    def edit(k: int) -> None:
        doc.set_value(leaf, base + 0.01 * (k + 1))

    def pan(k: int) -> None:
        bar = view.horizontalScrollBar()
        bar.setValue(bar.value() + (40 if k % 2 == 0 else -40))

    def zoom(k: int) -> None:
        view.zoom_by(1.1 if k % 2 == 0 else 1 / 1.1)

    def labels_shown() -> int:
        seen = view.visible_scene_rect()
        return sum(1 for lab in scene.overlay_labels() if lab.isVisible()
                   and seen.intersects(lab.sceneBoundingRect()))

    view.fit_graph()
    settle(app, counter, counter.count, scene)
    fits = view.visible_scene_rect().contains(scene.graph_rect())
    where = f"{'all' if fits else 'most'} in view (zoom {view.zoom_level():.2f})"
    rows.append(row(f"editor: value edit → painted frame, {tag}, {where}", who,
                    frame_times(app, counter, scene, edit, repeats),
                    note=f"{labels_shown()} labels visible"))
    rows.append(row(f"editor: pan frame, {tag}, {where}", who,
                    frame_times(app, counter, scene, pan, repeats)))
    rows.append(row(f"editor: zoom frame, {tag}, {where}", who,
                    frame_times(app, counter, scene, zoom, repeats)))

    view.resetTransform()
    view.centerOn(scene.node_item(leaf).sceneBoundingRect().center())
    settle(app, counter, counter.count, scene)
    rows.append(row(f"editor: value edit → painted frame, {tag}, 1:1 on the edited node", who,
                    frame_times(app, counter, scene, edit, repeats),
                    note=f"{labels_shown()} labels visible"))
    rows.append(row(f"editor: pan frame, {tag}, 1:1", who, frame_times(app, counter, scene, pan, repeats)))
    rows.append(row(f"editor: zoom frame, {tag}, 1:1", who, frame_times(app, counter, scene, zoom, repeats)))
    shown.close()
    return rows


def bench_size(app, n_nodes: int, repeats: int, tmp: Path, settings: QSettings,
               with_findings: bool = False) -> list[dict]:
    graph = mlp_graph(n_nodes)
    n = len(graph)
    path = tmp / f"mlp{n}.cgraph"
    fileformat.save(graph, path)
    rows = []
    tag = f"{n:,}-node MLP"

    for kind in ("window", "canvas"):
        rows += bench_shown(app, path, tag, kind, repeats, settings)
    if with_findings:
        rows += findings(app, path, tag, repeats, settings)
    rss = subprocess.run([sys.executable, __file__, "--rss", str(n_nodes)], capture_output=True, text=True,
                         check=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    # Not a time: the table shows rows without timings by their message alone.
    rows.append({"case": f"editor: RSS after first paint, {tag}", "who": "cgeditor",
                 "skipped": f"{float(rss.stdout.split()[-1]):.0f} MB VmRSS (fresh process)"})
    return rows


def findings(app, path: Path, tag: str, repeats: int, settings: QSettings) -> list[dict]:
    """The issue's rendering findings, checked on this canvas: each setting against ours, the rest
    unchanged, on the bare canvas at a zoom where labels are readable (0.5) or just not (0.3)."""
    from cgeditor.editor.canvas import label_layout
    from cgeditor.editor.canvas import items

    shown = Shown(app, path, settings, "canvas")
    scene, view, counter, doc = shown.scene, shown.view, shown.counter, shown.document
    leaf = middle_weight(doc.graph)
    base = doc.graph.nodes[leaf].value

    def at_zoom(z: float) -> None:
        view.setTransform(QTransform.fromScale(z, z))
        view.centerOn(scene.node_item(leaf).sceneBoundingRect().center())
        settle(app, counter, counter.count, scene)

    def edit(k: int) -> None:
        doc.set_value(leaf, base + 0.01 * (k + 1))

    def pan(k: int) -> None:
        bar = view.horizontalScrollBar()
        bar.setValue(bar.value() + (40 if k % 2 == 0 else -40))

    def zoom(k: int) -> None:
        view.zoom_by(1.1 if k % 2 == 0 else 1 / 1.1)

    def measure(case: str, who: str, action, **extra) -> dict:
        return row(f"finding: {case}, {tag}", who, frame_times(app, counter, scene, action, repeats), **extra)

    rows = []
    at_zoom(0.5)
    labels = sum(1 for lab in scene.overlay_labels() if lab.isVisible())
    rows.append(measure("value edit → frame at zoom 0.5", "cgeditor", edit,
                        note=f"ours: SmartViewportUpdate; {labels} labels placed"))
    modes = ((QGraphicsView.MinimalViewportUpdate, "MinimalViewportUpdate"),
             (QGraphicsView.BoundingRectViewportUpdate, "BoundingRectViewportUpdate"))
    for mode, name in modes:
        view.setViewportUpdateMode(mode)
        rows.append(measure("value edit → frame at zoom 0.5", name, edit))
    # The case: every placed label updated at once, as on graphs of up to 1,000 nodes.
    label_layout.LAZY_LIMIT = len(doc.graph)
    for mode, name in ((QGraphicsView.SmartViewportUpdate, "cgeditor"), *modes):
        view.setViewportUpdateMode(mode)
        rows.append(measure("value edit → frame at zoom 0.5, every placed label updated", name, edit,
                            **({"note": "ours: SmartViewportUpdate"} if name == "cgeditor" else {})))
    label_layout.LAZY_LIMIT = LAZY_LIMIT
    view.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)

    rows.append(measure("pan frame at zoom 0.5", "cgeditor", pan,
                        note=f"ours: no item cache, 1 px cosmetic edges; RSS {rss_mb():.0f} MB"))
    rows.append(measure("zoom frame at zoom 0.5", "cgeditor", zoom, note="ours: no item cache"))
    cached = [*scene.node_items(), *scene.overlay_labels(),
              *(scene.edge_item(e) for e in doc.graph.edges)]
    for item in cached:
        item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    frame_times(app, counter, scene, pan, 2)  # fill the caches first
    rows.append(measure("pan frame at zoom 0.5", "DeviceCoordinateCache on every item", pan,
                        note=f"RSS {rss_mb():.0f} MB"))
    rows.append(measure("zoom frame at zoom 0.5", "DeviceCoordinateCache on every item", zoom,
                        note=f"RSS {rss_mb():.0f} MB"))
    for item in cached:
        item.setCacheMode(QGraphicsItem.NoCache)

    pens = scene.painter._edge_pens
    cosmetic = pens["normal"]
    pens["normal"] = QPen(cosmetic.color(), 1.5)  # scaled with the zoom, antialiased like the rest
    rows.append(measure("pan frame at zoom 0.5", "1.5 px antialiased edge pens", pan))
    pens["normal"] = cosmetic

    at_zoom(0.3)
    rows.append(measure("pan frame at zoom 0.3", "cgeditor", pan,
                        note="ours: labels under 5 px on screen are not placed or drawn"))
    label_layout.LABEL_MIN_PX = items.LABEL_MIN_PX = 0.0
    scene.place_labels()
    settle(app, counter, counter.count, scene)
    rows.append(measure("pan frame at zoom 0.3", "every label drawn", pan,
                        note=f"{sum(1 for lab in scene.overlay_labels() if lab.isVisible())} labels placed"))
    label_layout.LABEL_MIN_PX = items.LABEL_MIN_PX = LABEL_MIN_PX
    shown.close()
    return rows


def rss_only(app, n_nodes: int, settings: QSettings) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.cgraph"
        fileformat.save(mlp_graph(n_nodes), path)
        Shown(app, path, settings, "window")
        print(f"{rss_mb():.1f}")


def open_only(app, path: Path, settings: QSettings) -> None:
    """Open `path` in the main window and print: ms to first paint, CPU seconds, peak RSS in MB."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    shown = Shown(app, path, settings, "window")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"{(shown.painted - t0) * 1000.0:.1f} {time.process_time() - cpu0:.2f} {peak:.0f}")


def bench_unplaced(n_ops: int, repeats: int, tmp: Path) -> dict:
    """A random DAG saved without positions, opened in fresh processes (the window lays it out)."""
    graph = build_graph(random_recipe(n_ops))
    path = tmp / f"dag{n_ops}.cgraph"
    fileformat.save(graph, path)
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, __file__, "--open", str(path)], capture_output=True, text=True,
                              check=True, env=dict(os.environ))
        runs.append([float(v) for v in done.stdout.split()[-3:]])
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    cpu = sorted(r[1] for r in runs)[len(runs) // 2]
    return row(f"editor: open a {n_ops:,}-op DAG without positions ({len(graph):,} nodes) to first paint",
               "cgeditor", [r[0] for r in runs],
               note=f"fresh process each, {platform}, {WINDOW[0]}×{WINDOW[1]} window, layout included; "
                    f"CPU {cpu:.1f} s, peak RSS {max(r[2] for r in runs):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,10000")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--rss", type=int)
    parser.add_argument("--open", type=Path, help="child: open FILE, print ms, CPU s, peak MB")
    parser.add_argument("--unplaced", default="1000,10000,100000", help="DAG sizes opened without positions")
    parser.add_argument("--unplaced-repeats", type=int, default=3)
    parser.add_argument("--findings", type=int, default=2000, help="graph size for the rendering findings")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        if args.rss:
            rss_only(app, args.rss, settings)
            return
        if args.open:
            open_only(app, args.open, settings)
            return
        rows = []
        for n in (int(s) for s in args.sizes.split(",") if s):
            rows += bench_size(app, n, args.repeats, Path(tmp), settings, with_findings=n == args.findings)
        rows += [bench_unplaced(n, args.unplaced_repeats, Path(tmp)) for n in (int(s) for s in args.unplaced.split(",") if s)]
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

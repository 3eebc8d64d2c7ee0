"""A structural edit in the main window costs what it changes: adding a node and two wires to a
large graph touches a bounded number of items and nodes, however large the graph (counted, not
timed; the time is measured in benchmarks/bench_actions.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cgeditor.editor.canvas.items import NodeItem
from cgeditor.editor.canvas.minimap import Minimap
from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

from helpers.windows import make_window, settings  # noqa: F401


def grid(n: int) -> Graph:
    """n variables each feeding its own tanh, all summed into one output."""
    graph = Graph()
    for i in range(n):
        x, y = 340.0 * (i % 40), 110.0 * (i // 40)
        graph.add_node(Node(f"v{i}", NodeKind.VARIABLE, value=0.01 * i, pos=(x, y)))
        graph.add_node(Node(f"t{i}", NodeKind.OP, op="tanh", pos=(x + 170.0, y)))
        graph.add_edge(Edge(f"v{i}", f"t{i}", 0))
    graph.add_node(Node("loss", NodeKind.OP, op="add", pos=(0.0, -300.0)))
    for i in range(n):
        graph.add_edge(Edge(f"t{i}", "loss", i))
    graph.set_output("loss")
    return graph


def added_with_counts(qtbot, window, monkeypatch) -> dict[str, int]:
    """Add a node fed by a leaf and the output, as three undo steps, and count what was asked
    of the scene, its node items and the graph until the edit is evaluated and painted."""
    counts = {"scene.items": 0, "NodeItem.sceneBoundingRect": 0, "graph walks": 0, "minimap syncs": 0}
    scene, graph = window.scene, window.document.graph

    def counted(key, real):
        def call(*args, **kwargs):
            counts[key] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(scene, "items", counted("scene.items", scene.items))
    monkeypatch.setattr(NodeItem, "sceneBoundingRect", counted("NodeItem.sceneBoundingRect",
                                                               NodeItem.sceneBoundingRect))
    monkeypatch.setattr(type(graph), "__iter__", counted("graph walks", type(graph).__iter__))
    monkeypatch.setattr(Minimap, "sync", counted("minimap syncs", Minimap.sync))
    evaluations = []
    window.document.evaluated.connect(lambda: evaluations.append(1))
    doc = window.document
    node_id = doc.add_node(NodeKind.OP, op="add", pos=(0.0, -600.0))
    doc.connect("v0", node_id, 0)
    doc.connect("loss", node_id, 1)
    qtbot.waitUntil(lambda: bool(evaluations))
    for _ in range(5):
        QApplication.processEvents()
    return counts


def test_adding_a_node_and_two_wires_touches_as_much_of_a_large_graph_as_of_a_small_one(
        qtbot, make_window, monkeypatch):  # noqa: F811
    seen = []
    for n in (1200, 4800):
        window = make_window(Document(grid(n)))
        window.view.fit_graph()
        qtbot.waitUntil(lambda: not window.scene.placement_pending())
        before = dict(window.document.evaluation.grads)
        with monkeypatch.context() as m:
            seen.append(added_with_counts(qtbot, window, m))
        after = window.document.evaluation
        assert {n: after.grads[n] for n in before} == before  # the output reads nothing new
    small, large = seen
    assert large == small and large["minimap syncs"] == 0 and large["graph walks"] == 0
    assert large["scene.items"] + large["NodeItem.sceneBoundingRect"] < 20

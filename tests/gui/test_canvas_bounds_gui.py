"""Where the canvas's items are and how far they reach: an edge's bounds worked out from its
control points, its curve made when first needed, and the scene's bounds summed up while it is
built, all as Qt would have them had it made every path and walked every item."""

from __future__ import annotations

import random

from PySide6.QtGui import QPainterPath, QPainterPathStroker

from cgeditor.editor.canvas.items import EDGE_HIT_WIDTH, Z_NODE, EdgeItem
from cgeditor.editor.canvas.node_geometry import curve_bounds, edge_controls
from cgeditor.editor.canvas.overlay_labels import OVERLAYS
from cgeditor.editor.canvas.scene import _visible_bounds
from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.layout import layered_layout

from helpers.canvas import Canvas


def qt_curve(controls) -> QPainterPath:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = controls
    path = QPainterPath()
    path.moveTo(x0, y0)
    path.cubicTo(x1, y1, x2, y2, x3, y3)
    return path


def elements(path: QPainterPath) -> list[tuple]:
    return [(e.type, e.x, e.y) for e in (path.elementAt(i) for i in range(path.elementCount()))]


def test_curve_bounds_are_the_bounding_rect_qt_gives_the_path_to_the_last_bit():
    rng = random.Random(13)
    for _ in range(20000):
        p0 = (rng.uniform(-5000, 5000), round(rng.uniform(-5000, 5000)) / 4)
        near = (p0[0] + rng.choice([0.0, 1e-9, 39.5, -80.0, rng.uniform(-200, 200)]),
                p0[1] + rng.choice([0.0, 1e-9, 20.0, rng.uniform(-200, 200)]))
        for controls in (edge_controls(p0, near),
                         [(rng.uniform(-500, 500), rng.uniform(-500, 500)) for _ in range(4)]):
            assert curve_bounds(controls) == qt_curve(controls).boundingRect().getRect()


def test_an_edge_reaches_and_hits_where_its_curve_does_before_and_after_its_ends_move(qtbot):
    canvas = Canvas(qtbot, Document())
    item = EdgeItem(Edge("a", "b", 0), canvas.scene.painter, (0.0, 0.0), (30.0, -25.5))
    canvas.scene.addItem(item)
    m = EDGE_HIT_WIDTH / 2
    for ends in [((0.0, 0.0), (30.0, -25.5)), ((400.25, 90.0), (-120.0, 310.0))]:
        item.set_ends(*ends)
        curve = qt_curve(edge_controls(*ends))
        assert item.boundingRect().getRect() == curve.boundingRect().adjusted(-m, -m, m, m).getRect()
        assert elements(item.path()) == elements(curve)
        stroker = QPainterPathStroker()
        stroker.setWidth(EDGE_HIT_WIDTH)
        assert elements(item.shape()) == elements(stroker.createStroke(curve))
    assert item.zValue() == 0.0 < Z_NODE  # Qt's default: edges run under the nodes without setting it


def unplaced_chain(n: int) -> Graph:
    """n variables, each added to the running sum, without positions: the scene lays them out."""
    graph = Graph()
    graph.add_node(Node("x0", NodeKind.VARIABLE, value=1.0))
    total = "x0"
    for i in range(1, n):
        graph.add_node(Node(f"x{i}", NodeKind.VARIABLE, value=float(i)))
        graph.add_node(Node(f"s{i}", NodeKind.OP, op="add"))
        graph.add_edge(Edge(total, f"s{i}", 0))
        graph.add_edge(Edge(f"x{i}", f"s{i}", 1))
        total = f"s{i}"
    graph.set_output(total)
    return graph


def walked(scene):
    """The bounds `graph_rect` finds walking every item, label and note afresh."""
    return _visible_bounds((scene.node_items(), scene.edge_items(), scene.overlay_labels(),
                            scene.annotations.items.values()))


def test_a_scene_built_from_a_graph_without_positions_is_bounded_as_a_walk_over_its_items(qtbot):
    graph = unplaced_chain(60)
    canvas = Canvas(qtbot, Document(graph))
    scene = canvas.scene
    laid_out = layered_layout(graph, list(graph.nodes))
    assert {n: (i.x(), i.y()) for n, i in scene.items_by_node.items()} == laid_out
    assert scene.graph_rect() == walked(scene)
    for edge, item in scene.items_by_edge.items():
        ends = (scene.node_item(edge.source).output_scene_point(),
                scene.node_item(edge.target).input_scene_point(edge.port))
        assert item.controls() == edge_controls(*ends)
    output = scene.node_item(graph.output)
    assert output.is_output() and scene.graph_rect().contains(output.sceneBoundingRect())


def test_the_bounds_follow_the_output_tag_as_it_comes_and_goes(qtbot):
    graph = unplaced_chain(8)
    canvas = Canvas(qtbot, Document(graph))
    scene, doc = canvas.scene, canvas.document
    for kind in OVERLAYS:  # no labels: the bounds are the nodes' and edges' alone
        scene.set_overlay_visible(kind, False)
    top = min(scene.node_items(), key=lambda item: item.sceneBoundingRect().top())
    first = graph.output
    assert top.node_id != first
    before = scene.graph_rect()
    doc.set_output(top.node_id)  # its tag rises above every node: the bounds grow
    canvas.wait_evaluated()
    assert top.is_output() and scene.graph_rect() == walked(scene)
    assert scene.graph_rect().top() < before.top()
    doc.set_output(first)  # and shrink back
    canvas.wait_evaluated()
    assert not top.is_output() and scene.graph_rect() == walked(scene)
    assert scene.graph_rect().top() == before.top()

"""Overlays: values, gradients and edge gradients on the canvas, placed without overlaps,
toggled, highlighted when not finite, and edited in place."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLineEdit

from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.items import NodeItem
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.resources import example_path, list_examples

from helpers.canvas import Canvas


def open_canvas(qtbot, path) -> Canvas:
    c = Canvas(qtbot, Document.open(path))
    c.wait_evaluated()
    return c


@pytest.fixture
def canvas(qtbot):
    return open_canvas(qtbot, example_path())


def visible_label_rects(canvas) -> list[QRectF]:
    return [lab.sceneBoundingRect() for lab in canvas.scene.overlay_labels() if lab.isVisible()]


def strictly_overlap(a: QRectF, b: QRectF) -> bool:
    return a.intersected(b).width() > 0 and a.intersected(b).height() > 0


@pytest.mark.parametrize("path", list_examples(), ids=lambda p: p.stem)
def test_labels_on_every_example_overlap_no_label_and_no_node(qtbot, path):
    canvas = open_canvas(qtbot, path)
    labels = visible_label_rects(canvas)
    nodes = [i.sceneBoundingRect() for i in canvas.scene.node_items()]
    assert labels
    for a, b in itertools.combinations(labels, 2):
        assert not strictly_overlap(a, b), (a, b)
    for a in labels:
        for n in nodes:
            assert not strictly_overlap(a, n), (a, n)


@pytest.mark.parametrize("path", list_examples(), ids=lambda p: p.stem)
def test_labels_on_every_example_cross_no_foreign_edge(qtbot, path):
    canvas = open_canvas(qtbot, path)
    for label in canvas.scene.overlay_labels():
        if not label.isVisible():
            continue
        for edge in canvas.graph.edges:
            if edge == label.owner:
                continue
            path_ = canvas.scene.edge_item(edge).path()
            assert not path_.intersects(label.sceneBoundingRect()), (label.text(), edge)


def test_every_node_shows_value_and_gradient_and_every_edge_its_local_gradient(canvas):
    scene = canvas.scene
    assert scene.value_label("z2").text() == "8"
    assert scene.grad_label("z2").text() == "∂ 16"
    assert scene.edge_label(Edge("z2", "L", 0)).text() == "∂ 16"
    assert scene.edge_label(Edge("y", "z1", 1)).text() == "∂ 2"


def test_tooltips_carry_full_precision(qtbot):
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=1.0 / 3.0, pos=(0.0, 0.0)))
    graph.add_node(Node("s", NodeKind.OP, op="square", pos=(170.0, 0.0)))
    graph.add_edge(Edge("x", "s", 0))
    canvas = Canvas(qtbot, Document(graph))
    canvas.wait_evaluated()
    label = canvas.scene.value_label("x")
    assert label.text() == "0.3333"
    assert repr(1.0 / 3.0) in label.toolTip()


def test_overlay_toggles_hide_and_show_each_kind(canvas):
    scene = canvas.scene
    scene.set_overlay_visible("edge_grads", False)
    assert not scene.edge_label(Edge("x", "z1", 0)).isVisible()
    assert scene.value_label("x").isVisible() and scene.grad_label("x").isVisible()
    scene.set_overlay_visible("values", False)
    assert not scene.value_label("x").isVisible() and not scene.overlay_visible("values")
    scene.set_overlay_visible("grads", False)
    assert not scene.grad_label("x").isVisible()
    scene.set_overlay_visible("values", True)
    assert scene.value_label("x").isVisible()


def test_unknown_overlay_kind_is_refused_with_a_clear_message(canvas):
    with pytest.raises(ValueError, match="unknown overlay 'weights'"):
        canvas.scene.set_overlay_visible("weights", False)


def test_nan_and_inf_are_shown_as_such_and_highlighted(qtbot):
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=-1.0, pos=(0.0, 0.0)))
    graph.add_node(Node("z", NodeKind.VARIABLE, value=0.0, pos=(0.0, 110.0)))
    graph.add_node(Node("l", NodeKind.OP, op="log", pos=(170.0, 0.0)))
    graph.add_node(Node("d", NodeKind.OP, op="div", pos=(170.0, 110.0)))
    graph.add_edge(Edge("x", "l", 0))
    graph.add_edge(Edge("x", "d", 0))
    graph.add_edge(Edge("z", "d", 1))
    graph.set_output("d")
    canvas = Canvas(qtbot, Document(graph))
    canvas.wait_evaluated()
    assert canvas.scene.value_label("l").text() == "nan"
    assert canvas.scene.value_label("l").is_nonfinite()
    assert canvas.scene.value_label("d").text() == "-inf"
    assert not canvas.scene.value_label("x").is_nonfinite()


def test_invalid_node_is_marked_with_its_message_while_the_rest_still_computes(qtbot):
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=2.0, pos=(0.0, 0.0)))
    graph.add_node(Node("s", NodeKind.OP, op="square", pos=(170.0, 0.0)))
    graph.add_node(Node("m", NodeKind.OP, op="mul", pos=(170.0, 110.0)))
    graph.add_edge(Edge("x", "s", 0))
    graph.add_edge(Edge("x", "m", 0))
    graph.set_output("s")
    canvas = Canvas(qtbot, Document(graph))
    canvas.wait_evaluated()
    bad = canvas.scene.node_item("m")
    assert bad.is_invalid() and "not connected" in bad.toolTip()
    assert not canvas.scene.node_item("s").is_invalid()
    assert canvas.scene.value_label("s").text() == "4"
    assert canvas.scene.value_label("m").text() == "–"


def test_output_follows_set_as_output(canvas):
    canvas.document.set_output("z1")
    canvas.wait_evaluated()
    assert canvas.scene.node_item("z1").is_output() and not canvas.scene.node_item("L").is_output()
    assert canvas.scene.grad_label("x").text() == "∂ 3"  # d z1 / d x = y


def test_typing_a_value_updates_results_as_you_type_in_one_undo_step(canvas):
    scene = canvas.scene
    label = scene.value_label("x")
    canvas.double_click(label.sceneBoundingRect().center())
    editor = scene.inline_editor
    editor.selectAll()
    canvas.qtbot.keyClicks(editor, "1")
    canvas.qtbot.waitUntil(lambda: scene.value_label("L").text() == "16")  # (1 + 3)² before Enter
    canvas.qtbot.keyClicks(editor, "0")
    canvas.qtbot.keyClick(editor, Qt.Key_Return)
    canvas.qtbot.waitUntil(lambda: scene.value_label("L").text() == "1600")
    assert not [w for w in canvas.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    canvas.document.undo_stack.undo()
    assert canvas.graph.node("x").value == 2.0


def test_text_that_is_not_a_number_says_so_and_changes_nothing(canvas):
    canvas.double_click(canvas.scene.value_label("x").sceneBoundingRect().center())
    editor = canvas.scene.inline_editor
    editor.selectAll()
    canvas.qtbot.keyClicks(editor, "two")
    canvas.qtbot.keyClick(editor, Qt.Key_Return)
    assert canvas.graph.node("x").value == 2.0
    assert "'two' is not a number" in canvas.messages[-1]
    assert canvas.document.undo_stack.count() == 0


def test_escape_in_the_value_editor_restores_the_value(canvas):
    canvas.double_click(canvas.scene.value_label("y").sceneBoundingRect().center())
    editor = canvas.scene.inline_editor
    editor.selectAll()
    canvas.qtbot.keyClicks(editor, "7")
    assert canvas.graph.node("y").value == 7.0
    canvas.qtbot.keyClick(editor, Qt.Key_Escape)
    assert canvas.graph.node("y").value == 3.0


def test_double_click_on_a_computed_value_explains_it_cannot_be_typed(canvas):
    canvas.double_click(canvas.scene.value_label("z1").sceneBoundingRect().center())
    assert "computed" in canvas.messages[-1]


def test_labels_are_hidden_when_too_small_to_read(canvas):
    canvas.view.zoom_by(0.1)
    image_small = canvas.view.grab().toImage()
    canvas.scene.set_overlay_visible("values", False)
    canvas.scene.set_overlay_visible("grads", False)
    canvas.scene.set_overlay_visible("edge_grads", False)
    assert canvas.view.grab().toImage() == image_small  # at 0.1× the labels drew nothing anyway


def test_node_items_keep_no_values_of_their_own(canvas):
    item = canvas.scene.node_item("x")
    assert isinstance(item, NodeItem) and not hasattr(item, "value")


def test_renaming_the_output_renames_it_in_the_gradient_tooltips(canvas):
    canvas.document.rename("L", "loss")
    assert "∂loss/∂x" in canvas.scene.grad_label("x").toolTip()


@pytest.mark.parametrize("label", ["}{", "{0}", "{full}", "{", "x {y} z"])
def test_braces_in_a_label_are_text_in_its_tooltips(canvas, label):
    canvas.document.rename("x", label)
    canvas.document.rename("L", label + "!")
    canvas.document.evaluate_now()
    assert canvas.scene.value_label("x").toolTip() == f"{label} = 2"
    assert canvas.scene.grad_label("x").toolTip() == f"∂{label}!/∂{label} = 64"


def long_chain(n: int) -> Graph:
    """x → tanh → tanh → … laid out in rows of 40, more nodes than are placed eagerly."""
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=0.5, pos=(-170.0, 0.0)))
    previous = "x"
    for i in range(n):
        graph.add_node(Node(f"t{i}", NodeKind.OP, op="tanh", pos=(170.0 * (i % 40), 110.0 * (i // 40))))
        graph.add_edge(Edge(previous, f"t{i}", 0))
        previous = f"t{i}"
    return graph


def test_large_graph_places_labels_in_view_first_and_the_rest_as_they_scroll_in(qtbot):
    canvas = Canvas(qtbot, Document(long_chain(1200)))
    view, scene = canvas.view, canvas.scene
    view.centerOn(0, 0)
    canvas.wait_evaluated()
    near, far = scene.value_label("t1"), scene.value_label("t1190")
    assert near.isVisible() and near.text() == "0.4318"  # tanh(tanh(0.5))
    assert not far.isVisible()
    view.centerOn(scene.node_item("t1190").pos())
    assert far.isVisible()
    shown = visible_label_rects(canvas)
    for a, b in itertools.combinations(shown, 2):
        assert not strictly_overlap(a, b)


def test_zoomed_out_too_far_to_read_a_large_graph_places_no_labels(qtbot):
    canvas = Canvas(qtbot, Document(long_chain(1200)))
    canvas.view.fit_graph()
    canvas.wait_evaluated()
    assert canvas.view.zoom_level() * canvas.scene.painter.theme.overlay_px < 5
    assert not visible_label_rects(canvas)


def test_moving_a_node_brings_along_an_edge_label_that_sat_beside_its_edge(qtbot):
    canvas = open_canvas(qtbot, example_path("sigmoid_loss"))
    edge = Edge("r", "L", 0)
    label, item = canvas.scene.edge_label(edge), canvas.scene.edge_item(edge)
    assert not label.sceneBoundingRect().intersects(item.sceneBoundingRect())  # pushed off its edge
    x, y = canvas.graph.node("L").pos
    canvas.document.move_nodes({"L": (x, y + 400)})
    canvas.wait_evaluated()
    assert label.sceneBoundingRect().intersects(item.sceneBoundingRect().adjusted(-20, -20, 20, 20))


def test_a_growing_label_leaves_the_label_of_a_long_edge_passing_by_where_it_is(qtbot):
    """Placing that label again would weigh obstacles along the whole edge (on a large network,
    a thousand edges for one keystroke), and nothing near it changed."""
    long_edge = Edge("x", "t", 0)
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=0.5, pos=(0.0, 0.0)))
    graph.add_node(Node("t", NodeKind.OP, op="tanh", pos=(0.0, 2400.0)))
    graph.add_edge(long_edge)
    graph.add_node(Node("v", NodeKind.VARIABLE, value=1.0, pos=(40.0, 2000.0)))
    canvas = Canvas(qtbot, Document(graph))
    canvas.wait_evaluated()
    scene = canvas.scene
    edge_label, value_label = scene.edge_label(long_edge), scene.value_label("v")
    near = value_label.sceneBoundingRect()
    assert near.intersects(scene.edge_item(long_edge).sceneBoundingRect())  # the edge passes by
    assert not near.intersects(edge_label.sceneBoundingRect().adjusted(-300, -300, 300, 300))
    placed = []
    place = scene.labels.layout._place
    scene.labels.layout._place = lambda nodes, edges, *rest: (placed.append((nodes, edges)), place(nodes, edges, *rest))
    width = value_label.size()[0]
    canvas.document.set_value("v", -123456789.0)
    canvas.wait_evaluated()
    assert value_label.number() == -123456789.0 and value_label.size()[0] > width  # grew: placed again
    assert placed == [(["v"], [])]

"""Wiring, moving and deleting with real mouse and keyboard input on the chain-rule example."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
from PySide6.QtWidgets import QApplication, QGraphicsPathItem

from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge, NodeKind
from cgeditor.resources import example_path

from helpers.canvas import Canvas, context_menu_choose


@pytest.fixture
def canvas(qtbot):
    c = Canvas(qtbot, Document.open(example_path()))
    c.wait_evaluated()
    return c


def node_centre(canvas, node_id):
    return canvas.scene.node_item(node_id).pos()


def test_wire_that_would_close_a_cycle_is_refused_with_a_message(canvas):
    before = canvas.graph.copy()
    canvas.wire("L", "z1", 0)
    assert canvas.graph == before
    assert canvas.messages and "cycle" in canvas.messages[-1]


def test_wire_into_a_variable_is_refused_with_a_message(canvas):
    before = canvas.graph.copy()
    canvas.drag(canvas.at(canvas.port_pos("z1", None)), node_centre(canvas, "y"))
    assert canvas.graph == before
    assert "y is a variable and takes no inputs" in canvas.messages[-1]


def test_wire_from_output_to_output_is_refused_with_a_message(canvas):
    before = canvas.graph.copy()
    canvas.drag(canvas.at(canvas.port_pos("x", None)), canvas.port_pos("y", None))
    assert canvas.graph == before
    assert "not to another output" in canvas.messages[-1]


def test_wire_into_occupied_port_replaces_edge_in_one_undo_step(canvas):
    canvas.wire("y", "z2", 0)
    edges = set(canvas.graph.edges)
    assert Edge("y", "z2", 0) in edges and Edge("x", "z2", 0) not in edges
    canvas.document.undo_stack.undo()
    assert Edge("x", "z2", 0) in canvas.graph.edges and Edge("y", "z2", 0) not in canvas.graph.edges


def test_wire_drawn_backwards_from_an_input_connects_too(canvas):
    canvas.wire("y", "z2", 0)  # frees nothing; now draw x back into z2's input 0 from the input side
    canvas.drag(canvas.at(canvas.port_pos("z2", 0)), lambda: canvas.port_pos("x", None))
    assert Edge("x", "z2", 0) in canvas.graph.edges


def test_valid_targets_light_up_while_a_wire_is_dragged(canvas):
    vp = canvas.view.viewport()
    canvas.qtbot.mousePress(vp, Qt.LeftButton, pos=canvas.at(canvas.port_pos("x", None)))
    canvas.qtbot.mouseMove(vp, canvas.at((250, 250)))
    scene = canvas.scene
    assert scene.node_item("L").input_port(0).state() == "valid"
    assert scene.node_item("x").output_port().state() is None
    canvas.qtbot.mouseRelease(vp, Qt.LeftButton, pos=canvas.at((250, 250)))


def test_target_that_would_close_a_cycle_does_not_light_up(canvas):
    vp = canvas.view.viewport()
    canvas.qtbot.mousePress(vp, Qt.LeftButton, pos=canvas.at(canvas.port_pos("L", None)))
    canvas.qtbot.mouseMove(vp, canvas.at((250, 250)))
    assert canvas.scene.node_item("z1").input_port(0).state() == "invalid"
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Escape)
    canvas.qtbot.mouseRelease(vp, Qt.LeftButton, pos=canvas.at((250, 250)))
    assert canvas.scene.node_item("z1").input_port(0).state() is None


def test_wire_dropped_on_empty_canvas_offers_ops_and_adds_one_connected(canvas):
    canvas.drag(canvas.at(canvas.port_pos("L", None)), (700, 55))
    popup = canvas.scene.search_popup
    assert popup is not None and popup.isVisible()
    assert "variable" not in popup.keys()
    canvas.qtbot.keyClicks(popup.edit, "tanh")
    canvas.qtbot.keyClick(popup.edit, Qt.Key_Return)
    (new,) = [n for n in canvas.graph if n.op == "tanh"]
    assert Edge("L", new.id, 0) in canvas.graph.edges
    canvas.document.undo_stack.undo()
    assert new.id not in canvas.graph


def test_tab_opens_the_search_and_enter_creates_the_typed_op(canvas):
    canvas.view.setFocus()
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Tab)
    popup = canvas.scene.search_popup
    canvas.qtbot.keyClicks(popup.edit, "exp")
    canvas.qtbot.keyClick(popup.edit, Qt.Key_Return)
    assert [n.op for n in canvas.graph if n.op == "exp"] == ["exp"]


def test_double_click_on_empty_canvas_opens_the_search_there(canvas):
    canvas.double_click((300, 300))
    popup = canvas.scene.search_popup
    canvas.qtbot.keyClicks(popup.edit, "Constant")
    canvas.qtbot.keyClick(popup.edit, Qt.Key_Return)
    (new,) = [n for n in canvas.graph if n.kind.value == "constant"]
    assert abs(new.pos[0] - 300) <= 1 and abs(new.pos[1] - 300) <= 1


def test_palette_op_dragged_over_an_edge_marks_it_without_selecting_it(canvas):
    edge_item = canvas.scene.edge_item(Edge("z2", "L", 0))
    pos = canvas.at(edge_item.path().pointAtPercent(0.5))
    data = canvas.palette.mime_data("tanh")
    for event in (QDragEnterEvent(pos, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier),
                  QDragMoveEvent(pos, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)):
        QApplication.sendEvent(canvas.view.viewport(), event)
    assert edge_item.is_highlighted() and not edge_item.isSelected()


def test_palette_op_dropped_onto_an_edge_is_inserted_into_it(canvas):
    edge_item = canvas.scene.edge_item(Edge("z2", "L", 0))
    mid = edge_item.path().pointAtPercent(0.5)
    new = canvas.drop_from_palette("tanh", mid)
    assert {Edge("z2", new, 0), Edge(new, "L", 0)} <= set(canvas.graph.edges)
    assert Edge("z2", "L", 0) not in canvas.graph.edges


def test_unconnected_node_dragged_onto_an_edge_goes_into_it_in_one_undo_step(canvas):
    new = canvas.document.add_node(NodeKind.OP, op="tanh", pos=(200, 330))
    canvas.wait_evaluated()
    steps_before = canvas.document.undo_stack.count()
    mid = canvas.scene.edge_item(Edge("z2", "L", 0)).path().pointAtPercent(0.5)
    canvas.drag(canvas.at(node_centre(canvas, new)), mid, steps=8)
    assert {Edge("z2", new, 0), Edge(new, "L", 0)} <= set(canvas.graph.edges)
    assert Edge("z2", "L", 0) not in canvas.graph.edges
    assert canvas.document.undo_stack.count() == steps_before + 1
    canvas.document.undo_stack.undo()
    assert Edge("z2", "L", 0) in canvas.graph.edges and canvas.graph.node(new).pos == (200, 330)


def test_wired_node_dragged_onto_an_edge_only_moves(canvas):
    mid = canvas.scene.edge_item(Edge("x", "z2", 0)).path().pointAtPercent(0.5)
    canvas.drag(canvas.at(node_centre(canvas, "z1")), mid, steps=8)
    assert Edge("x", "z2", 0) in canvas.graph.edges and len(canvas.graph.edges) == 5


def test_dragging_a_node_moves_it_on_the_grid_in_one_undo_step(canvas):
    start = canvas.graph.node("L").pos
    canvas.drag(canvas.at(node_centre(canvas, "L")), (start[0] + 47, start[1] + 33), steps=6)
    x, y = canvas.graph.node("L").pos
    assert (x % 20, y % 20) == (0, 0) and (x, y) != start
    assert canvas.scene.node_item("L").pos() == QPointF(x, y)
    canvas.document.undo_stack.undo()
    assert canvas.graph.node("L").pos == start


def test_edges_follow_a_moving_node(canvas):
    edge_item = canvas.scene.edge_item(Edge("z2", "L", 0))
    before = edge_item.path().pointAtPercent(1.0)
    start = canvas.graph.node("L").pos
    canvas.drag(canvas.at(node_centre(canvas, "L")), (start[0] + 60, start[1] + 80))
    after = edge_item.path().pointAtPercent(1.0)
    assert after != before
    assert after == QPointF(*canvas.scene.node_item("L").input_scene_point(0))


def test_delete_key_removes_selected_nodes_with_their_edges(canvas):
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, pos=canvas.at(node_centre(canvas, "z1")))
    assert canvas.scene.selected_node_ids() == ["z1"]
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Delete)
    assert "z1" not in canvas.graph
    assert not [e for e in canvas.graph.edges if "z1" in (e.source, e.target)]


def test_clicking_an_edge_selects_it_and_delete_removes_only_it(canvas):
    edge_item = canvas.scene.edge_item(Edge("x", "z2", 0))
    point = edge_item.path().pointAtPercent(0.3)
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, pos=canvas.at(point))
    assert canvas.scene.selected_edges() == [Edge("x", "z2", 0)]
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Delete)
    assert Edge("x", "z2", 0) not in canvas.graph.edges
    assert len(canvas.graph) == 5


def test_refused_drop_on_a_variable_body_leaves_no_wire_preview(canvas):
    canvas.drag(canvas.at(canvas.port_pos("z1", None)), node_centre(canvas, "x"))
    assert not [i for i in canvas.scene.items() if type(i) is QGraphicsPathItem]


def test_a_click_on_a_port_changes_nothing(canvas):
    before = canvas.graph.copy()
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, pos=canvas.at(canvas.port_pos("x", None)))
    assert canvas.graph == before and canvas.scene.search_popup is None


def test_a_variadic_op_offers_a_free_input_while_wiring_and_takes_a_third_wire(canvas):
    assert len(canvas.scene.node_item("z2").ports()) == 3  # two inputs and the output
    canvas.wire("y", "z2", 2)  # port 2 exists only while the wire is being dragged
    assert Edge("y", "z2", 2) in canvas.graph.edges
    assert len(canvas.scene.node_item("z2").ports()) == 4
    canvas.qtbot.waitUntil(lambda: canvas.scene.value_label("z2").text() == "11")


def test_node_context_menu_sets_the_output(canvas):
    offered = context_menu_choose(canvas, node_centre(canvas, "z1"), "Set as output")
    assert offered[:2] == ["Set as output", "Rename…"]
    assert canvas.graph.output == "z1"


def test_edge_context_menu_deletes_the_edge(canvas):
    point = canvas.scene.edge_item(Edge("x", "z2", 0)).path().pointAtPercent(0.3)
    context_menu_choose(canvas, point, "Delete")
    assert Edge("x", "z2", 0) not in canvas.graph.edges


def test_canvas_context_menu_offers_add_paste_and_fit(canvas):
    offered = context_menu_choose(canvas, (300, 400), "Fit graph")
    assert offered == ["Add node…", "Paste", "Add note here", "Add arrow here", "Fit graph"]


def test_a_refused_wire_says_why_beside_the_pointer(canvas):
    from PySide6.QtWidgets import QToolTip
    canvas.wire("L", "z1", 0)
    assert QToolTip.isVisible() and "cycle" in QToolTip.text()
    assert QToolTip.text() == canvas.messages[-1]


def test_a_drop_just_beside_a_refused_port_refuses_instead_of_offering_new_nodes(canvas):
    from PySide6.QtWidgets import QToolTip
    before = canvas.graph.copy()
    port = canvas.port_pos("z1", 0)
    scale = canvas.view.transform().m11()
    beside = QPointF(port.x() - 7 / scale, port.y() + 5 / scale)  # aimed at the port, just off it
    assert not any(isinstance(i, type(canvas.scene.node_item("z1"))) for i in canvas.scene.items_at(beside))
    canvas.drag(canvas.at(canvas.port_pos("L", None)), beside)
    popup = getattr(canvas.scene, "search_popup", None)
    assert canvas.graph == before and (popup is None or not popup.isVisible())  # no "Connect to" list
    assert "cycle" in canvas.messages[-1] and "cycle" in QToolTip.text()

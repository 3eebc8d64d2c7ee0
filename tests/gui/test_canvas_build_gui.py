"""Build L = (x + x·y)² from an empty document with the palette, the mouse and the keyboard,
then read the forward values and gradients off the overlay labels.

Palette drags are delivered as the drop events a real drag ends with, carrying the palette's
own mime data: QDrag.exec blocks under the offscreen platform, so the drag itself cannot run.
Everything else is real mouse and keyboard input on the real widgets.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge

from helpers.canvas import Canvas


@pytest.fixture
def canvas(qtbot):
    return Canvas(qtbot, Document())


def build_l(canvas: Canvas) -> dict[str, str]:
    ids = {
        "x": canvas.drop_from_palette("variable", (0, 0)),
        "y": canvas.drop_from_palette("variable", (0, 140)),
        "z1": canvas.drop_from_palette("mul", (180, 140)),
        "z2": canvas.drop_from_palette("add", (360, 60)),
        "L": canvas.drop_from_palette("square", (540, 60)),
    }
    for name in ("y", "z1", "z2", "L"):
        canvas.rename(ids[name], name)
    canvas.wire(ids["x"], ids["z1"], 0)
    canvas.wire(ids["y"], ids["z1"], 1)
    canvas.wire(ids["x"], ids["z2"], 0)
    canvas.wire(ids["z1"], ids["z2"], 1)
    canvas.wire(ids["z2"], ids["L"], 0)
    canvas.wait_evaluated()
    canvas.set_value(ids["x"], "2")
    canvas.set_value(ids["y"], "3")
    canvas.wait_evaluated()
    return ids


def test_building_l_with_mouse_and_keyboard_shows_its_values_and_gradients(canvas):
    ids = build_l(canvas)
    scene = canvas.scene
    assert {n.label for n in canvas.graph} == {"x", "y", "z1", "z2", "L"}
    assert len(canvas.graph.edges) == 5
    canvas.qtbot.waitUntil(lambda: scene.value_label(ids["L"]).text() == "64")
    assert scene.grad_label(ids["x"]).text() == "∂ 64"
    assert scene.grad_label(ids["y"]).text() == "∂ 32"
    assert scene.edge_label(Edge(ids["x"], ids["z1"], 0)).text() == "∂ 3"
    assert scene.value_label(ids["z1"]).text() == "6"
    assert scene.node_item(ids["L"]).is_output()


def test_renaming_by_double_click_changes_the_label_only(canvas):
    node_id = canvas.drop_from_palette("variable", (0, 0))
    canvas.rename(node_id, "weight")
    assert canvas.graph.node(node_id).label == "weight"
    assert canvas.scene.node_item(node_id).label == "weight"


def test_renaming_by_double_click_refuses_a_line_break(canvas):
    node_id = canvas.drop_from_palette("variable", (0, 0))
    canvas.wait_evaluated()
    canvas.double_click(canvas.scene.node_item(node_id).sceneBoundingRect().center())
    editor = canvas.scene.inline_editor
    editor.setText("a\u2028import os")  # pasted: QTest cannot type a line separator
    canvas.qtbot.keyClick(editor, Qt.Key_Return)
    assert canvas.graph.node(node_id).label == node_id


def test_dropping_a_palette_entry_creates_that_node_at_the_drop_point(canvas):
    node_id = canvas.drop_from_palette("sigmoid", (100, 40))
    node = canvas.graph.node(node_id)
    assert node.op == "sigmoid"
    assert abs(node.pos[0] - 100) <= 1 and abs(node.pos[1] - 40) <= 1


def test_palette_enter_adds_the_filtered_entry_at_the_view_centre(canvas):
    canvas.qtbot.keyClicks(canvas.palette.filter_edit, "tanh")
    canvas.qtbot.keyClick(canvas.palette.filter_edit, Qt.Key_Return)
    (node,) = canvas.graph
    assert node.op == "tanh"
    centre = canvas.view.mapToScene(canvas.view.viewport().rect().center())
    assert abs(node.pos[0] - centre.x()) <= 1 and abs(node.pos[1] - centre.y()) <= 1


def test_palette_filter_hides_entries_that_do_not_match(canvas):
    canvas.qtbot.keyClicks(canvas.palette.filter_edit, "sig")
    assert canvas.palette.visible_keys() == ["sigmoid"]


def test_palette_lists_every_op_of_the_registry_plus_variable_and_constant(canvas):
    from cgeditor.model.ops import OPS
    assert set(canvas.palette.visible_keys()) == {"variable", "constant", *OPS}


def test_an_empty_canvas_says_what_to_do_until_the_first_node_arrives(canvas):
    hint = canvas.view.empty_hint
    canvas.qtbot.waitUntil(hint.isVisible)
    assert "palette" in hint.text() and "Tab" in hint.text()
    centre = canvas.view.viewport().geometry().center()
    assert abs(hint.geometry().center().x() - centre.x()) <= 1
    canvas.drop_from_palette("variable", (0, 0))
    canvas.qtbot.waitUntil(lambda: not hint.isVisible())
    canvas.document.undo_stack.undo()
    canvas.qtbot.waitUntil(hint.isVisible)

"""Renaming a node on the canvas (double-click, inline editor) offers its made-up id the new name,
as the inspector does: same rule, same wording, one undo step, and the node stays selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

from helpers.canvas import Canvas


@pytest.fixture
def canvas(qtbot):
    """An empty document but for `weight`, a variable whose id its author chose, far below."""
    graph = Graph()
    graph.add_node(Node("weight", NodeKind.VARIABLE, label="weight", value=1.0, pos=(0.0, 400.0)))
    return Canvas(qtbot, Document(graph))


def open_editor(canvas: Canvas, node_id: str, text: str):
    canvas.wait_evaluated()
    canvas.double_click(canvas.scene.node_item(node_id).sceneBoundingRect().center())
    editor = canvas.scene.inline_editor
    canvas.qtbot.keyClick(editor, Qt.Key_A, Qt.ControlModifier)
    canvas.qtbot.keyClicks(editor, text)
    return editor, offer_box(canvas)


def offer_box(canvas: Canvas):
    from cgeditor.editor.canvas.inline_editors import IdOfferBox
    boxes = [w for w in canvas.view.viewport().findChildren(IdOfferBox) if w.isVisible()]
    return boxes[0] if boxes else None


def test_a_click_on_the_offer_renames_the_made_up_id_with_the_label_in_one_undo_step(canvas):
    x = canvas.drop_from_palette("variable", (0, 0))
    sq = canvas.drop_from_palette("square", (200, 0))
    canvas.wire(x, sq, 0)
    steps = canvas.document.undo_stack.count()
    editor, box = open_editor(canvas, x, "w")
    assert box is not None and box.isEnabled() and box.text() == f"Rename the id {x} to w too"
    assert not box.isChecked()  # an offer, as in the inspector
    editor_rect = editor.geometry()
    assert box.geometry().top() >= editor_rect.bottom() and not box.geometry().intersects(editor_rect)
    canvas.qtbot.mouseClick(box, Qt.LeftButton)
    assert box.isChecked() and editor.hasFocus()  # ticking it leaves the typing where it was
    canvas.qtbot.keyClick(editor, Qt.Key_Return)
    graph = canvas.graph
    assert "w" in graph and x not in graph and graph.node("w").label == "w"
    assert graph.in_edges(sq) == [Edge("w", sq, 0)]
    assert canvas.document.undo_stack.count() == steps + 1
    assert canvas.scene.selected_node_ids() == ["w"]
    canvas.qtbot.waitUntil(lambda: offer_box(canvas) is None)
    canvas.document.undo_stack.undo()
    assert x in graph and graph.node(x).label == x and graph.in_edges(sq) == [Edge(x, sq, 0)]


def test_ctrl_enter_takes_the_offer_and_plain_enter_renames_the_label_only(canvas):
    x = canvas.drop_from_palette("variable", (0, 0))
    y = canvas.drop_from_palette("variable", (0, 200))
    editor, _ = open_editor(canvas, x, "w")
    canvas.qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    assert "w" in canvas.graph and x not in canvas.graph
    editor, _ = open_editor(canvas, y, "bias")
    canvas.qtbot.keyClick(editor, Qt.Key_Return)
    assert canvas.graph.node(y).label == "bias" and "bias" not in canvas.graph


@pytest.mark.parametrize("typed", ["weight", "two words"])
def test_the_offer_is_disabled_for_a_taken_name_or_one_no_command_line_can_type(canvas, typed):
    x = canvas.drop_from_palette("variable", (0, 0))
    editor, box = open_editor(canvas, x, typed)
    assert not box.isEnabled() and box.text() == f"Id stays {x}"
    canvas.qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    assert canvas.graph.node(x).label == typed and x in canvas.graph


def test_a_chosen_id_gets_no_offer(canvas):
    editor, box = open_editor(canvas, "weight", "w")
    assert box is None
    canvas.qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    assert canvas.graph.node("weight").label == "w" and "w" not in canvas.graph

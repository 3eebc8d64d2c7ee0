"""The inspector dock, driven with real key and mouse events on its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.inspector import Inspector
from cgeditor.model.graph import is_trainable
from cgeditor.resources import example_path


@pytest.fixture
def doc(qapp):
    return Document.open(example_path())


@pytest.fixture
def inspector(qtbot, doc):
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def retype(qtbot, edit, text: str, finish: bool = True) -> None:
    """Select the field's text and type over it, as a user does."""
    qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(edit, text)
    if finish:
        qtbot.keyClick(edit, Qt.Key_Return)


def test_typing_a_value_updates_the_model_in_one_undo_step(qtbot, doc, inspector):
    inspector.set_node("y")  # 3 → "2" → "2." → "2.5": two different values on the way
    retype(qtbot, inspector.value_edit, "2.5")
    assert doc.graph.node("y").value == 2.5
    assert doc.undo_stack.count() == 1
    qtbot.waitUntil(lambda: inspector.gradient.text() == "28")  # 2·(2 + 2·2.5)·2
    doc.undo_stack.undo()
    assert doc.graph.node("y").value == 3.0


def test_results_follow_each_keystroke_before_enter(qtbot, doc, inspector):
    inspector.set_node("y")
    retype(qtbot, inspector.value_edit, "5", finish=False)
    qtbot.waitUntil(lambda: doc.evaluation.values["L"] == 144.0)  # (2 + 2·5)²
    assert inspector.value_edit.text() == "5"


def test_two_typing_sessions_are_two_undo_steps(qtbot, doc, inspector):
    inspector.set_node("x")
    retype(qtbot, inspector.value_edit, "4")
    retype(qtbot, inspector.value_edit, "7")
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: inspector.value_edit.text() == "4")


def test_text_that_is_not_a_number_is_named_and_changes_nothing(qtbot, doc, inspector):
    inspector.set_node("x")
    retype(qtbot, inspector.value_edit, "abc", finish=False)
    assert "'abc' is not a number" in inspector.value_error.text()
    assert doc.graph.node("x").value == 2.0 and doc.undo_stack.count() == 0
    qtbot.keyClick(inspector.value_edit, Qt.Key_Return)
    assert inspector.value_edit.text() == "2" and inspector.value_error.text() == ""


def test_nonfinite_values_can_be_typed(qtbot, doc, inspector):
    inspector.set_node("y")
    retype(qtbot, inspector.value_edit, "inf")
    assert doc.graph.node("y").value == float("inf")


def test_renaming_applies_on_enter_as_one_step(qtbot, doc, inspector):
    inspector.set_node("x")
    retype(qtbot, inspector.label_edit, "input")
    assert doc.graph.node("x").label == "input" and doc.undo_stack.count() == 1
    assert "input" in inspector.heading.text()


def test_an_op_shows_its_computed_value_read_only_with_full_precision(qtbot, doc, inspector):
    doc.set_value("x", 1 / 3)
    doc.evaluate_now()
    inspector.set_node("z2")
    assert inspector.value_edit.isReadOnly()
    assert inspector.value_edit.text() == repr(1 / 3 + 1 / 3 * 3)
    assert inspector.op.text().endswith("(add)")
    assert [inspector.inputs.item(i).text() for i in range(inspector.inputs.count())] == [
        f"0 ← x: {repr(1 / 3)}", "1 ← z1 = x·y: 1"]


def test_output_checkbox_makes_the_node_the_output(qtbot, doc, inspector):
    inspector.set_node("z2")
    assert not inspector.output_box.isChecked()
    qtbot.mouseClick(inspector.output_box, Qt.LeftButton)
    assert doc.graph.output == "z2"
    qtbot.waitUntil(lambda: inspector.gradient.text() == "1")


def test_problems_of_the_node_are_listed(qtbot, doc, inspector):
    doc.remove_nodes(["z1"])
    inspector.set_node("z2")
    qtbot.waitUntil(lambda: "not connected" in inspector.problems.text())


def test_several_selected_nodes_are_counted_not_shown(qtbot, inspector):
    inspector.set_selection(["x", "y"])
    assert inspector.heading.text() == "2 nodes selected"
    assert inspector.node_id is None


def test_a_deleted_node_is_no_longer_shown(qtbot, doc, inspector):
    inspector.set_node("L")
    doc.remove_nodes(["L"])
    assert inspector.node_id is None


def test_trainable_checkbox_flags_a_variable_in_one_undo_step_and_hides_for_ops(qtbot, qapp):
    doc = Document.open(example_path("linear_regression"))
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    widget.show()
    widget.set_node("y")
    assert widget.trainable_box.isVisible() and not widget.trainable_box.isChecked()  # a target
    qtbot.mouseClick(widget.trainable_box, Qt.LeftButton)
    assert is_trainable(doc.graph.node("y")) and doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert not is_trainable(doc.graph.node("y")) and not widget.trainable_box.isChecked()
    widget.set_node("w")
    assert widget.trainable_box.isChecked()
    widget.set_node("L")
    assert not widget.trainable_box.isVisible()


def test_renaming_a_made_up_id_offers_the_id_along_in_one_undo_step(qtbot, tmp_path, capsys):
    from cgeditor.cli import main
    from cgeditor.model.graph import NodeKind
    doc = Document()
    x = doc.add_node(NodeKind.VARIABLE, pos=(0, 0), value=2.0)
    sq = doc.add_node(NodeKind.OP, "square", pos=(150, 0))
    doc.connect(x, sq, 0)
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.set_document(doc)
    widget.show()
    widget.set_node(x)
    steps = doc.undo_stack.count()
    assert widget.id_box.isVisible() and not widget.id_box.isEnabled()  # nothing typed yet
    retype(qtbot, widget.label_edit, "w", finish=False)
    assert widget.id_box.isEnabled() and widget.id_box.text() == f"Rename the id {x} to w too"
    qtbot.mouseClick(widget.id_box, Qt.LeftButton)
    widget.label_edit.setFocus()
    qtbot.keyClick(widget.label_edit, Qt.Key_Return)
    assert "w" in doc.graph and x not in doc.graph and doc.graph.in_edges(sq)[0].source == "w"
    assert widget.node_id == "w" and doc.undo_stack.count() == steps + 1
    assert not widget.id_box.isVisible()  # w was chosen, not made up: nothing more to offer
    doc.save(tmp_path / "mine.cgraph")
    assert main(["eval", str(tmp_path / "mine.cgraph"), "--set", "w=4"]) == 0
    assert "16" in capsys.readouterr().out
    doc.undo_stack.undo()
    assert x in doc.graph and doc.graph.node(x).label == x and doc.graph.in_edges(sq)[0].source == x


def test_the_id_is_offered_only_a_free_name_a_command_line_can_type(qtbot, doc, inspector):
    from cgeditor.model.graph import NodeKind
    new = doc.add_node(NodeKind.VARIABLE, pos=(0, 300))
    inspector.set_node(new)
    for typed in ("x", "two words", "L"):  # taken, not an id, taken
        retype(qtbot, inspector.label_edit, typed, finish=False)
        assert not inspector.id_box.isEnabled() and inspector.id_box.text() == f"Id stays {new}"
    inspector.set_node("z1")
    assert not inspector.id_box.isVisible()  # chosen by the example's author


def test_the_output_box_agrees_with_the_badge_when_the_only_end_is_the_output(qtbot, doc, inspector):
    doc.set_output(None)
    doc.evaluate_now()
    assert doc.evaluation.output == "L"
    inspector.set_node("L")
    assert inspector.output_box.isChecked()
    qtbot.mouseClick(inspector.output_box, Qt.LeftButton)
    assert inspector.output_box.isChecked() and doc.graph.output == "L"  # the choice made explicit

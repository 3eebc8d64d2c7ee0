"""Edit → New Operation…: a user op typed as a formula, its derived derivatives shown as the user
types, a hand-written derivative checked (a disagreement shown, never accepted), OK defining a
block the palette offers and whose instances' gradients are those of finite differences."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.user_op_dialog import UserOpDialog
from cgeditor.model.blocks import BlockLibrary
from cgeditor.model.formula_ops import block_from_formula
from cgeditor.model.graph import NodeKind

SOFTPLUS = "softplus(t) = log(1 + exp(t))"


@pytest.fixture
def dialog(qtbot):
    dialog = UserOpDialog(BlockLibrary())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_formula(qtbot, dialog, text: str) -> None:
    dialog.formula.clear()
    qtbot.keyClicks(dialog.formula, text)


def test_typing_a_formula_shows_its_derived_derivative_and_values_at_the_sample_point(qtbot, dialog):
    type_formula(qtbot, dialog, SOFTPLUS)
    (row,) = dialog._rows
    assert row.derived.text() == "∂softplus/∂t = 1 / (1 + exp(t)) * exp(t)"
    assert dialog.value.text() == "softplus(0.5) = 0.9741"  # log(1 + e^0.5)
    assert row.at_sample.text() == "= 0.6225"  # σ(0.5)
    assert dialog.error.text() == "" and dialog.is_valid()


def test_changing_the_sample_point_recomputes_the_values(qtbot, dialog):
    type_formula(qtbot, dialog, "f(a, b) = a * b + a")
    a, b = dialog._rows
    assert [a.derived.text(), b.derived.text()] == ["∂f/∂a = 1 + b", "∂f/∂b = a"]
    b.sample.clear()
    qtbot.keyClicks(b.sample, "3")
    assert dialog.value.text() == "f(0.5, 3) = 2"
    assert [a.at_sample.text(), b.at_sample.text()] == ["= 4", "= 0.5"]
    b.sample.clear()
    qtbot.keyClicks(b.sample, "three")
    assert dialog.error.text().startswith("sample value:") and not dialog.is_valid()


@pytest.mark.parametrize("text, reason", [
    ("softplus(t) = log(1 + exp(u))", "u is not a parameter of softplus (its parameters: t)"),
    ("softplus = log(2)", "write the op as name(parameters) = formula"),
    ("exp(t) = t", "a block cannot be called 'exp': that is a built-in op"),
    ("variable(t) = 2 * t", "a block cannot be called 'variable': that is reserved for a kind of node"),
    ("constant(t) = 2 * t", "a block cannot be called 'constant': that is reserved for a kind of node"),
    ("f(t) = t +", "syntax error"),
    ("f(t, t) = t", "a parameter is named twice"),
])
def test_a_bad_formula_is_one_line_naming_the_problem_and_ok_stays_disabled(qtbot, dialog, text, reason):
    type_formula(qtbot, dialog, text)
    assert reason in dialog.error.text()
    assert "\n" not in dialog.error.text()
    assert not dialog.is_valid()


def test_a_name_the_document_has_is_refused(qtbot):
    doc = Document()
    doc.graph.define_block(block_from_formula("softplus(t) = t"))
    dialog = UserOpDialog(doc.graph.blocks)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.formula, SOFTPLUS)
    assert dialog.error.text() == "a block named 'softplus' already exists" and not dialog.is_valid()


def test_a_wrong_hand_written_derivative_is_shown_as_a_disagreement_and_never_accepted(qtbot, dialog):
    type_formula(qtbot, dialog, SOFTPLUS)
    (row,) = dialog._rows
    qtbot.keyClicks(row.hand_written, "exp(t)")
    text = row.check.text()
    assert text.startswith("✗ disagrees with reverse mode at 20 of 20 random points, e.g. d/dt at t = ")
    assert "the formula gives" in text and "reverse mode gives" in text
    assert "#c92a2a" in row.check.styleSheet()
    assert not dialog.is_valid()
    dialog.ok_button.click()
    assert dialog.result_block is None and dialog.isVisible()

    row.hand_written.clear()
    qtbot.keyClicks(row.hand_written, "sigmoid(t)")
    assert row.check.text() == "✓ agrees with reverse mode at 20 random points" and dialog.is_valid()
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result_block.derivatives == {"t": "sigmoid(t)"}
    assert dialog.result_block.formula == "log(1 + exp(t))"


def test_a_hand_written_derivative_that_does_not_parse_says_why(qtbot, dialog):
    type_formula(qtbot, dialog, SOFTPLUS)
    (row,) = dialog._rows
    qtbot.keyClicks(row.hand_written, "exp(s)")
    assert row.check.text() == "your ∂/∂t: d/dt: s is not a parameter of softplus"
    assert not dialog.is_valid()


def answer_new_operation(qtbot, text: str, derivative: str = "") -> None:
    """Type into the next New Operation dialog (modal: the action is blocked in exec) and click OK."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UserOpDialog):
            QTimer.singleShot(5, poll)
            return
        qtbot.keyClicks(dialog.formula, text)
        if derivative:
            qtbot.keyClicks(dialog._rows[0].hand_written, derivative)
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    QTimer.singleShot(0, poll)


def test_ok_defines_a_block_whose_palette_entry_makes_instances_with_finite_difference_gradients(
        qtbot, make_window):
    window = make_window(Document())
    answer_new_operation(qtbot, SOFTPLUS, "sigmoid(t)")
    window.window_actions.new_operation.trigger()
    doc = window.document
    assert doc.graph.blocks.names() == ["softplus"]
    assert window.palette.item("softplus").parent().text(0) == "Blocks"

    qtbot.keyClicks(window.palette.filter_edit, "softplus")
    qtbot.keyClick(window.palette.filter_edit, Qt.Key_Return)
    (instance,) = [n.id for n in doc.graph if n.op == "softplus"]
    x = doc.add_node(NodeKind.VARIABLE, value=0.3)
    doc.connect(x, instance, 0)
    doc.set_output(instance)
    doc.evaluate_now()
    result = doc.evaluation
    h = 1e-6
    numeric = (math.log1p(math.exp(0.3 + h)) - math.log1p(math.exp(0.3 - h))) / (2 * h)
    assert result.values[instance] == pytest.approx(math.log1p(math.exp(0.3)), rel=1e-12)
    assert result.grads[x] == pytest.approx(numeric, rel=1e-8)


def test_defining_an_op_is_one_undo_step(qtbot, make_window):
    window = make_window(Document())
    answer_new_operation(qtbot, "sq(t) = t * t")
    window.window_actions.new_operation.trigger()
    assert window.document.graph.blocks.names() == ["sq"]
    assert window.document.undo_stack.count() == 1
    window.document.undo_stack.undo()
    assert window.document.graph.blocks.names() == []
    assert "sq" not in window.palette.visible_keys()

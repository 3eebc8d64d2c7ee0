"""The lesson dock on the linear example: finite differences beside AD, nudging an input,
gradient descent as one undo step per run, resetting values and copying the results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea
from helpers.teaching_windows import key, open_example  # noqa: F401

from cgeditor.model.graph import NodeKind


@pytest.fixture
def lesson(qtbot, open_example):
    window = open_example("linear_regression")
    window.teaching.lesson_dock.show()
    window.teaching.lesson_dock.raise_()
    return window


def loss(window) -> float:
    return window.document.evaluation.values["L"]


def untick(qtbot, panel, node_id: str) -> None:
    listing = panel.trainable_list
    for i in range(listing.count()):
        item = listing.item(i)
        if item.data(Qt.UserRole) == node_id and item.checkState() == Qt.Checked:
            listing.scrollToItem(item)
            rect = listing.visualItemRect(item)
            box = QPoint(rect.left() + rect.height() // 2, rect.center().y())  # the tick box
            qtbot.mouseClick(listing.viewport(), Qt.LeftButton, pos=box)
            assert item.checkState() == Qt.Unchecked


def test_numerical_check_puts_finite_differences_beside_the_exact_gradients(qtbot, lesson):
    panel = lesson.teaching.lesson
    rows = panel.check.rows()
    assert [(r[0], r[1]) for r in rows] == [("x", "12"), ("w", "8"), ("b", "4"), ("y (target)", "-4")]
    good = max(float(r[3]) for r in rows)
    assert good < 1e-9
    panel.check.step_size.setCurrentText("1e-10")  # too small: rounding error swamps the estimate
    assert max(float(r[3]) for r in panel.check.rows()) > 100 * good


def test_nudge_shows_the_output_change_beside_gradient_times_h(qtbot, lesson):
    panel = lesson.teaching.lesson
    panel.nudge_input.setCurrentIndex(panel.nudge_input.findData("x"))
    panel.nudge_h.setValue(0.01)
    qtbot.mouseClick(panel.nudge_button, Qt.LeftButton)
    assert panel.nudge_result.text() == "ΔL = 0.1209   vs   ∂L/∂x · h = 0.12"
    assert lesson.document.graph.node("x").value == 2.0  # a nudge only asks; it changes nothing


def test_descent_step_lowers_the_loss_and_undoes_in_one_step(qtbot, lesson):
    panel = lesson.teaching.lesson
    untick(qtbot, panel, "y")
    panel.learning_rate.setValue(0.01)
    before = loss(lesson)
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    assert loss(lesson) < before
    assert lesson.document.graph.node("y").value == 5.0
    lesson.document.undo_stack.undo()
    lesson.document.evaluate_now()
    assert loss(lesson) == before


def test_training_run_animates_lowers_the_loss_and_is_one_undo_step(qtbot, lesson):
    panel = lesson.teaching.lesson
    untick(qtbot, panel, "y")
    panel.learning_rate.setValue(0.01)
    panel.train_steps.setValue(6)
    stack = lesson.document.undo_stack
    count = stack.count()
    qtbot.mouseClick(panel.train_button, Qt.LeftButton)
    assert panel.is_training()
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=5000)
    losses = panel.loss_plot.losses()
    assert len(losses) == 7 and all(b < a for a, b in zip(losses, losses[1:]))
    assert stack.count() == count + 1 and stack.undoText() == "Train 6 steps"
    stack.undo()
    assert {n: lesson.document.graph.node(n).value for n in "xwb"} == {"x": 2.0, "w": 3.0, "b": 1.0}


def test_reset_values_returns_to_the_values_the_document_was_opened_with(qtbot, lesson):
    panel = lesson.teaching.lesson
    lesson.document.set_value("w", 7.0)
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    values = {n.id: n.value for n in lesson.document.graph if n.value is not None}
    assert values == {"x": 2.0, "w": 3.0, "b": 1.0, "y": 5.0}


def test_copy_results_shortcut_puts_a_markdown_table_on_the_clipboard(qtbot, lesson):
    QApplication.clipboard().clear()
    key(qtbot, lesson, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    text = QApplication.clipboard().text()
    assert text.splitlines()[:3] == ["| node | value | gradient |", "| --- | ---: | ---: |", "| x | 2 | 12 |"]


def show_dock(qtbot, dock) -> None:
    """Click a dock's tab, as it were: it comes to the front."""
    dock.show()
    dock.raise_()
    qtbot.waitExposed(dock.widget())


def test_gradient_chart_has_a_bar_per_variable_that_follows_edits(qtbot, lesson):
    show_dock(qtbot, lesson.teaching.chart_dock)
    chart = lesson.teaching.chart
    assert chart.rows() == [("x", 12.0), ("w", 8.0), ("b", 4.0), ("y (target)", -4.0)]
    lesson.document.set_value("y", 7.0)
    qtbot.waitUntil(lambda: chart.rows()[3] == ("y (target)", 0.0))


def test_hidden_gradient_chart_shows_the_new_numbers_when_shown_again(qtbot, lesson):
    tools = lesson.teaching
    show_dock(qtbot, tools.chart_dock)
    show_dock(qtbot, tools.lesson_dock)  # the chart's tab goes behind
    lesson.document.set_value("y", 7.0)
    lesson.document.evaluate_now()
    assert tools.chart.rows()[3] == ("y (target)", -4.0)  # no work while hidden
    show_dock(qtbot, tools.chart_dock)
    assert tools.chart.rows()[3] == ("y (target)", 0.0)


def test_lesson_panel_hidden_while_a_variable_is_added_lists_it_when_shown(qtbot, lesson):
    tools = lesson.teaching
    panel = tools.lesson
    show_dock(qtbot, tools.chart_dock)  # the lesson's tab goes behind
    new = lesson.document.add_node(NodeKind.VARIABLE, pos=(0, 400), value=2.0)
    lesson.document.evaluate_now()
    assert panel.nudge_input.findData(new) == -1  # no work while hidden
    show_dock(qtbot, tools.lesson_dock)
    assert panel.nudge_input.findData(new) >= 0


def test_a_new_variable_joins_the_nudge_and_trainable_lists_and_leaves_with_undo(qtbot, lesson):
    panel = lesson.teaching.lesson

    def listed():
        trainable = [panel.trainable_list.item(i).data(Qt.UserRole) for i in range(panel.trainable_list.count())]
        nudge = [panel.nudge_input.itemData(i) for i in range(panel.nudge_input.count())]
        return trainable, nudge

    new = lesson.document.add_node(NodeKind.VARIABLE, pos=(0, 400), value=2.0)
    lesson.document.evaluate_now()
    trainable, nudge = listed()
    assert new in trainable and new in nudge
    lesson.document.undo_stack.undo()
    lesson.document.evaluate_now()
    trainable, nudge = listed()
    assert new not in trainable and new not in nudge


def test_a_new_window_leaves_the_chart_tabbed_out_of_sight_unworked_until_its_tab_is_chosen(
        qtbot, open_example):
    window = open_example("linear_regression")
    tools = window.teaching
    assert tools.chart_dock.widget().visibleRegion().isEmpty()  # behind the inspector's tab
    assert tools.chart.rows() == []  # the first show did no work for it
    show_dock(qtbot, tools.chart_dock)
    assert tools.chart.rows() == [("x", 12.0), ("w", 8.0), ("b", 4.0), ("y (target)", -4.0)]


def wheel_down(widget) -> None:
    """One notch of a real mouse wheel over the middle of `widget`."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_value_field_scrolls_the_dock_and_changes_nothing(qtbot, lesson):
    panel = lesson.teaching.lesson
    lesson.resize(1000, 520)  # the dock's content no longer fits: it scrolls
    scroll = panel.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    fields = [panel.nudge_h, panel.learning_rate, panel.train_steps, panel.check.step_size, panel.nudge_input]
    before = [f.value() if hasattr(f, "value") else f.currentIndex() for f in fields]
    for field in fields:
        start = bar.value()
        wheel_down(field)
        assert bar.value() > start or bar.value() == bar.maximum()
    assert [f.value() if hasattr(f, "value") else f.currentIndex() for f in fields] == before


def test_descent_trains_the_parameters_and_leaves_the_data_as_given(qtbot, lesson):
    panel = lesson.teaching.lesson
    ticked = {panel.trainable_list.item(i).data(Qt.UserRole): panel.trainable_list.item(i).checkState()
              for i in range(panel.trainable_list.count())}
    assert ticked == {"x": Qt.Unchecked, "w": Qt.Checked, "b": Qt.Checked, "y": Qt.Unchecked}
    panel.learning_rate.setValue(0.01)
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    graph = lesson.document.graph
    assert (graph.node("x").value, graph.node("y").value) == (2.0, 5.0)
    assert (graph.node("w").value, graph.node("b").value) != (3.0, 1.0)


def test_ticking_a_row_sets_the_variables_flag_as_one_undo_step_the_inspector_shows(qtbot, lesson):
    panel = lesson.teaching.lesson
    listing = panel.trainable_list
    row = next(i for i in range(listing.count()) if listing.item(i).data(Qt.UserRole) == "x")
    rect = listing.visualItemRect(listing.item(row))
    qtbot.mouseClick(listing.viewport(), Qt.LeftButton, pos=QPoint(rect.left() + rect.height() // 2, rect.center().y()))
    assert panel.trainable() == ["x", "w", "b"]
    lesson.inspector.set_node("x")
    assert lesson.inspector.trainable_box.isChecked()
    lesson.document.undo_stack.undo()
    assert panel.trainable() == ["w", "b"] and listing.item(row).checkState() == Qt.Unchecked


def test_nudge_starts_on_a_variable_not_a_constant(qtbot, open_example):
    window = open_example("deep_chain")
    window.teaching.lesson_dock.show()
    window.teaching.lesson_dock.raise_()
    panel = window.teaching.lesson
    qtbot.waitUntil(lambda: panel.nudge_input.count() > 0)
    leaves = [n for n in window.document.graph if n.kind is not NodeKind.OP]
    assert leaves[0].kind is NodeKind.CONSTANT  # the first leaf in the file is a constant
    assert panel.nudge_input.currentData() == "a"

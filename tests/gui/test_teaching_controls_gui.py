"""The teaching controls a presenter relies on: End jumps to the last step, the walk skips
gradients with respect to number literals unless asked, the step counter, a Play/Pause button
that keeps its width, and the narration dock closing again when teaching stops."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from cgeditor.model.graph import NodeKind
from helpers.teaching_windows import key, open_example, start_teaching  # noqa: F401


def test_end_jumps_to_the_last_step_and_home_back_to_the_first(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    stepper = window.teaching.stepper
    key(qtbot, window, Qt.Key_End)
    assert stepper.position == stepper.count() - 1
    assert window.teaching.displayed_state().grads["x"].value == 12
    key(qtbot, window, Qt.Key_Home)
    assert stepper.position == 0


def test_the_walk_skips_gradients_of_constants_until_the_toggle_brings_them_back(qtbot, open_example):
    window = open_example("deep_chain")
    start_teaching(qtbot, window)
    tools = window.teaching
    constants = {n.id for n in window.document.graph if n.kind is NodeKind.CONSTANT}
    short = tools.stepper.count()
    key(qtbot, window, Qt.Key_End)
    assert not tools.displayed_state().grads.keys() & constants
    assert not any(line.startswith("∂g/∂(3)") for line in tools.narration.lines())
    tools.controls.constants.trigger()
    graph = window.document.graph
    assert tools.stepper.count() == short + sum(len(graph.out_edges(c)) for c in constants)
    key(qtbot, window, Qt.Key_End)
    assert constants <= tools.displayed_state().grads.keys()


def test_the_narration_dock_tells_the_three_constants_labelled_3_apart(qtbot, open_example):
    window = open_example("deep_chain")
    start_teaching(qtbot, window)
    tools = window.teaching
    tools.controls.constants.trigger()
    key(qtbot, window, Qt.Key_End)
    told = [line.split(" += ")[0] for line in tools.narration.lines() if line.startswith("∂g/∂(3)")]
    assert told == ["∂g/∂(3)[k3g]", "∂g/∂(3)[k3c]", "∂g/∂(3)[k3a]"]
    assert any(line.startswith("∂g/∂(6) += ") for line in tools.narration.lines())  # the only 6


def test_the_step_counter_reads_step_n_of_m(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_Right)
    last = window.teaching.stepper.count() - 1
    assert window.teaching.controls.position.text().strip() == f"step 1 of {last}"
    assert window.teaching.narration.status.text() == f"Step 1 of {last}"


def test_play_and_pause_keep_the_button_width(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    controls = window.teaching.controls
    bar = window.findChild(QToolBar, "teaching_toolbar")
    button = bar.widgetForAction(controls.play)
    width = button.width()
    key(qtbot, window, Qt.Key_Space)
    qtbot.waitUntil(lambda: controls.play.iconText() == "Pause")
    assert button.width() == width
    key(qtbot, window, Qt.Key_Space)
    qtbot.waitUntil(lambda: controls.play.iconText() == "Play")
    assert button.width() == width


def test_the_narration_dock_teaching_opened_closes_when_teaching_stops(qtbot, open_example):
    window = open_example("linear_regression")
    dock = window.teaching.narration_dock
    dock.hide()
    start_teaching(qtbot, window)
    qtbot.waitUntil(dock.isVisible)
    key(qtbot, window, Qt.Key_T, Qt.ControlModifier | Qt.ShiftModifier)
    assert not window.teaching.is_teaching()
    qtbot.waitUntil(lambda: not dock.isVisible())


def test_a_narration_dock_the_user_opened_stays_open_after_teaching(qtbot, open_example):
    window = open_example("linear_regression")
    dock = window.teaching.narration_dock
    dock.show()
    qtbot.waitUntil(dock.isVisible)
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_T, Qt.ControlModifier | Qt.ShiftModifier)
    assert dock.isVisible()

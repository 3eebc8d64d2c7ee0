"""Stepping into expanded instances and expanding instances inside frames, driven as a teacher
drives them: double-click to expand, PageDown to step, Escape to collapse mid-walk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.model.expression import parse_program
from cgeditor.model.graph import Edge
from helpers.block_programs import NESTED, NESTED_VALUES, NEURON, NEURON_VALUES
from helpers.teaching_windows import key, start_teaching

def open_program(make_window, qtbot, text, values):
    window = make_window(Document(parse_program(text, values)))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    return window


def double_click(qtbot, window, scene_point) -> None:
    view = window.view
    view.ensureVisible(scene_point.x() - 1, scene_point.y() - 1, 2, 2, 10, 10)
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(scene_point))
    QApplication.processEvents()


def double_click_node(qtbot, window, node_id) -> None:
    double_click(qtbot, window, window.scene.node_item(node_id).sceneBoundingRect().center())


def step_to(qtbot, window, line: str) -> None:
    tools = window.teaching
    for _ in range(tools.stepper.count()):
        if line in tools.narration.current_lines():
            return
        key(qtbot, window, Qt.Key_PageDown)
    pytest.fail(f"never narrated {line!r}")


@pytest.fixture
def neuron_window(make_window, qtbot):
    return open_program(make_window, qtbot, NEURON, NEURON_VALUES)


def test_stepping_through_an_expanded_neuron_plays_its_inside_in_the_frame_then_goes_on(qtbot, neuron_window):
    window = neuron_window
    scene, tools = window.scene, window.teaching
    double_click_node(qtbot, window, "h1")
    frame = scene.insides.frame("h1")
    assert frame is not None
    start_teaching(qtbot, window)
    seen = list(tools.narration.current_lines())
    assert frame.texts()["z"] == ("", "")  # nothing revealed inside yet
    for _ in range(tools.stepper.count() - 1):
        key(qtbot, window, Qt.Key_PageDown)
        seen += tools.narration.current_lines()
    inner = [line for line in seen if "(h1/" in line]
    assert "(h1/z) = (h1/mul) + (h1/mul2) + b1 = 0.15 + (-0.8) + 0.1 = -0.55" in inner
    assert "∂L/∂(h1/z) += ∂L/∂(h1/tanh2) · ∂(h1/tanh2)/∂(h1/z) = 0.537474 · 0.74948 = 0.402826" in inner
    assert seen[-1] == "∂L/∂a += ∂L/∂(h1/mul) · ∂(h1/mul)/∂a = 0.4028 · 0.5 = 0.2014"
    assert not any(line.startswith("h1 = neuron(") for line in seen)  # not one step: its inside
    # the frame shows the walk's numbers: d L / d inner node, the local gradients of its edges
    assert frame.texts()["z"] == ("-0.55", "0.4028")
    assert frame.edge_texts()[Edge("z", "tanh2", 0)] == "0.7495"
    assert window.document.undo_stack.count() == 0


def test_the_step_inside_the_frame_is_marked_there_and_the_callout_points_into_it(qtbot, neuron_window):
    window = neuron_window
    double_click_node(qtbot, window, "h1")
    start_teaching(qtbot, window)
    step_to(qtbot, window, "∂L/∂(h1/z) += ∂L/∂(h1/tanh2) · ∂(h1/tanh2)/∂(h1/z) = "
                           "0.537474 · 0.74948 = 0.402826")
    frame, layer = window.scene.insides.frame("h1"), window.teaching.layer
    assert frame.texts()["mul"][1] == ""  # its gradient comes two steps later
    edge_middle = frame.mapToScene(frame.edge_path(Edge("z", "tanh2", 0)).pointAtPercent(0.5))
    assert layer.anchor_point() == edge_middle
    assert layer.step_rect().contains(edge_middle)


def test_collapsing_mid_walk_leaves_the_stepper_on_a_step_of_the_collapsed_walk(qtbot, neuron_window):
    window = neuron_window
    tools = window.teaching
    double_click_node(qtbot, window, "h1")
    start_teaching(qtbot, window)
    step_to(qtbot, window, "∂L/∂(h1/mul) += ∂L/∂(h1/z) · ∂(h1/z)/∂(h1/mul) = 0.4028 · 1 = 0.4028")
    window.scene.setFocus()
    key(qtbot, window, Qt.Key_Escape)
    assert window.scene.insides.frame("h1") is None
    assert tools.narration.current_lines() == ["∂L/∂v += ∂L/∂mul · ∂mul/∂v = "
                                               "0.2687 · (-0.5005) = -0.1345"]
    key(qtbot, window, Qt.Key_PageDown)
    assert tools.narration.current_lines()[0].startswith("∂L/∂x1 += ∂L/∂h1 · ∂h1/∂x1 = ")
    assert tools.stepper.count() == 13 and tools.displayed_state().current_edge.target == "h1"
    double_click_node(qtbot, window, "h1")  # expanded again: on the same edge, now from inside
    assert tools.narration.current_lines() == ["∂L/∂x1 += ∂L/∂(h1/mul) · ∂(h1/mul)/∂x1 = "
                                               "0.4028 · 0.3 = 0.1208"]
    key(qtbot, window, Qt.Key_PageUp)
    assert "(h1/mul2)" in tools.narration.current_lines()[0]


def test_an_instance_inside_a_frame_expands_in_a_nested_frame_and_folds_back_alone(qtbot, make_window):
    window = open_program(make_window, qtbot, NESTED, NESTED_VALUES)
    scene = window.scene
    double_click_node(qtbot, window, "h")
    outer = scene.insides.frame("h")
    (inner_id,) = [n.id for n in window.document.graph.blocks["unit"].body if n.op == "lin"]
    path = f"h/{inner_id}"
    before = outer.frame_rect().height()
    double_click(qtbot, window, outer.mapToScene(outer.node_rect(inner_id).center()))
    nested = scene.insides.frame(path)
    assert nested is not None and nested.parentItem() is outer
    assert outer.mapRectToScene(outer.frame_rect()).contains(nested.mapRectToScene(nested.frame_rect()))
    assert outer.frame_rect().height() > before  # the outer frame made room for it
    assert nested.texts()["x"][0] == "0.4" and "lin" in nested.title()
    assert window.document.undo_stack.count() == 0  # view state, as the outer expand
    start_teaching(qtbot, window)
    for _ in range(window.teaching.stepper.count() - 1):
        key(qtbot, window, Qt.Key_PageDown)
    assert window.teaching.stepper.state().lines[0].startswith("Forward pass")
    assert any(line.startswith(f"({path}/") for line in window.teaching.stepper.state().lines)
    double_click(qtbot, window, nested.mapToScene(QPointF(8, 8)))  # its corner, off its nodes
    assert scene.insides.frame(path) is None and scene.insides.frame("h") is outer
    assert outer.frame_rect().height() == before

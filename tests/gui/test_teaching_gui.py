"""Teaching mode in the main window, driven with the keys a presentation clicker sends: the
narration, the canvas callout, the paths panel, quiz mode, and restarting after an edit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from helpers.teaching_windows import click_node, key, open_example, start_teaching  # noqa: F401

from helpers.linear_walk import LINEAR_BACKWARD, LINEAR_FORWARD

from cgeditor.model.graph import Edge, NodeKind


def test_clicker_keys_walk_the_linear_example_to_gradients_12_8_4_minus_4(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    tools = window.teaching
    seen = list(tools.narration.current_lines())
    for _ in range(len(LINEAR_FORWARD) + len(LINEAR_BACKWARD) - 1):
        key(qtbot, window, Qt.Key_PageDown)
        seen += tools.narration.current_lines()
    assert seen == LINEAR_FORWARD + LINEAR_BACKWARD
    assert tools.narration.lines() == LINEAR_FORWARD + LINEAR_BACKWARD
    grads = tools.displayed_state().grads
    assert [grads[n].value for n in ("x", "w", "b", "y")] == [12, 8, 4, -4]
    assert tools.layer.callout.text() == LINEAR_BACKWARD[-1]


def test_left_right_and_page_keys_advance_and_rewind(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    stepper = window.teaching.stepper
    key(qtbot, window, Qt.Key_Right)
    key(qtbot, window, Qt.Key_Right)
    key(qtbot, window, Qt.Key_PageDown)
    assert stepper.position == 3
    key(qtbot, window, Qt.Key_Left)
    key(qtbot, window, Qt.Key_PageUp)
    assert stepper.position == 1
    assert window.teaching.narration.current_lines() == [LINEAR_FORWARD[1]]
    key(qtbot, window, Qt.Key_Home)
    assert stepper.position == 0


def test_space_plays_and_pauses_the_walk(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    stepper = window.teaching.stepper
    stepper.set_speed(8)
    key(qtbot, window, Qt.Key_Space)
    assert stepper.is_playing()
    qtbot.waitUntil(lambda: stepper.position >= 2)
    key(qtbot, window, Qt.Key_Space)
    assert not stepper.is_playing()


def test_stepping_keys_keep_their_normal_meaning_when_not_teaching(qtbot, open_example):
    window = open_example("linear_regression")
    stepper = window.teaching.stepper
    key(qtbot, window, Qt.Key_Right)
    key(qtbot, window, Qt.Key_PageDown)
    assert stepper.position == 0
    qtbot.keyPress(window.view, Qt.Key_Space)
    assert window.view._space  # the canvas pans with Space held, as without teaching
    qtbot.keyRelease(window.view, Qt.Key_Space)
    assert window.teaching.displayed_state() is None


def test_teach_button_in_the_toolbar_toggles_teaching(qtbot, open_example):
    window = open_example("linear_regression")
    button = window.teaching.toolbar.widgetForAction(window.teaching.controls.teach)
    qtbot.mouseClick(button, Qt.LeftButton)
    assert window.teaching.is_teaching() and window.teaching.narration_dock.isVisible()
    qtbot.mouseClick(button, Qt.LeftButton)
    assert not window.teaching.is_teaching()
    assert not window.teaching.layer.callout.isVisible()


def test_editing_a_value_mid_walk_restarts_from_the_forward_pass(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    for _ in range(7):
        key(qtbot, window, Qt.Key_Right)
    assert window.teaching.displayed_state().phase == "backward"
    click_node(qtbot, window, "x")
    editor = window.inspector.value_edit
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "4")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.document.evaluation.values["x"] == 4.0)
    state = window.teaching.displayed_state()
    assert state.position == 0 and state.phase == "forward" and state.mode == "backward"
    assert window.teaching.narration.lines() == ["Forward pass. Given x = 4, w = 3, b = 1, y = 5"]


def test_forward_mode_walks_tangents_from_the_chosen_input(qtbot, open_example):
    window = open_example("linear_regression")
    controls = window.teaching.controls
    controls.mode.setCurrentIndex(controls.mode.findData("forward_mode"))
    controls.wrt.setCurrentIndex(controls.wrt.findData("w"))
    start_teaching(qtbot, window)
    for _ in range(window.teaching.stepper.count()):
        key(qtbot, window, Qt.Key_Right)
    state = window.teaching.displayed_state()
    assert state.grads["L"].value == 8 and state.grad_symbol.format("L") == "∂L/∂w"


def show_dock(qtbot, dock) -> None:
    """Click a dock's tab, as it were: it comes to the front."""
    dock.show()
    dock.raise_()
    qtbot.waitExposed(dock.widget())


def test_path_panel_lists_two_paths_to_b_summing_to_5(qtbot, open_example):
    window = open_example("two_paths")
    show_dock(qtbot, window.teaching.paths_dock)
    click_node(qtbot, window, "b")
    paths = window.teaching.paths
    assert paths.rows() == ["e → c → b: 2 · 1 = 2", "e → d → b: 3 · 1 = 3"]
    assert paths.total.text() == "∂e/∂b = 2 + 3 = 5"


def test_path_panel_for_the_deep_chain_sums_to_dg_db(qtbot, open_example):
    window = open_example("deep_chain")
    show_dock(qtbot, window.teaching.paths_dock)
    click_node(qtbot, window, "b")
    paths = window.teaching.paths
    products = [paths.path_at(i).product for i in range(2)]
    assert len(paths.rows()) == 2
    assert sum(products) == window.document.evaluation.grads["b"]
    assert paths.total.text().endswith(f"= {window.document.evaluation.grads['b']:g}")


def test_path_panel_names_a_constant_labelled_3_by_its_id_since_three_share_the_label(qtbot, open_example):
    window = open_example("deep_chain")
    show_dock(qtbot, window.teaching.paths_dock)
    click_node(qtbot, window, "k3c")
    paths = window.teaching.paths
    assert paths.rows() == ["g → (3f) → f → e → (7c) → c → (3)[k3c]: 1 · 3 · 2 · 1 · 7 · 1 = 42"]
    assert paths.heading.text() == "1 path from g down to (3)[k3c]"
    assert paths.total.text() == "∂g/∂(3)[k3c] = 42"
    click_node(qtbot, window, "k6")
    assert paths.heading.text() == "1 path from g down to (6)"  # a label of its own needs no id


def test_paths_of_a_node_selected_while_the_panel_is_hidden_appear_when_it_is_shown(qtbot, open_example):
    window = open_example("two_paths")
    paths = window.teaching.paths
    assert window.teaching.paths_dock.widget().visibleRegion().isEmpty()  # tabbed behind the inspector
    click_node(qtbot, window, "b")
    assert paths.rows() == []  # a hidden panel works out nothing
    show_dock(qtbot, window.teaching.paths_dock)
    assert paths.rows() == ["e → c → b: 2 · 1 = 2", "e → d → b: 3 · 1 = 3"]


def test_with_respect_to_list_follows_added_and_removed_inputs(qtbot, open_example):
    window = open_example("linear_regression")
    combo = window.teaching.controls.wrt

    def listed():
        return [combo.itemData(i) for i in range(combo.count())]

    assert listed() == ["x", "w", "b", "y"]
    new = window.document.add_node(NodeKind.VARIABLE, pos=(0, 400), value=2.0)
    qtbot.waitUntil(lambda: listed() == ["x", "w", "b", "y", new])
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: listed() == ["x", "w", "b", "y"])


def test_hovering_a_path_row_highlights_it_on_the_canvas(qtbot, open_example):
    window = open_example("two_paths")
    tools = window.teaching
    show_dock(qtbot, tools.paths_dock)
    click_node(qtbot, window, "b")
    listing = tools.paths.list

    def hover_second_row() -> bool:
        # The heading rewraps for the clicked node, moving the list: point at where it is now.
        qtbot.mouseMove(listing.viewport(), listing.visualItemRect(listing.item(1)).center())
        return tools.layer.path is not None

    qtbot.waitUntil(hover_second_row)
    assert tools.layer.path[0] == ["e", "d", "b"] and tools.layer.path_edges.isVisible()


def test_quiz_hides_every_gradient_until_its_node_is_clicked(qtbot, open_example):
    window = open_example("linear_regression")
    window.teaching.controls.quiz_all.trigger()
    grads = window.teaching.displayed_state().grads
    assert {shown.text for shown in grads.values()} == {"?"}
    click_node(qtbot, window, "x")
    grads = window.teaching.displayed_state().grads
    assert grads["x"].text == "12" and grads["w"].text == "?"
    window.teaching.controls.quiz_clear.trigger()
    assert window.teaching.displayed_state() is None


def test_callout_sits_below_the_graph_pointing_at_the_current_edge(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    for _ in range(6):
        key(qtbot, window, Qt.Key_Right)
    layer = window.teaching.layer
    assert layer.callout.isVisible() and layer.edge_halo.isVisible()
    assert layer.callout.pos().y() >= window.scene.graph_rect().bottom()
    view_rect = window.view.visible_scene_rect()
    assert view_rect.contains(layer.focus_rect())


def test_forward_pass_hides_values_not_yet_computed_and_all_gradients(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_Right)  # x·w computed
    scene = window.scene
    assert not scene.value_label("xw").is_concealed() and not scene.value_label("x").is_concealed()
    assert scene.value_label("y_hat").is_concealed() and scene.value_label("L").is_concealed()
    assert all(scene.grad_label(n).is_concealed() for n in window.document.graph.nodes)
    assert all(label.is_concealed() for label in map(scene.edge_label, window.document.graph.edges))


def test_backward_step_shows_the_running_sum_at_a_fork_on_the_canvas(qtbot, open_example):
    window = open_example("two_paths")
    start_teaching(qtbot, window)
    stepper = window.teaching.stepper
    for _ in range(stepper.count()):
        if window.teaching.displayed_state().current_edge == Edge("b", "d", 0):
            break
        key(qtbot, window, Qt.Key_Right)
    scene = window.scene
    assert scene.grad_label("b").text() == "∂ 3 + …" and not scene.grad_label("b").is_concealed()
    assert not scene.edge_label(Edge("b", "d", 0)).is_concealed()
    assert scene.edge_label(Edge("b", "c", 1)).is_concealed() and scene.grad_label("a").is_concealed()
    stepper.go_to(stepper.count() - 1)
    assert scene.grad_label("b").text() == "∂ 5"
    window.teaching.set_teaching(False)
    assert not any(label.is_concealed() for label in scene.overlay_labels())


def test_quiz_gradients_read_a_question_mark_on_the_canvas(qtbot, open_example):
    window = open_example("linear_regression")
    window.teaching.controls.quiz_all.trigger()
    assert window.scene.grad_label("x").text() == "∂ ?"
    click_node(qtbot, window, "x")
    assert window.scene.grad_label("x").text() == "∂ 12"


def test_path_panel_counts_paths_past_the_digit_limit_as_a_power(qtbot):
    from cgeditor.editor.document.document import Document
    from cgeditor.editor.teaching.paths_panel import PathsPanel
    from helpers.graph_builders import doubling_chain

    document = Document(doubling_chain(3600, fan=16))
    document.evaluate_now()
    panel = PathsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_document(document)
    panel.set_node("x")
    qtbot.waitUntil(lambda: panel.heading.text().startswith("2^14400 paths"))
    assert "sum over all 2^14400 paths" in panel.total.text()
    assert panel.rows()[-1] == "and ≈ 6.8e4334 more"


def test_the_callout_pointer_leaves_the_straight_drop_when_that_would_cross_a_node(qtbot, open_example):
    """two_paths: d sits right below c, so a pointer dropped straight from c crossed d."""
    from cgeditor.editor.teaching.callout_spot import _box, _crossings
    window = open_example("two_paths")
    start_teaching(qtbot, window)
    layer, scene = window.teaching.layer, window.scene
    while window.teaching.displayed_state().current_node != "c":
        key(qtbot, window, Qt.Key_Right)
    line = layer.pointer.line()
    others = [_box(scene.node_item(n).sceneBoundingRect()) for n in window.document.graph.nodes if n != "c"]
    assert _crossings(line.x1(), line.y1(), line.x2(), line.y2(), others) == 0
    bubble, graph = layer.bubble_scene_rect(), scene.graph_rect()
    assert bubble.top() >= graph.bottom() or bubble.bottom() <= graph.top()  # off the graph: it hides nothing
    assert window.view.visible_scene_rect().contains(layer.bubble_scene_rect())


def test_a_callout_near_the_view_edge_slides_to_stay_whole_in_view(qtbot, open_example):
    window = open_example("deep_chain")
    start_teaching(qtbot, window)
    layer, view = window.teaching.layer, window.view
    for _ in range(window.teaching.stepper.count() - 1):
        key(qtbot, window, Qt.Key_Right)
        seen = view.visible_scene_rect()
        assert seen.contains(layer.bubble_scene_rect()), f"step {window.teaching.stepper.position}"
        assert seen.contains(layer.anchor_point())
    bubble = view.mapFromScene(layer.bubble_scene_rect()).boundingRect()
    assert not (view.minimap.isVisible() and view.minimap.geometry().intersects(bubble))

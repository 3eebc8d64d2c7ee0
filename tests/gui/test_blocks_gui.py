"""Blocks in the editor, driven as a user drives them: select, Ctrl+G, the name dialog, the
pills on the canvas, double-click to expand, Escape to collapse, the palette's Blocks section,
Ungroup and Make Unique, each one undo step."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from cgeditor.editor.document.document import Document
from cgeditor.model import block_edits, fileformat
from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.numbers import format_compact
from helpers.block_graphs import SIGMOID_PARTS, grouped_sigmoid, written_out_sigmoid

X = 0.7


@pytest.fixture
def window(make_window, qtbot):
    window = make_window(Document(written_out_sigmoid(X)))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    return window


def answer_names(window, *names: str) -> list[str]:
    """Answer the next name dialogs with `names`; returns the suggestions they offered."""
    offered, answers = [], list(names)

    def ask(parent, title, prompt, suggestion):
        offered.append(suggestion)
        return answers.pop(0)

    window.blocks.ask_name = ask
    return offered


def press(qtbot, window, key, modifiers=Qt.ControlModifier) -> None:
    qtbot.keyClick(window.view, key, modifiers)
    QApplication.processEvents()  # the coalesced evaluation and selection notification


def select(window, ids) -> None:
    window.scene.select_only(ids)
    QApplication.processEvents()


def group_sigmoid(qtbot, window) -> str:
    answer_names(window, "sig")
    select(window, SIGMOID_PARTS)
    press(qtbot, window, Qt.Key_G)
    (instance,) = [n.id for n in window.document.graph if n.op == "sig"]
    window.document.evaluate_now()
    return instance


def sigmoid_op_graph() -> Graph:
    """The same L = w · σ(x) with the registry's sigmoid op."""
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=X))
    g.add_node(Node("w", NodeKind.VARIABLE, value=3.0))
    g.add_node(Node("sig", NodeKind.OP, op="sigmoid"))
    g.add_node(Node("L", NodeKind.OP, op="mul"))
    for edge in (Edge("x", "sig", 0), Edge("sig", "L", 0), Edge("w", "L", 1)):
        g.add_edge(edge)
    g.set_output("L")
    return g


def test_ctrl_g_groups_a_written_out_sigmoid_whose_pills_show_the_sigmoid_ops_gradients(qtbot, window):
    offered = answer_names(window, "sig")
    select(window, SIGMOID_PARTS)
    press(qtbot, window, Qt.Key_G)
    assert offered == ["block"]
    doc, scene = window.document, window.scene
    instance = "sig"
    assert doc.graph.node(instance).op == "sig" and scene.selected_node_ids() == [instance]
    item = scene.node_item(instance)
    assert item.shape_info.port_names == ("x",) and item.shape_info.symbol == "sig"
    doc.evaluate_now()
    QApplication.processEvents()
    want = evaluate(sigmoid_op_graph())
    local = scene.edge_label(Edge("x", instance, 0))
    assert local.number() == pytest.approx(want.edge_grads[Edge("x", "sig", 0)], rel=1e-12)
    assert local.number() == pytest.approx(math.exp(X) / (1 + math.exp(X)) ** 2, rel=1e-12)
    assert scene.value_label(instance).number() == pytest.approx(want.values["sig"], rel=1e-12)
    assert scene.grad_label(instance).number() == pytest.approx(want.grads["sig"], rel=1e-12)
    assert scene.grad_label("x").number() == pytest.approx(want.grads["x"], rel=1e-12)
    assert scene.value_label(instance).text() == format_compact(want.values["sig"])


def test_group_is_one_undo_step_that_gives_the_file_back_byte_for_byte(qtbot, window):
    doc = window.document
    before = fileformat.dumps(doc.graph)
    group_sigmoid(qtbot, window)
    assert doc.undo_stack.count() == 1
    grouped = doc.graph.copy()
    assert grouped == grouped_sigmoid(X)
    press(qtbot, window, Qt.Key_Z)
    assert fileformat.dumps(doc.graph) == before and len(doc.graph.blocks) == 0
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert doc.graph == grouped
    assert window.scene.node_item("sig").shape_info.port_names == ("x",)


def test_a_selection_with_two_outputs_is_refused_with_the_reason_before_any_name_is_asked(qtbot, window):
    offered = answer_names(window, "never")
    select(window, ["e", "d"])  # both feed s, outside the selection
    press(qtbot, window, Qt.Key_G)
    assert offered == [] and window.document.undo_stack.count() == 0
    assert "more than one output" in window.statusBar().currentMessage()


def test_the_name_dialog_offers_a_free_name_and_a_taken_one_is_refused(qtbot, window):
    group_sigmoid(qtbot, window)
    doc = window.document
    doc.add_node(NodeKind.OP, op="exp", pos=(600.0, 300.0))
    extra = [n for n in doc.graph.nodes if n.startswith("exp")][0]
    select(window, [extra])

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(5, answer)
            return
        seen.append(dialog.textValue())
        dialog.setTextValue("sig")  # taken
        dialog.accept()

    seen: list[str] = []
    from cgeditor.editor.window.block_handlers import ask_block_name
    window.blocks.ask_name = ask_block_name
    QTimer.singleShot(0, answer)
    press(qtbot, window, Qt.Key_G)
    assert seen == ["block"]
    assert "already exists" in window.statusBar().currentMessage()
    assert doc.undo_stack.count() == 2 and doc.graph.blocks.names() == ["sig"]


def test_double_click_expands_the_instance_in_place_and_escape_or_double_click_collapses(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    scene, view = window.scene, window.view
    steps = window.document.undo_stack.count()
    centre = scene.node_item(instance).sceneBoundingRect().center()
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(centre))
    frame = scene.insides.frame(instance)
    assert frame is not None and frame.isVisible()
    placed, node = frame.mapRectToScene(frame.frame_rect()), scene.node_item(instance).sceneBoundingRect()
    assert placed.top() > node.bottom() or placed.bottom() < node.top()  # below or above: where it hides least
    assert placed.center().x() == pytest.approx(node.center().x(), abs=1)
    e = math.exp(X)
    texts = frame.texts()  # L = w·s with w = 3: each inner node's d L / d node, as on the canvas
    assert texts["x"] == (format_compact(X), format_compact(3 * e / (1 + e) ** 2))
    assert texts["e"] == (format_compact(e), format_compact(3 / (1 + e) ** 2))  # 1/d − e/d² through both paths
    assert texts["s"] == (format_compact(e / (1 + e)), "3")
    assert frame.edge_texts()[Edge("x", "e", 0)] == format_compact(e)  # d exp(x) / dx
    assert "sig" in frame.title()
    press(qtbot, window, Qt.Key_Escape, Qt.NoModifier)
    assert scene.insides.frame(instance) is None
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(centre))
    frame = scene.insides.frame(instance)
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(frame.mapRectToScene(frame.frame_rect()).center()))
    assert scene.insides.frame(instance) is None
    assert window.document.undo_stack.count() == steps  # view state, not an edit


def test_an_expanded_inside_follows_a_new_input_value(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    window.scene.insides.expand(instance)
    window.document.set_value("x", 0.0)
    window.document.evaluate_now()
    assert window.scene.insides.frame(instance).texts()["s"] == ("0.5", "3")


def test_the_palette_lists_the_documents_blocks_and_drops_an_instance(qtbot, window):
    palette = window.palette
    assert "sig" not in palette.visible_keys()
    group_sigmoid(qtbot, window)
    assert "sig" in palette.visible_keys()
    assert palette.item("sig").parent().text(0) == "Blocks"
    before = set(window.document.graph.nodes)
    window.view.add_entry_at_centre("sig")
    (new,) = set(window.document.graph.nodes) - before
    assert window.document.graph.node(new).op == "sig"
    press(qtbot, window, Qt.Key_Z)
    press(qtbot, window, Qt.Key_Z)
    assert "sig" not in palette.visible_keys()


def test_ungroup_writes_the_inside_back_as_one_step_with_the_same_numbers(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    doc = window.document
    grouped = fileformat.dumps(block_edits.flatten(doc.graph))
    want = evaluate(doc.graph)
    select(window, [instance])
    press(qtbot, window, Qt.Key_G, Qt.ControlModifier | Qt.ShiftModifier)
    assert instance not in doc.graph and doc.undo_stack.count() == 2
    assert {"e", "d", "s"} <= set(doc.graph.nodes)
    got = evaluate(doc.graph)
    assert got.grads["x"] == pytest.approx(want.grads["x"], rel=1e-12)
    press(qtbot, window, Qt.Key_Z)
    assert fileformat.dumps(block_edits.flatten(doc.graph)) == grouped and doc.graph.node(instance).op == "sig"


def test_make_unique_from_the_edit_menu_gives_one_instance_its_own_block(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    doc = window.document
    grouped = doc.graph.copy()
    offered = answer_names(window, "sig_own")
    select(window, [instance])
    window.window_actions.make_unique.trigger()
    assert offered == ["sig2"]
    assert doc.graph.node(instance).op == "sig_own" and doc.graph.blocks.names() == ["sig", "sig_own"]
    assert "sig_own" in window.palette.visible_keys()
    press(qtbot, window, Qt.Key_Z)
    assert doc.graph == grouped


def test_stepping_through_a_collapsed_instance_is_one_step_with_its_insides_local_gradient(qtbot, window):
    from helpers.teaching_windows import key, start_teaching

    group_sigmoid(qtbot, window)
    start_teaching(qtbot, window)
    tools = window.teaching
    seen = list(tools.narration.current_lines())
    for _ in range(tools.stepper.count() - 1):
        key(qtbot, window, Qt.Key_PageDown)
        seen += tools.narration.current_lines()
    local = format_compact(math.exp(X) / (1 + math.exp(X)) ** 2)
    dx = format_compact(window.document.evaluation.grads["x"])
    assert seen == ["Forward pass. Given x = 0.7, w = 3", "sig = sig(x) = sig(0.7) = 0.6682",
                    "L = sig × w = 0.6682 × 3 = 2.005", "Backward pass. ∂L/∂L = 1",
                    "∂L/∂sig += ∂L/∂L · ∂[sig × w]/∂sig = 1 · 3 = 3",
                    "∂L/∂w += ∂L/∂L · ∂[sig × w]/∂w = 1 · 0.6682 = 0.6682",
                    f"∂L/∂x += ∂L/∂sig · ∂sig/∂x = 3 · {local} = {dx}"]
    assert tools.displayed_state().grads["x"].value == pytest.approx(window.document.evaluation.grads["x"])


def test_the_paths_panel_treats_a_collapsed_instance_as_one_node(qtbot, window):
    from helpers.teaching_windows import click_node

    group_sigmoid(qtbot, window)
    dock = window.teaching.paths_dock
    dock.show()
    dock.raise_()
    qtbot.waitExposed(dock.widget())
    click_node(qtbot, window, "x")
    paths = window.teaching.paths
    local = format_compact(math.exp(X) / (1 + math.exp(X)) ** 2)
    assert paths.rows() == [f"L → sig → x: 3 · {local} = {format_compact(window.document.evaluation.grads['x'])}"]


def test_edit_block_opens_the_inside_whose_edits_change_every_instance_and_undo_as_one_step(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    doc = window.document
    second = doc.add_node(NodeKind.OP, op="sig", pos=(380.0, 300.0))
    doc.connect("w", second, 0)
    grouped = doc.graph.copy()
    select(window, [instance])
    window.window_actions.edit_block.trigger()
    editing = window.block_editing
    assert editing.is_open() and editing.bar.isVisible() and "sig(x)" in editing.crumbs.text()
    assert window.scene.value_label("s").number() == pytest.approx(math.exp(X) / (1 + math.exp(X)))  # at `sig`
    assert not window.scene.document.problems
    inside = window.scene.document
    assert inside is not doc and inside.graph is doc.graph.blocks["sig"].body
    assert window.view.isVisible() and set(n.node_id for n in window.scene.node_items()) == {"x", "one", "e", "d", "s"}
    QApplication.processEvents()
    label = window.scene.value_label("one")  # typed on the inside's canvas: e / (2 + e) at every instance
    qtbot.mouseDClick(window.view.viewport(), Qt.LeftButton,
                      pos=window.view.mapFromScene(label.sceneBoundingRect().center()))
    editor = window.scene.inline_editor
    editor.selectAll()
    qtbot.keyClicks(editor, "2")
    qtbot.keyClick(editor, Qt.Key_Return)
    assert doc.graph.blocks["sig"].body.node("one").value == 2.0
    doc.evaluate_now()
    e, ew = math.exp(X), math.exp(3.0)
    assert doc.evaluation.values[instance] == pytest.approx(e / (2 + e), rel=1e-12)
    assert doc.evaluation.values[second] == pytest.approx(ew / (2 + ew), rel=1e-12)
    assert doc.undo_stack.count() == 4  # group, add, connect, and the edit inside
    qtbot.mouseClick(editing.back_button, Qt.LeftButton)
    assert not editing.is_open() and window.scene.document is doc and window.view.isVisible()
    press(qtbot, window, Qt.Key_Z)
    assert doc.graph == grouped
    doc.evaluate_now()
    assert doc.evaluation.values[instance] == pytest.approx(e / (1 + e), rel=1e-12)


def test_inside_a_block_its_params_stay_and_it_cannot_use_itself(qtbot, window):
    group_sigmoid(qtbot, window)
    window.block_editing.open("sig")
    scene = window.scene
    steps = window.document.undo_stack.count()
    scene.select_only(["x"])
    press(qtbot, window, Qt.Key_Delete, Qt.NoModifier)
    assert "x" in scene.graph and "parameter of block sig" in window.statusBar().currentMessage()
    tree = window.palette.tree  # the palette's "sig" chosen with Enter: it cannot go inside sig
    tree.setCurrentItem(window.palette.item("sig"))
    qtbot.keyClick(tree, Qt.Key_Return)
    assert "cannot use itself" in window.statusBar().currentMessage()
    scene.select_only(["e"])
    press(qtbot, window, Qt.Key_G)
    assert "go back to the document" in window.statusBar().currentMessage()
    assert window.document.undo_stack.count() == steps


def test_undoing_the_group_while_its_inside_is_open_goes_back_to_the_graph(qtbot, window):
    group_sigmoid(qtbot, window)
    window.block_editing.open("sig")
    press(qtbot, window, Qt.Key_Z)
    assert not window.block_editing.is_open() and window.scene.document is window.document
    assert "sig" not in window.document.graph.blocks and window.view.isVisible()


def test_a_params_value_inside_is_the_instances_input_and_cannot_be_typed(qtbot, window):
    group_sigmoid(qtbot, window)
    window.block_editing.open("sig", "sig")
    scene, view = window.scene, window.view
    QApplication.processEvents()
    label = scene.value_label("x")
    assert label.number() == X
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(label.sceneBoundingRect().center()))
    assert scene.inline_editor is None
    assert "each instance's input is its value" in window.statusBar().currentMessage()


def test_an_instances_context_menu_expands_edits_and_ungroups_it(qtbot, window):
    from types import SimpleNamespace

    from PySide6.QtCore import QPointF

    from helpers.canvas import context_menu_choose

    instance = group_sigmoid(qtbot, window)
    canvas = SimpleNamespace(view=window.view, at=lambda p: window.view.mapFromScene(QPointF(*p)))
    centre = window.scene.node_item(instance).sceneBoundingRect().center()
    offered = context_menu_choose(canvas, (centre.x(), centre.y()), "Expand")
    assert {"Expand", "Edit Block", "Make Unique…", "Ungroup"} <= set(offered)
    assert window.scene.insides.is_expanded(instance)
    assert "Collapse" in context_menu_choose(canvas, (centre.x(), centre.y()), "Collapse")
    assert not window.scene.insides.is_expanded(instance)
    context_menu_choose(canvas, (centre.x(), centre.y()), "Ungroup")
    assert instance not in window.document.graph and window.document.undo_stack.count() == 2


def test_ctrl_d_duplicates_an_instance_as_an_instance_of_the_same_block(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    select(window, [instance, "x"])
    press(qtbot, window, Qt.Key_D)
    copies = [n for n in window.scene.selected_node_ids() if n != instance and window.document.graph.node(n).op]
    assert [window.document.graph.node(n).op for n in copies] == ["sig"]
    window.document.evaluate_now()
    assert window.document.evaluation.values[copies[0]] == window.document.evaluation.values[instance]


def choose(menu, text: str) -> None:
    (action,) = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def test_the_palette_deletes_an_unused_block_as_one_step_and_refuses_a_used_one(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    palette, doc = window.palette, window.document
    choose(palette.block_menu("sig"), "Delete Block")
    assert "sig" in doc.graph.blocks and "used by sig" in window.statusBar().currentMessage()
    select(window, [instance])
    press(qtbot, window, Qt.Key_G, Qt.ControlModifier | Qt.ShiftModifier)
    ungrouped = doc.graph.copy()
    choose(palette.block_menu("sig"), "Delete Block")
    assert len(doc.graph.blocks) == 0 and "sig" not in palette.visible_keys()
    assert doc.undo_stack.count() == 3
    press(qtbot, window, Qt.Key_Z)
    assert doc.graph == ungrouped and "sig" in palette.visible_keys()


def test_the_palette_opens_a_block_for_editing(qtbot, window):
    group_sigmoid(qtbot, window)
    choose(window.palette.block_menu("sig"), "Edit Block")
    assert window.block_editing.block_name() == "sig"
    assert window.scene.document.graph is window.document.graph.blocks["sig"].body


def test_opening_another_file_while_a_block_is_open_leaves_one_canvas(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    from cgeditor.resources import example_path

    group_sigmoid(qtbot, window)
    window.block_editing.open("sig")
    window.ask_save_changes = lambda *args: QMessageBox.Discard
    assert window.open_file(example_path())
    layout = window.canvas_area.layout()
    assert not window.block_editing.is_open()
    assert layout.count() == 1 and layout.itemAt(0).widget() is window.view
    assert window.scene.document is window.document


def test_a_grouped_document_saves_and_opens_again_with_its_block_and_the_same_numbers(qtbot, window, tmp_path):
    instance = group_sigmoid(qtbot, window)
    grouped = window.document.graph.copy()
    before = window.document.evaluation.grads["x"]
    assert window._save_to(tmp_path / "g.cgraph")
    assert fileformat.load(tmp_path / "g.cgraph") == grouped
    window.ask_save_changes = lambda *args: QMessageBox.Discard
    assert window.open_file(tmp_path / "g.cgraph")
    window.document.evaluate_now()
    assert window.document.graph.node(instance).op == "sig" and "sig" in window.document.graph.blocks
    assert window.document.evaluation.grads["x"] == before


def test_a_copied_instance_pastes_as_an_instance_of_the_same_block(qtbot, window):
    instance = group_sigmoid(qtbot, window)
    select(window, [instance])
    press(qtbot, window, Qt.Key_C)
    press(qtbot, window, Qt.Key_V)
    instances = [n.id for n in window.document.graph if n.op == "sig"]
    assert len(instances) == 2 and list(window.document.graph.blocks.names()) == ["sig"]

"""Undo and redo in the main window, with the keys a user presses.

The graph L = (x + x·y)² is built from an empty window with every kind of edit, then undone
back to the empty document with Ctrl+Z and redone with the standard redo key, the model
compared with the recorded history at each step.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.window.main_window import MainWindow
from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, NodeKind
from cgeditor.resources import example_path

V, OP = NodeKind.VARIABLE, NodeKind.OP


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    w.ask_save_changes = lambda *args: QMessageBox.Discard  # nobody is left to answer
    w.close()
    w.deleteLater()


def key(qtbot, widget, sequence) -> None:
    """Press a key sequence (standard or text) on `widget`."""
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def select(qtbot, window, *node_ids) -> None:
    """Select exactly these nodes, and wait for the inspector to follow (the next event-loop turn)."""
    window.scene.clearSelection()
    for node_id in node_ids:
        window.scene.node_item(node_id).setSelected(True)
    expected = node_ids[0] if len(node_ids) == 1 else None
    qtbot.waitUntil(lambda: window.inspector.node_id == expected)


def type_into(qtbot, edit, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


def test_undo_every_kind_of_edit_to_the_empty_document_then_redo(qtbot, window):
    doc, view, inspector = window.document, window.view, window.inspector
    history = [doc.graph.copy()]

    def done():
        history.append(doc.graph.copy())
        assert doc.undo_stack.count() == len(history) - 1  # every edit was exactly one step

    x = doc.add_node(V, pos=(0, 0)); done()
    y = doc.add_node(V, pos=(0, 110)); done()
    z1 = doc.add_node(OP, "mul", (170, 110)); done()
    z2 = doc.add_node(OP, "add", (340, 55)); done()
    L = doc.add_node(OP, "square", (510, 55)); done()
    for source, target, port in [(x, z1, 0), (y, z1, 1), (y, z2, 0), (z1, z2, 1), (z2, L, 0)]:
        assert doc.connect(source, target, port) is None; done()
    assert doc.connect(x, z2, 0) is None; done()  # onto the occupied port: replaces y → z2

    select(qtbot, window, x)
    type_into(qtbot, inspector.value_edit, "2"); done()
    select(qtbot, window, y)
    type_into(qtbot, inspector.value_edit, "3.25"); done()
    type_into(qtbot, inspector.value_edit, "3"); done()
    type_into(qtbot, inspector.label_edit, "weight"); done()
    select(qtbot, window, L)
    qtbot.mouseClick(inspector.output_box, Qt.LeftButton); done()

    drag = new_merge_id()
    for step in range(1, 4):
        doc.move_nodes({L: (510 + 10 * step, 55)}, drag)
    done()

    select(qtbot, window, y, z1)
    key(qtbot, view, QKeySequence.Copy)
    key(qtbot, view, QKeySequence.Paste); done()
    pasted = window.scene.selected_node_ids()
    assert len(pasted) == 2
    key(qtbot, view, "Ctrl+D"); done()
    key(qtbot, view, QKeySequence.Delete); done()  # the duplicates
    select(qtbot, window, *pasted)
    key(qtbot, view, QKeySequence.Delete); done()
    doc.disconnect([Edge(x, z1, 0)]); done()
    assert doc.connect(x, z1, 0) is None; done()
    t = doc.insert_on_edge(Edge(z2, L, 0), "tanh", (420, 55)); done()
    select(qtbot, window, t)
    key(qtbot, view, QKeySequence.Delete); done()
    assert doc.connect(z2, L, 0) is None; done()
    select(qtbot, window)
    key(qtbot, view, "Ctrl+L"); done()  # arrange

    finished = fileformat.dumps(doc.graph)
    doc.evaluate_now()
    assert doc.evaluation.values[L] == 64.0 and doc.evaluation.grads[y] == 32.0
    assert window.history.model().rowCount() == len(history)  # "New graph" plus one row per edit

    for expected in reversed(history[:-1]):
        key(qtbot, view, QKeySequence.Undo)
        assert fileformat.dumps(doc.graph) == fileformat.dumps(expected)
    assert len(doc.graph) == 0 and not window.isWindowModified()
    assert not window.window_actions.undo.isEnabled()

    for expected in history[1:]:
        key(qtbot, view, QKeySequence.Redo)
        assert fileformat.dumps(doc.graph) == fileformat.dumps(expected)
    assert fileformat.dumps(doc.graph) == finished
    assert not window.window_actions.redo.isEnabled()


def test_undo_and_redo_actions_follow_the_current_document(qtbot, window):
    window.document.add_node(V)
    assert window.window_actions.undo.isEnabled() and window.window_actions.undo.text() == "Undo Add x"
    window.ask_save_changes = lambda *args: QMessageBox.Discard
    window.window_actions.new.trigger()
    assert not window.window_actions.undo.isEnabled()
    window.document.add_node(OP, "exp")
    window.window_actions.undo.trigger()
    assert len(window.document.graph) == 0


def test_history_dock_lists_each_step(qtbot, window):
    doc = window.document
    x = doc.add_node(V)
    doc.rename(x, "input")
    model = window.history.model()
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == [
        "New graph", "Add x", "Rename x to input"]


def open_chain_rule(window) -> None:
    assert window.open_file(example_path())


def test_cut_copies_to_the_clipboard_and_deletes_in_one_step(qtbot, window):
    open_chain_rule(window)
    doc = window.document
    select(qtbot, window, "x", "y")
    key(qtbot, window.view, QKeySequence.Cut)
    assert "x" not in doc.graph and "y" not in doc.graph and doc.undo_stack.count() == 1
    assert sorted(fileformat.loads(QApplication.clipboard().text()).nodes) == ["x", "y"]
    key(qtbot, window.view, QKeySequence.Undo)
    assert doc.graph == fileformat.load(example_path())


def test_select_all_then_delete_empties_the_graph_in_one_step(qtbot, window):
    open_chain_rule(window)
    doc = window.document
    key(qtbot, window.view, QKeySequence.SelectAll)
    assert sorted(window.scene.selected_node_ids()) == sorted(doc.graph.nodes)
    key(qtbot, window.view, QKeySequence.Delete)
    assert len(doc.graph) == 0 and doc.undo_stack.count() == 1
    key(qtbot, window.view, QKeySequence.Undo)
    assert doc.graph == fileformat.load(example_path())

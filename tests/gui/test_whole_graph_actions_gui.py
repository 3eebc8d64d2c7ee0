"""Whole-graph actions through the keyboard: Select All notifies once, and copy, paste, duplicate,
delete, undo and redo of every node give exactly the documents and ids they should."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

N_SUMS = 60


def weighted_sums() -> Graph:
    """x1·w1 + x2·w2 + … summed as a chain: ids with and without numbers, several stems, 241 nodes,
    every edge short (label placement's cost grows with edge lengths, which is not tested here)."""
    g = Graph()
    g.add_node(Node("c", NodeKind.CONSTANT, value=0.5, pos=(300.0, 0.0)))
    for k in range(1, N_SUMS + 1):
        x, w, m, s = f"x{k}", f"w{k}", f"mul{k}", f"add{k}"
        g.add_node(Node(x, NodeKind.VARIABLE, value=k / 7, pos=(0.0, 120.0 * k)))
        g.add_node(Node(w, NodeKind.VARIABLE, value=k / 10, pos=(0.0, 120.0 * k + 60)))
        g.add_node(Node(m, NodeKind.OP, op="mul", pos=(150.0, 120.0 * k + 30)))
        g.add_node(Node(s, NodeKind.OP, op="add", pos=(300.0, 120.0 * k + 30)))
        g.add_edge(Edge(x, m, 0))
        g.add_edge(Edge(w, m, 1))
        g.add_edge(Edge(m, s, 0))
        g.add_edge(Edge(f"add{k - 1}" if k > 1 else "c", s, 1))
    g.set_output(f"add{N_SUMS}")
    return g


def ids_by_the_search_from_two(graph: Graph) -> list[str]:
    """The ids a copy of every node gets: its stem (the id without its number) if free, else the
    stem's first free number, counting from 2."""
    taken, new = set(graph.nodes), []
    for node_id in graph.nodes:
        stem = node_id.rstrip("0123456789") or node_id
        fresh, i = stem, 2
        while fresh in taken:
            fresh, i = f"{stem}{i}", i + 1
        taken.add(fresh)
        new.append(fresh)
    return new


@pytest.fixture
def window(make_window, qtbot):
    window = make_window(Document(weighted_sums()))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    return window


def press(qtbot, window, key, modifiers=Qt.ControlModifier) -> None:
    qtbot.keyClick(window.view, key, modifiers)
    QApplication.processEvents()  # the coalesced selection notification and evaluation


def test_select_all_notifies_the_selection_listeners_once(qtbot, window):
    settled = []
    window.scene.selection_settled.connect(lambda: settled.append(len(window.scene.selected_node_ids())))
    press(qtbot, window, Qt.Key_A)
    n = len(window.document.graph)
    qtbot.waitUntil(lambda: window.inspector.heading.text() == f"{n} nodes selected")
    QApplication.processEvents()
    assert settled == [n]


def test_copy_paste_undo_redo_give_the_documents_byte_for_byte_and_the_expected_ids(qtbot, window):
    doc = window.document
    before = fileformat.dumps(doc.graph)
    expected = ids_by_the_search_from_two(doc.graph)
    press(qtbot, window, Qt.Key_A)
    press(qtbot, window, Qt.Key_C)
    press(qtbot, window, Qt.Key_V)
    assert list(doc.graph.nodes)[len(expected):] == expected
    assert sorted(window.scene.selected_node_ids()) == sorted(expected)
    assert doc.undo_stack.count() == 1 and not doc.problems
    pasted = fileformat.dumps(doc.graph)
    press(qtbot, window, Qt.Key_Z)
    assert fileformat.dumps(doc.graph) == before
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert fileformat.dumps(doc.graph) == pasted
    doc.evaluate_now()
    copy_of_output = expected[list(doc.graph.nodes).index(f"add{N_SUMS}")]
    assert doc.evaluation.values[copy_of_output] == doc.evaluation.values[f"add{N_SUMS}"]


def test_duplicate_then_delete_everything_then_undo_twice_gives_the_documents_back(qtbot, window):
    doc = window.document
    before = fileformat.dumps(doc.graph)
    press(qtbot, window, Qt.Key_A)
    press(qtbot, window, Qt.Key_D)
    expected = ids_by_the_search_from_two(fileformat.loads(before))
    assert list(doc.graph.nodes)[len(expected):] == expected
    duplicated = fileformat.dumps(doc.graph)
    press(qtbot, window, Qt.Key_A)
    press(qtbot, window, Qt.Key_Delete, Qt.NoModifier)
    assert len(doc.graph) == 0 and not doc.graph.edges
    press(qtbot, window, Qt.Key_Z)
    assert fileformat.dumps(doc.graph) == duplicated
    press(qtbot, window, Qt.Key_Z)
    assert fileformat.dumps(doc.graph) == before

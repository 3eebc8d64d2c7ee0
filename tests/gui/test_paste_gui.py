"""Paste and duplicate in the main window, by keyboard with the mouse where a user has it: the
copy lands at the mouse, or beside the selection, never on top of a node, and every value and
gradient label stays beside its own node after the paste, its undo and a delete."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QCursor

from helpers.teaching_windows import key, open_example  # noqa: F401

ATTACHED = 8.0  # scene units: the placement keeps labels this close when there is room


def settled(qtbot, window) -> None:
    window.document.evaluate_now()
    qtbot.waitUntil(lambda: not window.scene.placement_pending())


def label_gaps(window) -> dict[str, float]:
    """For each node, how far the block of its visible value and gradient labels is from it."""
    scene, gaps = window.scene, {}
    for node_id in window.document.graph.nodes:
        node = scene.node_item(node_id).sceneBoundingRect()
        block = QRectF()
        for label in (scene.value_label(node_id), scene.grad_label(node_id)):
            if label is not None and label.isVisible():
                block = block.united(label.sceneBoundingRect())
        assert not block.isNull(), f"{node_id} shows no labels"
        dx = max(node.left() - block.right(), block.left() - node.right(), 0.0)
        dy = max(node.top() - block.bottom(), block.top() - node.bottom(), 0.0)
        gaps[node_id] = max(dx, dy)
    return gaps


def assert_labels_attached(qtbot, window) -> None:
    settled(qtbot, window)
    far = {n: g for n, g in label_gaps(window).items() if g > ATTACHED}
    assert not far, f"labels away from their nodes: {far}"


def node_rects(window, ids) -> list[QRectF]:
    return [window.scene.node_item(n).sceneBoundingRect() for n in ids]


def covers_a_node(window, ids) -> bool:
    others = [r for n, r in zip(window.document.graph.nodes, node_rects(window, window.document.graph.nodes))
              if n not in ids]
    return any(r.intersects(o) for r in node_rects(window, ids) for o in others)


def mouse_over(qtbot, window, scene_point) -> None:
    viewport = window.view.viewport()
    point = window.view.mapFromScene(scene_point)
    QCursor.setPos(viewport.mapToGlobal(point))
    qtbot.mouseMove(viewport, point)


def test_paste_lands_at_the_mouse_and_keeps_every_label_beside_its_node(qtbot, open_example):
    window = open_example("two_paths")
    settled(qtbot, window)
    key(qtbot, window, Qt.Key_A, Qt.ControlModifier)
    key(qtbot, window, Qt.Key_C, Qt.ControlModifier)
    corner = window.view.viewport().rect().bottomRight() - QPoint(60, 60)
    free = window.view.mapToScene(corner)  # below and right of the graph, still on the canvas
    mouse_over(qtbot, window, free)
    before = set(window.document.graph.nodes)
    key(qtbot, window, Qt.Key_V, Qt.ControlModifier)
    pasted = [n for n in window.document.graph.nodes if n not in before]
    assert len(pasted) == 6 and set(window.scene.selected_node_ids()) == set(pasted)
    copy = QRectF()
    for rect in node_rects(window, pasted):
        copy = copy.united(rect)
    assert (copy.center() - free).manhattanLength() <= 4 * 40  # centred there, or a few steps off
    assert not covers_a_node(window, pasted)
    assert_labels_attached(qtbot, window)
    window.document.undo_stack.undo()
    assert set(window.document.graph.nodes) == before
    assert_labels_attached(qtbot, window)
    window.document.undo_stack.redo()
    assert_labels_attached(qtbot, window)


def test_paste_with_the_mouse_on_the_selection_moves_off_it(qtbot, open_example):
    window = open_example("two_paths")
    settled(qtbot, window)
    key(qtbot, window, Qt.Key_A, Qt.ControlModifier)
    key(qtbot, window, Qt.Key_C, Qt.ControlModifier)
    mouse_over(qtbot, window, window.scene.node_item("c").pos())
    before = set(window.document.graph.nodes)
    key(qtbot, window, Qt.Key_V, Qt.ControlModifier)
    pasted = [n for n in window.document.graph.nodes if n not in before]
    assert not covers_a_node(window, pasted)
    assert_labels_attached(qtbot, window)


def test_paste_from_the_menu_with_the_mouse_elsewhere_lands_right_of_the_selection(qtbot, open_example):
    window = open_example("two_paths")
    settled(qtbot, window)
    for node_id in ("c", "d"):
        window.scene.node_item(node_id).setSelected(True)
    window.window_actions.copy.trigger()
    QCursor.setPos(window.mapToGlobal(QPoint(-50, -50)))  # off the canvas: over no widget of ours
    before = set(window.document.graph.nodes)
    window.window_actions.paste.trigger()
    pasted = [n for n in window.document.graph.nodes if n not in before]
    originals = node_rects(window, ["c", "d"])
    right_edge = max(r.right() for r in originals)
    assert all(r.left() > right_edge for r in node_rects(window, pasted))
    assert not covers_a_node(window, pasted)
    assert_labels_attached(qtbot, window)


def test_deleting_a_pasted_copy_and_duplicating_leave_the_labels_attached(qtbot, open_example):
    window = open_example("deep_chain")
    settled(qtbot, window)
    for node_id in ("b", "t2b", "t5b"):
        window.scene.node_item(node_id).setSelected(True)
    QCursor.setPos(window.mapToGlobal(QPoint(-50, -50)))
    window.window_actions.duplicate.trigger()
    copies = window.scene.selected_node_ids()
    assert len(copies) == 3 and not covers_a_node(window, copies)
    assert_labels_attached(qtbot, window)
    key(qtbot, window, Qt.Key_Delete)
    assert not set(copies) & set(window.document.graph.nodes)
    assert_labels_attached(qtbot, window)

"""Annotations on the canvas, driven with the mouse and keyboard: notes and arrows are added from
the context menu and the Edit menu, typed into, dragged (one undo step per drag), deleted with the
selection, saved with the document and drawn by exported pictures."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from cgeditor.editor.canvas.annotation_items import ArrowItem, NoteItem
from cgeditor.editor.document.document import Document
from cgeditor.editor.window.main_window import MainWindow
from cgeditor.editor.canvas.render import render_graph
from cgeditor.model import fileformat
from cgeditor.model.annotations import Arrow, Note
from cgeditor.resources import example_path

from helpers.canvas import Canvas
from helpers.canvas import context_menu_choose

EMPTY_SPOT = (-300.0, 300.0)  # canvas left of and below the chain-rule example's nodes


@pytest.fixture
def canvas(qtbot):
    c = Canvas(qtbot, Document.open(example_path()))
    c.view.centerOn(0, 200)
    return c


def add_note(canvas, text: str) -> str:
    """Add a note from the canvas context menu and type `text` into it (Ctrl+Enter keeps it)."""
    before = {a.id for a in canvas.graph.annotations}
    context_menu_choose(canvas, EMPTY_SPOT, "Add note here")
    (ann_id,) = {a.id for a in canvas.graph.annotations} - before
    editor = canvas.scene.annotations.editor
    canvas.window.activateWindow()  # the offscreen platform leaves it inactive after the menu
    canvas.qtbot.waitUntil(lambda: editor.hasFocus())
    for i, line in enumerate(text.split("\n")):
        if i:
            canvas.qtbot.keyClick(editor, Qt.Key_Return)  # a plain Return starts a new line
        canvas.qtbot.keyClicks(editor, line)
    canvas.qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    return ann_id


def centre(canvas, ann_id: str) -> QPointF:
    return canvas.scene.annotations.item(ann_id).sceneBoundingRect().center()


def test_a_note_added_from_the_context_menu_takes_typed_lines(canvas):
    steps = canvas.document.undo_stack.count()
    ann_id = add_note(canvas, "Chain rule:\nmultiply along the path")
    note = canvas.graph.annotation(ann_id)
    assert note == Note(ann_id, "Chain rule:\nmultiply along the path", EMPTY_SPOT)
    item = canvas.scene.annotations.item(ann_id)
    assert isinstance(item, NoteItem) and item.text_item.toPlainText() == note.text
    assert canvas.document.undo_stack.count() == steps + 2  # added, then typed
    canvas.document.undo_stack.undo()
    assert canvas.graph.annotation(ann_id).text == "Note"
    canvas.document.undo_stack.undo()
    assert canvas.graph.annotations == [] and canvas.scene.annotations.item(ann_id) is None


def test_escape_drops_an_edit_and_changes_nothing(canvas):
    ann_id = add_note(canvas, "keep me")
    steps = canvas.document.undo_stack.count()
    canvas.double_click(centre(canvas, ann_id))
    editor = canvas.scene.annotations.editor
    assert editor.isVisible() and editor.toPlainText() == "keep me"
    canvas.qtbot.keyClicks(editor, "gone")
    canvas.qtbot.keyClick(editor, Qt.Key_Escape)
    assert canvas.graph.annotation(ann_id).text == "keep me"
    assert canvas.document.undo_stack.count() == steps
    assert not editor.isVisible()


def test_a_click_elsewhere_keeps_the_typed_text(canvas):
    ann_id = add_note(canvas, "first")
    canvas.double_click(centre(canvas, ann_id))
    editor = canvas.scene.annotations.editor
    canvas.qtbot.keyClick(editor, Qt.Key_End, Qt.ControlModifier)
    canvas.qtbot.keyClicks(editor, " and more")
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, pos=canvas.at((-300.0, -200.0)))
    canvas.qtbot.waitUntil(lambda: canvas.graph.annotation(ann_id).text == "first and more")


def test_delete_and_backspace_while_typing_edit_the_text_not_the_canvas(canvas):
    ann_id = add_note(canvas, "abc")
    canvas.double_click(centre(canvas, ann_id))
    editor = canvas.scene.annotations.editor
    canvas.qtbot.keyClick(editor, Qt.Key_End, Qt.ControlModifier)
    canvas.qtbot.keyClick(editor, Qt.Key_Backspace)
    canvas.qtbot.keyClick(editor, Qt.Key_Home)
    canvas.qtbot.keyClick(editor, Qt.Key_Delete)
    canvas.qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    assert canvas.graph.annotation(ann_id).text == "b"


def test_dragging_a_note_moves_it_in_one_undo_step(canvas):
    ann_id = add_note(canvas, "drag me")
    steps = canvas.document.undo_stack.count()
    start = centre(canvas, ann_id)
    canvas.drag(canvas.at(start), (start.x() + 60, start.y() - 40), steps=6)
    assert canvas.graph.annotation(ann_id).pos == (EMPTY_SPOT[0] + 60, EMPTY_SPOT[1] - 40)
    assert canvas.scene.annotations.item(ann_id).pos() == QPointF(EMPTY_SPOT[0] + 60, EMPTY_SPOT[1] - 40)
    assert canvas.document.undo_stack.count() == steps + 1
    canvas.document.undo_stack.undo()
    assert canvas.graph.annotation(ann_id).pos == EMPTY_SPOT
    assert canvas.scene.annotations.item(ann_id).pos() == QPointF(*EMPTY_SPOT)


def test_escape_during_a_note_drag_puts_it_back_and_leaves_no_undo_step(canvas):
    ann_id = add_note(canvas, "drag me")
    steps = canvas.document.undo_stack.count()
    start, vp = centre(canvas, ann_id), canvas.view.viewport()
    canvas.qtbot.mousePress(vp, Qt.LeftButton, pos=canvas.at(start))
    canvas.qtbot.mouseMove(vp, canvas.at((start.x() + 60, start.y() - 40)))
    assert canvas.graph.annotation(ann_id).pos == (EMPTY_SPOT[0] + 60, EMPTY_SPOT[1] - 40)
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Escape)
    canvas.qtbot.mouseMove(vp, canvas.at((start.x() + 90, start.y())))  # the drag is over
    canvas.qtbot.mouseRelease(vp, Qt.LeftButton, pos=canvas.at((start.x() + 90, start.y())))
    assert canvas.graph.annotation(ann_id).pos == EMPTY_SPOT
    assert canvas.document.undo_stack.count() == steps


def test_an_arrows_head_and_body_are_dragged_separately(canvas):
    context_menu_choose(canvas, EMPTY_SPOT, "Add arrow here")
    (arrow,) = canvas.graph.annotations
    assert isinstance(arrow, Arrow) and arrow.start == EMPTY_SPOT
    assert isinstance(canvas.scene.annotations.item(arrow.id), ArrowItem)
    steps = canvas.document.undo_stack.count()
    head = QPointF(*arrow.end)
    canvas.drag(canvas.at(head), (head.x() + 30, head.y() + 50), steps=5)
    moved = canvas.graph.annotation(arrow.id)
    assert moved.start == arrow.start and moved.end == (arrow.end[0] + 30, arrow.end[1] + 50)
    assert canvas.document.undo_stack.count() == steps + 1
    middle = QPointF((moved.start[0] + moved.end[0]) / 2, (moved.start[1] + moved.end[1]) / 2)
    canvas.drag(canvas.at(middle), (middle.x() - 20, middle.y() + 10), steps=5)
    body = canvas.graph.annotation(arrow.id)
    assert body.start == (moved.start[0] - 20, moved.start[1] + 10)
    assert body.end == (moved.end[0] - 20, moved.end[1] + 10)
    assert canvas.document.undo_stack.count() == steps + 2
    canvas.document.undo_stack.undo()
    canvas.document.undo_stack.undo()
    assert canvas.graph.annotation(arrow.id) == arrow
    item = canvas.scene.annotations.item(arrow.id)
    assert [h.scenePos() for h in item.handles] == [QPointF(*arrow.start), QPointF(*arrow.end)]


def test_delete_removes_selected_annotations_with_selected_nodes_in_one_step(canvas):
    ann_id = add_note(canvas, "bye")
    before = canvas.graph.copy()
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, pos=canvas.at(centre(canvas, ann_id)))
    node = canvas.scene.node_item("x")
    canvas.qtbot.mouseClick(canvas.view.viewport(), Qt.LeftButton, Qt.ControlModifier,
                            canvas.at(node.sceneBoundingRect().center()))
    assert canvas.scene.annotations.selected_ids() == [ann_id] and canvas.scene.selected_node_ids() == ["x"]
    steps = canvas.document.undo_stack.count()
    canvas.qtbot.keyClick(canvas.view.viewport(), Qt.Key_Delete)
    assert canvas.graph.annotations == [] and "x" not in canvas.graph
    assert canvas.document.undo_stack.count() == steps + 1
    canvas.document.undo_stack.undo()
    assert canvas.graph == before
    assert canvas.scene.annotations.item(ann_id) is not None


def test_every_annotation_edit_undoes_and_redoes_exactly(canvas):
    stack = canvas.document.undo_stack
    states = [canvas.graph.copy()]
    ann_id = add_note(canvas, "one")
    states.append(canvas.graph.copy())
    start = centre(canvas, ann_id)
    canvas.drag(canvas.at(start), (start.x() + 40, start.y()), steps=3)
    context_menu_choose(canvas, (-300.0, 500.0), "Add arrow here")
    arrow = canvas.graph.annotations[-1]
    canvas.drag(canvas.at(QPointF(*arrow.start)), (arrow.start[0] - 30, arrow.start[1]), steps=3)
    context_menu_choose(canvas, centre(canvas, ann_id), "Delete")
    final = canvas.graph.copy()
    assert canvas.graph.annotations == [canvas.graph.annotation(arrow.id)]
    while stack.canUndo():
        stack.undo()
    assert canvas.graph == states[0] and canvas.scene.annotations.items == {}
    while stack.canRedo():
        stack.redo()
    assert canvas.graph == final
    assert set(canvas.scene.annotations.items) == {arrow.id}
    item = canvas.scene.annotations.item(arrow.id)
    assert item.arrow == final.annotation(arrow.id)


def test_the_canvas_extent_and_exported_pictures_include_annotations(canvas, tmp_path):
    ann_id = add_note(canvas, "far away")
    note_rect = canvas.scene.annotations.item(ann_id).sceneBoundingRect()
    assert canvas.scene.graph_rect().contains(note_rect)
    out = render_graph(canvas.document, tmp_path / "annotated.png")
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    without = render_graph(Document.open(example_path()), tmp_path / "plain.png")
    assert image.width() * image.height() > QImage(str(without)).width() * QImage(str(without)).height()


# -- in the main window: the Edit menu's action, then save and reopen --------------------------


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "lesson.cgraph"
    shutil.copy(example_path(), path)
    w = MainWindow(Document.open(path), QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.ask_save_changes = lambda *args: QMessageBox.Discard
    w.close()
    w.deleteLater()


def test_a_note_from_the_edit_menu_is_saved_and_reopened(qtbot, window):
    (action,) = [a for a in window.menuBar().actions() if a.text() == "&Edit"]
    (add,) = [a for a in action.menu().actions() if a.text() == "Add &Note"]
    add.trigger()
    editor = window.scene.annotations.editor
    qtbot.waitUntil(lambda: editor.hasFocus())
    qtbot.keyClicks(editor, "Read me from the back row")
    qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    (note,) = window.document.graph.annotations
    assert note.text == "Read me from the back row"
    assert window.isWindowModified()
    qtbot.keyClick(window.view.viewport(), Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.document.is_modified())
    reopened = Document.open(window.document.path)
    assert reopened.graph.annotations == [note]
    assert fileformat.load(window.document.path) == window.document.graph
    window.open_file(window.document.path)
    item = window.scene.annotations.item(note.id)
    assert isinstance(item, NoteItem) and item.text_item.toPlainText() == note.text


# -- the document's annotation edits -----------------------------------------------------------


def test_moves_with_one_merge_id_are_one_undo_step_and_distinct_ids_are_two(qtbot):
    doc = Document()
    ann_id = doc.add_arrow((0, 0), (10, 0))
    doc.move_annotation(ann_id, ((1, 1), (11, 1)), merge_id=9001)
    doc.move_annotation(ann_id, ((2, 2), (12, 2)), merge_id=9001)
    assert doc.undo_stack.count() == 2
    doc.move_annotation(ann_id, ((3, 3), (13, 3)), merge_id=9002)
    assert doc.undo_stack.count() == 3
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.graph.annotation(ann_id) == Arrow(ann_id, (0.0, 0.0), (10.0, 0.0))


def test_a_note_edit_changes_no_number_and_schedules_no_evaluation(qtbot):
    doc = Document(fileformat.load(example_path()))
    evaluated = []
    doc.evaluated.connect(lambda: evaluated.append(1))
    ann_id = doc.add_note("why", (0, 0))
    doc.set_note_text(ann_id, "because")
    doc.move_annotation(ann_id, (5, 5))
    doc.remove_annotations([ann_id])
    QApplication.processEvents()
    assert evaluated == []


def test_a_note_longer_than_a_file_may_hold_is_cut_to_fit(qtbot):
    doc = Document()
    ann_id = doc.add_note("x" * (fileformat.MAX_NOTE_LENGTH + 5), (0, 0))
    assert len(doc.graph.annotation(ann_id).text) == fileformat.MAX_NOTE_LENGTH
    fileformat.loads(fileformat.dumps(doc.graph))  # still a readable document


def select_note_and_node(canvas, ann_id: str, node_id: str) -> None:
    vp = canvas.view.viewport()
    canvas.qtbot.mouseClick(vp, Qt.LeftButton, pos=canvas.at(centre(canvas, ann_id)))
    node = canvas.scene.node_item(node_id).sceneBoundingRect().center()
    canvas.qtbot.mouseClick(vp, Qt.LeftButton, Qt.ControlModifier, canvas.at(node))
    assert canvas.scene.annotations.selected_ids() == [ann_id]
    assert canvas.scene.selected_node_ids() == [node_id]


@pytest.mark.parametrize("grab", ["node", "note"])
def test_a_selection_of_nodes_and_notes_moves_together_in_one_step(canvas, grab):
    ann_id = add_note(canvas, "I belong to x")
    select_note_and_node(canvas, ann_id, "x")
    node_start, note_start = canvas.graph.node("x").pos, canvas.graph.annotation(ann_id).pos
    steps = canvas.document.undo_stack.count()
    start = centre(canvas, ann_id) if grab == "note" else canvas.scene.node_item("x").sceneBoundingRect().center()
    canvas.drag(canvas.at(start), (start.x() + 60, start.y() + 40), steps=5)
    node_end, note_end = canvas.graph.node("x").pos, canvas.graph.annotation(ann_id).pos
    assert (node_end[0] - node_start[0], node_end[1] - node_start[1]) == (60, 40)
    assert (note_end[0] - note_start[0], note_end[1] - note_start[1]) == (60, 40)
    assert canvas.document.undo_stack.count() == steps + 1
    canvas.document.undo_stack.undo()
    assert canvas.graph.node("x").pos == node_start
    assert canvas.graph.annotation(ann_id).pos == note_start

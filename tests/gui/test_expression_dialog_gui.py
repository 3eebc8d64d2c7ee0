"""File → New from Expression…: typing a program, live feedback, preview, and the new document."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.expression_dialog import ExpressionDialog
from cgeditor.resources import example_path


@pytest.fixture
def dialog(qtbot):
    d = ExpressionDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def type_program(qtbot, dialog: ExpressionDialog, lines: list[str]) -> None:
    dialog.editor.setFocus()
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(dialog.editor, Qt.Key_Return)
        qtbot.keyClicks(dialog.editor, line)


def set_value(qtbot, dialog: ExpressionDialog, name: str, text: str) -> None:
    """Type a value into the table the way a user does: double-click, select all, type, Enter."""
    row = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())].index(name)
    item = dialog.table.item(row, 1)
    cell = dialog.table.visualItemRect(item).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.LeftButton, pos=cell)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.LeftButton, pos=cell)
    editor = dialog.table.indexWidget(dialog.table.indexFromItem(item))
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: item.text() == text)  # the view commits the edit queued


def preview_ids(dialog: ExpressionDialog) -> set[str]:
    return set(dialog.preview_document.graph.nodes)


def test_typed_program_lists_its_variables_with_default_values(qtbot, dialog):
    type_program(qtbot, dialog, ["L = (x + x*y)**2"])
    rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
            for r in range(dialog.table.rowCount())]
    assert rows == [("x", "1"), ("y", "1")]
    assert dialog.ok_button.isEnabled() and dialog.error.text() == ""


def test_preview_follows_the_typing(qtbot, dialog):
    type_program(qtbot, dialog, ["z = x * y"])
    qtbot.waitUntil(lambda: preview_ids(dialog) == {"x", "y", "z"})
    assert dialog.preview_scene.node_item("z") is not None
    type_program(qtbot, dialog, ["", "L = exp(z)"])
    qtbot.waitUntil(lambda: "L" in preview_ids(dialog))
    assert dialog.preview_document.graph.output == "L"
    assert dialog.preview_scene.node_item("L") is not None  # the canvas items follow the graph


def test_preview_shows_the_values_typed_into_the_table(qtbot, dialog):
    type_program(qtbot, dialog, ["L = (x + x*y)**2"])
    set_value(qtbot, dialog, "x", "2")
    set_value(qtbot, dialog, "y", "3")
    qtbot.waitUntil(lambda: dialog.preview_document.evaluation.values.get("L") == 64.0)
    assert dialog.preview_scene.value_label("L").text() == "64"


def test_invalid_program_disables_ok_and_names_the_column(qtbot, dialog):
    type_program(qtbot, dialog, ["a = x + 1", "b = a.real * 2"])
    assert not dialog.ok_button.isEnabled()
    assert "line 2, column 5" in dialog.error.text()
    assert "attribute access" in dialog.error.text()
    marks = dialog.editor.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == "a"
    qtbot.keyClick(dialog.editor, Qt.Key_End)
    for _ in "a.real * 2":
        qtbot.keyClick(dialog.editor, Qt.Key_Backspace)
    qtbot.keyClicks(dialog.editor, "a * 2")
    assert dialog.ok_button.isEnabled() and dialog.error.text() == ""
    assert dialog.editor.extraSelections() == []


def test_unknown_function_is_refused_while_typing(qtbot, dialog):
    type_program(qtbot, dialog, ["y = frobnicate(x)"])
    assert not dialog.ok_button.isEnabled()
    assert "frobnicate" in dialog.error.text()


def test_a_value_that_is_not_a_number_disables_ok(qtbot, dialog):
    type_program(qtbot, dialog, ["z = x * y"])
    set_value(qtbot, dialog, "y", "three")
    assert not dialog.ok_button.isEnabled()
    assert "value of y" in dialog.error.text()
    set_value(qtbot, dialog, "y", "3")
    assert dialog.ok_button.isEnabled()


def test_values_survive_editing_the_program(qtbot, dialog):
    type_program(qtbot, dialog, ["z = x * y"])
    set_value(qtbot, dialog, "x", "5")
    type_program(qtbot, dialog, ["", "w = z + q"])
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())}
    assert rows == {"x": "5", "y": "1", "q": "1"}


def test_empty_program_offers_nothing_to_create_without_an_error(dialog):
    assert not dialog.ok_button.isEnabled()
    assert dialog.error.text() == ""


def fill_and_accept(qtbot, lines, values):
    """Answer the modal dialog: type the program and values as a user would, then click OK."""
    seen = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExpressionDialog):
            QTimer.singleShot(5, poll)
            return
        seen.append(dialog)
        dialog.editor.selectAll()
        qtbot.keyClick(dialog.editor, Qt.Key_Delete)
        type_program(qtbot, dialog, lines)
        for name, text in values.items():
            set_value(qtbot, dialog, name, text)
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    QTimer.singleShot(0, poll)
    return seen


def test_ok_opens_the_graph_as_a_new_unsaved_document(qtbot, make_window):
    window = make_window()
    fill_and_accept(qtbot, ["L = (x + x*y)**2"], {"x": "2", "y": "3"})
    window.window_actions.new_from_expression.trigger()
    document = window.document
    assert document.path is None and window.isWindowModified()
    assert document.evaluation.values["L"] == 64.0
    assert document.evaluation.grads["x"] == 64.0 and document.evaluation.grads["y"] == 32.0
    assert window.scene.node_item("L") is not None
    assert window.last_program == "L = (x + x*y)**2"


def test_new_from_expression_asks_about_unsaved_changes_and_cancel_keeps_them(qtbot, make_window):
    window = make_window(Document.open(example_path()))
    window.document.set_value("x", 5.0)
    original = window.document
    asked = []

    def cancel(*args):
        asked.append(args)
        return QMessageBox.Cancel

    window.ask_save_changes = cancel
    fill_and_accept(qtbot, ["q = a + b"], {})
    assert not window.new_from_expression()
    assert asked and window.document is original
    assert original.graph.node("x").value == 5.0
    assert window.last_program == "q = a + b"  # offered again next time


def test_cancelling_the_dialog_changes_nothing(qtbot, make_window):
    window = make_window(Document.open(example_path()))
    original = window.document
    window.ask_program = lambda parent, text: None
    assert not window.new_from_expression()
    assert window.document is original and not window.isWindowModified()

"""File → New from Expression…: type a program, see its graph, get a document.

The program is parsed on every keystroke (parsing is cheap and never runs anything), so the
red message under the editor and the OK button always match the text; the preview, which lays
the graph out and evaluates it, follows ~200 ms after typing pauses.  Variables the program
does not give a value get one in the table (1.0 until edited), kept by name while editing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QPlainTextEdit, QSplitter, QTableWidget, QTableWidgetItem,
                               QTextEdit, QVBoxLayout, QWidget)

from cgeditor.model.expression import ExpressionError, parse_program, program_variables
from cgeditor.model.graph import Graph
from cgeditor.model.numbers import format_full, parse_number

from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.canvas.view import GraphView

PREVIEW_DELAY_MS = 200
DEFAULT_VALUE = 1.0
ERROR_COLOR = "#c92a2a"
EXAMPLE = "L = (x + x*y)**2"


class ExpressionDialog(QDialog):
    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New Graph from Expression")
        self._variables: list[str] = []
        self._values: dict[str, str] = {}  # typed value texts by variable, kept across edits
        self._valid = False
        self.result_graph: Graph | None = None

        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.editor.setPlaceholderText(f"{EXAMPLE}\n\nStatements on separate lines or split by ';'; "
                                       "the last one is the output.")
        self.editor.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.PlainText)  # document text, never markup
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR}")
        self.error.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing())  # no jump when it appears

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Variable", "Value"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.SelectedClicked
                                   | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed)
        self.table.setToolTip("Each variable's value in the new graph (a number, or nan, inf, -inf)")

        self.preview_document = Document(parent=self)
        self.preview_scene = GraphScene(self.preview_document, parent=self)
        self.preview = GraphView(self.preview_scene)
        self.preview.setInteractive(False)  # a picture of the result, not an editor
        self.preview.setAcceptDrops(False)
        self.preview.setFocusPolicy(Qt.NoFocus)
        self.preview.set_minimap_visible(False)
        self.preview.setMinimumSize(420, 260)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("Create Graph")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(self.preview)
        lower.setStretchFactor(1, 3)
        lower.setSizes([190, 610])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Program (Python syntax: + - * / ** ^, exp, log, tanh, sigmoid, max, …):"))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(lower, 2)
        layout.addWidget(self.buttons)
        self.resize(820, 620)

        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self._text_changed)
        self.table.itemChanged.connect(self._value_edited)
        self.editor.setPlainText(text)
        self._text_changed()

    # -- what the dialog produces ---------------------------------------------------------

    def program(self) -> str:
        return self.editor.toPlainText()

    def is_valid(self) -> bool:
        """Whether the program parses and every variable's value is a number (OK is enabled)."""
        return self._valid

    def values(self) -> dict[str, float]:
        """The variables' values as typed (only call while `is_valid`)."""
        return {name: parse_number(self._values[name]) for name in self._variables}

    def graph(self) -> Graph:
        """The laid-out graph of the program with the table's values; raises ExpressionError."""
        return parse_program(self.program(), self.values())

    def accept(self) -> None:
        """Close with the graph in `result_graph`; an error (the button is normally disabled
        then) is shown instead."""
        if not self._valid:
            return
        try:
            self.result_graph = self.graph()
        except ExpressionError as e:
            self._show_error(str(e), e.line, e.column)
            return
        super().accept()

    # -- feedback -------------------------------------------------------------------------

    def _text_changed(self) -> None:
        text = self.program()
        try:
            variables = program_variables(text) if text.strip() else None
        except ExpressionError as e:
            self._show_error(str(e), e.line, e.column)
            return
        if variables is None:  # nothing typed yet: no reproach, just nothing to create
            self._show_error("", None, None)
            return
        if variables != self._variables:
            self._fill_table(variables)
        self._check_values()

    def _fill_table(self, variables: list[str]) -> None:
        self._variables = variables
        self.table.blockSignals(True)
        self.table.setRowCount(len(variables))
        for row, name in enumerate(variables):
            self._values.setdefault(name, format_full(DEFAULT_VALUE))
            name_item = QTableWidgetItem(name)
            name_item.setFlags(Qt.ItemIsEnabled)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, QTableWidgetItem(self._values[name]))
        self.table.blockSignals(False)

    def _value_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 1 and item.row() < len(self._variables):
            self._values[self._variables[item.row()]] = item.text()
            self._check_values()

    def _check_values(self) -> None:
        for row, name in enumerate(self._variables):
            try:
                parse_number(self._values[name])
            except ValueError as e:
                self.table.item(row, 1).setForeground(QColor(ERROR_COLOR))
                self._show_error(f"value of {name}: {e}", None, None)
                return
            self.table.item(row, 1).setForeground(self.palette().text())
        self._show_error(None, None, None)
        self._preview_timer.start()

    def _show_error(self, message: str | None, line: int | None, column: int | None) -> None:
        """`message` None means all is well; "" means nothing to create but nothing wrong."""
        self._valid = message is None
        self.ok_button.setEnabled(self._valid)
        self.error.setText(message or "")
        self._mark(line, column)

    def _mark(self, line: int | None, column: int | None) -> None:
        """Underline the character the error points at, so the column is visible in the text."""
        marks = []
        block = self.editor.document().findBlockByNumber(line - 1) if line else None
        if block is not None and block.isValid() and column:
            mark = QTextEdit.ExtraSelection()
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + min(column - 1, max(block.length() - 2, 0)))
            cursor.movePosition(QTextCursor.NextCharacter, QTextCursor.KeepAnchor)
            mark.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            fmt.setUnderlineColor(QColor(ERROR_COLOR))
            fmt.setBackground(QColor("#ffe3e3"))
            mark.format = fmt
            marks.append(mark)
        self.editor.setExtraSelections(marks)

    # -- the preview ----------------------------------------------------------------------

    def update_preview(self) -> None:
        """Show the program's graph, laid out and evaluated (the last valid one stays otherwise)."""
        self._preview_timer.stop()
        if not self._valid:
            return
        try:
            graph = self.graph()
        except ExpressionError as e:
            self._show_error(str(e), e.line, e.column)
            return
        _replace_contents(self.preview_document.graph, graph)
        self.preview_document.evaluate_now()
        self.preview_scene.place_labels()
        self.preview.fit_graph()

    def preview_pending(self) -> bool:
        return self._preview_timer.isActive()


def _replace_contents(target: Graph, source: Graph) -> None:
    """Make `target` hold `source`'s nodes and edges (the preview scene follows the changes)."""
    target.set_output(None)
    for node_id in list(target.nodes):
        target.remove_node(node_id)
    for node in source:
        target.add_node(node.copy())
    for edge in source.edges:
        target.add_edge(edge)
    target.set_output(source.output)


def ask_program(parent: QWidget | None, text: str = "") -> tuple[Graph, str] | None:
    """Show the dialog; the graph and the program text it came from, or None if cancelled."""
    dialog = ExpressionDialog(text, parent)
    try:
        if dialog.exec() == QDialog.Accepted:
            return dialog.result_graph, dialog.program()
        return None
    finally:
        dialog.deleteLater()

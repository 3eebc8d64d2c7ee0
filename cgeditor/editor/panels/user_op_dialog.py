"""Edit → New Operation…: define a user op by a formula, `softplus(t) = log(1 + exp(t))`.

As the user types, the dialog shows what cgeditor will compute: each local derivative derived
by reverse mode through the formula (`derivative_text`), and the op's value and derivatives at
a sample point the user can change.  A derivative the user writes is optional and only ever
checked (`check_derivatives`, at seeded random points): while it disagrees, or does not parse,
the dialog says where in red and OK stays disabled, so a wrong derivative is never accepted
silently.  The derived derivatives are what every instance uses.

Everything is recomputed on each keystroke: a formula is a line, its graph a handful of nodes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from cgeditor.model.blocks import Block, BlockLibrary, value_and_partials
from cgeditor.model.expression import ExpressionError
from cgeditor.model.formula_ops import block_from_formula, check_derivatives, derivative_text
from cgeditor.model.graph import GraphError
from cgeditor.model.numbers import format_compact, format_full, parse_number

ERROR_COLOR = "#c92a2a"
AGREE_COLOR = "#2b8a3e"
EXAMPLE = "softplus(t) = log(1 + exp(t))"
DEFAULT_SAMPLE = 0.5
CHECK_POINTS = 20


def _label(text: str = "", *, mono: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)  # formulas are user text, never markup
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    if mono:
        label.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
    return label


class _ParamRows:
    """The widgets of one parameter: its sample value, its derived derivative (text and value
    at the sample point), the user's own derivative and what checking it found."""

    def __init__(self, grid: QGridLayout, row: int, param: str, sample: str, hand_written: str):
        self.param = param
        self.name = _label(f"{param} =")
        self.sample = QLineEdit(sample)
        self.sample.setMaximumWidth(90)
        self.sample.setToolTip(f"The sample value of {param} the values on the right are computed at")
        self.derived = _label(mono=True)
        self.derived.setWordWrap(True)
        self.at_sample = _label()
        self.hand_written = QLineEdit(hand_written)
        self.hand_written.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.hand_written.setPlaceholderText(f"your ∂/∂{param} (optional: checked, never used)")
        self.yours = _label(f"your ∂/∂{param}:")
        self.check = _label()
        self.check.setWordWrap(True)
        grid.addWidget(self.name, row, 0, Qt.AlignRight)
        grid.addWidget(self.sample, row, 1)
        grid.addWidget(self.derived, row, 2)
        grid.addWidget(self.at_sample, row, 3)
        grid.addWidget(self.yours, row + 1, 0, 1, 2, Qt.AlignRight)
        grid.addWidget(self.hand_written, row + 1, 2, 1, 2)
        grid.addWidget(self.check, row + 2, 2, 1, 2)

    def widgets(self) -> list[QWidget]:
        return [self.name, self.sample, self.derived, self.at_sample, self.yours, self.hand_written, self.check]

    def show_check(self, text: str, ok: bool) -> None:
        self.check.setText(text)
        self.check.setStyleSheet(f"color: {AGREE_COLOR if ok else ERROR_COLOR}")


class UserOpDialog(QDialog):
    def __init__(self, library: BlockLibrary | None = None, text: str = "", parent: QWidget | None = None):
        """`library` is the document's: a name it already has is refused."""
        super().__init__(parent)
        self.setWindowTitle("New Operation")
        self.library = library
        self.block: Block | None = None  # the block the formula defines, while it is valid
        self.result_block: Block | None = None  # set by OK
        self._rows: list[_ParamRows] = []
        self._samples: dict[str, str] = {}  # typed texts by parameter, kept while the formula changes
        self._hand_written: dict[str, str] = {}

        self.formula = QLineEdit(text)
        self.formula.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.formula.setPlaceholderText(EXAMPLE)
        self.error = _label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR}")
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing())  # no jump when it appears
        self.value = _label(mono=True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(2, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("Define Operation")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Operation, as name(parameters) = formula (the expression language: "
                                "+ - * / **, exp, log, tanh, sigmoid, …):"))
        layout.addWidget(self.formula)
        layout.addWidget(self.error)
        layout.addWidget(self.value)
        layout.addWidget(QLabel("Local derivatives, derived by reverse mode through the formula "
                                "(what every instance uses), at the sample point:"))
        layout.addWidget(self.grid_host)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(720, 420)
        self.formula.textChanged.connect(self.refresh)
        self.refresh()

    # -- what the dialog produces ---------------------------------------------------------

    def is_valid(self) -> bool:
        return self.ok_button.isEnabled()

    def accept(self) -> None:
        if self.block is None or not self.is_valid():
            return
        derivatives = {p: t.strip() for p, t in self._current_hand_written().items() if t.strip()}
        self.block.derivatives = derivatives or None
        self.result_block = self.block
        super().accept()

    # -- feedback -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Check the formula and everything below it against the current texts."""
        self._remember()
        text = self.formula.text()
        if not text.strip():
            self._set_block(None)
            return self._finish("", ok=False)
        try:
            block = block_from_formula(text, self.library)
        except (ExpressionError, GraphError) as e:
            self._set_block(None)
            return self._finish(str(e), ok=False)
        self._set_block(block)
        try:
            problem = self._show_sample(block)
        except (ExpressionError, GraphError) as e:
            problem = str(e)
        checks_ok = all([self._check(row, block) for row in self._rows])
        self._finish(problem or "", ok=problem is None and checks_ok)

    def _set_block(self, block: Block | None) -> None:
        params = tuple(block.params) if block is not None else ()
        self.block = block
        if params != tuple(r.param for r in self._rows):
            self._build_rows(params)
        if block is None:
            self.value.setText("")

    def _build_rows(self, params: tuple[str, ...]) -> None:
        for row in self._rows:
            for widget in row.widgets():
                widget.deleteLater()
        self._rows = []
        for k, param in enumerate(params):
            row = _ParamRows(self.grid, 3 * k, param, self._samples.setdefault(param, format_full(DEFAULT_SAMPLE)),
                             self._hand_written.get(param, ""))
            row.sample.textChanged.connect(self.refresh)
            row.hand_written.textChanged.connect(self.refresh)
            self._rows.append(row)

    def _remember(self) -> None:
        for row in self._rows:
            self._samples[row.param] = row.sample.text()
            self._hand_written[row.param] = row.hand_written.text()

    def _current_hand_written(self) -> dict[str, str]:
        return {row.param: row.hand_written.text() for row in self._rows}

    def _show_sample(self, block: Block) -> str | None:
        """The value and derived derivatives at the sample point; the problem, or None."""
        for row in self._rows:
            row.derived.setText(f"∂{block.name}/∂{row.param} = {derivative_text(block, row.param)}")
            row.at_sample.setText("")
        try:
            point = [parse_number(row.sample.text()) for row in self._rows]
        except ValueError as e:
            self.value.setText("")
            return f"sample value: {e}"
        value, partials = value_and_partials(block)(point)
        args = ", ".join(format_compact(x) for x in point)
        self.value.setText(f"{block.name}({args}) = {format_compact(value)}")
        for row, d in zip(self._rows, partials):
            row.at_sample.setText(f"= {format_compact(d)}")
        return None

    def _check(self, row: _ParamRows, block: Block) -> bool:
        """Check the user's derivative of `row`'s parameter, if any; whether it may be kept."""
        text = row.hand_written.text().strip()
        if not text:
            row.show_check("", ok=True)
            return True
        try:
            found = check_derivatives(block, {row.param: text}, points=CHECK_POINTS)
        except (ExpressionError, GraphError) as e:
            row.show_check(f"your ∂/∂{row.param}: {e}", ok=False)
            return False
        if found:
            row.show_check(f"✗ disagrees with reverse mode at {len(found)} of {CHECK_POINTS} random points, "
                           f"e.g. {found[0]} (clear it to define the op with the derived derivative)", ok=False)
            return False
        row.show_check(f"✓ agrees with reverse mode at {CHECK_POINTS} random points", ok=True)
        return True

    def _finish(self, message: str, ok: bool) -> None:
        self.error.setText(message)
        self.ok_button.setEnabled(ok)


def ask_user_op(parent: QWidget | None, library: BlockLibrary | None, text: str = "") -> Block | None:
    """Show the dialog; the block it defines (not yet in the library), or None if cancelled."""
    dialog = UserOpDialog(library, text, parent)
    try:
        return dialog.result_block if dialog.exec() == QDialog.Accepted else None
    finally:
        dialog.deleteLater()

"""The lesson dock's numerical check: each variable's AD gradient beside its central
finite-difference estimate and the relative error.  AD is exact; finite differences are not,
and the step size h the class picks shows why (too small a step and rounding swamps it)."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from cgeditor.model.numbers import format_compact
from cgeditor.model.teaching.probes import gradient_check

STEP_SIZES = ("1e-1", "1e-2", "1e-3", "1e-4", "1e-6", "1e-8", "1e-10")
DEFAULT_STEP = "1e-4"


def first_line(error: Exception) -> str:
    """What the lesson dock says of a probe that failed: the error's first line."""
    return str(error).splitlines()[0] if str(error) else type(error).__name__


class NumericalCheck(QGroupBox):
    """The check's box: pick h, press Check (or it runs after each evaluation of a small graph)."""

    def __init__(self):
        super().__init__("Numerical check")
        self._document = None
        self.step_size = QComboBox()
        self.step_size.addItems(STEP_SIZES)
        self.step_size.setCurrentText(DEFAULT_STEP)
        self.step_size.setToolTip("h in (f(v + h) − f(v − h)) / 2h")
        self.button = QPushButton("Check")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["variable", "AD", "finite diff.", "rel. error"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSizeAdjustPolicy(QTableWidget.AdjustToContents)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("step h"))
        row.addWidget(self.step_size)
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        self.step_size.currentTextChanged.connect(lambda _: self.run())
        self.button.clicked.connect(self.run)

    def set_document(self, document) -> None:
        self._document = document

    def step(self) -> float:
        return float(self.step_size.currentText())

    def run(self) -> None:
        doc = self._document
        self.table.setRowCount(0)
        try:
            checks = gradient_check(doc.graph, doc.evaluation.output, self.step())
        except ValueError as e:
            self.status.setText(f"Cannot check: {first_line(e)}")
            return
        self.table.setRowCount(len(checks))
        for row, check in enumerate(checks):
            cells = (doc.graph.node(check.var).label, format_compact(check.ad_grad),
                     format_compact(check.fd_estimate), f"{check.rel_error:.1e}")
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        worst = max((c.rel_error for c in checks), default=0.0)
        h = self.step_size.currentText()
        self.status.setText(f"largest relative error {worst:.1e} with h = {h}")

    def wait_for_button(self) -> None:
        """The graph is too large to check after every evaluation: say the button does it."""
        self.status.setText(f"{len(self._document.graph)} nodes: press Check to compare")

    def rows(self) -> list[list[str]]:
        table = self.table
        return [[table.item(r, c).text() for c in range(table.columnCount())]
                for r in range(table.rowCount())]

"""Tools → Check Against PyTorch: an independent second opinion on every gradient.

The graph is exported as a PyTorch script (our own generator's text, never user text) and run
by a separate Python process fed through stdin, so torch never loads into the editor, a slow or
crashing run cannot freeze or kill it, and the window stays responsive meanwhile.  The script's
last line is {"output": value, "grads": {variable id: gradient}}; each gradient is compared with
the evaluator's to 1e-9 relative.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from cgeditor.model.evaluate import OutputError, evaluate
from cgeditor.model.export import export
from cgeditor.model.graph import Graph, NodeKind
from cgeditor.model.numbers import format_full
from cgeditor.model.validate import InvalidGraphError

REL_TOL = 1e-9
ABS_TOL = 1e-12  # a gradient that should be 0 may come out as 1e-17 from either side
TIMEOUT_MS = 120_000  # importing torch the first time can take a while on a cold disk


def torch_available() -> bool:
    """Whether torch is installed, found without importing it (that takes seconds)."""
    return importlib.util.find_spec("torch") is not None


def agree(ours: float, theirs: float) -> bool:
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    return math.isclose(ours, theirs, rel_tol=REL_TOL, abs_tol=ABS_TOL)


@dataclass(frozen=True)
class GradientRow:
    variable: str
    ours: float
    theirs: float | None  # None: the script reported no gradient for it

    @property
    def agrees(self) -> bool:
        return self.theirs is not None and agree(self.ours, self.theirs)


@dataclass(frozen=True)
class CheckResult:
    output: str
    ours_output: float
    torch_output: float
    rows: list[GradientRow]

    @property
    def all_agree(self) -> bool:
        return agree(self.ours_output, self.torch_output) and all(r.agrees for r in self.rows)


class TorchCheck(QObject):
    """One run of the exported script; emits `finished(CheckResult)` or `failed(message)`."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, graph: Graph, parent: QObject | None = None, timeout_ms: int = TIMEOUT_MS):
        super().__init__(parent)
        self.graph = graph.copy()
        self._process = QProcess(self)
        self._process.finished.connect(self._process_finished)
        self._process.errorOccurred.connect(self._process_error)
        self._timer = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timer.timeout.connect(self._timed_out)
        self._done = False

    def start(self) -> None:
        """Export and launch; a graph that cannot be exported fails at once."""
        try:
            self._ours = evaluate(self.graph)
            script = export(self.graph, "pytorch")
        except (InvalidGraphError, OutputError) as e:
            self._fail(f"The graph cannot be checked: {e}")
            return
        # -P: the folder the editor was started from must not shadow a module the script imports.
        self._process.start(sys.executable, ["-P", "-"])
        self._process.write(script.encode("utf-8"))
        self._process.closeWriteChannel()
        self._timer.start()

    def _process_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._done:
            return
        stdout = bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace")
        stderr = bytes(self._process.readAllStandardError()).decode("utf-8", "replace")
        if status != QProcess.NormalExit or code != 0:
            self._fail(f"The PyTorch script failed: {_last_line(stderr) or f'exit status {code}'}")
            return
        try:
            result = json.loads(_last_line(stdout))
            theirs_output = float(result["output"])  # float() also reads "nan", "inf", "-inf"
            theirs = {str(k): float(v) for k, v in result["grads"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            self._fail("The PyTorch script did not print its result "
                       f"(last line: {_last_line(stdout)[:200]!r})")
            return
        self._finish(theirs_output, theirs)

    def _finish(self, theirs_output: float, theirs: dict[str, float]) -> None:
        self._done = True
        self._timer.stop()
        ev = self._ours
        rows = [GradientRow(n.id, ev.grads.get(n.id, 0.0), theirs.get(n.id))
                for n in self.graph if n.kind is NodeKind.VARIABLE]
        self.finished.emit(CheckResult(ev.output, ev.values[ev.output], theirs_output, rows))

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.FailedToStart:
            self._fail(f"Could not start {sys.executable}: {self._process.errorString()}")

    def _timed_out(self) -> None:
        self._fail(f"PyTorch did not finish within {self._timer.interval() / 1000:g} s")
        self._process.kill()
        self._process.waitForFinished(1000)  # SIGKILL: at once; leaves no process behind

    def _fail(self, message: str) -> None:
        if not self._done:
            self._done = True
            self._timer.stop()
            self.failed.emit(message)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


class TorchCheckDialog(QDialog):
    """The comparison, one row per variable: ours, PyTorch's, and whether they agree."""

    def __init__(self, result: CheckResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Check Against PyTorch")
        self.result = result
        disagree = sum(not r.agrees for r in result.rows)
        if result.all_agree:
            tolerance = f"{REL_TOL:g}".replace("e-0", "e-")
            verdict = f"All {len(result.rows)} gradients agree with PyTorch to {tolerance} relative."
        else:
            verdict = f"{disagree} of {len(result.rows)} gradients disagree with PyTorch."
            if not agree(result.ours_output, result.torch_output):
                verdict += " The output values differ too."
        self.summary = QLabel(
            f"<p>{verdict}</p><p>Output {result.output}: cgeditor {format_full(result.ours_output)}, "
            f"PyTorch {format_full(result.torch_output)}</p>")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(result.rows), 4)
        self.table.setHorizontalHeaderLabels(["Variable", "cgeditor gradient", "PyTorch gradient", "Agree"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        for row, r in enumerate(result.rows):
            cells = [r.variable, format_full(r.ours), "—" if r.theirs is None else format_full(r.theirs),
                     "✓" if r.agrees else "✗"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setForeground(QColor("#2f9e44" if r.agrees else "#c92a2a"))
                self.table.setItem(row, col, item)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 320)

"""The lesson dock: what a gradient means and what it is for, shown with the document's numbers.

- Numerical check (numerical_check.py): each variable's AD gradient beside its central
  finite-difference estimate and the relative error.
- Nudge: move one input by h; the output moves by about gradient × h.
- Gradient descent: v ← v − η · d output / d v on the trainable variables, one step or an
  animated run with its loss plotted; a whole run is one undo step.
- Reset values and Copy results (a Markdown table).

The numbers come from `cgeditor.model.teaching.probes`, which works on copies; the only edits go through
`Document.set_values`, so they are undoable like any other.  The panel follows evaluations only
while it is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from cgeditor.model.graph import Change, LabelChanged, NodeKind, TrainableChanged, is_trainable
from cgeditor.model.teaching.probes import descent_step, nudge, results_markdown
from cgeditor.model.teaching.narration import symbol
from cgeditor.model.numbers import format_compact

from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.panels.lazy_panel import RefreshWhenShown
from cgeditor.editor.panels.wheel_guard import guard_fields
from cgeditor.editor.teaching.loss_plot import LossPlot
from cgeditor.editor.teaching.numerical_check import NumericalCheck, first_line

LIVE_LIMIT = 300  # nodes: larger graphs are checked on request only (each check re-evaluates 2 per variable)
TRAIN_TICK_MS = 80  # one descent step per tick while training, so the class can watch it happen


class LessonPanel(RefreshWhenShown, QWidget):
    message = Signal(str)  # for the status bar

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = None
        self._losses: list[float] = []
        self._run_left = 0
        self._run_merge: int | None = None
        self._train_timer = QTimer(self, interval=TRAIN_TICK_MS)
        self._train_timer.timeout.connect(self._train_tick)

        content = QWidget()
        layout = QVBoxLayout(content)
        self.check = NumericalCheck()
        layout.addWidget(self.check)
        layout.addWidget(self._build_nudge())
        layout.addWidget(self._build_descent())
        self.loss_plot = LossPlot()
        layout.addWidget(self.loss_plot)
        buttons = QHBoxLayout()
        self.reset_button = QPushButton("Reset values")
        self.reset_button.setToolTip("Put every input back to its value when the graph was opened")
        self.copy_button = QPushButton("Copy results")
        self.copy_button.setToolTip("Copy a Markdown table of every node's value and gradient (Ctrl+Shift+C)")
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.copy_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        guard_fields(scroll, content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.reset_button.clicked.connect(self.reset_values)
        self.copy_button.clicked.connect(self.copy_results)

    # -- layout --------------------------------------------------------------------------

    def _build_nudge(self) -> QGroupBox:
        box = QGroupBox("Nudge an input")
        self.nudge_input = QComboBox()
        self.nudge_h = QDoubleSpinBox(decimals=4, minimum=-100.0, maximum=100.0, singleStep=0.01, value=0.01)
        self.nudge_button = QPushButton("Nudge")
        self.nudge_result = QLabel()
        self.nudge_result.setWordWrap(True)
        self.nudge_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout(box)
        form.addRow("input", self.nudge_input)
        form.addRow("by h", self.nudge_h)
        form.addRow("", self.nudge_button)
        form.addRow(self.nudge_result)
        self.nudge_button.clicked.connect(self.run_nudge)
        return box

    def _build_descent(self) -> QGroupBox:
        box = QGroupBox("Gradient descent")
        self.trainable_list = QListWidget()
        self.trainable_list.setMaximumHeight(110)
        self.trainable_list.setToolTip("Tick the variables descent may change")
        self.learning_rate = QDoubleSpinBox(decimals=4, minimum=0.0001, maximum=10.0, singleStep=0.01,
                                            value=0.05)
        self.learning_rate.setToolTip("η: how far each step moves against the gradient")
        self.step_button = QPushButton("Step")
        self.train_steps = QSpinBox(minimum=1, maximum=10000, value=20)
        self.train_button = QPushButton("Train N steps")
        self.descent_status = QLabel()
        self.descent_status.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow("trainable", self.trainable_list)
        form.addRow("η", self.learning_rate)
        form.addRow("", self.step_button)
        row = QHBoxLayout()
        row.addWidget(self.train_steps)
        row.addWidget(self.train_button)
        form.addRow("N", row)
        form.addRow(self.descent_status)
        self.trainable_list.itemChanged.connect(self._trainable_changed)
        self.step_button.clicked.connect(self.descent_once)
        self.train_button.clicked.connect(self.toggle_training)
        return box

    # -- the document ----------------------------------------------------------------------

    def set_document(self, document) -> None:
        self.stop_training()
        if self._document is not None:
            self._document.evaluated.disconnect(self.refresh_when_shown)
            self._document.graph.unsubscribe(self._on_graph_change)
        self._document = document
        self.check.set_document(document)
        self._filled_version: int | None = None  # the graph structure the input lists show
        self._nudge_keys: list[str] | None = None  # ids in the nudge combo box, as last filled
        self._trainable_keys: list[str] | None = None  # ids in the trainable list, as last filled
        self._losses = []
        self.loss_plot.set_losses([])
        document.evaluated.connect(self.refresh_when_shown)
        document.graph.subscribe(self._on_graph_change)
        self.refresh_when_shown()

    def _on_graph_change(self, change: Change) -> None:
        """A name or a trainable flag shows in the lists (and a new name may change the flag).
        The rows are updated in place: the change may come from ticking one of them."""
        if not isinstance(change, (LabelChanged, TrainableChanged)) or self._trainable_keys is None:
            return
        node = self._document.graph.node(change.node_id)
        if node.kind is not NodeKind.OP and self._nudge_keys is not None:
            self.nudge_input.setItemText(self._nudge_keys.index(node.id), node.label)
        if node.kind is NodeKind.VARIABLE:
            item = self.trainable_list.item(self._trainable_keys.index(node.id))
            self.trainable_list.blockSignals(True)
            item.setText(node.label)
            item.setCheckState(Qt.Checked if is_trainable(node) else Qt.Unchecked)
            self.trainable_list.blockSignals(False)

    def refresh(self) -> None:
        self._fill_inputs()
        if len(self._document.graph) <= LIVE_LIMIT:
            self.check.run()
            if self.nudge_result.text():
                self.run_nudge()
        else:
            self.check.wait_for_button()

    def _fill_inputs(self) -> None:
        graph = self._document.graph
        if graph.structure_version == self._filled_version:
            return  # only an added or removed node changes the inputs: no walk over every node
        self._filled_version = graph.structure_version
        leaves = [n for n in graph if n.kind is not NodeKind.OP]
        keys = [n.id for n in leaves]
        # The lists as filled are remembered in Python: asking Qt for thousands of items after
        # every evaluation cost more than the evaluation itself.
        if keys != self._nudge_keys:
            self._nudge_keys = keys
            current = self.nudge_input.currentData()
            self.nudge_input.clear()
            for n in leaves:
                self.nudge_input.addItem(n.label, n.id)
            if current not in keys:  # a variable by default: nudging a constant teaches little
                current = next((n.id for n in leaves if is_trainable(n)),
                               next((n.id for n in leaves if n.kind is NodeKind.VARIABLE), current))
            if current in keys:
                self.nudge_input.setCurrentIndex(keys.index(current))
        variables = [n for n in leaves if n.kind is NodeKind.VARIABLE]
        if [n.id for n in variables] != self._trainable_keys:
            self._trainable_keys = [n.id for n in variables]
            self.trainable_list.blockSignals(True)
            self.trainable_list.clear()
            for n in variables:
                item = QListWidgetItem(n.label)
                item.setData(Qt.UserRole, n.id)
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Checked if is_trainable(n) else Qt.Unchecked)
                self.trainable_list.addItem(item)
            self.trainable_list.blockSignals(False)

    # -- numerical check and nudge ---------------------------------------------------------

    def run_nudge(self) -> None:
        doc = self._document
        var, h = self.nudge_input.currentData(), self.nudge_h.value()
        if var is None:
            self.nudge_result.setText("The graph has no input to nudge")
            return
        try:
            result = nudge(doc.graph, doc.evaluation.output, var, h)
        except ValueError as e:
            self.nudge_result.setText(f"Cannot nudge: {first_line(e)}")
            return
        out, name = symbol(doc.graph, doc.evaluation.output), symbol(doc.graph, var)
        self.nudge_result.setText(f"Δ{out} = {format_compact(result.delta_output)}   vs   "
                                  f"∂{out}/∂{name} · h = {format_compact(result.linear_estimate)}")

    # -- gradient descent ------------------------------------------------------------------

    def trainable(self) -> list[str]:
        """The variables flagged trainable in the graph (the list's ticks edit that flag)."""
        return [n.id for n in self._document.graph if is_trainable(n)]

    def _trainable_changed(self, item: QListWidgetItem) -> None:
        self._document.set_trainable(item.data(Qt.UserRole), item.checkState() == Qt.Checked)

    def descent_once(self, merge_id: int | None = None, text: str = "Gradient descent step") -> bool:
        """One step v ← v − η · gradient on the trainable variables; False (and why) if impossible."""
        doc = self._document
        trainable = self.trainable()
        if not trainable:
            self.descent_status.setText("Tick at least one trainable variable")
            return False
        try:
            new = descent_step(doc.graph, doc.evaluation.output, trainable, self.learning_rate.value())
        except ValueError as e:
            self.descent_status.setText(f"Cannot descend: {first_line(e)}")
            return False
        if not self._losses:
            self._losses = [self._loss()]
        doc.set_values(new, text, merge_id)
        doc.evaluate_now()
        self._losses.append(self._loss())
        self.loss_plot.set_losses(self._losses)
        self.descent_status.setText(f"step {len(self._losses) - 1}: loss {format_compact(self._losses[-1])}")
        return True

    def _loss(self) -> float:
        ev = self._document.evaluation
        return ev.values.get(ev.output, float("nan"))

    def is_training(self) -> bool:
        return self._train_timer.isActive()

    def toggle_training(self) -> None:
        self.stop_training() if self.is_training() else self.start_training()

    def start_training(self) -> None:
        """Animate N descent steps, one per tick; they merge into one undo step."""
        self._run_left = self.train_steps.value()
        self._run_merge = new_merge_id()
        self._losses = [self._loss()]
        self.train_button.setText("Stop")
        self._train_timer.start()

    def stop_training(self) -> None:
        self._train_timer.stop()
        self._run_left = 0
        self.train_button.setText("Train N steps")

    def _train_tick(self) -> None:
        text = f"Train {self.train_steps.value()} steps"
        if self._run_left <= 0 or not self.descent_once(self._run_merge, text):
            self.stop_training()
            return
        self._run_left -= 1
        if self._run_left == 0:
            self.stop_training()

    # -- values and results ----------------------------------------------------------------

    def reset_values(self) -> None:
        self.stop_training()
        self._document.reset_values()
        self._losses = []
        self.loss_plot.set_losses([])

    def copy_results(self) -> None:
        doc = self._document
        QApplication.clipboard().setText(results_markdown(doc.graph, doc.evaluation))
        self.message.emit("Copied the results as a Markdown table")

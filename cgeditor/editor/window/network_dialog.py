"""File → New Network…: a fully connected network built by `model.mlp.build_mlp`, with the
options of `cgeditor new --mlp` (layer sizes, activation, loss, seed, initial weights).

The network is built on every change (a few milliseconds, at most ~70 ms for the largest
network allowed), so the red line under the fields and the OK button always match them, and
OK hands over the very graph that was checked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from cgeditor.model.graph import Graph, NodeKind
from cgeditor.model.mlp import ACTIVATIONS, INITS, LOSSES, build_mlp

ERROR_COLOR = "#c92a2a"
DEFAULT_SIZES = "2, 3, 1"
LOSS_TITLES = {"mse": "mean squared error (mse)", "bce": "binary cross-entropy (bce)"}
INIT_TITLES = {"random": "random (seeded)", "zero": "all zero"}


def parse_sizes(text: str) -> list[int]:
    """`2, 3, 1` (commas or spaces) as layer sizes; ValueError with the reason otherwise."""
    parts = text.replace(",", " ").split()
    if not parts:
        raise ValueError("type the layer sizes, inputs first, such as 2, 3, 1")
    try:
        return [int(p) for p in parts]
    except ValueError:
        bad = next(p for p in parts if not p.lstrip("+-").isdigit())
        raise ValueError(f"a layer size must be a whole number, not {bad!r}") from None


class NetworkDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New Network")
        self.result_graph: Graph | None = None
        self.sizes = QLineEdit(DEFAULT_SIZES)
        self.sizes.setToolTip("The number of units in each layer, inputs first: 2, 3, 1 is two inputs, "
                              "three hidden units and one output")
        self.activation = QComboBox()
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
        self.activation.setToolTip("The hidden units' activation (the output is linear for mse, "
                                   "a sigmoid for bce)")
        self.loss = QComboBox()
        for name in LOSSES:
            self.loss.addItem(LOSS_TITLES.get(name, name), name)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2 ** 31 - 1)
        self.seed.setToolTip("The same seed gives the same initial weights (as cgeditor new --mlp --seed)")
        self.init = QComboBox()
        for name in INITS:
            self.init.addItem(INIT_TITLES.get(name, name), name)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing())
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("Create Network")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Layer sizes:", self.sizes)
        form.addRow("Activation:", self.activation)
        form.addRow("Loss:", self.loss)
        form.addRow("Seed:", self.seed)
        form.addRow("Initial weights:", self.init)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(440, 0)
        self.sizes.textChanged.connect(self.refresh)
        for combo in (self.activation, self.loss, self.init):
            combo.currentIndexChanged.connect(self.refresh)
        self.seed.valueChanged.connect(self.refresh)
        self._graph: Graph | None = None
        self.refresh()

    def options(self) -> dict:
        """The fields as `build_mlp`'s arguments; raises ValueError for unreadable sizes."""
        return {"sizes": parse_sizes(self.sizes.text()), "activation": self.activation.currentData(),
                "loss": self.loss.currentData(), "seed": self.seed.value(), "init": self.init.currentData()}

    def refresh(self) -> None:
        try:
            self._graph = build_mlp(**self.options())
        except ValueError as e:  # unreadable sizes, or a NetworkError (a ValueError) from build_mlp
            self._graph = None
            self.summary.setStyleSheet(f"color: {ERROR_COLOR}")
            self.summary.setText(str(e))
        else:
            trainable = sum(1 for n in self._graph if n.kind is NodeKind.VARIABLE and n.trainable)
            self.summary.setStyleSheet("")
            self.summary.setText(f"{len(self._graph):,} nodes, {trainable:,} trainable weights and biases, "
                                 f"{len(self._graph.blocks)} blocks")
        self.ok_button.setEnabled(self._graph is not None)

    def accept(self) -> None:
        if self._graph is None:
            return
        self.result_graph = self._graph
        super().accept()


def ask_network(parent: QWidget | None) -> Graph | None:
    """Show the dialog; the network's graph, or None if cancelled."""
    dialog = NetworkDialog(parent)
    try:
        return dialog.result_graph if dialog.exec() == QDialog.Accepted else None
    finally:
        dialog.deleteLater()

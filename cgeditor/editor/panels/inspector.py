"""The inspector dock: everything about the selected node, in full precision, and its edit fields.

It reads the document (graph and latest evaluation) and edits only through Document methods,
so every change it makes is an undo step like any other.  Typing a value updates the graph on
every keystroke that forms a number (results follow as you type), and the whole typing session
is one undo step through a merge id.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout,
                               QWidget)

from cgeditor.model.graph import (Change, GraphError, LabelChanged, NodeKind, NodeRemoved, OutputChanged,
                                  TrainableChanged, is_trainable)
from cgeditor.model.numbers import format_full, parse_number

from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.document.document import Document
from cgeditor.editor.document.id_offer import id_offer

VALUE_TIP = "A number, or nan, inf, -inf; the graph updates as you type"


class Inspector(QWidget):
    renamed_id = Signal(str)  # the shown node has a new id: the window selects it again

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._document: Document | None = None
        self._node_id: str | None = None
        self._merge_id: int | None = None  # the value-typing session in progress, if any
        self._selected = 0  # how many nodes are selected (the heading says so when several)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.kind = QLabel()
        self.op = QLabel()
        self.label_edit = QLineEdit()
        self.label_edit.setToolTip("The node's name on the canvas (Enter to apply)")
        self.id_box = QCheckBox()
        self.id_box.setToolTip("The command line names nodes by id (cgeditor eval FILE --set w=4); "
                               "edges and the output follow, as one undo step")
        self.value_edit = QLineEdit()
        self.value_error = QLabel()
        self.value_error.setStyleSheet("color: #b00020")
        self.gradient = QLabel()
        self.output_box = QCheckBox("Output of the graph")
        self.trainable_box = QCheckBox("Trainable (gradient descent may change it)")
        self.trainable_box.setToolTip("Parameters (w, b, θ) are trained; data (x, y, t) stays as given")
        self.inputs = QListWidget()
        self.inputs.setMaximumHeight(120)
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.PlainText)  # document text, never markup
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        for label in (self.kind, self.op, self.gradient, self.problems):
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self._form = QFormLayout()
        self._form.addRow("Kind", self.kind)
        self._form.addRow("Op", self.op)
        self._form.addRow("Label", self.label_edit)
        self._form.addRow("", self.id_box)
        self._form.addRow("Value", self.value_edit)
        self._form.addRow("", self.value_error)
        self._form.addRow("Gradient", self.gradient)
        self._form.addRow("", self.output_box)
        self._form.addRow("", self.trainable_box)
        self._form.addRow("Inputs", self.inputs)
        self._form.addRow("", self.problems)
        self._fields = QWidget()
        self._fields.setLayout(self._form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self._fields)
        layout.addStretch(1)

        self.label_edit.editingFinished.connect(self._apply_label)
        self.label_edit.textEdited.connect(self._offer_id)
        self.value_edit.textEdited.connect(self._value_typed)
        self.value_edit.editingFinished.connect(self._value_done)
        self.output_box.clicked.connect(self._output_clicked)
        self.trainable_box.clicked.connect(self._trainable_clicked)
        self.set_node(None)

    # -- what is shown ---------------------------------------------------------------------

    def set_document(self, document: Document | None) -> None:
        if self._document is not None:
            self._document.graph.unsubscribe(self._on_graph_change)
            self._document.evaluated.disconnect(self.refresh)
        self._document = document
        self._node_id = None
        if document is not None:
            document.graph.subscribe(self._on_graph_change)
            document.evaluated.connect(self.refresh)
        self.refresh()

    def set_selection(self, node_ids: list[str]) -> None:
        """Show the one selected node; a multiple selection only says how many."""
        self.set_node(node_ids[0] if len(node_ids) == 1 else None, len(node_ids))

    def set_node(self, node_id: str | None, selected: int = 0) -> None:
        self._end_typing()
        self._node_id = node_id
        self._selected = selected
        self.refresh()

    @property
    def node_id(self) -> str | None:
        return self._node_id

    def refresh(self) -> None:
        doc, node_id = self._document, self._node_id
        if doc is None or node_id is None or node_id not in doc.graph:
            self._node_id = None
            self.heading.setText(f"{self._selected} nodes selected" if self._selected > 1
                                 else "Select a node to inspect it")
            self._fields.setVisible(False)
            return
        self._fields.setVisible(True)
        node = doc.graph.node(node_id)
        evaluation = doc.evaluation
        op = doc.graph.op(node.op)
        self.heading.setText(f"<b>{escape(node.label)}</b> ({escape(node.id)})")
        self.kind.setText(node.kind.value)
        self._form.setRowVisible(self.op, node.kind is NodeKind.OP)
        self.op.setText(f"{op.symbol}  {op.title} ({op.name})" if op else str(node.op))
        if not self.label_edit.hasFocus():
            self.label_edit.setText(node.label)
        self._offer_id()
        self._show_value(node.kind is not NodeKind.OP, node.value, evaluation.values.get(node_id))
        grad = evaluation.grads.get(node_id)
        out = evaluation.output
        self.gradient.setText(format_full(grad) if grad is not None else "—")
        self.gradient.setToolTip(f"d {doc.graph.node(out).label} / d {node.label}" if out else
                                 "no output, so no gradient")
        # The same output the canvas badge and the context menu go by: the chosen one, or the
        # graph's only sink when none is chosen.
        self.output_box.setChecked(out == node_id)
        self.output_box.setToolTip("The graph's only end, so its output until you choose another"
                                   if out == node_id and doc.graph.output is None else "")
        self._form.setRowVisible(self.trainable_box, node.kind is NodeKind.VARIABLE)
        self.trainable_box.setChecked(is_trainable(node))
        self.inputs.clear()
        for edge in doc.graph.in_edges(node_id):
            port = op.port_name(edge.port) if op else str(edge.port)
            value = evaluation.values.get(edge.source)
            shown = f": {format_full(value)}" if value is not None else ""
            self.inputs.addItem(f"{port} ← {doc.graph.node(edge.source).label}{shown}")
        self._form.setRowVisible(self.inputs, node.kind is NodeKind.OP)
        mine = "\n".join(p.message for p in evaluation.problems if node_id in p.owners)
        self.problems.setText(mine)
        self._form.setRowVisible(self.problems, bool(mine))

    def _show_value(self, editable: bool, own: float | None, computed: float | None) -> None:
        self.value_edit.setReadOnly(not editable)
        self.value_edit.setFrame(editable)  # a computed value should not look like a field
        self.value_edit.setToolTip(VALUE_TIP if editable else "Computed from the inputs")
        shown = own if editable else computed
        if self._merge_id is not None and editable:
            try:
                if parse_number(self.value_edit.text()) == own:
                    return  # the user is typing this very value: leave their text alone
            except ValueError:
                return
        self.value_edit.setText(format_full(shown) if shown is not None else "")
        self._show_value_error("")

    def _show_value_error(self, message: str) -> None:
        self.value_error.setText(message)
        self._form.setRowVisible(self.value_error, bool(message))

    # -- edits -----------------------------------------------------------------------------

    def _apply_label(self) -> None:
        if self._document is None or self._node_id is None:
            return
        text = self.label_edit.text().strip()
        if text:
            with_id = self.id_box.isVisible() and self.id_box.isEnabled() and self.id_box.isChecked()
            try:
                node_id = self._document.rename(self._node_id, text, with_id)
            except GraphError as e:
                self._show_value_error(f"label not changed: {e}")
                node_id = self._node_id
            if node_id != self._node_id:
                self._node_id = node_id
                self.id_box.setChecked(False)
                self.renamed_id.emit(node_id)
        self.label_edit.setText(self._document.graph.node(self._node_id).label)
        self._offer_id()

    def _offer_id(self) -> None:
        """A made-up id (x2, add3) is offered the typed name, when that is a free id, so that
        `cgeditor eval file --set w=4` works on a graph built by hand."""
        offer = id_offer(self._document, self._node_id, self.label_edit.text())
        self._form.setRowVisible(self.id_box, offer.shown)
        self.id_box.setEnabled(offer.enabled)
        self.id_box.setText(offer.text)

    def _value_typed(self, text: str) -> None:
        if self._document is None or self._node_id is None or self.value_edit.isReadOnly():
            return
        try:
            value = parse_number(text)
        except ValueError as e:
            self._show_value_error(str(e))
            return
        self._show_value_error("")
        if self._merge_id is None:
            self._merge_id = new_merge_id()
        try:
            self._document.set_value(self._node_id, value, self._merge_id)
        except GraphError as e:  # a block's parameter, while its inside is open
            self._show_value_error(str(e))

    def _value_done(self) -> None:
        self._end_typing()
        self.refresh()

    def _end_typing(self) -> None:
        self._merge_id = None

    def _output_clicked(self, checked: bool) -> None:
        if self._document is not None and self._node_id is not None:
            doc = self._document
            implied = doc.graph.output is None and doc.evaluation.output == self._node_id
            # A tick shown for the only end makes that choice explicit when clicked.
            doc.set_output(self._node_id if checked or implied else None)
            self.refresh()

    def _trainable_clicked(self, checked: bool) -> None:
        if self._document is not None and self._node_id is not None:
            self._document.set_trainable(self._node_id, checked)

    def _on_graph_change(self, change: Change) -> None:
        # Only a node shown can go stale (a count of selected nodes follows the selection): a
        # delete or undone paste of 4,000 nodes refreshed the panel 4,000 times.
        if self._node_id is None:
            return
        if isinstance(change, NodeRemoved) and change.node.id != self._node_id:
            return
        if isinstance(change, (LabelChanged, NodeRemoved, OutputChanged, TrainableChanged)):
            self.refresh()


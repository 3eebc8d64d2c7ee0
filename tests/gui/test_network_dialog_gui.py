"""File → New Network…: the options of `cgeditor new --mlp` in a dialog, the network opened as
a new document whose loss and gradients are build_mlp's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.editor.window.network_dialog import NetworkDialog
from cgeditor.model.evaluate import evaluate
from cgeditor.model.mlp import build_mlp


@pytest.fixture
def dialog(qtbot):
    dialog = NetworkDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_the_fields_are_build_mlps_arguments(qtbot, dialog):
    dialog.sizes.clear()
    qtbot.keyClicks(dialog.sizes, "3, 4, 2")
    choose(dialog.activation, "relu")
    choose(dialog.loss, "bce")
    choose(dialog.init, "zero")
    dialog.seed.setValue(7)
    assert dialog.options() == {"sizes": [3, 4, 2], "activation": "relu", "loss": "bce", "seed": 7,
                                "init": "zero"}
    assert dialog.summary.text() == "42 nodes, 26 trainable weights and biases, 3 blocks"


@pytest.mark.parametrize("sizes, reason", [
    ("2, x, 1", "a layer size must be a whole number, not 'x'"),
    ("", "type the layer sizes, inputs first"),
    ("4", "a network needs 2 to 10 layer sizes"),
    ("2, 0, 1", "every layer size must be a whole number from 1 to 100"),
])
def test_bad_sizes_are_one_line_in_red_and_ok_is_disabled(qtbot, dialog, sizes, reason):
    dialog.sizes.clear()
    qtbot.keyClicks(dialog.sizes, sizes)
    assert dialog.summary.text().startswith(reason) and "\n" not in dialog.summary.text()
    assert "#c92a2a" in dialog.summary.styleSheet()
    assert not dialog.ok_button.isEnabled()


def answer_new_network(qtbot, sizes: str) -> None:
    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NetworkDialog):
            QTimer.singleShot(5, poll)
            return
        dialog.sizes.clear()
        qtbot.keyClicks(dialog.sizes, sizes)
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    QTimer.singleShot(0, poll)


def test_file_new_network_opens_a_2_3_1_network_whose_loss_is_build_mlps(qtbot, make_window):
    window = make_window(Document())
    width = window.view.width()
    answer_new_network(qtbot, "2, 3, 1")
    window.window_actions.new_network.trigger()
    doc = window.document
    built = build_mlp([2, 3, 1])
    assert doc.graph == built
    doc.evaluate_now()
    want = evaluate(built)
    assert doc.evaluation.values["L"] == want.values["L"]
    assert doc.evaluation.grads == want.grads
    assert doc.is_modified()  # never saved: closing asks
    qtbot.waitUntil(lambda: window.view.width() == width)  # the canvas keeps its room
    shown = window.view.visible_scene_rect()
    assert all(shown.contains(n.pos[0], n.pos[1]) for n in doc.graph)  # fitted: every node in view


def test_cancelling_keeps_the_document(qtbot, make_window):
    document = Document()
    window = make_window(document)

    def cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NetworkDialog):
            QTimer.singleShot(5, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    window.window_actions.new_network.trigger()
    assert window.document is document

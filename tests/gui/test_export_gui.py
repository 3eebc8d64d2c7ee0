"""File → Export Image…, File → Export ▸ code, and Tools → Check Against PyTorch in the window."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from cgeditor.editor.panels import torch_check
from cgeditor.editor.document.document import Document
from cgeditor.editor.window.exporting import CODE_FORMATS
from cgeditor.editor.panels.torch_check import TorchCheck, torch_available
from cgeditor.model import fileformat
from cgeditor.model.export import export
from cgeditor.model.graph import NodeKind
from cgeditor.resources import example_path

needs_torch = pytest.mark.skipif(not torch_available(),
                                 reason="torch is not installed (pip install torch==2.13.0)")


@pytest.fixture
def window(make_window):
    return make_window(Document.open(example_path("chain_rule")))


class PathAnswer:
    """Stands in for the file dialog: records what was asked and answers `path`."""

    def __init__(self, path):
        self.path = path
        self.asked = []

    def __call__(self, parent, title, suggested, file_filter):
        self.asked.append((title, suggested, file_filter))
        return self.path


def error_box(qtbot):
    """Close the next modal message box, keeping its text."""
    seen = []

    def poll():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(5, poll)
            return
        seen.append(box.text())
        box.button(QMessageBox.Ok).click()

    QTimer.singleShot(0, poll)
    return seen


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return [el.text for el in root.iter("{http://www.w3.org/2000/svg}text") if el.text]


# -- code ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(CODE_FORMATS))
def test_export_action_writes_what_export_gives(window, tmp_path, fmt):
    out = tmp_path / f"exported{CODE_FORMATS[fmt].suffix}"
    window.choose_export_path = answer = PathAnswer(out)
    window.window_actions.export_code[fmt].trigger()
    assert out.read_text(encoding="utf-8") == export(window.document.graph, fmt)
    (title, suggested, _), = answer.asked
    assert suggested.name == f"chain_rule{CODE_FORMATS[fmt].suffix}"
    assert [p.name for p in tmp_path.iterdir() if p.name != "settings.ini"] == [out.name]


def test_export_reflects_the_edited_graph(window, tmp_path):
    window.document.set_value("x", 5.0)
    out = tmp_path / "edited.py"
    window.choose_export_path = PathAnswer(out)
    window.window_actions.export_code["python"].trigger()
    assert "5.0" in out.read_text() and out.read_text() == export(window.document.graph, "python")


def test_cancelled_export_writes_nothing(window, tmp_path):
    window.choose_export_path = PathAnswer(None)
    window.window_actions.export_code["pytorch"].trigger()
    assert [p.name for p in tmp_path.iterdir() if p.name != "settings.ini"] == []


def test_exporting_an_invalid_graph_says_why_and_asks_no_path(qtbot, window, tmp_path):
    window.document.add_node(NodeKind.OP, "mul", pos=(0, 300))  # nothing wired into it
    window.document.set_output("mul")
    window.choose_export_path = answer = PathAnswer(tmp_path / "never.py")
    messages = error_box(qtbot)
    window.window_actions.export_code["pytorch"].trigger()
    assert messages and "cannot be exported" in messages[0]
    assert answer.asked == [] and not (tmp_path / "never.py").exists()


def test_unwritable_export_path_shows_an_error(qtbot, window, tmp_path):
    window.choose_export_path = PathAnswer(tmp_path / "missing" / "out.dot")
    messages = error_box(qtbot)
    window.window_actions.export_code["dot"].trigger()
    assert messages and "out.dot" in messages[0]


# -- images --------------------------------------------------------------------------------------


def test_export_image_png_at_the_chosen_scale(window, tmp_path):
    sizes = []
    for scale in (1.0, 3.0):
        out = tmp_path / f"graph{scale:g}.png"
        window.choose_export_path = PathAnswer(out)
        window.ask_image_scale = lambda parent, default, s=scale: s
        window.window_actions.export_image.trigger()
        image = QImage(str(out))
        sizes.append((image.width(), image.height()))
    (w1, h1), (w3, h3) = sizes
    assert w1 > 300 and abs(w3 - 3 * w1) <= 3 and abs(h3 - 3 * h1) <= 3


def test_export_image_uses_the_overlays_shown_in_the_window(window, tmp_path):
    window.window_actions.overlays["edge_grads"].setChecked(False)
    out = tmp_path / "graph.svg"
    window.choose_export_path = PathAnswer(out)
    window.ask_image_scale = lambda *args: pytest.fail("only PNG asks for a scale")
    window.window_actions.export_image.trigger()
    texts = svg_texts(out)
    assert "64" in texts and "∂ 64" in texts  # value and node gradient shown
    assert "∂ 3" not in texts  # the edge x → mul's local gradient (y = 3) is hidden


def test_export_image_pdf(window, tmp_path):
    out = tmp_path / "graph.pdf"
    window.choose_export_path = PathAnswer(out)
    window.window_actions.export_image.trigger()
    assert out.read_bytes().startswith(b"%PDF-")


def test_export_image_with_an_unknown_type_says_so(qtbot, window, tmp_path):
    window.choose_export_path = PathAnswer(tmp_path / "graph.bmp")
    messages = error_box(qtbot)
    window.window_actions.export_image.trigger()
    assert messages and "unknown image type" in messages[0]
    assert not (tmp_path / "graph.bmp").exists()


# -- checking against PyTorch --------------------------------------------------------------------


def test_check_action_is_enabled_exactly_when_torch_is_installed(window):
    assert window.window_actions.check_torch.isEnabled() == torch_available()


@needs_torch
def test_torch_check_reports_agreement_on_chain_rule(qtbot, window):
    window.window_actions.check_torch.trigger()
    assert not window.window_actions.check_torch.isEnabled()  # one run at a time
    qtbot.waitUntil(lambda: window.torch.dialog is not None, timeout=120_000)
    dialog = window.torch.dialog
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows == [["x", "64", "64", "✓"], ["y", "32", "32", "✓"]]
    assert "All 2 gradients agree" in dialog.summary.text()
    assert dialog.isVisible() and window.window_actions.check_torch.isEnabled()


@needs_torch
def test_torch_check_agrees_on_zero_gradients_and_inexact_values(qtbot):
    """tanh_neuron: dL/dw2 is exactly 0 and tanh's values are not exact in binary."""
    check = TorchCheck(fileformat.load(example_path("tanh_neuron")))
    with qtbot.waitSignal(check.finished, timeout=120_000) as blocker:
        check.start()
    result = blocker.args[0]
    assert [r.variable for r in result.rows] == ["x1", "w1", "x2", "w2", "b"]
    assert result.all_agree
    assert dict((r.variable, r.theirs) for r in result.rows)["w2"] == 0.0


def test_torch_check_of_an_invalid_graph_explains(qtbot, window):
    window.document.add_node(NodeKind.OP, "exp", pos=(0, 300))
    window.document.set_output("exp")
    messages = error_box(qtbot)
    window.check_against_torch()
    qtbot.waitUntil(lambda: bool(messages))
    assert "cannot be checked" in messages[0]
    assert window.torch.check is None and window.torch.dialog is None


def test_torch_check_that_cannot_start_python_explains(qtbot, monkeypatch):
    monkeypatch.setattr(torch_check.sys, "executable", "/nonexistent/python")
    check = TorchCheck(fileformat.load(example_path()))
    with qtbot.waitSignal(check.failed, timeout=10_000) as blocker:
        check.start()
    assert "/nonexistent/python" in blocker.args[0]


def test_torch_check_gives_up_after_its_time_limit(qtbot):
    check = TorchCheck(fileformat.load(example_path()), timeout_ms=1)
    with qtbot.waitSignal(check.failed, timeout=10_000) as blocker:
        check.start()
    assert "did not finish within" in blocker.args[0]


def test_disagreement_is_marked(qtbot):
    from cgeditor.editor.panels.torch_check import CheckResult, GradientRow, TorchCheckDialog
    result = CheckResult("L", 64.0, 64.0, [GradientRow("x", 64.0, 64.0 * (1 + 1e-12)),
                                           GradientRow("y", 32.0, 31.0)])
    dialog = TorchCheckDialog(result)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 3).text() for r in range(2)] == ["✓", "✗"]
    assert "1 of 2 gradients disagree" in dialog.summary.text()

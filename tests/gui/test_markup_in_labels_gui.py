"""Document text shown by Qt is text, never markup: a label such as "<b>x</b>" or
"<img src=…>" reads as those characters in tooltips, the inspector and the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cgeditor.editor.canvas.items import plain_tooltip
from cgeditor.editor.document.document import Document
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

HOSTILE = "<img src='file:///etc/passwd'><b>x</b>"


def test_a_tooltip_that_looks_like_markup_is_escaped_and_plain_text_is_kept():
    assert plain_tooltip("x = 2") == "x = 2"
    shown = plain_tooltip(HOSTILE)
    assert "<img" not in shown and "&lt;img" in shown and "&lt;b&gt;x&lt;/b&gt;" in shown


def test_an_unconnected_node_with_a_markup_label_shows_it_as_text(make_window, qtbot):
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0, label=HOSTILE))
    g.add_node(Node("a", NodeKind.OP, op="add", label=HOSTILE))
    g.add_edge(Edge("x", "a", 0))  # port 1 left open: a problem whose message names the label
    window = make_window(Document(g))
    qtbot.waitUntil(lambda: window.document.evaluation.problems != [])
    item = window.scene.node_item("a")
    assert "<img" not in item.toolTip()
    window.scene.clearSelection()
    item.setSelected(True)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.problems.text() != "")
    assert inspector.problems.textFormat() == Qt.PlainText
    assert window.evaluation_label.textFormat() == Qt.PlainText

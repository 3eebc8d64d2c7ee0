"""Help → Keyboard Shortcuts and About, and View → Legend: what the window can tell about itself.

The shortcut list is read from the window's own actions, so it never disagrees with what the
keys do; the legend is painted in the canvas theme's own colours.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from cgeditor import __version__
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme

LEGEND_ROWS = [  # (theme colours, what such a pill shows)
    (("value_text", "value_fill", "value_border"), "64", "the node's value, from the forward pass"),
    (("grad_text", "grad_fill", "grad_border"), "∂ 32",
     "the node's gradient: d output / d this node, accumulated over every path (backward pass)"),
    (("edge_grad_text", "edge_grad_fill", "edge_grad_border"), "∂ 3",
     "on an edge: the local gradient, d target / d source, of that one op"),
    (("nonfinite_text", "nonfinite_fill", "nonfinite_border"), "nan",
     "a value or gradient that is not a finite number"),
]


def about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About cgeditor",
                      f"<b>cgeditor {escape(__version__)}</b><p>Draw computational graphs and watch their "
                      "values, gradients and backpropagation on the canvas.</p>"
                      "<p>Help → Keyboard Shortcuts lists every key; View → Legend explains the colours.</p>")


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(action, keys) for every action of `window` that has a shortcut, in menu order."""
    rows, seen = [], set()
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.NativeText) for k in action.shortcuts()]
        name = action.text().replace("&", "").rstrip("…").strip()
        if keys and name and name not in seen:
            seen.add(name)
            rows.append((name, ", ".join(keys)))
    return rows


def show_shortcuts(window: QMainWindow) -> QDialog:
    table = "".join(f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;<b>{escape(keys)}</b></td></tr>"
                    for name, keys in shortcut_rows(window))
    return _show(window, "Keyboard Shortcuts", f"<table>{table}</table>")


def show_legend(window: QMainWindow, theme: Theme = DEFAULT_THEME) -> QDialog:
    rows = []
    for (text, fill, border), sample, meaning in LEGEND_ROWS:
        style = (f"color:{getattr(theme, text)}; background:{getattr(theme, fill)}; "
                 f"border:1px solid {getattr(theme, border)}")
        rows.append(f"<tr><td><span style='{style}'>&nbsp;{escape(sample)}&nbsp;</span></td>"
                    f"<td>&nbsp;&nbsp;{escape(meaning)}</td></tr>")
    return _show(window, "Legend", f"<table cellspacing=6>{''.join(rows)}</table>")


def _show(window: QMainWindow, title: str, html: str) -> QDialog:
    """A small non-modal window, so it can stay open beside the canvas while teaching."""
    dialog = QDialog(window)
    dialog.setWindowTitle(title)
    text = QLabel(html)
    text.setObjectName("help_text")
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.show()
    return dialog

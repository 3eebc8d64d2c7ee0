"""What the window tells about itself: About with the version, Keyboard Shortcuts read from the
real actions, the Legend of the ∂ colours, and why Check Against PyTorch is disabled."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

import cgeditor
from cgeditor.editor.window import help_dialogs
from cgeditor.editor.window.main_window import MainWindow


def menu_action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def opened_dialog(window, title: str) -> QDialog:
    return next(d for d in window.findChildren(QDialog) if d.windowTitle() == title and d.isVisible())


def test_about_names_the_version(qtbot, make_window, monkeypatch):
    window = make_window()
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    menu_action(window, "&Help", "&About cgeditor").trigger()
    assert shown and f"cgeditor {cgeditor.__version__}" in shown[0][1]


def test_keyboard_shortcuts_lists_the_keys_the_actions_really_have(qtbot, make_window):
    window = make_window()
    menu_action(window, "&Help", "&Keyboard Shortcuts").trigger()
    text = opened_dialog(window, "Keyboard Shortcuts").findChild(QLabel, "help_text").text()
    rows = dict(help_dialogs.shortcut_rows(window))
    assert rows["Step Through Backpropagation"] == "Ctrl+Shift+T"
    assert rows["Fit Graph"] == "F"
    assert "Next Step" in text and "PgDown" in rows["Next Step"]


def test_the_legend_explains_the_value_gradient_and_edge_gradient_pills(qtbot, make_window):
    window = make_window()
    menu_action(window, "&View", "&Legend").trigger()
    text = opened_dialog(window, "Legend").findChild(QLabel, "help_text").text()
    assert "accumulated over every path" in text and "local gradient" in text
    assert window.isVisible() and QApplication.activeModalWidget() is None  # stays beside the canvas


def test_check_against_pytorch_says_why_it_is_disabled(qtbot, settings, monkeypatch):
    monkeypatch.setattr("cgeditor.editor.window.torch_checking.torch_available", lambda: False)
    window = MainWindow(None, settings)
    action = window.window_actions.check_torch
    assert not action.isEnabled()
    assert "not installed" in action.text()
    assert "pip install torch" in action.statusTip()
    window.deleteLater()

"""The main window's actions, menus and toolbar, in one table-like place.

Actions carry the standard shortcuts from QKeySequence so they feel native on every platform;
the window connects them to its handlers and enables them as its state changes.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar

from cgeditor.editor.window.exporting import CODE_FORMATS

Key = QKeySequence.StandardKey
OVERLAYS = (("values", "Show &values", "Values", "Show each node's value"),
            ("grads", "Show node &gradients", "Gradients", "Show d output / d node on each node"),
            ("edge_grads", "Show &edge gradients", "Edge gradients",
             "Show each edge's local gradient d target / d source"))


def make_action(window: QMainWindow, text: str, shortcut=None, tip: str | None = None,
                checkable: bool = False, icon_text: str | None = None) -> QAction:
    """An action of `window` (the main window's and the teaching controls'): `shortcut` is one
    key sequence or a list of them, `tip` the tooltip and status-bar text."""
    action = QAction(text, window)
    if shortcut is not None:
        shortcuts = shortcut if isinstance(shortcut, (list, tuple)) else [shortcut]
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(checkable)
    if icon_text:
        action.setIconText(icon_text)
    window.addAction(action)  # shortcuts work with the menu bar and toolbars hidden (presentation mode)
    return action


class WindowActions:
    """Every action of the main window, created once; undo/redo come from the window's undo group."""

    def __init__(self, window: QMainWindow, undo: QAction, redo: QAction):
        a = make_action
        self.new = a(window, "&New", Key.New, "Start an empty graph")
        self.new_from_expression = a(window, "New from Ex&pression…", "Ctrl+Shift+N",
                                     "Type a formula or a short program and get its graph")
        self.new_network = a(window, "New Net&work…", None,
                             "Build a fully connected network (layer sizes, activation, loss) as a new graph")
        self.open = a(window, "&Open…", Key.Open, "Open a graph file")
        self.save = a(window, "&Save", Key.Save, "Save the graph")
        self.save_as = a(window, "Save &As…", Key.SaveAs, "Save the graph under a new name")
        self.export_image = a(window, "Export &Image…", "Ctrl+Shift+E",
                              "Save a picture of the graph with its values and gradients (PNG, SVG, PDF)")
        self.export_code = {fmt: a(window, code.menu, tip=f"Save the graph as a {code.title}")
                            for fmt, code in CODE_FORMATS.items()}
        self.check_torch = a(window, "Check Against &PyTorch", None,
                             "Recompute every gradient with PyTorch autograd and compare")
        self.quit = a(window, "&Quit", Key.Quit, "Close the window")
        self.undo, self.redo = undo, redo
        undo.setIconText("Undo")  # the menu says what will be undone; the toolbar stays narrow
        redo.setIconText("Redo")
        undo.setShortcuts(QKeySequence.keyBindings(Key.Undo))
        redo.setShortcuts(QKeySequence.keyBindings(Key.Redo))
        window.addAction(undo)
        window.addAction(redo)
        self.cut = a(window, "Cu&t", Key.Cut, "Cut the selected nodes to the clipboard")
        self.copy = a(window, "&Copy", Key.Copy, "Copy the selected nodes as graph text")
        self.paste = a(window, "&Paste", Key.Paste, "Paste nodes from the clipboard")
        self.duplicate = a(window, "D&uplicate", "Ctrl+D", "Duplicate the selected nodes")
        self.delete = a(window, "&Delete", [Key.Delete, "Backspace"],
                        "Delete the selected nodes and edges")
        self.add_note = a(window, "Add &Note", None, "Put a text note on the canvas, to explain the graph")
        self.select_all = a(window, "Select &All", Key.SelectAll, "Select every node")
        self.arrange = a(window, "A&rrange", "Ctrl+L",
                         "Lay out the graph (or the selection) from inputs to output")
        self.group = a(window, "&Group into Block…", "Ctrl+G",
                       "Make the selected nodes one block (a function) with one instance in their place")
        self.ungroup = a(window, "U&ngroup", "Ctrl+Shift+G", "Write the selected instance's inside back into the graph")
        self.make_unique = a(window, "Make Uni&que…", None,
                             "Give the selected instance its own copy of its block, to edit apart from the others")
        self.edit_block = a(window, "&Edit Block", None,
                            "Open the selected instance's block for editing (every instance changes)")
        self.new_operation = a(window, "New &Operation…", None,
                               "Define an op by a formula, e.g. softplus(t) = log(1 + exp(t)); its derivatives are derived")
        self.save_to_library = a(window, "Save Block to &Library", None,
                                 "Keep the selected instance's block in your library, for other graphs")
        self.library_menu = QMenu("&Insert from Library", window)
        self.fit = a(window, "&Fit Graph", "F", "Zoom to show the whole graph")
        self.frame = a(window, "Frame &Selection", "Shift+F", "Zoom to the selected nodes")
        self.zoom_in = a(window, "Zoom &In", ["Ctrl+=", Key.ZoomIn], "Zoom in")
        self.zoom_out = a(window, "Zoom &Out", ["Ctrl+-", Key.ZoomOut], "Zoom out")
        self.overlays = {kind: a(window, text, tip=tip, checkable=True)
                         for kind, text, _, tip in OVERLAYS}
        for (kind, _, short, _) in OVERLAYS:
            self.overlays[kind].setIconText(short)
        self.minimap = a(window, "&Minimap", None, "Show an overview of the whole graph", checkable=True)
        self.about = a(window, "&About cgeditor", tip="What this program is")
        self.shortcuts = a(window, "&Keyboard Shortcuts", Key.HelpContents, "Every key the window knows")
        self.legend = a(window, "&Legend", None, "What the value, gradient and edge-gradient colours mean")
        self.about.setMenuRole(QAction.AboutRole)
        self.quit.setMenuRole(QAction.QuitRole)

    def fill_menus(self, window: QMainWindow, recent: QMenu, examples: QMenu,
                   docks: list[QDockWidget]) -> None:
        bar = window.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new, self.new_from_expression, self.new_network, self.open])
        file.addMenu(recent)
        file.addMenu(examples)
        file.addSeparator()
        file.addActions([self.save, self.save_as])
        file.addSeparator()
        file.addAction(self.export_image)
        file.addMenu("E&xport").addActions(list(self.export_code.values()))
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.cut, self.copy, self.paste, self.duplicate, self.delete])
        edit.addSeparator()
        edit.addActions([self.select_all, self.arrange])
        edit.addSeparator()
        edit.addActions([self.group, self.ungroup, self.make_unique, self.edit_block])
        edit.addActions([self.new_operation, self.save_to_library])
        edit.addMenu(self.library_menu)
        edit.addSeparator()
        edit.addAction(self.add_note)
        view = bar.addMenu("&View")
        view.addActions([self.fit, self.frame, self.zoom_in, self.zoom_out])
        view.addSeparator()
        view.addActions(list(self.overlays.values()))
        view.addSeparator()
        view.addActions([self.minimap, self.legend])
        panels = view.addMenu("&Panels")
        for dock in docks:
            panels.addAction(dock.toggleViewAction())
        bar.addMenu("&Tools").addAction(self.check_torch)
        bar.addMenu("&Help").addActions([self.shortcuts, self.about])

    def fill_toolbar(self, toolbar: QToolBar) -> None:
        toolbar.addActions([self.undo, self.redo])
        toolbar.addSeparator()
        toolbar.addActions([self.fit, self.arrange])
        toolbar.addSeparator()
        toolbar.addActions(list(self.overlays.values()))

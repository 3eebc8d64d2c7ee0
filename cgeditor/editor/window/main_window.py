"""The main window: canvas in the middle, palette, inspector and history docks around it.

One window shows one Document.  Opening or starting a graph replaces the document, its scene
and its view together (the old ones are deleted), so nothing of a closed graph lingers.  Undo
and redo act through a QUndoGroup, which follows whichever document is current.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (QDockWidget, QLabel, QMainWindow, QMessageBox,
                               QToolBar, QUndoView, QVBoxLayout, QWidget)

from cgeditor.model.fileformat import SUFFIX, DocumentError

from cgeditor.editor.window import exporting, help_dialogs

from cgeditor.editor.window import file_dialogs
from cgeditor.editor.window.actions import WindowActions
from cgeditor.editor.window.block_editing import BlockEditing
from cgeditor.editor.window.block_handlers import BlockHandlers
from cgeditor.editor.window.dock_sizes import DefaultDockSizes
from cgeditor.editor.window.user_blocks import UserBlocks
from cgeditor.editor.window.edit_handlers import EditHandlers
from cgeditor.editor.window.evaluation_status import evaluation_summary
from cgeditor.editor.window.file_menus import RecentMenu, examples_menu
from cgeditor.editor.window.torch_checking import TorchChecking
from cgeditor.editor.document.autosave import Autosaver
from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.expression_dialog import ask_program
from cgeditor.editor.document.gc_pause import release
from cgeditor.editor.panels.inspector import Inspector
from cgeditor.editor.panels.palette import PaletteWidget
from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.teaching.tools import TeachingTools
from cgeditor.editor.canvas.view import GraphView

MESSAGE_MS = 6000  # how long a status-bar message stays
_GEOMETRY_KEY, _STATE_KEY = "window/geometry", "window/state"  # restored on the next start


class MainWindow(QMainWindow):
    document_changed = Signal()  # another document (with its scene and view) is shown

    def __init__(self, document: Document | None = None, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.recent = file_dialogs.RecentFiles(self.settings)
        # Swappable so a caller (or a test) can answer without the real dialog.
        self.ask_save_changes = file_dialogs.ask_save_changes
        self.ask_overwrite_changed = file_dialogs.ask_overwrite_changed
        self.ask_replace_read_only = file_dialogs.ask_replace_read_only
        self.ask_program = ask_program
        self.choose_export_path = exporting.choose_export_path
        self.ask_image_scale = exporting.ask_image_scale
        self.last_program = ""  # offered again by the next New from Expression…
        self.document: Document | None = None
        self.autosaver: Autosaver | None = None
        self.scene: GraphScene | None = None
        self.view: GraphView | None = None
        self.undo_group = QUndoGroup(self)
        # The canvas area stays the central widget for the window's lifetime and each document's
        # view goes inside it: replacing the central widget of a shown window hands its room to
        # the docks (the canvas collapsed to a 68 px strip after File → New).
        self.canvas_area = QWidget()
        QVBoxLayout(self.canvas_area).setContentsMargins(0, 0, 0, 0)
        self.setCentralWidget(self.canvas_area)
        self.window_actions = WindowActions(self, self.undo_group.createUndoAction(self),
                                     self.undo_group.createRedoAction(self))
        self._build_docks()
        # Tabbed docks (Inspector, Paths, Chart, Lesson) share a 256 px column at 1024×700: with
        # the style's roomy tabs their names read "Inspec…", "Pat…", "Ch…".
        self.setStyleSheet("QMainWindow > QTabBar::tab { padding: 4px 7px; }")
        self._build_menus()
        self.evaluation_label = QLabel()
        self.evaluation_label.setTextFormat(Qt.PlainText)  # document text, never markup
        self.statusBar().addPermanentWidget(self.evaluation_label)
        self.editing = EditHandlers(self)
        self.blocks = BlockHandlers(self)
        self.user_blocks = UserBlocks(self)
        self._connect_actions()
        self.teaching = TeachingTools(self)  # before restoreState, which places its docks
        self.block_editing = BlockEditing(self)  # a block's inside, opened in the canvas area
        self.document_changed.connect(lambda: self.teaching.set_document(self.document))
        self.resize(1280, 800)
        # Given starting sizes: docks sized by their contents' hints would jump with the selection.
        dock_sizes = DefaultDockSizes(self, self.palette_dock, self.inspector_dock, self.history_dock)
        self.restoreGeometry(self.settings.value(_GEOMETRY_KEY, b""))
        if self.restoreState(self.settings.value(_STATE_KEY, b"")):
            dock_sizes.following = False  # the sizes the user left them at
        self.set_document(document if document is not None else Document())

    # -- layout ------------------------------------------------------------------------

    def _build_docks(self) -> None:
        self.palette = PaletteWidget()
        self.palette_dock = self._dock("Palette", "palette", Qt.LeftDockWidgetArea)
        self.palette_dock.setWidget(self.palette)
        self.inspector = Inspector()
        self.inspector_dock = self._dock("Inspector", "inspector", Qt.RightDockWidgetArea)
        self.inspector_dock.setWidget(self.inspector)
        self.inspector.renamed_id.connect(self._select_renamed)
        self.history = QUndoView(self.undo_group)
        self.history_dock = self._dock("History", "history", Qt.RightDockWidgetArea)
        self.history_dock.setWidget(self.history)

    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        self.recent_menu = RecentMenu(self.recent, lambda p: self.open_file(p), self)
        self.examples_menu = examples_menu(lambda p: self.open_file(p), self)
        self.window_actions.fill_menus(self, self.recent_menu, self.examples_menu,
                                       [self.palette_dock, self.inspector_dock, self.history_dock])
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.window_actions.fill_toolbar(toolbar)
        self.addToolBar(toolbar)

    def _connect_actions(self) -> None:
        a = self.window_actions
        a.new.triggered.connect(self.new_document)
        a.new_from_expression.triggered.connect(self.new_from_expression)
        a.export_image.triggered.connect(lambda: exporting.export_image(self))
        for fmt, action in a.export_code.items():
            action.triggered.connect(lambda _=False, f=fmt: exporting.export_code(self, f))
        self.torch = TorchChecking(self, a.check_torch)
        a.open.triggered.connect(lambda: self.open_file())
        a.save.triggered.connect(self.save)
        a.save_as.triggered.connect(self.save_as)
        a.quit.triggered.connect(self.close)
        a.cut.triggered.connect(self.editing.cut)
        a.copy.triggered.connect(self.editing.copy)
        a.paste.triggered.connect(self.editing.paste)
        a.duplicate.triggered.connect(self.editing.duplicate)
        a.delete.triggered.connect(lambda: self.scene.delete_selection())
        a.select_all.triggered.connect(self.editing.select_all)
        a.arrange.triggered.connect(self.editing.arrange)
        a.add_note.triggered.connect(self.editing.add_note)
        a.group.triggered.connect(self.blocks.group)
        a.ungroup.triggered.connect(lambda: self.blocks.ungroup())
        a.make_unique.triggered.connect(lambda: self.blocks.make_unique())
        a.edit_block.triggered.connect(lambda: self.blocks.edit_block())
        self.palette.block_requested.connect(self.blocks.on_palette_request)
        a.fit.triggered.connect(lambda: self.view.fit_graph())
        a.frame.triggered.connect(lambda: self.view.frame_selection())
        a.zoom_in.triggered.connect(lambda: self.view.zoom_in())
        a.zoom_out.triggered.connect(lambda: self.view.zoom_out())
        for kind, action in a.overlays.items():
            action.setChecked(True)
            action.toggled.connect(lambda on, k=kind: self.scene.set_overlay_visible(k, on))
        a.minimap.setChecked(True)
        a.minimap.toggled.connect(lambda on: self.view.set_minimap_visible(on))
        a.about.triggered.connect(lambda: help_dialogs.about(self))
        a.shortcuts.triggered.connect(lambda: help_dialogs.show_shortcuts(self))
        a.legend.triggered.connect(lambda: help_dialogs.show_legend(self))

    # -- the document ------------------------------------------------------------------

    def set_document(self, document: Document) -> None:
        """Show `document`, replacing (and deleting) the current one with its scene and view."""
        if self.view is not None:
            self.block_editing.back()
        old, old_scene, old_view = self.document, self.scene, self.view
        if old_scene is not None:
            old_scene.detach()
        if self.autosaver is not None:
            self.autosaver.close()  # the old document was saved or its changes were discarded
        self.autosaver = Autosaver(document, parent=document)
        self.autosaver.failed.connect(self.show_message)
        self.document = document
        document.setParent(self)
        self.scene = GraphScene(document, parent=document)
        self.view = GraphView(self.scene)
        for kind, action in self.window_actions.overlays.items():
            self.scene.set_overlay_visible(kind, action.isChecked())
        self.view.set_minimap_visible(self.window_actions.minimap.isChecked())
        self.canvas_area.layout().addWidget(self.view)
        if old_view is not None:
            old_view.hide()
            self.canvas_area.layout().removeWidget(old_view)
            old_view.deleteLater()  # before its scene, which goes with the old document below
        self.palette.set_view(self.view)
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()  # and its scene with it
            release(old)
        self.inspector.set_document(document)
        self.scene.selection_settled.connect(self._selection_changed)
        self.scene.show_message.connect(self.show_message)
        self.scene.block_requested.connect(self.blocks.on_request)
        document.evaluated.connect(self._show_evaluation)
        document.modified_changed.connect(self.setWindowModified)
        document.path_changed.connect(self._update_title)
        self.history.setEmptyLabel(f"Open {document.name}" if document.path else "New graph")
        self._update_title()
        self._show_evaluation()
        self.document_changed.emit()
        self.view.setFocus()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.name}[*] — cgeditor")
        self.setWindowModified(self.document.is_modified())
        self.setWindowFilePath(str(self.document.path) if self.document.path else "")

    def maybe_save(self) -> bool:
        """Whether the current document may be closed: unchanged, saved, or its changes discarded."""
        if not self.document.is_modified():
            return True
        answer = self.ask_save_changes(self, self.document.name)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_document(self) -> bool:
        if not self.maybe_save():
            return False
        self.set_document(Document())
        return True

    def new_from_expression(self) -> bool:
        """Ask for a program; its graph becomes a new, unsaved document (after the usual
        question about unsaved changes to the current one)."""
        answer = self.ask_program(self, self.last_program)
        if answer is None:
            return False
        graph, self.last_program = answer
        if not self.maybe_save():
            return False
        document = Document(graph)
        document.undo_stack.resetClean()  # typed, never saved: closing it must ask
        self.set_document(document)
        return True

    def open_file(self, path: Path | str | None = None) -> bool:
        """Open `path` (or ask for one) in this window; an unreadable file leaves the current
        document as it was and says why."""
        if not self.maybe_save():
            return False
        if path is None:
            path = file_dialogs.choose_open_path(self, file_dialogs.start_folder(self.settings, self.document.path))
            if path is None:
                return False
        try:
            document = Document.open(path)
        except DocumentError as e:
            file_dialogs.show_error(self, "Cannot open graph", str(e))
            return False
        self.set_document(document)
        self.recent.add(document.path)
        return True

    def save(self) -> bool:
        path = self.document.path
        if path is None or file_dialogs.is_example(path):
            return self.save_as()
        if self.document.changed_on_disk() and not self.ask_overwrite_changed(self, path.name):
            self.show_message(f"Not saved: {path.name} changed on disk (use Save As to keep both)")
            return False
        return self._save_to(path)

    def save_as(self) -> bool:
        folder = file_dialogs.start_folder(self.settings, self.document.path)
        stem = self.document.path.stem if self.document.path else "untitled"
        path = file_dialogs.choose_save_path(self, folder / f"{stem}{SUFFIX}")
        return path is not None and self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            if not file_dialogs.write_asking(self, path, lambda replace: self.document.save(
                    path, replace_read_only=replace)):
                self.show_message(f"Not saved: {path.name} is read-only")
                return False
        except DocumentError as e:
            file_dialogs.show_error(self, "Cannot save graph", str(e))
            return False
        self.recent.add(path)
        self.show_message(f"Saved {path}")
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.autosaver.close()  # a clean close leaves no recovery file
            self.settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
            self.settings.setValue(_STATE_KEY, self.saveState())
            release(self.document)
            event.accept()
        else:
            event.ignore()

    def _select_renamed(self, node_id: str) -> None:
        self.scene.clearSelection()
        self.scene.node_item(node_id).setSelected(True)

    def _selection_changed(self) -> None:
        self.inspector.set_selection(self.scene.selected_node_ids())

    def check_against_torch(self) -> None:
        """Check the document's gradients against PyTorch's (see TorchChecking)."""
        self.torch.start()

    # -- status ------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def _show_evaluation(self) -> None:
        self.evaluation_label.setText(evaluation_summary(self.document))


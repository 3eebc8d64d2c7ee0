"""Teaching mode in the main window: its actions, toolbar and docks, wired to the current document.

The window creates one `TeachingTools`; each time it shows another document (its
`document_changed` signal) the stepper and canvas layer are rebuilt for it.  What the canvas
shows is decided in one place, `refresh`: the walk's state while teaching, the quiz's state when
gradients are hidden, otherwise the normal display.  Where the view looks is the `StepCamera`'s
(camera.py); the actions, toolbar and menu entries are `TeachingControls`' (controls.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QGraphicsSceneMouseEvent, QMainWindow

from cgeditor.model.graph import NodeKind

from cgeditor.editor.canvas.items import NodeItem, OverlayLabel
from cgeditor.editor.panels.lazy_panel import RefreshWhenShown
from cgeditor.editor.canvas.theme import DEFAULT_THEME, PROJECTOR_THEME
from cgeditor.editor.teaching import presentation as pres
from cgeditor.editor.teaching.camera import StepCamera
from cgeditor.editor.teaching.canvas_layer import CanvasLayer
from cgeditor.editor.teaching.controls import TeachingControls
from cgeditor.editor.teaching.gradient_chart import GradientChart
from cgeditor.editor.teaching.lesson_panel import LessonPanel
from cgeditor.editor.teaching.narration_panel import NarrationPanel
from cgeditor.editor.teaching.paths_panel import PathsPanel
from cgeditor.editor.teaching.presentation import Presentation
from cgeditor.editor.teaching.quiz import Quiz
from cgeditor.editor.teaching.step_badge import StepBadge
from cgeditor.editor.teaching.stepper import StepThrough
from cgeditor.model.teaching.view_state import TeachingState
from cgeditor.model.teaching.walk import full_state

NARRATION_HEIGHT = 170


class TeachingTools(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.document = None
        self.stepper: StepThrough | None = None
        self.layer: CanvasLayer | None = None
        self._scene = None
        self._opened_narration = False  # teaching showed the narration dock, so stopping hides it
        self._badge: StepBadge | None = None  # the step counter on the canvas while presenting
        self._wrt_version: int | None = None  # the graph structure the "with respect to" list shows
        self.quiz = Quiz(self)
        self.controls = TeachingControls(window)
        self.presentation = Presentation(window)
        self.camera = StepCamera(window)
        self._build_docks()
        self.controls.add_to_menus(window, (self.narration_dock, self.paths_dock, self.chart_dock,
                                            self.lesson_dock))
        self.toolbar = self.controls.toolbar(window)
        window.addToolBarBreak()  # a row of its own: beside the editing bar, 1024 px hid its end
        window.addToolBar(self.toolbar)
        self._connect()

    # -- building --------------------------------------------------------------------------

    def _build_docks(self) -> None:
        w = self.window
        self.narration = NarrationPanel()
        self.paths = PathsPanel()
        self.chart = GradientChart()
        self.lesson = LessonPanel()
        self.narration_dock = self._dock("Narration", "narration", Qt.BottomDockWidgetArea, self.narration)
        self.narration_dock.hide()  # shown when teaching starts
        self.paths_dock = self._dock("Paths", "paths", Qt.RightDockWidgetArea, self.paths)
        self.chart_dock = self._dock("Chart", "gradient_chart", Qt.RightDockWidgetArea, self.chart)
        self.lesson_dock = self._dock("Lesson", "lesson", Qt.RightDockWidgetArea, self.lesson)
        inspector = getattr(w, "inspector_dock", None)
        if inspector is not None:  # tabs beside the inspector keep the canvas wide
            for dock in (self.paths_dock, self.chart_dock, self.lesson_dock):
                w.tabifyDockWidget(inspector, dock)
            inspector.raise_()

    def _dock(self, title: str, name: str, area, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        if isinstance(widget, RefreshWhenShown):
            widget.follow_dock(dock)
        return dock

    def _connect(self) -> None:
        c = self.controls
        c.teach.toggled.connect(self.set_teaching)
        c.next.triggered.connect(lambda: self.stepper.next())
        c.previous.triggered.connect(lambda: self.stepper.previous())
        c.play.triggered.connect(lambda: self.stepper.toggle_play())
        c.reset.triggered.connect(lambda: self.stepper.reset())
        c.end.triggered.connect(lambda: self.stepper.end())
        c.constants.toggled.connect(lambda on: self.stepper.set_constants(on))
        c.mode.currentIndexChanged.connect(lambda _: self.stepper.set_mode(c.mode.currentData()))
        c.wrt.currentIndexChanged.connect(lambda _: self.stepper.set_wrt(c.wrt.currentData()))
        c.speed.valueChanged.connect(self._speed_changed)
        c.presentation.toggled.connect(self.presentation.set_active)
        c.leave_presentation.triggered.connect(lambda: c.presentation.setChecked(False))
        self.presentation.toggled.connect(self._presentation_toggled)
        c.copy_results.triggered.connect(lambda: self.lesson.copy_results())
        c.reset_values.triggered.connect(lambda: self.lesson.reset_values())
        c.quiz_all.triggered.connect(self._quiz_all)
        c.quiz_selected.triggered.connect(self._quiz_selected)
        c.quiz_clear.triggered.connect(self.quiz.clear)
        self.quiz.changed.connect(self.refresh)
        self.paths.path_hovered.connect(self._path_hovered)
        self.lesson.message.connect(self._message)
        c.set_speed_value(1.0)

    # -- the document ----------------------------------------------------------------------

    def set_document(self, document) -> None:
        """Follow the window's current document, scene and view."""
        if self.stepper is not None:
            self.stepper.detach()
            self.stepper.deleteLater()
        if self.layer is not None and self._scene is not None:
            self._scene.removeEventFilter(self)
        self.document = document
        self._scene = self.window.scene
        self.quiz.clear()
        self.stepper = StepThrough(document, self)
        self.stepper.set_speed(self.controls.speed_value())
        self.stepper.set_mode(self.controls.mode.currentData())
        self.stepper.set_constants(self.controls.constants.isChecked())
        self.layer = CanvasLayer(self._scene)
        self._scene.insides.changed.connect(self._expanded_changed, Qt.UniqueConnection)
        self.stepper.set_expanded(self._scene.insides.expanded())
        self._scene.installEventFilter(self)
        self.window.view.installEventFilter(self)  # resized: refit or keep the step in view
        if self._badge is not None:
            self._badge.deleteLater()
        self._badge = StepBadge(self.window.view, self.layer.bubble_on_screen, self.layer.graph_on_screen)
        self.layer.callout_placed.connect(self._badge.place)
        self._scene.selection_settled.connect(self._selection_changed)
        self.stepper.changed.connect(self.refresh)
        document.evaluated.connect(self._evaluated)
        for panel in (self.paths, self.chart, self.lesson):
            panel.set_document(document)
        self._wrt_version = None
        self._fill_wrt()
        if self.presentation.is_active():
            self._style_canvas(True)
        self.refresh()

    def _evaluated(self) -> None:
        self._fill_wrt()
        if self.quiz.is_active() and not self.is_teaching():
            self.refresh()

    def _fill_wrt(self) -> None:
        """List the graph's leaves; only an added or removed node can change them, so a value
        edit on a large graph does not walk every node."""
        graph = self.document.graph
        if graph.structure_version == self._wrt_version:
            return
        touched = graph.journal.since(self._wrt_version) if self._wrt_version is not None else None
        self._wrt_version = graph.structure_version
        nodes, controls = graph.nodes, self.controls
        if touched is not None and not any(controls.lists(n) or (n in nodes and nodes[n].kind is not NodeKind.OP)
                                           for n in touched):
            return  # only ops and wires came or went: listing 50,000 leaves again would find the same
        if self.controls.list_leaves([n for n in graph if n.kind is not NodeKind.OP]):
            self.stepper.set_wrt(self.controls.wrt.currentData())

    # -- teaching --------------------------------------------------------------------------

    def is_teaching(self) -> bool:
        return self.controls.teach.isChecked()

    def set_teaching(self, on: bool) -> None:
        if self.controls.teach.isChecked() != on:
            self.controls.teach.setChecked(on)  # comes back here through toggled
            return
        self.controls.set_stepping_enabled(on)
        if on:
            self._opened_narration = not self.presentation.is_active() and self.narration_dock.isHidden()
            if self._opened_narration:
                self.narration_dock.show()
                self.window.resizeDocks([self.narration_dock], [NARRATION_HEIGHT], Qt.Vertical)
            self.camera.remember_zoom()
            self.stepper.reset()
        else:
            self.stepper.pause()
            if self._opened_narration:  # teaching opened it, so teaching closes it
                self.narration_dock.hide()
                self._opened_narration = False
        self.refresh()

    def displayed_state(self) -> TeachingState | None:
        """What the canvas should show: the walk, the quiz, or (None) the normal display."""
        if self.is_teaching():
            return self.stepper.state(self.quiz.hidden)
        ev = self.document.evaluation
        if self.quiz.is_active() and ev.output is not None:
            return full_state(self.document.graph, ev, self.quiz.hidden)
        return None

    def refresh(self) -> None:
        if self.stepper is None:
            return
        teaching = self.is_teaching()
        state = self.displayed_state()
        split = self.stepper.split(state) if teaching and state is not None else None
        self._scene.apply_teaching_state(split.top if split is not None else state)
        self.layer.show_state(split.top if split is not None else None, split)
        self.narration.show_state(state if teaching else None, self.stepper.problem if teaching else None)
        c = self.controls
        # Only a walk being taught is built: counting steps would narrate every evaluation.
        c.position.setText(f" step {self.stepper.position} of {max(self.stepper.count() - 1, 0)} "
                           if teaching else "")
        self._badge.show_text(c.position.text().strip() if self.presentation.is_active() else "")
        c.play.setIconText("Pause" if self.stepper.is_playing() else "Play")
        c.wrt_action.setVisible(c.mode.currentData() == "forward_mode")
        if teaching and state is not None:
            self.keep_in_view()
        if teaching and self.stepper.problem:
            self._message(f"Cannot step through: {self.stepper.problem}")

    def _expanded_changed(self) -> None:
        """An instance expanded or collapsed on the canvas: the walk steps into it, or over it."""
        if self.stepper is not None:
            self.stepper.set_expanded(self._scene.insides.expanded())

    def keep_in_view(self) -> None:
        """Scroll (and if need be zoom out) so the current step and its callout are on screen."""
        self.camera.keep_in_view(self.layer, glide=self.presentation.is_active())

    def _speed_changed(self) -> None:
        value = self.controls.speed_value()
        self.controls.speed_label.setText(f"{value:g}/s")
        if self.stepper is not None:
            self.stepper.set_speed(value)

    # -- presentation ----------------------------------------------------------------------

    def fit_for_presentation(self) -> None:
        """Fill the screen with the graph as far as its names stay readable (see StepCamera)."""
        if self.camera.fit_for_presentation(self._scene, self.layer) and self.is_teaching():
            self.keep_in_view()

    def _style_canvas(self, presenting: bool) -> None:
        """Projector colours and a large callout while presenting, the desk look otherwise."""
        self._scene.set_theme(PROJECTOR_THEME if presenting else DEFAULT_THEME)
        if presenting:
            self.layer.set_presentation(pres.CALLOUT_PX, pres.HALO_SCALE)
        else:
            self.layer.set_presentation(pres.NORMAL_CALLOUT_PX, pres.NORMAL_HALO_SCALE)

    def _presentation_toggled(self, on: bool) -> None:
        c = self.controls
        c.leave_presentation.setEnabled(on)
        if c.presentation.isChecked() != on:
            c.presentation.setChecked(on)
        self._style_canvas(on)
        view = self.window.view
        if view is not None:
            minimap = getattr(getattr(self.window, "window_actions", None), "minimap", None)
            view.set_minimap_visible(not on and (minimap is None or minimap.isChecked()))
            self.refresh()  # the step counter moves onto the canvas while presenting
            if on:
                self.fit_for_presentation()
            else:
                view.show_graph()
                self.camera.remember_zoom()

    # -- quiz, paths, selection ------------------------------------------------------------

    def _quiz_all(self) -> None:
        self.quiz.hide(n.id for n in self.document.graph)

    def _quiz_selected(self) -> None:
        ids = self._scene.selected_node_ids()
        if not ids:
            self._message("Select the nodes whose gradients the class should work out")
        self.quiz.hide(ids)

    def eventFilter(self, watched, event) -> bool:
        """A click on a node, or on its "?" gradient, reveals that gradient during a quiz; a
        resized view is fitted again while presenting, and keeps the step in view while teaching."""
        if event.type() == QEvent.Resize and watched is self.window.view:
            if self._badge is not None:
                self._badge.place()
            if self.presentation.is_active():
                QTimer.singleShot(0, self.fit_for_presentation)
            elif self.is_teaching():
                QTimer.singleShot(0, self.keep_in_view)
            return False
        if event.type() == QEvent.GraphicsSceneMousePress and self.quiz.is_active() \
                and isinstance(event, QGraphicsSceneMouseEvent) and watched is self._scene:
            for item in self._scene.items_at(event.scenePos()):
                if isinstance(item, NodeItem) and self.quiz.reveal(item.node_id):
                    break
                if isinstance(item, OverlayLabel) and item.style == "grad" and self.quiz.reveal(item.owner):
                    break
        return False

    def _selection_changed(self) -> None:
        ids = self._scene.selected_node_ids()
        self.paths.set_node(ids[0] if len(ids) == 1 else None)

    def _path_hovered(self, path) -> None:
        if self.layer is not None:
            self.layer.highlight_path(path.nodes if path is not None else None,
                                      path.edges if path is not None else None)

    def _message(self, text: str) -> None:
        show = getattr(self.window, "show_message", None)
        if show is not None:
            show(text)


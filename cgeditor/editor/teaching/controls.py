"""The teaching actions and toolbar: Teach, the stepping controls, mode, input and speed.

The stepping keys are the ones a presentation clicker sends (→ and PageDown for Next, ← and
PageUp for Previous) plus Space and Home.  Their actions are enabled only while teaching, so
otherwise the keys keep their normal meaning (a disabled action's shortcut lets the key through).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QMenu, QSlider, QToolBar

from cgeditor.editor.teaching.stepper import MAX_SPEED, MIN_SPEED
from cgeditor.editor.window.actions import make_action
from cgeditor.model.graph import NodeKind
from cgeditor.model.teaching.walk import MODES

SPEED_STEPS = 4  # slider ticks per step-per-second


class TeachingControls:
    def __init__(self, window: QMainWindow):
        a = make_action
        self.teach = a(window, "Step Through &Backpropagation", ["Ctrl+Shift+T"],
                       "Teach: walk the forward pass and backpropagation step by step", True, "Teach")
        self.previous = a(window, "&Previous Step", ["Left", "PgUp"], "Previous step (← or PageUp)",
                          icon_text="◀ Prev")
        self.next = a(window, "&Next Step", ["Right", "PgDown"], "Next step (→ or PageDown)",
                      icon_text="Next ▶")
        self.play = a(window, "P&lay / Pause", ["Space"], "Play or pause the walk (Space)", icon_text="Play")
        self.reset = a(window, "&Restart Walk", ["Home"], "Back to the start (Home)", icon_text="Reset")
        self.end = a(window, "&Last Step", ["End"], "Jump to the end of the walk (End)", icon_text="End")
        self.constants = a(window, "Step Through Gradients of &Constants", [],
                           "Also step through d output / d each number literal (skipped by default)", True)
        self.presentation = a(window, "&Presentation Mode", ["F11"],
                              "Full screen, canvas only, large type (F11 or Esc to leave)", True, "Present")
        self.leave_presentation = a(window, "Leave Presentation Mode", ["Esc"])
        self.leave_presentation.setEnabled(False)
        self.copy_results = a(window, "Copy &Results", ["Ctrl+Shift+C"],
                              "Copy every node's value and gradient as a Markdown table")
        self.reset_values = a(window, "Reset &Values", [], "Put every input back to its value when opened")
        self.quiz_all = a(window, "Hide &All Gradients", [], "Quiz: every gradient reads ? until clicked")
        self.quiz_selected = a(window, "Hide &Selected Gradients", [],
                               "Quiz: the selected nodes' gradients read ? until clicked")
        self.quiz_clear = a(window, "&Show All Gradients", [], "End the quiz: show every gradient")
        self.stepping = (self.previous, self.next, self.play, self.reset, self.end)
        self.set_stepping_enabled(False)

        self.mode = QComboBox()
        for key, title in MODES.items():
            self.mode.addItem(title, key)
        self.mode.setToolTip("What to step through")
        self.wrt = QComboBox()
        self._listed: list[str] = []  # the node ids `wrt` lists, in order
        self._listed_set: frozenset[str] = frozenset()
        self.wrt.setToolTip("Forward mode: differentiate by this input")
        self.wrt.setMinimumContentsLength(6)
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(round(MIN_SPEED * SPEED_STEPS), round(MAX_SPEED * SPEED_STEPS))
        self.speed.setFixedWidth(110)
        self.speed.setToolTip("Playing speed (steps per second)")
        self.speed_label = QLabel()
        self.position = QLabel()
        self.position.setMinimumWidth(70)

    def set_stepping_enabled(self, on: bool) -> None:
        for action in self.stepping:
            action.setEnabled(on)

    def list_leaves(self, leaves) -> bool:
        """Offer `leaves` (nodes) in the "with respect to" list, keeping the one chosen while it is
        there, else the first variable; False when the list shows them already.  Signals are
        blocked: the caller passes the choice on once."""
        combo = self.wrt
        ids = [n.id for n in leaves]
        if ids == self._listed:  # kept, not read back item by item: 4,000 leaves took 25 ms an edit
            return False
        self._listed, self._listed_set = ids, frozenset(ids)
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for n in leaves:
            combo.addItem(f"∂/∂{n.label}", n.id)
        variables = [n.id for n in leaves if n.kind is NodeKind.VARIABLE]
        chosen = current if current in ids else (variables or ids or [None])[0]
        if chosen is not None:
            combo.setCurrentIndex(ids.index(chosen))
        combo.blockSignals(False)
        return True

    def lists(self, node_id: str) -> bool:
        """Whether the "with respect to" list offers `node_id`."""
        return node_id in self._listed_set

    def speed_value(self) -> float:
        return self.speed.value() / SPEED_STEPS

    def set_speed_value(self, steps_per_second: float) -> None:
        self.speed.setValue(round(steps_per_second * SPEED_STEPS))
        self.speed_label.setText(f"{steps_per_second:g}/s")

    def add_to_menus(self, window: QMainWindow, docks) -> None:
        """Put the teaching actions into the window's View and Edit menus, and the toggles of
        the teaching `docks` into its View > Panels menu (each only where the window has it)."""
        view = _menu(window, "&View")
        if view is not None:
            view.addSeparator()
            view.addActions([self.teach, self.presentation, self.constants])
            quiz = view.addMenu("&Quiz")
            quiz.addActions([self.quiz_all, self.quiz_selected, self.quiz_clear])
            panels = next((a.menu() for a in view.actions() if a.menu() is not None
                           and a.text() == "&Panels"), None)
            if panels is not None:
                for dock in docks:
                    panels.addAction(dock.toggleViewAction())
        edit = _menu(window, "&Edit")
        if edit is not None:
            edit.addSeparator()
            edit.addActions([self.copy_results, self.reset_values])

    def toolbar(self, window: QMainWindow) -> QToolBar:
        bar = QToolBar("Teaching", window)
        bar.setObjectName("teaching_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.addAction(self.teach)
        bar.addWidget(self.mode)
        self.wrt_action = bar.addWidget(self.wrt)
        bar.addSeparator()
        bar.addActions([self.reset, self.previous, self.play, self.next, self.end])
        play = bar.widgetForAction(self.play)  # as wide as "Pause", so the bar never shifts
        self.play.setIconText("Pause")
        play.setMinimumWidth(play.sizeHint().width())
        self.play.setIconText("Play")
        bar.addWidget(self.position)
        bar.addSeparator()
        bar.addWidget(QLabel(" speed "))
        bar.addWidget(self.speed)
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        bar.addAction(self.presentation)
        return bar


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    """One of the window's menus, by its title."""
    return next((a.menu() for a in window.menuBar().actions() if a.text() == title), None)

"""Presentation mode: the canvas alone, full screen, for a projector; leaving restores the
window exactly as it was.

Entering records the window's geometry, its dock and toolbar layout (saveState), its window
state and the menu and status bars' visibility; leaving puts each back, in that order, after
the window has left full screen.  How the canvas itself grows (type, line widths, the callout)
is applied by whoever listens to `toggled` (see `theme.PROJECTOR_THEME`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QObject, QRect, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

CALLOUT_PX = 36  # the step callout on a projector (20 on a desk)
HALO_SCALE = 2.0  # the current step's halo, thicker on a projector
NORMAL_CALLOUT_PX, NORMAL_HALO_SCALE = 20, 1.0


@dataclass(frozen=True)
class _Saved:
    geometry: QByteArray
    rect: QRect  # the frame's place as well, which restoreGeometry alone may clamp to the screen
    state: QByteArray
    window_state: Qt.WindowState
    menu_bar: bool
    status_bar: bool


class Presentation(QObject):
    toggled = Signal(bool)

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self._saved: _Saved | None = None

    def is_active(self) -> bool:
        return self._saved is not None

    def set_active(self, on: bool) -> None:
        self.enter() if on else self.leave()

    def enter(self) -> None:
        if self._saved is not None:
            return
        w = self.window
        self._saved = _Saved(w.saveGeometry(), w.geometry(), w.saveState(), w.windowState(),
                             w.menuBar().isVisible(), w.statusBar().isVisible())
        for bar in w.findChildren(QToolBar):
            bar.hide()
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.showFullScreen()
        self.toggled.emit(True)

    def leave(self) -> None:
        saved, self._saved = self._saved, None
        if saved is None:
            return
        w = self.window
        w.setWindowState(saved.window_state)
        w.menuBar().setVisible(saved.menu_bar)
        w.statusBar().setVisible(saved.status_bar)
        w.restoreState(saved.state)
        w.restoreGeometry(saved.geometry)
        if saved.window_state == Qt.WindowNoState and w.geometry() != saved.rect:
            w.setGeometry(saved.rect)
        self.toggled.emit(False)

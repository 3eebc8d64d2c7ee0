"""The docks' starting widths, in proportion to the window while nobody has resized them.

Fixed widths (palette 200, inspector 310) suit 1280 px, but kept at 1024×700 they left the canvas
502 px and chain_rule fitted at 0.75 zoom, too small to read from the back of a room.  So the
widths follow the window's width for as long as they are still the ones given here; once the
user drags a dock's edge (or a saved layout is restored) they are the user's and stay put.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

PALETTE = (0.16, 150, 200)  # (share of the window's width, least, most) in pixels
INSPECTOR = (0.25, 240, 310)
INSPECTOR_HEIGHT, HISTORY_HEIGHT = 430, 300


def default_widths(window_width: int) -> tuple[int, int]:
    """The palette's and the inspector's widths for a window this wide."""
    return tuple(round(min(most, max(least, share * window_width))) for share, least, most in (PALETTE, INSPECTOR))


class DefaultDockSizes(QObject):
    def __init__(self, window, palette_dock, inspector_dock, history_dock):
        super().__init__(window)
        self.window, self.docks = window, (palette_dock, inspector_dock)
        self.following = True  # the widths are still the ones given here
        window.resizeDocks([inspector_dock, history_dock], [INSPECTOR_HEIGHT, HISTORY_HEIGHT], Qt.Vertical)
        self.apply()
        window.installEventFilter(self)

    def apply(self) -> None:
        if self.following:
            self.window.resizeDocks(list(self.docks), list(default_widths(self.window.width())), Qt.Horizontal)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Resize and self.following:
            if not self.window.isVisible():
                self.apply()  # not laid out yet: the widths take effect when it is shown
            elif tuple(d.width() for d in self.docks) != default_widths(event.oldSize().width()):
                self.following = False  # somebody changed them
            else:
                QTimer.singleShot(0, self.apply)  # once the layout has the new width
        return False

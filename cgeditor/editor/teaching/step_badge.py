"""The step counter on the canvas while presenting: the toolbar that shows it at a desk is
hidden on a projector, and the class (and the presenter with a clicker) still want to know how
far the walk has got."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtWidgets import QGraphicsView, QLabel

MARGIN = 16  # px from the canvas' corner


class StepBadge(QLabel):
    """A small rounded label, "step 7 of 24", in the canvas' top-right corner, or another corner
    while the callout is in that one (a callout above the graph used to run under it)."""

    def __init__(self, view: QGraphicsView, keep_clear: Callable[[], QRectF | None]):
        super().__init__(view)
        self.view = view
        self.keep_clear = keep_clear  # the callout's place in the viewport, if it shows
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel { background: rgba(20, 24, 32, 200); color: white; border-radius: 8px;"
                           " padding: 6px 14px; font-size: 22px; }")
        self.hide()

    def show_text(self, text: str) -> None:
        """Show `text` in the corner, or hide when it is empty."""
        if not text:
            self.hide()
            return
        self.setText(text)
        self.adjustSize()
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        vp = self.view.viewport().geometry()
        clear = self.keep_clear()
        corners = [QPoint(x, y) for y in (vp.top() + MARGIN, vp.bottom() - self.height() - MARGIN)
                   for x in (vp.right() - self.width() - MARGIN, vp.left() + MARGIN)]
        for corner in corners:
            spot = QRectF(corner.x(), corner.y(), self.width(), self.height())
            if clear is None or not spot.intersects(clear.translated(vp.topLeft())):
                self.move(corner)
                return
        self.move(corners[0])

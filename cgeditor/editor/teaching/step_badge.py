"""The step counter on the canvas while presenting: the toolbar that shows it at a desk is
hidden on a projector, and the class (and the presenter with a clicker) still want to know how
far the walk has got."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtWidgets import QGraphicsView, QLabel

MARGIN = 16  # px from the canvas' corner


class StepBadge(QLabel):
    """A small rounded label, "step 7 of 24", in the canvas' top-right corner, or wherever else
    along the canvas' edges it covers neither the callout nor a node or number (a callout
    above the graph used to run under it; on a large graph it sat on a node)."""

    def __init__(self, view: QGraphicsView, callout: Callable[[], QRectF | None],
                 graph: Callable[[], list[QRectF]]):
        super().__init__(view)
        self.view = view
        self.callout = callout  # the callout's place in the viewport, if it shows
        self.graph = graph  # the nodes and numbers on screen, in the viewport
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
        self._place()
        self.show()
        self.raise_()

    def place(self) -> None:
        """Move to a free spot (see `_place`); nothing while hidden: the scene query behind it
        cost a 4,000-node graph a tenth of a second on every evaluation, and `show_text`
        places the badge as it shows it."""
        if not self.isHidden():
            self._place()

    def _place(self) -> None:
        """The first free spot: top right, top left, along the top, then the same along the
        bottom, then rows nearer and nearer the middle (a graph filling the screen may leave no
        edge free); with none free, the one under the fewest things, and the callout last of all."""
        vp = self.view.viewport().geometry()
        bubble = self.callout()
        covered = [bubble] if bubble is not None else []
        things = self.graph()
        w, h = self.width(), self.height()
        right, bottom = vp.width() - w - MARGIN, vp.height() - h - MARGIN
        xs = [right, MARGIN, *_between(right, MARGIN, w // 2)]
        ys = sorted({MARGIN, bottom, *_between(bottom, MARGIN, h)},
                    key=lambda y: (min(y - MARGIN, bottom - y), y))  # the edges first, the top one first
        best = None
        for rank, (y, x) in enumerate((y, x) for y in ys for x in xs):
            spot = QRectF(x, y, w, h)
            cost = (sum(spot.intersects(r) for r in covered), sum(spot.intersects(r) for r in things), rank)
            if best is None or cost < best[0]:
                best = (cost, QPoint(round(x) + vp.left(), round(y) + vp.top()))
            if cost[:2] == (0, 0):
                break
        self.move(best[1])


def _between(start: int, end: int, step: int) -> list[float]:
    """Places strictly between `start` and `end`, about `step` apart."""
    count = max(int(abs(end - start) / max(step, 1)), 1)
    return [start + (end - start) * i / count for i in range(1, count)]

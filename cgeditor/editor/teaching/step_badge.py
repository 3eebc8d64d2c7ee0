"""The step counter on the canvas while presenting: the toolbar that shows it at a desk is
hidden on a projector, and the class (and the presenter with a clicker) still want to know how
far the walk has got."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsView, QLabel

MARGIN = 16  # px from the canvas' top-right corner, away from the callout (below the step) and the minimap


class StepBadge(QLabel):
    """A small rounded label, "step 7 of 24", in the canvas' top-right corner."""

    def __init__(self, view: QGraphicsView):
        super().__init__(view)
        self.view = view
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
        self.move(vp.right() - self.width() - MARGIN, vp.top() + MARGIN)

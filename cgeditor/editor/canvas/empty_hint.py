"""What an empty canvas says in its middle: how to put the first node on it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QGraphicsView, QLabel

HINT = ("<p style='font-size:15px'><b>An empty graph</b></p>"
        "<p>Drag a variable or an op from the palette,<br>press <b>Tab</b> (or double-click) to search for one,"
        "<br>or type a formula with <b>File → New from Expression…</b> (Ctrl+Shift+N).</p>")


class EmptyHint(QLabel):
    """A label centred on the view's viewport, shown only while the document has no nodes; the
    mouse goes through it to the canvas."""

    def __init__(self, view: QGraphicsView, graph):
        super().__init__(HINT, view)  # not the viewport's child: scrolling would carry it away
        self._view, self._graph = view, graph
        self.setAlignment(Qt.AlignCenter)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #6b7280; background: transparent;")
        view.viewport().installEventFilter(self)  # re-centred whenever the viewport resizes
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize:
            self.follow()
        return False

    def follow(self) -> None:
        """Show or hide for the graph as it is now, centred in the viewport."""
        empty = len(self._graph) == 0
        self.setVisible(empty)
        if empty:
            self.adjustSize()
            self.move(self._view.viewport().geometry().center() - self.rect().center())

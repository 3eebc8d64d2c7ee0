"""How the teaching camera moves while presenting: a graph is shown whole only while its names
stay readable from the back of the hall, and a step off screen is reached by a short glide of
the view's centre, never a jump the class loses its place in."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEasingCurve, QPointF, QVariantAnimation

READABLE_PX = 24  # node names on a 1920 x 1080 projector, at the least
REFERENCE_HEIGHT = 1080
GLIDE_MS = 260


def readable_zoom(viewport_height: int, label_px: float) -> float:
    """The smallest zoom at which node names are READABLE_PX tall on a 1080-line screen (in
    proportion on others)."""
    return READABLE_PX * viewport_height / REFERENCE_HEIGHT / label_px


class Glide:
    """Moves the view's centre where `move` puts it, smoothly: the move is made at once to learn
    where it ends, then undone and animated there."""

    def __init__(self, view):
        self.view = view
        self.animation = QVariantAnimation(view, duration=GLIDE_MS, easingCurve=QEasingCurve.InOutCubic)
        self.animation.valueChanged.connect(lambda c: self.view.centerOn(c))

    def is_moving(self) -> bool:
        return self.animation.state() == QVariantAnimation.Running

    def run(self, move: Callable[[], None]) -> None:
        view = self.view
        self.animation.stop()
        start = view.mapToScene(view.viewport().rect().center())
        move()
        end = view.mapToScene(view.viewport().rect().center())
        if (end - start).manhattanLength() * view.zoom_level() < 2:
            return  # already there (or less than a pixel or two off)
        view.centerOn(start)
        self.animation.setStartValue(QPointF(start))
        self.animation.setEndValue(QPointF(end))
        self.animation.start()

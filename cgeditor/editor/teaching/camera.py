"""How the teaching camera moves while presenting: a graph is shown whole only while its names
stay readable from the back of the hall, and a step off screen is reached by a short glide of
the view's centre, never a jump the class loses its place in."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QVariantAnimation

READABLE_PX = 24  # node names on a 1920 x 1080 projector, at the least
REFERENCE_HEIGHT = 1080
GLIDE_MS = 260
KEEP_IN_VIEW_MARGIN = 60  # screen pixels kept around the current step (beyond the callout)
PRESENT_MARGIN = 40  # screen pixels around the graph in presentation mode
ANCHOR_ROOM = 30  # screen pixels kept in view round the point the callout points at
MIN_ROOM = 80  # screen pixels: a view smaller than this is not zoomed to fit a step


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


class StepCamera:
    """Where the window's view looks while teaching: the current step kept on screen, and the
    graph fitted for presentation.  The zoom never exceeds the preferred one (the zoom teaching
    started with, or presentation fitted), so it comes back once a step that needed zooming out
    is past."""

    def __init__(self, window):
        self.window = window
        self.preferred_zoom: float | None = None
        self.glide: Glide | None = None  # moves the presenting view smoothly
        self._layer = None  # the teaching layer whose callout the glide is taking into view

    def remember_zoom(self) -> None:
        """Make the view's zoom now the one that steps come back to."""
        self.preferred_zoom = self.window.view.zoom_level()

    def keep_in_view(self, layer, glide: bool) -> None:
        """Scroll so the current step and its callout are on screen; `glide` (presenting) moves
        there smoothly, the class following a glide rather than a jump.

        At a desk the view zooms out if the step itself (its edge and node) does not fit.  While
        presenting it never zooms out past the zoom at which names stay readable: a step too
        large for the screen at that zoom is panned to, centred on the point the callout points
        at, never shrunk.  The callout keeps its size on screen, so once the view has moved it is placed
        again for what the view shows and then scrolled into view whole.  A view squeezed to a
        sliver (while docks settle) is left alone.
        """
        view = self.window.view
        rect = layer.step_rect()
        if rect.isEmpty() or view is None:
            return
        vp = view.viewport().rect()
        margin = KEEP_IN_VIEW_MARGIN
        below = min(layer.callout.bubble_size()[1], vp.height() / 2)
        room_w, room_h = vp.width() - 2 * margin, vp.height() - below - 2 * margin
        if min(room_w, room_h) < MIN_ROOM:
            return
        fit = min(room_w / max(rect.width(), 1.0), room_h / max(rect.height(), 1.0))
        target = min(fit, self.preferred_zoom or view.zoom_level())
        if glide:
            target = max(target, min(readable_zoom(vp.height(), layer.scene.painter.theme.label_px),
                                     self.preferred_zoom or view.zoom_level()))
        if abs(target / view.zoom_level() - 1.0) > 1e-3:
            view.zoom_by(target / view.zoom_level())
        z = view.zoom_level()
        if rect.width() * z > room_w or rect.height() * z > room_h:
            centre = layer.anchor_point()
            rect = QRectF(centre.x() - room_w / 2 / z, centre.y() - room_h / 2 / z, room_w / z, room_h / z)

        def scroll() -> None:
            view.ensureVisible(rect, margin, margin)
            layer.refresh()  # the callout, placed for what the view shows now
            point, near = layer.anchor_point(), ANCHOR_ROOM / view.zoom_level()
            anchor = QRectF(point.x() - near, point.y() - near, 2 * near, 2 * near)
            view.ensureVisible(layer.bubble_scene_rect().united(anchor), 4, 4)  # whole pixels: never a sliver off

        if glide:
            if self.glide is None or self.glide.view is not view:
                self.glide = Glide(view)
                self.glide.animation.finished.connect(lambda: self._layer.refresh())
            self._layer = layer  # placed again where the glide ends (labels may have moved it meanwhile)
            self.glide.run(scroll)
        else:
            scroll()

    def fit_for_presentation(self, scene, layer) -> bool:
        """Zoom the graph to fill the screen, leaving room below it for the callout, as long as
        its names stay readable; a graph too large for that is shown at the readable zoom, and
        the steps pan to it (keep_in_view) at that one zoom.  False when there is nothing to fit."""
        view = self.window.view
        rect = scene.graph_rect()
        if view is None or rect.isEmpty():
            return False
        vp = view.viewport().rect()
        reserve = layer.callout_px * 3.8 + PRESENT_MARGIN
        scale = min((vp.width() - 2 * PRESENT_MARGIN) / rect.width(),
                    (vp.height() - reserve - PRESENT_MARGIN) / rect.height())
        scale = max(scale, readable_zoom(vp.height(), scene.painter.theme.label_px))
        view.zoom_by(max(scale, 0.01) / view.zoom_level())
        self.preferred_zoom = view.zoom_level()
        view.centerOn(rect.center().x(), rect.center().y() + reserve / 2 / view.zoom_level())
        return True

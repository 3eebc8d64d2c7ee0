"""Presentation mode: F11 shows the canvas alone, full screen, with a large callout kept in view;
F11 or Esc restores the window exactly as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar
from helpers.teaching_windows import key, open_example, start_teaching  # noqa: F401

from cgeditor.editor.teaching import presentation
from cgeditor.editor.canvas.theme import DEFAULT_THEME, PROJECTOR_THEME


def window_layout(window):
    """Everything presentation mode changes, once pending layout requests have been handled."""
    QApplication.processEvents()
    return {
        "geometry": bytes(window.saveGeometry()),
        "state": bytes(window.saveState()),
        "full_screen": window.isFullScreen(),
        "menu": window.menuBar().isVisible(),
        "status": window.statusBar().isVisible(),
        "docks": {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)},
        "toolbars": {t.objectName(): t.isVisible() for t in window.findChildren(QToolBar)},
    }


def test_f11_shows_the_canvas_alone_full_screen(qtbot, open_example):
    window = open_example("linear_regression")
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert not any(t.isVisible() for t in window.findChildren(QToolBar))
    assert window.view.isVisible()


def test_f11_twice_restores_the_window_exactly(qtbot, open_example):
    window = open_example("linear_regression")
    window.teaching.lesson_dock.raise_()
    window.history_dock.hide()
    before = window_layout(window)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.waitUntil(lambda: window_layout(window) == before)


def test_escape_leaves_presentation_mode(qtbot, open_example):
    window = open_example("linear_regression")
    before = window_layout(window)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    key(qtbot, window, Qt.Key_Escape)
    assert not window.teaching.presentation.is_active()
    assert not window.teaching.controls.presentation.isChecked()
    qtbot.waitUntil(lambda: window_layout(window) == before)


def test_clicker_steps_in_presentation_keep_a_large_callout_in_view(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    layer = window.teaching.layer
    for _ in range(8):
        key(qtbot, window, Qt.Key_PageDown)
        assert window.view.visible_scene_rect().contains(layer.focus_rect())
    assert layer.callout.font_px() == presentation.CALLOUT_PX
    assert layer.callout.text() == "∂L/∂y += ∂L/∂(ŷ − y) · ∂(ŷ − y)/∂y = 4 · (-1) = -4"
    key(qtbot, window, Qt.Key_F11)
    assert layer.callout.font_px() == presentation.NORMAL_CALLOUT_PX
    assert window.teaching.narration_dock.isVisible()


def test_presentation_switches_the_canvas_to_the_projector_theme_and_back(qtbot, open_example):
    window = open_example("linear_regression")
    key(qtbot, window, Qt.Key_F11)
    assert window.scene.painter.theme == PROJECTOR_THEME
    assert window.scene.painter.theme.edge_width >= 3
    key(qtbot, window, Qt.Key_F11)
    assert window.scene.painter.theme == DEFAULT_THEME


def test_presenting_shows_the_step_counter_on_the_canvas_clear_of_the_callout(qtbot, open_example):
    window = open_example("linear_regression")
    start_teaching(qtbot, window)
    badge = window.teaching._badge
    assert not badge.isVisible()  # at a desk the toolbar shows the counter
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    for _ in range(3):
        key(qtbot, window, Qt.Key_PageDown)
    count = window.teaching.stepper.count() - 1
    assert badge.isVisible() and badge.text() == f"step 3 of {count}"
    view, callout = window.view, window.teaching.layer.callout
    bubble = view.mapFromScene(callout.sceneBoundingRect()).boundingRect()
    assert view.viewport().geometry().contains(badge.geometry())
    assert not badge.geometry().intersects(bubble.translated(view.viewport().pos()))
    key(qtbot, window, Qt.Key_F11)
    assert not badge.isVisible()


def test_a_graph_too_wide_to_read_whole_is_shown_readable_and_glides_to_each_step(qtbot, open_example):
    from cgeditor.editor.teaching.camera import readable_zoom
    window = open_example("deep_chain")
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    view, teaching = window.view, window.teaching

    def readable() -> float:
        return readable_zoom(view.viewport().height(), window.scene.painter.theme.label_px)

    qtbot.waitUntil(lambda: abs(view.zoom_level() - readable()) < 1e-6)
    assert not view.visible_scene_rect().contains(window.scene.graph_rect())  # too wide: it pans
    glided, zooms = False, []
    for _ in range(12):
        key(qtbot, window, Qt.Key_PageDown)
        glided = glided or teaching.camera.glide.is_moving()
        qtbot.waitUntil(lambda: not teaching.camera.glide.is_moving())
        zooms.append(view.zoom_level())
        assert zooms[-1] <= readable() + 1e-6  # never zoomed in past the presenting zoom
        assert view.visible_scene_rect().contains(teaching.layer.focus_rect())
    assert glided
    assert sum(abs(z - readable()) < 1e-6 for z in zooms) >= len(zooms) // 2  # mostly one zoom: no jump per step


def test_a_graph_readable_whole_is_fitted_whole(qtbot, open_example):
    window = open_example("two_paths")
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.waitUntil(lambda: window.view.visible_scene_rect().contains(window.scene.graph_rect()))


FORTY_NODES = """h1 = tanh(w11*x1 + w12*x2 + b1)
h2 = tanh(w21*x1 + w22*x2 + b2)
h3 = tanh(w31*x1 + w32*x2 + b3)
o = v1*h1 + v2*h2 + v3*h3 + c
p = sigmoid(o)
L = (p - y)**2 + 0.01*(w11**2 + w22**2)"""


def presenting_forty_nodes(qtbot, make_window):
    from cgeditor.editor.document.document import Document
    from cgeditor.model.expression import parse_program
    graph = parse_program(FORTY_NODES, default_value=0.5)
    assert len(graph) >= 40
    window = make_window(Document(graph))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    start_teaching(qtbot, window)
    key(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    return window


def test_steps_of_a_graph_too_large_to_read_whole_pan_at_the_readable_zoom_and_never_zoom_out(qtbot, make_window):
    from cgeditor.editor.teaching.camera import readable_zoom
    window = presenting_forty_nodes(qtbot, make_window)
    view, teaching = window.view, window.teaching

    def readable() -> float:
        return readable_zoom(view.viewport().height(), window.scene.painter.theme.label_px)

    qtbot.waitUntil(lambda: abs(view.zoom_level() - readable()) < 1e-6)
    assert not view.visible_scene_rect().contains(window.scene.graph_rect())  # too large: it pans
    glides = 0
    for _ in range(teaching.stepper.count() - 1):
        key(qtbot, window, Qt.Key_PageDown)
        glides += teaching.camera.glide is not None and teaching.camera.glide.is_moving()
        qtbot.waitUntil(lambda: teaching.camera.glide is None or not teaching.camera.glide.is_moving())
        assert abs(view.zoom_level() - readable()) < 1e-6, f"step {teaching.stepper.position} zoomed"
        seen = view.visible_scene_rect()
        assert seen.contains(teaching.layer.anchor_point())
        assert seen.contains(teaching.layer.bubble_scene_rect()), f"step {teaching.stepper.position} clipped"
    assert glides >= 5  # the class follows glides, not jumps


def test_in_a_tall_graph_the_callout_keeps_clear_of_its_step_and_of_the_step_counter(qtbot, make_window):
    window = presenting_forty_nodes(qtbot, make_window)
    teaching, scene = window.teaching, window.scene
    for _ in range(30):
        key(qtbot, window, Qt.Key_PageDown)
        qtbot.waitUntil(lambda: not teaching.camera.glide or not teaching.camera.glide.is_moving())
        state = teaching.displayed_state()
        own = {state.current_edge.source, state.current_edge.target} if state.current_edge else {state.current_node}
        bubble = teaching.layer.bubble_scene_rect()
        assert not any(bubble.intersects(scene.node_item(n).sceneBoundingRect()) for n in own), \
            f"step {teaching.stepper.position}"
        assert window.view.visible_scene_rect().contains(bubble)
        on_screen = window.view.mapFromScene(bubble).boundingRect().translated(window.view.viewport().pos())
        assert not teaching._badge.geometry().intersects(on_screen), f"step {teaching.stepper.position}: counter on it"


def test_on_a_graph_larger_than_the_screen_the_step_counter_covers_no_node_or_number(qtbot, make_window):
    """At 1024×700 the counter in the bottom-right corner sat on the "add" node of this graph."""
    from cgeditor.editor.canvas.items import NodeItem, OverlayLabel
    window = presenting_forty_nodes(qtbot, make_window)
    teaching, view = window.teaching, window.view
    for _ in range(30):
        key(qtbot, window, Qt.Key_PageDown)
        qtbot.waitUntil(lambda: not teaching.camera.glide or not teaching.camera.glide.is_moving())
        badge = teaching._badge.geometry().translated(-view.viewport().pos())  # in the viewport
        seen = [item for item in view.items(badge) if isinstance(item, NodeItem)
                or (isinstance(item, OverlayLabel) and item.isVisible())]
        assert not seen, f"step {teaching.stepper.position}: the counter covers {seen[0]}"
        assert not badge.intersects(teaching.layer.bubble_on_screen().toRect())

"""The view: zoom limits, fit and frame, panning, rubber-band selection and the minimap."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.view import MAX_ZOOM, MIN_ZOOM
from cgeditor.model.graph import Graph, Node, NodeKind
from cgeditor.resources import example_path

from helpers.canvas import Canvas


@pytest.fixture
def canvas(qtbot):
    c = Canvas(qtbot, Document.open(example_path()))
    c.wait_evaluated()
    return c


def wheel(canvas, steps: int, pos: QPoint) -> None:
    """Wheel notches at `pos` (QTest has no wheel helper, so the event is built by hand)."""
    vp = canvas.view.viewport()
    delta = 120 if steps > 0 else -120
    for _ in range(abs(steps)):
        event = QWheelEvent(QPointF(pos), QPointF(vp.mapToGlobal(pos)), QPoint(), QPoint(0, delta),
                            Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
        QApplication.sendEvent(vp, event)


def test_wheel_zoom_stops_at_the_upper_limit(canvas):
    wheel(canvas, 60, QPoint(300, 300))
    assert canvas.view.zoom_level() == pytest.approx(MAX_ZOOM)


def test_wheel_zoom_stops_at_the_lower_limit(canvas):
    wheel(canvas, -60, QPoint(300, 300))
    assert canvas.view.zoom_level() == pytest.approx(MIN_ZOOM)


def test_wheel_zoom_keeps_the_point_under_the_cursor(canvas):
    pos = QPoint(200, 150)
    before = canvas.view.mapToScene(pos)
    wheel(canvas, 3, pos)
    after = canvas.view.mapToScene(pos)
    assert canvas.view.zoom_level() > 1.0
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2


def test_ctrl_plus_and_minus_zoom_in_and_out(canvas):
    z = canvas.view.zoom_level()
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Equal, Qt.ControlModifier)
    assert canvas.view.zoom_level() > z
    canvas.qtbot.keyClick(canvas.view, Qt.Key_Minus, Qt.ControlModifier)
    assert canvas.view.zoom_level() == pytest.approx(z)


def test_fit_graph_shows_the_whole_graph_within_the_zoom_limits(canvas):
    canvas.view.zoom_by(3.0)
    canvas.qtbot.keyClick(canvas.view, Qt.Key_F)
    assert canvas.view.visible_scene_rect().contains(canvas.scene.graph_rect())
    assert MIN_ZOOM <= canvas.view.zoom_level() <= MAX_ZOOM


def test_fit_graph_on_a_huge_graph_stops_at_the_lower_zoom_limit(qtbot):
    graph = Graph()
    for i in range(3):
        graph.add_node(Node(f"x{i}", NodeKind.VARIABLE, value=1.0, pos=(i * 40000.0, 0.0)))
    canvas = Canvas(qtbot, Document(graph))
    canvas.view.fit_graph()
    assert canvas.view.zoom_level() == pytest.approx(MIN_ZOOM)


def test_frame_selection_centres_the_selected_node(canvas):
    canvas.scene.node_item("y").setSelected(True)
    canvas.view.frame_selection()
    centre = canvas.view.visible_scene_rect().center()
    y = canvas.scene.node_item("y").sceneBoundingRect().center()
    assert abs(centre.x() - y.x()) < 5 and abs(centre.y() - y.y()) < 5


def test_middle_button_drag_pans_the_view(canvas):
    vp = canvas.view.viewport()
    before = canvas.view.visible_scene_rect().center()
    canvas.qtbot.mousePress(vp, Qt.MiddleButton, pos=QPoint(300, 300))
    canvas.qtbot.mouseMove(vp, QPoint(350, 320))
    canvas.qtbot.mouseMove(vp, QPoint(400, 340))
    canvas.qtbot.mouseRelease(vp, Qt.MiddleButton, pos=QPoint(400, 340))
    after = canvas.view.visible_scene_rect().center()
    z = canvas.view.zoom_level()
    assert after.x() == pytest.approx(before.x() - 100 / z, abs=2)
    assert after.y() == pytest.approx(before.y() - 40 / z, abs=2)


def test_space_and_left_drag_pans_without_selecting(canvas):
    vp = canvas.view.viewport()
    before = canvas.view.visible_scene_rect().center()
    canvas.qtbot.keyPress(canvas.view, Qt.Key_Space)
    canvas.qtbot.mousePress(vp, Qt.LeftButton, pos=QPoint(300, 300))
    canvas.qtbot.mouseMove(vp, QPoint(250, 300))
    canvas.qtbot.mouseRelease(vp, Qt.LeftButton, pos=QPoint(250, 300))
    canvas.qtbot.keyRelease(canvas.view, Qt.Key_Space)
    after = canvas.view.visible_scene_rect().center()
    assert after.x() > before.x() + 20
    assert canvas.graph == Document.open(example_path()).graph


def test_rubber_band_selects_the_nodes_it_covers(canvas):
    x, y = canvas.scene.node_item("x"), canvas.scene.node_item("y")
    top_left = x.sceneBoundingRect().topLeft() - QPointF(20, 20)
    bottom_right = QPointF(y.sceneBoundingRect().right() + 10, y.sceneBoundingRect().bottom() + 10)
    canvas.drag(canvas.at(top_left), bottom_right, steps=5)
    assert set(canvas.scene.selected_node_ids()) == {"x", "y"}


def test_minimap_appears_when_the_graph_does_not_fit_and_navigates(canvas):
    view = canvas.view
    view.fit_graph()
    assert not view.minimap.isVisible()
    view.zoom_by(3.0)
    assert view.minimap.isVisible()
    target = canvas.scene.node_item("L").pos()
    scale, ox, oy = view.minimap._transform()
    click = QPoint(round(ox + target.x() * scale), round(oy + target.y() * scale))
    canvas.qtbot.mouseClick(view.minimap, Qt.LeftButton, pos=click)
    centre = view.visible_scene_rect().center()
    assert abs(centre.x() - target.x()) < 8 / scale and abs(centre.y() - target.y()) < 8 / scale


def test_minimap_stays_hidden_when_switched_off(canvas):
    canvas.view.set_minimap_visible(False)
    canvas.view.zoom_by(3.0)
    assert not canvas.view.minimap.isVisible()


def test_minimap_takes_at_most_a_quarter_of_a_small_views_width_and_height(canvas):
    view = canvas.view
    view.resize(520, 360)  # the canvas of a 1024 × 700 window with its docks
    view.fit_graph()
    view.zoom_by(3.0)
    view.minimap.sync()
    assert view.minimap.isVisible()
    assert view.minimap.width() <= 0.25 * view.width() and view.minimap.height() <= 0.25 * view.height()
    view.resize(300, 200)
    view.minimap.sync()
    assert not view.minimap.isVisible()  # too small to show anything: the canvas keeps its room


def test_the_minimap_takes_a_corner_that_covers_no_node_when_one_is_free(qtbot):
    graph = Graph()
    for k in range(12):  # a diagonal from top left to bottom right: two corners stay empty
        graph.add_node(Node(f"v{k}", NodeKind.VARIABLE, value=1.0, pos=(k * 120.0, k * 80.0)))
    canvas = Canvas(qtbot, Document(graph))
    view = canvas.view
    view.resize(800, 560)
    view.fit_graph()
    view.zoom_by(1.6)
    view.minimap.sync()
    assert view.minimap.isVisible()
    area = view.mapToScene(view.minimap.geometry()).boundingRect()
    covered = [n for n in graph.nodes if canvas.scene.node_item(n).sceneBoundingRect().intersects(area)]
    assert covered == []
    corner = view.minimap.geometry()
    assert corner.right() < view.width() - 1 - 100 or corner.bottom() < view.height() - 1 - 100  # it moved


def test_a_node_millions_of_units_out_can_be_scrolled_to(qtbot):
    graph = Graph()
    graph.add_node(Node("near", NodeKind.VARIABLE, value=1.0, pos=(0.0, 0.0)))
    graph.add_node(Node("far", NodeKind.VARIABLE, value=2.0, pos=(3.0e6, -1.5e6)))  # a 100k-op layout's reach
    canvas = Canvas(qtbot, Document(graph))
    far = canvas.scene.node_item("far").pos()
    canvas.view.centerOn(far)
    assert canvas.view.visible_scene_rect().contains(far)
    assert abs(canvas.view.visible_scene_rect().center().x() - far.x()) < 1.0


def test_a_fit_follows_the_view_once_where_it_ends_not_at_each_step(canvas, monkeypatch):
    view, scene = canvas.view, canvas.scene
    view.zoom_by(4.0)
    view.pan_to(QPointF(5000, -3000))  # far from where the fit ends: zoom and both scrolls move
    revealed = []
    monkeypatch.setattr(scene.labels, "reveal", revealed.append)
    view.fit_graph()
    assert revealed == [view.visible_scene_rect()]
    assert view.visible_scene_rect().contains(scene.graph_rect())

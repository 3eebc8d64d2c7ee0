"""A large graph on the canvas: its labels and ports are made only where the view and the mouse
go, and what a user sees and does is the same as on a small one."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsView

from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.far_zoom import CURVE_PIECES, _exposed_rects, curve_reaches
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT
from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.numbers import format_compact

from helpers.canvas import Canvas
from helpers.graph_builders import PAIR_COLUMNS, pairs

def shown_at_1_to_1(canvas: Canvas, node_id: str) -> None:
    canvas.view.setTransform(QTransform())
    canvas.view.centerOn(canvas.scene.node_item(node_id).pos())
    canvas.wait_evaluated()


def test_a_far_region_shows_its_numbers_when_scrolled_to_and_follows_edits(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    scene, view = canvas.scene, canvas.view
    view.fit_graph()
    canvas.wait_evaluated()
    assert view.visible_scene_rect().contains(scene.graph_rect())
    assert not any(label.isVisible() for label in scene.overlay_labels())  # too small to read

    far = f"t{LAZY_LIMIT - 1}"
    shown_at_1_to_1(canvas, far)
    label = scene.value_label(far)
    assert label.isVisible() and label.text() == format_compact(canvas.document.evaluation.values[far])
    assert len(scene.overlay_labels()) < len(canvas.graph)  # only those around the view were made

    canvas.document.set_value(f"v{LAZY_LIMIT - 1}", 0.5)
    canvas.wait_evaluated()
    assert label.text() == "0.4621"  # tanh(0.5)


def test_select_all_delete_and_undo_act_on_every_node_of_a_large_graph(qtbot, make_window):
    window = make_window(Document(pairs(LAZY_LIMIT)))
    n = len(window.document.graph)
    window.window_actions.select_all.trigger()
    assert len(window.scene.selected_node_ids()) == n
    window.window_actions.delete.trigger()
    assert not window.document.graph.nodes and not window.scene.node_items()

    window.undo_group.undo()
    assert len(window.scene.node_items()) == n
    window.document.evaluate_now()
    far = f"t{LAZY_LIMIT - 1}"
    window.view.setTransform(QTransform())
    window.view.centerOn(window.scene.node_item(far).pos())
    qtbot.waitUntil(lambda: not window.scene.placement_pending())
    label = window.scene.value_label(far)
    assert label.isVisible() and label.text() == format_compact(window.document.evaluation.values[far])


def test_a_wire_starts_at_a_port_the_mouse_finds_for_the_first_time(qtbot):
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=2.0, pos=(0.0, 0.0)))
    graph.add_node(Node("s", NodeKind.OP, op="add", pos=(250.0, 60.0)))
    canvas = Canvas(qtbot, Document(graph))

    def port_point(node_id: str, port: int | None) -> QPointF:
        """Where the port is drawn, from the node's geometry (no port item is asked for)."""
        item = canvas.scene.node_item(node_id)
        return QPointF(*(item.output_scene_point() if port is None else item.input_scene_point(port)))

    canvas.drag(canvas.at(port_point("x", None)), lambda: port_point("s", 1))  # after the press: a
    # variadic op shows a spare input while a wire is dragged, which moves its ports
    assert Edge("x", "s", 1) in canvas.graph.edges


def drawn_both_ways(canvas: Canvas, monkeypatch):
    """The viewport drawn all at once, zoomed out, and drawn by every item itself."""
    at_once = canvas.view.viewport().grab().toImage()
    zoom = canvas.view.zoom_level()
    with monkeypatch.context() as patched:
        patched.setattr("cgeditor.editor.canvas.far_zoom.LAZY_LIMIT", 10 ** 9)  # not large: items paint
        canvas.scene.overview.follow_zoom(zoom)
        by_items = canvas.view.viewport().grab().toImage()
    canvas.scene.overview.follow_zoom(zoom)
    return at_once, by_items


def test_zoomed_out_a_large_graph_looks_exactly_as_its_items_draw_it_and_follows_changes(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    scene, view = canvas.scene, canvas.view
    view.fit_graph()
    canvas.wait_evaluated()
    assert scene.overview.active
    scene.node_item("v3").setSelected(True)
    scene.edge_item(Edge("v5", "t5", 0)).setSelected(True)
    canvas.document.disconnect([Edge("v9", "t9", 0)])  # t9 now lacks its input: marked invalid
    canvas.wait_evaluated()
    assert scene.node_item("t9").is_invalid()
    at_once, by_items = drawn_both_ways(canvas, monkeypatch)
    assert at_once == by_items

    assert canvas.view.viewport().grab().toImage() == at_once  # drawn at once again
    canvas.document.move_nodes({"t7": (250.0, -200.0)})  # into the empty row above
    moved, by_items = drawn_both_ways(canvas, monkeypatch)
    assert moved != at_once and moved == by_items


def test_zoomed_out_each_kind_of_edit_redraws_as_drawing_everything_anew_would(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    scene, document = canvas.scene, canvas.document
    canvas.view.fit_graph()
    canvas.wait_evaluated()
    pictures = [canvas.view.viewport().grab().toImage()]

    def edited_and_redrawn(edit) -> tuple:
        edit()
        canvas.wait_evaluated()
        edited = canvas.view.viewport().grab().toImage()  # only the squares touched drawn anew
        scene.overview.invalidate()
        pictures.append(edited)
        return edited, canvas.view.viewport().grab().toImage()

    def select() -> None:
        with qtbot.waitSignal(scene.selection_settled):
            scene.node_item("v5").setSelected(True)
            scene.edge_item(Edge("v6", "t6", 0)).setSelected(True)

    added = document.add_node(NodeKind.OP, op="add", pos=(170.0, -150.0))
    for edit in (lambda: document.connect("v0", added, 0),
                 lambda: document.connect(f"t{LAZY_LIMIT - 1}", added, 1),  # a long edge across the canvas
                 lambda: document.remove_nodes(["t3"]),
                 lambda: document.disconnect([Edge("v9", "t9", 0)]),  # t9 is marked invalid
                 lambda: document.move_nodes({"t7": (250.0, -200.0)}),
                 select, canvas.document.undo_stack.undo):
        edited, anew = edited_and_redrawn(edit)
        assert edited == anew and edited != pictures[-2]


class PaintedRegion(QObject):
    """What a widget repainted since it was installed."""

    def __init__(self, widget):
        super().__init__()
        self.region = QRegion()
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Paint:
            self.region = self.region.united(event.region())
        return False


def changed_pixels(before: QImage, after: QImage) -> list[QPoint]:
    changed = []
    for y in range(before.height()):
        if before.scanLine(y) != after.scanLine(y):
            changed += [QPoint(x, y) for x in range(before.width()) if before.pixel(x, y) != after.pixel(x, y)]
    return changed


def test_zoomed_out_an_edit_repaints_every_pixel_it_changes_and_not_the_whole_view(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    document, viewport = canvas.document, canvas.view.viewport()
    canvas.view.fit_graph()
    canvas.wait_evaluated()
    added = document.add_node(NodeKind.OP, op="add", pos=(170.0, -150.0))
    for edit in (lambda: document.connect(f"t{LAZY_LIMIT - 1}", added, 0),  # a long curve across the view
                 lambda: document.move_nodes({"t7": (250.0, -200.0)}),
                 lambda: document.remove_nodes([added])):
        canvas.wait_evaluated()
        before = viewport.grab().toImage()
        painted = PaintedRegion(viewport)
        edit()
        canvas.wait_evaluated()
        qtbot.waitUntil(lambda: not painted.region.isEmpty())
        viewport.removeEventFilter(painted)
        changed = changed_pixels(before, viewport.grab().toImage())
        assert changed and all(painted.region.contains(p) for p in changed)
        area = sum(r.width() * r.height() for r in painted.region)
        assert area < viewport.width() * viewport.height() / 4


def test_a_level_wire_across_a_wide_graph_repaints_a_band_no_taller_than_it_bends():
    rise = 100.0  # a wire 3 million units long falling 100: its x bows far, its y only by the rise
    reaches = curve_reaches(((0.0, 0.0), (1.5e6, 0.0), (1.5e6, rise), (3.0e6, rise)))
    assert len(reaches) == CURVE_PIECES
    assert all(top >= -2.0 and bottom <= rise + 2.0 for _, top, _, bottom in reaches)
    assert min(r[0] for r in reaches) <= 0.0 and max(r[2] for r in reaches) >= 3.0e6


def test_a_rubber_band_selects_when_zoomed_out_on_a_large_graph(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    canvas.view.fit_graph()
    middle = canvas.at(canvas.scene.graph_rect().center())
    canvas.drag(QPoint(1, 1), canvas.view.mapToScene(middle))
    selected = canvas.scene.selected_node_ids()
    assert "v0" in selected and len(selected) < len(canvas.graph)


def test_a_large_file_is_kept_out_of_the_collector_until_another_replaces_it(qtbot, make_window,
                                                                               tmp_path):
    big, small = tmp_path / "big.cgraph", tmp_path / "small.cgraph"
    fileformat.save(pairs(LAZY_LIMIT), big)
    fileformat.save(pairs(3), small)
    gc.collect()
    frozen_before = gc.get_freeze_count()
    window = make_window()
    assert window.open_file(big)
    assert gc.get_freeze_count() > frozen_before  # its graph, items and labels were frozen
    opened = weakref.ref(window.document.graph)

    assert window.open_file(small)
    assert gc.get_freeze_count() == 0
    qtbot.waitUntil(lambda: opened() is None)  # its cycles were collected once the loop ran
    assert gc.get_freeze_count() == 0  # and the small document froze nothing


def test_a_long_edge_crossing_the_view_gets_its_label_only_where_its_middle_comes_into_view(qtbot):
    graph = pairs(LAZY_LIMIT)
    last = f"t{LAZY_LIMIT - 1}"
    graph.add_node(Node("far", NodeKind.OP, op="add", pos=(340.0 * PAIR_COLUMNS, 110.0 * (LAZY_LIMIT // PAIR_COLUMNS))))
    long_edge = Edge("t0", "far", 0)
    graph.add_edge(long_edge)
    graph.add_edge(Edge(last, "far", 1))
    canvas = Canvas(qtbot, Document(graph))
    scene = canvas.scene

    shown_at_1_to_1(canvas, "t0")  # the edge leaves from here; its middle is thousands away
    assert scene.value_label("t0").isVisible()
    label = scene.edge_label(long_edge)
    assert label is None or not label.isVisible()

    start, end = scene.node_item("t0").pos(), scene.node_item("far").pos()
    canvas.view.centerOn((start + end) / 2)
    canvas.wait_evaluated()
    label = scene.edge_label(long_edge)
    assert label is not None and label.isVisible()
    assert label.text().endswith(format_compact(canvas.document.evaluation.edge_grads[long_edge]))


def spread_pairs(n: int, factor: float = 20.0) -> Graph:
    """`pairs(n)` spread `factor` times wider and taller: at a far zoom the view shows a corner."""
    graph = pairs(n)
    for node in graph:
        node.pos = (node.pos[0] * factor, node.pos[1] * factor)
    return graph


def at_far_zoom_on(canvas: Canvas, node_id: str, zoom: float = 0.2) -> None:
    canvas.view.setTransform(QTransform.fromScale(zoom, zoom))
    canvas.view.centerOn(canvas.scene.node_item(node_id).pos())
    canvas.wait_evaluated()
    canvas.view.viewport().grab()  # a frame painted


def test_zoomed_out_only_what_the_view_shows_is_filed_and_a_far_region_draws_as_its_items_do(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(spread_pairs(LAZY_LIMIT)))
    scene, overview = canvas.scene, canvas.scene.overview
    at_far_zoom_on(canvas, "v0")
    assert overview.active
    items = len(scene.node_items()) + len(scene.edge_items())
    filed = len(overview._drawn)
    assert 0 < filed < items / 10  # the squares in view, not the whole graph
    far = f"t{LAZY_LIMIT - 1}"
    assert scene.node_item(far) not in overview._drawn

    at_far_zoom_on(canvas, far)
    assert scene.node_item(far) in overview._drawn
    at_once, by_items = drawn_both_ways(canvas, monkeypatch)
    assert at_once == by_items


def test_zoomed_out_nodes_added_or_moved_where_the_view_has_not_been_draw_there_when_it_comes(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(spread_pairs(LAZY_LIMIT)))
    document, scene = canvas.document, canvas.scene
    at_far_zoom_on(canvas, "v0")
    far = scene.node_item(f"t{LAZY_LIMIT - 1}").pos()
    added = document.add_node(NodeKind.OP, op="add", pos=(far.x() - 600.0, far.y()))
    document.move_nodes({"t0": (far.x() - 600.0, far.y() - 400.0)})  # from in view to a square never shown
    document.connect(f"v{LAZY_LIMIT - 1}", added, 0)
    canvas.wait_evaluated()
    canvas.view.viewport().grab()

    at_far_zoom_on(canvas, added)
    drawn = canvas.scene.overview._drawn
    assert scene.node_item(added) in drawn and scene.node_item("t0") in drawn
    at_once, by_items = drawn_both_ways(canvas, monkeypatch)
    assert at_once == by_items


def overview_painted_in(canvas, region: QRegion, clip_by_engine: bool, check=None) -> QImage:
    """The overview over the whole view, clipped to `region`: as a partial repaint does (the
    region as the engine's system clip, item by item) or as a full frame clipped after.
    `check` is given the painter before the overview paints."""
    overview, view = canvas.scene.overview, canvas.view
    image = QImage(view.viewport().size(), QImage.Format_RGB32)
    image.fill(0xFFFFFF)
    if clip_by_engine:
        image.paintEngine().setSystemClip(region)
    painter = QPainter(image)
    if not clip_by_engine:
        painter.setClipRegion(region)
    painter.setTransform(view.viewportTransform())
    try:
        if check is not None:
            check(painter)
        overview.paint(painter, view.mapToScene(view.viewport().rect()).boundingRect())
    finally:
        painter.end()
    return image


def assert_a_repaint_of_draws_what_a_clipped_full_frame_does(canvas, region: QRegion, check=None) -> None:
    in_region = overview_painted_in(canvas, region, True, check)
    assert in_region == overview_painted_in(canvas, region, False)
    blank = QImage(in_region.size(), QImage.Format_RGB32)
    blank.fill(0xFFFFFF)
    assert changed_pixels(blank, in_region)  # the region crosses drawn edges and boxes


def test_zoomed_out_a_repaint_of_thin_bands_draws_in_them_what_drawing_everything_would(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    canvas.view.fit_graph()
    canvas.wait_evaluated()
    width = canvas.view.viewport().width()
    bands = QRegion(0, 100, width, 6).united(QRegion(0, 300, width, 9))
    assert_a_repaint_of_draws_what_a_clipped_full_frame_does(canvas, bands)


def test_zoomed_out_a_repaint_of_a_slanting_band_joins_its_rects_and_draws_in_them_what_drawing_everything_would(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    canvas.view.fit_graph()
    canvas.wait_evaluated()
    band = QRegion()  # as a slanting wire's repaint comes: a strip cut where others start, pixel rows
    for top, height, left in ((250, 70, 400), (320, 40, 399), (360, 90, 398)):  # the graph is drawn at y 296-481
        band = band.united(QRegion(left, top, 10, height))
    for row in range(16):
        band = band.united(QRegion(350 + 9 * row, 450 + row, 60 + 20 * row, 1))

    def joined(painter: QPainter) -> None:
        assert len(_exposed_rects(painter, QRectF())) < band.rectCount() / 4

    assert_a_repaint_of_draws_what_a_clipped_full_frame_does(canvas, band, joined)


def test_zoomed_out_the_view_draws_without_qts_item_walk_what_qt_draws_and_still_shows_any_other_item(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    scene, view = canvas.scene, canvas.view
    view.fit_graph()
    canvas.wait_evaluated()
    walks = []
    qt_paint = QGraphicsView.paintEvent
    monkeypatch.setattr(QGraphicsView, "paintEvent", lambda self, event: (walks.append(event), qt_paint(self, event)))
    alone = view.viewport().grab().toImage()
    assert scene.overview.paints_alone() and not walks

    out_of_sight = QGraphicsRectItem(-1.0e5, -1.0e5, 1.0, 1.0)  # Qt draws while any other item shows
    scene.addItem(out_of_sight)
    assert view.viewport().grab().toImage() == alone and walks
    out_of_sight.setVisible(False)
    walks.clear()
    assert view.viewport().grab().toImage() == alone and not walks

    in_sight = QGraphicsRectItem(scene.graph_rect())
    in_sight.setBrush(QColor(255, 0, 0, 60))
    scene.addItem(in_sight)
    covered = view.viewport().grab().toImage()
    centre = covered.rect().center()
    assert covered.pixelColor(centre).green() < alone.pixelColor(centre).green()  # tinted red
    scene.removeItem(in_sight)
    walks.clear()
    assert view.viewport().grab().toImage() == alone and not walks


def test_zoomed_out_a_rubber_band_being_dragged_is_drawn(qtbot):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    scene, view = canvas.scene, canvas.view
    view.fit_graph()
    canvas.wait_evaluated()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, pos=QPoint(1, 1))
    for step in range(1, 5):
        qtbot.mouseMove(viewport, QPoint(1, 1) + (viewport.rect().center() - QPoint(1, 1)) * (step / 4))
    assert not view.rubberBandRect().isNull()
    during = viewport.grab().toImage()
    scene.addItem(QGraphicsRectItem(-1.0e5, -1.0e5, 1.0, 1.0))  # out of sight: Qt's own paint, band and all
    assert viewport.grab().toImage() == during
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=viewport.rect().center())

"""The canvas keeps its room: after every kind of document switch at 1280×800 the view is as wide
as before, the docks keep the sizes the user left them at, and the new graph is fitted; a
resize keeps a fitted graph fitted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabBar, QToolBar

from cgeditor.editor.canvas.node_painter import TEXT_LOD
from cgeditor.editor.document.document import Document
from cgeditor.editor.window import file_dialogs
from cgeditor.model.expression import parse_program
from cgeditor.resources import example_path


@pytest.fixture
def window(make_window, qtbot):
    w = make_window(Document.open(example_path("two_paths")))
    w.resize(1280, 800)
    qtbot.waitUntil(lambda: w.view.width() > 600)
    return w


def graph_fills_view(window) -> bool:
    """Fitted: the whole graph is in view, and it spans most of the view's width or height."""
    view = window.view
    graph = view.mapFromScene(window.scene.graph_rect()).boundingRect()
    inside = view.viewport().rect().adjusted(-1, -1, 1, 1).contains(graph)
    return inside and (graph.width() > 0.6 * view.viewport().width()
                       or graph.height() > 0.6 * view.viewport().height())


def switch_by_new(window, qtbot, monkeypatch):
    QTest.keyClick(window, Qt.Key_N, Qt.ControlModifier)


def switch_by_open(window, qtbot, monkeypatch):
    monkeypatch.setattr(file_dialogs, "choose_open_path", lambda parent, folder: example_path("deep_chain"))
    QTest.keyClick(window, Qt.Key_O, Qt.ControlModifier)


def switch_by_open_recent(window, qtbot, monkeypatch):
    window.recent.add(example_path("deep_chain"))
    window.recent_menu.aboutToShow.emit()
    (action,) = [a for a in window.recent_menu.actions() if a.text() == "deep_chain.cgraph"]
    action.trigger()


def switch_by_examples_menu(window, qtbot, monkeypatch):
    (action,) = [a for a in window.examples_menu.actions() if a.text() == "Deep chain"]
    action.trigger()


def switch_by_new_from_expression(window, qtbot, monkeypatch):
    program = "z = x * y + sin(x)\nL = z ** 2"
    window.ask_program = lambda parent, text: (parse_program(program, {"x": 1.5, "y": -2.0}), program)
    QTest.keyClick(window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)


SWITCHES = [switch_by_new, switch_by_open, switch_by_open_recent, switch_by_examples_menu,
            switch_by_new_from_expression]


@pytest.mark.parametrize("switch", SWITCHES, ids=lambda f: f.__name__.removeprefix("switch_by_"))
def test_a_document_switch_keeps_the_canvas_width_and_the_dock_sizes(window, qtbot, monkeypatch, switch):
    width = window.view.width()
    docks = {d.objectName(): d.size() for d in (window.palette_dock, window.inspector_dock)}
    old_document = window.document
    switch(window, qtbot, monkeypatch)
    qtbot.waitUntil(lambda: window.document is not old_document)
    qtbot.waitUntil(lambda: window.view.isVisible())
    assert window.view.width() == width
    assert {d.objectName(): d.size() for d in (window.palette_dock, window.inspector_dock)} == docks
    if len(window.document.graph):
        qtbot.waitUntil(lambda: graph_fills_view(window))


def test_resizing_the_window_keeps_a_fitted_graph_fitted(window, qtbot):
    assert graph_fills_view(window)
    before = window.view.zoom_level()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.view.zoom_level() != before)
    qtbot.waitUntil(lambda: graph_fills_view(window))


def test_a_zoomed_view_keeps_its_zoom_when_the_window_is_resized(window, qtbot):
    window.view.zoom_in()
    zoom = window.view.zoom_level()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.view.width() < 700)
    assert window.view.zoom_level() == zoom


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_no_toolbar_button_is_hidden_behind_the_extension_arrow(window, qtbot, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    for bar in window.findChildren(QToolBar):
        for action in bar.actions():
            if action.isVisible() and not action.isSeparator():
                widget = bar.widgetForAction(action)
                assert widget is not None and widget.isVisible(), (bar.objectName(), action.text())
                assert bar.rect().contains(widget.geometry()), (bar.objectName(), action.text())


def test_at_1024x700_the_default_docks_leave_chain_rule_fitted_at_a_readable_zoom(make_window, qtbot):
    """Fixed 200 + 310 px docks left a 502 px canvas: chain_rule fitted at 0.75 zoom."""
    window = make_window(Document.open(example_path("chain_rule")))
    window.resize(1024, 700)  # shown first, then resized: as a window manager or a projector does it
    qtbot.waitUntil(lambda: window.width() == 1024 and window.palette_dock.width() < 200)
    qtbot.waitUntil(lambda: graph_fills_view(window))
    assert window.view.width() >= 580
    assert window.view.zoom_level() >= 0.8
    assert window.palette_dock.width() >= 150 and window.inspector_dock.width() >= 240


def test_docks_the_user_widened_keep_their_width_when_the_window_shrinks(window, qtbot):
    window.resizeDocks([window.palette_dock], [260], Qt.Horizontal)  # as dragging its edge does
    qtbot.waitUntil(lambda: window.palette_dock.width() == 260)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.waitUntil(lambda: graph_fills_view(window))
    assert window.palette_dock.width() == 260


def test_at_1024x700_every_palette_entry_shows_its_whole_name(make_window, qtbot):
    """"Hyperbolic tangent" was cut to "Hyperboli…" in the 164 px palette; the long names show a
    short one there (the full name stays in the tooltip), so the canvas keeps its room."""
    window = make_window(Document.open(example_path("chain_rule")))
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.palette_dock.width() < 200)
    tree = window.palette.tree
    for key, item in window.palette._items.items():
        index = tree.indexFromItem(item)
        assert tree.sizeHintForIndex(index).width() <= tree.visualRect(index).width(), item.text(0)
        assert item.toolTip(0).startswith(next(e.title for e in window.palette.entries if e.key == key))


def test_at_1024x700_a_graph_too_long_to_read_whole_opens_readable_at_its_inputs(make_window, qtbot):
    """deep_chain fitted whole at 0.35 zoom, where not one name or number is drawn: it opens
    readable, showing its start, with the minimap telling there is more; a window large enough
    shows it whole, and F fits it whole in any window."""
    window = make_window(Document.open(example_path("deep_chain")))
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.palette_dock.width() < 200)
    view, scene = window.view, window.scene

    def opened_readable_at_its_start() -> bool:
        seen, graph = view.visible_scene_rect(), scene.graph_rect()
        return (view.zoom_level() * scene.painter.theme.overlay_px >= 6 and view.zoom_level() >= TEXT_LOD
                and seen.left() < graph.left() < seen.right() < graph.right()
                and seen.top() < graph.top() and graph.bottom() < seen.bottom())

    qtbot.waitUntil(opened_readable_at_its_start)
    assert view.minimap.isVisible()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: graph_fills_view(window))
    window.resize(1024, 700)
    qtbot.waitUntil(opened_readable_at_its_start)
    QTest.keyClick(view, Qt.Key_F)
    assert view.visible_scene_rect().contains(scene.graph_rect())


def test_at_1024x700_the_tabbed_docks_show_their_whole_names(make_window, qtbot):
    """Inspector, Paths, Chart and Lesson share one column: they read "Inspec…", "Pat…", "Ch…"."""
    window = make_window(Document.open(example_path("chain_rule")))
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.inspector_dock.width() < 300)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible()]
    assert {bar.tabText(i) for bar in bars for i in range(bar.count())} >= {"Inspector", "Paths", "Lesson"}
    for bar in bars:
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), bar.tabText(i)

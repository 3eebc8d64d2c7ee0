"""Whole-graph actions touch each node a bounded number of times, counted (never timed): one
selection notification, one reading of the clipboard, one undo command and one evaluation per
action, one message to the far zoom, no panel refreshed per node, no scene query repeated when
nothing changed, and a large graph's new objects kept out of the collector's way."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QApplication

from cgeditor.editor.canvas.far_zoom import BULK
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT
from cgeditor.editor.canvas.paste_spot import paste_spot
from cgeditor.editor.document import clipboard
from cgeditor.editor.document.document import Document
from cgeditor.editor.document.gc_pause import LARGE_GRAPH
from cgeditor.editor.teaching.step_badge import StepBadge
from cgeditor.model import fileformat
from cgeditor.model.graph import Edge

from helpers.canvas import Canvas
from helpers.graph_builders import pairs

class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def counting(obj, name: str, monkeypatch) -> Counter:
    """Count the calls of `obj.name`, which still does what it did."""
    counter, original = Counter(), getattr(obj, name)

    def wrapped(*args, **kwargs):
        counter.count += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapped)
    return counter


def test_selecting_a_thousand_nodes_notifies_the_selection_listeners_once(qtbot):
    canvas = Canvas(qtbot, Document(pairs(500)))
    settled = Counter()
    canvas.scene.selection_settled.connect(settled)
    canvas.scene.select_only(canvas.graph.nodes)
    qtbot.waitUntil(lambda: settled.count > 0)
    QApplication.processEvents()
    assert settled.count == 1 and len(canvas.scene.selected_node_ids()) == 1000


def test_pasting_many_nodes_reads_the_clipboard_once_and_is_one_step_evaluated_once(qtbot, make_window,
                                                                                   monkeypatch):
    window = make_window(Document(pairs(300)))
    doc, acts = window.document, window.window_actions
    acts.select_all.trigger()
    acts.copy.trigger()
    reads = counting(fileformat, "loads", monkeypatch)
    evaluations = Counter()
    doc.evaluated.connect(evaluations)
    acts.paste.trigger()
    qtbot.waitUntil(lambda: evaluations.count > 0)
    QApplication.processEvents()
    assert len(doc.graph) == 1200 and doc.undo_stack.count() == 1
    assert reads.count == 1 and evaluations.count == 1
    for action in (acts.undo, acts.redo):
        action.trigger()
        qtbot.waitUntil(lambda: evaluations.count > 1)
        QApplication.processEvents()
        assert evaluations.count == 2
        evaluations.count = 1


def test_a_bulk_edit_of_a_large_graph_tells_the_far_zoom_once_and_it_draws_all_anew(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(pairs(LAZY_LIMIT)))
    canvas.view.fit_graph()
    overview = canvas.scene.overview
    assert overview.active  # zoomed out on a large graph: the far zoom draws it
    canvas.view.viewport().grab()  # drawn once, so what an edit touches is drawn anew
    touches = counting(overview, "touch", monkeypatch)
    redraws = counting(overview, "invalidate", monkeypatch)
    canvas.document.duplicate([f"v{i}" for i in range(BULK)] + [f"t{i}" for i in range(BULK)])
    assert touches.count == 0 and redraws.count == 1


def test_a_bulk_edit_of_a_large_graph_leaves_what_it_made_out_of_the_collectors_way(qtbot):
    doc = Document(pairs(LARGE_GRAPH))
    frozen = gc.get_freeze_count()
    doc.duplicate(list(doc.graph.nodes)[:400])
    assert gc.get_freeze_count() > frozen and gc.isenabled()  # thawed after the test (conftest)
    doc.undo_stack.undo()
    assert gc.isenabled()


def test_a_delete_refreshes_the_inspector_only_for_the_node_it_shows(qtbot, make_window, monkeypatch):
    window = make_window(Document(pairs(200)))
    refreshes = counting(window.inspector, "refresh", monkeypatch)
    window.document.remove_nodes([f"t{i}" for i in range(100)])
    assert refreshes.count == 0
    window.inspector.set_node("v7")
    refreshes.count = 0
    window.document.remove_nodes([f"t{i}" for i in range(100, 200)])
    assert refreshes.count == 0
    window.document.remove_nodes(["v7"])
    assert refreshes.count >= 1 and window.inspector.node_id is None


def test_the_minimap_counts_the_nodes_under_its_corners_again_only_after_a_change(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(pairs(200)))
    view, scene = canvas.view, canvas.scene
    view.resize(800, 560)
    view.fit_graph()
    view.zoom_by(3.0)
    queries = counting(scene, "items", monkeypatch)
    canvas.document.move_nodes({"v0": (5.0, 5.0)})
    view.minimap.sync()
    asked = queries.count
    assert view.minimap.isVisible() and asked > 0
    view.minimap.sync()
    assert queries.count == asked  # nothing moved: the same corner
    canvas.document.move_nodes({"v0": (9.0, 5.0)})
    view.minimap.sync()
    assert queries.count == 2 * asked


def test_a_hidden_step_badge_never_asks_where_the_graph_is(qtbot):
    canvas = Canvas(qtbot, Document(pairs(20)))
    asked = Counter()

    def graph_on_screen():
        asked()
        return []

    badge = StepBadge(canvas.view, lambda: None, graph_on_screen)
    badge.place()
    assert asked.count == 0
    badge.show_text("step 1 of 3")
    assert asked.count == 1 and badge.isVisible()
    badge.place()
    assert asked.count == 2


def test_a_duplicate_is_one_command_with_the_nodes_and_edges_in_order(qtbot):
    doc = Document(pairs(3))
    before = fileformat.dumps(doc.graph)
    ids = doc.duplicate(list(doc.graph.nodes))
    assert doc.undo_stack.count() == 1 and doc.undo_stack.text(0) == "Duplicate 6 nodes"
    assert list(doc.graph.nodes)[6:] == ids and len(ids) == 6
    assert list(doc.graph.edges)[3:] == [Edge(ids[0], ids[1], 0), Edge(ids[2], ids[3], 0), Edge(ids[4], ids[5], 0)]
    after = fileformat.dumps(doc.graph)
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.graph) == before
    doc.undo_stack.redo()
    assert fileformat.dumps(doc.graph) == after


def test_the_graph_rect_grown_by_a_paste_is_the_one_walked_afresh(qtbot):
    canvas = Canvas(qtbot, Document(pairs(30)))
    scene, doc = canvas.scene, canvas.document

    def walked_afresh():
        grown = scene.graph_rect()
        scene.forget_graph_rect()
        return grown, scene.graph_rect()

    scene.graph_rect()
    doc.duplicate(list(doc.graph.nodes), at=(-2000.0, 9000.0))  # far out: the bounds must grow
    grown, fresh = walked_afresh()
    assert grown == fresh and fresh.bottom() > 9000.0 and fresh.left() < -2000.0
    doc.undo_stack.undo()
    grown, fresh = walked_afresh()
    assert grown == fresh and fresh.bottom() < 9000.0


def test_finding_a_free_spot_for_a_copy_asks_the_scene_for_items_once(qtbot, monkeypatch):
    canvas = Canvas(qtbot, Document(pairs(200)))
    part = clipboard.selection(canvas.graph, list(canvas.graph.nodes))
    queries = counting(canvas.scene, "items", monkeypatch)
    at = paste_spot(canvas.scene, part, canvas.scene.node_item("v0").pos())  # on top of it all: many spots tried
    assert queries.count == 1
    copy = canvas.document.paste_graph(part, at)
    rect = canvas.scene.node_item
    assert not any(rect(n).sceneBoundingRect().intersects(rect(o).sceneBoundingRect())
                   for n in copy for o in list(canvas.graph.nodes)[:400])  # it covers no original

"""Where the step callout goes (callout_spot), on plain rectangles: below the graph when the
pointer can get there freely, sideways or above when a straight drop would cross a node, slid
to stay in view, and into a gap near the step when the graph is taller than the view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from cgeditor.editor.teaching.callout_spot import EDGE_ROOM, _box, _crossings, callout_spot

BUBBLE = (200.0, 60.0)  # screen pixels, the gap to the tail included
GRAPH = QRectF(0, 0, 600, 300)
VIEW = QRectF(-100, -200, 800, 800)


def spot(anchor, nodes, seen=VIEW, clear=(), graph=GRAPH):
    return callout_spot(QPointF(*anchor), BUBBLE, 12.0, 1.0, graph, seen, nodes, list(clear))


def test_a_free_drop_hangs_straight_below_the_graph():
    s = spot((300, 100), [QRectF(0, 0, 50, 50)])
    assert (s.tail.x(), s.tail.y(), s.above) == (300, 300, False)


def test_a_node_under_the_step_sends_the_pointer_to_the_side():
    blocker = QRectF(280, 150, 40, 40)
    s = spot((300, 100), [blocker])
    assert not s.above and s.tail.y() == 300 and s.tail.x() != 300
    assert _crossings(300, 100, s.tail.x(), s.tail.y(), [_box(blocker)]) == 0


def test_a_wall_below_sends_the_bubble_above_the_graph():
    wall = QRectF(-50, 200, 700, 40)
    s = spot((300, 100), [wall])
    assert s.above and s.tail.y() == 0


def test_a_tail_near_the_left_edge_of_the_view_slides_the_bubble_in():
    seen = QRectF(250, -200, 800, 800)  # the step is 50 px from the view's left side
    s = spot((300, 100), [], seen=seen)
    left = (s.tail.x() + s.shift) - BUBBLE[0] / 2
    assert left >= seen.left() + EDGE_ROOM - 1e-9
    assert abs(s.shift) <= BUBBLE[0] / 2 - 24  # the tail still meets the bubble


def test_in_a_graph_taller_than_the_view_the_bubble_takes_the_nearest_gap_near_the_step():
    tall = QRectF(0, 0, 600, 3000)
    rows = [QRectF(0, y, 600, 40) for y in range(0, 3000, 140)]  # 100-unit bands between them
    s = spot((300, 300), [], seen=QRectF(-100, 0, 800, 500), clear=rows, graph=tall)
    top = s.tail.y() - BUBBLE[1] if s.above else s.tail.y()
    bubble = QRectF(s.tail.x() + s.shift - BUBBLE[0] / 2, top, *BUBBLE)
    assert not any(bubble.intersects(r) for r in rows)
    assert abs(s.tail.y() - 300) <= 140  # a band next to the step's, not one far off


def test_in_a_tall_graph_the_bubble_covers_other_nodes_before_the_steps_own():
    tall = QRectF(0, 0, 600, 3000)
    crowd = [QRectF(0, y, 600, 40) for y in range(0, 3000, 60)]  # no gap anywhere
    mine = QRectF(250, 330, 100, 40)
    s = callout_spot(QPointF(300, 300), BUBBLE, 12.0, 1.0, tall, QRectF(-100, 0, 800, 500), [], crowd + [mine], [mine])
    top = s.tail.y() - BUBBLE[1] if s.above else s.tail.y()
    assert not QRectF(s.tail.x() + s.shift - BUBBLE[0] / 2, top, *BUBBLE).intersects(mine)


def test_a_callout_too_wide_for_the_screen_breaks_each_line_in_two_at_most_and_fits(qapp):
    from cgeditor.editor.teaching.canvas_layer import Callout
    lines = ("∂L/∂x2 += ∂L/∂mul2 · ∂mul2/∂x2 = (-0.2115) · (-0.2) = 0.0423",
             "∂L/∂x2 = (-0.05002)·0.7 + 0.2355·0.1 + (-0.2115)·(-0.2) = 0.03084")
    callout = Callout()
    callout.set_text(lines, 36, 1008)
    assert len(callout.shown_lines()) <= 4 and callout.bubble_size()[0] <= 1008
    assert callout.text() == "\n".join(lines)  # the narration itself, however it is broken
    callout.set_text(lines[:1], 36, 2000)
    assert callout.shown_lines() == lines[:1] and callout.font_px() == 36


def test_in_a_tall_graph_the_bubble_goes_just_outside_it_when_that_shares_the_screen_with_the_step():
    """On the 40-node graph at 1024×700 the one free place was just above the graph, a few
    units further than the gaps tried: the bubble covered the value on top of the graph."""
    tall = QRectF(0, 0, 600, 3000)
    crowd = [QRectF(0, y, 600, 40) for y in range(0, 3000, 60)]  # no gap inside the graph
    s = spot((300, 400), [], seen=QRectF(-100, -100, 800, 540), clear=crowd, graph=tall)
    assert s.above and s.tail.y() == 0


def test_a_pointer_slanting_further_than_a_bubble_width_to_get_below_hangs_the_bubble_above_instead():
    """deep_chain presenting at 1920×1080: a step near the graph's top pointed at a bubble below
    the graph, 650 px off to the side, past a column of nodes under it."""
    bar = QRectF(200, 150, 200, 40)  # under the step: a free pointer below slants 240 units aside
    s = spot((300, 20), [bar])
    assert s.above and s.tail.y() == 0 and abs(s.tail.x() - 300) < 1

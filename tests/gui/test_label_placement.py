"""Label placement as pure geometry: labels avoid nodes, each other and foreign edges."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cgeditor.editor.canvas.label_placement import (LabelRequest, Rect, along_polyline, around_node,
                                             place_labels, segment_hits_rect)


def test_segment_through_rect_hits_it():
    assert segment_hits_rect((-10, 5), (20, 5), Rect(0, 0, 10, 10))


def test_segment_beside_rect_misses_it():
    assert not segment_hits_rect((-10, 15), (20, 15), Rect(0, 0, 10, 10))


def test_segment_ending_inside_rect_hits_it():
    assert segment_hits_rect((-10, -10), (5, 5), Rect(0, 0, 10, 10))


def test_touching_rects_do_not_intersect():
    assert not Rect(0, 0, 10, 10).intersects(Rect(10, 0, 10, 10))


def test_label_goes_below_its_node_when_free():
    node = Rect(0, 0, 60, 40)
    placed = place_labels([node], {}, [LabelRequest("n", (30, 16), around_node(node, (30, 16)))])
    r = placed.rects["n"]
    assert r.y >= node.bottom and abs(r.center[0] - node.center[0]) < 1e-9


def test_label_avoids_a_node_right_below_its_own():
    node, blocker = Rect(0, 0, 60, 40), Rect(-20, 42, 100, 40)
    placed = place_labels([node, blocker], {}, [LabelRequest("n", (30, 16), around_node(node, (30, 16)))])
    r = placed.rects["n"]
    assert not r.intersects(blocker) and not r.intersects(node)


def test_second_label_avoids_the_first():
    a, b = Rect(0, 0, 60, 40), Rect(0, 70, 60, 40)  # b's label spot is a's favourite too
    requests = [LabelRequest(k, (50, 16), around_node(r, (50, 16))) for k, r in (("a", a), ("b", b))]
    placed = place_labels([a, b], {}, requests)
    assert not placed.rects["a"].intersects(placed.rects["b"])


def test_edge_label_sits_on_its_own_edge_but_off_other_edges():
    own = [(0.0, 0.0), (200.0, 0.0)]
    other = [(100.0, -50.0), (100.0, 50.0)]  # crosses the middle of `own`
    request = LabelRequest("own", (30, 16), along_polyline(own, (30, 16)), own_edge="own")
    placed = place_labels([], {"own": own, "other": other}, [request])
    r = placed.rects["own"]
    assert not any(segment_hits_rect(a, b, r) for a, b in zip(other, other[1:]))
    assert r.y < 0 < r.bottom  # still on its own line


def test_along_polyline_starts_at_the_middle():
    points = along_polyline([(0.0, 0.0), (100.0, 0.0)], (10, 10))
    assert points[0] == (50.0, 0.0)


def test_crowded_labels_are_reported_as_conflicts_rather_than_lost():
    node = Rect(0, 0, 10, 10)
    requests = [LabelRequest(i, (500, 500), [(5.0, 5.0)]) for i in range(2)]
    placed = place_labels([node], {}, requests)
    assert set(placed.rects) == {0, 1} and placed.conflicts == {0, 1}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 8)), min_size=1, max_size=25, unique=True))
def test_labels_on_a_grid_of_nodes_never_overlap(cells):
    """Nodes on a layout-like grid (170 × 110 apart): every label finds a free spot."""
    nodes = {c: Rect(c[0] * 170.0, c[1] * 110.0, 70, 50) for c in cells}
    requests = [LabelRequest(c, (44, 36), around_node(r, (44, 36))) for c, r in nodes.items()]
    placed = place_labels(nodes.values(), {}, requests)
    rects = list(placed.rects.values())
    assert not placed.conflicts
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)
    for r in rects:
        assert not any(r.intersects(n) for n in nodes.values())

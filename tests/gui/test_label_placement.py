"""Label placement as pure geometry: labels avoid nodes, each other and foreign edges."""

from __future__ import annotations

import itertools
import math
import resource
import subprocess
import sys

import pytest

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cgeditor.editor.canvas.label_index import MAX_CELLS, Index
from cgeditor.editor.canvas.label_placement import LabelRequest, Rect, place_labels, segment_hits_rect
from cgeditor.editor.canvas.label_spots import along_polyline, around_node


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


FAR_APART = """
import sys
from cgeditor.editor.canvas.label_placement import LabelRequest, Rect, place_labels
from cgeditor.editor.canvas.label_spots import along_polyline, around_node
span = float(sys.argv[1])
nodes = {"a": Rect(-span, 0.0, 70, 50), "b": Rect(span, 0.0, 70, 50), "c": Rect(-span, -span, 70, 50)}
edges = {("a", "b"): [(-span + 70, 25.0), (span, 25.0)], ("c", "b"): [(-span + 35, -span + 50), (span, 0.0)]}
requests = [LabelRequest(k, (44, 36), around_node(r, (44, 36))) for k, r in nodes.items()]
requests += [LabelRequest(k, (40, 16), along_polyline(p, (40, 16)), own_edge=k) for k, p in edges.items()]
placed = place_labels(nodes.values(), edges, requests)
print(len(placed.rects), len(placed.conflicts))
"""


@pytest.mark.parametrize("span", [1e6, 1e9])
def test_nodes_far_apart_are_placed_in_bounded_time_and_memory(span):
    """Two far-apart nodes once made the index file every cell of the span: at ±1e6 it ran out
    of memory, at ±1e9 it never finished.  Run in a child held to 1 GB, with a generous timeout."""
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-c", FAR_APART, str(span)], capture_output=True, text=True,
                            timeout=120, preexec_fn=limit_memory)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "0"]  # every label placed, none in conflict


def _cluster(dx: float, dy: float, tag: str):
    nodes = {(tag, i): Rect(dx + 170.0 * (i % 3), dy + 110.0 * (i // 3), 70, 50) for i in range(6)}
    edges = {(tag, i, j): [nodes[(tag, i)].center, nodes[(tag, j)].center]
             for i, j in ((0, 4), (1, 5), (2, 3), (0, 5))}
    requests = [LabelRequest(k, (44, 36), around_node(r, (44, 36))) for k, r in nodes.items()]
    requests += [LabelRequest(k, (40, 16), along_polyline(p, (40, 16)), own_edge=k) for k, p in edges.items()]
    return nodes, edges, requests


@settings(max_examples=25, deadline=None)
@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9))
def test_a_far_cluster_changes_nothing_about_where_the_labels_of_another_go(dx, dy):
    """The index must find every neighbour however large the drawing: a second cluster anywhere
    away from the first leaves the first's placement exactly as when placed alone."""
    nodes, edges, requests = _cluster(0.0, 0.0, "a")
    alone = place_labels(nodes.values(), edges, requests)
    if abs(dx) < 2000 and abs(dy) < 2000:
        dx += 5000
    far_nodes, far_edges, far_requests = _cluster(dx, dy, "b")
    both = place_labels([*nodes.values(), *far_nodes.values()], {**edges, **far_edges},
                        [*requests, *far_requests])
    assert {k: both.rects[k] for k in alone.rects} == alone.rects
    assert both.conflicts & alone.rects.keys() == alone.conflicts


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 2000), st.floats(0, 1200)), min_size=2, max_size=30))
def test_a_label_overlapping_another_is_always_reported_as_a_conflict(points):
    """Crowded anywhere (random nodes and the edges between neighbours): no label silently covers another."""
    nodes = [Rect(x, y, 70, 50) for x, y in points]
    edges = {k: [nodes[k].center, nodes[k + 1].center] for k in range(len(nodes) - 1)}
    requests = [LabelRequest(("n", k), (44, 36), around_node(r, (44, 36))) for k, r in enumerate(nodes)]
    requests += [LabelRequest(k, (40, 16), along_polyline(p, (40, 16)), own_edge=k) for k, p in edges.items()]
    placed = place_labels(nodes, edges, requests)
    order = [req.key for req in requests]
    for a, b in itertools.combinations(order, 2):  # b was placed after a
        if placed.rects[a].intersects(placed.rects[b]):
            assert b in placed.conflicts


@settings(max_examples=40, deadline=None)
@given(st.tuples(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)), st.tuples(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)),
       st.floats(0, 1))
@example((0.0, 0.0), (2.225073858507203e-309, 1.0), 0.0)  # a run too short to divide by
def test_the_index_finds_a_segment_from_any_point_along_it_in_few_cells(a, b, t):
    index = Index((-1e9, -1e9, 1e9, 1e9), 80.0)
    index.add_segment("s", a, b)
    x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
    assert index.items[0] == "s" and set(index.near(x - 1, y - 1, x + 1, y + 1)) == {0}
    assert len(index.cells) <= MAX_CELLS


def _work_to_place_a_fan(n: int, monkeypatch) -> int:
    """Segments looked at (listed by the index, or tested against a spot) while placing the
    labels of `n` edges from a column of nodes into one port, as a port fed n times is drawn."""
    import cgeditor.editor.canvas.label_placement as placement

    work = 0
    near, hits = Index.near, placement._segment_hits_box

    def counted_near(self, *args, **kwargs):
        nonlocal work
        found = near(self, *args, **kwargs)
        work += len(found)
        return found

    def counted_hits(*args):
        nonlocal work
        work += 1
        return hits(*args)

    monkeypatch.setattr(Index, "near", counted_near)
    monkeypatch.setattr(placement, "_segment_hits_box", counted_hits)
    port = (170.0, 55.0 * n)
    edges = {i: [(70.0, 110.0 * i + 25), port] for i in range(n)}
    requests = [LabelRequest(i, (40, 16), along_polyline(p, (40, 16)), own_edge=i) for i, p in edges.items()]
    placed = place_labels([], edges, requests)
    assert len(placed.rects) == n
    monkeypatch.undo()
    return work


def test_placing_the_labels_of_edges_into_one_port_takes_work_in_proportion_to_their_number(monkeypatch):
    """A port fed 3,000 times took minutes to render: each label weighed every edge near the
    port, so twice the edges cost each label twice the work.  Past a crowd of edges a spot is
    as bad as it gets, and the work per label levels off: compared from 2,400 edges, for up to
    1,200 what each label remembers of the edges that crossed its spots saves much of it."""
    per_label = [_work_to_place_a_fan(n, monkeypatch) / n for n in (2400, 4800)]
    assert per_label[1] < 1.7 * per_label[0], per_label


# -- the placement pinned against a plain reference --------------------------------------------


def _reference_placement(nodes, edges, requests, fixed=()):
    """What `place_labels` chooses, the plain way: every spot of a label tested against every
    node, label and segment, with the costs its docstrings state.  A spot clear of nodes and
    labels (the boxes kept GAP, or GAP / 2 for labels, away) costs its rank plus EDGE_CROSSING
    for each foreign edge crossing it with GAP / 2 around (up to CROSSINGS_COUNTED); only when
    no spot is clear does the least overlap win (rank plus, per box covered, NODE_OVERLAP or
    LABEL_OVERLAP and the area; the nodes' sum plus the labels' sum, each in filing order).
    The earliest of equal spots wins.  (No spot here has a crowd of segments around it.)"""
    from cgeditor.editor.canvas import label_placement as lp

    def box(r, margin):
        return (r.x - margin, r.y - margin, r.x + r.w + margin, r.y + r.h + margin)

    obstacles = [(box(r, lp.GAP / 2), True) for r in fixed] + [(box(r, lp.GAP), False) for r in nodes]
    segments = [(key, a, b) for key, points in edges.items() for a, b in zip(points, points[1:])]
    rects, conflicts = {}, set()
    for req in requests:
        w, h = req.size
        spots = [(rank, cx - w / 2, cy - h / 2) for rank, (cx, cy) in enumerate(req.candidates)]

        def overlaps(x, y):
            return [(o, is_label) for o, is_label in obstacles
                    if o[0] < x + w and x < o[2] and o[1] < y + h and y < o[3]]

        best = None
        for rank, x, y in spots:
            if overlaps(x, y):
                continue
            x0, y0 = x - lp.GAP / 2, y - lp.GAP / 2
            x1, y1 = x0 + (w + lp.GAP), y0 + (h + lp.GAP)
            crossed = {key for key, a, b in segments if key != req.own_edge
                       and not (max(a[0], b[0]) < x0 or x1 < min(a[0], b[0])
                                or max(a[1], b[1]) < y0 or y1 < min(a[1], b[1]))
                       and lp._segment_hits_box(a, b, x0, y0, x1, y1)}
            crossing = lp.EDGE_CROSSING * min(len(crossed), lp.CROSSINGS_COUNTED)
            if best is None or rank * lp.RANK_COST + crossing < best[0]:
                best = (rank * lp.RANK_COST + crossing, x, y, crossing > 0)
        if best is None:
            for rank, x, y in spots:
                sums = {False: 0.0, True: 0.0}
                for o, is_label in overlaps(x, y):
                    area = (min(x + w, o[2]) - max(x, o[0])) * (min(y + h, o[3]) - max(y, o[1]))
                    sums[is_label] += (lp.LABEL_OVERLAP if is_label else lp.NODE_OVERLAP) + area
                cost = rank * lp.RANK_COST + (sums[False] + sums[True])
                if best is None or cost < best[0]:
                    best = (cost, x, y, True)
        if best is None:
            continue
        _, x, y, in_conflict = best
        rects[req.key] = Rect(x, y, w, h)
        if in_conflict:
            conflicts.add(req.key)
        obstacles.append((box(rects[req.key], lp.GAP / 2), True))
    return rects, conflicts


@st.composite
def _crowded_drawings(draw):
    """Nodes jittered around a small grid, edges between them as polylines of a few points,
    node and edge labels of mixed sizes (packed spots, or plain lists), some labels held fixed."""
    count = draw(st.integers(2, 14))
    cells = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=count, max_size=count))
    jitter = st.floats(-40, 40, allow_nan=False)
    nodes = [Rect(c * 150.0 + draw(jitter), r * 100.0 + draw(jitter), draw(st.sampled_from([40.0, 70.0, 96.5])),
                  draw(st.sampled_from([30.0, 50.0]))) for c, r in cells]
    edges = {}
    for k in range(draw(st.integers(0, 12))):
        a, b = draw(st.integers(0, count - 1)), draw(st.integers(0, count - 1))
        bends = draw(st.lists(st.tuples(jitter, jitter), max_size=2))
        (ax, ay), (bx, by) = nodes[a].center, nodes[b].center
        middle = [((ax + bx) / 2 + dx, (ay + by) / 2 + dy) for dx, dy in bends]
        edges[("e", k)] = [(ax, ay), *middle, (bx, by)]
    size = st.tuples(st.sampled_from([20.0, 32.5, 44.0, 80.0]), st.sampled_from([16.0, 21.25, 36.0]))
    requests = []
    for k, node in enumerate(nodes):
        s = draw(size)
        spots = around_node(node, s, rings=draw(st.integers(1, 4)))
        requests.append(LabelRequest(("n", k), s, spots if draw(st.booleans()) else list(spots)))
    for key, points in edges.items():
        s = draw(size)
        requests.append(LabelRequest(key, s, along_polyline(points, s), own_edge=key))
    order = draw(st.permutations(range(len(requests))))
    fixed = [Rect(x, y, 40.0, 20.0) for x, y in draw(st.lists(st.tuples(st.floats(0, 700), st.floats(0, 400)),
                                                              max_size=4))]
    return nodes, edges, [requests[i] for i in order], fixed


@settings(max_examples=150, deadline=None)
@given(_crowded_drawings())
def test_every_label_goes_where_the_plain_reference_puts_it(drawing):
    """Pins the chosen spot of every label (and which are in conflict) to the reference, so
    that making the placement faster cannot move a single label."""
    nodes, edges, requests, fixed = drawing
    placed = place_labels(nodes, edges, requests, fixed)
    assert (placed.rects, placed.conflicts) == _reference_placement(nodes, edges, requests, fixed)


def test_the_labels_of_a_rendered_dag_go_where_the_plain_reference_puts_them(qapp, monkeypatch):
    """The same on what a render hands the placement: a layered 40-op DAG's curves, node
    boxes and every label's size and spots."""
    from cgeditor.editor.canvas import label_layout
    from cgeditor.editor.canvas.scene import GraphScene
    from cgeditor.editor.document.document import Document
    from test_render import _layered_dag

    calls = []
    place = label_layout.place_labels

    def recorded(nodes, edges, requests, fixed=()):
        calls.append((list(nodes), edges, list(requests), list(fixed)))
        return place(*calls[-1])

    monkeypatch.setattr(label_layout, "place_labels", recorded)
    scene = GraphScene(Document(_layered_dag(40, seed=11)), place_later=True)
    scene.place_labels()
    scene.detach()
    (nodes, edges, requests, fixed), = calls
    assert len(requests) > 100
    placed = place(nodes, edges, requests, fixed)
    assert (placed.rects, placed.conflicts) == _reference_placement(nodes, edges, requests, fixed)


def _textbook_hits_box(a, b, left, top, right, bottom) -> bool:
    """Liang–Barsky as the textbook loops over the four sides: (p, q) per side, t = q / p."""
    (x0, y0), (x1, y1) = a, b
    t0, t1 = 0.0, 1.0
    for p, q in ((x0 - x1, x0 - left), (x1 - x0, right - x0), (y0 - y1, y0 - top), (y1 - y0, bottom - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return False
            t0 = max(t0, t)
        else:
            if t < t0:
                return False
            t1 = min(t1, t)
    return t0 < t1


_coordinate = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0, 10.0, 5.0, 1e-300, -1e-300]),
                        st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=600, deadline=None)
@given(st.tuples(_coordinate, _coordinate), st.tuples(_coordinate, _coordinate))
@example((-10.0, 5.0), (20.0, 5.0))  # through, horizontal
@example((5.0, -10.0), (5.0, 20.0))  # through, vertical
@example((0.0, 0.0), (10.0, 10.0))  # corner to corner
@example((10.0, -5.0), (10.0, 15.0))  # along a side
def test_the_segment_test_agrees_with_the_textbook_form(a, b):
    from cgeditor.editor.canvas.label_placement import _segment_hits_box

    for box in ((0.0, 0.0, 10.0, 10.0), (5.0, 5.0, 5.0, 5.0), (0.0, math.nan, 10.0, 10.0), (-math.inf, 0.0, 10.0, math.inf)):
        assert _segment_hits_box(a, b, *box) == _textbook_hits_box(a, b, *box)
        assert _segment_hits_box(b, a, *box) == _textbook_hits_box(b, a, *box)

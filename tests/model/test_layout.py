"""The layered layout: inputs left, output right, no crossings on the examples, no overlaps."""

from pathlib import Path

import pytest

from cgeditor.model.expression import parse_program
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.layout import LAYER_GAP, ROW_GAP, layered_extent, layered_layout
from cgeditor.model.layout_metrics import count_crossings, total_edge_length

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.cgraph"))
NODE_W, NODE_H = 100.0, 60.0  # about the largest node the canvas draws for these graphs

MICROGRAD = ("a = -4.0; b = 2.0; c = a + b; d = a * b + b**3; c = c + c + 1; c = c + 1 + c + (-a);"
             "d = d + d * 2 + relu(b + a); d = d + 3 * d + relu(b - a); e = c - d; f = e**2;"
             "g = f / 2.0; g = g + 10.0 / f")


def _graph(nodes, edges, output=None) -> Graph:
    g = Graph()
    for node_id, kind, extra in nodes:
        g.add_node(Node(node_id, NodeKind(kind), **extra))
    for e in edges:
        g.add_edge(Edge(*e))
    g.set_output(output)
    return g


def _chain_rule() -> Graph:
    return _graph(
        [("x", "variable", {"value": 2.0}), ("y", "variable", {"value": 3.0}),
         ("z1", "op", {"op": "mul"}), ("z2", "op", {"op": "add"}), ("two", "constant", {"value": 2.0}),
         ("L", "op", {"op": "pow"})],
        [("x", "z1", 0), ("y", "z1", 1), ("x", "z2", 0), ("z1", "z2", 1), ("z2", "L", 0),
         ("two", "L", 1)], "L")


def _assert_no_overlap(positions):
    items = list(positions.items())
    for i, (a, (ax, ay)) in enumerate(items):
        for b, (bx, by) in items[i + 1:]:
            assert abs(ax - bx) >= NODE_W or abs(ay - by) >= NODE_H, f"{a} and {b} overlap"


def test_there_are_examples_to_lay_out():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_lay_out_without_crossings_or_overlaps(path):
    graph = load(path)
    positions = layered_layout(graph)
    assert set(positions) == set(graph.nodes)
    assert count_crossings(graph, positions) == 0
    _assert_no_overlap(positions)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_wire_runs_left_to_right(path):
    graph = load(path)
    positions = layered_layout(graph)
    for e in graph.edges:
        assert positions[e.source][0] < positions[e.target][0], e


def test_output_sits_in_the_rightmost_layer_and_inputs_on_the_left():
    graph = _chain_rule()
    positions = layered_layout(graph)
    assert positions["L"][0] == max(x for x, _ in positions.values())
    assert positions["x"][0] == positions["y"][0] == 0.0
    assert positions["z1"][0] == LAYER_GAP


def test_constant_sits_next_to_its_consumer_not_at_the_far_left():
    positions = layered_layout(_chain_rule())
    assert positions["two"][0] == positions["L"][0] - LAYER_GAP


def test_first_input_arrives_above_the_second():
    positions = layered_layout(_chain_rule())
    assert positions["x"][1] < positions["y"][1]


def test_nodes_of_a_layer_keep_the_row_gap():
    graph = parse_program(MICROGRAD)
    positions = layered_layout(graph)
    columns = {}
    for x, y in positions.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= ROW_GAP - 1 for a, b in zip(ys, ys[1:]))


def test_layout_is_deterministic():
    first = layered_layout(parse_program(MICROGRAD))
    assert all(layered_layout(parse_program(MICROGRAD)) == first for _ in range(3))


def test_shared_subexpressions_lay_out_with_few_crossings():
    graph = parse_program(MICROGRAD)
    positions = layered_layout(graph)
    _assert_no_overlap(positions)
    assert count_crossings(graph, positions) <= 20  # grandalf's Sugiyama layout has 35 here


def test_subset_layout_moves_only_the_subset_and_keeps_its_centre():
    graph = load(EXAMPLES[0])
    for i, node in enumerate(graph):
        node.pos = (i * 1000.0, -i * 500.0)  # scattered: the subset must come together
    subset = [e.target for e in graph.edges][:2] + [graph.edges[0].source]
    before_centre = _centre([graph.nodes[n].pos for n in subset])
    positions = layered_layout(graph, subset)
    assert set(positions) == set(subset)
    assert _centre(list(positions.values())) == pytest.approx(before_centre, abs=1.0)
    _assert_no_overlap(positions)


def test_unplaced_subset_goes_right_of_the_placed_nodes():
    graph = _chain_rule()
    for i, node in enumerate(graph):
        node.pos = (i * 10.0, 0.0) if node.id in ("x", "y", "z1") else None
    positions = layered_layout(graph, ["z2", "two", "L"])
    assert min(x for x, _ in positions.values()) > 20.0


def test_empty_subset_and_empty_graph_give_nothing():
    assert layered_layout(Graph()) == {}
    assert layered_layout(_chain_rule(), []) == {}


def test_cycle_in_an_invalid_graph_still_gets_a_layout():
    graph = _graph([("a", "op", {"op": "neg"}), ("b", "op", {"op": "neg"})],
                   [("a", "b", 0), ("b", "a", 0)])
    positions = layered_layout(graph)
    assert set(positions) == {"a", "b"}
    assert positions["a"] != positions["b"]


def test_long_chain_lays_out_in_one_row_of_layers():
    g = Graph()
    g.add_node(Node("v", NodeKind.VARIABLE, value=1.0))
    prev = "v"
    for i in range(2000):
        g.add_node(Node(f"n{i}", NodeKind.OP, op="neg"))
        g.add_edge(Edge(prev, f"n{i}", 0))
        prev = f"n{i}"
    positions = layered_layout(g)
    assert positions["n1999"] == (2000 * LAYER_GAP, 0.0)
    assert {y for _, y in positions.values()} == {0.0}


def _span(positions) -> tuple[float, float]:
    xs, ys = [x for x, _ in positions.values()], [y for _, y in positions.values()]
    return max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_extent_known_before_laying_out_is_the_layouts_width_and_at_most_its_height(path):
    graph = load(path)
    width, height = _span(layered_layout(graph))
    least = layered_extent(graph)
    assert least[0] == width and least[1] <= height


def test_the_extent_of_a_subset_and_of_a_cycle_bound_their_layouts():
    graph = parse_program(MICROGRAD)
    subset = sorted(graph.nodes)[::2]
    width, height = _span(layered_layout(graph, subset))
    assert layered_extent(graph, subset)[0] == width and layered_extent(graph, subset)[1] <= height
    cycle = _graph([(f"c{i}", "op", {"op": "neg"}) for i in range(50)],
                   [(f"c{i}", f"c{(i + 1) % 50}", 0) for i in range(50)])
    width, height = _span(layered_layout(cycle))
    assert layered_extent(cycle) == (49 * LAYER_GAP, 0.0) and width == 49 * LAYER_GAP


def test_count_crossings_sees_an_x_and_total_length_adds_wires():
    graph = _graph([("a", "variable", {"value": 1.0}), ("b", "variable", {"value": 1.0}),
                    ("p", "op", {"op": "neg"}), ("q", "op", {"op": "neg"})],
                   [("a", "q", 0), ("b", "p", 0)])
    straight = {"a": (0.0, 0.0), "b": (0.0, 100.0), "q": (100.0, 0.0), "p": (100.0, 100.0)}
    crossed = {**straight, "q": (100.0, 100.0), "p": (100.0, 0.0)}
    assert count_crossings(graph, straight) == 0
    assert count_crossings(graph, crossed) == 1
    assert total_edge_length(graph, straight) == pytest.approx(200.0)


def test_count_crossings_counts_wires_into_swapped_ports():
    graph = _chain_rule()
    positions = {"x": (0.0, 100.0), "y": (0.0, 0.0), "z1": (170.0, 50.0)}
    assert count_crossings(graph, positions) == 1  # x feeds input 0 from below y


def _centre(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def _random_dag(n_ops: int, seed: int = 5) -> Graph:
    """Ops reading two of the 50 nodes before them: deep and wide, like a pasted network."""
    import random

    rng = random.Random(seed)
    g = Graph()
    ids = []
    for i in range(20):
        g.add_node(Node(f"x{i}", NodeKind.VARIABLE, value=1.0))
        ids.append(f"x{i}")
    for i in range(n_ops):
        g.add_node(Node(f"n{i}", NodeKind.OP, op="add"))
        for port, src in enumerate(rng.sample(ids[-50:], 2)):
            g.add_edge(Edge(src, f"n{i}", port))
        ids.append(f"n{i}")
    return g


def test_a_large_acyclic_graph_lays_out_the_same_every_time_without_a_cycle_search(monkeypatch):
    import cgeditor.model.layout as layout

    searches = []
    real = layout.acyclic
    monkeypatch.setattr(layout, "acyclic", lambda arcs, n: searches.append(n) or real(arcs, n))
    graph = _random_dag(8000)
    first = layered_layout(graph)
    assert layered_layout(_random_dag(8000)) == first
    assert searches == []  # layering found no cycle, so none was looked for
    assert len(set(first.values())) == len(graph)

    graph.add_edge(Edge("n7999", "n0", 0))  # a cycle: broken first, then laid out
    cyclic = layered_layout(graph)
    assert searches == [len(graph)] and set(cyclic) == set(graph.nodes)

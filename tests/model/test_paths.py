from pathlib import Path

import pytest

from cgeditor.model.evaluate import OutputError, evaluate
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Edge, GraphError, Node, NodeKind
from cgeditor.model.teaching.paths import count_paths, list_paths
from helpers.graph_builders import build

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


def fork_example():
    """e = (a + b)(b + 1) at a = 2, b = 1."""
    return build({"a": 2, "b": 1, "one": 1},
                 [("c", "add", ["a", "b"]), ("d", "add", ["b", "one"]), ("e", "mul", ["c", "d"])])


def ladder(layers, op="add", x=1.0):
    """Two rungs per layer, each fed by both rungs of the layer below (the first by x twice):
    the number of paths doubles per layer, and the output adds the top two rungs."""
    ops, below = [], ("x", "x")
    for i in range(1, layers + 1):
        ops += [(f"u{i}", op, list(below)), (f"v{i}", "add", list(below))]
        below = (f"u{i}", f"v{i}")
    ops.append(("L", "add", list(below)))
    return build({"x": x}, ops)


def test_fork_has_two_paths_to_b_with_products_2_and_3_summing_to_5():
    g = fork_example()
    paths = list_paths(g, evaluate(g), "b")
    assert paths.count == 2
    assert [p.nodes for p in paths.listed] == [["e", "c", "b"], ["e", "d", "b"]]
    assert [p.product for p in paths.listed] == [2.0, 3.0]
    assert paths.sum == 5.0 == evaluate(g).grads["b"]
    assert paths.unlisted == 0


def test_path_edges_join_consecutive_nodes_from_the_output_down():
    g = fork_example()
    path = list_paths(g, evaluate(g), "b").listed[1]
    assert path.edges == [Edge("d", "e", 1), Edge("b", "d", 0)]
    assert all(e.target == path.nodes[i] and e.source == path.nodes[i + 1] for i, e in enumerate(path.edges))


def test_sixty_layer_ladder_counts_two_to_the_61_exactly_and_lists_only_50():
    g = ladder(60)
    assert count_paths(g, "L", "x") == 2 ** 61
    ev = evaluate(g)
    paths = list_paths(g, ev, "x")
    assert paths.count == 2 ** 61 and isinstance(paths.count, int)
    assert len(paths.listed) == 50 and paths.unlisted == 2 ** 61 - 50
    assert len({tuple(p.edges) for p in paths.listed}) == 50  # all distinct
    assert all(len(p.nodes) == 62 and p.nodes[0] == "L" and p.nodes[-1] == "x" for p in paths.listed)
    assert paths.sum == ev.grads["x"] == 2.0 ** 61  # past the listing the sum is the gradient


def test_sum_of_listed_products_equals_gradient_when_all_are_listed():
    g = ladder(4, op="mul", x=0.9)  # 32 paths, products that differ from path to path
    ev = evaluate(g)
    paths = list_paths(g, ev, "x")
    assert paths.count == 32 == len(paths.listed)
    assert len({p.product for p in paths.listed}) > 1
    assert paths.sum == pytest.approx(ev.grads["x"], rel=1e-12)
    for node in ("u2", "v3", "u4"):
        part = list_paths(g, ev, node)
        assert part.sum == pytest.approx(ev.grads[node], rel=1e-12)


def test_limit_lists_fewer_and_sum_falls_back_to_the_gradient():
    g = ladder(4, op="mul", x=0.9)
    ev = evaluate(g)
    paths = list_paths(g, ev, "x", limit=5)
    assert len(paths.listed) == 5 and paths.count == 32
    assert paths.sum == ev.grads["x"]


@pytest.mark.parametrize("node", ["b", "e"])
def test_limit_zero_lists_nothing_but_still_counts_and_sums(node):
    g = fork_example()
    ev = evaluate(g)
    paths = list_paths(g, ev, node, limit=0)
    assert paths.listed == [] and paths.count == paths.unlisted > 0
    assert paths.sum == ev.grads[node]


def test_parallel_edges_into_two_ports_are_distinct_paths():
    g = build({"x": 3}, [("sq", "mul", ["x", "x"])])
    paths = list_paths(g, evaluate(g), "x")
    assert paths.count == 2
    assert [p.edges for p in paths.listed] == [[Edge("x", "sq", 0)], [Edge("x", "sq", 1)]]
    assert paths.sum == 6.0


def test_node_not_feeding_the_output_has_no_paths_and_zero_sum():
    g = fork_example()
    g.add_node(Node("z", NodeKind.VARIABLE, value=4.0))
    g.add_node(Node("side", NodeKind.OP, op="neg"))
    g.add_edge(Edge("z", "side", 0))
    paths = list_paths(g, evaluate(g, "e"), "z")
    assert (paths.count, paths.listed, paths.sum) == (0, [], 0.0)


def test_output_itself_has_one_empty_path_with_product_1():
    g = fork_example()
    paths = list_paths(g, evaluate(g), "e")
    assert paths.count == 1
    assert paths.listed[0].nodes == ["e"] and paths.listed[0].edges == [] and paths.sum == 1.0


def test_long_chain_is_walked_without_recursion():
    n = 20_000
    g = build({"x": 0.5}, [(f"n{i}", "neg", ["x" if i == 0 else f"n{i - 1}"]) for i in range(n)])
    ev = evaluate(g)
    paths = list_paths(g, ev, "x")
    assert paths.count == 1 and len(paths.listed[0].nodes) == n + 1
    assert paths.sum == ev.grads["x"] == 1.0


def test_cycle_between_node_and_output_is_refused_with_its_nodes_named():
    g = build({"x": 1}, [("a", "add", ["x", "x"]), ("b", "neg", ["a"])])
    g.remove_edge(Edge("x", "a", 1))
    g.add_edge(Edge("b", "a", 1))
    with pytest.raises(GraphError, match="cycle among a, b"):
        count_paths(g, "b", "x")


def test_unknown_node_is_named():
    g = fork_example()
    with pytest.raises(GraphError, match="'nope'"):
        count_paths(g, "e", "nope")


def test_listing_without_an_output_is_refused():
    g = fork_example()
    g.add_node(Node("extra", NodeKind.VARIABLE, value=1.0))
    g.set_output(None)
    with pytest.raises(OutputError):
        list_paths(g, evaluate(g, strict=False), "b")


def test_g_equals_3f_minus_o_example_lists_two_paths_to_b_summing_to_dg_db():
    g = load(EXAMPLES / "deep_chain.cgraph")
    ev = evaluate(g)
    paths = list_paths(g, ev, "b")
    assert paths.count == 2 == len(paths.listed)
    assert all(p.nodes[0] == "g" and p.nodes[-1] == "b" for p in paths.listed)
    assert paths.sum == pytest.approx(ev.grads["b"], rel=1e-12)

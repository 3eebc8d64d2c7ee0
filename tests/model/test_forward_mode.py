import math
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cgeditor.model.evaluate import evaluate
from cgeditor.model.fileformat import load
from cgeditor.model.teaching.forward_mode import ForwardModeStep, forward_mode
from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind
from cgeditor.model.ops import get_op

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.cgraph"))
RANDOM_OPS = ["add", "mul", "sub", "div", "square", "neg", "tanh", "sin", "sigmoid", "max", "exp"]


def linear_example():
    """L = (x·w + b − y)² at x = 2, w = 3, b = 1, y = 5."""
    g = Graph()
    for name, value in {"x": 2, "w": 3, "b": 1, "y": 5}.items():
        g.add_node(Node(name, NodeKind.VARIABLE, value=float(value)))
    for name, op, sources in [("p", "mul", ["x", "w"]), ("s", "add", ["p", "b"]), ("d", "sub", ["s", "y"]),
                              ("L", "square", ["d"])]:
        g.add_node(Node(name, NodeKind.OP, op=op))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, name, port))
    g.set_output("L")
    return g


def assert_matches_reverse_mode(graph):
    """Forward mode from every node reaches the output with that node's reverse-mode gradient,
    up to the rounding that a different order of the same additions can cause."""
    ev = evaluate(graph)
    for node in ev.values:
        tangent = forward_mode(graph, ev, node).tangents[ev.output]
        bound = _path_sum_of_magnitudes(graph, ev, node)
        assert math.isclose(tangent, ev.grads[node], rel_tol=1e-12, abs_tol=max(1e-12 * bound, 1e-300)), node  # subnormals carry few digits


def _path_sum_of_magnitudes(graph, ev, wrt):
    """Σ over paths of |product of local gradients|: the scale rounding errors are relative to."""
    magnitudes = forward_mode(graph, ev, wrt)
    total = dict.fromkeys(magnitudes.tangents, 0.0)
    total[wrt] = 1.0
    for step in magnitudes.steps:
        total[step.edge.target] += total[step.edge.source] * abs(step.local)
    return total[ev.output]


def test_linear_example_tangent_of_L_with_respect_to_x_is_12():
    g = linear_example()
    result = forward_mode(g, evaluate(g), "x")
    assert result.wrt == "x"
    assert result.tangents == {"x": 1.0, "w": 0.0, "b": 0.0, "y": 0.0, "p": 3.0, "s": 3.0, "d": 3.0, "L": 12.0}


def test_steps_follow_topological_order_and_carry_tangent_local_contribution_total():
    g = linear_example()
    steps = forward_mode(g, evaluate(g), "w").steps
    assert steps == [
        ForwardModeStep(Edge("w", "p", 1), 1.0, 2.0, 2.0, 2.0),
        ForwardModeStep(Edge("p", "s", 0), 2.0, 1.0, 2.0, 2.0),
        ForwardModeStep(Edge("s", "d", 0), 2.0, 1.0, 2.0, 2.0),
        ForwardModeStep(Edge("d", "L", 0), 2.0, 4.0, 8.0, 8.0),
    ]
    edge, tangent_in, local, contribution, total = steps[-1]  # also a plain tuple
    assert (edge.target, total) == ("L", 8.0)


def test_fork_accumulates_the_running_total_at_the_join():
    g = load(Path(__file__).parents[2] / "resources" / "examples" / "two_paths.cgraph")
    result = forward_mode(g, evaluate(g), "b")
    into_e = [s for s in result.steps if s.edge.target == "e"]
    assert [s.total for s in into_e] == [into_e[0].contribution, 5.0]
    assert result.tangents["e"] == 5.0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_output_tangent_equals_reverse_gradient_on_every_example(path):
    assert_matches_reverse_mode(load(path))


@st.composite
def random_graphs(draw):
    g = Graph()
    for i in range(draw(st.integers(1, 4))):
        g.add_node(Node(f"v{i}", NodeKind.VARIABLE, value=draw(st.floats(-2.0, 2.0))))
    for i in range(draw(st.integers(1, 10))):
        op = get_op(draw(st.sampled_from(RANDOM_OPS)))
        arity = op.min_arity if op.max_arity is not None else draw(st.integers(op.min_arity, 3))
        sources = [draw(st.sampled_from(list(g.nodes))) for _ in range(arity)]  # repeats: parallel edges
        g.add_node(Node(f"n{i}", NodeKind.OP, op=op.name))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, f"n{i}", port))
    g.set_output(f"n{i}")
    return g


@settings(max_examples=200, deadline=None)
@given(random_graphs())
def test_output_tangent_equals_reverse_gradient_on_random_graphs(graph):
    ev = evaluate(graph)
    assume(all(math.isfinite(v) for v in ev.values.values()))
    assume(all(math.isfinite(v) for v in ev.edge_grads.values()))
    assert_matches_reverse_mode(graph)


def test_op_node_as_wrt_starts_there_and_ignores_its_inputs():
    g = linear_example()
    result = forward_mode(g, evaluate(g), "s")
    assert result.tangents["s"] == 1.0 and result.tangents["p"] == 0.0 and result.tangents["L"] == 4.0
    assert [s.edge.source for s in result.steps] == ["s", "d"]


def test_branch_not_depending_on_wrt_adds_no_nan_from_an_infinite_local_gradient():
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("c", NodeKind.CONSTANT, value=0.0))
    g.add_node(Node("lc", NodeKind.OP, op="log"))  # d log(c) / dc = 1/0 = inf
    g.add_node(Node("z", NodeKind.OP, op="add"))
    g.add_edge(Edge("c", "lc", 0))
    g.add_edge(Edge("x", "z", 0))
    g.add_edge(Edge("lc", "z", 1))
    ev = evaluate(g)
    result = forward_mode(g, ev, "x")
    assert result.tangents["z"] == 1.0 == ev.grads["x"]
    assert [s.edge for s in result.steps] == [Edge("x", "z", 0)]


def test_unknown_or_uncomputable_wrt_is_refused_by_name():
    g = linear_example()
    ev = evaluate(g)
    with pytest.raises(GraphError, match="'nope'"):
        forward_mode(g, ev, "nope")
    g.add_node(Node("loose", NodeKind.OP, op="neg"))  # no input: cannot be computed
    with pytest.raises(GraphError, match="loose cannot be computed"):
        forward_mode(g, evaluate(g, "L", strict=False), "loose")

"""The evaluator: forward values, reverse-mode gradients, backward steps, caching, and its limits."""

import math

import pytest

from helpers.example_numbers import CASES, case_id
from cgeditor.model.evaluate import Evaluator, OutputError, evaluate, resolve_output
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.validate import InvalidGraphError
from cgeditor.resources import example_path

V, C, O = NodeKind.VARIABLE, NodeKind.CONSTANT, NodeKind.OP


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_example_numbers(case):
    name, sets, values, grads = case
    g = load(example_path(name))
    for node_id, v in sets.items():
        g.set_value(node_id, v)
    result = evaluate(g)
    for node_id, want in values.items():
        assert result.values[node_id] == pytest.approx(want, rel=1e-12, abs=1e-12), node_id
    for node_id, want in grads.items():
        assert result.grads[node_id] == pytest.approx(want, rel=1e-12, abs=1e-12), node_id


def chain_rule():
    return load(example_path("chain_rule"))


def test_local_gradient_of_every_edge():
    result = evaluate(chain_rule())
    assert result.edge_grads == {
        Edge("x", "z1", 0): 3.0, Edge("y", "z1", 1): 2.0, Edge("x", "z2", 0): 1.0,
        Edge("z1", "z2", 1): 1.0, Edge("z2", "L", 0): 16.0,
    }


def test_backward_steps_run_from_the_output_and_sum_contributions():
    result = evaluate(chain_rule())
    steps = result.steps
    assert steps[0].edge == Edge("z2", "L", 0)
    assert (steps[0].upstream, steps[0].local, steps[0].contribution) == (1.0, 16.0, 16.0)
    into_x = [s for s in steps if s.edge.source == "x"]
    assert [s.final for s in into_x] == [False, True]
    assert into_x[-1].total == 64.0
    assert sum(s.contribution for s in into_x) == 64.0
    assert len(steps) == len(result.edge_grads)


def test_node_that_does_not_reach_the_output_has_zero_gradient():
    g = chain_rule()
    result = evaluate(g, output="z1")
    assert result.grads["z2"] == 0.0 and result.grads["L"] == 0.0
    assert result.grads["x"] == 3.0


def test_gradients_are_fresh_on_every_run():
    ev = Evaluator(chain_rule())
    first = ev.evaluate().grads
    second = ev.evaluate().grads
    assert first == second
    assert evaluate(chain_rule()).grads == first


def chain(n):
    g = Graph()
    g.add_node(Node("x", V, value=0.5))
    prev = "x"
    for i in range(n):
        g.add_node(Node(f"n{i}", O, op="neg"))
        g.add_edge(Edge(prev, f"n{i}", 0))
        prev = f"n{i}"
    return g, prev


def test_long_chain_evaluates_without_recursion():
    g, last = chain(200_000)
    result = Evaluator(g).evaluate()
    assert result.output == last
    assert result.values[last] == 0.5  # an even number of negations
    assert result.grads["x"] == 1.0


def test_value_change_recomputes_only_downstream():
    g = Graph()
    for name in ("a", "b", "c"):
        g.add_node(Node(name, V, value=1.0))
    g.add_node(Node("ab", O, op="mul"))
    g.add_node(Node("nc", O, op="neg"))
    g.add_node(Node("sq", O, op="square"))
    g.add_node(Node("out", O, op="add"))
    for e in [("a", "ab", 0), ("b", "ab", 1), ("c", "nc", 0), ("nc", "sq", 0), ("ab", "out", 0),
              ("sq", "out", 1)]:
        g.add_edge(Edge(*e))
    ev = Evaluator(g)
    assert ev.evaluate().recomputed == 4
    assert ev.evaluate().recomputed == 0
    g.set_value("a", 2.0)
    result = ev.evaluate()
    assert result.recomputed == 2  # ab and out; nc and sq keep their values
    assert result.values["out"] == 3.0
    g.set_value("c", 3.0)
    assert ev.evaluate().recomputed == 3  # nc, sq, out


def test_incremental_result_equals_fresh_evaluation():
    g = load(example_path("deep_chain"))
    ev = Evaluator(g)
    ev.evaluate()
    g.set_value("a", 1.25)
    incremental = ev.evaluate()
    fresh = evaluate(g)
    assert incremental.values == fresh.values and incremental.grads == fresh.grads


def test_structure_change_replans():
    g = chain_rule()
    ev = Evaluator(g)
    ev.evaluate()
    g.add_node(Node("k", C, value=10.0))
    g.add_node(Node("t", O, op="add"))
    g.add_edge(Edge("L", "t", 0))
    g.add_edge(Edge("k", "t", 1))
    result = ev.evaluate(output="t")
    assert result.values["t"] == 74.0


def broken():
    g = chain_rule()
    g.add_node(Node("s", O, op="sub"))
    g.add_edge(Edge("x", "s", 0))
    return g


def test_strict_evaluation_refuses_invalid_graph_with_every_problem():
    with pytest.raises(InvalidGraphError) as info:
        evaluate(broken(), output="L")
    assert [p.code for p in info.value.problems] == ["unconnected_port"]


def test_lenient_evaluation_computes_what_it_can():
    result = evaluate(broken(), output="L", strict=False)
    assert result.values["L"] == 64.0 and result.grads["x"] == 64.0
    assert "s" not in result.values
    assert [p.code for p in result.problems] == ["unconnected_port"]


def test_lenient_evaluation_without_an_output_still_gives_values():
    g = broken()
    g.set_output(None)  # sinks: L and s, and no choice between them
    result = evaluate(g, strict=False)
    assert result.output is None and result.grads == {}
    assert result.values["z2"] == 8.0


def test_output_defaults_to_the_only_sink_then_the_files_choice():
    g = chain_rule()
    g.set_output(None)
    assert resolve_output(g) == "L"
    g.set_output("z1")
    assert resolve_output(g) == "z1"
    assert resolve_output(g, "z2") == "z2"


def test_several_sinks_without_a_choice_lists_them():
    g = chain_rule()
    g.set_output(None)
    g.add_node(Node("k", C, value=1.0))
    with pytest.raises(OutputError, match="L, k"):
        evaluate(g)


def test_unknown_output_is_refused():
    with pytest.raises(OutputError, match="nope"):
        evaluate(chain_rule(), output="nope")


def test_non_finite_values_propagate_without_exceptions():
    g = chain_rule()
    g.set_value("x", math.inf)
    g.set_value("y", 0.0)
    result = evaluate(g)
    assert math.isnan(result.values["z1"])  # inf · 0
    assert math.isnan(result.values["L"])

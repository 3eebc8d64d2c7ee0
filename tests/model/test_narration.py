from pathlib import Path

import pytest

from cgeditor.model.evaluate import OutputError, evaluate
from cgeditor.model.fileformat import load
from cgeditor.model.teaching.forward_mode import forward_mode
from cgeditor.model.graph import Node, NodeKind
from cgeditor.model.teaching.narration import (narrate_backward, narrate_forward, narrate_forward_mode, path_text,
                                              paths_sum_text, symbol)
from cgeditor.model.teaching.paths import list_paths
from helpers.graph_builders import build, linear_example
from helpers.linear_walk import LINEAR_BACKWARD

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


def fork_example():
    """e = (a + b)(b + 1) at a = 2, b = 1."""
    return build({"a": 2, "b": 1, "one": 1},
                 [("c", "add", ["a", "b"]), ("d", "add", ["b", "one"]), ("e", "mul", ["c", "d"])])


def test_linear_example_narrates_each_backward_step_in_order_with_its_numbers():
    g = linear_example()
    assert narrate_backward(g, evaluate(g)).lines() == [
        "∂L/∂L = 1",
        "∂L/∂d += ∂L/∂L · ∂[d²]/∂d = 1 · 4 = 4",
        "∂L/∂s += ∂L/∂d · ∂d/∂s = 4 · 1 = 4",
        "∂L/∂y += ∂L/∂d · ∂d/∂y = 4 · (-1) = -4",
        "∂L/∂p += ∂L/∂s · ∂s/∂p = 4 · 1 = 4",
        "∂L/∂b += ∂L/∂s · ∂s/∂b = 4 · 1 = 4",
        "∂L/∂x += ∂L/∂p · ∂p/∂x = 4 · 3 = 12",
        "∂L/∂w += ∂L/∂p · ∂p/∂w = 4 · 2 = 8",
    ]


def test_steps_carry_index_edge_and_the_evaluator_step():
    g = linear_example()
    ev = evaluate(g)
    steps = narrate_backward(g, ev).steps
    assert [s.index for s in steps] == list(range(len(ev.steps)))
    assert [s.step for s in steps] == ev.steps
    assert [s.edge for s in steps] == [s.edge for s in ev.steps]
    assert all(s.summary is None for s in steps)  # no fork in this graph


def test_fork_summary_appears_when_the_last_path_reaches_b():
    g = fork_example()
    steps = narrate_backward(g, evaluate(g)).steps
    into_b = [s for s in steps if s.edge.source == "b"]
    assert len(into_b) == 2
    first, last = into_b
    assert first.summary is None
    terms = f"{first.step.upstream:g}·1 + {last.step.upstream:g}·1"  # in order of arrival
    assert last.summary == f"∂e/∂b = {terms} = 5"
    assert {first.step.upstream, last.step.upstream} == {2.0, 3.0}
    assert last.lines() == [last.text, last.summary]


def test_labels_name_the_nodes_and_multi_word_labels_are_parenthesised():
    g = linear_example()
    g.set_label("L", "loss")
    g.set_label("d", "the error")
    lines = narrate_backward(g, evaluate(g)).lines()
    assert lines[0] == "∂loss/∂loss = 1"
    assert lines[1] == "∂loss/∂(the error) += ∂loss/∂loss · ∂[(the error)²]/∂(the error) = 1 · 4 = 4"


def test_non_finite_numbers_are_written_out():
    g = linear_example()
    g.set_value("x", float("inf"))
    lines = narrate_backward(g, evaluate(g)).lines()
    assert lines[1] == "∂L/∂d += ∂L/∂L · ∂[d²]/∂d = 1 · inf = inf"


def test_narrating_without_an_output_is_refused():
    g = linear_example()
    g.add_node(Node("extra", NodeKind.VARIABLE, value=1.0))
    g.set_output(None)
    with pytest.raises(OutputError):
        narrate_backward(g, evaluate(g, strict=False))


def test_forward_narration_is_one_line_per_op_in_topological_order_with_registry_symbols():
    g = linear_example()
    steps = narrate_forward(g, evaluate(g))
    assert [s.text for s in steps] == [
        "p = x × w = 2 × 3 = 6",
        "s = p + b = 6 + 1 = 7",
        "d = s − y = 7 − 5 = 2",
        "L = d² = 2² = 4",
    ]
    assert [(s.index, s.node, s.value) for s in steps] == [(0, "p", 6.0), (1, "s", 7.0), (2, "d", 2.0), (3, "L", 4.0)]


def test_forward_narration_writes_functions_and_negative_operands_readably():
    g = build({"x": -0.5, "y": 2},
              [("t", "tanh", ["x"]), ("m", "max", ["t", "y"]), ("n", "neg", ["x"]), ("q", "pow", ["y", "x"]),
               ("a", "abs", ["x"]), ("r", "add", ["m", "n", "q", "a"])])
    texts = [s.text for s in narrate_forward(g, evaluate(g))]
    assert texts == [
        "t = tanh(x) = tanh(-0.5) = -0.4621",
        "m = max(t, y) = max(-0.4621, 2) = 2",
        "n = −x = −(-0.5) = 0.5",
        "q = y^x = 2^(-0.5) = 0.7071",
        "a = |x| = |-0.5| = 0.5",
        "r = m + n + q + a = 2 + 0.5 + 0.7071 + 0.5 = 3.707",
    ]


def test_path_text_shows_the_local_gradients_and_their_product():
    g = fork_example()
    ev = evaluate(g)
    paths = list_paths(g, ev, "b").listed
    assert [path_text(g, ev, p) for p in paths] == ["e → c → b: 2 · 1 = 2", "e → d → b: 3 · 1 = 3"]
    assert path_text(g, ev, list_paths(g, ev, "e").listed[0]) == "e: 1"


@pytest.mark.parametrize("label, shown", [
    ("z1 = x·y", "z1"), ("t (target)", "t"), ("ŷ = x·w + b", "ŷ"), ("x·w", "(x·w)"), ("d²", "(d²)"),
    ("3a", "(3a)"), ("w1", "w1"), ("=", "(=)"),
])
def test_symbol_takes_the_name_before_an_equals_sign_or_remark_and_brackets_the_rest(label, shown):
    g = linear_example()
    g.set_label("p", label)
    assert symbol(g, "p") == shown


def test_constants_sharing_a_label_are_told_apart_by_id_and_unique_names_stay_bare():
    g = load(EXAMPLES / "deep_chain.cgraph")  # three constants labelled 3, two labelled 2 and 5
    lines = narrate_backward(g, evaluate(g)).lines()
    threes = [line for line in lines if line.startswith("∂g/∂(3)")]
    assert [t.split(" += ")[0] for t in threes] == ["∂g/∂(3)[k3g]", "∂g/∂(3)[k3c]", "∂g/∂(3)[k3a]"]
    assert "∂g/∂(3)[k3a] += ∂g/∂(3a) · ∂(3a)/∂(3)[k3a] = (-1494) · 0.5 = -747" in lines
    assert "∂g/∂(6) += ∂g/∂d · ∂d/∂(6) = 282 · 1 = 282" in lines  # one 6: no id needed
    assert "(3a) = (3)[k3a] × a = 3 × 0.5 = 1.5" in [s.text for s in narrate_forward(g, evaluate(g))]


def test_paths_name_a_shared_label_by_id_down_to_the_node_itself():
    g = load(EXAMPLES / "deep_chain.cgraph")
    ev = evaluate(g)
    [path] = list_paths(g, ev, "k3c").listed
    assert path_text(g, ev, path) == "g → (3f) → f → e → (7c) → c → (3)[k3c]: 1 · 3 · 2 · 1 · 7 · 1 = 42"


def test_a_name_stops_carrying_its_id_once_it_is_no_longer_shared():
    g = linear_example()
    g.set_label("b", "w")
    assert (symbol(g, "b"), symbol(g, "w")) == ("w[b]", "w[w]")
    g.set_label("b", "bias")
    assert (symbol(g, "b"), symbol(g, "w")) == ("bias", "w")


def test_forward_mode_narration_pushes_tangents_from_the_input_up():
    g = linear_example()
    narration = narrate_forward_mode(g, forward_mode(g, evaluate(g), "x"))
    assert narration.lines() == [
        "∂x/∂x = 1",
        "∂p/∂x += ∂x/∂x · ∂[x × w]/∂x = 1 · 3 = 3",
        "∂s/∂x += ∂p/∂x · ∂s/∂p = 3 · 1 = 3",
        "∂d/∂x += ∂s/∂x · ∂d/∂s = 3 · 1 = 3",
        "∂L/∂x += ∂d/∂x · ∂L/∂d = 3 · 4 = 12",
    ]


def test_forward_mode_narration_sums_where_two_tangents_meet():
    g = fork_example()
    steps = narrate_forward_mode(g, forward_mode(g, evaluate(g), "b")).steps
    into_e = [s for s in steps if s.edge.target == "e"]
    assert [s.summary for s in into_e] == [None, "∂e/∂b = 1·2 + 1·3 = 5"]
    assert all(s.summary is None for s in steps if s.edge.target != "e")


def test_bundled_linear_regression_example_narrates_in_order_with_final_gradients_12_8_4_minus_4():
    g = load(EXAMPLES / "linear_regression.cgraph")
    narration = narrate_backward(g, evaluate(g))
    assert narration.lines() == ["∂L/∂L = 1", *LINEAR_BACKWARD[1:]]  # the walk opens with "Backward pass."
    finals = {s.edge.source: s.step.total for s in narration.steps if s.step.final}
    assert [finals[v] for v in ("x", "w", "b", "y")] == [12.0, 8.0, 4.0, -4.0]


def test_deep_chain_arithmetic_checks_out_as_printed():
    """It printed 3 × 1244 = 3734 (the values are 1244.5 and 3733.5) and 2 × 622.2 = 1244."""
    g = load(EXAMPLES / "deep_chain.cgraph")
    texts = [s.text for s in narrate_forward(g, evaluate(g))]
    assert "(3f) = (3)[k3g] × f = 3 × 1244.5 = 3733.5" in texts
    assert "f = (2)[k2f] × e = 2 × 622.25 = 1244.5" in texts


def test_the_output_edge_writes_its_local_derivative_through_the_formula_not_circularly():
    """∂L/∂z2 += ∂L/∂L · ∂L/∂z2 read as if the gradient were multiplied by itself."""
    g = load(EXAMPLES / "chain_rule.cgraph")
    first = narrate_backward(g, evaluate(g)).steps[0].text
    assert first == "∂L/∂z2 += ∂L/∂L · ∂[z2²]/∂z2 = 1 · 16 = 16"


def test_the_paths_sum_wraps_negative_terms_in_parentheses():
    """e = (a - b)(b + 1) at a = 2, b = 1: de/db = -(b + 1) + (a - b) = -2 + 1."""
    g = build({"a": 2, "b": 1, "one": 1},
              [("c", "sub", ["a", "b"]), ("d", "add", ["b", "one"]), ("e", "mul", ["c", "d"])])
    paths = list_paths(g, evaluate(g), "b")
    assert paths_sum_text("e", "b", paths) == "∂e/∂b = (-2) + 1 = -1"
    assert paths_sum_text("e", "a", list_paths(g, evaluate(g), "a")) == "∂e/∂a = 2"
    assert paths_sum_text("c", "d", list_paths(g, evaluate(g, "c"), "d")) == "∂c/∂d = 0 (no path from c down to d)"

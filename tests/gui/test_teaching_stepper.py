"""The step-through controller without a view: the walk's order, what each step reveals, the
running sums at a fork, the modes, and restarting when a value is edited mid-walk."""

from __future__ import annotations

import pytest

from cgeditor.editor.document.document import Document
from cgeditor.editor.teaching.stepper import StepThrough
from cgeditor.model.teaching.walk import Walk, WalkError
from cgeditor.model import fileformat
from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge
from cgeditor.resources import example_path

from helpers.linear_walk import LINEAR_BACKWARD, LINEAR_FORWARD


@pytest.fixture
def linear(qapp):
    return Document.open(example_path("linear_regression"))


def test_backward_walk_narrates_forward_then_backward_lines_in_order(linear):
    stepper = StepThrough(linear)
    seen = [stepper.state().callout]
    while stepper.next():
        seen.append(stepper.state().callout)
    assert [line for callout in seen for line in callout] == LINEAR_FORWARD + LINEAR_BACKWARD
    assert list(stepper.state().lines) == LINEAR_FORWARD + LINEAR_BACKWARD


def test_last_step_shows_final_gradients_12_8_4_minus_4(linear):
    stepper = StepThrough(linear)
    stepper.go_to(stepper.count() - 1)
    grads = stepper.state().grads
    assert {n: grads[n].value for n in ("x", "w", "b", "y")} == {"x": 12, "w": 8, "b": 4, "y": -4}
    assert all(grads[n].complete for n in grads)
    assert stepper.next() is False


def test_forward_pass_reveals_values_in_topological_order_and_hides_the_rest(linear):
    stepper = StepThrough(linear)
    start = stepper.state()
    assert start.values == {"x", "w", "b", "y"} and not start.grads and not start.edges
    stepper.next()
    assert stepper.state().values == {"x", "w", "b", "y", "xw"}
    assert stepper.state().current_node == "xw"
    stepper.next()
    assert "y_hat" in stepper.state().values and "r" not in stepper.state().values


def test_backward_step_reveals_its_edge_local_gradient_and_highlights_it(linear):
    stepper = StepThrough(linear)
    stepper.go_to(len(LINEAR_FORWARD) + 1)  # the first edge of the backward pass
    state = stepper.state()
    assert state.phase == "backward"
    assert state.current_edge == Edge("r", "L", 0)
    assert state.edges == {Edge("r", "L", 0)}
    assert state.grads["r"].text == "4" and state.grads["L"].text == "1"
    assert "x" not in state.grads


def test_fork_shows_running_sum_until_every_path_is_in(qapp):
    doc = Document.open(example_path("two_paths"))
    stepper = StepThrough(doc)
    walk_lines = []
    while stepper.next():
        state = stepper.state()
        walk_lines += state.callout
        if state.current_edge == Edge("b", "d", 0):
            assert state.grads["b"].text == "3 + …" and not state.grads["b"].complete
    assert stepper.state().grads["b"].text == "5"
    assert walk_lines[-1] == "∂e/∂b = 3·1 + 2·1 = 5"


def test_previous_and_reset_go_back(linear):
    stepper = StepThrough(linear)
    stepper.next()
    stepper.next()
    assert stepper.previous() and stepper.position == 1
    stepper.reset()
    assert stepper.position == 0 and stepper.previous() is False


def test_editing_a_value_mid_walk_restarts_at_the_forward_pass_keeping_the_mode(linear):
    stepper = StepThrough(linear)
    stepper.set_mode("forward_mode")
    stepper.set_wrt("x")
    stepper.go_to(7)
    linear.set_value("x", 3.0)
    linear.evaluate_now()
    assert stepper.position == 0 and stepper.mode == "forward_mode"
    assert stepper.state().callout == ("Forward pass. Given x = 3, w = 3, b = 1, y = 5",)


def test_renaming_mid_walk_keeps_the_position(linear):
    stepper = StepThrough(linear)
    stepper.go_to(3)
    linear.rename("x", "input")
    assert stepper.position == 3
    assert stepper.state().lines[0].startswith("Forward pass. Given input = 2")


def test_forward_mode_ends_with_d_output_d_input_equal_to_the_reverse_gradient(linear):
    stepper = StepThrough(linear)
    stepper.set_wrt("w")
    stepper.set_mode("forward_mode")
    stepper.go_to(stepper.count() - 1)
    state = stepper.state()
    assert state.grads["L"].value == 8 and state.grads["L"].complete
    assert state.grad_symbol.format("L") == "∂L/∂w"


def test_forward_mode_without_an_input_says_what_to_choose(linear):
    stepper = StepThrough(linear)
    stepper.set_mode("forward_mode")
    assert stepper.state() is None
    assert "choose the input" in stepper.problem


def test_quiz_hides_a_gradient_and_the_result_that_would_give_it_away():
    graph = fileformat.load(example_path("linear_regression"))
    walk = Walk(graph, evaluate(graph, strict=False))
    state = walk.state(len(walk) - 2, hidden=frozenset({"x"}))
    assert state.grads["x"].text == "?" and state.grads["x"].hidden
    assert state.callout == ("∂L/∂x += ∂L/∂(x·w) · ∂(x·w)/∂x = 4 · 3 = ?",)


def test_invalid_graph_cannot_be_walked_and_says_why():
    graph = fileformat.loads('{"format": "cgeditor-graph", "version": 1, "nodes": ['
                             '{"id": "s", "kind": "op", "op": "add"}], "edges": []}')
    with pytest.raises(WalkError, match="fix the graph first"):
        Walk(graph, evaluate(graph, strict=False))

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import GraphError, Node, NodeKind
from cgeditor.model.teaching.probes import (descent_step, finite_difference, gradient_check, nudge, results_markdown,
                                   train)
from helpers.graph_builders import build, linear_example


def smooth_example():
    """f = tanh(x·w) + exp(x): not a polynomial, so central differences have a truncation error."""
    return build({"x": 0.7, "w": -1.3},
                 [("p", "mul", ["x", "w"]), ("t", "tanh", ["p"]), ("e", "exp", ["x"]), ("f", "add", ["t", "e"])])


def watched(graph):
    """The graph, and the list its change notifications land in."""
    changes = []
    graph.subscribe(changes.append)
    return graph, changes


def test_descent_steps_lower_L_on_the_linear_example():
    g = linear_example()
    losses = [evaluate(g).values["L"]]
    for _ in range(5):
        for var, value in descent_step(g, None, ["w", "b"], 0.05).items():
            g.set_value(var, value)
        losses.append(evaluate(g).values["L"])
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))


def test_descent_step_returns_v_minus_lr_times_gradient_and_changes_nothing():
    g, changes = watched(linear_example())
    before = g.copy()
    assert descent_step(g, "L", ["x", "w", "b"], 0.1) == pytest.approx({"x": 2 - 1.2, "w": 3 - 0.8, "b": 1 - 0.4})
    assert g == before and changes == []


def test_train_reports_the_loss_before_and_after_each_step_and_leaves_the_graph_alone():
    g, changes = watched(linear_example())
    run = train(g, None, ["w", "b"], 0.05, 4)
    assert len(run.losses) == 5 and run.losses[0] == 4.0
    assert all(later < earlier for earlier, later in zip(run.losses, run.losses[1:]))
    stepped = linear_example()
    for _ in range(4):
        for var, value in descent_step(stepped, None, ["w", "b"], 0.05).items():
            stepped.set_value(var, value)
    assert run.values == {"w": stepped.nodes["w"].value, "b": stepped.nodes["b"].value}
    assert run.losses[-1] == evaluate(stepped).values["L"]
    assert changes == [] and g == linear_example()


def test_only_variables_can_be_trained():
    g = linear_example()
    g.add_node(Node("k", NodeKind.CONSTANT, value=1.0))
    with pytest.raises(GraphError, match="k is a constant"):
        descent_step(g, "L", ["w", "k"], 0.1)
    with pytest.raises(GraphError, match="p is an op; only variables"):
        train(g, "L", ["p"], 0.1, 3)


def test_finite_difference_is_close_to_the_ad_gradient_and_leaves_the_graph_unchanged():
    g, changes = watched(smooth_example())
    grads = evaluate(g).grads
    for var in ("x", "w"):
        assert finite_difference(g, None, var, 1e-5) == pytest.approx(grads[var], rel=1e-8)
    assert changes == [] and g == smooth_example()


def test_relative_error_shrinks_then_grows_as_h_shrinks():
    g = smooth_example()
    errors = [{c.var: c.rel_error for c in gradient_check(g, None, h)} for h in (1e-1, 1e-5, 1e-12)]
    for var in ("x", "w"):
        coarse, balanced, tiny = (e[var] for e in errors)
        assert balanced < coarse and balanced < tiny  # truncation error, then rounding error


def test_gradient_check_lists_every_variable_with_ad_fd_and_relative_error():
    g = linear_example()
    checks = gradient_check(g, None, 1e-4)
    assert [c.var for c in checks] == ["x", "w", "b", "y"]
    assert [c.ad_grad for c in checks] == [12.0, 8.0, 4.0, -4.0]
    for c in checks:
        assert c.fd_estimate == pytest.approx(c.ad_grad, rel=1e-8)
        assert c.rel_error == abs(c.ad_grad - c.fd_estimate) / max(abs(c.ad_grad), abs(c.fd_estimate))


def test_variable_off_the_output_path_checks_as_zero_with_zero_error():
    g = linear_example()
    g.add_node(Node("spare", NodeKind.VARIABLE, value=3.0))
    (spare,) = [c for c in gradient_check(g, "L", 1e-4) if c.var == "spare"]
    assert spare == ("spare", 0.0, 0.0, 0.0)


def test_nudge_compares_the_real_change_with_gradient_times_h():
    g, changes = watched(linear_example())
    delta, estimate = nudge(g, None, "w", 0.01)
    assert estimate == pytest.approx(0.08)
    assert delta == pytest.approx(2.02 ** 2 - 4.0)  # d = 2 + x·h, L = d²
    assert changes == []


def test_numerical_tools_refuse_op_nodes_and_steps_that_are_not_positive():
    g = linear_example()
    with pytest.raises(GraphError, match="p is an op"):
        finite_difference(g, None, "p", 1e-3)
    with pytest.raises(GraphError, match="p is an op"):
        nudge(g, None, "p", 1e-3)
    with pytest.raises(ValueError, match="must be positive"):
        finite_difference(g, None, "x", 0.0)
    with pytest.raises(ValueError, match="0 or more"):
        train(g, None, ["x"], 0.1, -1)


def test_results_markdown_has_one_row_per_node_label_value_gradient():
    g = linear_example()
    g.set_label("y", "y | target")
    assert results_markdown(g, evaluate(g)).splitlines() == [
        "| node | value | gradient |",
        "| --- | ---: | ---: |",
        "| x | 2 | 12 |",
        "| w | 3 | 8 |",
        "| b | 1 | 4 |",
        "| y \\| target | 5 | -4 |",
        "| p | 6 | 4 |",
        "| s | 7 | 4 |",
        "| d | 2 | 4 |",
        "| L | 4 | 1 |",
    ]


def test_results_markdown_marks_nodes_that_could_not_be_computed():
    g = linear_example()
    g.add_node(Node("loose", NodeKind.OP, op="neg"))
    rows = results_markdown(g, evaluate(g, "L", strict=False)).splitlines()
    assert rows[-1] == "| loose | — | — |"

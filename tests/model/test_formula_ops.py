"""User ops by formula: derived gradients agree with finite differences and with a correct
hand-written derivative; a wrong hand-written one is reported, never used."""

from __future__ import annotations

import math
import re

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.expression import ExpressionError
from cgeditor.model.formula_ops import block_from_formula, check_derivatives, derivative_text
from cgeditor.model.graph import Graph, GraphError
from helpers.graph_builders import build


def softplus_graph(t: float) -> Graph:
    g = build({"x": t}, [("s", "softplus", ["x"])])
    g.define_block(block_from_formula("softplus(t) = log(1 + exp(t))", g.blocks))
    return g


def test_a_formula_ops_derived_gradient_matches_finite_differences():
    for t in (-3.0, -0.5, 0.0, 1.2, 6.0):
        h = 1e-6
        slope = (evaluate(softplus_graph(t + h)).values["s"] - evaluate(softplus_graph(t - h)).values["s"]) / (2 * h)
        result = evaluate(softplus_graph(t))
        assert result.values["s"] == pytest.approx(math.log1p(math.exp(t)), rel=1e-12)
        assert result.grads["x"] == pytest.approx(slope, rel=1e-6)
        assert result.grads["x"] == pytest.approx(1.0 / (1.0 + math.exp(-t)), rel=1e-12)


def test_a_correct_hand_written_derivative_agrees_and_a_wrong_one_is_reported():
    block = block_from_formula("f(x, y) = x * sin(y) + x^2")
    assert check_derivatives(block, {"x": "sin(y) + 2*x", "y": "x * cos(y)"}) == []
    wrong = check_derivatives(block, {"x": "sin(y) + x", "y": "x * cos(y)"}, points=5, seed=3)
    assert len(wrong) == 5 and {d.param for d in wrong} == {"x"}
    first = wrong[0]
    assert first.derived == pytest.approx(math.sin(first.point["y"]) + 2 * first.point["x"])
    assert "d/dx at x = " in str(first) and "reverse mode gives" in str(first)


def test_the_blocks_own_hand_written_derivatives_are_checked_by_default():
    block = block_from_formula("softplus(t) = log(1 + exp(t))")
    block.derivatives = {"t": "1 / (1 + exp(t))"}  # the sigmoid of -t: a classic slip
    assert check_derivatives(block, points=4)
    block.derivatives = {"t": "exp(t) / (1 + exp(t))"}
    assert check_derivatives(block) == []


@pytest.mark.parametrize("formula, param, text", [
    ("softplus(t) = log(1 + exp(t))", "t", "1 / (1 + exp(t)) * exp(t)"),
    ("f(x, y) = x * sin(y)", "y", "x * cos(y)"),
    ("f(x, y) = x * sin(y)", "x", "sin(y)"),
    ("k(u) = exp(-u) + u", "u", "1 - exp(-u)"),
    ("c(a, b) = a", "b", "0"),
])
def test_derivative_text_writes_reverse_mode_out_readably(formula, param, text):
    assert derivative_text(block_from_formula(formula), param) == text


@pytest.mark.parametrize("formula, reason", [
    ("log(1 + exp(t))", "name(parameters) = formula"),
    ("f() = 3", "at least one parameter"),
    ("f(t) = t + w", "w is not a parameter of f"),
    ("f(t) = t +", "syntax error"),
    ("f(t, 2) = t", "must be a name"),
])
def test_a_malformed_formula_is_refused_with_the_reason(formula, reason):
    with pytest.raises(ExpressionError, match=re.escape(reason)):
        block_from_formula(formula)


def test_a_formula_op_may_not_shadow_a_built_in_op():
    with pytest.raises(GraphError, match="built-in op"):
        block_from_formula("tanh(t) = t", Graph().blocks)

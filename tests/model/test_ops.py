"""The op registry: values, local partials against finite differences, IEEE edge cases, templates."""

import math

import pytest

from cgeditor.model.ops import OPS, get_op

# For every op: points away from kinks and domain edges, and the value it must give there.
REFERENCE = {
    "add": [((1.5, -2.25), -0.75), ((1.0, 2.0, 3.5), 6.5)],
    "mul": [((1.5, -2.0), -3.0), ((2.0, 3.0, 4.0), 24.0)],
    "sub": [((5.0, 3.5), 1.5)],
    "div": [((3.0, 4.0), 0.75)],
    "pow": [((2.0, 3.0), 8.0), ((1.7, 0.5), math.sqrt(1.7))],
    "max": [((1.0, 2.0), 2.0), ((3.0, -1.0), 3.0)],
    "min": [((1.0, 2.0), 1.0), ((3.0, -1.0), -1.0)],
    "neg": [((2.5,), -2.5)],
    "square": [((-3.0,), 9.0)],
    "sqrt": [((6.25,), 2.5)],
    "exp": [((1.0,), math.e)],
    "log": [((math.e ** 2,), 2.0)],
    "sin": [((0.5,), math.sin(0.5))],
    "cos": [((0.5,), math.cos(0.5))],
    "tanh": [((0.3,), math.tanh(0.3))],
    "sigmoid": [((0.7,), 1.0 / (1.0 + math.exp(-0.7))), ((-2.0,), 1.0 / (1.0 + math.exp(2.0)))],
    "relu": [((1.25,), 1.25), ((-1.0,), 0.0)],
    "abs": [((-1.25,), 1.25), ((2.0,), 2.0)],
}

CASES = [(name, xs, want) for name, cases in REFERENCE.items() for xs, want in cases]


def case_id(case):
    name, xs, _ = case
    return f"{name}{xs}"


def test_every_op_has_reference_cases():
    assert set(REFERENCE) == set(OPS)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward_value(case):
    name, xs, want = case
    assert OPS[name].forward(*xs) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_partials_match_central_difference(case):
    name, xs, _ = case
    op = OPS[name]
    out = op.forward(*xs)
    partials = op.partials(list(xs), out)
    assert len(partials) == len(xs)
    for port in range(len(xs)):
        h = 1e-6 * max(1.0, abs(xs[port]))
        up = list(xs)
        down = list(xs)
        up[port] += h
        down[port] -= h
        numeric = (op.forward(*up) - op.forward(*down)) / (2 * h)
        assert partials[port] == pytest.approx(numeric, rel=1e-6, abs=1e-7), (name, port)


def test_ports_are_named_where_order_matters():
    assert OPS["sub"].ports == ("a", "b")
    assert OPS["div"].ports == ("a", "b")
    assert OPS["pow"].ports == ("base", "exp")


def test_arities():
    assert OPS["add"].accepts_arity(5) and OPS["mul"].accepts_arity(3)
    assert not OPS["add"].accepts_arity(1)
    assert not OPS["sub"].accepts_arity(3)
    assert OPS["tanh"].accepts_arity(1) and not OPS["tanh"].accepts_arity(2)
    assert get_op("nope") is None


# -- IEEE, never an exception --------------------------------------------------------------


def test_division_by_zero_is_infinite():
    assert OPS["div"].forward(1.0, 0.0) == math.inf
    assert OPS["div"].forward(-1.0, 0.0) == -math.inf
    assert math.isnan(OPS["div"].forward(0.0, 0.0))


def test_log_of_negative_is_nan_and_of_zero_is_minus_inf():
    assert math.isnan(OPS["log"].forward(-1.0))
    assert OPS["log"].forward(0.0) == -math.inf


def test_log_of_tiny_number_is_exact():
    assert OPS["log"].forward(5e-324) == pytest.approx(-744.44007, rel=1e-7)


def test_exp_overflow_is_inf():
    assert OPS["exp"].forward(1000.0) == math.inf
    assert OPS["exp"].partials([1000.0], math.inf) == (math.inf,)


def test_zero_times_inf_is_nan():
    assert math.isnan(OPS["mul"].forward(0.0, math.inf))


def test_sqrt_of_negative_is_nan():
    assert math.isnan(OPS["sqrt"].forward(-4.0))


def test_pow_overflow_and_domain_errors():
    assert OPS["pow"].forward(10.0, 400.0) == math.inf
    assert math.isnan(OPS["pow"].forward(-8.0, 1.0 / 3.0))
    assert OPS["pow"].forward(0.0, -1.0) == math.inf


def test_sin_of_inf_is_nan():
    assert math.isnan(OPS["sin"].forward(math.inf))


def test_relu_gradient_at_zero_is_zero():
    assert OPS["relu"].partials([0.0], 0.0) == (0.0,)


def test_abs_gradient_at_zero_is_zero():
    assert OPS["abs"].partials([0.0], 0.0) == (0.0,)


@pytest.mark.parametrize("name", ["max", "min"])
def test_tie_splits_gradient_equally(name):
    op = OPS[name]
    assert tuple(op.partials([2.0, 2.0], 2.0)) == (0.5, 0.5)


@pytest.mark.parametrize("x, want", [(1000.0, 1.0), (-1000.0, 0.0)])
def test_sigmoid_is_stable_for_large_inputs(x, want):
    op = OPS["sigmoid"]
    out = op.forward(x)
    assert out == want
    assert op.partials([x], out) == (0.0,)


def test_sigmoid_keeps_precision_for_very_negative_inputs():
    assert OPS["sigmoid"].forward(-50.0) == pytest.approx(math.exp(-50.0), rel=1e-12)


def test_mul_partial_with_a_zero_input_is_exact():
    assert list(OPS["mul"].partials([0.0, 3.0, 4.0], 0.0)) == [12.0, 0.0, 0.0]


def test_pow_partials_at_zero_base():
    d_base, d_exp = OPS["pow"].partials([0.0, 2.0], 0.0)
    assert d_base == 0.0 and d_exp == 0.0


# -- code templates --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_python_template_computes_forward(case):
    name, xs, _ = case
    op = OPS[name]
    names = [f"x{i}" for i in range(len(xs))]
    env = {"math": math, **dict(zip(names, xs))}
    assert eval(op.python(names), env) == pytest.approx(op.forward(*xs), rel=1e-12)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_python_partials_template_computes_partials(case):
    name, xs, _ = case
    op = OPS[name]
    names = [f"x{i}" for i in range(len(xs))]
    out = op.forward(*xs)
    env = {"math": math, "out": out, **dict(zip(names, xs))}
    codes = op.python_partials(names, "out")
    want = op.partials(list(xs), out)
    assert len(codes) == len(xs)
    for code, w in zip(codes, want):
        assert eval(code, env) == pytest.approx(w, rel=1e-12, abs=1e-15), code


@pytest.mark.parametrize("name, xs", [("max", (2.0, 2.0)), ("min", (2.0, 2.0)), ("relu", (0.0,)),
                                      ("abs", (0.0,)), ("max", (1.0, 3.0)), ("min", (1.0, 3.0))])
def test_python_partials_template_follows_kink_conventions(name, xs):
    op = OPS[name]
    names = [f"x{i}" for i in range(len(xs))]
    out = op.forward(*xs)
    env = {"math": math, "out": out, **dict(zip(names, xs))}
    got = [eval(code, env) for code in op.python_partials(names, "out")]
    assert got == list(op.partials(list(xs), out))

"""Typed programs: the right graph, the right numbers, and hostile text refused without running."""

import builtins
import math
import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cgeditor.model.evaluate import evaluate
from cgeditor.model.expression import (MAX_LENGTH, ExpressionError, MissingValueError,
                                       NotAVariableError, parse_program, program_variables)
from cgeditor.model.graph import NodeKind
from cgeditor.model.layout_metrics import count_crossings

MICROGRAD = """
a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d * 2 + relu(b + a)
d = d + 3 * d + relu(b - a)
e = c - d
f = e**2
g = f / 2.0
g = g + 10.0 / f
"""


def _run(text, **values):
    graph = parse_program(text, values)
    return graph, evaluate(graph)


# -- the seed examples typed as expressions ---------------------------------------------------


def test_chain_rule_example_gives_issue_2_numbers():
    graph, result = _run("L = (x + x*y)**2", x=2.0, y=3.0)
    assert graph.output == "L"
    assert result.values["L"] == 64.0
    assert result.grads["x"] == 64.0
    assert result.grads["y"] == 32.0


@pytest.mark.parametrize("text, values, output, grads", [
    ("L = (x*w + b - y)**2", {"x": 3.0, "w": 2.0, "b": 1.0, "y": 5.0}, 4.0,
     {"x": 8.0, "w": 12.0, "b": 4.0, "y": -4.0}),
    ("c = a + b; d = a * b; e = c * d", {"a": 2.0, "b": 1.0}, 6.0, {"a": 5.0, "b": 8.0}),
    ("f = x * y * z", {"x": 2.0, "y": 3.0, "z": 4.0}, 24.0, {"x": 12.0, "y": 8.0, "z": 6.0}),
    ("z = x^2 + 1", {"x": 2.0}, 5.0, {"x": 4.0}),
    ("o = tanh(x1*w1 + x2*w2 + b)",
     {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": 6.881373587019543},
     math.sqrt(0.5), {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}),
])
def test_seed_examples_typed_as_expressions(text, values, output, grads):
    graph, result = _run(text, **values)
    assert result.values[graph.output] == pytest.approx(output, rel=1e-12)
    for name, expected in grads.items():
        assert result.grads[name] == pytest.approx(expected, rel=1e-9, abs=1e-12), name


def test_micrograd_readme_program_gives_micrograd_numbers():
    graph, result = _run(MICROGRAD)
    assert graph.output == "g_2"
    assert result.values["g_2"] == pytest.approx(24.7041, abs=5e-5)
    assert result.grads["a"] == pytest.approx(138.8338, abs=5e-5)
    assert result.grads["b"] == pytest.approx(645.5773, abs=5e-5)


def test_micrograd_readme_with_augmented_assignment_gives_the_same_numbers():
    text = MICROGRAD.replace("c = c + c", "c += c").replace("c = c + 1 + c", "c += 1 + c")
    text = text.replace("d = d + d", "d += d").replace("d = d + 3", "d += 3").replace("g = g +", "g +=")
    _, result = _run(text)
    assert result.values[result.output] == pytest.approx(24.7041, abs=5e-5)
    assert result.grads["a"] == pytest.approx(138.8338, abs=5e-5)


def test_reassignment_gives_fresh_ids_and_later_uses_see_the_newest():
    graph = parse_program("c = a + b; c = c * 2; c = c + a", {"a": 1.0, "b": 2.0})
    assert [n for n in graph.nodes if n.startswith("c_") or n == "c"] == ["c", "c_2", "c_3"]
    assert [e.source for e in graph.in_edges("c_2")][0] == "c"
    assert [e.source for e in graph.in_edges("c_3")] == ["c_2", "a"]
    assert graph.output == "c_3"
    assert graph.node("c_2").label == "c_2"


def test_fresh_ids_avoid_names_the_program_uses():
    graph = parse_program("c = a + c_2; c = c * 2", {"a": 1.0, "c_2": 2.0})
    assert graph.node("c_2").kind is NodeKind.VARIABLE
    assert graph.node("c_3").op == "mul"


def test_number_assignment_declares_a_variable_with_that_value():
    graph = parse_program("a = -4.0; b = +2; c = a * b")
    assert graph.node("a").kind is NodeKind.VARIABLE and graph.node("a").value == -4.0
    assert graph.node("b").value == 2.0
    assert program_variables("a = -4.0; b = 2.0; c = a * b + x") == ["x"]


def test_values_override_declared_variables():
    graph = parse_program("a = 2.0; y = a * a", {"a": 3.0})
    assert evaluate(graph).values["y"] == 9.0


def test_assigning_a_name_aliases_the_node():
    graph = parse_program("b = a; c = b * b", {"a": 3.0})
    assert "b" not in graph
    assert [e.source for e in graph.in_edges("c")] == ["a", "a"]


def test_literals_are_constants_and_negative_literals_fold():
    graph = parse_program("y = x * -3 + 2.5", {"x": 1.0})
    constants = sorted(n.value for n in graph if n.kind is NodeKind.CONSTANT)
    assert constants == [-3.0, 2.5]
    assert not any(n.op == "neg" for n in graph)


def test_unary_minus_of_an_expression_is_a_neg_node_and_unary_plus_adds_nothing():
    graph = parse_program("y = -x + +x", {"x": 1.0})
    assert sorted(n.op for n in graph if n.kind is NodeKind.OP) == ["add", "neg"]


def test_chains_of_add_and_mul_flatten_into_one_node():
    graph = parse_program("y = a*b*c + a + b + c", {"a": 1.0, "b": 2.0, "c": 3.0})
    ops = {n.id: n.op for n in graph if n.kind is NodeKind.OP}
    assert sorted(ops.values()) == ["add", "mul"]
    assert len(graph.in_edges("mul")) == 3
    assert len(graph.in_edges("y")) == 4


def test_named_operands_are_not_flattened():
    graph = parse_program("p = a*b; q = p*c", {"a": 1.0, "b": 2.0, "c": 3.0})
    assert [e.source for e in graph.in_edges("q")] == ["p", "c"]


def test_caret_is_power_with_power_precedence():
    _, result = _run("y = x^2 + 1", x=3.0)
    assert result.values["y"] == 10.0
    _, result = _run("y = 2 * x^3", x=2.0)
    assert result.values["y"] == 16.0


def test_registry_functions_by_name_with_their_arity():
    _, result = _run("y = max(a, b) + min(a, b) + sqrt(a) + abs(-b) + add(a, b, a)", a=4.0, b=-1.0)
    assert result.values["y"] == 4.0 - 1.0 + 2.0 + 1.0 + 7.0


def test_newlines_semicolons_and_comments_separate_statements():
    graph = parse_program("a = x * 2  # double\n\nb = a + 1; c = b * b\n", {"x": 1.0})
    assert graph.output == "c"
    assert evaluate(graph).values["c"] == 9.0


def test_program_ending_in_an_expression_outputs_that_expression():
    graph = parse_program("a = x * 2\na + 1", {"x": 1.0})
    assert graph.node(graph.output).op == "add"


def test_default_value_fills_variables_without_one():
    graph = parse_program("y = x * z", default_value=1.0)
    assert graph.node("x").value == graph.node("z").value == 1.0


def test_parsed_graph_is_laid_out_without_crossings():
    graph = parse_program("L = (x + x*y)**2", {"x": 2.0, "y": 3.0})
    assert all(n.pos is not None for n in graph)
    assert count_crossings(graph, {n.id: n.pos for n in graph}) == 0


def test_program_variables_lists_variables_in_order_of_appearance():
    assert program_variables("L = (y + x*y)**2 + exp(z)") == ["y", "x", "z"]


# -- refusals ---------------------------------------------------------------------------------


def test_missing_values_are_named():
    with pytest.raises(MissingValueError, match="no value for variables x, y") as info:
        parse_program("x * y")
    assert info.value.names == ["x", "y"]


def test_value_for_a_name_that_is_not_a_variable_is_refused():
    with pytest.raises(NotAVariableError, match="no variable q .*its variables: x"):
        parse_program("y = x * 2", {"x": 1.0, "q": 2.0})
    with pytest.raises(NotAVariableError, match="no variable y"):
        parse_program("y = x * 2", {"x": 1.0, "y": 2.0})


HOSTILE = [
    ("__import__('os').system('x')", "attribute access", 1, 1),
    ("__import__('os')", "unknown function __import__", 1, 1),
    ("(lambda: 1)()", "lambda", 1, 2),
    ("y = x.y", "attribute access", 1, 5),
    ("x[0]", "subscript", 1, 1),
    ("'s'", "string", 1, 1),
    ("y = 1 if x else 2", "conditional expression", 1, 5),
    ("x < y", "comparison", 1, 1),
    ("f(x)", "unknown function f", 1, 1),
    ("exp(x, y)", "exp takes 1 argument, got 2", 1, 1),
    ("max(x)", "max takes 2 arguments, got 1", 1, 1),
    ("exp(x=1)", "keyword argument", 1, 5),
    ("max(*x)", "starred", 1, 5),
    ("(y := 3)", "assignment expression", 1, 2),
    ("import os", "import statement", 1, 1),
    ("from os import system", "import statement", 1, 1),
    ("class C: pass", "class definition", 1, 1),
    ("async def f(x): return x", "async function definition", 1, 1),
    ("def f(x):\n    import os\n    return x\ny = f(1)", "import statement is not allowed in f's body", 2, 5),
    ("def f(x):\n    return x.real\ny = f(1)", "attribute access", 2, 12),
    ("x = 1\nwhile x: pass", "while loop", 2, 1),
    ("a, b = 1, 2", "unpacking assignment", 1, 1),
    ("x.y = 2", "attribute access", 1, 1),
    ("x % 2", "operator %", 1, 1),
    ("x and y", "boolean operator", 1, 1),
    ("not x", "operator not", 1, 1),
    ("[x, y]", "list", 1, 1),
    ("True + x", "True is not allowed", 1, 1),
    ("f'{x}'", "f-string", 1, 1),
    ("x = ", "syntax error", 1, 5),
    ("y = x^2 + q.z", "attribute access", 1, 11),
    ("é = 1; y = é + x.real", "attribute access", 1, 16),
]


@pytest.fixture
def nothing_runs(monkeypatch):
    """Fail the test if anything tries to import, run a shell command or eval/exec text."""
    real_import = builtins.__import__
    imported = []

    def watching_import(name, *args, **kwargs):
        imported.append(name)
        return real_import(name, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError(f"called with {args!r}")

    monkeypatch.setattr(builtins, "__import__", watching_import)
    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    yield imported
    assert "os" not in imported and "subprocess" not in imported


@pytest.mark.parametrize("text, construct, line, column", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_program_is_refused_naming_construct_and_column(text, construct, line, column,
                                                                 nothing_runs):
    with pytest.raises(ExpressionError) as info:
        parse_program(text, default_value=1.0)
    error = info.value
    assert construct in str(error)
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith(f"line {line}, column {column}: ")


def test_error_is_a_value_error_on_one_line():
    with pytest.raises(ValueError) as info:
        parse_program("y = x.y\n")
    assert "\n" not in str(info.value)


def test_empty_program_is_refused():
    for text in ("", "   \n", "# only a comment"):
        with pytest.raises(ExpressionError, match="empty"):
            parse_program(text)


def test_overlong_program_is_refused_before_parsing():
    with pytest.raises(ExpressionError, match="too long"):
        parse_program("x + " * (MAX_LENGTH // 4) + "x")


@pytest.mark.parametrize("text", ["a-" * 20000 + "a", "-" * 20000 + "a", "(" * 300 + "a" + ")" * 300])
def test_deeply_nested_program_is_refused_cleanly(text):
    with pytest.raises(ExpressionError, match="nested|parenthes"):
        parse_program(text, default_value=1.0)


def test_moderately_deep_program_parses():
    graph = parse_program("a-" * 500 + "a", default_value=1.0)
    assert evaluate(graph).values[graph.output] == -499.0  # 501 a's


# -- generated expressions --------------------------------------------------------------------

VARIABLES = {"x": 0.7, "y": -1.3, "z": 2.1}
SMOOTH_FUNCTIONS = {"tanh": math.tanh, "sin": math.sin, "cos": math.cos,
                    "sigmoid": lambda v: 1.0 / (1.0 + math.exp(-v)), "square": lambda v: v * v}


class Unfit(Exception):
    """The generated expression leaves the range where the comparison is meaningful."""


def _trees(smooth: bool):
    leaves = st.one_of(st.sampled_from(sorted(VARIABLES)).map(lambda n: ("var", n)),
                       st.floats(0.25, 4.0).map(lambda v: ("num", round(v, 3))))
    binary = ["+", "-", "*", "/"] + ([] if smooth else ["^"])
    functions = sorted(SMOOTH_FUNCTIONS) + ([] if smooth else ["relu", "abs", "max", "min"])

    def extend(children):
        return st.one_of(
            st.tuples(st.just("bin"), st.sampled_from(binary), children, children),
            st.tuples(st.just("call"), st.sampled_from(functions), children, children),
            st.tuples(st.just("neg"), children),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _text(tree) -> str:
    kind = tree[0]
    if kind == "var":
        return tree[1]
    if kind == "num":
        return repr(tree[1])
    if kind == "neg":
        return f"(-{_text(tree[1])})"
    if kind == "bin":
        return f"({_text(tree[2])} {tree[1]} {_text(tree[3])})"
    name, a, b = tree[1], tree[2], tree[3]
    return f"{name}({_text(a)}, {_text(b)})" if name in ("max", "min") else f"{name}({_text(a)})"


def _value(tree, env) -> float:
    """Direct floating-point evaluation of the generated tree, refusing ill-conditioned spots."""
    kind = tree[0]
    if kind == "var":
        return env[tree[1]]
    if kind == "num":
        return tree[1]
    if kind == "neg":
        return -_value(tree[1], env)
    if kind == "bin":
        a, b = _value(tree[2], env), _value(tree[3], env)
        op = tree[1]
        if op == "/":
            if abs(b) < 0.1:
                raise Unfit
            result = a / b
        elif op == "^":
            if a <= 0.1 or abs(b) > 4:
                raise Unfit
            result = math.pow(a, b)
        else:
            result = a + b if op == "+" else a - b if op == "-" else a * b
    else:
        name, a = tree[1], _value(tree[2], env)
        if name in ("max", "min"):
            b = _value(tree[3], env)
            if abs(a - b) < 1e-3:
                raise Unfit
            result = max(a, b) if name == "max" else min(a, b)
        elif name == "relu":
            if abs(a) < 1e-3:
                raise Unfit
            result = max(a, 0.0)
        elif name == "abs":
            if abs(a) < 1e-3:
                raise Unfit
            result = abs(a)
        else:
            if name == "sigmoid" and abs(a) > 30:
                raise Unfit
            result = SMOOTH_FUNCTIONS[name](a)
    if not abs(result) < 1e3:
        raise Unfit
    return result


def _direct(tree, env):
    try:
        return _value(tree, env)
    except Unfit:
        assume(False)


def _parse_generated(tree):
    text = "out = " + _text(tree)
    used = program_variables(text)
    return parse_program(text, {name: VARIABLES[name] for name in used})


@settings(max_examples=150, deadline=None)
@given(_trees(smooth=False))
def test_generated_expressions_agree_with_direct_evaluation(tree):
    expected = _direct(tree, VARIABLES)
    graph = _parse_generated(tree)
    assert evaluate(graph).values[graph.output] == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(_trees(smooth=True))
def test_generated_gradients_agree_with_finite_differences(tree):
    _direct(tree, VARIABLES)
    graph = _parse_generated(tree)
    result = evaluate(graph)
    for name, value in VARIABLES.items():
        h = 1e-6
        up = _direct(tree, {**VARIABLES, name: value + h})
        down = _direct(tree, {**VARIABLES, name: value - h})
        numeric = (up - down) / (2 * h)
        assert result.grads.get(name, 0.0) == pytest.approx(numeric, rel=1e-4, abs=1e-5), name


@pytest.mark.parametrize("program", ["L = (x + x*y)**2", "L = (x + x*y)^2", "L = (x + x*y) ** 2.0"])
def test_squaring_becomes_a_square_node_with_no_exponent_constant(program):
    graph = parse_program(program, {"x": 2.0, "y": 3.0})
    assert graph.nodes["L"].op == "square"
    assert not [n for n in graph if n.kind is NodeKind.CONSTANT]
    assert evaluate(graph).grads["x"] == 64


def test_other_powers_stay_power_nodes():
    graph = parse_program("L = x**3", {"x": 2.0})
    assert graph.nodes["L"].op == "pow"

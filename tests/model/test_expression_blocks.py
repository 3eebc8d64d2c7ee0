"""Programs with `def`: blocks read from the text, and every misuse refused with its line."""

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.expression import ExpressionError, parse_program, program_variables
from cgeditor.model.graph import NodeKind
from helpers.block_programs import NEURON, WRITTEN_OUT

REFUSED = [
    # recursion, direct and through a block defined below
    ("def f(t):\n    return f(t) + 1\ny = f(x)", "recursion: f calls itself", 2),
    ("def f(t):\n    return g(t)\ndef g(t):\n    return f(t)\ny = f(x)",
     "g is used before it is defined (line 3)", 2),
    # the wrong number of arguments
    ("def f(a, b):\n    return a*b\ny = f(x)", "f takes 2 arguments (a, b), got 1", 3),
    ("def f(a):\n    return a\ny = f(x, x)", "f takes 1 argument (a), got 2", 3),
    # names used before they are defined
    ("y = f(x)\ndef f(t):\n    return t", "f is used before it is defined (line 2)", 1),
    ("def f(t):\n    return t * k\ny = f(x)", "k is used before it is defined in f", 2),
    ("def f(t):\n    u = v + t\n    v = t\n    return u\ny = f(x)", "v is used before it is defined in f", 2),
    # a block shadowing a built-in op, or defined twice
    ("def tanh(t):\n    return t\ny = tanh(x)", "cannot have the name of the built-in op tanh", 1),
    ("def f(t):\n    return t\ndef f(t):\n    return t\ny = f(x)", "block f is defined twice (first on line 1)", 3),
    # a body that is not assignments and one final return
    ("def f(t):\n    u = t * 2\ny = f(x)", "f's body must end with return", 2),
    ("def f(t):\n    return t\n    u = t\ny = f(x)", "return must be the last statement of f's body", 2),
    ("def f(t):\n    t * 2\n    return t\ny = f(x)", "an expression on its own does nothing in f's body", 2),
    ("def f(t):\n    return\ny = f(x)", "return needs a value", 2),
    ("def f(t):\n    if t:\n        return t\n    return t\ny = f(x)", "if statement is not allowed in f's body", 2),
    ("def f(t):\n    pass\ny = f(x)", "pass is not allowed in f's body", 2),
    ("def f(t):\n    def g(u):\n        return u\n    return g(t)\ny = f(x)", "a def inside a def", 2),
    ("def f(t):\n    for i in t:\n        t = t\n    return t\ny = f(x)", "for loop is not allowed in f's body", 2),
    # what a Python signature could say beyond plain parameters
    ("def f():\n    return 1\ny = f()", "a block needs at least one parameter", 1),
    ("def f(t=1):\n    return t\ny = f(x)", "a default value is not allowed", 1),
    ("def f(*t):\n    return t\ny = f(x)", "*args is not allowed", 1),
    ("def f(t, **k):\n    return t\ny = f(x)", "**kwargs is not allowed", 1),
    ("def f(t, *, u):\n    return t\ny = f(x, x)", "keyword-only parameters", 1),
    ("def f(t, /):\n    return t\ny = f(x)", "positional-only parameters", 1),
    ("def f(t: float):\n    return t\ny = f(x)", "an annotation is not allowed", 1),
    ("def f(t) -> float:\n    return t\ny = f(x)", "a return annotation is not allowed", 1),
    ("@g\ndef f(t):\n    return t\ny = f(x)", "a decorator is not allowed", 1),
    ("def f(t, t):\n    return t\ny = f(x, x)", "parameter t is listed twice", 1),
    ("def f(t):\n    return t\ndef g(f):\n    return f\ny = g(x)", "parameter f has the name of a block", 3),
    # a block's name used as a variable, and calls of a block other than by position
    ("def f(t):\n    return t\ny = f * 2", "f is a block: call it, as f(...)", 3),
    ("def f(t):\n    return t\nf = x * 2", "f is a block (line 1): a variable cannot have its name", 3),
    ("def f(t):\n    return t\ny = f(t=x)", "keyword argument (t=...) is not allowed", 3),
    ("def f(t):\n    return t\ny = g(x)", "unknown function g (functions: ", 3),
    # a return outside a def, and a program that computes nothing
    ("return x", "return statement is allowed only as the last statement of a def", 1),
]


@pytest.mark.parametrize("text, reason, line", REFUSED, ids=[r[1] for r in REFUSED])
def test_misused_def_is_refused_with_its_line_and_reason(text, reason, line):
    with pytest.raises(ExpressionError) as info:
        parse_program(text, default_value=1.0)
    assert reason in info.value.reason
    assert info.value.line == line
    assert str(info.value).startswith(f"line {line}, ")


def _chain(levels, call):
    lines = ["def f0(t):\n    return t + 1"]
    lines += [f"def f{i}(t):\n    return {call.format(f=f'f{i - 1}')}" for i in range(1, levels)]
    return "\n".join(lines) + f"\ny = f{levels - 1}(x)"


def test_blocks_calling_blocks_twice_are_refused_before_they_explode():
    with pytest.raises(ExpressionError, match=r"block 'f16' would have 262,143 nodes with every "
                                              r"instance written out \(at most 200,000\)") as info:
        parse_program(_chain(40, "{f}({f}(t))"), default_value=1.0)
    assert info.value.line == 34


def test_a_program_written_out_past_the_node_limit_is_refused_at_its_statement():
    text = _chain(16, "{f}({f}(t))") + "\ny2 = f15(x)"  # f15 is 131,071 nodes written out
    with pytest.raises(ExpressionError, match="the program would have 262,143 nodes") as info:
        parse_program(text, default_value=1.0)
    assert info.value.line == 34


def test_blocks_nest_at_most_32_deep():
    assert len(parse_program(_chain(32, "{f}(t) * 2"), default_value=1.0).blocks) == 32
    with pytest.raises(ExpressionError, match=r"block 'f32' nests blocks 33 deep \(at most 32\)") as info:
        parse_program(_chain(33, "{f}(t) * 2"), default_value=1.0)
    assert info.value.line == 66


def test_a_program_defines_at_most_256_blocks():
    text = "".join(f"def f{i}(t):\n    return t\n" for i in range(257)) + "y = f0(x)"
    with pytest.raises(ExpressionError, match="a program defines at most 256 blocks") as info:
        parse_program(text, default_value=1.0)
    assert info.value.line == 2 * 256 + 1


def test_program_that_only_defines_blocks_is_refused_naming_one():
    with pytest.raises(ExpressionError, match=r"only defines blocks: .* y = softplus\(\.\.\.\)"):
        parse_program("def softplus(t):\n    return log(1 + exp(t))\n")


def test_unknown_function_suggests_a_block_of_the_program():
    with pytest.raises(ExpressionError, match="did you mean softplus.*blocks: softplus"):
        parse_program("def softplus(t):\n    return log(1 + exp(t))\ny = sofplus(x)", default_value=1.0)


def test_program_variables_are_the_top_level_names_not_the_parameters():
    assert program_variables(NEURON) == ["x1", "x2", "a", "c", "b1", "v"]


# -- blocks as graphs ---------------------------------------------------------------------------

VALUES = {"x1": 0.7, "x2": -1.2, "a": 0.4, "c": -0.9, "b1": 0.3, "v": 1.7}


def _same_numbers(program, written_out, values, names):
    with_blocks = evaluate(parse_program(program, values))
    plain = evaluate(parse_program(written_out, values))
    for name in names:
        assert with_blocks.values[name] == pytest.approx(plain.values[name], rel=1e-12, abs=1e-15), name
        assert with_blocks.grads[name] == pytest.approx(plain.grads[name], rel=1e-12, abs=1e-15), name


def test_issue_program_has_the_numbers_of_the_program_written_out():
    _same_numbers(NEURON, WRITTEN_OUT, VALUES, [*VALUES, "h1", "L"])


def test_defs_become_blocks_in_definition_order_and_calls_instance_nodes():
    graph = parse_program(NEURON, VALUES)
    assert graph.blocks.names() == ["softplus", "neuron"]
    neuron = graph.blocks["neuron"]
    assert neuron.params == ("x1", "x2", "w1", "w2", "b")
    assert graph.node("h1").op == "neuron" and graph.node("L").op == "softplus"
    assert [e.source for e in graph.in_edges("h1")] == ["x1", "x2", "a", "c", "b1"]
    assert neuron.body.node(neuron.body.output).op == "tanh"
    assert neuron.body.node("z").op == "add"
    assert all(n.pos is not None for n in neuron.body)


def test_top_level_names_stay_variables_with_their_names():
    graph = parse_program(NEURON, VALUES)
    variables = [n.id for n in graph if n.kind is NodeKind.VARIABLE]
    assert variables == ["x1", "x2", "a", "c", "b1", "v"]
    assert graph.output == "L"


def test_blocks_calling_earlier_blocks_have_the_numbers_written_out():
    program = ("def sq(t):\n    return t * t\n"
               "def dist(a, b):\n    d = sq(a) + sq(b)\n    return sqrt(d)\n"
               "r = dist(x - 1, y * 2)\nL = sq(r) + dist(r, x)")
    written_out = "r = sqrt((x - 1)*(x - 1) + (y*2)*(y*2))\nL = r*r + sqrt(r*r + x*x)"
    _same_numbers(program, written_out, {"x": 0.3, "y": -1.4}, ["x", "y", "r", "L"])
    graph = parse_program(program, {"x": 0.3, "y": -1.4})
    assert {n.op for n in graph.blocks["dist"].body if n.kind is NodeKind.OP} == {"sq", "add", "sqrt"}


def test_a_body_may_reassign_a_parameter_and_name_a_constant():
    graph = parse_program("def f(t):\n    k = 3.0\n    t = t * k\n    t += 1\n    return t\ny = f(x)",
                          {"x": 2.0})
    body = graph.blocks["f"].body
    assert body.node("k").kind is NodeKind.CONSTANT and body.node("k").value == 3.0
    assert [n.id for n in body if n.kind is NodeKind.VARIABLE] == ["t"]
    result = evaluate(graph)
    assert (result.values["y"], result.grads["x"]) == (7.0, 3.0)


def test_unused_block_and_unused_parameter_are_kept():
    graph = parse_program("def f(t, u):\n    return t * 2\ndef g(s):\n    return s\ny = f(x, x)", {"x": 1.5})
    assert graph.blocks.names() == ["f", "g"]
    assert "u" in graph.blocks["f"].body
    assert evaluate(graph).grads["x"] == 2.0

"""Programs with `def`: blocks read from the text, and every misuse refused with its line."""

import pytest

from cgeditor.model.expression import ExpressionError, parse_program, program_variables

NEURON = """\
def softplus(t):
    return log(1 + exp(t))

def neuron(x1, x2, w1, w2, b):
    z = x1*w1 + x2*w2 + b
    return tanh(z)

h1 = neuron(x1, x2, a, c, b1)
L = softplus(h1 * v)
"""

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


def test_program_that_only_defines_blocks_is_refused_naming_one():
    with pytest.raises(ExpressionError, match=r"only defines blocks: .* y = softplus\(\.\.\.\)"):
        parse_program("def softplus(t):\n    return log(1 + exp(t))\n")


def test_unknown_function_suggests_a_block_of_the_program():
    with pytest.raises(ExpressionError, match="did you mean softplus.*blocks: softplus"):
        parse_program("def softplus(t):\n    return log(1 + exp(t))\ny = sofplus(x)", default_value=1.0)


def test_program_variables_are_the_top_level_names_not_the_parameters():
    assert program_variables(NEURON) == ["x1", "x2", "a", "c", "b1", "v"]

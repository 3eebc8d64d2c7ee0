"""The op registry: the one place that says what every operation is.

Each op states its arity, its symbol, its forward function and the local partial derivative
for each input port, plus the code templates the exporters use.  The evaluator, palette,
file loader, expression parser and exporters all read this table, so adding an op touches
only this module.

Arithmetic follows IEEE 754 and PyTorch's conventions: nothing here raises.  Division by
zero gives ±inf, a domain error gives nan, an overflow gives inf, and kinks take PyTorch's
subgradient (relu'(0) = 0, abs'(0) = 0, max/min split a tie equally).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

from cgeditor.model.records import Frozen

INF = math.inf
NAN = math.nan

Forward = Callable[..., float]
Partials = Callable[[Sequence[float], float], Sequence[float]]
CodeTemplate = Callable[[Sequence[str]], str]


class Op(Frozen):
    """One operation: what it computes, how it differentiates, how it is written.

    Read-only once made (see `records`).

    `fast` (optional): (forward, partials) as Python expressions over inputs `x`, `y` and the
    output `out`, for a node with exactly `min_arity` inputs, in this module's namespace.  The
    evaluator inlines them into its loop, which saves two calls and a list per node.  A
    fixed-arity op gets `forward` and `partials` compiled from them (`_templated`); a variadic
    one keeps functions for any number of inputs, which a test checks they equal.
    """

    __slots__ = ("name", "symbol", "title", "min_arity", "max_arity", "forward", "partials", "python",
                 "python_partials", "torch", "ports", "infix", "category", "aliases", "short_title", "fast")

    name: str
    symbol: str
    title: str
    min_arity: int
    max_arity: int | None  # None: any number of inputs from min_arity up
    forward: Forward  # forward(*inputs) -> output
    partials: Partials  # partials(inputs, output) -> d output / d input, one per port
    python: CodeTemplate  # plain Python (with ``math``) for the forward value
    python_partials: Callable[[Sequence[str], str], Sequence[str]]  # per port, given output name
    torch: CodeTemplate  # PyTorch expression on tensors
    ports: tuple[str, ...]  # names of the ports where order matters
    infix: str | None  # the Python operator the expression parser maps to this op
    category: str
    aliases: tuple[str, ...]
    short_title: str  # what a narrow list (the palette) shows when `title` is long; "" = title
    fast: tuple[str, str] | None

    def __init__(self, name: str, symbol: str, title: str, min_arity: int, max_arity: int | None,
                 forward: Forward, partials: Partials, python: CodeTemplate,
                 python_partials: Callable[[Sequence[str], str], Sequence[str]], torch: CodeTemplate,
                 ports: tuple[str, ...] = (), infix: str | None = None, category: str = "arithmetic",
                 aliases: tuple[str, ...] = (), short_title: str = "", fast: tuple[str, str] | None = None) -> None:
        self._set(name, symbol, title, min_arity, max_arity, forward, partials, python, python_partials, torch,
                  ports, infix, category, aliases, short_title, fast)

    @property
    def variadic(self) -> bool:
        return self.max_arity is None

    def accepts_arity(self, n: int) -> bool:
        return n >= self.min_arity and (self.max_arity is None or n <= self.max_arity)

    def port_name(self, port: int) -> str:
        """A port's display name: its declared name, or its number where order does not matter."""
        return self.ports[port] if port < len(self.ports) else str(port)


# -- IEEE-safe scalar helpers -------------------------------------------------------------


def safe_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0.0:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def safe_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        odd = b == int(b) and int(b) % 2 == 1 if math.isfinite(b) else False
        return -INF if (a < 0 and odd) else INF
    except ValueError:
        if a == 0.0 and b < 0:
            odd = b == int(b) and int(b) % 2 == 1
            return math.copysign(INF, a) if odd else INF
        return NAN


def safe_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def safe_log(x: float) -> float:
    if x > 0.0:
        return math.log(x)  # exact for subnormals too: no underflow to -inf before the log
    if x == 0.0:
        return -INF
    return NAN  # negative or nan


def safe_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0.0 else NAN


def safe_sin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else NAN


def safe_cos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else NAN


def sigmoid(x: float) -> float:
    """Logistic function in the form that neither overflows nor loses precision for large |x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    if x != x:
        return NAN
    e = safe_exp(x)
    return e / (1.0 + e)


def relu(x: float) -> float:
    return x if (x > 0.0 or x != x) else 0.0


def sign(x: float) -> float:
    """d|x|/dx as PyTorch takes it: 0 at 0, nan at nan."""
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x  # 0.0 or nan


# -- derivatives that need more than a one-liner --------------------------------------------


def _mul_partials(xs: Sequence[float], _out: float) -> list[float]:
    """Product of all the other inputs, without dividing (so zeros are handled exactly)."""
    n = len(xs)
    if n == 2:
        return [xs[1], xs[0]]
    prefix = [1.0] * n
    acc = 1.0
    for i in range(n):
        prefix[i] = acc
        acc *= xs[i]
    result = [0.0] * n
    acc = 1.0
    for i in range(n - 1, -1, -1):
        result[i] = prefix[i] * acc
        acc *= xs[i]
    return result


def _sum(*xs: float) -> float:
    """Left to right, as PyTorch adds ``a + b + c``."""
    if len(xs) == 2:
        return xs[0] + xs[1]
    acc = xs[0]
    for x in xs[1:]:
        acc += x
    return acc


_ONES2 = (1.0, 1.0)
_SUB_PARTIALS = (1.0, -1.0)
_NEG_PARTIAL = (-1.0,)


def _product(*xs: float) -> float:
    if len(xs) == 2:
        return xs[0] * xs[1]
    acc = 1.0
    for x in xs:
        acc *= x
    return acc


def _pow_partials(xs: Sequence[float], out: float) -> tuple[float, float]:
    a, b = xs
    d_base = 0.0 if b == 0.0 else b * safe_pow(a, b - 1.0)
    d_exp = 0.0 if (a == 0.0 and b >= 0.0) else out * safe_log(a)
    return d_base, d_exp


def _tie_split(first_wins: bool, tie: bool) -> tuple[float, float]:
    if tie:
        return 0.5, 0.5
    return (1.0, 0.0) if first_wins else (0.0, 1.0)


def _max(a: float, b: float) -> float:
    if a != a or b != b:
        return NAN
    return a if a >= b else b


def _min(a: float, b: float) -> float:
    if a != a or b != b:
        return NAN
    return a if a <= b else b


def _sqrt_partial(xs: Sequence[float], out: float) -> tuple[float]:
    return (safe_div(0.5, out),)


# -- the registry ---------------------------------------------------------------------------


def _join(sep: str) -> CodeTemplate:
    return lambda a: "(" + sep.join(a) + ")"


def _call(fn: str) -> CodeTemplate:
    return lambda a: f"{fn}({', '.join(a)})"


def _templated(forward: str, partials: str, arity: int) -> dict:
    """`forward`, `partials` and `fast` for an op whose inputs are `x` (and `y`), all from one
    pair of expressions: the evaluator pastes them into its loop, and the registry's functions
    are the same text compiled, so the derivative is written once."""
    args = "x" if arity == 1 else "x, y"
    source = (f"def forward({args}):\n    return {forward}\n"
              f"def partials(xs, out):\n    {args}{',' if arity == 1 else ''} = xs\n    return {partials}\n")
    namespace = dict(globals())
    exec(compile(source, f"<cgeditor op templates {forward}>", "exec"), namespace)  # noqa: S102 - our text
    return {"forward": namespace["forward"], "partials": namespace["partials"], "fast": (forward, partials)}


_OPS: list[Op] = [
    # add and mul take any number of inputs: their functions are the general case, and the
    # `fast` templates the two-input one the evaluator inlines.
    Op(name="add", symbol="+", title="Add", min_arity=2, max_arity=None, forward=_sum,
       partials=lambda xs, out: _ONES2 if len(xs) == 2 else (1.0,) * len(xs),
       python=_join(" + "), python_partials=lambda a, o: ["1.0"] * len(a), torch=_join(" + "),
       infix="+", fast=("x + y", "_ONES2")),
    Op(name="mul", symbol="×", title="Multiply", min_arity=2, max_arity=None, forward=_product,
       partials=_mul_partials, python=_join(" * "),
       python_partials=lambda a, o: [" * ".join(a[:i] + a[i + 1:]) for i in range(len(a))],
       torch=_join(" * "), infix="*", fast=("x * y", "(y, x)")),
    Op(name="sub", symbol="−", title="Subtract", min_arity=2, max_arity=2,
       **_templated("x - y", "_SUB_PARTIALS", 2),
       python=_join(" - "), python_partials=lambda a, o: ["1.0", "-1.0"], torch=_join(" - "),
       ports=("a", "b"), infix="-"),
    Op(name="div", symbol="÷", title="Divide", min_arity=2, max_arity=2, forward=safe_div,
       partials=lambda xs, out: (safe_div(1.0, xs[1]), -safe_div(xs[0], xs[1] * xs[1])),
       python=_join(" / "), python_partials=lambda a, o: [f"1.0 / {a[1]}", f"-{a[0]} / {a[1]} ** 2"],
       torch=_join(" / "), ports=("a", "b"), infix="/"),
    Op(name="pow", symbol="xʸ", title="Power", min_arity=2, max_arity=2, forward=safe_pow,
       partials=_pow_partials, python=_join(" ** "),
       python_partials=lambda a, o: [f"{a[1]} * {a[0]} ** ({a[1]} - 1)", f"{o} * math.log({a[0]})"],
       torch=_join(" ** "), ports=("base", "exp"), infix="**"),
    Op(name="max", symbol="max", title="Maximum", min_arity=2, max_arity=2, forward=_max,
       partials=lambda xs, out: _tie_split(xs[0] > xs[1], xs[0] == xs[1]), python=_call("max"),
       python_partials=lambda a, o: [f"(1.0 if {a[0]} > {a[1]} else 0.5 if {a[0]} == {a[1]} else 0.0)",
                                     f"(1.0 if {a[1]} > {a[0]} else 0.5 if {a[0]} == {a[1]} else 0.0)"],
       torch=_call("torch.maximum"), category="comparison"),
    Op(name="min", symbol="min", title="Minimum", min_arity=2, max_arity=2, forward=_min,
       partials=lambda xs, out: _tie_split(xs[0] < xs[1], xs[0] == xs[1]), python=_call("min"),
       python_partials=lambda a, o: [f"(1.0 if {a[0]} < {a[1]} else 0.5 if {a[0]} == {a[1]} else 0.0)",
                                     f"(1.0 if {a[1]} < {a[0]} else 0.5 if {a[0]} == {a[1]} else 0.0)"],
       torch=_call("torch.minimum"), category="comparison"),
    Op(name="neg", symbol="−x", title="Negate", min_arity=1, max_arity=1,
       **_templated("-x", "_NEG_PARTIAL", 1),
       python=lambda a: f"(-{a[0]})", python_partials=lambda a, o: ["-1.0"], torch=lambda a: f"(-{a[0]})"),
    Op(name="square", symbol="x²", title="Square", min_arity=1, max_arity=1,
       **_templated("x * x", "(2.0 * x,)", 1),
       python=lambda a: f"({a[0]} ** 2)", python_partials=lambda a, o: [f"2.0 * {a[0]}"],
       torch=lambda a: f"({a[0]} ** 2)"),
    Op(name="sqrt", symbol="√", title="Square root", min_arity=1, max_arity=1, forward=safe_sqrt,
       partials=_sqrt_partial, python=_call("math.sqrt"), python_partials=lambda a, o: [f"0.5 / {o}"],
       torch=_call("torch.sqrt"), category="function"),
    Op(name="exp", symbol="exp", title="Exponential", min_arity=1, max_arity=1,
       **_templated("safe_exp(x)", "(out,)", 1),
       python=_call("math.exp"), python_partials=lambda a, o: [o], torch=_call("torch.exp"),
       category="function"),
    Op(name="log", symbol="ln", title="Natural log", min_arity=1, max_arity=1, forward=safe_log,
       partials=lambda xs, out: (safe_div(1.0, xs[0]),), python=_call("math.log"),
       python_partials=lambda a, o: [f"1.0 / {a[0]}"], torch=_call("torch.log"), category="function"),
    Op(name="sin", symbol="sin", title="Sine", min_arity=1, max_arity=1, forward=safe_sin,
       partials=lambda xs, out: (safe_cos(xs[0]),), python=_call("math.sin"),
       python_partials=lambda a, o: [f"math.cos({a[0]})"], torch=_call("torch.sin"), category="function"),
    Op(name="cos", symbol="cos", title="Cosine", min_arity=1, max_arity=1, forward=safe_cos,
       partials=lambda xs, out: (-safe_sin(xs[0]),), python=_call("math.cos"),
       python_partials=lambda a, o: [f"-math.sin({a[0]})"], torch=_call("torch.cos"), category="function"),
    Op(name="tanh", symbol="tanh", title="Hyperbolic tangent", short_title="Tanh", min_arity=1,
       max_arity=1, **_templated("math.tanh(x)", "(1.0 - out * out,)", 1),
       python=_call("math.tanh"), python_partials=lambda a, o: [f"1.0 - {o} ** 2"],
       torch=_call("torch.tanh"), category="activation"),
    Op(name="sigmoid", symbol="σ", title="Sigmoid", min_arity=1, max_arity=1,
       **_templated("sigmoid(x)", "(out * (1.0 - out),)", 1),
       python=lambda a: f"(1.0 / (1.0 + math.exp(-{a[0]})))", python_partials=lambda a, o: [f"{o} * (1.0 - {o})"],
       torch=_call("torch.sigmoid"), category="activation"),
    Op(name="relu", symbol="ReLU", title="Rectified linear", short_title="ReLU", min_arity=1, max_arity=1,
       **_templated("relu(x)", "(1.0 if x > 0.0 else 0.0,)", 1),
       python=lambda a: f"max({a[0]}, 0.0)", python_partials=lambda a, o: [f"(1.0 if {a[0]} > 0 else 0.0)"],
       torch=_call("torch.relu"), category="activation"),
    Op(name="abs", symbol="|x|", title="Absolute value", short_title="Absolute", min_arity=1,
       max_arity=1, forward=abs,
       partials=lambda xs, out: (sign(xs[0]),), python=_call("abs"),
       python_partials=lambda a, o: [f"math.copysign(1.0, {a[0]}) if {a[0]} != 0 else 0.0"],
       torch=_call("torch.abs"), category="function"),
]

OPS: dict[str, Op] = {op.name: op for op in _OPS}
"""Every op by name, in palette order."""

INFIX_OPS: dict[str, Op] = {op.infix: op for op in _OPS if op.infix}


def get_op(name: str) -> Op | None:
    return OPS.get(name)

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
from dataclasses import dataclass, field
from typing import Callable, Sequence

INF = math.inf
NAN = math.nan

Forward = Callable[..., float]
Partials = Callable[[Sequence[float], float], Sequence[float]]
CodeTemplate = Callable[[Sequence[str]], str]


@dataclass(frozen=True)
class Op:
    """One operation: what it computes, how it differentiates, how it is written."""

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
    ports: tuple[str, ...] = ()  # names of the ports where order matters
    infix: str | None = None  # the Python operator the expression parser maps to this op
    category: str = "arithmetic"
    aliases: tuple[str, ...] = field(default=())
    # Optional: (forward, partials) as Python expressions over inputs `x`, `y` and the output
    # `out`, for a node with exactly `min_arity` inputs, in this module's namespace.  The
    # evaluator inlines them into its loop, which saves two calls and a list per node; they
    # must give exactly what `forward` and `partials` give (a test checks every op that has them).
    fast: tuple[str, str] | None = None

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


_OPS: list[Op] = [
    Op("add", "+", "Add", 2, None, _sum,
       lambda xs, out: _ONES2 if len(xs) == 2 else (1.0,) * len(xs), _join(" + "),
       lambda a, o: ["1.0"] * len(a), _join(" + "), infix="+",
       fast=("x + y", "_ONES2")),
    Op("mul", "×", "Multiply", 2, None, _product, _mul_partials, _join(" * "),
       lambda a, o: [" * ".join(a[:i] + a[i + 1:]) for i in range(len(a))], _join(" * "),
       infix="*", fast=("x * y", "(y, x)")),
    Op("sub", "−", "Subtract", 2, 2, lambda a, b: a - b, lambda xs, out: _SUB_PARTIALS,
       _join(" - "), lambda a, o: ["1.0", "-1.0"], _join(" - "), ports=("a", "b"), infix="-",
       fast=("x - y", "_SUB_PARTIALS")),
    Op("div", "÷", "Divide", 2, 2, safe_div,
       lambda xs, out: (safe_div(1.0, xs[1]), -safe_div(xs[0], xs[1] * xs[1])),
       _join(" / "), lambda a, o: [f"1.0 / {a[1]}", f"-{a[0]} / {a[1]} ** 2"], _join(" / "),
       ports=("a", "b"), infix="/"),
    Op("pow", "xʸ", "Power", 2, 2, safe_pow, _pow_partials, _join(" ** "),
       lambda a, o: [f"{a[1]} * {a[0]} ** ({a[1]} - 1)", f"{o} * math.log({a[0]})"],
       _join(" ** "), ports=("base", "exp"), infix="**"),
    Op("max", "max", "Maximum", 2, 2, _max,
       lambda xs, out: _tie_split(xs[0] > xs[1], xs[0] == xs[1]), _call("max"),
       lambda a, o: [f"(1.0 if {a[0]} > {a[1]} else 0.5 if {a[0]} == {a[1]} else 0.0)",
                     f"(1.0 if {a[1]} > {a[0]} else 0.5 if {a[0]} == {a[1]} else 0.0)"],
       _call("torch.maximum"), category="comparison"),
    Op("min", "min", "Minimum", 2, 2, _min,
       lambda xs, out: _tie_split(xs[0] < xs[1], xs[0] == xs[1]), _call("min"),
       lambda a, o: [f"(1.0 if {a[0]} < {a[1]} else 0.5 if {a[0]} == {a[1]} else 0.0)",
                     f"(1.0 if {a[1]} < {a[0]} else 0.5 if {a[0]} == {a[1]} else 0.0)"],
       _call("torch.minimum"), category="comparison"),
    Op("neg", "−x", "Negate", 1, 1, lambda a: -a, lambda xs, out: _NEG_PARTIAL,
       lambda a: f"(-{a[0]})", lambda a, o: ["-1.0"], lambda a: f"(-{a[0]})", fast=("-x", "_NEG_PARTIAL")),
    Op("square", "x²", "Square", 1, 1, lambda a: a * a, lambda xs, out: (2.0 * xs[0],),
       lambda a: f"({a[0]} ** 2)", lambda a, o: [f"2.0 * {a[0]}"], lambda a: f"({a[0]} ** 2)",
       fast=("x * x", "(2.0 * x,)")),
    Op("sqrt", "√", "Square root", 1, 1, safe_sqrt, _sqrt_partial, _call("math.sqrt"),
       lambda a, o: [f"0.5 / {o}"], _call("torch.sqrt"), category="function"),
    Op("exp", "exp", "Exponential", 1, 1, safe_exp, lambda xs, out: (out,), _call("math.exp"),
       lambda a, o: [o], _call("torch.exp"), category="function", fast=("safe_exp(x)", "(out,)")),
    Op("log", "ln", "Natural log", 1, 1, safe_log, lambda xs, out: (safe_div(1.0, xs[0]),),
       _call("math.log"), lambda a, o: [f"1.0 / {a[0]}"], _call("torch.log"),
       category="function"),
    Op("sin", "sin", "Sine", 1, 1, safe_sin, lambda xs, out: (safe_cos(xs[0]),),
       _call("math.sin"), lambda a, o: [f"math.cos({a[0]})"], _call("torch.sin"),
       category="function"),
    Op("cos", "cos", "Cosine", 1, 1, safe_cos, lambda xs, out: (-safe_sin(xs[0]),),
       _call("math.cos"), lambda a, o: [f"-math.sin({a[0]})"], _call("torch.cos"),
       category="function"),
    Op("tanh", "tanh", "Hyperbolic tangent", 1, 1, math.tanh, lambda xs, out: (1.0 - out * out,),
       _call("math.tanh"), lambda a, o: [f"1.0 - {o} ** 2"], _call("torch.tanh"),
       category="activation", fast=("math.tanh(x)", "(1.0 - out * out,)")),
    Op("sigmoid", "σ", "Sigmoid", 1, 1, sigmoid, lambda xs, out: (out * (1.0 - out),),
       lambda a: f"(1.0 / (1.0 + math.exp(-{a[0]})))", lambda a, o: [f"{o} * (1.0 - {o})"],
       _call("torch.sigmoid"), category="activation", fast=("sigmoid(x)", "(out * (1.0 - out),)")),
    Op("relu", "ReLU", "Rectified linear", 1, 1, relu,
       lambda xs, out: (1.0 if xs[0] > 0.0 else 0.0,), lambda a: f"max({a[0]}, 0.0)",
       lambda a, o: [f"(1.0 if {a[0]} > 0 else 0.0)"], _call("torch.relu"),
       category="activation", fast=("relu(x)", "(1.0 if x > 0.0 else 0.0,)")),
    Op("abs", "|x|", "Absolute value", 1, 1, abs, lambda xs, out: (sign(xs[0]),),
       _call("abs"), lambda a, o: [f"math.copysign(1.0, {a[0]}) if {a[0]} != 0 else 0.0"],
       _call("torch.abs"), category="function"),
]

OPS: dict[str, Op] = {op.name: op for op in _OPS}
"""Every op by name, in palette order."""

INFIX_OPS: dict[str, Op] = {op.infix: op for op in _OPS if op.infix}


def get_op(name: str) -> Op | None:
    return OPS.get(name)

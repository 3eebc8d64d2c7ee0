"""How numbers are shown and read back, in one place so the canvas, the CLI and the inspector agree.

`format_compact` is for labels on the canvas and the CLI table (short, 4 significant digits);
`format_equation` is for printed arithmetic (`3 × 1244.5 = 3733.5`), with as many digits as the
line needs to check out as printed;
`format_full` is for edit fields and tooltips (every digit needed to get the same float back);
`parse_number` reads what a user typed, including the non-finite values a graph can produce;
`same_number` is the equality a graph's values follow, where nan is unchanged by nan.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

SIGNIFICANT = 4
LARGE = 1e6  # from here on, exponent form: "1.235e+06" reads better than "1234567"
SMALL = 1e-4  # below this, exponent form: "1.2e-05" rather than "0.000012"


MAX_SIGNIFICANT = 17  # enough for any float: past this a line is printed in full
EXACT_EXTRA = 2  # a number whose exact decimal is at most this many digits longer is shown exactly


def format_compact(x: float, significant: int = SIGNIFICANT) -> str:
    """About 4 significant digits, trailing zeros trimmed: 64, 0.6667, -4482, 1.235e+06, 1.2e-05.

    Numbers below a million keep all their integer digits (12346, not 1.235e+04), because an
    integer part rounded away looks like a wrong answer.
    """
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"  # never "-0"
    magnitude = abs(x)
    if SMALL <= magnitude < LARGE:
        decimals = max(0, significant - 1 - math.floor(math.log10(magnitude)))
        text = _trim(f"{x:.{decimals}f}")
        if abs(float(text)) < LARGE:  # rounding can carry 999999.7 up to a million
            return "0" if text == "-0" else text
    mantissa, exponent = f"{x:.{significant - 1}e}".split("e")
    return f"{_trim(mantissa)}e{exponent}"


def format_equation(operands: Sequence[float], result: float,
                    combine: Callable[[list[float]], float]) -> tuple[list[str], str]:
    """The operands and the result of one line of arithmetic, shown so that the line checks out
    as printed: `combine` applied to the printed operands gives the printed result.

    Each number is shown exactly when its shortest decimal is short (622.25, 1244.5), otherwise
    rounded; the rounding starts at 4 significant digits and gets finer until the line agrees
    with itself, so `3 × 1244 = 3734` becomes `3 × 1244.5 = 3733.5`.
    """
    numbers = [*operands, result]
    if not all(math.isfinite(x) for x in numbers):
        return [format_compact(x) for x in operands], format_compact(result)
    for significant in range(SIGNIFICANT, MAX_SIGNIFICANT + 1):
        shown = [_shown(x, significant) for x in operands]
        total = _shown(result, significant)
        try:
            recomputed = combine([float(text) for text in shown])
        except (ArithmeticError, ValueError):
            break
        if _agrees(recomputed, total):
            return shown, total
    return [format_full(x) for x in operands], format_full(result)


def _agrees(x: float, text: str) -> bool:
    """Whether `x` rounds to `text`: within half a unit of its last printed digit."""
    if not math.isfinite(x):
        return False
    mantissa, _, exponent = text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    unit = 10.0 ** (int(exponent or 0) - decimals)
    return abs(x - float(text)) <= unit / 2 * (1 + 1e-9)


def _shown(x: float, significant: int) -> str:
    """`x` exactly if its shortest decimal has at most `significant + EXACT_EXTRA` digits."""
    exact = format_full(x)
    digits = exact.lstrip("-").split("e")[0].replace(".", "").strip("0")
    if len(digits) <= significant + EXACT_EXTRA and "e" not in exact:
        return exact
    return format_compact(x, significant)


def format_full(x: float) -> str:
    """The shortest text that reads back as exactly `x` ("64" rather than "64.0")."""
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(float(x))


def parse_number(text: str) -> float:
    """A float from user text: "2.5", " 1e3 ", "−4" (Unicode minus), "nan", "inf", "-inf".

    Raises ValueError with a message fit to show the user as it is.
    """
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        raise ValueError("expected a number, got nothing")
    try:
        return float(cleaned)
    except ValueError:
        shown = cleaned if len(cleaned) <= 40 else cleaned[:37] + "..."
        raise ValueError(f"{shown!r} is not a number") from None


def same_number(a: float | None, b: float | None) -> bool:
    """Equal, or both nan, or both None: whether setting `b` over `a` changes nothing."""
    if a is None or b is None:
        return a is b
    return a == b or (a != a and b != b)


def _trim(number: str) -> str:
    """Drop trailing zeros after a decimal point, and the point itself if nothing follows."""
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number


EXACT_COUNT_DIGITS = 30  # beyond this nobody reads the digits (and Python refuses 4,300 of them)


def format_count(n: int) -> str:
    """A count of things (paths), exact while it is readable: 12, 2305843009213693952; past
    `EXACT_COUNT_DIGITS` digits a power of two as 2^15000, anything else as ≈ 1.2e4515.

    Never converts a huge int to decimal, so it cannot hit Python's int-to-str digit limit.
    """
    n = int(n)
    if abs(n) < 10 ** EXACT_COUNT_DIGITS:
        return str(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n & (n - 1) == 0:
        return f"{sign}2^{n.bit_length() - 1}"
    exponent = math.floor(math.log10(n))
    mantissa = round(10 ** (math.log10(n) - exponent), 1)
    if mantissa >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"≈ {sign}{mantissa:.1f}e{exponent}"

"""How numbers are shown and read back, in one place so the canvas, the CLI and the inspector agree.

`format_compact` is for labels on the canvas and the CLI table (short, 4 significant digits);
`format_full` is for edit fields and tooltips (every digit needed to get the same float back);
`parse_number` reads what a user typed, including the non-finite values a graph can produce;
`same_number` is the equality a graph's values follow, where nan is unchanged by nan.
"""

from __future__ import annotations

import math

SIGNIFICANT = 4
LARGE = 1e6  # from here on, exponent form: "1.235e+06" reads better than "1234567"
SMALL = 1e-4  # below this, exponent form: "1.2e-05" rather than "0.000012"


def format_compact(x: float) -> str:
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
        decimals = max(0, SIGNIFICANT - 1 - math.floor(math.log10(magnitude)))
        text = _trim(f"{x:.{decimals}f}")
        if abs(float(text)) < LARGE:  # rounding can carry 999999.7 up to a million
            return "0" if text == "-0" else text
    mantissa, exponent = f"{x:.{SIGNIFICANT - 1}e}".split("e")
    return f"{_trim(mantissa)}e{exponent}"


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

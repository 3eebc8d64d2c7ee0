"""Number display and parsing: short on the canvas, exact in edit fields, forgiving on input."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cgeditor.model.numbers import format_compact, format_count, format_equation, format_full, parse_number, same_number


@pytest.mark.parametrize("x, text", [
    (64.0, "64"), (-4482.0, "-4482"), (2 / 3, "0.6667"), (0.5, "0.5"), (1.0 / 3e3, "0.0003333"),
    (0.7071067811865476, "0.7071"), (552.25, "552.2"), (12345.678, "12346"), (999999.4, "999999"),
    (999999.7, "1e+06"), (1234567.0, "1.235e+06"), (1.2e-05, "1.2e-05"), (-3.0e-7, "-3e-07"),
    (1e300, "1e+300"), (0.0, "0"), (-0.0, "0"), (-1e-20, "-1e-20"), (-0.00001, "-1e-05"),
    (math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf"), (9.99996, "10"), (0.1 + 0.2, "0.3"),
])
def test_format_compact(x, text):
    assert format_compact(x) == text


def test_format_compact_never_shows_negative_zero():
    assert format_compact(-0.00000001 * 0) == "0"
    assert format_compact(-0.00001 + 0.00001) == "0"


@pytest.mark.parametrize("x", [0.1 + 0.2, 1 / 3, 6.8813735870195432, -4482.0, 1e-320, 1.7976931348623157e308,
                               2.0 ** 60, 123456789012345678.0])
def test_format_full_reads_back_exactly(x):
    assert float(format_full(x)) == x
    assert parse_number(format_full(x)) == x


@pytest.mark.parametrize("x, text", [(64.0, "64"), (0.5, "0.5"), (-0.0, "0"), (math.nan, "nan"),
                                     (math.inf, "inf"), (-math.inf, "-inf"), (1e20, "1e+20")])
def test_format_full(x, text):
    assert format_full(x) == text


@pytest.mark.parametrize("text, x", [("2.5", 2.5), (" 2.5 ", 2.5), ("1e3", 1000.0), ("-4", -4.0),
                                     ("\u22124", -4.0), ("inf", math.inf), ("-inf", -math.inf),
                                     (".5", 0.5)])
def test_parse_number(text, x):
    assert parse_number(text) == x


def test_parse_nan():
    assert math.isnan(parse_number("nan"))


@pytest.mark.parametrize("text, message", [("", "got nothing"), ("   ", "got nothing"),
                                           ("two", "'two' is not a number"), ("1,5", "'1,5' is not"),
                                           ("x" * 100, "...")])
def test_parse_number_refuses_garbage_clearly(text, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        parse_number(text)


# -- printed arithmetic -------------------------------------------------------------------------

def last_digit_unit(text: str) -> float:
    mantissa, _, exponent = text.partition("e")
    return 10.0 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))


def checks_out(shown, total, combine) -> bool:
    """Redo the line from its printed numbers: the printed result is that, rounded as printed."""
    return abs(combine([float(t) for t in shown]) - float(total)) <= last_digit_unit(total) / 2 * (1 + 1e-9)


def product(xs):
    return math.prod(xs)


@pytest.mark.parametrize("operands, result, combine, printed", [
    ([3.0, 1244.5], 3733.5, product, (["3", "1244.5"], "3733.5")),  # deep_chain printed 3 × 1244 = 3734
    ([6.0, 103.708333], 6 * 103.708333, product, (["6", "103.7"], "622.2")),  # rounded, and still checks
    ([2.0, 3.0], 6.0, product, (["2", "3"], "6")),
    ([0.1, 0.2], 0.1 + 0.2, sum, (["0.1", "0.2"], "0.3")),
])
def test_printed_arithmetic_shows_short_exact_decimals(operands, result, combine, printed):
    assert format_equation(operands, result, combine) == printed


def test_awkward_operands_get_the_digits_the_line_needs():
    a, b = -25.80123, -math.e  # printed (-25.8) · (-2.718) = 70.13, which does not check out
    shown, total = format_equation([a, b], a * b, product)
    assert (shown, total) == (["-25.80123", "-2.7183"], "70.135")
    assert checks_out(shown, total, product)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(finite, min_size=2, max_size=4))
def test_every_printed_product_and_sum_checks_out(xs):
    for combine in (product, math.fsum):
        result = combine(xs)
        shown, total = format_equation(xs, result, combine)
        assert checks_out(shown, total, combine), (xs, shown, total)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-20, max_value=20, allow_nan=False))
def test_every_printed_function_value_checks_out(x):
    for f in (math.exp, math.sin, math.tanh):
        shown, total = format_equation([x], f(x), lambda v, f=f: f(v[0]))
        assert checks_out(shown, total, lambda v, f=f: f(v[0])), (f, x, shown, total)


def test_non_finite_lines_are_printed_compactly():
    assert format_equation([math.inf, 2.0], math.inf, product) == (["inf", "2"], "inf")
def test_same_number_counts_nan_as_unchanged_and_none_only_as_none():
    assert same_number(math.nan, math.nan) and same_number(None, None) and same_number(0.0, -0.0)
    assert not same_number(1.0, math.nan) and not same_number(None, 0.0) and not same_number(0.0, None)


COUNTS = [
    (0, "0"), (1, "1"), (2 ** 61, "2305843009213693952"), (10 ** 30 - 1, "9" * 30),
    (2 ** 15000, "2^15000"), (2 ** 15000 - 50, "≈ 2.8e4515"), (3 ** 10000, "≈ 1.6e4771"),
    (10 ** 30, "≈ 1.0e30"), (99_999 * 10 ** 40, "≈ 1.0e45"), (-(2 ** 200), "-2^200"),
]


@pytest.mark.parametrize("n, text", COUNTS, ids=[text for _, text in COUNTS])  # pytest's str(2^15000) fails
def test_format_count_is_exact_while_readable_and_never_fails(n, text):
    assert format_count(n) == text


def test_format_count_handles_numbers_beyond_pythons_digit_limit():
    assert format_count(7 ** 100_000).startswith("≈ ") and format_count(2 ** 1_000_000) == "2^1000000"

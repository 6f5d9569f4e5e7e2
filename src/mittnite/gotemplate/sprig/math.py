"""sprig's math and number-conversion functions, with Go's integer and float semantics.

Templates written for mittnite lean on a handful of Go peculiarities that a
naive Python port would get wrong, so each is reproduced on purpose:

* every integer function converts its arguments like cast 1.10's ``ToInt64``
  (``"0x1F"`` is 31, ``"3.7"`` is 3, ``"1e3"`` and ``" 5"`` are 0, ``true`` is 1, a
  ``time.Duration`` is its nanoseconds, anything unconvertible is 0) and computes in
  wrapping 64-bit arithmetic; results are ``int64``;
* ``div``/``mod`` by zero panic with Go's runtime message;
* the ``*f`` functions go through a decimal type (``addf 0.1 0.2`` is exactly
  ``0.3``; ``divf`` keeps 16 decimal places) and return ``float64``;
* ``round`` has sprig's own rounding (it floors negative halves);
* ``until``/``untilStep``/``seq`` take Go ``int`` parameters, so a computed
  ``int64`` is refused by the template engine exactly as in Go.

Strings are parsed with Go's ``strconv`` rules from :mod:`mittnite.golang.strconv`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mittnite.golang.strconv import NumError, atoi, parse_float, parse_int
from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.limits import check_length
from mittnite.gotemplate.values import (
    FLOAT_KINDS,
    INT_KINDS,
    UINT_KINDS,
    NilPointer,
    type_of,
)

if TYPE_CHECKING:
    from fractions import Fraction

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_UINT64 = 1 << 64
_INT_OVERFLOW = INT64_MIN  # what amd64 yields for out-of-range float -> int conversions


def wrap_int64(value: int) -> int:
    """Two's-complement wrap to int64, as Go's fixed-size arithmetic does."""
    value &= _UINT64 - 1
    return value - _UINT64 if value > INT64_MAX else value


# -- cast.ToInt64 / cast.ToFloat64 ---------------------------------------------------------


def _trim_decimal(text: str) -> str:
    """cast 1.10's pre-processing of integer strings: a decimal number loses its fraction
    (``"3.7"`` -> ``"3"``, ``"-.5"`` -> ``"-0"``, ``"3."`` -> ``"3"``); anything else
    (``"1e3"``, ``"0x1F.5"``, ``" 3.5"``) is left for ``ParseInt`` to reject."""
    if "." not in text:
        return text
    whole, _, fraction = text.partition(".")
    digits = whole[1:] if whole[:1] in ("+", "-") else whole
    if not _ascii_digits(digits) or not _ascii_digits(fraction):
        return text
    if digits == "":
        return whole + "0"
    return whole


def _ascii_digits(text: str) -> bool:
    return text == "" or (text.isascii() and text.isdigit())


def float_to_int64(value: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation; NaN and out-of-range give MinInt64."""
    if math.isnan(value) or math.isinf(value):
        return _INT_OVERFLOW
    truncated = int(value)
    if not INT64_MIN <= truncated <= INT64_MAX:
        return _INT_OVERFLOW
    return truncated


def is_int(value: Any) -> bool:
    """Whether ``value`` is a Go integer of any (possibly named) integer type; not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


class _Uncastable:
    """Marks a value cast cannot convert to a number (its result is then 0)."""


_UNCASTABLE = _Uncastable()


def _cast_view(value: Any) -> Any:
    """The basic Go value cast 1.10 converts: named types resolve to their underlying kind
    (``time.Duration`` is its int64, ``time.Month`` its int), a nil pointer is nil;
    composites, structs and pointers to them cannot be converted."""
    if value is None or isinstance(value, NilPointer):
        return None
    kind_type = type_of(value)
    kind = kind_type.kind if kind_type is not None else "invalid"
    if kind in INT_KINDS or kind in UINT_KINDS:
        return int(value)
    if kind in FLOAT_KINDS:
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "string":
        return str(value)
    return _UNCASTABLE


def to_int64(value: Any) -> int:
    """``cast.ToInt64`` (cast 1.10) with errors ignored (sprig's ``toInt64``): integers wrap,
    floats truncate, decimal strings lose their fraction, unconvertible values are 0."""
    basic = _cast_view(value)
    if basic is None or type(basic) is bool:
        return int(bool(basic))
    if type(basic) is int:
        return wrap_int64(basic)
    if type(basic) is float:
        return float_to_int64(basic)
    if type(basic) is str:
        if basic == "":
            return 0
        try:
            return parse_int(_trim_decimal(basic), 0, 64)
        except NumError:
            return 0
    return 0


def to_int(value: Any) -> int:
    """``cast.ToInt`` (Go ``int`` is 64 bits wide on mittnite's platforms)."""
    return to_int64(value)


def to_float64(value: Any) -> float:
    """``cast.ToFloat64`` (cast 1.10) with errors ignored (sprig's ``toFloat64``)."""
    basic = _cast_view(value)
    if basic is None or type(basic) is bool:
        return float(bool(basic))
    if type(basic) is int:
        return float(basic)
    if type(basic) is float:
        return basic
    if type(basic) is str:
        try:
            return parse_float(basic) if basic else 0.0
        except NumError:
            return 0.0
    return 0.0


def go_string_value(value: Any) -> str:
    """sprig's ``strval``: strings as is, bytes decoded, everything else as ``%v``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    from mittnite.gotemplate.gofmt import sprint_value

    return sprint_value(value)


# -- Go float helpers --------------------------------------------------------------------------


def go_floor(value: float) -> float:
    """``math.Floor``: infinities and NaN pass through (Python's floor raises)."""
    if math.isinf(value) or math.isnan(value) or value == 0:
        return value
    return math.copysign(float(math.floor(value)), value)


def go_ceil(value: float) -> float:
    """``math.Ceil`` (keeps the sign of zero: ``Ceil(-0.5)`` is ``-0``)."""
    if math.isinf(value) or math.isnan(value) or value == 0:
        return value
    return math.copysign(float(math.ceil(value)), value)


def go_pow10(exponent: int) -> float:
    """``math.Pow(10, exponent)`` for an integer exponent, bit for bit.

    Go does not call the C library here: it multiplies out the exponent by
    repeated squaring on a mantissa/exponent pair, so large powers can differ
    from a correctly rounded ``10.0 ** n`` in the last bit.
    """
    if exponent == 0:
        return 1.0
    if exponent == 1:
        return 10.0
    count = abs(exponent)
    if count >= 1 << 63:
        return 0.0 if exponent < 0 else math.inf
    mantissa, exp_total = 1.0, 0
    base_mantissa, base_exp = math.frexp(10.0)
    while count:
        if not -(1 << 12) <= base_exp <= (1 << 12):
            exp_total += base_exp
            break
        if count & 1:
            mantissa *= base_mantissa
            exp_total += base_exp
        base_mantissa *= base_mantissa
        base_exp <<= 1
        if base_mantissa < 0.5:
            base_mantissa += base_mantissa
            base_exp -= 1
        count >>= 1
    if exponent < 0:
        mantissa = 1 / mantissa
        exp_total = -exp_total
    return _go_ldexp(mantissa, exp_total)


def _go_ldexp(fraction: float, exponent: int) -> float:
    """``math.Ldexp`` that saturates instead of raising like Python's ``ldexp``."""
    try:
        return math.ldexp(fraction, exponent)
    except OverflowError:
        return math.copysign(math.inf, fraction)


def go_max(x: float, y: float) -> float:
    """``math.Max``: +Inf wins over NaN, NaN wins otherwise, +0 beats -0."""
    if math.inf in (x, y):
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    """``math.Min``: -Inf wins over NaN, NaN wins otherwise, -0 beats +0."""
    if -math.inf in (x, y):
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def go_format_float(value: float) -> str:
    """Go's ``%v`` of a float64 (used in panic messages)."""
    from mittnite.gotemplate.gofmt import sprint_value

    return sprint_value(value)


# -- integer functions -------------------------------------------------------------------------


@gofunc("...interface {}", result="int64")
def add(*values: Any) -> int:
    total = 0
    for value in values:
        total += to_int64(value)
    return wrap_int64(total)


@gofunc("interface {}", result="int64")
def add1(value: Any) -> int:
    return wrap_int64(to_int64(value) + 1)


@gofunc("interface {}", "interface {}", result="int64")
def sub(a: Any, b: Any) -> int:
    return wrap_int64(to_int64(a) - to_int64(b))


def _int_divide(a: int, b: int) -> tuple[int, int]:
    """Go's truncated integer division and remainder (panics on a zero divisor)."""
    if b == 0:
        raise GoPanic("runtime error: integer divide by zero")
    quotient = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        quotient = -quotient
    return wrap_int64(quotient), a - b * quotient


@gofunc("interface {}", "interface {}", result="int64")
def div(a: Any, b: Any) -> int:
    return _int_divide(to_int64(a), to_int64(b))[0]


@gofunc("interface {}", "interface {}", result="int64")
def mod(a: Any, b: Any) -> int:
    return _int_divide(to_int64(a), to_int64(b))[1]


@gofunc("interface {}", "...interface {}", result="int64")
def mul(a: Any, *values: Any) -> int:
    product = to_int64(a)
    for value in values:
        product = wrap_int64(product * to_int64(value))
    return product


@gofunc("interface {}", "...interface {}", result="int64")
def max_(a: Any, *values: Any) -> int:
    best = to_int64(a)
    for value in values:
        best = max(best, to_int64(value))
    return best


@gofunc("interface {}", "...interface {}", result="int64")
def min_(a: Any, *values: Any) -> int:
    best = to_int64(a)
    for value in values:
        best = min(best, to_int64(value))
    return best


@gofunc("int", "int", result="int")
def rand_int(low: int, high: int) -> int:
    """``rand.Intn(max-min) + min``; Intn panics unless its bound is positive."""
    import random

    span = wrap_int64(high - low)
    if span <= 0:
        raise GoPanic("invalid argument to Intn")
    return wrap_int64(random.randrange(span) + low)


@gofunc("interface {}", result="int64")
def to_decimal(value: Any) -> int:
    """The value's text read as an octal number (0 when it is not one)."""
    try:
        return parse_int(go_string_value(value), 8, 64)
    except NumError:
        return 0


# -- conversions ------------------------------------------------------------------------------


@gofunc("string", result="int")
def atoi_(text: str) -> int:
    try:
        return atoi(text)
    except NumError as error:
        return int(error.value)


@gofunc("interface {}", result="int")
def int_(value: Any) -> int:
    return to_int(value)


@gofunc("interface {}", result="int64")
def int64_(value: Any) -> int:
    return to_int64(value)


@gofunc("interface {}", result="float64")
def float64_(value: Any) -> float:
    return to_float64(value)


# -- float functions -----------------------------------------------------------------------------


def _to_decimal(value: Any) -> Fraction:
    """``decimal.NewFromFloat(toFloat64(value))``: the float's shortest decimal, exactly."""
    from fractions import Fraction

    number = to_float64(value)
    if math.isnan(number) or math.isinf(number):
        raise GoPanic(f"Cannot create a Decimal from {go_format_float(number)}")
    return Fraction(repr(number))


def _decimal_to_float(value: Fraction) -> float:
    """``Decimal.Float64()``: nearest float64 (overflow gives ±Inf, zero is +0)."""
    if value == 0:
        return 0.0
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


_DIVISION_DIGITS = 16  # shopspring/decimal's DivisionPrecision


def _decimal_divide(a: Fraction, b: Fraction) -> Fraction:
    """``Decimal.Div``: quotient rounded half away from zero to 16 decimal places."""
    from fractions import Fraction

    if b == 0:
        raise GoPanic("decimal division by 0")
    scaled = a / b * 10**_DIVISION_DIGITS
    whole = abs(scaled.numerator) // scaled.denominator
    remainder = abs(scaled) - whole
    if remainder * 2 >= 1:
        whole += 1
    if scaled < 0:
        whole = -whole
    return Fraction(whole, 10**_DIVISION_DIGITS)


def _decimal_fold(first: Any, rest: tuple[Any, ...], operator: str) -> float:
    result = _to_decimal(first)
    for value in rest:
        operand = _to_decimal(value)
        if operator == "+":
            result += operand
        elif operator == "-":
            result -= operand
        elif operator == "*":
            result *= operand
        else:
            result = _decimal_divide(result, operand)
    return _decimal_to_float(result)


@gofunc("...interface {}", result="float64")
def addf(*values: Any) -> float:
    return _decimal_fold(0.0, values, "+")


@gofunc("interface {}", result="float64")
def add1f(value: Any) -> float:
    return _decimal_fold(value, (1,), "+")


@gofunc("interface {}", "...interface {}", result="float64")
def subf(a: Any, *values: Any) -> float:
    return _decimal_fold(a, values, "-")


@gofunc("interface {}", "...interface {}", result="float64")
def mulf(a: Any, *values: Any) -> float:
    return _decimal_fold(a, values, "*")


@gofunc("interface {}", "...interface {}", result="float64")
def divf(a: Any, *values: Any) -> float:
    return _decimal_fold(a, values, "/")


@gofunc("interface {}", "...interface {}", result="float64")
def maxf(a: Any, *values: Any) -> float:
    best = to_float64(a)
    for value in values:
        best = go_max(best, to_float64(value))
    return best


@gofunc("interface {}", "...interface {}", result="float64")
def minf(a: Any, *values: Any) -> float:
    best = to_float64(a)
    for value in values:
        best = go_min(best, to_float64(value))
    return best


@gofunc("interface {}", result="float64")
def floor(value: Any) -> float:
    return go_floor(to_float64(value))


@gofunc("interface {}", result="float64")
def ceil(value: Any) -> float:
    return go_ceil(to_float64(value))


@gofunc("interface {}", "int", "...float64", result="float64")
def round_(value: Any, places: int, *round_on: float) -> float:
    """sprig's rounding: scale, then ceil if the fraction reaches ``round_on`` (0.5).

    The fraction of a negative number is negative, so negative values are
    always floored (``round -1.2 0`` is -2), as in sprig.
    """
    threshold = round_on[0] if round_on else 0.5
    scale = go_pow10(places)
    scaled = scale * to_float64(value)
    if math.isinf(scaled) or math.isnan(scaled):
        fraction = math.nan
    else:
        fraction = math.modf(scaled)[0]
    rounded = go_ceil(scaled) if fraction >= threshold else go_floor(scaled)
    return rounded / scale if scale != 0 else _float_divide(rounded, scale)


def _float_divide(a: float, b: float) -> float:
    """IEEE division (Go float64 ``/`` never raises)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return math.nan
        sign = math.copysign(1.0, a) * math.copysign(1.0, b)
        return math.copysign(math.inf, sign)


# -- sequences ----------------------------------------------------------------------------------


def _until_step(start: int, stop: int, step: int) -> list[int]:
    if stop < start:
        if step >= 0:
            return []
    elif step <= 0:
        return []
    # Go would build it, however long (until 1e12: out of memory); the length is computed
    # by hand because range() cannot report lengths beyond sys.maxsize.
    check_length(-((stop - start) // -step) if step > 0 else -((start - stop) // step))
    return list(range(start, stop, step))


@gofunc("int", result="[]int")
def until(count: int) -> list[int]:
    step = -1 if count < 0 else 1
    return _until_step(0, count, step)


@gofunc("int", "int", "int", result="[]int")
def until_step(start: int, stop: int, step: int) -> list[int]:
    return _until_step(start, stop, step)


@gofunc("...int", result="string")
def seq(*params: int) -> str:
    """Like GNU seq: ``seq END``, ``seq START END``, ``seq START STEP END``."""
    if len(params) == 1:
        end = params[0]
        step = -1 if end < 1 else 1
        numbers = _until_step(1, end + step, step)
    elif len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        numbers = _until_step(start, end + step, step)
    elif len(params) == 3:
        start, step, end = params
        increment = 1
        if end < start:
            increment = -1
            if step > 0:
                return ""
        numbers = _until_step(start, end + increment, step)
    else:
        return ""
    return " ".join(str(number) for number in numbers)


FUNCS: FuncMap = {
    "add": add,
    "add1": add1,
    "sub": sub,
    "div": div,
    "mod": mod,
    "mul": mul,
    "max": max_,
    "biggest": max_,
    "min": min_,
    "randInt": rand_int,
    "toDecimal": to_decimal,
    "atoi": atoi_,
    "int": int_,
    "int64": int64_,
    "float64": float64_,
    "addf": addf,
    "add1f": add1f,
    "subf": subf,
    "mulf": mulf,
    "divf": divf,
    "maxf": maxf,
    "minf": minf,
    "floor": floor,
    "ceil": ceil,
    "round": round_,
    "until": until,
    "untilStep": until_step,
    "seq": seq,
}

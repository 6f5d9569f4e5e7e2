"""Go's ``time.Duration``: parsing (``ParseDuration``), printing (``String``) and arithmetic.

mittnite reads every timeout and interval of its configuration with ``ParseDuration`` and
prints durations in logs and templates with ``String``, so both must agree with Go to the
character: ``1h0m0s``, ``1.5s``, ``1µs``, the error texts, and the 64-bit limits.
"""

from __future__ import annotations

from mittnite.golang.gotime_calendar import go_div, go_rem, leading_uint
from mittnite.golang.gotime_errors import DurationError, go_quote

__all__ = [
    "HOUR",
    "MAX_DURATION",
    "MICROSECOND",
    "MILLISECOND",
    "MINUTE",
    "MIN_DURATION",
    "NANOSECOND",
    "SECOND",
    "Duration",
    "format_duration",
    "parse_duration",
]

NANOSECOND = 1
MICROSECOND = 1_000
MILLISECOND = 1_000_000
SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
MAX_DURATION = (1 << 63) - 1
MIN_DURATION = -(1 << 63)

_UNITS = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "µs": MICROSECOND,  # U+00B5 micro sign
    "μs": MICROSECOND,  # U+03BC Greek small letter mu
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}
_SIGN_BIT = 1 << 63
_UINT64_MASK = (1 << 64) - 1


class Duration(int):
    """A signed count of nanoseconds that prints like Go's ``time.Duration``.

    It is an ``int`` so it can be used in arithmetic and comparisons directly; results of
    arithmetic are plain ints again (wrap them to print them Go's way).
    """

    __slots__ = ()
    go_type = "time.Duration"

    def __str__(self) -> str:
        return format_duration(self)

    def __repr__(self) -> str:
        return f"Duration({int(self)})"

    def nanoseconds(self) -> int:
        return int(self)

    def microseconds(self) -> int:
        return go_div(int(self), MICROSECOND)

    def milliseconds(self) -> int:
        return go_div(int(self), MILLISECOND)

    def seconds(self) -> float:
        return _as_float(int(self), SECOND)

    def minutes(self) -> float:
        return _as_float(int(self), MINUTE)

    def hours(self) -> float:
        return _as_float(int(self), HOUR)

    def abs(self) -> Duration:
        """Absolute value; the most negative duration becomes the most positive (Go 1.19+)."""
        if self >= 0:
            return self
        if self == MIN_DURATION:
            return Duration(MAX_DURATION)
        return Duration(-int(self))

    def truncate(self, multiple: int) -> Duration:
        """Round toward zero to a multiple of ``multiple`` (unchanged if ``multiple <= 0``)."""
        if multiple <= 0:
            return self
        return Duration(int(self) - go_rem(int(self), multiple))

    def round(self, multiple: int) -> Duration:
        """Round half away from zero to a multiple; saturates at the int64 limits like Go."""
        if multiple <= 0:
            return self
        value = int(self)
        remainder = abs(go_rem(value, multiple))
        if value < 0:
            if remainder + remainder < multiple:
                return Duration(value + remainder)
            return Duration(max(value - multiple + remainder, MIN_DURATION))
        if remainder + remainder < multiple:
            return Duration(value - remainder)
        return Duration(min(value + multiple - remainder, MAX_DURATION))


def _as_float(value: int, unit: int) -> float:
    # Go splits into whole units and a remainder before converting, to keep precision.
    return float(go_div(value, unit)) + float(go_rem(value, unit)) / unit


def _fraction(value: int, precision: int) -> tuple[int, str]:
    """Split off the lowest ``precision`` digits as ".ddd" without trailing zeros."""
    whole, fraction = divmod(value, 10**precision)
    if fraction == 0:
        return whole, ""
    return whole, "." + f"{fraction:0{precision}d}".rstrip("0")


def format_duration(nanoseconds: int) -> str:
    """Go's ``Duration.String``: ``72h3m0.5s``, ``1.5ms``, ``0s``, ``-2m3.5s``."""
    magnitude = abs(nanoseconds)
    sign = "-" if nanoseconds < 0 else ""
    if magnitude < SECOND:
        # Under a second a smaller unit keeps the number short, like 1.2ms.
        if magnitude == 0:
            return "0s"
        if magnitude < MICROSECOND:
            return f"{sign}{magnitude}ns"
        if magnitude < MILLISECOND:
            whole, fraction = _fraction(magnitude, 3)
            return f"{sign}{whole}{fraction}µs"
        whole, fraction = _fraction(magnitude, 6)
        return f"{sign}{whole}{fraction}ms"
    seconds, fraction = _fraction(magnitude, 9)
    minutes, seconds = divmod(seconds, 60)
    text = f"{seconds}{fraction}s"
    if minutes > 0:
        hours, minutes = divmod(minutes, 60)
        text = f"{minutes}m{text}"
        if hours > 0:  # no days: they are not all the same length
            text = f"{hours}h{text}"
    return sign + text


def _leading_fraction(text: str) -> tuple[int, float, str]:
    """Digits after a decimal point as (numerator, scale, rest); extra precision is dropped."""
    value = 0
    scale = 1.0
    overflow = False
    index = 0
    while index < len(text) and "0" <= text[index] <= "9":
        if not overflow:
            if value > (_SIGN_BIT - 1) // 10:
                overflow = True
            else:
                candidate = value * 10 + ord(text[index]) - 48
                if candidate > _SIGN_BIT:
                    overflow = True
                else:
                    value = candidate
                    scale *= 10
        index += 1
    return value, scale, text[index:]


def parse_duration(text: str) -> Duration:
    """Go's ``time.ParseDuration``: ``300ms``, ``-1.5h``, ``2h45m``, ``1µs``, ``0``.

    Raises :class:`DurationError` with Go's message (``time: invalid duration "x"``,
    ``time: missing unit in duration "1"``, ``time: unknown unit "d" in duration "1d"``).
    """
    original = text
    invalid = f"time: invalid duration {go_quote(original)}"
    negative = False
    if text[:1] in ("-", "+"):
        negative = text[0] == "-"
        text = text[1:]
    if text == "0":
        return Duration(0)
    if text == "":
        raise DurationError(invalid)
    total = 0
    while text:
        if not (text[0] == "." or "0" <= text[0] <= "9"):
            raise DurationError(invalid)
        before = len(text)
        leading = leading_uint(text)
        if leading is None:
            raise DurationError(invalid)
        whole, text = leading
        has_whole = len(text) != before
        numerator, scale, has_fraction = 0, 1.0, False
        if text[:1] == ".":
            text = text[1:]
            before = len(text)
            numerator, scale, text = _leading_fraction(text)
            has_fraction = len(text) != before
        if not has_whole and not has_fraction:
            raise DurationError(invalid)  # no digits at all, as in ".s"
        unit_length = 0
        while unit_length < len(text) and not (
            text[unit_length] == "." or "0" <= text[unit_length] <= "9"
        ):
            unit_length += 1
        if unit_length == 0:
            raise DurationError(f"time: missing unit in duration {go_quote(original)}")
        unit_text, text = text[:unit_length], text[unit_length:]
        unit = _UNITS.get(unit_text)
        if unit is None:
            raise DurationError(
                f"time: unknown unit {go_quote(unit_text)} in duration {go_quote(original)}"
            )
        if whole > _SIGN_BIT // unit:
            raise DurationError(invalid)
        value = whole * unit
        if numerator > 0:
            # Go converts through float64 here; the truncation must match it exactly.
            value += int(float(numerator) * (float(unit) / scale))
            if value > _SIGN_BIT:
                raise DurationError(invalid)
        total = (total + value) & _UINT64_MASK  # Go adds as uint64 and may wrap around
        if total > _SIGN_BIT:
            raise DurationError(invalid)
    if negative:
        return Duration(-total)
    if total > _SIGN_BIT - 1:
        raise DurationError(invalid)
    return Duration(total)

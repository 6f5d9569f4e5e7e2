"""Formatting instants with Go layouts (``Time.Format``), built for the log-line hot path.

Every line of a job's output gets a timestamp when ``enableTimestamps`` is on, so a layout is
compiled once (split into literal text and elements, cached per layout string) and each
compiled layout remembers the text it produced for the last whole second. Lines written
within the same second then only pay for reading the clock and, for layouts with fractional
seconds, for the fraction digits.
"""

from __future__ import annotations

import time

from mittnite.golang.gotime_calendar import (
    LONG_DAY_NAMES,
    LONG_MONTH_NAMES,
    NANOS_PER_SECOND,
    SECONDS_PER_DAY,
    civil_from_days,
    go_div,
    go_rem,
    weekday_from_days,
    year_day,
)
from mittnite.golang.gotime_layout import LayoutElement, Std, split_layout
from mittnite.golang.gotime_zone import Location, local_location

__all__ = [
    "CompiledLayout",
    "WallFields",
    "compile_layout",
    "fields_at",
    "format_now",
    "format_offset",
    "go_int",
]


def go_int(value: int, width: int) -> str:
    """Decimal ``value`` zero-padded to ``width`` digits, sign in front (Go's ``appendInt``)."""
    digits = str(abs(value))
    if len(digits) < width:
        digits = "0" * (width - len(digits)) + digits
    return "-" + digits if value < 0 else digits


# Per numeric zone element: (prints "Z" for UTC, text between hours and minutes, shows
# minutes, text before the seconds or None when seconds are not shown).
_ZONE_STYLES = {
    Std.ISO8601_TZ: (True, "", True, None),
    Std.ISO8601_SECONDS_TZ: (True, "", True, ""),
    Std.ISO8601_SHORT_TZ: (True, "", False, None),
    Std.ISO8601_COLON_TZ: (True, ":", True, None),
    Std.ISO8601_COLON_SECONDS_TZ: (True, ":", True, ":"),
    Std.NUM_TZ: (False, "", True, None),
    Std.NUM_SECONDS_TZ: (False, "", True, ""),
    Std.NUM_SHORT_TZ: (False, "", False, None),
    Std.NUM_COLON_TZ: (False, ":", True, None),
    Std.NUM_COLON_SECONDS_TZ: (False, ":", True, ":"),
}


def format_offset(std: int, offset: int) -> str:
    """A zone offset as the numeric zone element ``std`` prints it.

    Go works in whole minutes truncated toward zero and takes the sign from that, so an
    offset of -30 seconds prints as ``+0000`` (and ``+0000-30`` with seconds): kept as is.
    """
    prints_z, colon, with_minutes, seconds_separator = _ZONE_STYLES[std]
    if offset == 0 and prints_z:
        return "Z"
    if offset <= -60:
        sign, minutes, seconds = "-", (-offset) // 60, (-offset) % 60
    else:
        sign, minutes, seconds = "+", go_div(offset, 60), go_rem(offset, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{sign}{hours:02d}{colon}{minutes:02d}" if with_minutes else f"{sign}{hours:02d}"
    if seconds_separator is not None:
        text += seconds_separator + go_int(seconds, 2)
    return text


def _format_fraction(element: LayoutElement, nanosecond: int) -> str:
    trim = element.std == Std.FRAC_SECOND9
    if trim and (element.digits == 0 or nanosecond == 0):
        return ""
    digits = f"{nanosecond:09d}"
    if element.digits < 9:
        digits = digits[: element.digits]
    if trim:
        digits = digits.rstrip("0")
        if digits == "":
            return ""
    return element.separator + digits


class WallFields:
    """Calendar and clock fields of one second in one zone."""

    __slots__ = ("abbreviation", "day", "hour", "minute", "month", "offset", "second",
                 "weekday", "year")  # fmt: skip

    def __init__(
        self,
        year: int,
        month: int,
        day: int,
        weekday: int,
        hour: int,
        minute: int,
        second: int,
        abbreviation: str,
        offset: int,
    ) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
        self.second = second
        self.abbreviation = abbreviation
        self.offset = offset

    def __repr__(self) -> str:
        return (
            f"WallFields({self.year:04d}-{self.month:02d}-{self.day:02d} "
            f"{self.hour:02d}:{self.minute:02d}:{self.second:02d} "
            f"{self.abbreviation} {self.offset:+d})"
        )

    @property
    def yday(self) -> int:
        return year_day(self.year, self.month, self.day)

    @property
    def hour12(self) -> int:
        return self.hour % 12 or 12


_last_day: tuple[int, tuple[int, int, int]] = (0, civil_from_days(0))


def fields_at(unix_seconds: int, location: Location) -> WallFields:
    """Break ``unix_seconds`` down into wall-clock fields in ``location``."""
    global _last_day
    abbreviation, offset = location.lookup(unix_seconds)
    days, second_of_day = divmod(unix_seconds + offset, SECONDS_PER_DAY)
    # Consecutive log lines almost always fall on the same day: reuse its date.
    last_day = _last_day
    if last_day[0] == days:
        year, month, day = last_day[1]
    else:
        year, month, day = civil_from_days(days)
        _last_day = (days, (year, month, day))
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    return WallFields(year, month, day, weekday_from_days(days), hour, minute, second,
                   abbreviation, offset)  # fmt: skip


def _render_element(std: int, fields: WallFields) -> str:
    """The text of one non-fraction element for the second described by ``fields``."""
    # Ordered roughly by how often log timestamp layouts use the elements.
    if std == Std.ZERO_SECOND:
        return go_int(fields.second, 2)
    if std == Std.ZERO_MINUTE:
        return go_int(fields.minute, 2)
    if std == Std.HOUR:
        return go_int(fields.hour, 2)
    if std == Std.ZERO_DAY:
        return go_int(fields.day, 2)
    if std == Std.ZERO_MONTH:
        return go_int(fields.month, 2)
    if std == Std.LONG_YEAR:
        return go_int(fields.year, 4)
    if std in _ZONE_STYLES:
        return format_offset(std, fields.offset)
    if std == Std.TZ:
        if fields.abbreviation:
            return fields.abbreviation
        return format_offset(Std.NUM_TZ, fields.offset)  # Go's fallback for nameless zones
    if std == Std.MONTH:
        return LONG_MONTH_NAMES[fields.month - 1][:3]
    if std == Std.WEEKDAY:
        return LONG_DAY_NAMES[fields.weekday][:3]
    if std == Std.UNDER_DAY:
        return str(fields.day).rjust(2)
    if std == Std.YEAR:
        return go_int(abs(fields.year) % 100, 2)
    if std == Std.LONG_MONTH:
        return LONG_MONTH_NAMES[fields.month - 1]
    if std == Std.NUM_MONTH:
        return str(fields.month)
    if std == Std.LONG_WEEKDAY:
        return LONG_DAY_NAMES[fields.weekday]
    if std == Std.DAY:
        return str(fields.day)
    if std == Std.UNDER_YEAR_DAY:
        return str(fields.yday).rjust(3)
    if std == Std.ZERO_YEAR_DAY:
        return go_int(fields.yday, 3)
    if std == Std.HOUR12:
        return str(fields.hour12)
    if std == Std.ZERO_HOUR12:
        return go_int(fields.hour12, 2)
    if std == Std.MINUTE:
        return str(fields.minute)
    if std == Std.SECOND:
        return str(fields.second)
    marker = "PM" if fields.hour >= 12 else "AM"  # Std.PM or Std.LOWER_PM
    return marker if std == Std.PM else marker.lower()


class CompiledLayout:
    """A layout split once into per-second text segments and fractional-second elements.

    Calling it with (unix nanoseconds, location) returns Go's ``Format`` output. The text of
    the most recent second is reused while the second and location stay the same.
    """

    __slots__ = ("_fractions", "_last", "_segments", "layout")

    def __init__(self, layout: str) -> None:
        self.layout = layout
        segments: list[list[str | LayoutElement]] = [[]]
        fractions: list[LayoutElement] = []
        for prefix, element in split_layout(layout):
            if prefix:
                segments[-1].append(prefix)
            if element is None:
                continue
            if element.std in (Std.FRAC_SECOND0, Std.FRAC_SECOND9):
                fractions.append(element)
                segments.append([])
            else:
                segments[-1].append(element)
        self._segments = tuple(tuple(segment) for segment in segments)
        self._fractions = tuple(fractions)
        self._last: tuple[int, Location, tuple[str, ...]] | None = None

    def _render_second(self, unix_seconds: int, location: Location) -> tuple[str, ...]:
        fields = fields_at(unix_seconds, location)
        return tuple(
            "".join(
                piece if isinstance(piece, str) else _render_element(piece.std, fields)
                for piece in segment
            )
            for segment in self._segments
        )

    def __call__(self, unix_nanos: int, location: Location) -> str:
        """Go's ``Format`` of the instant ``unix_nanos`` seen in ``location``."""
        unix_seconds, nanosecond = divmod(unix_nanos, NANOS_PER_SECOND)
        last = self._last
        if last is not None and last[0] == unix_seconds and last[1] is location:
            texts = last[2]
        else:
            texts = self._render_second(unix_seconds, location)
            self._last = (unix_seconds, location, texts)
        fractions = self._fractions
        if not fractions:
            return texts[0]
        out = [texts[0]]
        for index, element in enumerate(fractions):
            out.append(_format_fraction(element, nanosecond))
            out.append(texts[index + 1])
        return "".join(out)


_compiled: dict[str, CompiledLayout] = {}


def compile_layout(layout: str) -> CompiledLayout:
    """The compiled form of ``layout``, cached so its per-second text cache is shared."""
    compiled = _compiled.get(layout)
    if compiled is None:
        if len(_compiled) >= 128:
            _compiled.clear()
        compiled = _compiled[layout] = CompiledLayout(layout)
    return compiled


def format_now(layout: str) -> str:
    """The current time in the local zone formatted with ``layout`` (for log prefixes)."""
    return compile_layout(layout)(time.time_ns(), local_location())

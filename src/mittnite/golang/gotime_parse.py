"""Parsing times with Go layouts (``time.Parse`` / ``time.ParseInLocation``).

Go's parser is lenient and quirky in ways templates can observe: runs of spaces match each
other, ``_2`` accepts a leading space, a fraction after the seconds is accepted even when
the layout has none, ``.999`` takes up to nine digits, unknown zone abbreviations become
zones with offset zero (``GMT+3`` gets +3h but the clock reading is kept), numeric offsets
are not range-checked, and errors name the layout element and the rest of the value as
the element left it (``2006`` on ``20x4-07-01`` reports ``-07-01``). All of that is
reproduced here with Go 1.19's behaviour and error texts, because mittnite's release is
built with Go 1.19; Go works on bytes, and so does this parser.
"""

from __future__ import annotations

from mittnite.golang.gotime_calendar import (
    DAYS_BEFORE_MONTH,
    LONG_DAY_NAMES,
    LONG_MONTH_NAMES,
    NANOS_PER_SECOND,
    days_in_month,
    is_leap,
    leading_uint,
    wall_seconds,
)
from mittnite.golang.gotime_errors import ParseError, go_quote
from mittnite.golang.gotime_layout import LayoutElement, Std, split_layout
from mittnite.golang.gotime_zone import UTC, Location, fixed_zone

__all__ = ["parse_instant"]

_SHORT_MONTH_NAMES = tuple(name[:3] for name in LONG_MONTH_NAMES)
_SHORT_DAY_NAMES = tuple(name[:3] for name in LONG_DAY_NAMES)


class _BadValue(Exception):
    """The element could not be read from the value (Go's internal ``errBad``).

    ``rest`` is what Go 1.19 reports as the unparsed value: some elements consume part of
    the value before they fail (``2006`` takes four bytes, ``PM`` two, a zone offset its
    whole width); ``None`` means nothing was consumed.
    """

    def __init__(self, rest: str | None = None) -> None:
        super().__init__()
        self.rest = rest


class _OutOfRange(Exception):
    """A field was read but is out of range; carries the rest of the value for the message."""

    def __init__(self, what: str, rest: str) -> None:
        super().__init__(what)
        self.what = what
        self.rest = rest


def _is_digit(text: str, index: int) -> bool:
    return index < len(text) and "0" <= text[index] <= "9"


def _atoi(text: str) -> int:
    """Go's lenient ``atoi``: optional sign, digits only; the empty string is 0."""
    negative = False
    if text[:1] in ("-", "+"):
        negative = text[0] == "-"
        text = text[1:]
    result = leading_uint(text)
    if result is None or result[1] != "":
        raise _BadValue
    return -result[0] if negative else result[0]


def _getnum(text: str, fixed: bool) -> tuple[int, str]:
    """One or two digits (exactly two when ``fixed``)."""
    if not _is_digit(text, 0):
        raise _BadValue
    if not _is_digit(text, 1):
        if fixed:
            raise _BadValue
        return ord(text[0]) - 48, text[1:]
    return (ord(text[0]) - 48) * 10 + ord(text[1]) - 48, text[2:]


def _getnum3(text: str, fixed: bool) -> tuple[int, str]:
    """One to three digits (exactly three when ``fixed``)."""
    count = 0
    value = 0
    while count < 3 and _is_digit(text, count):
        value = value * 10 + ord(text[count]) - 48
        count += 1
    if count == 0 or (fixed and count != 3):
        raise _BadValue
    return value, text[count:]


def _matches_ignoring_case(candidate: str, name: str) -> bool:
    """ASCII case-insensitive comparison of equally long strings, as Go's ``match``."""
    for got, want in zip(candidate, name, strict=True):
        if got != want:
            folded = ord(got) | 0x20
            if folded != ord(want) | 0x20 or not 0x61 <= folded <= 0x7A:
                return False
    return True


def _lookup(table: tuple[str, ...], text: str) -> tuple[int, str]:
    """Index of the first name in ``table`` that starts ``text`` (any case), and the rest."""
    for index, name in enumerate(table):
        if len(text) >= len(name) and _matches_ignoring_case(text[: len(name)], name):
            return index, text[len(name) :]
    raise _BadValue


def _skip(value: str, prefix: str) -> tuple[str, bool]:
    """Consume the literal ``prefix``; a run of spaces matches any run of spaces."""
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                return value, False
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            return value, False
        prefix = prefix[1:]
        value = value[1:]
    return value, True


def _parse_nanoseconds(text: str, length: int) -> int:
    """Nanoseconds of a fraction ``.ddd`` occupying ``length`` characters of ``text``.

    Digits beyond the ninth are ignored (Go truncates to nanosecond precision).
    """
    if text[0] not in ".,":
        raise _BadValue
    used = min(length, 10)
    nanos = _atoi(text[1:used])
    if nanos < 0:
        raise _OutOfRange("fractional second", text[length:])
    scale: int = 10 ** (10 - used)
    return nanos * scale


def _signed_offset_length(text: str) -> int:
    """Length of a ``+hh``/``-h`` zone name (hours up to 23), 0 if there is none."""
    if text[:1] not in ("+", "-"):
        return 0
    result = leading_uint(text[1:])
    if result is None or result[1] == text[1:] or result[0] > 23:
        return 0
    return len(text) - len(result[1])


def _zone_name_length(text: str) -> int:
    """Length of the zone abbreviation starting ``text``, 0 if it does not look like one."""
    if len(text) < 3:
        return 0
    if text[:4] in ("ChST", "MeST"):
        return 4
    if text[:3] == "GMT":
        return 3 + (_signed_offset_length(text[3:]) if len(text) > 3 else 0)
    if text[0] in "+-":
        return _signed_offset_length(text)
    upper = 0
    while upper < 6 and upper < len(text) and "A" <= text[upper] <= "Z":
        upper += 1
    if upper == 3:
        return 3
    if upper == 4 and (text[3] == "T" or text[:4] == "WITA"):
        return 4
    if upper == 5 and text[4] == "T":
        return 5
    return 0


class _Reading:
    """Fields collected while walking the layout; -1 marks "not given"."""

    __slots__ = ("am", "day", "hour", "minute", "month", "nanosecond", "pm", "second", "yday",
                 "year", "zone", "zone_name", "zone_offset")  # fmt: skip

    def __init__(self) -> None:
        self.year = 0
        self.month = -1
        self.day = -1
        self.yday = -1
        self.hour = 0
        self.minute = 0
        self.second = 0
        self.nanosecond = 0
        self.pm = False
        self.am = False
        self.zone: Location | None = None
        self.zone_offset = -1
        self.zone_name = ""


_OFFSET_SHAPES = {
    # element: (characters taken, (hours, minutes, seconds) slices, colon positions)
    Std.ISO8601_TZ: (5, ((1, 3), (3, 5), None), ()),
    Std.NUM_TZ: (5, ((1, 3), (3, 5), None), ()),
    Std.ISO8601_COLON_TZ: (6, ((1, 3), (4, 6), None), (3,)),
    Std.NUM_COLON_TZ: (6, ((1, 3), (4, 6), None), (3,)),
    Std.ISO8601_SHORT_TZ: (3, ((1, 3), None, None), ()),
    Std.NUM_SHORT_TZ: (3, ((1, 3), None, None), ()),
    Std.ISO8601_SECONDS_TZ: (7, ((1, 3), (3, 5), (5, 7)), ()),
    Std.NUM_SECONDS_TZ: (7, ((1, 3), (3, 5), (5, 7)), ()),
    Std.ISO8601_COLON_SECONDS_TZ: (9, ((1, 3), (4, 6), (7, 9)), (3, 6)),
    Std.NUM_COLON_SECONDS_TZ: (9, ((1, 3), (4, 6), (7, 9)), (3, 6)),
}
_ACCEPTS_Z = frozenset({Std.ISO8601_TZ, Std.ISO8601_SHORT_TZ, Std.ISO8601_COLON_TZ})
"""Go 1.19 reads ``Z`` as UTC for ``Z07``, ``Z0700`` and ``Z07:00`` only."""


def _read_offset(element: int, text: str, reading: _Reading) -> str:
    """A numeric zone offset as Go 1.19 reads it: the element's full width is taken, each
    field is read with ``atoi`` (so a sign is tolerated) and there is no range check;
    sets ``zone_offset`` (or UTC for ``Z``) and returns the rest."""
    if element in _ACCEPTS_Z and text[:1] == "Z":
        reading.zone = UTC
        return text[1:]
    length, fields, colons = _OFFSET_SHAPES[element]
    if len(text) < length or any(text[colon] != ":" for colon in colons):
        raise _BadValue
    rest = text[length:]
    parts = [0, 0, 0]
    for index, span in enumerate(fields):
        if span is not None:
            try:
                parts[index] = _atoi(text[span[0] : span[1]])
            except _BadValue:
                raise _BadValue(rest) from None
    hours, minutes, seconds = parts
    if text[0] not in "+-":
        raise _BadValue(rest)
    offset = (hours * 60 + minutes) * 60 + seconds
    reading.zone_offset = -offset if text[0] == "-" else offset
    return rest


def _read_element(
    element: LayoutElement, next_element: LayoutElement | None, text: str, reading: _Reading
) -> str:
    """Read one layout element from ``text`` into ``reading``; returns the rest of ``text``."""
    std = element.std
    if std == Std.YEAR:
        if len(text) < 2:
            raise _BadValue
        year = _atoi(text[:2])
        reading.year = year + (1900 if year >= 69 else 2000)
        return text[2:]
    if std == Std.LONG_YEAR:
        if len(text) < 4 or not _is_digit(text, 0):
            raise _BadValue
        try:
            reading.year = _atoi(text[:4])
        except _BadValue:
            raise _BadValue(text[4:]) from None
        return text[4:]
    if std in (Std.MONTH, Std.LONG_MONTH):
        names = _SHORT_MONTH_NAMES if std == Std.MONTH else LONG_MONTH_NAMES
        index, rest = _lookup(names, text)
        reading.month = index + 1
        return rest
    if std in (Std.NUM_MONTH, Std.ZERO_MONTH):
        reading.month, rest = _getnum(text, std == Std.ZERO_MONTH)
        if not 1 <= reading.month <= 12:
            raise _OutOfRange("month", rest)
        return rest
    if std in (Std.WEEKDAY, Std.LONG_WEEKDAY):
        # The weekday is checked for syntax only.
        _, rest = _lookup(_SHORT_DAY_NAMES if std == Std.WEEKDAY else LONG_DAY_NAMES, text)
        return rest
    if std in (Std.DAY, Std.UNDER_DAY, Std.ZERO_DAY):
        if std == Std.UNDER_DAY and text[:1] == " ":
            text = text[1:]
        try:
            reading.day, rest = _getnum(text, std == Std.ZERO_DAY)
        except _BadValue:
            raise _BadValue(text) from None  # the space is gone in Go's message
        return rest  # validated against month and year once everything is read
    if std in (Std.UNDER_YEAR_DAY, Std.ZERO_YEAR_DAY):
        if std == Std.UNDER_YEAR_DAY:
            for _ in range(2):
                if text[:1] == " ":
                    text = text[1:]
        try:
            reading.yday, rest = _getnum3(text, std == Std.ZERO_YEAR_DAY)
        except _BadValue:
            raise _BadValue(text) from None
        return rest
    if std == Std.HOUR:
        reading.hour, rest = _getnum(text, False)
        if reading.hour >= 24:
            raise _OutOfRange("hour", rest)
        return rest
    if std in (Std.HOUR12, Std.ZERO_HOUR12):
        reading.hour, rest = _getnum(text, std == Std.ZERO_HOUR12)
        if reading.hour > 12:
            raise _OutOfRange("hour", rest)
        return rest
    if std in (Std.MINUTE, Std.ZERO_MINUTE):
        reading.minute, rest = _getnum(text, std == Std.ZERO_MINUTE)
        if reading.minute >= 60:
            raise _OutOfRange("minute", rest)
        return rest
    if std in (Std.SECOND, Std.ZERO_SECOND):
        return _read_second(std, next_element, text, reading)
    if std in (Std.PM, Std.LOWER_PM):
        if len(text) < 2:
            raise _BadValue
        marker = text[:2]
        pm, am = ("PM", "AM") if std == Std.PM else ("pm", "am")
        if marker == pm:
            reading.pm = True
        elif marker == am:
            reading.am = True
        else:
            raise _BadValue(text[2:])
        return text[2:]
    if std == Std.TZ:
        if text[:3] == "UTC":
            reading.zone = UTC
            return text[3:]
        length = _zone_name_length(text)
        if length == 0:
            raise _BadValue
        reading.zone_name = _text_view(text[:length])
        return text[length:]
    if std == Std.FRAC_SECOND0:
        length = 1 + element.digits  # exactly as many digits as the layout shows
        if len(text) < length:
            raise _BadValue
        try:
            reading.nanosecond = _parse_nanoseconds(text, length)
        except _BadValue:
            raise _BadValue(text[length:]) from None
        return text[length:]
    if std == Std.FRAC_SECOND9:
        if len(text) < 2 or text[0] not in ".," or not _is_digit(text, 1):
            return text  # the fraction is optional
        digits = 1
        while digits < 9 and _is_digit(text, digits + 1):
            digits += 1  # Go 1.19 takes at most nine digits; more are extra text
        reading.nanosecond = _parse_nanoseconds(text, 1 + digits)
        return text[1 + digits :]
    return _read_offset(std, text, reading)


def _read_second(std: int, next_element: LayoutElement | None, text: str, reading: _Reading) -> str:
    try:
        reading.second, rest = _getnum(text, std == Std.ZERO_SECOND)
        missing = False
    except _BadValue:
        # Go 1.19 carries on with 0 seconds; a fraction read below clears the error
        reading.second, rest, missing = 0, text, True
    if reading.second >= 60:
        raise _OutOfRange("second", rest)
    # A fraction right after the seconds is accepted even if the layout has none.
    if len(rest) >= 2 and rest[0] in ".," and _is_digit(rest, 1):
        if next_element is not None and next_element.std in (Std.FRAC_SECOND0,
                                                             Std.FRAC_SECOND9):  # fmt: skip
            if missing:
                raise _BadValue
            return rest
        length = 2
        while _is_digit(rest, length):
            length += 1
        reading.nanosecond = _parse_nanoseconds(rest, length)
        return rest[length:]
    if missing:
        raise _BadValue
    return rest


def _month_and_day_of(yday: int, year: int) -> tuple[int, int] | str:
    """Month and day of a day of the year, or the error message suffix."""
    month = day = 0
    if is_leap(year):
        if yday == 31 + 29:
            month, day = 2, 29
        elif yday > 31 + 29:
            yday -= 1
    if yday < 1 or yday > 365:
        return ": day-of-year out of range"
    if month == 0:
        month = (yday - 1) // 31 + 1
        if DAYS_BEFORE_MONTH[month] < yday:
            month += 1
        day = yday - DAYS_BEFORE_MONTH[month - 1]
    return month, day


def parse_instant(
    layout: str, value: str, default_location: Location, local: Location
) -> tuple[int, Location]:
    """Parse ``value`` with ``layout``: (unix nanoseconds, location) or :class:`ParseError`.

    ``default_location`` applies when the value names no zone; ``local`` is where zone
    offsets and abbreviations are looked up (``Parse`` passes UTC and Local,
    ``ParseInLocation`` the given location twice).
    """
    # Go parses bytes: work on a view with one character per UTF-8 byte, so that
    # "three digits" and "the rest of the value" mean what they mean in Go.
    layout_bytes, value_bytes = _byte_view(layout), _byte_view(value)
    pieces = split_layout(layout_bytes)
    reading = _Reading()
    rest = value_bytes
    for index, (prefix, element) in enumerate(pieces):
        rest, ok = _skip(rest, prefix)
        if not ok:
            raise ParseError(layout, value, _text_view(prefix), _text_view(rest))
        if element is None:
            if rest:
                extra = ": extra text: " + go_quote(_text_view(rest))
                raise ParseError(layout, value, "", _text_view(rest), extra)
            break
        next_element = pieces[index + 1][1]
        try:
            rest = _read_element(element, next_element, rest, reading)
        except _OutOfRange as error:
            raise ParseError(
                layout,
                value,
                _text_view(element.text),
                _text_view(error.rest),
                f": {error.what} out of range",
            ) from None
        except _BadValue as bad:
            unparsed = rest if bad.rest is None else bad.rest
            raise ParseError(layout, value, _text_view(element.text), _text_view(unparsed)) from None
    return _resolve(layout, value, _text_view(rest), reading, default_location, local)


def _byte_view(text: str) -> str:
    """``text`` with one character per UTF-8 byte (Latin-1 code points)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _text_view(view: str) -> str:
    """Back from :func:`_byte_view`; a cut through a character leaves invalid bytes."""
    if view.isascii():
        return view
    return view.encode("latin-1").decode("utf-8", "surrogateescape")


def _resolve(
    layout: str,
    value: str,
    rest: str,
    reading: _Reading,
    default_location: Location,
    local: Location,
) -> tuple[int, Location]:
    """Turn the collected fields into an instant and a location."""
    if reading.pm and reading.hour < 12:
        reading.hour += 12
    elif reading.am and reading.hour == 12:
        reading.hour = 0
    if reading.yday >= 0:
        result = _month_and_day_of(reading.yday, reading.year)
        if isinstance(result, str):
            raise ParseError(layout, value, "", rest, result)
        month, day = result
        if reading.month >= 0 and reading.month != month:
            raise ParseError(layout, value, "", rest, ": day-of-year does not match month")
        if reading.day >= 0 and reading.day != day:
            raise ParseError(layout, value, "", rest, ": day-of-year does not match day")
        reading.month, reading.day = month, day
    else:
        reading.month = 1 if reading.month < 0 else reading.month
        reading.day = 1 if reading.day < 0 else reading.day
    if reading.day < 1 or reading.day > days_in_month(reading.month, reading.year):
        raise ParseError(layout, value, "", rest, ": day out of range")

    wall, nanos = wall_seconds(reading.year, reading.month, reading.day, reading.hour,
                               reading.minute, reading.second, reading.nanosecond)  # fmt: skip
    if reading.zone is not None:
        return wall * NANOS_PER_SECOND + nanos, reading.zone
    if reading.zone_offset != -1:
        unix = wall - reading.zone_offset
        name, offset = local.lookup(unix)
        # Use the local zone if it had this offset (and name) at that instant.
        location = local
        if offset != reading.zone_offset or reading.zone_name not in ("", name):
            location = fixed_zone(reading.zone_name, reading.zone_offset)
        return unix * NANOS_PER_SECOND + nanos, location
    if reading.zone_name != "":
        known = local.lookup_name(reading.zone_name, wall)
        if known is not None:
            return (wall - known) * NANOS_PER_SECOND + nanos, local
        # An unknown abbreviation gets a made-up zone; the clock reading is kept as UTC.
        offset = 0
        if len(reading.zone_name) > 3 and reading.zone_name.startswith("GMT"):
            offset = _atoi(reading.zone_name[3:]) * 3600
        return wall * NANOS_PER_SECOND + nanos, fixed_zone(reading.zone_name, offset)
    unix = default_location.unix_from_wall(wall)
    return unix * NANOS_PER_SECOND + nanos, default_location

"""sprig's date functions (``now``, ``date``, ``toDate``, ``dateModify``, ``duration``, ...).

The clock work is done by :mod:`mittnite.golang.gotime` (Go's ``time`` package in
Python); its classes are the template values of Go's ``time.Time``, ``time.Duration``,
``time.Month``, ``time.Weekday`` and ``*time.Location``. Their registration and the methods
templates call on them (``(now).Year``, ``.Format "2006"``, ``.UTC``, ``.Sub``, ...) live in
:mod:`._dates_types`.

sprig's type rules are kept exactly, surprising ones included: ``date`` and friends accept a
``time.Time`` or an ``int``/``int64``/``int32`` of Unix seconds and silently use the current
time for anything else (``ago`` takes no ``int32``); ``duration`` only understands strings and
``int64`` (a plain ``int`` counts as 0); ``durationRound`` understands strings, ``int64`` and
times but not a ``time.Duration``; a failing ``toDate`` gives Go's zero time.
"""

from __future__ import annotations

from typing import Any

from mittnite.golang.gotime import (
    SECOND,
    UTC,
    Duration,
    DurationError,
    GoTime,
    Location,
    LocationError,
    ParseError,
    load_location,
    local_location,
    parse_duration,
    parse_in_location,
    since,
)
from mittnite.gotemplate.errors import GoError
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.sprig._dates_types import TIME  # also registers the time types
from mittnite.gotemplate.values import Int32, Int64

__all__ = [
    "FUNCS",
    "ago",
    "date",
    "date_in_zone",
    "date_modify",
    "duration",
    "duration_round",
    "format_date",
    "html_date",
    "html_date_in_zone",
    "must_date_modify",
    "must_to_date",
    "now",
    "to_date",
    "unix_epoch",
]

_HTML_LAYOUT = "2006-01-02"


def _unix_seconds(value: Any, *, with_int32: bool = True) -> int | None:
    """The Unix seconds an ``int``/``int64`` (and ``int32``) value stands for, else None."""
    kind = type(value)
    if kind is int or kind is Int64 or (with_int32 and kind is Int32):
        return int(value)
    return None


def _moment(value: Any, *, with_int32: bool = True) -> GoTime:
    """The time a ``date``-like function works on: a time, Unix seconds, or now."""
    if isinstance(value, GoTime):
        return value
    seconds = _unix_seconds(value, with_int32=with_int32)
    if seconds is not None:
        return GoTime.from_unix(seconds)
    return GoTime.now()


def _zone(name: str) -> Location:
    """``time.LoadLocation(name)``, UTC when that fails."""
    try:
        return load_location(name)
    except (LocationError, OSError, ValueError):
        return UTC


def format_date(value: Any, layout: str, zone: str) -> str:
    """sprig's ``dateInZone``: ``value`` (time, Unix seconds or now) in ``zone``, formatted."""
    return _moment(value).in_location(_zone(zone)).format(layout)


@gofunc(result=TIME)
def now() -> GoTime:
    """Go's ``time.Now`` (local, with a monotonic reading)."""
    return GoTime.now()


@gofunc("string", "interface {}", result="string")
def date(layout: str, value: Any) -> str:
    return format_date(value, layout, "Local")


@gofunc("string", "interface {}", "string", result="string")
def date_in_zone(layout: str, value: Any, zone: str) -> str:
    return format_date(value, layout, zone)


@gofunc("interface {}", result="string")
def html_date(value: Any) -> str:
    return format_date(value, _HTML_LAYOUT, "Local")


@gofunc("interface {}", "string", result="string")
def html_date_in_zone(value: Any, zone: str) -> str:
    return format_date(value, _HTML_LAYOUT, zone)


@gofunc("string", TIME, result=TIME)
def date_modify(text: str, moment: GoTime) -> GoTime:
    """Shift by a Go duration (``"-1.5h"``); an invalid duration leaves the time as is."""
    try:
        shift = parse_duration(text)
    except DurationError:
        return moment
    return moment.add(int(shift))


@gofunc("string", TIME, result=TIME, error=True)
def must_date_modify(text: str, moment: GoTime) -> GoTime:
    try:
        shift = parse_duration(text)
    except DurationError as problem:
        raise GoError(str(problem)) from None
    return moment.add(int(shift))


@gofunc("string", "string", result=TIME)
def to_date(layout: str, text: str) -> GoTime:
    """Parse in the local zone; a value that does not parse gives Go's zero time."""
    try:
        return parse_in_location(layout, text, local_location())
    except ParseError:
        return GoTime.zero()


@gofunc("string", "string", result=TIME, error=True)
def must_to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_in_location(layout, text, local_location())
    except ParseError as problem:
        raise GoError(str(problem)) from None


@gofunc(TIME, result="string")
def unix_epoch(moment: GoTime) -> str:
    return str(moment.unix())


@gofunc("interface {}", result="string")
def ago(value: Any) -> str:
    """Time elapsed since ``value`` (a time or ``int``/``int64`` Unix seconds), in seconds."""
    return str(since(_moment(value, with_int32=False)).round(SECOND))


@gofunc("interface {}", result="string")
def duration(seconds: Any) -> str:
    """Seconds as a Go duration; only strings and ``int64`` count (an ``int`` is 0)."""
    from mittnite.golang.strconv import NumError, parse_int
    from mittnite.gotemplate.sprig.math import wrap_int64

    count = 0
    if isinstance(seconds, str):
        try:
            count = parse_int(seconds, 10, 64)
        except NumError as problem:
            count = int(problem.value)  # strconv's clamped value on a range error, else 0
    elif type(seconds) is Int64:
        count = int(seconds)
    return str(Duration(wrap_int64(count * SECOND)))


_ROUND_UNITS = (
    (365 * 24 * 3600 * SECOND, "y"),
    (30 * 24 * 3600 * SECOND, "mo"),
    (24 * 3600 * SECOND, "d"),
    (3600 * SECOND, "h"),
    (60 * SECOND, "m"),
    (SECOND, "s"),
)


@gofunc("interface {}", result="string")
def duration_round(value: Any) -> str:
    """A duration in the largest unit it exceeds (``"2h10m"`` is ``2h``, 1h is ``60m``).

    Only strings (Go durations), ``int64`` nanoseconds and times (time since) are
    understood; anything else, a ``time.Duration`` included, counts as zero.
    """
    nanos = 0
    if isinstance(value, str):
        try:
            nanos = int(parse_duration(value))
        except DurationError:
            nanos = 0
    elif type(value) is Int64:
        nanos = int(value)
    elif isinstance(value, GoTime):
        nanos = int(since(value))
    magnitude = abs(nanos)  # Go negates as uint64: the most negative int64 stays 2**63
    for unit, suffix in _ROUND_UNITS:
        if magnitude > unit:
            return f"{magnitude // unit}{suffix}"
    return "0s"


FUNCS: FuncMap = {
    "now": now,
    "date": date,
    "dateInZone": date_in_zone,
    "date_in_zone": date_in_zone,
    "htmlDate": html_date,
    "htmlDateInZone": html_date_in_zone,
    "dateModify": date_modify,
    "date_modify": date_modify,
    "mustDateModify": must_date_modify,
    "must_date_modify": must_date_modify,
    "toDate": to_date,
    "mustToDate": must_to_date,
    "unixEpoch": unix_epoch,
    "ago": ago,
    "duration": duration,
    "durationRound": duration_round,
}

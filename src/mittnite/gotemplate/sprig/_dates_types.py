"""Go's ``time`` types as template values: registration and template-callable methods.

The values themselves are the classes of :mod:`mittnite.golang.gotime` (``GoTime``,
``Duration``, ``Month``, ``Weekday``, ``Location``), which name their Go type in a
``go_type`` attribute. Importing this module (the ``dates`` family does) registers those
classes as the Python classes of their Go types, so template constants convert to them
(``{{ (now).Add 1000000000 }}`` hands ``Duration(1000000000)`` to ``Add``), and attaches
the methods templates call: ``.Format "2006"``, ``.Year``, ``.Unix``, ``.UTC``, ``.Add``,
``.Sub``, ``.Hours``, ...

Only methods with at most one result besides an ``error`` are listed: Go templates cannot
call ``Date``, ``Clock``, ``Zone`` or ``ISOWeek`` (several results) anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mittnite.golang.gotime import (
    UTC,
    Duration,
    GoTime,
    Location,
    Month,
    Weekday,
    local_location,
)
from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import GoFunc
from mittnite.gotemplate.values import (
    GoStruct,
    Int64,
    NilPointer,
    Uint64,
    add_methods,
    define_type,
    set_field_view,
    slice_of,
)

__all__ = ["DURATION", "LOCATION", "MONTH", "TIME", "WEEKDAY", "go_syntax"]

TIME = "time.Time"
DURATION = "time.Duration"
MONTH = "time.Month"
WEEKDAY = "time.Weekday"
LOCATION = "*time.Location"

define_type(TIME, "struct", stringer=True, py_class=GoTime)
define_type(DURATION, "int64", stringer=True, py_class=Duration)
define_type(MONTH, "int", stringer=True, py_class=Month)
define_type(WEEKDAY, "int", stringer=True, py_class=Weekday)
define_type("time.Location", "struct", stringer=True)
define_type(LOCATION, "ptr", elem="time.Location", stringer=True, py_class=Location)

_NANOS_PER_SECOND = 1_000_000_000
_ZERO_TIME_UNIX = -62_135_596_800  # Unix seconds of Go's zero time, 0001-01-01 UTC

# -- the unexported fields fmt shows for verbs that do not call String() (%d of a time) ------

_LOCATION_FIELDS = ("name", "zone", "tx", "extend", "cacheStart", "cacheEnd", "cacheZone")
define_type("time.Location", "struct", fields=_LOCATION_FIELDS)
define_type("time.zone", "struct", fields=("name", "offset", "isDST"))
define_type("*time.zone", "ptr", elem="time.zone")
define_type("time.zoneTrans", "struct", fields=("when", "index", "isstd", "isutc"))


def _location_pointer(location: Location) -> Any:
    """A time's ``loc`` field: nil for UTC (Go stores no pointer for it), else the
    location's struct; Go's lookup cache is not modelled (it depends on the clock)."""
    from mittnite.golang.gotime import UTC

    if location is UTC:
        return NilPointer(LOCATION)
    zones = slice_of(
        "time.zone",
        [GoStruct("time.zone", {"name": n, "offset": o, "isDST": d}) for n, o, d in location.zones],
    )
    fields = {
        "name": location.name,
        "zone": zones,
        "tx": slice_of("time.zoneTrans", []),
        "extend": "",
        "cacheStart": Int64(0),
        "cacheEnd": Int64(0),
        "cacheZone": NilPointer("*time.zone"),
    }
    return GoStruct(LOCATION, fields)


def _time_fields(moment: GoTime) -> dict[str, Any]:
    """``time.Time``'s fields: ``wall`` (nanoseconds; no monotonic reading is printed),
    ``ext`` (seconds since January 1, year 1) and ``loc``."""
    return {
        "wall": Uint64(moment.nanosecond()),
        "ext": Int64(moment.unix() - _ZERO_TIME_UNIX),
        "loc": _location_pointer(moment.location()),
    }


define_type(TIME, "struct", fields=("wall", "ext", "loc"))
set_field_view(TIME, _time_fields)


def _method(
    name: str,
    fn: Callable[..., Any],
    *params: str,
    result: str,
    error: bool = False,
) -> GoFunc:
    return GoFunc(fn, params, result, error=error, name=name)


# -- time.Time ---------------------------------------------------------------------------


def go_syntax(moment: GoTime) -> str:
    """``Time.GoString``: ``time.Date(2021, time.January, 1, 0, 0, 0, 0, time.UTC)``."""
    from mittnite.gotemplate.gofmt import quote

    fields = moment.fields()
    month = fields.month
    month_text = f"time.{Month(month)}" if 1 <= month <= 12 else str(month)
    location = moment.location()
    if location is UTC:
        zone = "time.UTC"
    elif location is local_location():
        zone = "time.Local"
    else:
        zone = f"time.Location({quote(str(location))})"
    return (
        f"time.Date({fields.year}, {month_text}, {fields.day}, {fields.hour}, "
        f"{fields.minute}, {fields.second}, {moment.nanosecond()}, {zone})"
    )


def _without_monotonic(moment: GoTime, unix_nanos: int) -> GoTime:
    return GoTime(unix_nanos, moment.location())


def _since_zero_time(moment: GoTime, multiple: int) -> int:
    """``moment`` modulo ``multiple``, counted from Go's zero time (as Go's Truncate/Round)."""
    return (moment.unix_nano() - _ZERO_TIME_UNIX * _NANOS_PER_SECOND) % multiple


def _truncate(moment: GoTime, multiple: Duration) -> GoTime:
    step = int(multiple)
    if step <= 0:
        return _without_monotonic(moment, moment.unix_nano())
    return _without_monotonic(moment, moment.unix_nano() - _since_zero_time(moment, step))


def _round(moment: GoTime, multiple: Duration) -> GoTime:
    step = int(multiple)
    if step <= 0:
        return _without_monotonic(moment, moment.unix_nano())
    remainder = _since_zero_time(moment, step)
    if remainder + remainder < step:
        return _without_monotonic(moment, moment.unix_nano() - remainder)
    return _without_monotonic(moment, moment.unix_nano() + step - remainder)


def _in(moment: GoTime, location: Location | NilPointer) -> GoTime:
    if isinstance(location, NilPointer):
        raise GoPanic("time: missing Location in call to Time.In")
    return moment.in_location(location)


def _marshal_json(moment: GoTime) -> bytes:
    try:
        return moment.marshal_json().encode("utf-8")
    except ValueError as problem:
        raise GoError(str(problem)) from None


def _marshal_text(moment: GoTime) -> bytes:
    try:
        return moment.marshal_text().encode("utf-8")
    except ValueError as problem:
        raise GoError(str(problem)) from None


def _unix_nano(moment: GoTime) -> int:
    from mittnite.gotemplate.sprig.math import wrap_int64

    return wrap_int64(moment.unix_nano())


add_methods(
    TIME,
    {
        "String": _method("String", str, result="string"),
        "GoString": _method("GoString", go_syntax, result="string"),
        "Format": _method("Format", GoTime.format, "string", result="string"),
        "Year": _method("Year", GoTime.year, result="int"),
        "Month": _method("Month", GoTime.month, result=MONTH),
        "Day": _method("Day", GoTime.day, result="int"),
        "Hour": _method("Hour", GoTime.hour, result="int"),
        "Minute": _method("Minute", GoTime.minute, result="int"),
        "Second": _method("Second", GoTime.second, result="int"),
        "Nanosecond": _method("Nanosecond", GoTime.nanosecond, result="int"),
        "YearDay": _method("YearDay", GoTime.yearday, result="int"),
        "Weekday": _method("Weekday", GoTime.weekday, result=WEEKDAY),
        "Unix": _method("Unix", GoTime.unix, result="int64"),
        "UnixMilli": _method("UnixMilli", GoTime.unix_milli, result="int64"),
        "UnixMicro": _method("UnixMicro", GoTime.unix_micro, result="int64"),
        "UnixNano": _method("UnixNano", _unix_nano, result="int64"),
        "IsZero": _method("IsZero", GoTime.is_zero, result="bool"),
        "UTC": _method("UTC", GoTime.utc, result=TIME),
        "Local": _method("Local", GoTime.local, result=TIME),
        "Location": _method("Location", GoTime.location, result=LOCATION),
        "In": _method("In", _in, LOCATION, result=TIME),
        "Add": _method("Add", GoTime.add, DURATION, result=TIME),
        "AddDate": _method("AddDate", GoTime.add_date, "int", "int", "int", result=TIME),
        "Sub": _method("Sub", GoTime.sub, TIME, result=DURATION),
        "Equal": _method("Equal", GoTime.equal, TIME, result="bool"),
        "Before": _method("Before", GoTime.before, TIME, result="bool"),
        "After": _method("After", GoTime.after, TIME, result="bool"),
        "Truncate": _method("Truncate", _truncate, DURATION, result=TIME),
        "Round": _method("Round", _round, DURATION, result=TIME),
        "MarshalJSON": _method("MarshalJSON", _marshal_json, result="[]uint8", error=True),
        "MarshalText": _method("MarshalText", _marshal_text, result="[]uint8", error=True),
    },
)


# -- time.Duration -----------------------------------------------------------------------


def _duration_round(duration: Duration, multiple: Duration) -> Duration:
    return Duration(duration.round(int(multiple)))


def _duration_truncate(duration: Duration, multiple: Duration) -> Duration:
    return Duration(duration.truncate(int(multiple)))


add_methods(
    DURATION,
    {
        "String": _method("String", str, result="string"),
        "Hours": _method("Hours", Duration.hours, result="float64"),
        "Minutes": _method("Minutes", Duration.minutes, result="float64"),
        "Seconds": _method("Seconds", Duration.seconds, result="float64"),
        "Milliseconds": _method("Milliseconds", Duration.milliseconds, result="int64"),
        "Microseconds": _method("Microseconds", Duration.microseconds, result="int64"),
        "Nanoseconds": _method("Nanoseconds", Duration.nanoseconds, result="int64"),
        "Abs": _method("Abs", Duration.abs, result=DURATION),
        "Round": _method("Round", _duration_round, DURATION, result=DURATION),
        "Truncate": _method("Truncate", _duration_truncate, DURATION, result=DURATION),
    },
)

# -- time.Month, time.Weekday, *time.Location: String() only ------------------------------

for _type_name in (MONTH, WEEKDAY, LOCATION):
    add_methods(_type_name, {"String": _method("String", str, result="string")})

"""Go ``time`` semantics for mittnite: ``time.Time``, layouts, parsing, durations, zones.

Templates (sprig's ``now``, ``date``, ``toDate``, ``dateModify``, ``ago``, ...) and job output
timestamps must print exactly what the Go original prints. Python's ``datetime`` has neither
Go's layouts, nor nanoseconds, nor Go's calendar range and zone corner cases, so this package
models a Go time directly: an integer count of nanoseconds since the Unix epoch plus a
:class:`Location`, and optionally a monotonic clock reading (which ``String()`` shows as
``m=+0.001234567``, as for Go's ``time.Now()``).

This module is the public face; the work is done in the ``gotime_*`` modules next to it.
"""

from __future__ import annotations

import time

from mittnite.golang.gotime_calendar import (
    LONG_DAY_NAMES,
    LONG_MONTH_NAMES,
    NANOS_PER_SECOND,
    days_from_civil,
    wall_seconds,
)
from mittnite.golang.gotime_duration import (
    HOUR,
    MAX_DURATION,
    MICROSECOND,
    MILLISECOND,
    MIN_DURATION,
    MINUTE,
    NANOSECOND,
    SECOND,
    Duration,
    format_duration,
    parse_duration,
)
from mittnite.golang.gotime_errors import DurationError, LocationError, ParseError
from mittnite.golang.gotime_format import (
    CompiledLayout,
    WallFields,
    compile_layout,
    fields_at,
    format_now,
)
from mittnite.golang.gotime_layout import (
    ANSIC,
    DATE_ONLY,
    DATE_TIME,
    KITCHEN,
    LAYOUT,
    NAMED_LAYOUTS,
    RFC822,
    RFC822Z,
    RFC850,
    RFC1123,
    RFC1123Z,
    RFC3339,
    RFC3339_NANO,
    RUBY_DATE,
    STAMP,
    STAMP_MICRO,
    STAMP_MILLI,
    STAMP_NANO,
    TIME_ONLY,
    UNIX_DATE,
    named_layout,
)
from mittnite.golang.gotime_zone import (
    UTC,
    Location,
    fixed_zone,
    load_location,
    load_location_from_tzdata,
    local_location,
    reload_local,
)

__all__ = [
    "ANSIC",
    "DATE_ONLY",
    "DATE_TIME",
    "HOUR",
    "KITCHEN",
    "LAYOUT",
    "MAX_DURATION",
    "MICROSECOND",
    "MILLISECOND",
    "MINUTE",
    "MIN_DURATION",
    "NAMED_LAYOUTS",
    "NANOSECOND",
    "RFC822",
    "RFC822Z",
    "RFC850",
    "RFC1123",
    "RFC1123Z",
    "RFC3339",
    "RFC3339_NANO",
    "RUBY_DATE",
    "SECOND",
    "STAMP",
    "STAMP_MICRO",
    "STAMP_MILLI",
    "STAMP_NANO",
    "TIME_ONLY",
    "UNIX_DATE",
    "UTC",
    "CompiledLayout",
    "Duration",
    "DurationError",
    "GoTime",
    "Location",
    "LocationError",
    "Month",
    "ParseError",
    "Weekday",
    "compile_layout",
    "date",
    "fixed_zone",
    "format",
    "format_duration",
    "format_now",
    "load_location",
    "load_location_from_tzdata",
    "local_location",
    "named_layout",
    "now",
    "parse",
    "parse_duration",
    "parse_in_location",
    "reload_local",
    "since",
    "unix",
]

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
# Go keeps a monotonic reading only for wall times it can pack into 33 bits of seconds
# counted from 1885-01-01; anything outside loses the reading, exactly like here.
_MONO_WALL_START = days_from_civil(1885, 1, 1) * 86_400
_MONO_WALL_END = _MONO_WALL_START + (1 << 33) - 1
# Go reports monotonic readings relative to process start (and never as exactly zero).
_MONO_ORIGIN = time.monotonic_ns() - 1
_STRING_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST"


class Month(int):
    """Go's ``time.Month``: an int 1-12 whose ``str()`` is the English name."""

    __slots__ = ()
    go_type = "time.Month"

    def __str__(self) -> str:
        if 1 <= self <= 12:
            return LONG_MONTH_NAMES[self - 1]
        return f"%!Month({int(self)})"


class Weekday(int):
    """Go's ``time.Weekday``: an int 0-6 (Sunday = 0) whose ``str()`` is the English name."""

    __slots__ = ()
    go_type = "time.Weekday"

    def __str__(self) -> str:
        if 0 <= self <= 6:
            return LONG_DAY_NAMES[self]
        return f"%!Weekday({int(self)})"


def _keeps_monotonic(unix_nanos: int) -> bool:
    return _MONO_WALL_START <= unix_nanos // NANOS_PER_SECOND <= _MONO_WALL_END


class GoTime:
    """An immutable Go ``time.Time``: an instant (ns since the epoch), a location, and
    optionally a monotonic clock reading in nanoseconds since process start.

    Method names follow Go's in snake case (``Unix`` -> :meth:`unix`, ``AddDate`` ->
    :meth:`add_date`); ``str()`` is Go's ``String()``.
    """

    __slots__ = ("_location", "_monotonic", "_unix_nanos")
    go_type = "time.Time"

    def __init__(
        self, unix_nanos: int, location: Location = UTC, monotonic: int | None = None
    ) -> None:
        self._unix_nanos = unix_nanos
        self._location = location
        self._monotonic = monotonic

    # -- construction -----------------------------------------------------------------

    @classmethod
    def now(cls) -> GoTime:
        """The current local time with a monotonic reading (Go's ``time.Now``)."""
        return cls(time.time_ns(), local_location(), time.monotonic_ns() - _MONO_ORIGIN)

    @classmethod
    def from_unix(cls, seconds: int, nanoseconds: int = 0) -> GoTime:
        """The local time ``seconds`` + ``nanoseconds`` after the epoch (Go's ``time.Unix``)."""
        return cls(seconds * NANOS_PER_SECOND + nanoseconds, local_location())

    @classmethod
    def from_unix_nano(cls, nanoseconds: int) -> GoTime:
        """Go's ``time.Unix(0, nanoseconds)``."""
        return cls(nanoseconds, local_location())

    @classmethod
    def date(
        cls,
        year: int,
        month: int,
        day: int,
        hour: int = 0,
        minute: int = 0,
        second: int = 0,
        nanosecond: int = 0,
        location: Location = UTC,
    ) -> GoTime:
        """Go's ``time.Date``: out-of-range fields carry over (October 32 = November 1).

        A reading that does not exist (DST gap) or exists twice (DST overlap) in
        ``location`` resolves the way Go resolves it.
        """
        wall, nanos = wall_seconds(year, month, day, hour, minute, second, nanosecond)
        return cls(location.unix_from_wall(wall) * NANOS_PER_SECOND + nanos, location)

    @classmethod
    def zero(cls) -> GoTime:
        """Go's zero ``time.Time{}``: January 1, year 1, 00:00:00 UTC."""
        return cls(days_from_civil(1, 1, 1) * 86_400 * NANOS_PER_SECOND, UTC)

    # -- the instant ---------------------------------------------------------------------

    def unix(self) -> int:
        return self._unix_nanos // NANOS_PER_SECOND

    def unix_milli(self) -> int:
        return self._unix_nanos // 1_000_000

    def unix_micro(self) -> int:
        return self._unix_nanos // 1_000

    def unix_nano(self) -> int:
        return self._unix_nanos

    @property
    def monotonic(self) -> int | None:
        """The monotonic clock reading (ns since process start), if this time has one."""
        return self._monotonic

    def location(self) -> Location:
        return self._location

    def is_zero(self) -> bool:
        return self._unix_nanos == GoTime.zero()._unix_nanos

    # -- calendar fields -----------------------------------------------------------------

    def fields(self) -> WallFields:
        """All wall-clock fields at once (cheaper than calling the accessors one by one)."""
        return fields_at(self._unix_nanos // NANOS_PER_SECOND, self._location)

    def year(self) -> int:
        return self.fields().year

    def month(self) -> Month:
        return Month(self.fields().month)

    def day(self) -> int:
        return self.fields().day

    def hour(self) -> int:
        return self.fields().hour

    def minute(self) -> int:
        return self.fields().minute

    def second(self) -> int:
        return self.fields().second

    def nanosecond(self) -> int:
        return self._unix_nanos % NANOS_PER_SECOND

    def weekday(self) -> Weekday:
        return Weekday(self.fields().weekday)

    def yearday(self) -> int:
        return self.fields().yday

    def date_parts(self) -> tuple[int, Month, int]:
        """Go's ``Date()``: (year, month, day)."""
        fields = self.fields()
        return fields.year, Month(fields.month), fields.day

    def clock(self) -> tuple[int, int, int]:
        """Go's ``Clock()``: (hour, minute, second)."""
        fields = self.fields()
        return fields.hour, fields.minute, fields.second

    def zone(self) -> tuple[str, int]:
        """Go's ``Zone()``: (abbreviation, seconds east of UTC)."""
        return self._location.lookup(self._unix_nanos // NANOS_PER_SECOND)

    # -- conversions -----------------------------------------------------------------------

    def in_location(self, location: Location) -> GoTime:
        """The same instant seen in ``location`` (drops the monotonic reading, as Go does)."""
        return GoTime(self._unix_nanos, location)

    def utc(self) -> GoTime:
        return self.in_location(UTC)

    def local(self) -> GoTime:
        return self.in_location(local_location())

    # -- arithmetic --------------------------------------------------------------------------

    def add(self, duration: int) -> GoTime:
        """Go's ``Add``: the monotonic reading moves too unless it would overflow."""
        unix_nanos = self._unix_nanos + duration
        monotonic = self._monotonic
        if monotonic is not None:
            monotonic += duration
            if not (_INT64_MIN <= monotonic <= _INT64_MAX and _keeps_monotonic(unix_nanos)):
                monotonic = None
        return GoTime(unix_nanos, self._location, monotonic)

    def add_date(self, years: int, months: int, days: int) -> GoTime:
        """Go's ``AddDate``: add to the fields, then normalise (Jan 31 + 1 month = Mar 2/3)."""
        fields = self.fields()
        return GoTime.date(fields.year + years, fields.month + months, fields.day + days,
                           fields.hour, fields.minute, fields.second, self.nanosecond(),
                           self._location)  # fmt: skip

    def sub(self, other: GoTime) -> Duration:
        """Go's ``Sub``: monotonic readings win when both have one; saturates at int64."""
        if self._monotonic is not None and other._monotonic is not None:
            difference = self._monotonic - other._monotonic
        else:
            difference = self._unix_nanos - other._unix_nanos
        return Duration(min(max(difference, _INT64_MIN), _INT64_MAX))

    def _compare_key(self, other: GoTime) -> tuple[int, int]:
        if self._monotonic is not None and other._monotonic is not None:
            return self._monotonic, other._monotonic
        return self._unix_nanos, other._unix_nanos

    def equal(self, other: GoTime) -> bool:
        """Same instant (Go's ``Equal``), whatever the locations."""
        mine, theirs = self._compare_key(other)
        return mine == theirs

    def before(self, other: GoTime) -> bool:
        mine, theirs = self._compare_key(other)
        return mine < theirs

    def after(self, other: GoTime) -> bool:
        mine, theirs = self._compare_key(other)
        return mine > theirs

    def compare(self, other: GoTime) -> int:
        mine, theirs = self._compare_key(other)
        return (mine > theirs) - (mine < theirs)

    # -- text ------------------------------------------------------------------------------

    def format(self, layout: str) -> str:
        """Go's ``Format`` with a reference-time layout."""
        return compile_layout(layout)(self._unix_nanos, self._location)

    def _monotonic_suffix(self) -> str:
        if self._monotonic is None:
            return ""
        sign = "+" if self._monotonic >= 0 else "-"
        seconds, nanos = divmod(abs(self._monotonic), NANOS_PER_SECOND)
        return f" m={sign}{seconds}.{nanos:09d}"

    def __str__(self) -> str:
        return self.format(_STRING_LAYOUT) + self._monotonic_suffix()

    def __repr__(self) -> str:
        return f"GoTime({self})"

    def _strict_rfc3339(self, method: str) -> str:
        text = self.format(RFC3339_NANO)
        if text[4:5] != "-":
            raise ValueError(f"Time.{method}: year outside of range [0,9999]")
        if not text.endswith("Z") and (text[-6].isdigit() or int(text[-5:-3]) >= 24):
            raise ValueError(f"Time.{method}: timezone hour outside of range [0,23]")
        return text

    def marshal_json(self) -> str:
        """Go's ``MarshalJSON``: a quoted RFC 3339 timestamp with nanoseconds."""
        return '"' + self._strict_rfc3339("MarshalJSON") + '"'

    def marshal_text(self) -> str:
        """Go's ``MarshalText``: an RFC 3339 timestamp with nanoseconds."""
        return self._strict_rfc3339("MarshalText")

    # -- identity (Go's ==: same instant, same location, same monotonic reading) -----------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoTime):
            return NotImplemented
        return (
            self._unix_nanos == other._unix_nanos
            and self._location is other._location
            and self._monotonic == other._monotonic
        )

    def __hash__(self) -> int:
        return hash((self._unix_nanos, id(self._location), self._monotonic))


def now() -> GoTime:
    """Go's ``time.Now()``."""
    return GoTime.now()


def unix(seconds: int, nanoseconds: int = 0) -> GoTime:
    """Go's ``time.Unix(sec, nsec)`` (local time)."""
    return GoTime.from_unix(seconds, nanoseconds)


def date(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    nanosecond: int = 0,
    location: Location = UTC,
) -> GoTime:
    """Go's ``time.Date``."""
    return GoTime.date(year, month, day, hour, minute, second, nanosecond, location)


def since(moment: GoTime) -> Duration:
    """Go's ``time.Since``: the time elapsed since ``moment``."""
    return GoTime.now().sub(moment)


def format(moment: GoTime, layout: str) -> str:
    """Go's ``moment.Format(layout)``."""
    return moment.format(layout)


def parse(layout: str, value: str) -> GoTime:
    """Go's ``time.Parse``: zone-less values are UTC; offsets are matched against Local."""
    from mittnite.golang.gotime_parse import parse_instant

    unix_nanos, location = parse_instant(layout, value, UTC, local_location())
    return GoTime(unix_nanos, location)


def parse_in_location(layout: str, value: str, location: Location) -> GoTime:
    """Go's ``time.ParseInLocation``: zone-less values and zone lookups use ``location``."""
    from mittnite.golang.gotime_parse import parse_instant

    unix_nanos, found = parse_instant(layout, value, location, location)
    return GoTime(unix_nanos, found)

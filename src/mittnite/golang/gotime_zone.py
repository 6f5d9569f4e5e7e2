"""Go's ``*time.Location``: UTC, Local, fixed zones and IANA zones read from TZif files.

The TZif files are read here rather than through :mod:`zoneinfo` for three reasons: Go's
answers differ from CPython's in corner cases (which zone applies before the first
transition, how the trailing POSIX rule is evaluated), parsing a zone abbreviation needs
the file's list of zones, which ``zoneinfo`` does not expose, and ``zoneinfo`` plus
``datetime`` cost several milliseconds of start-up time that an init system should not pay
just to stamp log lines. A lookup is one :func:`bisect.bisect_right` over the transitions.

Files are found the way Go finds them: ``$ZONEINFO`` (a directory), then
``/usr/share/zoneinfo/``, ``/usr/share/lib/zoneinfo/``, ``/usr/lib/locale/TZ/`` and
``/etc/zoneinfo``. Local time follows Go's ``TZ`` rules: unset means ``/etc/localtime``,
empty means UTC, ``:name`` and absolute paths are honoured, and anything unloadable
silently becomes UTC.
"""

from __future__ import annotations

import errno
import os
from bisect import bisect_right

from mittnite.golang.gotime_errors import LocationError
from mittnite.golang.gotime_tzrule import parse_posix_rule

__all__ = [
    "UTC",
    "Location",
    "fixed_zone",
    "load_location",
    "load_location_from_tzdata",
    "local_location",
    "reload_local",
]

ZONE_SOURCES = (
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo",
)
_MAX_TZIF_SIZE = 10 << 20
_ALPHA = -(1 << 63)  # Go's "beginning of time" pseudo transition

# Go's messages for the errno values a zone file lookup can realistically hit.
_ERRNO_TEXT = {
    errno.EACCES: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "not a directory",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EINVAL: "invalid argument",
}

Zone = tuple[str, int, bool]
"""One zone of a location: (abbreviation, seconds east of UTC, is daylight saving time)."""


class Location:
    """A named set of zones and the instants at which each one applies (Go's ``Location``).

    Instances are immutable once built. ``str()`` gives Go's ``Location.String()``.
    """

    __slots__ = ("_extend", "_first_zone", "_single", "_tx_times", "_tx_zones", "name", "zones")
    go_type = "*time.Location"

    def __init__(
        self,
        name: str,
        zones: tuple[Zone, ...] = (),
        transitions: tuple[tuple[int, int], ...] = (),
        extend: str = "",
    ) -> None:
        """Build a location from zones and (unix second, zone index) transitions."""
        self.name = name
        self.zones = zones
        if zones and not transitions:
            transitions = ((_ALPHA, 0),)  # Go covers all time with zone 0
        self._tx_times = [when for when, _ in transitions]
        self._tx_zones = [zones[index] for _, index in transitions]
        self._first_zone = zones[_first_zone_index(zones, transitions)] if zones else None
        # The rule for instants after the last transition; like Go, a rule that does not
        # parse is ignored and the last transition's zone stays in effect.
        self._extend = parse_posix_rule(extend) if extend else None
        # A location with one zone and no rule answers every lookup the same way; one
        # without zones (UTC, or a local zone that failed to load) always says UTC.
        self._single: Zone | None = None
        if not zones:
            self._single = ("UTC", 0, False)
        elif len(zones) == 1 and not extend:
            self._single = zones[0]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Location({self.name!r})"

    def renamed(self, name: str) -> Location:
        """The same zones under another name (Go renames the local zone to "Local")."""
        clone = Location.__new__(Location)
        for slot in Location.__slots__:
            setattr(clone, slot, getattr(self, slot))
        clone.name = name
        return clone

    def lookup(self, unix_seconds: int) -> tuple[str, int]:
        """(abbreviation, seconds east of UTC) in effect at ``unix_seconds``."""
        single = self._single
        if single is not None:
            return single[0], single[1]
        zone = self._zone_at(unix_seconds)
        return zone[0], zone[1]

    def _zone_at(self, unix_seconds: int) -> Zone:
        times = self._tx_times
        if unix_seconds < times[0]:
            assert self._first_zone is not None
            return self._first_zone
        index = bisect_right(times, unix_seconds) - 1
        if index == len(times) - 1 and self._extend is not None:
            return self._extend.lookup(unix_seconds)
        return self._tx_zones[index]

    def lookup_name(self, abbreviation: str, unix_seconds: int) -> int | None:
        """Offset of the zone called ``abbreviation`` around ``unix_seconds``, if any.

        ``unix_seconds`` is the wall-clock reading taken as UTC. As in Go, a zone that was
        actually in effect then wins (Sydney uses "EST" for two offsets); otherwise the
        first zone with that name.
        """
        for name, offset, _ in self.zones:
            if name == abbreviation:
                in_effect, effective_offset = self.lookup(unix_seconds - offset)
                if in_effect == name:
                    return effective_offset
        for name, offset, _ in self.zones:
            if name == abbreviation:
                return offset
        return None

    def unix_from_wall(self, wall_seconds: int) -> int:
        """Instant of a wall-clock reading in this location, resolved like ``time.Date``.

        Go looks the zone up at the reading taken as UTC and, if the corrected instant lies
        outside that zone's period, looks again at the corrected instant. Both branches
        amount to using the zone in effect at the corrected instant, which also fixes Go's
        choice for readings that fall into a DST gap or overlap.
        """
        _, guess = self.lookup(wall_seconds)
        if guess == 0:
            return wall_seconds
        _, offset = self.lookup(wall_seconds - guess)
        return wall_seconds - offset


def _first_zone_index(zones: tuple[Zone, ...], transitions: tuple[tuple[int, int], ...]) -> int:
    """Index of the zone used before the first transition (tzcode's rules, as in Go)."""
    if all(index != 0 for _, index in transitions):
        return 0
    if transitions and zones[transitions[0][1]][2]:
        for index in range(transitions[0][1] - 1, -1, -1):
            if not zones[index][2]:
                return index
    for index, zone in enumerate(zones):
        if not zone[2]:
            return index
    return 0


UTC = Location("UTC")


def fixed_zone(name: str, offset: int) -> Location:
    """A location that always uses ``offset`` seconds east of UTC (Go's ``FixedZone``).

    ``name`` is both the location's name and the abbreviation ``MST`` prints; when it is
    empty, formatting prints the offset as ``-0700`` instead.
    """
    return Location(name, ((name, offset, False),))


class _MalformedError(ValueError):
    pass


def load_location_from_tzdata(name: str, data: bytes) -> Location:
    """Parse TZif ``data`` (Go's ``LoadLocationFromTZData``).

    Raises :class:`LocationError` ("malformed time zone information") on bad data.
    """
    try:
        return _parse_tzif(name, data)
    except (_MalformedError, IndexError):
        raise LocationError("malformed time zone information") from None


def _unsigned(data: bytes, position: int, size: int) -> int:
    if position + size > len(data):
        raise _MalformedError
    return int.from_bytes(data[position : position + size], "big")


def _signed(data: bytes, position: int, size: int) -> int:
    if position + size > len(data):
        raise _MalformedError
    return int.from_bytes(data[position : position + size], "big", signed=True)


def _counts(data: bytes, position: int) -> list[int]:
    """The six counts of a TZif header: isutc, isstd, leap, time, type and char."""
    return [_unsigned(data, position + 20 + 4 * index, 4) for index in range(6)]


def _parse_tzif(name: str, data: bytes) -> Location:
    if data[:4] != b"TZif" or len(data) < 44 or data[4:5] not in (b"\0", b"2", b"3", b"4"):
        raise _MalformedError
    counts = _counts(data, 0)
    position = 44
    time_size = 4
    if data[4:5] != b"\0":
        # Skip the 32-bit block; the version 2+ block that follows has 64-bit times.
        isutc, isstd, leaps, times, types, chars = counts
        position += times * 5 + types * 6 + chars + leaps * 8 + isstd + isutc
        if data[position : position + 4] != b"TZif":
            raise _MalformedError
        counts = _counts(data, position)
        position += 44
        time_size = 8
    isutc, isstd, leaps, times, types, chars = counts
    end = position + times * (time_size + 1) + types * 6 + chars + leaps * (time_size + 4)
    end += isstd + isutc
    if end > len(data) or types == 0:
        raise _MalformedError
    tx_times = [_signed(data, position + i * time_size, time_size) for i in range(times)]
    position += times * time_size
    tx_indexes = data[position : position + times]
    position += times
    type_records = data[position : position + types * 6]
    position += types * 6
    abbreviations = data[position : position + chars]
    zones = []
    for record in range(0, types * 6, 6):
        offset = _signed(type_records, record, 4)
        is_dst, abbr_index = type_records[record + 4], type_records[record + 5]
        if abbr_index >= len(abbreviations):
            raise _MalformedError
        abbr = abbreviations[abbr_index:].split(b"\0", 1)[0]
        zones.append((abbr.decode("utf-8", "surrogateescape"), offset, is_dst != 0))
    if any(index >= types for index in tx_indexes):
        raise _MalformedError
    rest = data[end:]
    extend = ""
    if len(rest) > 2 and rest[:1] == b"\n" and rest[-1:] == b"\n":
        extend = rest[1:-1].decode("utf-8", "surrogateescape")
    return Location(name, tuple(zones), tuple(zip(tx_times, tx_indexes, strict=True)), extend)


def _read_zone_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(_MAX_TZIF_SIZE + 1)
    if len(data) > _MAX_TZIF_SIZE:
        raise LocationError(f"{path} is too large")
    return data


def _os_error_text(error: OSError) -> str:
    number = error.errno or 0
    return _ERRNO_TEXT.get(number) or (error.strerror or str(error)).lower()


def _load_from_sources(name: str, sources: tuple[str, ...]) -> Location:
    """Go's ``loadLocation``: the first readable source wins; ENOENT is skipped quietly."""
    first_error: LocationError | None = None
    for source in sources:
        path = name if source == "" else source + "/" + name
        try:
            return load_location_from_tzdata(name, _read_zone_file(path))
        except FileNotFoundError:
            continue
        except OSError as error:
            candidate = LocationError(_os_error_text(error))
        except LocationError as error:
            candidate = error
        if first_error is None:
            first_error = candidate
    if first_error is not None:
        raise first_error
    raise LocationError(f"unknown time zone {name}")


_loaded: dict[str, Location] = {}


def load_location(name: str) -> Location:
    """The location called ``name``, like Go's ``time.LoadLocation``.

    ``""`` and ``"UTC"`` give :data:`UTC`, ``"Local"`` the local zone. Errors carry Go's
    texts: ``unknown time zone X``, ``time: invalid location name`` (names containing
    ``..`` or starting with a slash), ``is a directory`` and the like.
    """
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return local_location()
    cached = _loaded.get(name)
    if cached is not None:
        return cached
    if ".." in name or name[0] in "/\\":
        raise LocationError("time: invalid location name")
    first_error: LocationError | None = None
    directory = os.environ.get("ZONEINFO", "")
    if directory:
        try:
            location = load_location_from_tzdata(name, _read_zone_file(directory + "/" + name))
            _loaded[name] = location
            return location
        except FileNotFoundError:
            pass
        except OSError as error:
            first_error = LocationError(_os_error_text(error))
        except LocationError as error:
            first_error = error
    try:
        location = _load_from_sources(name, ZONE_SOURCES)
    except LocationError:
        if first_error is not None:
            raise first_error from None
        raise
    _loaded[name] = location
    return location


def _initial_local() -> Location:
    tz = os.environ.get("TZ")
    if tz is None:
        try:
            return _load_from_sources("localtime", ("/etc",)).renamed("Local")
        except LocationError:
            pass
    elif tz != "":
        if tz[0] == ":":
            tz = tz[1:]
        if tz.startswith("/"):
            try:
                location = _load_from_sources(tz, ("",))
                return location.renamed("Local" if tz == "/etc/localtime" else tz)
            except LocationError:
                pass
        elif tz not in ("", "UTC"):
            try:
                return _load_from_sources(tz, ZONE_SOURCES)
            except LocationError:
                pass
    return Location("UTC")


_local: Location | None = None


def local_location() -> Location:
    """Go's ``time.Local``, determined from ``TZ`` on first use and then fixed."""
    global _local
    if _local is None:
        _local = _initial_local()
    return _local


def reload_local() -> Location:
    """Re-read ``TZ`` (Go reads it once per process; tests and embedders need a reset)."""
    global _local
    _local = None
    return local_location()

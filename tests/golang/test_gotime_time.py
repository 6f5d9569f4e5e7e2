"""``GoTime`` arithmetic and construction: ``Date`` normalisation, ``AddDate``, ``Add``,
``Sub``, monotonic readings and JSON marshalling, against outputs recorded from Go."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.golang import gotime
from mittnite.golang.gotime import GoTime

DATA = json.loads((Path(__file__).parent / "data" / "gotime_date.json").read_text(encoding="utf-8"))
NS = 1_000_000_000


def zone_from_spec(spec: str) -> gotime.Location:
    """The location a test case names: UTC, fixed:NAME:OFFSET or an IANA name."""
    if spec == "UTC":
        return gotime.UTC
    if spec.startswith("fixed:"):
        _, name, offset = spec.split(":", 2)
        return gotime.fixed_zone(name, int(offset))
    return gotime.load_location(spec)


def assert_same_as_go(moment: GoTime, expected: dict[str, Any]) -> None:
    assert str(moment) == expected["string"]
    assert (moment.unix(), moment.nanosecond()) == (expected["sec"], expected["nsec"])
    assert moment.zone() == (expected["zone_name"], expected["offset"])


@pytest.mark.parametrize("case", DATA["date"], ids=lambda c: f"{c['fields']}@{c['zone']}")
def test_date_normalises_like_go(case: dict[str, Any]) -> None:
    year, month, day, hour, minute, second, nanos = case["fields"]
    moment = gotime.date(
        year, month, day, hour, minute, second, nanos, zone_from_spec(case["zone"])
    )
    assert_same_as_go(moment, case)


@pytest.mark.parametrize(
    "case", DATA["add_date"], ids=lambda c: f"{c['start']}@{c['zone']}+{c['ymd']}"
)
def test_add_date_matches_go(case: dict[str, Any]) -> None:
    seconds, nanos = case["start"]
    start = GoTime(seconds * NS + nanos, zone_from_spec(case["zone"]))
    assert_same_as_go(start.add_date(*case["ymd"]), case)


def test_jan_31_plus_one_month() -> None:
    # Go normalises February 31st to March 2nd (leap year) or 3rd.
    assert str(gotime.date(2024, 1, 31).add_date(0, 1, 0)) == "2024-03-02 00:00:00 +0000 UTC"
    assert str(gotime.date(2023, 1, 31).add_date(0, 1, 0)) == "2023-03-03 00:00:00 +0000 UTC"


@pytest.mark.parametrize("case", DATA["add"], ids=lambda c: f"{c['start']}+{c['dur']}")
def test_add_matches_go(case: dict[str, Any]) -> None:
    seconds, nanos = case["start"]
    start = GoTime(seconds * NS + nanos, zone_from_spec(case["zone"]))
    assert_same_as_go(start.add(case["dur"]), case)


@pytest.mark.parametrize("case", DATA["sub"], ids=lambda c: f"{c['a']}-{c['b']}")
def test_sub_saturates_like_go(case: dict[str, Any]) -> None:
    first = GoTime(case["a"][0] * NS + case["a"][1])
    second = GoTime(case["b"][0] * NS + case["b"][1])
    assert first.sub(second) == case["ns"]


@pytest.mark.parametrize("case", DATA["mono"], ids=lambda c: str(c["mono"]))
def test_monotonic_suffix_matches_go(case: dict[str, Any]) -> None:
    moment = GoTime(0, gotime.UTC, case["mono"])
    assert str(moment) == "1970-01-01 00:00:00 +0000 UTC" + case["suffix"]


def test_now_prints_like_go_now() -> None:
    text = str(gotime.now())
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? [+-]\d{4} \S+ m=\+\d+\.\d{9}", text
    )


def test_monotonic_reading_follows_go_rules() -> None:
    start = gotime.now()
    later = start.add(1_500)
    assert later.monotonic == start.monotonic + 1_500  # type: ignore[operator]
    assert later.sub(start) == 1_500
    assert start.in_location(gotime.UTC).monotonic is None  # In/UTC/Local drop it
    assert start.add_date(0, 0, 1).monotonic is None
    assert start.add(200 * 365 * 86_400 * NS).monotonic is None  # past 2157: wall only
    assert later.after(start) and start.before(later) and not start.equal(later)
    assert start.compare(later) == -1 and later.compare(start) == 1
    assert gotime.since(start) >= 0


def test_equality_is_go_equality() -> None:
    utc = gotime.date(2024, 7, 1, 12)
    berlin = utc.in_location(gotime.load_location("Europe/Berlin"))
    assert utc.equal(berlin)
    assert utc != berlin  # Go's == also compares the location
    assert utc == gotime.date(2024, 7, 1, 12)
    assert len({utc, gotime.date(2024, 7, 1, 12)}) == 1


def test_zero_time() -> None:
    zero = GoTime.zero()
    assert str(zero) == "0001-01-01 00:00:00 +0000 UTC"
    assert zero.is_zero() and not gotime.date(2024, 1, 1).is_zero()
    assert zero.unix() == -62135596800


def test_unix_constructors_use_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    gotime.reload_local()
    try:
        moment = gotime.unix(1_720_000_000, 5)
        assert str(moment) == "2024-07-03 15:16:40.000000005 +0530 IST"
        assert GoTime.from_unix_nano(moment.unix_nano()) == moment
        assert (moment.unix_milli(), moment.unix_micro()) == (
            1_720_000_000_000,
            1_720_000_000_000_000,
        )
        assert str(moment.utc()) == "2024-07-03 09:46:40.000000005 +0000 UTC"
        assert moment.utc().local().location() is gotime.local_location()
    finally:
        monkeypatch.undo()
        gotime.reload_local()


def test_field_accessors() -> None:
    moment = gotime.date(2024, 2, 29, 13, 14, 15, 16)
    assert (moment.year(), moment.month(), moment.day()) == (2024, 2, 29)
    assert (moment.hour(), moment.minute(), moment.second()) == (13, 14, 15)
    assert moment.clock() == (13, 14, 15)
    assert str(moment.month()) == "February" and moment.month().go_type == "time.Month"
    assert str(moment.weekday()) == "Thursday" and moment.weekday() == 4
    assert moment.yearday() == 60
    assert str(gotime.Month(13)) == "%!Month(13)"
    assert str(gotime.Weekday(7)) == "%!Weekday(7)"
    assert GoTime.go_type == "time.Time"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (gotime.date(2024, 7, 1, 12, 0, 0, 5), '"2024-07-01T12:00:00.000000005Z"'),
        (
            gotime.date(2024, 7, 1, 12, 0, 0, 0, gotime.fixed_zone("", 5 * 3600 + 1800)),
            '"2024-07-01T12:00:00+05:30"',
        ),
    ],
)
def test_marshal_json(moment: GoTime, expected: str) -> None:
    # Go 1.20+: MarshalJSON is RFC 3339 with nanoseconds, quoted.
    assert moment.marshal_json() == expected
    assert moment.marshal_text() == expected[1:-1]


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (gotime.date(10000, 1, 1), "Time.MarshalJSON: year outside of range [0,9999]"),
        (gotime.date(-1, 1, 1), "Time.MarshalJSON: year outside of range [0,9999]"),
        (
            gotime.date(2024, 1, 1, 0, 0, 0, 0, gotime.fixed_zone("", 24 * 3600)),
            "Time.MarshalJSON: timezone hour outside of range [0,23]",
        ),
    ],
)
def test_marshal_json_rejects_what_go_rejects(moment: GoTime, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        moment.marshal_json()
    assert str(caught.value) == message


# Instants whose local year stays within 0000-9999 for any offset under a day.
instants = st.integers(
    min_value=(-62_167_219_200 + 86_400) * NS, max_value=(253_402_300_799 - 86_400) * NS
)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(lambda m: m * 60)


@given(instants, offsets)
def test_rfc3339_nano_round_trips(unix_nanos: int, offset: int) -> None:
    # Years 0000-9999 and whole-minute offsets survive Format+Parse exactly.
    moment = GoTime(unix_nanos, gotime.fixed_zone("", offset))
    parsed = gotime.parse_in_location(
        gotime.RFC3339_NANO, moment.format(gotime.RFC3339_NANO), gotime.UTC
    )
    assert parsed.unix_nano() == unix_nanos
    assert parsed.zone()[1] == offset


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_add_date_days_equals_add_in_utc(days: int) -> None:
    start = gotime.date(2000, 1, 1)
    assert start.add_date(0, 0, days).unix() == start.unix() + days * 86_400

"""Locations: TZif reading, zone lookups (including POSIX rules past the last transition),
``LoadLocation`` errors and Go's ``TZ`` handling for Local, against outputs recorded from Go.

The zone data covers every zone of zone1970.tab plus links, ``Etc/GMT+5``-style zones,
``posix/`` and ``right/`` (leap-second) variants, at fixed instants from year -400 to
year 318857 and at random instants up to year 2500 where the trailing rule applies.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.golang import gotime
from mittnite.golang.gotime_calendar import civil_from_days, days_from_civil

DATA = Path(__file__).parent / "data"
ZONES = json.loads((DATA / "gotime_zones.json").read_text(encoding="utf-8"))
LOCATIONS = json.loads((DATA / "gotime_location.json").read_text(encoding="utf-8"))
RULES = json.loads((DATA / "gotime_tzrules.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(ZONES["zones"]))
def test_zone_lookups_match_go(name: str) -> None:
    location = gotime.load_location(name)
    recorded = ZONES["zones"][name]
    for instant, expected in zip(ZONES["base"], recorded["base"], strict=True):
        abbreviation, offset = expected.rsplit(" ", 1)
        assert location.lookup(instant) == (abbreviation, int(offset)), instant
    for entry in recorded["extra"]:
        instant, abbreviation, offset = entry.split(" ")
        assert location.lookup(int(instant)) == (abbreviation, int(offset)), instant


@pytest.mark.parametrize("case", LOCATIONS["load"], ids=lambda c: repr(c["input"][:40]))
def test_load_location_matches_go(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the Go run's environment
    monkeypatch.delenv("ZONEINFO", raising=False)
    gotime.reload_local()
    try:
        if "error" in case:
            with pytest.raises(gotime.LocationError) as caught:
                gotime.load_location(case["input"])
            assert str(caught.value) == case["error"]
        else:
            assert str(gotime.load_location(case["input"])) == case["name"]
    finally:
        monkeypatch.undo()
        gotime.reload_local()


@pytest.mark.parametrize("case", LOCATIONS["local"], ids=lambda c: repr(c["tz"]))
def test_local_zone_follows_tz_like_go(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    if case["tz"] is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", case["tz"])
    try:
        local = gotime.reload_local()
        assert str(local) == case["name"]
        printed = [
            gotime.GoTime(second * 1_000_000_000, local).format("2006-01-02 15:04:05 -0700 MST")
            for second in case["secs"]
        ]
        assert printed == case["formatted"]
        assert gotime.load_location("Local") is local
    finally:
        monkeypatch.undo()
        gotime.reload_local()


def test_zoneinfo_variable_is_searched_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path("/usr/share/zoneinfo/Asia/Tokyo").read_bytes()
    (tmp_path / "Mine").mkdir()
    (tmp_path / "Mine" / "Zone").write_bytes(source)
    monkeypatch.setenv("ZONEINFO", str(tmp_path))
    location = gotime.load_location("Mine/Zone")
    assert str(location) == "Mine/Zone"
    assert location.lookup(1_720_000_000) == ("JST", 9 * 3600)


def test_malformed_tzdata() -> None:
    with pytest.raises(gotime.LocationError) as caught:
        gotime.load_location_from_tzdata("x", b"TZif2" + b"\0" * 10)
    assert str(caught.value) == "malformed time zone information"


def test_fixed_zone_without_name_prints_offset() -> None:
    zone = gotime.fixed_zone("", -(3 * 3600 + 30 * 60))
    assert gotime.GoTime(0, zone).format("MST|Z07:00") == "-0330|-03:30"
    assert str(zone) == "" and zone.go_type == "*time.Location"


def test_zone_names_for_parsing() -> None:
    sydney = gotime.load_location("Australia/Sydney")
    july, january = 1_720_000_000, 1_705_000_000
    assert sydney.lookup_name("AEST", july) == 10 * 3600
    assert sydney.lookup_name("AEDT", january) == 11 * 3600
    assert sydney.lookup_name("CET", july) is None
    assert gotime.UTC.lookup_name("UTC", july) is None  # Go's UTC has no zone list
    assert gotime.fixed_zone("XYZ", 60).lookup_name("XYZ", july) == 60


def tzif_with_rule(rule: str) -> bytes:
    """A TZif file with one zone "ZZZ", no transitions and ``rule`` as its footer."""
    header = b"TZif2" + b"\0" * 15 + struct.pack(">6L", 0, 0, 0, 0, 1, 4)
    body = struct.pack(">lBB", 0, 0, 0) + b"ZZZ\0"
    return header + body + header + body + b"\n" + rule.encode() + b"\n"


@pytest.mark.parametrize("case", RULES["rules"], ids=lambda c: repr(c["rule"]))
def test_posix_rules_evaluate_like_go(case: dict[str, Any]) -> None:
    # Go falls back to the file's zone ("ZZZ") when it cannot parse the rule.
    location = gotime.load_location_from_tzdata("x", tzif_with_rule(case["rule"]))
    for instant, expected in zip(RULES["secs"], case["lookups"], strict=True):
        abbreviation, offset = expected.rsplit(" ", 1)
        assert location.lookup(instant) == (abbreviation, int(offset)), instant


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_day_numbers_and_dates_round_trip(days: int) -> None:
    year, month, day = civil_from_days(days)
    assert 1 <= month <= 12 and 1 <= day <= 31
    assert days_from_civil(year, month, day) == days

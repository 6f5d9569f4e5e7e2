"""Go ``Time.Format`` / ``String`` compatibility, checked against outputs recorded from Go.

The data files were produced by a small Go program (Go's own ``time`` package) and cover every
layout element, every named layout, instants from year -1000 to 12000, DST transitions in
Europe/Berlin and America/New_York (also after 2037, where the zone's POSIX rule applies),
half-hour and 45-minute zones, fixed zones with odd offsets, and strange layouts.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mittnite.golang import gotime

DATA = Path(__file__).parent / "data"
FORMAT_DATA = json.loads((DATA / "gotime_format.json").read_text(encoding="utf-8"))
QUIRK_DATA = json.loads((DATA / "gotime_layout_quirks.json").read_text(encoding="utf-8"))


def zone_from_spec(spec: str) -> gotime.Location:
    """The location a test case names: UTC, Local, fixed:NAME:OFFSET or an IANA name."""
    if spec == "UTC":
        return gotime.UTC
    if spec == "Local":
        return gotime.local_location()
    if spec.startswith("fixed:"):
        _, name, offset = spec.split(":", 2)
        return gotime.fixed_zone(name, int(offset))
    return gotime.load_location(spec)


@pytest.fixture(autouse=True)
def go_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Go runs used TZ=Europe/Berlin; give Local the same zone."""
    monkeypatch.setenv("TZ", FORMAT_DATA["tz"])
    gotime.reload_local()
    yield
    monkeypatch.undo()
    gotime.reload_local()


def case_id(case: dict[str, Any]) -> str:
    return f"{case['sec']}.{case['nsec']:09d}@{case['zone']}"


@pytest.mark.parametrize("case", FORMAT_DATA["cases"], ids=case_id)
def test_format_matches_go(case: dict[str, Any]) -> None:
    moment = gotime.GoTime(case["sec"] * 1_000_000_000 + case["nsec"], zone_from_spec(case["zone"]))
    got = [moment.format(layout) for layout in FORMAT_DATA["layouts"]]
    assert got == case["out"]
    assert str(moment) == case["string"]
    year, month, day, weekday, yday = case["fields"]
    assert moment.date_parts() == (year, month, day)
    assert (moment.weekday(), moment.yearday()) == (weekday, yday)
    assert moment.zone() == (case["abbr"], case["offset"])
    assert moment.unix() == case["sec"]
    assert moment.nanosecond() == case["nsec"]


@pytest.mark.parametrize("case", QUIRK_DATA["cases"], ids=case_id)
def test_unusual_layouts_match_go(case: dict[str, Any]) -> None:
    moment = gotime.GoTime(case["sec"] * 1_000_000_000 + case["nsec"], zone_from_spec(case["zone"]))
    for layout, expected in zip(QUIRK_DATA["layouts"], case["out"], strict=True):
        assert moment.format(layout) == expected, layout[:60]


def test_named_layouts_are_go_constants() -> None:
    go_names = FORMAT_DATA["named"]
    go_values = FORMAT_DATA["layouts"][1:]
    assert dict(zip(go_names, go_values, strict=True)) == gotime.NAMED_LAYOUTS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("RFC3339", "2006-01-02T15:04:05Z07:00"),
        ("RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"),
        ("Kitchen", "3:04PM"),
        ("StampNano", "Jan _2 15:04:05.000000000"),
        ("DateTime", "2006-01-02 15:04:05"),
        ("ANSIC", "Mon Jan _2 15:04:05 2006"),
        # mittnite's timestampFormat table leaves these two out (upstream-behavior §9.4) ...
        ("Layout", None),
        ("RFC850", None),
        # ... and knows nothing else, including different spellings.
        ("rfc3339", None),
        ("", None),
        ("RFC3339 ", None),
    ],
)
def test_named_layout_follows_mittnite_timestamp_table(name: str, expected: str | None) -> None:
    assert gotime.named_layout(name) == expected


def test_fraction_digits_come_from_nanoseconds_not_cache() -> None:
    layout = gotime.compile_layout(gotime.RFC3339_NANO)
    base = 1_720_000_000 * 1_000_000_000
    first = layout(base + 5, gotime.UTC)
    second = layout(base + 500_000_000, gotime.UTC)  # same second: cached text reused
    third = layout(base, gotime.UTC)
    assert (first, second, third) == (
        "2024-07-03T09:46:40.000000005Z",
        "2024-07-03T09:46:40.5Z",
        "2024-07-03T09:46:40Z",
    )


def test_cache_is_per_location() -> None:
    layout = gotime.compile_layout("15:04 MST")
    instant = 1_720_000_000 * 1_000_000_000
    assert layout(instant, gotime.UTC) == "09:46 UTC"
    assert layout(instant, gotime.fixed_zone("EST", -5 * 3600)) == "04:46 EST"
    assert layout(instant, gotime.UTC) == "09:46 UTC"


def test_format_now_uses_local_zone() -> None:
    before = time.time_ns()
    text = gotime.format_now(gotime.RFC3339)
    after = time.time_ns()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", text)
    parsed = gotime.parse(gotime.RFC3339, text)
    assert before // 1_000_000_000 <= parsed.unix() <= after // 1_000_000_000
    assert parsed.zone()[1] in (3600, 7200)  # Europe/Berlin, from the fixture


def test_module_level_format() -> None:
    moment = gotime.date(2006, 1, 2, 15, 4, 5, 0, gotime.fixed_zone("MST", -7 * 3600))
    assert gotime.format(moment, gotime.UNIX_DATE) == "Mon Jan  2 15:04:05 MST 2006"

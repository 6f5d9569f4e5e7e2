"""Go ``time.Parse`` / ``time.ParseInLocation`` compatibility, against outputs recorded from Go.

The recorded cases cover every layout element (valid, malformed and out-of-range values),
Go's leniencies (space runs, ``_2``, fractions the layout does not show, case-insensitive
month and day names), zone offsets and abbreviations matched against the local zone, the
made-up zones for unknown abbreviations, day-of-year layouts, DST gaps, and the exact error
texts. They are Go 1.19's answers (data/gen_gotime_parse.py; the version mittnite's release
is built with): error elements name the rest of the value as the failing element left it,
``.999`` takes at most nine digits, zone offsets are not range-checked and only ``Z07``,
``Z0700`` and ``Z07:00`` read ``Z``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mittnite.golang import gotime

DATA = Path(__file__).parent / "data"
PARSE_DATA = json.loads((DATA / "gotime_parse.json").read_text(encoding="utf-8"))


def zone_from_spec(spec: str) -> gotime.Location:
    """The location a test case names: UTC, fixed:NAME:OFFSET or an IANA name."""
    if spec == "UTC":
        return gotime.UTC
    if spec.startswith("fixed:"):
        _, name, offset = spec.split(":", 2)
        return gotime.fixed_zone(name, int(offset))
    return gotime.load_location(spec)


@pytest.fixture(autouse=True)
def go_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Go runs used TZ=Europe/Berlin; give Local the same zone."""
    monkeypatch.setenv("TZ", PARSE_DATA["tz"])
    gotime.reload_local()
    yield
    monkeypatch.undo()
    gotime.reload_local()


def case_id(case: dict[str, Any]) -> str:
    where = f"@{case['zone']}" if case["zone"] else ""
    return f"{case['layout'][:30]!r}<-{case['value'][:30]!r}{where}"


@pytest.mark.parametrize("case", PARSE_DATA["cases"], ids=case_id)
def test_parse_matches_go(case: dict[str, Any]) -> None:
    try:
        if case["zone"] is None:
            result = gotime.parse(case["layout"], case["value"])
        else:
            result = gotime.parse_in_location(
                case["layout"], case["value"], zone_from_spec(case["zone"])
            )
    except gotime.ParseError as error:
        assert "error" in case, f"Go parsed it: {case.get('string')}"
        assert str(error) == case["error"]
        return
    assert "error" not in case, f"Go failed with: {case.get('error')}"
    assert str(result) == case["string"]
    assert (result.unix(), result.nanosecond()) == (case["sec"], case["nsec"])
    assert result.zone() == (case["zone_name"], case["offset"])
    assert str(result.location()) == case["loc"]


def test_parse_error_fields() -> None:
    with pytest.raises(gotime.ParseError) as caught:
        gotime.parse("2006-01-02", "2024/07/01")
    error = caught.value
    assert (error.layout, error.value, error.layout_elem, error.value_elem) == (
        "2006-01-02",
        "2024/07/01",
        "-",
        "/07/01",
    )
    assert isinstance(error, ValueError)


def test_parse_uses_the_local_zone_object_when_offsets_match() -> None:
    result = gotime.parse("2006-01-02 15:04 -0700", "2024-07-15 10:00 +0200")
    assert result.location() is gotime.local_location()


def test_parse_in_location_keeps_the_given_location() -> None:
    kolkata = gotime.load_location("Asia/Kolkata")
    result = gotime.parse_in_location(gotime.DATE_TIME, "2024-07-15 10:00:00", kolkata)
    assert result.location() is kolkata
    assert result.format(gotime.RFC3339) == "2024-07-15T10:00:00+05:30"

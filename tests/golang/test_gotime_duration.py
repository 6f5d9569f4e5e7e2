"""Go ``time.ParseDuration`` and ``Duration`` methods, against outputs recorded from Go."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.golang.gotime import (
    MAX_DURATION,
    MIN_DURATION,
    Duration,
    DurationError,
    format_duration,
    parse_duration,
)

DATA = json.loads(
    (Path(__file__).parent / "data" / "gotime_duration.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", DATA["parse"], ids=lambda case: repr(case["input"]))
def test_parse_duration_matches_go(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(DurationError) as caught:
            parse_duration(case["input"])
        assert str(caught.value) == case["error"]
    else:
        parsed = parse_duration(case["input"])
        assert parsed == case["ns"]
        assert isinstance(parsed, Duration)


@pytest.mark.parametrize("case", DATA["format"], ids=lambda case: str(case["ns"]))
def test_duration_methods_match_go(case: dict[str, Any]) -> None:
    duration = Duration(case["ns"])
    assert str(duration) == case["string"]
    assert format_duration(case["ns"]) == case["string"]
    assert duration.hours() == case["hours"]
    assert duration.minutes() == case["minutes"]
    assert duration.seconds() == case["seconds"]
    assert duration.milliseconds() == case["ms"]
    assert duration.microseconds() == case["us"]
    assert duration.abs() == case["abs"]
    for multiple, (rounded, truncated) in case["round_trunc"].items():
        assert duration.round(int(multiple)) == rounded, f"Round({multiple})"
        assert duration.truncate(int(multiple)) == truncated, f"Truncate({multiple})"


def test_duration_is_an_int_with_go_type_name() -> None:
    duration = parse_duration("1m30s")
    assert duration + 1 == 90_000_000_001
    assert Duration.go_type == "time.Duration"
    assert repr(duration) == "Duration(90000000000)"


@given(st.integers(min_value=MIN_DURATION, max_value=MAX_DURATION))
def test_printed_durations_parse_back(nanoseconds: int) -> None:
    # Go's String() output is valid ParseDuration input denoting the same duration.
    assert parse_duration(format_duration(nanoseconds)) == nanoseconds


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.sampled_from(["h", "m", "s"])),
        min_size=1,
        max_size=4,
    )
)
def test_unit_sums(parts: list[tuple[int, str]]) -> None:
    seconds_per_unit = {"h": 3600, "m": 60, "s": 1}
    text = "".join(f"{amount}{unit}" for amount, unit in parts)
    expected = sum(amount * seconds_per_unit[unit] for amount, unit in parts) * 10**9
    assert parse_duration(text) == expected
    assert parse_duration("-" + text) == -expected

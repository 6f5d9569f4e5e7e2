"""sprig's date functions and the Go ``time`` values they hand to templates.

``data/sprig_dates.json`` (recorded by ``data/gen_sprig_values.py``) holds Go's
answers for fixed times (``toDate``, Unix seconds) rendered under several
``TZ`` values, because ``date``, ``toDate`` and ``htmlDate`` use the local
zone: formatting, zones, DST gaps and overlaps, ``dateModify``, ``duration``,
``durationRound``, and the methods of ``time.Time``/``time.Duration``
(``.Year``, ``.Sub``, ``.Round``, ``%T``/``%d`` of ``time.Month``...). Clock
dependent functions (``now``, ``ago``) are checked by their format here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from mittnite.golang.gotime import reload_local

from .cases import check, load, render

DATA = load("sprig_dates.json")


def _render(template: str) -> tuple[str, str | None]:
    """Render without params or environment."""
    return render(template, {}, None)


@pytest.fixture
def zone(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run with ``TZ`` set (Go reads it once per process; gotime can re-read it)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    reload_local()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        reload_local()


def _with_zone(case: dict[str, Any]) -> Any:
    return pytest.param(case, case["tz"], id=f"[{case['tz']}] {case['template'][:60]}")


@pytest.mark.parametrize(("case", "zone"), [_with_zone(c) for c in DATA["cases"]],
                         indirect=["zone"])  # fmt: skip
def test_matches_go(case: dict[str, Any], zone: None) -> None:
    check(case, DATA)


def test_cases_cover_every_date_function() -> None:
    listed = (
        "now date dateInZone date_in_zone dateModify date_modify mustDateModify "
        "must_date_modify toDate mustToDate duration durationRound ago htmlDate "
        "htmlDateInZone unixEpoch"
    )
    names = listed.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if not re.search(rf"[({{ ]{name} ", text)] == []


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"], indirect=True)
def test_now_prints_like_go(zone: None) -> None:
    output, error = _render('{{ now }}|{{ printf "%T" now }}|{{ (now).Year | printf "%T" }}')
    assert error is None
    text, type_name, year_type = output.split("|")
    # time.Now() carries a monotonic reading, which String() shows.
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? [+-]\d{4} [A-Z]+ m=\+\d+\.\d{9}", text
    ), text
    assert (type_name, year_type) == ("time.Time", "int")


def test_now_formats_the_current_time() -> None:
    import time

    before = int(time.time())
    output, error = _render('{{ unixEpoch now }} {{ now | date "2006" }} {{ (now).Unix }}')
    after = int(time.time())
    assert error is None
    epoch, year, unix = output.split()
    assert before <= int(epoch) <= after
    assert before <= int(unix) <= after
    assert year == time.strftime("%Y", time.localtime(int(epoch)))


def test_ago_rounds_to_seconds() -> None:
    output, error = _render('{{ ago now }} {{ ago 0 }} {{ ago (toDate "2006" "2999") }}')
    assert error is None
    just_now, since_epoch, future = output.split()
    assert just_now == "0s"
    assert re.fullmatch(r"\d+h\d+m\d+s", since_epoch)
    assert future.startswith("-") and future.endswith("s")


def test_duration_round_of_a_time_counts_since_then() -> None:
    output, error = _render('{{ durationRound (toDate "2006" "2000") }}')
    assert error is None
    assert re.fullmatch(r"\d+y", output)


def test_time_has_no_compare_method_as_in_go_1_19() -> None:
    """mittnite's release is built with Go 1.19.8, whose ``time.Time`` has no ``Compare``
    (added in Go 1.20); the release's tplref answers exactly this."""
    output, error = _render('{{ (toDate "2006" "2021").Compare (toDate "2006" "2020") }}')
    assert output == ""
    assert error == (
        'template: t:1:18: executing "t" at <"2021">: can\'t evaluate field Compare in type '
        "time.Time"
    )


def test_dates_are_usable_as_map_keys_and_compared_by_value() -> None:
    output, error = _render(
        '{{ $a := toDate "2006" "2020" }}{{ $b := toDate "2006" "2020" }}'
        "{{ eq $a $b }} {{ eq ($a.Sub $b) ($b.Sub $a) }} {{ lt ($a.Sub $b) 1 }}",
    )
    assert (output, error) == ("true true true", None)


# Go's answers (tplref, sprig 3.2.3, TZ=Europe/Berlin) for the Go time values meeting the
# engine: constants converted to time.Duration, nil *time.Location, kinds, JSON, printing
# verbs, argument errors of methods, int64 wrap of UnixNano.
GO_TIME_VALUES = [
    ('{{ (toDate "2006" "2021").Add 1000000000 }}',
     "2021-01-01 00:00:01 +0100 CET", None),
    ('{{ printf "%#v" (toDate "2006-01-02" "2021-07-04").Month }}', "7", None),
    ('{{ printf "%#v" ((toDate "2006" "2021").Sub (toDate "2006" "2020")) }}',
     "31622400000000000", None),
    ('{{ toJson (toDate "2006" "2021") }} {{ toPrettyJson (list (toDate "2006" "2021")) }}',
     '"2021-01-01T00:00:00+01:00" [\n  "2021-01-01T00:00:00+01:00"\n]', None),
    ('{{ toJson ((toDate "2006" "2021").Sub (toDate "2006" "2020")) }} '
     '{{ toJson (toDate "2006" "2021").Month }}',
     "31622400000000000 1", None),
    ('{{ (toDate "2006" "2021").In nil }}',
     "", 'template: t:1:25: executing "t" at <(toDate "2006" "2021").In>: '
     "error calling In: time: missing Location in call to Time.In"),
    ('{{ kindOf (toDate "2006" "2021") }} {{ typeOf (toDate "2006" "2021") }} '
     '{{ kindOf (toDate "2006" "2021").Location }} '
     '{{ kindOf ((toDate "2006" "2021").Sub (toDate "2006" "2020")) }} '
     '{{ kindOf (toDate "2006" "2021").Month }}',
     "struct time.Time ptr int64 int", None),
    ('{{ if toDate "2006" "x" }}yes{{ end }} {{ empty (toDate "2006" "x") }} '
     '{{ empty (toDate "2006" "2021") }}',
     "yes false false", None),
    ('{{ (toDate "2006" "2021").Round 0 }} {{ (toDate "2006" "2021").Truncate -5 }}',
     "2021-01-01 00:00:00 +0100 CET 2021-01-01 00:00:00 +0100 CET", None),
    ('{{ (toDate "2006" "2021").Add "1h" }}',
     "", 'template: t:1:30: executing "t" at <"1h">: expected integer; found "1h"'),
    ('{{ (toDate "2006" "2021").Add 1.5 }}',
     "", 'template: t:1:30: executing "t" at <1.5>: expected integer; found 1.5'),
    ('{{ (toDate "2006" "2021").Format }}',
     "", 'template: t:1:18: executing "t" at <"2021">: wrong number of args for Format: '
     "want 1 got 0"),
    ('{{ printf "%T" (toDate "2006" "2021").Sub }}',
     "", 'template: t:1:30: executing "t" at <"2021">: wrong number of args for Sub: '
     "want 1 got 0"),
    ('{{ (toDate "2006" "2021").AddDate 1 }}',
     "", 'template: t:1:18: executing "t" at <"2021">: wrong number of args for AddDate: '
     "want 3 got 1"),
    ('{{ dateModify "1h" nil }}',
     "", 'template: t:1:19: executing "t" at <nil>: cannot assign nil to time.Time'),
    ("{{ durationRound .Params.n }} {{ duration .Params.big }} {{ duration .Params.n }}",
     "0s 0s 0s", None),
    ('{{ deepEqual (toDate "2006" "2021") (toDate "2006" "2021") }}', "true", None),
    ('{{ $d := (toDate "2006" "2021").Sub (toDate "2006" "2020") }}{{ $d.Round 7 }} '
     '{{ $d.Truncate 0 }} {{ $d.Hours | printf "%T" }}',
     "8783h59m59.999999998s 8784h0m0s float64", None),
    ('{{ toString (toDate "2006" "2021") }} {{ toStrings (list (toDate "2006" "2021")) }}',
     "2021-01-01 00:00:00 +0100 CET [2021-01-01 00:00:00 +0100 CET]", None),
    ('{{ (toDate "2006" "2021").Month | add 1 }}', "2", None),
    ('{{ printf "%s|%v|%d" (toDate "2006" "2021").Weekday (toDate "2006" "2021").Weekday '
     '(toDate "2006" "2021").Weekday }}',
     "Friday|Friday|5", None),
    ('{{ (toDate "2006" "2021").Month.String }} {{ (toDate "2006" "2021").Location.String }}',
     "January Europe/Berlin", None),
    ('{{ (toDate "2006" "2021").UnixNano }} {{ (toDate "2006" "1").UnixNano }}',
     "1609455600000000000 -6795364578871345152", None),
    # %#v calls the registered GoString method (recorded with TZ=Europe/Berlin)
    ('{{ printf "%#v" (toDate "2006-01-02" "2021-07-04") }}|'
     '{{ printf "%#v" (toDate "2006-01-02" "2021-07-04").UTC }}|{{ printf "%#v" (duration 5) }}',
     'time.Date(2021, time.July, 4, 0, 0, 0, 0, time.Local)|'
     'time.Date(2021, time.July, 3, 22, 0, 0, 0, time.UTC)|"0s"', None),
]  # fmt: skip


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
@pytest.mark.parametrize(("template", "output", "error"), GO_TIME_VALUES,
                         ids=[t[0][:60] for t in GO_TIME_VALUES])  # fmt: skip
def test_go_time_values_in_templates(
    template: str, output: str, error: str | None, zone: None
) -> None:
    assert render(template, {}, "n = 42\nbig = 12345678901") == (output, error)

"""sprig's regular-expression functions against Go's recorded answers.

``data/sprig_regex.json`` (from ``data/gen_sprig_strings.py``) holds
templates rendered by Go with sprig: the documented examples, the three ways
of failing on a bad pattern (false, ``MustCompile`` panic, returned error),
argument conversions and seeded random patterns and subjects for every
function. The regexp engine itself is tested in ``tests/gotemplate/test_goregexp*.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.gotemplate.sprig import regex

from .cases import funcs, load
from .test_strings import case_ids, check_case, render_case

DATA = load("sprig_regex.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=case_ids(DATA))
def test_matches_go(case: dict[str, Any]) -> None:
    check_case(DATA, case)


def test_cases_cover_every_function() -> None:
    names = sorted(regex.FUNCS)
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{name} " not in text] == []


def test_every_regex_function_is_registered() -> None:
    registry = funcs()
    for name, function in regex.FUNCS.items():
        assert registry[name] is function


def _render(template: str) -> tuple[str, str | None]:
    return render_case(DATA, template)


def test_results_are_string_slices() -> None:
    for template in (
        '{{ regexFindAll "a" "aa" -1 | printf "%T" }}',
        '{{ regexSplit "a" "bab" -1 | printf "%T" }}',
        '{{ mustRegexFindAll "a" "aa" -1 | printf "%T" }}',
        '{{ mustRegexSplit "a" "bab" -1 | printf "%T" }}',
    ):
        assert _render(template) == ("[]string", None)


def test_nil_results_are_nil_slices() -> None:
    # Go answers nil for no match and for a zero limit: "[]string(nil)", JSON null
    assert _render('{{ regexFindAll "x" "abc" -1 | printf "%#v" }}') == ("[]string(nil)", None)
    assert _render('{{ regexSplit "x" "abc" 0 | printf "%#v" }}') == ("[]string(nil)", None)
    assert _render('{{ regexFindAll "x" "abc" -1 | toJson }}') == ("null", None)
    assert _render('{{ regexSplit "x" "" -1 | printf "%#v" }}') == ('[]string{""}', None)


# Go: FindAllString appends to a slice made with capacity 10; Split starts with one slot
# per match. sprig's ``slice`` reaches up to the capacity (answers recorded from Go).
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ slice (regexFindAll "a" "aa" -1) 0 5 | printf "%q" }}', '["a" "a" "" "" ""]'),
        ('{{ slice (regexFindAll "a" "aa" -1) 0 10 | len }}', "10"),
        ('{{ slice (regexSplit "a" "abab" -1) 0 2 | printf "%q" }}', '["" "b"]'),
        ('{{ slice (regexSplit "b" "abab" -1) 0 4 | printf "%q" }}', '["a" "a" "" ""]'),
    ],
)
def test_results_have_go_capacity(template: str, expected: str) -> None:
    assert _render(template) == (expected, None)


@pytest.mark.parametrize(
    "template",
    [
        '{{ slice (regexFindAll "a" "aa" -1) 0 11 }}',
        '{{ slice (regexSplit "a" "bab" -1) 0 3 }}',
        '{{ slice (regexSplit "a" "ba" 1) 0 2 }}',
        '{{ slice (regexSplit "b" "abab" -1) 0 5 }}',
    ],
)
def test_slicing_beyond_go_capacity_fails(template: str) -> None:
    _, error = _render(template)
    assert error is not None
    assert error.endswith("error calling slice: reflect.Value.Slice: slice index out of bounds")


def test_replacement_joining_invalid_bytes_makes_one_rune() -> None:
    # "\xc3" + "\xa9" are the two bytes of "é": Go's result is that rune
    output, error = _render('{{ regexReplaceAll "x" "\\xc3x" "\\xa9" | printf "%q" }}')
    assert (output, error) == ('"é"', None)

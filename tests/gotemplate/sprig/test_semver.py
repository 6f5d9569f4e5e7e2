"""``semver`` and ``semverCompare`` against Go's answers, plus where mittnite's semver differs.

``data/sprig_semver.json`` (recorded by ``data/gen_sprig_values.py``) holds
version parsing (leniency, errors), the ``*semver.Version`` methods and their
availability on ``semver.Version`` values, and a large set of random
constraints over every operator, wildcards, prereleases, ``,``/space AND and
``||`` OR, and hyphen ranges.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.sprig.semver import Version

from .cases import check, load, render

DATA = load("sprig_semver.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        # semver 3.2.1 (issue #197) keeps a space after a rewritten hyphen range, so a
        # constraint can follow it in the same group; the oracle's 3.2.0 reports
        # "improper constraint: >= 1.0.0, <= 2.0.0<=2.0.0". An error quoting the rewrite
        # therefore ends in that space.
        ("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", "true"),
        ("1.0.0 - 2.0.0 <=1.2.0", "1.5.0", "false"),
        ("1 - 2 >=1.5, <1.7", "1.6.0", "true"),
        ("1.2 - 1.4 !=1.3.0 || 3", "1.3.0", "false"),
    ],
)
def test_hyphen_range_followed_by_more_constraints(
    constraint: str, version: str, expected: str
) -> None:
    assert render(f'{{{{ semverCompare "{constraint}" "{version}" }}}}', {}, None) == (
        expected,
        None,
    )


def test_improper_range_rewrite_is_quoted_with_its_trailing_space() -> None:
    output, error = render('{{ semverCompare "=<1.2.0 1.0 - 2" "1.0.0" }}', {}, None)
    assert output == ""
    assert error is not None
    assert error.endswith("improper constraint: =<1.2.0>= 1.0, <= 2 ")


def test_version_comparisons_added_in_semver_3_3() -> None:
    output, error = render(
        '{{ $v := semver "1.2.3" }}{{ $v.LessThanEqual (semver "1.2.3") }} '
        '{{ $v.GreaterThanEqual (semver "1.2.4") }} {{ $v.Equal nil }}',
        {},
        None,
    )
    assert (output, error) == ("true false false", None)


_PART = st.integers(min_value=0, max_value=30)
_PRE = st.lists(
    st.one_of(st.integers(0, 20).map(str), st.sampled_from(["alpha", "beta", "rc", "x-y"])),
    max_size=3,
).map(".".join)


@given(st.tuples(_PART, _PART, _PART, _PRE), st.tuples(_PART, _PART, _PART, _PRE))
def test_compare_is_antisymmetric(
    first: tuple[int, int, int, str], second: tuple[int, int, int, str]
) -> None:
    a = Version.parse(_text(*first))
    b = Version.parse(_text(*second))
    assert a.compare(b) == -b.compare(a)
    assert (a.compare(b) == 0) == (str(a).split("+")[0] == str(b).split("+")[0])


def _text(major: int, minor: int, patch: int, pre: str) -> str:
    return f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "")


@given(_PART, _PART, _PART)
def test_caret_and_tilde_ranges(major: int, minor: int, patch: int) -> None:
    version = f"{major}.{minor}.{patch}"
    output, error = render(
        f'{{{{ semverCompare "^1.2.3" "{version}" }}}} {{{{ semverCompare "~1.2.3" "{version}" }}}}',
        {},
        None,
    )
    assert error is None
    caret, tilde = output.split()
    key = (major, minor, patch)
    assert caret == str((1, 2, 3) <= key < (2, 0, 0)).lower()
    assert tilde == str((1, 2, 3) <= key < (1, 3, 0)).lower()

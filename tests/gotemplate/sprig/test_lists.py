"""sprig's list functions against Go's recorded answers, plus the slice-capacity model.

``data/sprig_lists.json`` holds templates with Go's output or error (recorded by
``data/gen_sprig_collections.py``): typed and untyped slices, nil and missing arguments,
``.Env`` and ``.Params`` values, sprig's ``slice`` index conversion and slicing into spare
capacity after ``append``-like functions and of HCL-decoded lists.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.sprig._collections import (
    SpareSlice,
    appended,
    appended_capacity,
    grow_capacity,
    nil_list,
    with_capacity,
)
from mittnite.gotemplate.values import TypedSlice, go_type_name

from .cases import check, load, render

DATA = load("sprig_lists.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_list_function() -> None:
    text_names = (
        "list tuple first rest last initial append push prepend concat reverse uniq without has "
        "compact slice chunk sortAlpha mustFirst mustRest mustLast mustInitial mustAppend mustPush "
        "mustPrepend mustReverse mustUniq mustWithout mustHas mustCompact mustSlice mustChunk"
    )
    names = text_names.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{name} " not in text] == []


@given(st.integers(min_value=1, max_value=100_000))
def test_append_growth_never_shrinks_and_fits(count: int) -> None:
    capacity = appended_capacity(count)
    assert capacity >= count
    assert appended_capacity(count + 1) >= capacity


@given(st.integers(min_value=1, max_value=255))
def test_small_slices_double(old: int) -> None:
    """Below 256 elements Go doubles; for 16-byte elements every power of two is a size class."""
    if old & (old - 1) == 0:
        assert grow_capacity(old, old + 1) == 2 * old


def test_capacity_markers() -> None:
    assert with_capacity([1], 1) == [1] and type(with_capacity([1], 1)) is list
    spare = with_capacity([1], 4)
    assert isinstance(spare, SpareSlice) and spare.spare == [None, None, None]
    assert go_type_name(spare) == "[]interface {}"
    typed = with_capacity(["a"], 2, "string")
    assert isinstance(typed, SpareSlice) and typed.spare == [""]
    assert go_type_name(typed) == "[]string"
    assert type(with_capacity(["a"], 1, "string")) is TypedSlice
    nil = nil_list()
    assert nil == [] and nil.is_nil and go_type_name(nil) == "[]interface {}"
    assert appended([1, 2, 3]).spare == [None]  # type: ignore[attr-defined]


def test_hcl_lists_carry_append_capacity() -> None:
    """``.Params`` lists come through mittnite.render with hcl's append-grown capacity."""
    output, error = render(
        '{{ slice .Params.l 0 4 }} {{ len .Params.l }} {{ printf "%T" .Params.l }}',
        {},
        'l = ["a", "b", "c"]',
    )
    assert (output, error) == ("[a b c <nil>] 3 []interface {}", None)

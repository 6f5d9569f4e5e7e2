"""sprig's reflection functions (typeOf, kindOf, typeIs, typeIsLike, kindIs, deepEqual)
against Go's recorded answers, and deep_equal's reflect.DeepEqual rules."""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.gotemplate.sprig._collections import SpareSlice, nil_list
from mittnite.gotemplate.sprig.dicts import nil_map
from mittnite.gotemplate.sprig.reflection import deep_equal
from mittnite.gotemplate.values import (
    GoErrorValue,
    Int64,
    NilPointer,
    map_of,
    new_struct,
    slice_of,
)

from .cases import check, load

DATA = load("sprig_reflection.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


@pytest.mark.parametrize(
    ("first", "second", "equal"),
    [
        (1, Int64(1), False),
        (1, 1.0, False),
        (True, 1, False),
        ([1], SpareSlice([1], [None]), True),  # capacity is not compared
        ([], nil_list(), False),
        ({}, nil_map(), False),
        (slice_of("string", ["a"]), ["a"], False),
        (map_of("string", "string", {"a": "b"}), {"a": "b"}, False),
        ({"a": None}, {"b": None}, False),
        ([{"a": [1]}], [{"a": [1]}], True),
        (float("nan"), float("nan"), False),
        (None, None, True),
        (NilPointer("*x.T"), NilPointer("*x.T"), True),
        (new_struct("x.S", {"A": [1]}), new_struct("x.S", {"A": [1]}), True),
        (new_struct("x.S", {"A": [1]}), new_struct("x.S", {"A": [Int64(1)]}), False),
        (GoErrorValue("a"), GoErrorValue("a"), True),
        (GoErrorValue("a"), GoErrorValue("b"), False),
    ],
)
def test_deep_equal_rules(first: Any, second: Any, equal: bool) -> None:
    assert deep_equal(first, second) is equal
    assert deep_equal(second, first) is equal


def test_deep_equal_survives_cycles() -> None:
    first: list[Any] = []
    first.append(first)
    second: list[Any] = []
    second.append(second)
    assert deep_equal(first, second)

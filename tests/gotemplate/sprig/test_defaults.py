"""sprig's default/flow and JSON functions against Go's recorded answers.

``data/sprig_defaults.json`` covers ``default``/``empty``/``coalesce``/``all``/``any``/
``ternary``/``fail``, Go's JSON encoder (escaping, key order, float formatting on 200 seeded
random floats, cycles, unsupported values) and decoder (syntax errors with Go's texts,
surrogates, out-of-range numbers, 200 seeded random texts).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.sprig._collections import nil_list
from mittnite.gotemplate.sprig.defaults import decode_json, encode_json, is_empty, json_float
from mittnite.gotemplate.values import (
    Float32,
    GoErrorValue,
    Int64,
    NilPointer,
    Uint8,
    new_struct,
    slice_of,
)

from .cases import check, load

DATA = load("sprig_defaults.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_function() -> None:
    text_names = (
        "default empty coalesce all any ternary fail toJson toPrettyJson toRawJson fromJson "
        "mustToJson mustToPrettyJson mustToRawJson mustFromJson"
    )
    names = text_names.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{name} " not in text] == []


def test_backspace_and_formfeed_as_current_go() -> None:
    """Go >= 1.22 (mittnite's releases) writes \\b and \\f; Go 1.19, the oracle, wrote \\u0008."""
    assert encode_json("\b\f\x01") == '"\\b\\f\\u0001"'
    assert encode_json("\b", escape_html=False) == '"\\b"'


def test_encoding_of_go_values() -> None:
    assert encode_json(nil_list()) == "null"
    assert encode_json(Int64(5)) == "5"
    assert encode_json(Float32(0.1)) == "0.1"
    assert encode_json(slice_of("uint8", [Uint8(1), Uint8(2)])) == '"AQI="'
    assert encode_json(NilPointer("*x.T")) == "null"
    assert encode_json(new_struct("x.S", {"A": 1, "b": 2}, pointer=True)) == '{"A":1}'
    assert encode_json(GoErrorValue("boom")) == "{}"


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        (0, True),
        (Int64(0), True),
        (0.0, True),
        ("", True),
        (False, True),
        ([], True),
        (nil_list(), True),
        ({}, True),
        (NilPointer("*x.T"), True),
        (new_struct("x.S", {}), False),
        (GoErrorValue(""), False),
        (Uint8(1), False),
        ("a", False),
    ],
)
def test_emptiness(value: Any, empty: bool) -> None:
    assert is_empty(value) is empty


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_json_round_trip(value: Any) -> None:
    """What toJson writes, fromJson reads back (numbers are float64 either way)."""
    for html in (True, False):
        decoded, error = decode_json(encode_json(value, escape_html=html))
        assert error is None
        assert decoded == value


@given(JSON_VALUES)
def test_decoder_agrees_with_python_on_valid_json(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert decode_json(text) == (value, None)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_reads_back_exactly(number: float) -> None:
    assert float(json_float(number)) == number

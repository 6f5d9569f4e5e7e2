"""mittnite.golang.strconv against Go's answers (data/strconv.json, from data/gen_strconv.py).

Every recorded call must give Go's value and Go's error text byte for byte, including the
value Go returns next to a range error (the clamped maximum, ±Inf).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.golang import strconv

CASES: list[list[object]] = json.loads(
    (Path(__file__).parent / "data" / "strconv.json").read_text("utf-8")
)["cases"]


def _float_bits(value: float) -> str:
    return f"{struct.unpack('<Q', struct.pack('<d', value))[0]:016x}"


def _is_nan_bits(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 16:
        return False
    bits = int(value, 16)
    return (bits >> 52) & 0x7FF == 0x7FF and bits & ((1 << 52) - 1) != 0


def _call(fn: str, text: str, base: int, bits: int) -> tuple[str, str | None]:
    """Our answer in the oracle's format: value text (float bits) and error text."""
    calls: dict[str, Callable[[], int | float]] = {
        "ParseInt": lambda: strconv.parse_int(text, base, bits),
        "ParseUint": lambda: strconv.parse_uint(text, base, bits),
        "Atoi": lambda: strconv.atoi(text),
        "ParseFloat": lambda: strconv.parse_float(text, bits),
    }
    try:
        value: int | float = calls[fn]()
        error = None
    except strconv.NumError as problem:
        value, error = problem.value, str(problem)
        if fn == "ParseFloat" and value == 0:
            value = 0.0
    if fn == "ParseFloat":
        if math.isnan(value):
            return "NaN", error
        return _float_bits(float(value)), error
    return str(int(value)), error


@pytest.mark.parametrize("fn", ["ParseInt", "ParseUint", "Atoi", "ParseFloat"])
def test_recorded_go_answers(fn: str) -> None:
    mismatches = []
    count = 0
    for case_fn, text, base, bits, value, error in CASES:
        if case_fn != fn:
            continue
        count += 1
        assert isinstance(text, str) and isinstance(base, int) and isinstance(bits, int)
        ours = _call(fn, text, base, bits)
        if fn == "ParseFloat" and _is_nan_bits(value):
            value = "NaN"  # NaN payloads are not part of Go's contract
        if ours != (value, error):
            mismatches.append((text, base, bits, ours, (value, error)))
    assert count > 500
    assert not mismatches, mismatches[:10]


def test_error_texts_name_function_input_and_reason() -> None:
    with pytest.raises(strconv.NumError) as caught:
        strconv.parse_int("x", 10, 64)
    assert str(caught.value) == 'strconv.ParseInt: parsing "x": invalid syntax'
    assert caught.value.kind == "syntax"
    with pytest.raises(strconv.NumError) as caught:
        strconv.atoi("99999999999999999999")
    assert str(caught.value) == 'strconv.Atoi: parsing "99999999999999999999": value out of range'
    assert caught.value.is_range and caught.value.value == 2**63 - 1
    with pytest.raises(strconv.NumError) as caught:
        strconv.parse_uint("1", 37, 64)
    assert str(caught.value) == 'strconv.ParseUint: parsing "1": invalid base 37'
    assert caught.value.kind == "argument"


def test_hostile_lengths_stay_cheap() -> None:
    """Thousands of digits neither hit Python's int/str conversion limit nor build a huge
    integer: an overflow is reported after the first digits past the range."""
    digits = "7" * 100_000
    with pytest.raises(strconv.NumError) as caught:
        strconv.parse_int(digits, 0, 64)
    assert caught.value.is_range
    with pytest.raises(strconv.NumError) as caught:
        strconv.parse_float(digits)
    assert caught.value.is_range and caught.value.value == math.inf
    assert strconv.parse_float("0." + "0" * 100_000 + "1") == 0.0


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_parses_back(value: float) -> None:
    assert strconv.parse_float(repr(value)) == value


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_parse_int_base_zero_reads_go_literals(value: int) -> None:
    sign = "-" if value < 0 else ""
    for text in (str(value), f"{sign}0x{abs(value):x}", f"{sign}0o{abs(value):o}",
                 f"{sign}0b{abs(value):b}", f"{sign}{abs(value):_}"):  # fmt: skip
        assert strconv.parse_int(text, 0, 64) == value


@given(st.text(max_size=30))
def test_any_text_gives_a_value_or_a_num_error(text: str) -> None:
    for parse in (
        lambda: strconv.parse_int(text, 0, 64),
        lambda: strconv.parse_uint(text, 0, 64),
        lambda: strconv.atoi(text),
        lambda: strconv.parse_float(text),
    ):
        try:
            parse()
        except strconv.NumError as problem:
            assert str(problem).startswith("strconv.")

"""Go's fmt (Sprintf/Sprint/Sprintln) against outputs recorded from Go 1.19's fmt.

The cases in ``data/gofmt_cases.json`` were produced by a small Go program that decodes each
tagged argument into the Go type named by its tag and calls ``fmt.Sprintf`` / ``Sprint`` /
``Sprintln``; pointer addresses never appear in them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mittnite.gotemplate.gofmt import format_float, quote, quote_rune, sprint, sprintf, sprintln
from mittnite.gotemplate.values import (
    Float32,
    GoErrorValue,
    Int8,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint64,
    map_of,
    slice_of,
)

CASES = json.loads((Path(__file__).parent / "data" / "gofmt_cases.json").read_text("utf-8"))


def decode(arg: dict[str, Any]) -> Any:
    """A tagged argument as the Go value model represents that Go type."""
    tag, value = arg["t"], arg["v"]
    simple = {
        "int": int,
        "int8": Int8,
        "int32": Int32,
        "int64": Int64,
        "uint8": Uint8,
        "uint": Uint,
        "uint64": Uint64,
        "string": str,
        "bool": bool,
    }
    if tag in simple:
        return simple[tag](value)
    if tag == "nil":
        return None
    if tag == "float64":
        return float(value)
    if tag == "float32":
        return Float32.wrap(float(value))
    if tag == "bytes":
        return value.encode()
    if tag == "list":
        return [decode(item) for item in value]
    if tag == "strings":
        return slice_of("string", value)
    if tag == "map":
        return {key: decode(item) for key, item in value.items()}
    if tag == "smap":
        return map_of("string", "string", value)
    if tag == "imap":
        return map_of("int", "string", {int(key): str(item) for key, item in value.items()})
    if tag == "complex":
        return complex(value[0], value[1])
    if tag == "err":
        return GoErrorValue(value)
    raise AssertionError(tag)


@pytest.mark.parametrize(
    "case", CASES, ids=lambda case: f"{case.get('mode', 'printf')}:{case['f']}"
)
def test_fmt_matches_go(case: dict[str, Any]) -> None:
    args = [decode(arg) for arg in case["args"]]
    mode = case.get("mode")
    if mode == "print":
        got = sprint(*args)
    elif mode == "println":
        got = sprintln(*args)
    else:
        got = sprintf(case["f"], *args)
    assert got == case["want"]


@pytest.mark.parametrize(
    ("value", "verb", "precision", "expected"),
    [
        (1e21, "g", -1, "1e+21"),
        (123456.0, "g", -1, "123456"),
        (1234567.0, "g", -1, "1.234567e+06"),
        (0.0001, "g", -1, "0.0001"),
        (0.00001, "g", -1, "1e-05"),
        (2.5, "f", -1, "2.5"),
        (1e21, "f", -1, "1000000000000000000000"),
        (1.5, "e", -1, "1.5e+00"),
        (0.125, "f", 2, "0.12"),
        (0.375, "f", 2, "0.38"),
    ],
)
def test_format_float_like_strconv(value: float, verb: str, precision: int, expected: str) -> None:
    assert format_float(value, verb, precision) == expected


def test_quote_escapes_like_go() -> None:
    assert quote("a\x00b\u00e9\U0001f600\u200b") == '"a\\x00bé😀\\u200b"'
    assert quote("\udcff") == '"\\xff"'  # an invalid byte, as surrogateescape carries it
    assert quote_rune(0x1F600) == "'😀'"
    assert quote_rune(0xD800) == "'�'"

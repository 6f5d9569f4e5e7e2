"""Go ``regexp`` behaviour of :mod:`mittnite.gotemplate.goregexp`, against Go's own answers.

The JSON files next to this test were recorded with Go 1.19.8 by throwaway programs
(kept outside the repository): ``goregexp_cases.json`` holds a hand-written table of
patterns (valid and broken) and operations, ``goregexp_random.json`` randomly generated
patterns (some deliberately garbled) with random inputs, and ``goregexp_sprig.json``
calls of sprig's regex functions rendered by the template oracle ``tplref``.
Offsets are in characters (Go's byte offsets converted when recording).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mittnite.gotemplate.goregexp import (
    GoRegexpError,
    compile,
    must_compile_message,
    quote_meta,
)

DATA_DIR = Path(__file__).parent / "data"
CASES = json.loads((DATA_DIR / "goregexp_cases.json").read_text(encoding="utf-8"))
RANDOM = json.loads((DATA_DIR / "goregexp_random.json").read_text(encoding="utf-8"))
SPRIG = json.loads((DATA_DIR / "goregexp_sprig.json").read_text(encoding="utf-8"))


def _short(text: str) -> str:
    return repr(text if len(text) < 40 else text[:37] + "...")


@pytest.mark.parametrize("case", CASES["compile"], ids=lambda case: _short(case["pattern"]))
def test_compile_result_and_error_text_match_go(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(GoRegexpError) as caught:
            compile(case["pattern"])
        assert str(caught.value) == case["error"]
    else:
        regexp = compile(case["pattern"])
        assert regexp.num_subexp == case["num_subexp"]
        assert regexp.subexp_names == case["names"]


@pytest.mark.parametrize(
    "case", CASES["ops"], ids=lambda case: f"{_short(case['pattern'])}-{_short(case['input'])}"
)
def test_methods_match_go(case: dict[str, Any]) -> None:
    regexp = compile(case["pattern"])
    text = case["input"]
    assert regexp.match_string(text) is case["match"]
    assert regexp.find_string(text) == case["find"]
    index = regexp.find_string_index(text)
    assert (None if index is None else list(index)) == case["find_index"]
    assert regexp.find_string_submatch(text) == case["submatch"]
    for n, expected in case["find_all"].items():
        assert regexp.find_all_string(text, int(n)) == expected, f"n={n}"
    assert [list(pair) for pair in regexp.find_all_string_index(text, -1)] == case["find_all_index"]
    assert regexp.find_all_string_submatch(text, -1) == case["find_all_submatch"]
    for n, expected in case["split"].items():
        assert regexp.split(text, int(n)) == expected, f"n={n}"
    for template, expected in case["replace"].items():
        assert regexp.replace_all_string(text, template) == expected, template
    for replacement, expected in case["replace_literal"].items():
        assert regexp.replace_all_literal_string(text, replacement) == expected, replacement


@pytest.mark.parametrize("case", CASES["quote_meta"], ids=lambda case: _short(case[0]))
def test_quote_meta_matches_go(case: list[str]) -> None:
    text, expected = case
    assert quote_meta(text) == expected


@pytest.mark.parametrize("case", RANDOM["cases"], ids=lambda case: _short(case["pattern"]))
def test_random_patterns_match_go(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(GoRegexpError) as caught:
            compile(case["pattern"])
        assert str(caught.value) == case["error"]
        return
    regexp = compile(case["pattern"])
    for result in case["results"]:
        text = result["input"]
        assert regexp.find_string_submatch_index(text) == result["sub"], text
        all_matches = regexp.find_all_string_submatch_index(text, -1)
        assert (all_matches or None) == result["all"], text
        assert regexp.split(text, -1) == result["split"], text
        assert regexp.replace_all_string(text, RANDOM["replacement"]) == result["replace"], text


def _format_go_value(value: object) -> str:
    """How text/template prints the values sprig's regex functions return."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(str(item) for item in value) + "]"
    return str(value)


def _call_sprig(function: str, args: list[Any]) -> object:
    """Sprig's regex functions expressed with this module, as the template engine uses it.

    Plain functions panic with ``MustCompile``'s text, ``must`` variants return the parse
    error itself, and ``regexMatch`` swallows the error and answers ``false``.
    """
    if function == "regexQuoteMeta":
        return quote_meta(args[0])
    pattern, *rest = args
    try:
        regexp = compile(pattern)
    except GoRegexpError as error:
        if function == "regexMatch":
            return False
        if function.startswith("must"):
            raise
        raise RuntimeError(must_compile_message(pattern, error)) from error
    name = function.removeprefix("must")
    name = name[0].lower() + name[1:]
    if name == "regexMatch":
        return regexp.match_string(rest[0])
    if name == "regexFindAll":
        return regexp.find_all_string(rest[0], rest[1])
    if name == "regexFind":
        return regexp.find_string(rest[0])
    if name == "regexReplaceAll":
        return regexp.replace_all_string(rest[0], rest[1])
    if name == "regexReplaceAllLiteral":
        return regexp.replace_all_literal_string(rest[0], rest[1])
    if name == "regexSplit":
        return regexp.split(rest[0], rest[1])
    raise AssertionError(function)


@pytest.mark.parametrize(
    "call", SPRIG["calls"], ids=lambda call: f"{call['function']}-{_short(call['args'][0])}"
)
def test_sprig_functions_built_on_this_module_match_the_template_oracle(
    call: dict[str, Any],
) -> None:
    if "error" in call:
        with pytest.raises((GoRegexpError, RuntimeError)) as caught:
            _call_sprig(call["function"], call["args"])
        assert str(caught.value) == call["error"]
    else:
        assert _format_go_value(_call_sprig(call["function"], call["args"])) == call["output"]


def test_compiled_patterns_are_cached() -> None:
    assert compile("(?i)cache-me[0-9]+") is compile("(?i)cache-me[0-9]+")


def test_error_exposes_go_code_and_quoted_expression() -> None:
    with pytest.raises(GoRegexpError) as caught:
        compile("ab(?<x>c)")
    assert caught.value.code.value == "invalid or unsupported Perl syntax"
    assert caught.value.expr == "(?<"


@pytest.mark.parametrize("case", CASES["invalid_utf8"], ids=lambda case: ascii(case["pattern"]))
def test_undecodable_bytes_behave_as_in_go(case: dict[str, Any]) -> None:
    """Bytes that are not UTF-8 arrive as ``surrogateescape`` characters, one per byte.

    Go quotes such bytes raw in its errors and treats each as U+FFFD when matching, while
    returning the raw bytes in its results; encoding our strings back with
    ``surrogateescape`` must give Go's bytes.
    """
    if "error" in case:
        with pytest.raises(GoRegexpError) as caught:
            compile(case["pattern"])
        assert str(caught.value) == case["error"]
        return
    regexp = compile(case["pattern"])
    for result in case["results"]:
        text = result["input"]
        assert regexp.find_all_string(text, -1) == result["find_all"], ascii(text)
        assert regexp.split(text, -1) == result["split"], ascii(text)
        assert regexp.replace_all_string(text, "<$1>") == result["replace"], ascii(text)

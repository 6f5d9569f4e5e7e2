"""sprig's string functions against Go's recorded answers, plus properties of the random ones.

``data/sprig_strings.json`` (written by ``data/gen_sprig_strings.py``) holds
templates rendered by Go's text/template with sprig, with Go's exact output
and error: the documented examples, bounds and panics, argument conversions,
invalid UTF-8, a sample of all of Unicode through the case functions, and
seeded random calls of every function. Bytes that are not UTF-8 are stored as
surrogate escapes, the engine's own representation.

These data files (like ``sprig_encoding.json`` and ``sprig_regex.json``) give the params as
a JSON object (``params``) rather than HCL: Go's oracle decoded it with ``encoding/json``
(integral numbers as ``int``, nested objects as ``map[string]interface {}``), which is what
:func:`mittnite.render.template_data` makes of the same Python values. ``render_case`` and
``check_case`` are shared with the encoding and regex tests.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.errors import TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse
from mittnite.gotemplate.sprig import strings
from mittnite.render import template_data

from .cases import funcs, load


def render_case(data: dict[str, Any], template: str) -> tuple[str, str | None]:
    """Our output (the partial output on an execution error) and error text, with the dot Go
    had: an empty ``.Env`` and the data file's JSON ``params`` as ``.Params``."""
    registry = funcs()
    try:
        parsed = parse(data["template_name"], template, registry)
    except TemplateError as exc:
        missing = str(exc).partition('function "')[2].partition('"')[0]
        if "not defined" in str(exc) and missing and missing not in registry:
            pytest.fail(f"sprig function {missing} is not registered")
        return "", str(exc)
    try:
        return parsed.render(template_data(copy.deepcopy(data["params"]), {})), None
    except TemplateExecError as exc:
        return exc.partial_output, str(exc)


def check_case(data: dict[str, Any], case: dict[str, Any]) -> None:
    output, error = render_case(data, case["template"])
    assert error == case["error"]
    assert output == case["output"]


def case_ids(data: dict[str, Any]) -> list[str]:
    return [f"{index}:{case['template'][3:40]}" for index, case in enumerate(data["cases"])]


DATA = load("sprig_strings.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=case_ids(DATA))
def test_matches_go(case: dict[str, Any]) -> None:
    check_case(DATA, case)


RANDOM = {"randAlphaNum", "randAlpha", "randNumeric", "randAscii", "shuffle"}  # tested below


def test_cases_cover_every_string_function() -> None:
    text = " ".join(case["template"] for case in DATA["cases"])
    names = sorted(strings.FUNCS)
    assert [name for name in names if f"{name} " not in text and name not in RANDOM] == []


def test_every_string_function_is_registered() -> None:
    registry = funcs()
    for name, function in strings.FUNCS.items():
        assert registry[name] is function
    assert "sortAlpha" not in strings.FUNCS  # a list function (lists family)


def render(template: str) -> str:
    output, error = render_case(DATA, template)
    assert error is None
    return output


# sprig 3.3.0 (xstrings >= 1.4) keeps the case of the letters it does not
# capitalize; the oracle's 3.2.3 lower-cased them. Expectations from sprig's
# and xstrings' documentation, issue huandu/xstrings#54 and PR #55.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fooBar", "FooBar"),
        ("OneTwoThree", "OneTwoThree"),
        ("toCamelCase", "ToCamelCase"),
        ("first_name", "FirstName"),
        ("http_server", "HttpServer"),
        ("some_words", "SomeWords"),
        ("_leading", "_Leading"),
    ],
)
def test_camelcase_keeps_case_as_in_sprig_3_3(text: str, expected: str) -> None:
    assert render(f"{{{{ camelcase {json.dumps(text, ensure_ascii=False)} }}}}") == expected


def test_results_have_go_types() -> None:
    template = (
        '{{ splitList "," "a,b" | printf "%T" }} {{ split "," "a" | printf "%T" }} '
        '{{ splitn "," 2 "a" | printf "%T" }} {{ toStrings (list 1) | printf "%T" }} '
        '{{ contains "a" "a" | printf "%T" }} {{ toStrings .Params.missing | printf "%#v" }}'
    )
    assert render(template) == (
        "[]string map[string]string map[string]string []string bool []string{}"
    )


def test_to_strings_keeps_the_capacity_go_allocates() -> None:
    # make([]string, 0, len(v)): a dropped nil element leaves one zero value in reach
    assert render('{{ slice (toStrings (list 1 nil 2)) 0 3 | printf "%q" }}') == '["1" "2" ""]'


ALPHABETS = {
    "randAlphaNum": set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "randAlpha": set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "randNumeric": set("0123456789"),
    "randAscii": {chr(code) for code in range(32, 127)},
}


@pytest.mark.parametrize("name", sorted(ALPHABETS))
@pytest.mark.parametrize("count", [0, 1, 7, 64])
def test_random_strings_have_length_and_alphabet(name: str, count: int) -> None:
    out = render(f"{{{{ {name} {count} }}}}")
    assert len(out) == count
    assert set(out) <= ALPHABETS[name]


@pytest.mark.parametrize("name", sorted(ALPHABETS))
def test_random_strings_vary_and_refuse_negative_counts(name: str) -> None:
    assert render(f"{{{{ {name} -1 }}}}") == ""
    assert len({render(f"{{{{ {name} 40 }}}}") for _ in range(3)}) == 3


@pytest.mark.parametrize("name", sorted(ALPHABETS))
def test_random_strings_take_ints_only(name: str) -> None:
    _, error = render_case(DATA, f'{{{{ {name} "3" }}}}')
    assert error is not None
    assert error.endswith('expected integer; found "3"')


def test_random_strings_use_every_character_of_their_alphabet() -> None:
    assert set(render("{{ randAlphaNum 4000 }}")) == ALPHABETS["randAlphaNum"]


@given(st.text(max_size=30))
def test_shuffle_permutes_runes(text: str) -> None:
    out = render(f"{{{{ shuffle {json.dumps(text, ensure_ascii=False)} }}}}")
    assert sorted(out) == sorted(text)


def test_shuffle_reads_invalid_bytes_as_replacement_runes() -> None:
    assert sorted(render('{{ shuffle "a\\xffb" }}')) == sorted("ab\ufffd")
    assert render('{{ shuffle "a\\xffb" | len }}') == "5"


def test_shuffle_moves_things() -> None:
    text = "abcdefghijklmnopqrstuvwxyz"
    assert len({render(f'{{{{ shuffle "{text}" }}}}') for _ in range(3)}) > 1


@given(st.text(max_size=20), st.integers(min_value=-25, max_value=25))
def test_trunc_counts_bytes(text: str, count: int) -> None:
    data = text.encode()
    out = render(f"{{{{ trunc {count} {json.dumps(text, ensure_ascii=False)} }}}}").encode(
        "utf-8", "surrogateescape"
    )
    if count >= 0:
        assert out == data[:count]
    else:
        assert out == (data[count:] if len(data) + count > 0 else data)


@given(st.lists(st.text(alphabet="ab,é", max_size=4), max_size=5))
def test_split_list_and_join_round_trip(parts: list[str]) -> None:
    text = ",".join(parts)
    joined = render(f'{{{{ splitList "," {json.dumps(text, ensure_ascii=False)} | join "," }}}}')
    assert joined == text

"""Arbitrary template text either renders or fails with a template error, quickly.

Go's engine never crashes on bad input: every problem is a parse or execution error. The same
must hold here, whatever mix of delimiters, keywords, operands and text a template holds.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.errors import TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse, template_data
from mittnite.gotemplate.values import map_of

from ..fuzz_scale import fuzz_settings

FRAGMENTS = [
    "{{",
    "}}",
    "{{-",
    "-}}",
    "{{- ",
    " -}}",
    " ",
    "  ",
    "\n",
    "\t",
    "x",
    "é",
    "日",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    ".",
    ".Params",
    ".Params.foo",
    ".Params.list",
    ".Params.nested",
    ".Env",
    ".Env.USER",
    ".Foo",
    "$",
    "$x",
    "$y",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    '"s"',
    '"%d"',
    '"a\\n"',
    "`raw`",
    "'c'",
    "'\\n'",
    "1",
    "-2",
    "3.5",
    "0x1F",
    "1e3",
    "2i",
    "nil",
    "true",
    "false",
    "print",
    "printf",
    "println",
    "len",
    "index",
    "slice",
    "eq",
    "ne",
    "lt",
    "ge",
    "and",
    "or",
    "not",
    "html",
    "js",
    "urlquery",
    "call",
    "/*",
    "*/",
    '"t"',
    "@",
    "#",
    "\\",
]

template_texts = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map(
    "".join
)


def data() -> object:
    params = {"foo": "bar", "list": ["a", "b"], "nested": [{"k": "v"}], "n": 2}
    return template_data(map_of("string", "string", {"USER": "app"}), params)


@fuzz_settings(400)
@given(template_texts)
def test_any_text_renders_or_raises_a_template_error(text: str) -> None:
    try:
        output = parse("fuzz", text).render(data())
    except TemplateExecError as problem:
        assert str(problem).startswith("template: fuzz")
        assert isinstance(problem.partial_output, str)
    except TemplateError as problem:
        assert str(problem).startswith("template: fuzz")
    else:
        assert isinstance(output, str)


@fuzz_settings(200)
@given(st.text(max_size=60))
def test_any_action_body_renders_or_raises_a_template_error(body: str) -> None:
    try:
        parse("fuzz", "{{" + body + "}}").render(data())
    except TemplateError as problem:
        assert str(problem).startswith("template: fuzz")


def test_unbounded_recursion_is_an_execution_error() -> None:
    text = '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'
    try:
        parse("t", text).render(data())
    except TemplateExecError as problem:
        # Go 1.19 (oracle): the same message, after 100000 calls instead of Python's limit.
        assert str(problem) == (
            'template: t:1:28: executing "r" at <{{template "r" .}}>: '
            "exceeded maximum template depth (100000)"
        )
    else:
        raise AssertionError("recursion must fail")

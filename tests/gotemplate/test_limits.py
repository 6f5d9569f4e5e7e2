"""Hostile templates end with a clear, Go-style error in bounded time and memory.

Each case would make Go allocate gigabytes or run for minutes (and the original mittnite
die); ours must fail with ``template: NAME:L:C: executing "NAME" at <...>: ...`` naming the
place, and never with a Python traceback. Where Go itself reports an error (a negative
``repeat``, an overflowing length, a 5,000-digit literal) the text is Go's, recorded from
the release's ``tplref``.
"""

from __future__ import annotations

import resource

import pytest

from mittnite.gotemplate import limits
from mittnite.gotemplate.errors import TemplateError, TemplateExecError, TemplateParseError
from mittnite.gotemplate.exec import parse
from mittnite.gotemplate.sprig import FUNCS

NAME = "/etc/app.conf"


def _error(template: str) -> str:
    with pytest.raises(TemplateError) as caught:
        parse(NAME, template, FUNCS).render(None)
    return str(caught.value)


def _exec_prefix(column: int, node: str) -> str:
    return f'template: {NAME}:1:{column}: executing "{NAME}" at <{node}>: '


VALUE_LIMIT = f"limit of {limits.MAX_VALUE_BYTES >> 20} MiB per value"
LIST_LIMIT = f"limit of {limits.MAX_LIST_LENGTH} elements per list"

OVER_VALUE_LIMIT = [
    ('{{ repeat 1000000000 "x" }}', 'repeat 1000000000 "x"', "repeat"),
    ('{{ indent 1000000000 "x" }}', 'indent 1000000000 "x"', "indent"),
    ('{{ nindent 100000 (repeat 1000 "a\\n") }}', 'nindent 100000 (repeat 1000 "a\\n")', "nindent"),
    ("{{ randAlpha 1000000000 }}", "randAlpha 1000000000", "randAlpha"),
    ("{{ randAlphaNum 1000000000 }}", "randAlphaNum 1000000000", "randAlphaNum"),
    ("{{ randBytes 1000000000 }}", "randBytes 1000000000", "randBytes"),
    ('{{ join (repeat 100000 "x") (until 1000) }}', 'join (repeat 100000 "x") (until 1000)', "join"),
    ('{{ replace "" (repeat 100000 "y") (repeat 1000 "x") }}',
     'replace "" (repeat 100000 "y") (repeat 1000 "x")', "replace"),
    ('{{ wrapWith 1 (repeat 100000 "-") (repeat 10000 "a") }}',
     'wrapWith 1 (repeat 100000 "-") (repeat 10000 "a")', "wrapWith"),
    ('{{ regexReplaceAll "" (repeat 100000 "a") (repeat 1000 "b") }}',
     'regexReplaceAll "" (repeat 100000 "a") (repeat 1000 "b")', "regexReplaceAll"),
    ('{{ printf "%9999999d%9999999d" 1 2 }}', 'printf "%9999999d%9999999d" 1 2', "printf"),
    ('{{ printf "%.9999999f%.9999999f" 1.5 2.5 }}', 'printf "%.9999999f%.9999999f" 1.5 2.5', "printf"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "node", "function"), OVER_VALUE_LIMIT)
def test_values_over_the_size_limit_are_refused(template: str, node: str, function: str) -> None:
    message = _error(template)
    assert message.startswith(_exec_prefix(3, node) + f"error calling {function}: result of ")
    assert message.endswith(VALUE_LIMIT)


@pytest.mark.parametrize(
    ("template", "node", "function"),
    [
        ("{{ until 1000000000 }}", "until 1000000000", "until"),
        ("{{ untilStep 0 9223372036854775807 1 }}", "untilStep 0 9223372036854775807 1", "untilStep"),
        ("{{ seq 1000000000 }}", "seq 1000000000", "seq"),
        ("{{ seq -9223372036854775808 1 9223372036854775807 }}",
         "seq -9223372036854775808 1 9223372036854775807", "seq"),
        ("{{ concat (until 1000000) (until 1000000) }}",
         "concat (until 1000000) (until 1000000)", "concat"),
    ],
)  # fmt: skip
def test_lists_over_the_length_limit_are_refused(template: str, node: str, function: str) -> None:
    message = _error(template)
    assert message.startswith(_exec_prefix(3, node) + f"error calling {function}: result of ")
    assert message.endswith(LIST_LIMIT)


def test_doubling_a_string_in_a_loop_stops_at_the_limit() -> None:
    template = '{{ $s := "xxxxxxxxxx" }}{{ range until 40 }}{{ $s = cat $s $s }}{{ end }}'
    message = _error(template)
    assert message.startswith(_exec_prefix(52, "cat $s $s") + "error calling cat: ")
    assert message.endswith(VALUE_LIMIT)


def test_output_budget_per_rendered_file() -> None:
    template = '{{ range until 100000 }}{{ repeat 1000 "x" }}{{ end }}'
    with pytest.raises(TemplateExecError) as caught:
        parse(NAME, template, FUNCS).render(None)
    assert str(caught.value) == _exec_prefix(27, '{{repeat 1000 "x"}}') + (
        "output exceeds mittnite's limit of 64 MiB per rendered file"
    )
    assert len(caught.value.partial_output) <= limits.MAX_OUTPUT_BYTES


def test_step_budget_bounds_nested_loops() -> None:
    template = "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}"
    message = _error(template)
    assert message.startswith(f"template: {NAME}:1:")
    assert message.endswith(f"execution exceeds mittnite's limit of {limits.MAX_STEPS} steps "
                            "per rendered file")  # fmt: skip


@pytest.mark.parametrize(
    "template",
    [
        "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
        "{{ if 1 }}" * 5000 + "x" + "{{ end }}" * 5000,
        "{{ range list 1 }}" * 3000 + "x" + "{{ end }}" * 3000,
        "{{ 1 " + "| add1 " * 20 + "}}" + "{{ with 1 }}" * 2000 + "{{ end }}" * 2000,
    ],
)
def test_deep_nesting_is_a_parse_error(template: str) -> None:
    with pytest.raises(TemplateParseError) as caught:
        parse(NAME, template, FUNCS)
    assert (
        str(caught.value) == f"template: {NAME}:1: nesting exceeds mittnite's limit of 1000 levels"
    )


def test_nesting_within_the_limit_works() -> None:
    depth = limits.MAX_NESTING - 5
    assert parse(NAME, "{{ if 1 }}" * depth + "x" + "{{ end }}" * depth, FUNCS).render(None) == "x"
    nested = "{{ " + "(add1 " * depth + "0" + ")" * depth + " }}"
    assert parse(NAME, nested, FUNCS).render(None) == str(depth)


# Go's own errors for the same kind of input, as recorded from the release's tplref.
GO_ERRORS = [
    ('{{ repeat -1 "x" }}',
     _exec_prefix(3, 'repeat -1 "x"') + "error calling repeat: strings: negative Repeat count"),
    ('{{ repeat 9223372036854775807 "xx" }}',
     _exec_prefix(3, 'repeat 9223372036854775807 "xx"')
     + "error calling repeat: strings: Repeat count causes overflow"),
    ('{{ repeat 9223372036854775807 "x" }}',
     _exec_prefix(3, 'repeat 9223372036854775807 "x"')
     + "error calling repeat: runtime error: makeslice: cap out of range"),
    ('{{ indent -5 "abc" }}',
     _exec_prefix(3, 'indent -5 "abc"') + "error calling indent: strings: negative Repeat count"),
    ("{{ " + "1" * 5000 + " }}",
     f'template: {NAME}:1: illegal number syntax: "{"1" * 5000}"'),
    ('{{ repeat 99999999999999999999 "x" }}',
     f'template: {NAME}:1: integer overflow: "99999999999999999999"'),
    ('{{ define "a" }}{{ template "a" . }}{{ end }}{{ template "a" . }}',
     f'template: {NAME}:1:28: executing "a" at <{{{{template "a" .}}}}>: '
     "exceeded maximum template depth (100000)"),
    ('{{ chunk 0 (list 1 2) }}',
     _exec_prefix(3, "chunk 0 (list 1 2)")
     + "error calling chunk: runtime error: makeslice: len out of range"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "message"), GO_ERRORS)
def test_where_go_fails_its_text_is_kept(template: str, message: str) -> None:
    assert _error(template) == message


@pytest.mark.parametrize(
    ("template", "output"),
    [
        ('{{ printf "%*d" 1000000000 1 }}', "%!(BADWIDTH)1"),  # fmt caps widths itself
        ('{{ printf "%999999999999999999999d" 1 }}', "%!(NOVERB)%!(EXTRA int=1)"),
        ('{{ atoi "' + "9" * 5000 + '" }}', "9223372036854775807"),
        ('{{ int "' + "9" * 5000 + '" }}', "0"),
        ('{{ float64 "' + "9" * 5000 + '" }}', "0"),
        ('{{ fromJson "' + "1" * 5000 + '" }}', "<no value>"),
    ],
)
def test_huge_numbers_follow_go_without_python_limits(template: str, output: str) -> None:
    """Python refuses int/str conversions of over 4,300 digits; Go's answers must come out."""
    assert parse(NAME, template, FUNCS).render(None) == output


def test_hostile_templates_stay_within_bounded_memory() -> None:
    """Together, every hostile case above adds little to the process's peak memory."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for template, _, _ in OVER_VALUE_LIMIT:
        _error(template)
    _error("{{ until 1000000000 }}")
    growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert growth_mib < 512

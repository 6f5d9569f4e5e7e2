"""``range`` over an integer and ``range`` with assignment, as newer Go versions run them.

The oracle is Go 1.19, which rejects both forms, while the original's releases are built with
a newer Go (1.26). Expected values follow that Go's text/template (exec.go ``walkRange``):
``{{range N}}`` yields 0..N-1 as values of N's type, one variable receives the element, two
variables are an error (``can't use N to iterate over more than one variable``, raised even
when N is 0), N <= 0 runs the ``else`` branch; ``range $x = ...`` assigns existing variables.
Error positions are those Go 1.19 reports for the same node (checked with the oracle, only the
message differs there).
"""

from __future__ import annotations

import pytest

from mittnite.gotemplate.errors import TemplateExecError
from mittnite.gotemplate.exec import parse, template_data
from mittnite.gotemplate.funcs import GoFunc
from mittnite.gotemplate.values import Int64, Uint8, map_of

FUNCS = {
    "i64": GoFunc(Int64, ("int",), "int64"),
    "u8": GoFunc(Uint8.wrap, ("int",), "uint8"),
}


def render(text: str) -> str:
    data = template_data(
        map_of("string", "string", {}), {"n": 3, "zero": 0, "neg": -2, "list": ["a", "b"]}
    )
    return parse("t", text, FUNCS).render(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ range $i := 3 }}{{ $i }}{{ end }}", "012"),
        ("{{ range .Params.n }}[{{ . }}]{{ end }}", "[0][1][2]"),
        ("{{ range 0 }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range .Params.neg }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range 3 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}", "02"),
        ("{{ range 5 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", "01"),
        ('{{ range (i64 2) }}{{ printf "%T" . }} {{ end }}', "int64 int64 "),
        ('{{ range (u8 2) }}{{ printf "%T=%v" . . }} {{ end }}', "uint8=0 uint8=1 "),
        ("{{ range 2 }}{{ range $.Params.list }}{{ . }}{{ end }}{{ end }}", "abab"),
        ("{{ $x := 0 }}{{ range $x = 3 }}{{ end }}{{ $x }}", "2"),
        (
            '{{ $i := 0 }}{{ $v := "" }}{{ range $i, $v = .Params.list }}{{ end }}{{ $i }}{{ $v }}',
            "1b",
        ),
    ],
)
def test_range_over_int_and_assignment(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{{ range $i, $v := 3 }}{{ end }}",
            'template: t:1:19: executing "t" at <3>: can\'t use 3 to iterate over more than one variable',
        ),
        (
            "{{ range $i, $v := 0 }}{{ else }}e{{ end }}",
            'template: t:1:19: executing "t" at <0>: can\'t use 0 to iterate over more than one variable',
        ),
        (
            "{{ range 1.5 }}{{ end }}",
            'template: t:1:9: executing "t" at <1.5>: range can\'t iterate over 1.5',
        ),
    ],
)
def test_range_over_int_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateExecError) as caught:
        render(text)
    assert str(caught.value) == message

"""The public API: parsing once and executing many times, progressive output, error types,
the data root, function maps and the sprig registration hook.

Expected texts for templates come from the oracle (Go 1.19 text/template with sprig).
"""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import mittnite.gotemplate as gotemplate
from mittnite.gotemplate.errors import GoError, TemplateExecError, TemplateParseError
from mittnite.gotemplate.exec import parse, render_string, template_data
from mittnite.gotemplate.funcs import GoFunc, gofunc
from mittnite.gotemplate.sprig import build_funcs
from mittnite.gotemplate.values import map_of


@gofunc("string", result="string", error=True)
def fail(message: str) -> str:
    raise GoError(message)


FUNCS = {"fail": fail}


def root(**params: object) -> object:
    return template_data(map_of("string", "string", {"USER": "app"}), dict(params))


class Recorder:
    def __init__(self) -> None:
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return len(text)


def test_output_is_written_as_it_is_produced() -> None:
    out = Recorder()
    with pytest.raises(TemplateExecError) as caught:
        parse("t", 'before {{ fail "x" }} after', FUNCS).execute(root(), out)
    assert "".join(out.chunks) == "before "
    assert str(caught.value) == (
        'template: t:1:10: executing "t" at <fail "x">: error calling fail: x'
    )


def test_render_exposes_the_partial_output() -> None:
    template = parse("t", "a{{ .Params.foo }}b{{ index .Params.list 5 }}c")
    with pytest.raises(TemplateExecError) as caught:
        template.render(root(foo="bar", list=["x"]))
    assert caught.value.partial_output == "abarb"
    assert str(caught.value) == (
        'template: t:1:22: executing "t" at <index .Params.list 5>: '
        "error calling index: index out of range: 5"
    )


def test_a_template_is_parsed_once_and_executed_many_times() -> None:
    template = parse("t", "{{ .Params.n }}{{ .Env.USER }}")
    assert [template.render(root(n=i)) for i in range(3)] == ["0app", "1app", "2app"]


def test_render_string_and_parse_errors() -> None:
    assert render_string("t", "{{ .Params.foo }}", root(foo="bar")) == "bar"
    with pytest.raises(TemplateParseError) as caught:
        render_string("/tmp/x.txt", "{{ .Params.foo ", root())
    assert str(caught.value) == "template: /tmp/x.txt:1: unclosed action"


def test_unknown_function_is_a_parse_error() -> None:
    with pytest.raises(TemplateParseError, match=r'^template: t:1: function "env" not defined$'):
        parse("t", '{{ env "HOME" }}')


def test_the_root_type_name_is_a_parameter() -> None:
    data = template_data({}, {}, type_name="main.data")
    with pytest.raises(TemplateExecError) as caught:
        render_string("t", "{{ .Foo }}", data)
    assert str(caught.value) == (
        'template: t:1:3: executing "t" at <.Foo>: can\'t evaluate field Foo in type *main.data'
    )


def test_user_functions_override_builtins_and_lose_their_specials() -> None:
    length = GoFunc(lambda value: "custom", ("interface {}",), "string")
    assert render_string("t", "{{ len 1 }}", root(), {"len": length}) == "custom"
    strict_and = GoFunc(lambda *values: values[-1], ("...interface {}",), "interface {}")
    with pytest.raises(TemplateExecError, match="error calling fail: evaluated"):
        render_string(
            "t", '{{ and 0 (fail "evaluated") }}', root(), {"and": strict_and, "fail": fail}
        )


def test_nil_data_is_an_invalid_dot() -> None:
    assert render_string("t", "{{ . }}|{{ .x }}", None) == "<no value>|<no value>"


def test_sprig_hook_merges_existing_families_and_drops_env(monkeypatch: pytest.MonkeyPatch) -> None:
    family = types.ModuleType("mittnite.gotemplate.sprig.fakefamily")
    functions = {
        "hello": GoFunc(lambda: "hi", (), "string"),
        "env": GoFunc(lambda name: "", ("string",), "string"),
    }
    setattr(family, "FUNCS", functions)  # noqa: B010 (a module built at run time)
    monkeypatch.setitem(sys.modules, "mittnite.gotemplate.sprig.fakefamily", family)
    funcs = build_funcs(["not_written_yet", "fakefamily"])
    assert sorted(funcs) == ["hello"]


def test_importing_the_package_is_cheap() -> None:
    code = (
        "import sys, mittnite.gotemplate as g; "
        "print(any(m.startswith('mittnite.gotemplate.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert gotemplate.parse is parse

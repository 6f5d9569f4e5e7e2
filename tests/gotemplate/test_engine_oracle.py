"""The engine against Go 1.19's text/template on several hundred templates.

``data/engine_cases.json`` was recorded from a small Go program: text/template with only its
builtins plus the test functions mirrored below (same names, Go signatures and behaviour),
executed on a ``*files.templateData`` root holding the conformance params and environment.
The cases cover lexing, parsing, printing, argument conversion, methods, control flow,
comparisons, the builtins and error positions; ``range`` over an integer is excluded (Go 1.19
rejects it, we follow Go 1.22; see test_engine_range_int.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mittnite.gotemplate.errors import GoError, GoPanic, TemplateError, TemplateExecError
from mittnite.gotemplate.exec import parse, template_data
from mittnite.gotemplate.funcs import FuncMap, GoFunc, gofunc
from mittnite.gotemplate.values import (
    Float32,
    GoStruct,
    Int64,
    NilPointer,
    TypedSlice,
    Uint8,
    Uint64,
    add_methods,
    define_type,
    map_of,
    new_struct,
    slice_of,
)

DATA = json.loads((Path(__file__).parent / "data" / "engine_cases.json").read_text("utf-8"))


class Celsius(float):
    """``type Celsius float64`` with ``func (c Celsius) String() string``."""

    go_type = "files.Celsius"

    def __str__(self) -> str:
        return f"{float(self):.1f}C"


define_type("files.Celsius", "float64", stringer=True, py_class=Celsius)
POINT = define_type("files.Point", "struct", fields=("X", "Y", "label"))
POINT_PTR = define_type("*files.Point", "ptr", elem=POINT)


def point(x: int, y: int) -> GoStruct:
    return new_struct("files.Point", {"X": x, "Y": y, "label": "p"})


@gofunc(result="int")
def _point_sum(receiver: GoStruct) -> int:
    return int(receiver.go_fields["X"]) + int(receiver.go_fields["Y"])


@gofunc("int", result="int")
def _point_add(receiver: GoStruct, extra: int) -> int:
    return int(receiver.go_fields["X"]) + int(receiver.go_fields["Y"]) + extra


@gofunc("int", result="files.Point")
def _point_moved(receiver: GoStruct, delta: int) -> GoStruct:
    moved = point(receiver.go_fields["X"] + delta, receiver.go_fields["Y"] + delta)
    moved.go_fields["label"] = ""
    return moved


add_methods("files.Point", {"Sum": _point_sum, "Add": _point_add})
add_methods("*files.Point", {"Moved": _point_moved})


def _fail(message: str) -> str:
    raise GoError(message)


def _boom() -> str:
    raise GoPanic("boom")


def _divide(a: int, b: int) -> int:
    if b == 0:
        raise GoPanic("runtime error: integer divide by zero")
    return a // b


def _string_map(*pairs: str) -> dict[str, str]:
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


def _cat(first: str, *rest: int) -> str:
    return first + "[" + " ".join(str(item) for item in rest) + "]"


def _float_text(value: float) -> str:
    from mittnite.gotemplate.gofmt import sprint

    return sprint(value)


DOUBLER = GoFunc(lambda value: value * 2, ("int",), "int")

FUNCS: FuncMap = {
    "i64": GoFunc(lambda value: Int64(value), ("int",), "int64"),
    "u8": GoFunc(lambda value: Uint8.wrap(value), ("int",), "uint8"),
    "u64": GoFunc(lambda value: Uint64.wrap(value), ("int",), "uint64"),
    "f32": GoFunc(lambda value: Float32.wrap(value), ("float64",), "float32"),
    "strs": GoFunc(lambda *items: list(items), ("...string",), "[]string"),
    "smap": GoFunc(_string_map, ("...string",), "map[string]string"),
    "imap": GoFunc(lambda: {1: "a", 10: "b", 2: "c"}, (), "map[int]string"),
    "fail": GoFunc(_fail, ("string",), "string", error=True),
    "boom": GoFunc(_boom, (), "string"),
    "divz": GoFunc(_divide, ("int", "int"), "int"),
    "nilv": GoFunc(lambda: None, (), "interface {}"),
    "jnull": GoFunc(lambda: {"a": None, "b": 1}, (), "map[string]interface {}"),
    "echo": GoFunc(lambda value: value, ("interface {}",), "interface {}"),
    "upper": GoFunc(str.upper, ("string",), "string"),
    "join": GoFunc(lambda sep, items: sep.join(items), ("string", "[]string"), "string"),
    "bytes": GoFunc(lambda text: text.encode("utf-8", "surrogateescape"), ("string",), "[]uint8"),
    "temp": GoFunc(Celsius, ("float64",), "files.Celsius"),
    "pt": GoFunc(point, ("int", "int"), "files.Point"),
    "ppt": GoFunc(
        lambda x, y: GoStruct(POINT_PTR, point(x, y).go_fields), ("int", "int"), "*files.Point"
    ),
    "nilpt": GoFunc(lambda: NilPointer(POINT_PTR), (), "*files.Point"),
    "nilsl": GoFunc(lambda: TypedSlice((), "[]string", is_nil=True), (), "[]string"),
    "cat": GoFunc(_cat, ("string", "...int"), "string"),
    "two": GoFunc(lambda a, b: a + b, ("string", "string"), "string"),
    "ff": GoFunc(_float_text, ("float64",), "string"),
    "bb": GoFunc(lambda flag: "true" if flag else "false", ("bool",), "string"),
    "fn": GoFunc(lambda: DOUBLER, (), "func(int) int"),
}


def params() -> dict[str, Any]:
    """The conformance params as hcl v1 decodes them."""
    return {
        "foo": "bar",
        "n": 42,
        "f": 1.5,
        "neg": -7,
        "yes": True,
        "no": False,
        "empty": "",
        "list": ["a", "b", "c"],
        "nums": [3, 1, 2],
        "nested": slice_of(
            "map[string]interface {}",
            [{"inner": "x", "deep": slice_of("map[string]interface {}", [{"k": "v"}])}],
        ),
        "csv": "a,b,,c",
        "spaced": "  padded  ",
        "html": '<a href="x">&</a>',
        "ver": "1.2.3",
        "json": '{"a": 1, "b": [1, 2]}',
    }


def render_case(name: str, text: str) -> tuple[str | None, str | None, str]:
    data = template_data(map_of("string", "string", DATA["env"]), params())
    try:
        return parse(name, text, FUNCS).render(data), None, ""
    except TemplateExecError as problem:
        return None, str(problem), problem.partial_output
    except TemplateError as problem:
        return None, str(problem), ""


@pytest.mark.parametrize(
    "case", DATA["cases"], ids=[f"{case['topic']}-{i}" for i, case in enumerate(DATA["cases"])]
)
def test_engine_matches_go(case: dict[str, Any]) -> None:
    output, error, partial = render_case(case["name"], case["template"])
    if case["error"] is None:
        assert error is None
        assert output == case["output"]
    else:
        assert error == case["error"]
        assert partial == case["output"]


def test_mirrored_functions_are_declared_like_go() -> None:
    assert FUNCS["cat"].signature() == "func(string, ...int) string"
    assert FUNCS["fail"].signature() == "func(string) (string, error)"

"""The Go value model: type names and kinds, typed numbers, conversions of results, truth.

Type names and kinds are those Go reports (``%T`` and ``reflect.Kind``), as the oracle printed
them for mittnite's params (``[]interface {}``, ``[]map[string]interface {}``, ...).
"""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.gotemplate.funcs import ArgumentError, GoFunc, gofunc, prepare_arg, validate_type
from mittnite.gotemplate.values import (
    EMPTY_INTERFACE,
    INT64,
    MISSING,
    STRING,
    Float32,
    GoErrorValue,
    Iface,
    Int8,
    Int64,
    NilPointer,
    TypedMap,
    TypedSlice,
    Uint8,
    Uint64,
    byte_len,
    go_bytes,
    go_kind,
    go_string,
    go_type,
    go_type_name,
    is_true,
    map_of,
    new_struct,
    slice_of,
    to_go,
    zero_value,
)


@pytest.mark.parametrize(
    ("value", "type_name", "kind"),
    [
        ("bar", "string", "string"),
        (42, "int", "int"),
        (1.5, "float64", "float64"),
        (True, "bool", "bool"),
        (["a"], "[]interface {}", "slice"),
        ({"a": 1}, "map[string]interface {}", "map"),
        (slice_of("map[string]interface {}", [{}]), "[]map[string]interface {}", "slice"),
        (map_of("string", "string", {"USER": "app"}), "map[string]string", "map"),
        (slice_of("string", ["a"]), "[]string", "slice"),
        (Int64(3), "int64", "int64"),
        (Uint8(3), "uint8", "uint8"),
        (Float32(0.5), "float32", "float32"),
        (b"hi", "[]uint8", "slice"),
        (1 + 2j, "complex128", "complex128"),
        (None, "<nil>", "invalid"),
        (
            new_struct("files.templateData", {"Env": {}, "Params": {}}, pointer=True),
            "*files.templateData",
            "ptr",
        ),
        (GoErrorValue("boom"), "*errors.errorString", "ptr"),
        (NilPointer("*files.Point"), "*files.Point", "ptr"),
    ],
)
def test_type_names_and_kinds(value: Any, type_name: str, kind: str) -> None:
    assert go_type_name(value) == type_name
    assert go_kind(value) == kind


def test_plain_containers_are_the_interface_typed_ones() -> None:
    assert type(slice_of("interface {}", [1])) is list
    assert type(map_of("string", "interface {}", {"a": 1})) is dict
    assert isinstance(slice_of("int", [1]), TypedSlice)
    assert isinstance(map_of("string", "int", {}), TypedMap)


def test_types_are_interned_by_name() -> None:
    assert go_type("[]string") is go_type("[]string")
    assert go_type("map[string][]string").elem is go_type("[]string")
    assert go_type("map[string]map[string]int").key is STRING
    assert go_type("any") is EMPTY_INTERFACE


@pytest.mark.parametrize(
    ("cls", "value", "expected"),
    [
        (Int8, 200, -56),
        (Int8, -129, 127),
        (Uint8, -1, 255),
        (Uint8, 300, 44),
        (Int64, 1 << 63, -(1 << 63)),
        (Uint64, -1, (1 << 64) - 1),
    ],
)
def test_sized_integers_wrap_like_go_conversions(cls: Any, value: int, expected: int) -> None:
    wrapped = cls.wrap(value)
    assert wrapped == expected and type(wrapped) is cls


def test_float32_rounds_to_single_precision() -> None:
    assert Float32.wrap(0.1) == 0.10000000149011612


def test_results_are_converted_to_the_declared_type() -> None:
    assert type(to_go(3, INT64)) is Int64
    assert type(to_go(3, go_type("float64"))) is float
    assert to_go(1 << 64, go_type("int")) == 0
    converted = to_go(["a", "b"], go_type("[]string"))
    assert isinstance(converted, TypedSlice) and converted.go_type.name == "[]string"
    nested = to_go({"a": [1]}, go_type("map[string][]int64"))
    assert type(nested["a"][0]) is Int64
    assert to_go(["x"], go_type("[]interface {}")) == ["x"]


@pytest.mark.parametrize(
    ("value", "truth"),
    [
        ("", False),
        ("x", True),
        (0, False),
        (Int64(0), False),
        (Uint8(1), True),
        (0.0, False),
        ([], False),
        ([None], True),
        ({}, False),
        (None, False),
        (MISSING, False),
        (False, False),
        (new_struct("files.Point", {"X": 0}), True),
        (NilPointer("*files.Point"), False),
        (Iface(None), False),
        (Iface(0), True),
        (0j, False),
    ],
)
def test_truth_is_go_template_truth(value: Any, truth: bool) -> None:
    assert is_true(value) == (truth, True)


def test_zero_values() -> None:
    assert zero_value(STRING) == ""
    assert type(zero_value(INT64)) is Int64
    assert zero_value(EMPTY_INTERFACE) is None
    nil_slice = zero_value(go_type("[]string"))
    assert isinstance(nil_slice, TypedSlice) and nil_slice.is_nil and len(nil_slice) == 0


def test_strings_are_go_byte_strings() -> None:
    assert byte_len("héllo") == 6
    raw = go_string(b"\xff\xc3\xa9")
    assert raw == "\udcffé"
    assert go_bytes(raw) == b"\xff\xc3\xa9"


def test_gofunc_records_the_go_signature() -> None:
    @gofunc("string", "...interface {}", result="string")
    def cat(first: str, *rest: Any) -> str:
        return first

    @gofunc("string", result="string", error=True)
    def fail(message: str) -> str:
        return message

    assert cat.signature() == "func(string, ...interface {}) string"
    assert cat.variadic and cat.param_type(5) is EMPTY_INTERFACE
    assert fail.signature() == "func(string) (string, error)"
    assert go_type_name(cat) == "func(string, ...interface {}) string"
    assert cat("a", 1) == "a"
    with pytest.raises(ValueError):
        GoFunc(len, ("...int", "string"), "int")


@pytest.mark.parametrize(
    ("value", "target", "message"),
    [
        (MISSING, "string", "invalid value; expected string"),
        (3, "string", "wrong type for value; expected string; got int"),
        (Iface(None), "string", "wrong type for value; expected string; got interface {}"),
        (["a"], "[]string", "wrong type for value; expected []string; got []interface {}"),
    ],
)
def test_argument_conversion_errors_are_gos(value: Any, target: str, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        validate_type(value, go_type(target))
    assert str(caught.value) == message


def test_argument_conversion_unwraps_interfaces_and_fills_nil() -> None:
    assert validate_type(Iface("x"), STRING) == "x"
    assert validate_type(Iface(3), EMPTY_INTERFACE) == 3
    assert validate_type(MISSING, EMPTY_INTERFACE) is None
    nil_map = validate_type(MISSING, go_type("map[string]interface {}"))
    assert isinstance(nil_map, TypedMap) and nil_map.is_nil


def test_prepare_arg_converts_between_integer_types() -> None:
    assert type(prepare_arg(Uint8(1), go_type("int"))) is int
    with pytest.raises(ArgumentError, match="value has type string; should be int"):
        prepare_arg("a", go_type("int"))
    with pytest.raises(ArgumentError, match="value is nil; should be of type string"):
        prepare_arg(MISSING, STRING)

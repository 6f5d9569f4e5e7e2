"""sprig's reflection functions: ``typeOf``, ``typeIs``, ``typeIsLike``, ``kindOf``, ``kindIs``
and ``deepEqual``.

Types are spelled as Go's ``%T`` spells them (``[]interface {}``, ``map[string]string``,
``<nil>``) and kinds as ``reflect.Kind`` names (``slice``, ``map``, ``invalid`` for nil).
``deepEqual`` is ``reflect.DeepEqual``: values of different Go types are never equal (``1`` is
not ``int64 1``, a ``[]string`` is not a ``[]interface {}`` with the same strings) and a nil
slice or map differs from an empty one. :func:`deep_equal` is also what ``has``, ``without``
and ``uniq`` compare with.
"""

from __future__ import annotations

from typing import Any

from mittnite.gotemplate.funcs import FuncMap, GoFunc
from mittnite.gotemplate.values import NilPointer, go_kind, go_type_name, type_of

__all__ = ["FUNCS", "deep_equal"]


def deep_equal(first: Any, second: Any) -> bool:
    """``reflect.DeepEqual`` of two template values."""
    return _equal(first, second, set())


def _is_nil(value: Any) -> bool:
    return bool(getattr(value, "is_nil", False))


def _equal(first: Any, second: Any, visited: set[tuple[int, int]]) -> bool:
    if first is None or second is None:
        return first is None and second is None
    first_type = type_of(first)
    if first_type is not type_of(second):
        return False
    assert first_type is not None
    if isinstance(first, (bytes, bytearray)):
        return bytes(first) == bytes(second)
    if isinstance(first, list):
        if first_type.kind != "array" and _is_nil(first) != _is_nil(second):
            return False
        if len(first) != len(second):
            return False
        if first is second:
            return True
        pair = (id(first), id(second))
        if pair in visited:  # Go assumes equality when it meets a pair again (cycles)
            return True
        visited.add(pair)
        return all(_equal(a, b, visited) for a, b in zip(first, second, strict=True))
    if isinstance(first, dict):
        if _is_nil(first) != _is_nil(second) or len(first) != len(second):
            return False
        if first is second:
            return True
        pair = (id(first), id(second))
        if pair in visited:
            return True
        visited.add(pair)
        return all(
            key in second and _equal(item, second[key], visited) for key, item in first.items()
        )
    if isinstance(first, NilPointer) or isinstance(second, NilPointer):
        return isinstance(first, NilPointer) and isinstance(second, NilPointer)
    if isinstance(first, (str, int, float, complex)):
        return bool(first == second)  # by value: NaN is not equal to itself
    if first is second:
        return True
    fields = getattr(first, "go_fields", None)
    if isinstance(fields, dict):  # structs and pointers to them: field by field
        other = getattr(second, "go_fields", None)
        return (
            isinstance(other, dict)
            and len(fields) == len(other)
            and all(
                name in other and _equal(item, other[name], visited)
                for name, item in fields.items()
            )
        )
    return bool(first == second)


def _type_of(value: Any) -> str:
    """Go's ``%T`` of the value (``<nil>`` for nil)."""
    return go_type_name(value)


def _type_is(target: str, value: Any) -> bool:
    return target == go_type_name(value)


def _type_is_like(target: str, value: Any) -> bool:
    """Like ``typeIs`` but a pointer to ``target`` counts too."""
    name = go_type_name(value)
    return target == name or (name.startswith("*") and target == name[1:])


def _kind_of(value: Any) -> str:
    return go_kind(value)


def _kind_is(target: str, value: Any) -> bool:
    return target == go_kind(value)


FUNCS: FuncMap = {
    "typeOf": GoFunc(_type_of, ("interface {}",), "string", name="typeOf"),
    "typeIs": GoFunc(_type_is, ("string", "interface {}"), "bool", name="typeIs"),
    "typeIsLike": GoFunc(_type_is_like, ("string", "interface {}"), "bool", name="typeIsLike"),
    "kindOf": GoFunc(_kind_of, ("interface {}",), "string", name="kindOf"),
    "kindIs": GoFunc(_kind_is, ("string", "interface {}"), "bool", name="kindIs"),
    "deepEqual": GoFunc(deep_equal, ("interface {}", "interface {}"), "bool", name="deepEqual"),
}

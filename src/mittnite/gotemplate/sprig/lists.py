"""sprig's list functions (``list``, ``first``, ``append``, ``uniq``, ``slice``, ``chunk``...).

sprig takes its list arguments as ``interface {}`` and walks them by reflection, so every
function accepts ``[]interface {}`` and typed slices alike (``splitList`` yields ``[]string``,
HCL blocks ``[]map[string]interface {}``) and answers with a fresh ``[]interface {}``; anything
else is refused with the argument's *kind* in the message (``Cannot find first on type map``),
and a nil argument crashes on a nil pointer exactly as in Go.

Results built by appending carry Go's spare capacity and some results are nil slices (see
``_collections``). ``sortAlpha`` is here too (it is a list function in sprig).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import FuncMap, GoFunc
from mittnite.gotemplate.values import SLICE_OF_STRING, TypedSlice, go_bytes, go_kind, go_type_name

from ._collections import (
    NIL_DEREFERENCE,
    SpareSlice,
    appended,
    elements,
    grow_capacity,
    is_list,
    nil_list,
    spare_of,
    strval,
    with_capacity,
)

__all__ = ["FUNCS"]

MAKESLICE_LEN = "runtime error: makeslice: len out of range"
SLICE_BOUNDS = "reflect.Value.Slice: slice index out of bounds"
ANY = "interface {}"
LIST = "[]interface {}"


def _list(*values: Any) -> list[Any]:
    """A new ``[]interface {}`` of the arguments."""
    return list(values)


def _push(target: Any, value: Any) -> list[Any]:
    """``append``/``push``: a copy plus one element, with the capacity Go's append leaves."""
    items = elements(target, "Cannot push on type %s")
    return with_capacity([*items, value], grow_capacity(len(items), len(items) + 1))


def _prepend(target: Any, value: Any) -> list[Any]:
    """``prepend``: the element, then a copy of the list (appended to a one-element slice)."""
    items = elements(target, "Cannot prepend on type %s")
    return with_capacity([value, *items], grow_capacity(1, len(items) + 1))


def _chunk(size: int, target: Any) -> list[Any]:
    """``chunk``: ``[][]interface {}`` pieces of ``size``; sprig computes the piece count in
    floating point, so zero and negative sizes panic or give odd results as in Go."""
    from mittnite.gotemplate.sprig.math import float_to_int64

    items = elements(target, "Cannot chunk type %s")
    length = len(items)
    if size == 0:  # the chunk count is an infinite float; int() of it is MinInt64
        raise GoPanic(MAKESLICE_LEN)
    count = float_to_int64(math.floor(float(length - 1) / float(size))) + 1
    if count < 0:
        raise GoPanic(MAKESLICE_LEN)
    chunks: list[Any] = []
    for index in range(count):
        chunk_length = size
        if index == count - 1:
            chunk_length = float_to_int64(math.floor(math.fmod(float(length), float(size))))
            if chunk_length == 0:
                chunk_length = size
        if chunk_length < 0:
            raise GoPanic(MAKESLICE_LEN)
        start = index * size
        if start < 0 or start + chunk_length > length:
            raise GoPanic("reflect: slice index out of range")
        chunks.append(items[start : start + chunk_length])
    return chunks


def _last(target: Any) -> Any:
    items = elements(target, "Cannot find last on type %s")
    return items[-1] if items else None


def _first(target: Any) -> Any:
    items = elements(target, "Cannot find first on type %s")
    return items[0] if items else None


def _rest(target: Any) -> list[Any]:
    """All but the first element; an empty list gives a *nil* slice."""
    items = elements(target, "Cannot find rest on type %s")
    return items[1:] if items else nil_list()


def _initial(target: Any) -> list[Any]:
    """All but the last element; an empty list gives a *nil* slice."""
    items = elements(target, "Cannot find initial on type %s")
    return items[:-1] if items else nil_list()


def _reverse(target: Any) -> list[Any]:
    items = elements(target, "Cannot find reverse on type %s")
    items.reverse()
    return items


def _compact(target: Any) -> list[Any]:
    """The non-empty elements (sprig's ``empty`` rules)."""
    from mittnite.gotemplate.sprig.defaults import is_empty

    items = elements(target, "Cannot compact on type %s")
    return appended([item for item in items if not is_empty(item)])


def _scalar_key(value: Any) -> tuple[str, Any] | None:
    """A hashable stand-in for ``reflect.DeepEqual`` on nil and basic values (``==`` within
    the same Go type), so ``uniq``/``without`` stay linear; None for everything else (and
    NaN), which goes through ``deep_equal``."""
    if value is None:
        return ("<nil>", None)
    if isinstance(value, (str, int, float)) and value == value:
        return (go_type_name(value), value)
    return None


def _uniq(target: Any) -> list[Any]:
    """First occurrences, compared with ``reflect.DeepEqual`` (``1`` and ``1.0`` differ)."""
    from mittnite.gotemplate.sprig.reflection import deep_equal

    items = elements(target, "Cannot find uniq on type %s")
    unique: list[Any] = []
    seen: set[tuple[str, Any]] = set()
    others: list[Any] = []
    for item in items:
        key = _scalar_key(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        elif any(deep_equal(other, item) for other in others):
            continue
        else:
            others.append(item)
        unique.append(item)
    return appended(unique)


def _without(target: Any, *omit: Any) -> list[Any]:
    """The elements not deep-equal to any of ``omit``."""
    from mittnite.gotemplate.sprig.reflection import deep_equal

    items = elements(target, "Cannot find without on type %s")
    omitted = {key for key in map(_scalar_key, omit) if key is not None}
    complex_omit = [other for other in omit if _scalar_key(other) is None]

    def kept(item: Any) -> bool:
        key = _scalar_key(item)
        if key is not None:
            return key not in omitted
        return not any(deep_equal(item, other) for other in complex_omit)

    return appended([item for item in items if kept(item)])


def _has(needle: Any, haystack: Any) -> bool:
    """Whether some element is deep-equal to ``needle``; a nil list has nothing."""
    from mittnite.gotemplate.sprig.reflection import deep_equal

    if haystack is None:
        return False
    items = elements(haystack, "Cannot find has on type %s")
    return any(deep_equal(needle, item) for item in items)


def _slice(target: Any, *indexes: Any) -> Any:
    """sprig's ``slice`` (replacing the builtin): indexes go through ``cast.ToInt`` and may
    reach into the slice's spare capacity; an empty list gives nil; a typed slice stays typed."""
    from mittnite.gotemplate.sprig.math import to_int

    if target is None:
        raise GoPanic(NIL_DEREFERENCE)
    kind = go_kind(target)
    if kind not in ("slice", "array"):
        raise GoError(f"list should be type of slice or array but {kind}")
    length = len(target)
    if length == 0:
        return None
    start = to_int(indexes[0]) if indexes else 0
    end = to_int(indexes[1]) if len(indexes) > 1 else length
    if kind == "array":
        raise GoPanic("reflect.Value.Slice: slice of unaddressable array")
    backing = list(target) + spare_of(target)
    if not 0 <= start <= end <= len(backing):
        raise GoPanic(SLICE_BOUNDS)
    if isinstance(target, (bytes, bytearray)):
        return bytes(target[start:end])  # a []byte's capacity is its length here
    slice_type = target.go_type if isinstance(target, TypedSlice) else LIST
    items, spare = backing[start:end], backing[end:]
    if spare:
        return SpareSlice(items, spare, slice_type)
    return TypedSlice(items, slice_type) if slice_type != LIST else items


def _concat(*lists: Any) -> Any:
    """All elements of the lists; nothing at all gives a nil slice (JSON ``null``)."""
    joined: list[Any] = []
    for item in lists:
        if item is None:
            raise GoPanic(NIL_DEREFERENCE)
        kind = go_kind(item)
        if kind not in ("slice", "array"):
            raise GoPanic(f"Cannot concat type {kind} as list")
        joined.extend(elements(item, "%s"))
    return appended(joined) if joined else nil_list()


def _sort_alpha(target: Any) -> list[Any]:
    """Sorted strings; a ``[]string`` is sorted in place (sprig reuses it), a non-list
    becomes one string."""
    if target is not None and is_list(target):
        if isinstance(target, TypedSlice) and target.go_type is SLICE_OF_STRING:
            target.sort(key=go_bytes)
            return target
        items = elements(target, "%s")
        strings = sorted((strval(item) for item in items if item is not None), key=go_bytes)
        return with_capacity(strings, len(items), "string")
    return [strval(target)]


def _declare(
    fn: Callable[..., Any], name: str, params: tuple[str, ...], result: str, *, error: bool = False
) -> GoFunc:
    return GoFunc(fn, params, result, error=error, name=name)


def _pair(name: str, must_name: str, fn: Callable[..., Any], result: str, *params: str) -> FuncMap:
    """The panicking and the ``must`` flavour (same message in a template)."""
    return {
        name: _declare(fn, name, params, result),
        must_name: _declare(fn, must_name, params, result, error=True),
    }


FUNCS: FuncMap = {
    "list": _declare(_list, "list", ("...interface {}",), LIST),
    "tuple": _declare(_list, "tuple", ("...interface {}",), LIST),
    **_pair("push", "mustPush", _push, LIST, ANY, ANY),
    **_pair("append", "mustAppend", _push, LIST, ANY, ANY),
    **_pair("prepend", "mustPrepend", _prepend, LIST, ANY, ANY),
    **_pair("chunk", "mustChunk", _chunk, "[][]interface {}", "int", ANY),
    **_pair("last", "mustLast", _last, ANY, ANY),
    **_pair("first", "mustFirst", _first, ANY, ANY),
    **_pair("rest", "mustRest", _rest, LIST, ANY),
    **_pair("initial", "mustInitial", _initial, LIST, ANY),
    **_pair("reverse", "mustReverse", _reverse, LIST, ANY),
    **_pair("compact", "mustCompact", _compact, LIST, ANY),
    **_pair("uniq", "mustUniq", _uniq, LIST, ANY),
    **_pair("without", "mustWithout", _without, LIST, ANY, "...interface {}"),
    **_pair("has", "mustHas", _has, "bool", ANY, ANY),
    **_pair("slice", "mustSlice", _slice, ANY, ANY, "...interface {}"),
    "concat": _declare(_concat, "concat", ("...interface {}",), ANY),
    "sortAlpha": _declare(_sort_alpha, "sortAlpha", (ANY,), "[]string"),
}

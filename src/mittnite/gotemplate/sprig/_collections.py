"""Go slice details shared by the list, dict and reflection families (and HCL params).

Two things a plain Python list cannot express are modelled because templates can observe them:

* **capacity** - sprig's ``slice`` may extend a slice up to its capacity, revealing the zero
  values behind it (``slice (append (list 1 2 3) 4) 0 5`` is ``[1 2 3 4 <nil>]``). Slices
  built by appending carry their spare capacity, computed with Go's growth rule and the
  allocator's size classes (:class:`SpareSlice`);
* **nil slices** - ``concat`` of nothing and ``rest`` of an empty list give a *nil*
  ``[]interface {}`` that prints as ``[]`` but is JSON ``null`` and not ``deepEqual`` to an
  empty list (:func:`nil_list`, a ``TypedSlice`` with ``is_nil``).

This module is imported lazily by ``mittnite.render`` (HCL lists are built by appending), so
it must stay cheap to import.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.values import (
    SLICE_OF_ANY,
    GoType,
    TypedSlice,
    Uint8,
    go_kind,
    go_type,
    zero_value,
)

__all__ = [
    "NIL_DEREFERENCE",
    "SpareSlice",
    "appended",
    "appended_capacity",
    "elements",
    "grow_capacity",
    "is_list",
    "nil_list",
    "spare_of",
    "strval",
    "with_capacity",
]

NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


class SpareSlice(TypedSlice):
    """A slice (``[]interface {}`` or typed) whose capacity exceeds its length.

    ``spare`` holds the elements between length and capacity (zero values after an append,
    the cut-off tail after a ``slice``).
    """

    __slots__ = ("spare",)

    def __init__(
        self, items: Iterable[Any], spare: list[Any], slice_type: GoType | str = SLICE_OF_ANY
    ) -> None:
        super().__init__(items, slice_type)
        self.spare = spare

    def __repr__(self) -> str:
        return f"SpareSlice({list.__repr__(self)}, spare={self.spare!r}, {self.go_type.name!r})"


def nil_list(slice_type: GoType | str = SLICE_OF_ANY) -> TypedSlice:
    """A nil slice (by default ``[]interface {}``)."""
    return TypedSlice((), slice_type, is_nil=True)


def spare_of(value: Any) -> list[Any]:
    """The elements between a slice's length and its capacity."""
    spare: list[Any] = getattr(value, "spare", [])
    return spare


def _slice_type(elem: str | GoType) -> GoType:
    return go_type("[]" + (elem if isinstance(elem, str) else elem.name))


def with_capacity(
    items: list[Any], capacity: int, elem: str | GoType = "interface {}"
) -> list[Any]:
    """A ``[]elem`` of ``items`` with ``capacity``; the extra room holds zero values."""
    slice_type = _slice_type(elem)
    room = capacity - len(items)
    if room > 0:
        element_type = slice_type.elem
        assert element_type is not None
        return SpareSlice(items, [zero_value(element_type) for _ in range(room)], slice_type)
    if slice_type is SLICE_OF_ANY:
        return items
    return TypedSlice(items, slice_type)


# Go's malloc size classes (bytes) up to 32 KiB; bigger blocks are whole 8 KiB pages.
_SIZE_CLASSES = (
    8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
    288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
    1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528,
    6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072,
    20480, 21760, 24576, 27264, 28672, 32768,
)  # fmt: skip
_PAGE = 8192
_WORD_PAIR = 16  # sizeof(interface {}) == sizeof(string) on 64-bit platforms


def _round_up_size(size: int) -> int:
    if size <= _SIZE_CLASSES[-1]:
        return _SIZE_CLASSES[bisect_left(_SIZE_CLASSES, size)]
    return -(-size // _PAGE) * _PAGE


def grow_capacity(old_capacity: int, needed: int, elem_size: int = _WORD_PAIR) -> int:
    """The capacity Go's ``append`` gives when ``needed`` elements overflow ``old_capacity``."""
    if needed <= old_capacity:
        return old_capacity
    new_capacity = old_capacity
    double = old_capacity * 2
    if needed > double:
        new_capacity = needed
    elif old_capacity < 256:
        new_capacity = double
    else:
        while 0 < new_capacity < needed:
            new_capacity += (new_capacity + 3 * 256) // 4
        if new_capacity <= 0:
            new_capacity = needed
    return _round_up_size(new_capacity * elem_size) // elem_size


def appended_capacity(count: int) -> int:
    """The capacity of a slice built by appending ``count`` elements one by one."""
    capacity = 0
    while capacity < count:
        capacity = grow_capacity(capacity, capacity + 1)
    return capacity


def appended(items: list[Any], elem: str | GoType = "interface {}") -> list[Any]:
    """``items`` as the slice Go builds with one ``append`` per element."""
    return with_capacity(items, appended_capacity(len(items)), elem)


def is_list(value: Any) -> bool:
    """Whether reflection sees a slice or an array."""
    return go_kind(value) in ("slice", "array")


def elements(value: Any, message: str) -> list[Any]:
    """The elements of a slice/array argument; ``message % kind`` is the error otherwise.

    A nil argument dereferences a nil ``reflect.Type`` in sprig: Go's nil pointer panic.
    """
    if value is None:
        raise GoPanic(NIL_DEREFERENCE)
    kind = go_kind(value)
    if kind not in ("slice", "array"):
        raise GoError(message % kind)
    if isinstance(value, (bytes, bytearray)):
        return [Uint8(byte) for byte in value]
    return list(value)


def strval(value: Any) -> str:
    """sprig's ``strval``: strings as is, ``[]byte`` decoded, anything else as ``%v``."""
    from mittnite.gotemplate.sprig.math import go_string_value

    return go_string_value(value)

"""Go values in Python: how a template value keeps its Go type.

Go templates behave differently depending on a value's exact Go type
(``printf "%T"``, ``eq`` refusing ``int`` against ``int64``, sprig functions
that treat ``map[string]string`` and ``map[string]interface{}`` differently).
The representation is chosen so that the common types cost nothing:

=====================================  ==========================================
Go type                                Python value
=====================================  ==========================================
``nil``                                ``None``
``bool``, ``string``                   ``bool``, ``str`` (Go bytes: non-UTF-8
                                       bytes are kept as surrogate escapes)
``int``                                ``int``
``int64``, ``uint8``, ``int32`` ...    :class:`GoInt` subclasses (``Int64(5)``)
``float64`` / ``float32``              ``float`` / :class:`Float32`
``[]interface {}``                     ``list``
``[]T`` (``[]string`` ...)             :class:`Slice` (a list with ``elem``)
``map[string]interface {}``            ``dict``
``map[K]V`` (``map[string]string``)    :class:`Map` (a dict with key/value types)
``[]byte``                             ``bytes``
anything else (structs, time.Time,     an object with a ``go_type`` attribute
errors, pointers)                      (see :class:`GoObject`)
=====================================  ==========================================

A function returning a typed value builds it explicitly, e.g.
``Slice("string", parts)``, ``Int64(n)``, ``Map("string", "string", d)``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


class GoInt(int):
    """Base of the sized integer kinds; ``go_type`` names the kind."""

    go_type = "int"
    bits = 64
    signed = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


def _int_kind(name: str, bits: int, signed: bool) -> type[GoInt]:
    return type(name.capitalize(), (GoInt,), {"go_type": name, "bits": bits, "signed": signed})


Int64 = _int_kind("int64", 64, True)
Int32 = _int_kind("int32", 32, True)
Int16 = _int_kind("int16", 16, True)
Int8 = _int_kind("int8", 8, True)
Uint = _int_kind("uint", 64, False)
Uint64 = _int_kind("uint64", 64, False)
Uint32 = _int_kind("uint32", 32, False)
Uint16 = _int_kind("uint16", 16, False)
Uint8 = _int_kind("uint8", 8, False)
Uintptr = _int_kind("uintptr", 64, False)

INT_TYPES: dict[str, type[int]] = {
    "int": int,
    "int64": Int64,
    "int32": Int32,
    "int16": Int16,
    "int8": Int8,
    "uint": Uint,
    "uint64": Uint64,
    "uint32": Uint32,
    "uint16": Uint16,
    "uint8": Uint8,
    "uintptr": Uintptr,
}


class Float32(float):
    go_type = "float32"


class Slice(list):  # type: ignore[type-arg]
    """A typed Go slice ``[]elem``; a plain ``list`` is ``[]interface {}``."""

    __slots__ = ("elem",)

    def __init__(self, elem: str, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self.elem = elem

    @property
    def go_type(self) -> str:
        return f"[]{self.elem}"


class Array(Slice):
    """A Go array ``[n]elem`` (rare: sprig's ``sha1sum`` internals, reflection)."""

    @property
    def go_type(self) -> str:
        return f"[{len(self)}]{self.elem}"


class Map(dict):  # type: ignore[type-arg]
    """A typed Go map; a plain ``dict`` is ``map[string]interface {}``."""

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: str, items: Any = ()) -> None:
        super().__init__(items)
        self.key = key
        self.value = value

    @property
    def go_type(self) -> str:
        return f"map[{self.key}]{self.value}"


class GoObject:
    """Base for opaque Go values (structs, pointers, errors).

    Subclasses set ``go_type``/``go_kind`` and may expose template fields in
    ``go_fields`` (name → Python attribute) and methods in ``go_methods``
    (name → bound method with a ``gofunc`` signature). ``go_string`` is what
    ``%v``/``print`` show (Go's ``String()``/``Error()``); ``None`` means the
    struct is printed field by field (``go_struct_fields``).
    """

    go_type = "struct {}"
    go_kind = "struct"
    go_fields: tuple[str, ...] = ()

    def go_string(self) -> str | None:
        return None

    def go_struct_fields(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in self.go_fields]

    def go_method(self, name: str) -> Any:
        return None


class GoError(GoObject):
    """A Go ``error`` value (``*errors.errorString`` unless told otherwise)."""

    go_type = "*errors.errorString"
    go_kind = "ptr"

    def __init__(self, message: str, go_type: str = "*errors.errorString") -> None:
        self.message = message
        self.go_type = go_type

    def go_string(self) -> str:
        return self.message


class Struct(GoObject):
    """A plain Go struct value with named fields (the template data root...)."""

    def __init__(self, go_type: str, fields: dict[str, Any], kind: str = "struct") -> None:
        self.go_type = go_type
        self.go_kind = kind
        self.fields = fields
        self.go_fields = tuple(fields)

    def go_struct_fields(self) -> list[tuple[str, Any]]:
        return list(self.fields.items())


def go_type_name(value: Any) -> str:
    """Go's ``%T`` of ``value``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return getattr(value, "go_type", "int")
    if isinstance(value, float):
        return getattr(value, "go_type", "float64")
    if isinstance(value, Slice | Map):
        return value.go_type
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, bytes):
        return "[]uint8"
    return str(getattr(value, "go_type", type(value).__name__))


_KINDS = {
    "int": "int",
    "int64": "int64",
    "int32": "int32",
    "int16": "int16",
    "int8": "int8",
    "uint": "uint",
    "uint64": "uint64",
    "uint32": "uint32",
    "uint16": "uint16",
    "uint8": "uint8",
    "uintptr": "uintptr",
}


def go_kind(value: Any) -> str:
    """Go's ``reflect.Kind`` name of ``value`` (``invalid`` for nil)."""
    if value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        kind = getattr(value, "go_kind", None)
        if kind is not None:
            return str(kind)
        return _KINDS.get(getattr(value, "go_type", "int"), "int")
    if isinstance(value, float):
        return "float32" if isinstance(value, Float32) else "float64"
    if isinstance(value, Array):
        return "array"
    if isinstance(value, list | bytes):
        return "slice"
    if isinstance(value, dict):
        return "map"
    return str(getattr(value, "go_kind", "struct"))


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_unsigned(value: Any) -> bool:
    return is_int(value) and not getattr(value, "signed", True)


def is_float(value: Any) -> bool:
    return isinstance(value, float)


def zero_of(type_name: str) -> Any:
    """Go's zero value of a type named like ``%T`` prints it."""
    if type_name == "string":
        return ""
    if type_name == "bool":
        return False
    if type_name in INT_TYPES:
        return INT_TYPES[type_name](0)
    if type_name == "float64":
        return 0.0
    if type_name == "float32":
        return Float32(0.0)
    return None


def is_true(value: Any) -> bool:
    """Go template truth: the zero value and empty containers are false."""
    if value is None:
        return False
    if isinstance(value, bool | int | float | str | bytes | list | dict):
        return bool(value)
    truth = getattr(value, "go_truth", None)
    if truth is not None:
        return bool(truth())
    return True

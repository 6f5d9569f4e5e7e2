"""The Go value model: how Go values and their exact Go types live in Python.

Go templates behave differently depending on a value's *Go type*: ``printf "%T"``, ``kindOf``,
``eq`` (``int`` vs ``string`` is an error), ``len`` (bytes of a string), ``index``, printing
(``map[a:1]``), and the conversion of arguments into a function's typed parameters. So every
value handed to or returned from a template function must say which Go type it has. This module
defines that representation, chosen so the common cases are plain Python values and cost
nothing.

Developer guide (for sprig family modules)
------------------------------------------

Representation of Go values:

=============================  =================================================
Go type                        Python value
=============================  =================================================
``string``                     ``str``
``bool``                       ``bool``
``int`` (64-bit)               ``int`` (exactly ``int``, not a subclass)
``float64``                    ``float``
``complex128``                 ``complex``
``int8`` ... ``int64``         ``Int8(n)`` ... ``Int64(n)`` (``int`` subclasses)
``uint`` ... ``uint64``        ``Uint(n)``, ``Uint8(n)`` ... ``Uint64(n)``, ``Uintptr``
``float32``                    ``Float32(x)``
``[]byte`` (``[]uint8``)       ``bytes``
``[]interface {}``             ``list``
``map[string]interface {}``    ``dict`` with ``str`` keys
``[]T`` for another ``T``      ``TypedSlice(items, "[]T")``, e.g. ``slice_of("string", xs)``
``map[K]V`` otherwise          ``TypedMap(items, "map[K]V")``, e.g. ``map_of("string", "string", d)``
struct / pointer to struct     ``GoStruct(type, {"Field": value, ...})`` (see ``new_struct``)
nil pointer of type ``*T``     ``NilPointer("*T")``
an ``error`` value             ``GoErrorValue("message")``
``nil`` (empty interface)      ``None``
``time.Time`` etc.             any class with a ``go_type`` attribute (see below)
=============================  =================================================

A Go ``string`` may hold bytes that are not UTF-8. Such a string is a ``str`` in which every
invalid byte is the lone surrogate the ``surrogateescape`` error handler produces; use
``go_bytes(s)`` / ``go_string(b)`` to convert between the two forms. ``len`` and byte offsets are
measured in UTF-8 bytes, as Go does.

Returning typed values: a function declared with ``@gofunc(..., result="int64")`` may return a
plain ``int``; the engine converts it to ``Int64`` (likewise ``[]string`` from a ``list``,
``map[string]string`` from a ``dict``, ``float64`` from an ``int``). Only functions declared to
return ``interface {}`` must build the typed value themselves (``Int64(5)``, ``slice_of(...)``).

Custom Go types: give the class a ``go_type`` attribute, either a ``GoType`` or a type name that
was registered with ``define_type`` (``time.Time``, ``time.Duration``, ``time.Month``,
``time.Weekday`` and ``*time.Location`` are pre-registered; the dates family should re-register
them with ``py_class=`` so constants can be converted to them). The kind given to
``define_type`` decides how the engine treats values (``"int64"`` for ``time.Duration``: it
compares and prints as an integer; ``"struct"``: always true, printed field by field). If the Go
type has a ``String()`` method, register it with ``stringer=True`` and implement it as
``__str__``; an error type uses ``is_error=True`` and ``__str__`` as ``Error()``. Methods
callable from templates (``.Year``, ``.Format "2006"``) are ``GoFunc`` objects whose first
Python argument is the receiver, added with ``add_methods("time.Time", {"Year": ..., ...})``
(see ``funcs.py``); a value type only has its own methods, a pointer type (``*T``) has its own
and ``T``'s. Struct fields readable as ``.Field`` come from a ``go_fields`` mapping attribute
(``GoStruct`` has one; lower-case names are unexported).

Receiving values: a parameter declared ``interface {}`` receives any of the values above.
``isinstance(v, list)`` covers every slice but ``[]byte`` (``bytes``); ``isinstance(v, dict)``
covers every map. ``type_of(v)``/``go_type_name(v)``/``go_kind(v)`` give the Go type, ``is_true``
gives template truth (sprig's ``empty`` is its negation). The engine's internal markers
``MISSING`` (a missing map key) and ``Iface`` (a value seen through ``interface {}``) never reach
a sprig function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from mittnite.gotemplate.funcs import GoFunc

__all__ = [
    "BOOL",
    "BYTES",
    "COMPLEX128",
    "EMPTY_INTERFACE",
    "ERROR",
    "FLOAT32",
    "FLOAT64",
    "INT",
    "INT64",
    "MAP_STRING_ANY",
    "MAP_STRING_STRING",
    "MISSING",
    "REFLECT_VALUE",
    "SLICE_OF_ANY",
    "SLICE_OF_STRING",
    "STRING",
    "UINT8",
    "Float32",
    "GoErrorValue",
    "GoInt",
    "GoStruct",
    "GoType",
    "Iface",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "NilPointer",
    "TypedMap",
    "TypedSlice",
    "Uint",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "Uintptr",
    "add_methods",
    "byte_len",
    "define_type",
    "go_bytes",
    "go_kind",
    "go_string",
    "go_type",
    "go_type_name",
    "is_true",
    "map_of",
    "new_struct",
    "set_field_view",
    "slice_of",
    "struct_fields",
    "to_go",
    "type_of",
    "unbox",
    "zero_value",
]

# Kinds, spelled as Go's reflect.Kind.String() spells them (Go 1.19: "ptr").
INT_KINDS = frozenset({"int", "int8", "int16", "int32", "int64"})
UINT_KINDS = frozenset({"uint", "uint8", "uint16", "uint32", "uint64", "uintptr"})
FLOAT_KINDS = frozenset({"float32", "float64"})
COMPLEX_KINDS = frozenset({"complex64", "complex128"})
NILABLE_KINDS = frozenset({"chan", "func", "interface", "map", "ptr", "slice"})
_BASIC_KINDS = INT_KINDS | UINT_KINDS | FLOAT_KINDS | COMPLEX_KINDS | {"bool", "string"}


class GoType:
    """One Go type: its printed name (``%T``), its kind and what it is built from.

    Types are interned by name (``go_type("[]string") is go_type("[]string")``), so identity
    is type identity, which is what Go's assignability needs.
    """

    __slots__ = (
        "elem",
        "field_view",
        "fields",
        "is_error",
        "key",
        "kind",
        "methods",
        "name",
        "py_class",
        "stringer",
    )

    def __init__(
        self,
        name: str,
        kind: str,
        *,
        elem: GoType | None = None,
        key: GoType | None = None,
        stringer: bool = False,
        is_error: bool = False,
        py_class: type | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.elem = elem
        self.key = key
        self.stringer = stringer
        self.is_error = is_error
        self.py_class = py_class
        self.methods: dict[str, GoFunc] = {}
        self.fields: tuple[str, ...] = ()
        self.field_view: Callable[[Any], Mapping[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"GoType({self.name!r}, kind={self.kind!r})"

    def __str__(self) -> str:
        return self.name

    @property
    def is_empty_interface(self) -> bool:
        return self.kind == "interface" and self.name == "interface {}"

    def method(self, name: str) -> GoFunc | None:
        """The method ``name`` in this type's method set: a pointer type has its own methods
        and those of its element; a value (not addressable in templates) only its own."""
        found = self.methods.get(name)
        if found is None and self.kind == "ptr" and self.elem is not None:
            found = self.elem.methods.get(name)
        return found

    def has_method(self, name: str) -> bool:
        if self.method(name) is not None:
            return True
        if name == "String":
            return self.stringer or (
                self.kind == "ptr" and self.elem is not None and self.elem.stringer
            )
        if name == "Error":
            return self.is_error or (
                self.kind == "ptr" and self.elem is not None and self.elem.is_error
            )
        return False


_TYPES: dict[str, GoType] = {}


def _register(t: GoType) -> GoType:
    _TYPES[t.name] = t
    return t


def define_type(
    name: str,
    kind: str,
    *,
    elem: str | GoType | None = None,
    fields: Iterable[str] = (),
    stringer: bool = False,
    is_error: bool = False,
    py_class: type | None = None,
) -> GoType:
    """Register (or update) a named Go type such as ``time.Time`` or ``*semver.Version``.

    For a pointer type (``kind="ptr"``) ``elem`` names the pointed-to type. ``fields`` lists a
    struct's field names in declaration order (used by ``%v`` and ``.Field``). ``py_class``
    is the Python class representing the type, used to build values of it (for example
    converting a template constant to a ``time.Duration`` parameter).
    """
    elem_type = go_type(elem) if isinstance(elem, str) else elem
    existing = _TYPES.get(name)
    if existing is None:
        existing = _register(GoType(name, kind, elem=elem_type))
    existing.kind = kind
    if elem_type is not None:
        existing.elem = elem_type
    existing.stringer = existing.stringer or stringer
    existing.is_error = existing.is_error or is_error
    if fields:
        existing.fields = tuple(fields)
    if py_class is not None:
        existing.py_class = py_class
    return existing


def set_field_view(type_name: str | GoType, view: Callable[[Any], Mapping[str, Any]]) -> None:
    """Let ``fmt`` print values of a struct type field by field (``%d`` of a ``time.Time``
    prints ``{wall ext loc}``) when the Python class has no ``go_fields`` of its own."""
    target = go_type(type_name) if isinstance(type_name, str) else type_name
    target.field_view = view


def struct_fields(value: Any, t: GoType | None = None) -> Mapping[str, Any] | None:
    """The fields ``fmt`` prints for a struct value (or the struct a pointer points to)."""
    fields = getattr(value, "go_fields", None)
    if fields is not None:
        return fields  # type: ignore[no-any-return]
    if t is None:
        t = type_of(value)
    if t is not None and t.kind == "ptr" and t.elem is not None:
        t = t.elem
    if t is not None and t.field_view is not None:
        return t.field_view(value)
    return None


def add_methods(type_name: str | GoType, methods: Mapping[str, GoFunc]) -> None:
    """Make ``methods`` callable from templates as ``.Name args...`` on values of the type."""
    target = go_type(type_name) if isinstance(type_name, str) else type_name
    target.methods.update(methods)


def _split_map_name(name: str) -> tuple[str, str]:
    """Split ``map[K]V`` into ``K`` and ``V`` (K may itself contain brackets)."""
    depth = 0
    for index in range(4, len(name)):
        char = name[index]
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return name[4:index], name[index + 1 :]
            depth -= 1
    raise ValueError(f"malformed map type name: {name!r}")


def go_type(name: str) -> GoType:
    """The interned ``GoType`` for a Go type name (``"[]string"``, ``"map[string]int"``, ...).

    Unknown named types (``pkg.Name``) are registered on the fly as opaque structs, so a
    function may declare a parameter of a type that a later module fills in.
    """
    found = _TYPES.get(name)
    if found is not None:
        return found
    if name == "any":
        return EMPTY_INTERFACE
    if name.startswith("[]"):
        return _register(GoType(name, "slice", elem=go_type(name[2:])))
    if name.startswith("map["):
        key_name, elem_name = _split_map_name(name)
        key, elem = go_type(key_name), go_type(elem_name)
        return _register(GoType(f"map[{key.name}]{elem.name}", "map", key=key, elem=elem))
    if name.startswith("*"):
        return _register(GoType(name, "ptr", elem=go_type(name[1:])))
    if name.startswith("func("):
        return _register(GoType(name, "func"))
    if name.startswith("interface {") and name != "interface {}":
        return _register(GoType(name, "interface"))
    return _register(GoType(name, "struct"))


def _basic(name: str, py_class: type | None = None) -> GoType:
    return _register(GoType(name, name, py_class=py_class))


# --- sized numbers -------------------------------------------------------------------------


class GoInt(int):
    """Base of the sized Go integer kinds; ``wrap`` truncates like a Go conversion does."""

    __slots__ = ()
    go_type: ClassVar[GoType]
    bits: ClassVar[int] = 64
    signed: ClassVar[bool] = True

    @classmethod
    def wrap(cls, value: int) -> GoInt:
        """``T(value)`` in Go: keep the low ``bits`` bits, two's complement for signed kinds."""
        mask = (1 << cls.bits) - 1
        value &= mask
        if cls.signed and value >> (cls.bits - 1):
            value -= 1 << cls.bits
        return cls(value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class Int8(GoInt):
    __slots__ = ()
    bits = 8


class Int16(GoInt):
    __slots__ = ()
    bits = 16


class Int32(GoInt):
    """Go ``int32``, also known as ``rune``."""

    __slots__ = ()
    bits = 32


class Int64(GoInt):
    __slots__ = ()
    bits = 64


class Uint(GoInt):
    __slots__ = ()
    bits = 64
    signed = False


class Uint8(GoInt):
    """Go ``uint8``, also known as ``byte``."""

    __slots__ = ()
    bits = 8
    signed = False


class Uint16(GoInt):
    __slots__ = ()
    bits = 16
    signed = False


class Uint32(GoInt):
    __slots__ = ()
    bits = 32
    signed = False


class Uint64(GoInt):
    __slots__ = ()
    bits = 64
    signed = False


class Uintptr(GoInt):
    __slots__ = ()
    bits = 64
    signed = False


class Float32(float):
    """Go ``float32``: ``Float32.wrap(x)`` rounds to single precision."""

    __slots__ = ()
    go_type: ClassVar[GoType]

    @classmethod
    def wrap(cls, value: float) -> Float32:
        import struct

        try:
            return cls(struct.unpack("<f", struct.pack("<f", value))[0])
        except OverflowError:
            return cls(float("inf") if value > 0 else float("-inf"))

    def __repr__(self) -> str:
        return f"Float32({float(self)!r})"


BOOL = _basic("bool")
STRING = _basic("string")
INT = _basic("int")
INT8 = _basic("int8", Int8)
INT16 = _basic("int16", Int16)
INT32 = _basic("int32", Int32)
INT64 = _basic("int64", Int64)
UINT = _basic("uint", Uint)
UINT8 = _basic("uint8", Uint8)
UINT16 = _basic("uint16", Uint16)
UINT32 = _basic("uint32", Uint32)
UINT64 = _basic("uint64", Uint64)
UINTPTR = _basic("uintptr", Uintptr)
FLOAT32 = _basic("float32", Float32)
FLOAT64 = _basic("float64")
COMPLEX64 = _basic("complex64")
COMPLEX128 = _basic("complex128")
_TYPES["byte"] = UINT8
_TYPES["rune"] = INT32
for _cls, _t in (
    (Int8, INT8),
    (Int16, INT16),
    (Int32, INT32),
    (Int64, INT64),
    (Uint, UINT),
    (Uint8, UINT8),
    (Uint16, UINT16),
    (Uint32, UINT32),
    (Uint64, UINT64),
    (Uintptr, UINTPTR),
    (Float32, FLOAT32),
):
    _cls.go_type = _t

EMPTY_INTERFACE = _register(GoType("interface {}", "interface"))
ERROR = _register(GoType("error", "interface"))
REFLECT_VALUE = _register(GoType("reflect.Value", "struct"))
SLICE_OF_ANY = go_type("[]interface {}")
SLICE_OF_STRING = go_type("[]string")
MAP_STRING_ANY = go_type("map[string]interface {}")
MAP_STRING_STRING = go_type("map[string]string")
BYTES = go_type("[]uint8")

# Types of the gotime package, which marks its classes with these names.
define_type("time.Time", "struct", stringer=True)
define_type("time.Duration", "int64", stringer=True)
define_type("time.Month", "int", stringer=True)
define_type("time.Weekday", "int", stringer=True)
define_type("time.Location", "struct", stringer=True)
define_type("*time.Location", "ptr", elem="time.Location", stringer=True)
ERRORS_STRING = define_type("errors.errorString", "struct", fields=("s",))
ERRORS_STRING_PTR = define_type("*errors.errorString", "ptr", elem=ERRORS_STRING, is_error=True)


# --- composite values ----------------------------------------------------------------------


class TypedSlice(list[Any]):
    """A Go slice whose element type is not ``interface {}`` (``[]string``, ``[]int``, ...).

    ``is_nil`` marks a nil slice: it behaves as empty but ``%#v`` and JSON tell it apart.
    """

    __slots__ = ("go_type", "is_nil")

    def __init__(
        self,
        items: Iterable[Any] = (),
        slice_type: GoType | str = SLICE_OF_ANY,
        *,
        is_nil: bool = False,
    ) -> None:
        super().__init__(items)
        self.go_type = go_type(slice_type) if isinstance(slice_type, str) else slice_type
        self.is_nil = is_nil

    def __repr__(self) -> str:
        return f"TypedSlice({list.__repr__(self)}, {self.go_type.name!r})"


class TypedMap(dict[Any, Any]):
    """A Go map other than ``map[string]interface {}`` (e.g. ``.Env``'s ``map[string]string``)."""

    __slots__ = ("go_type", "is_nil")

    def __init__(
        self,
        items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        map_type: GoType | str = MAP_STRING_ANY,
        *,
        is_nil: bool = False,
    ) -> None:
        super().__init__(items)
        self.go_type = go_type(map_type) if isinstance(map_type, str) else map_type
        self.is_nil = is_nil

    def __repr__(self) -> str:
        return f"TypedMap({dict.__repr__(self)}, {self.go_type.name!r})"


class GoStruct:
    """A Go struct value, or a pointer to one when its type's kind is ``ptr``.

    ``go_fields`` holds the fields in declaration order; names starting with a lower-case
    letter are unexported (templates cannot read them, but ``%v`` prints them).
    """

    __slots__ = ("go_fields", "go_type")

    def __init__(self, struct_type: GoType | str, fields: Mapping[str, Any]) -> None:
        self.go_type = go_type(struct_type) if isinstance(struct_type, str) else struct_type
        self.go_fields = dict(fields)

    def __repr__(self) -> str:
        return f"GoStruct({self.go_type.name!r}, {self.go_fields!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, GoStruct)
            and other.go_type is self.go_type
            and other.go_fields == self.go_fields
        )

    def __hash__(self) -> int:
        return hash(self.go_type.name)


class NilPointer:
    """A typed nil pointer (``(*T)(nil)``): printed as ``<nil>``, false in conditions."""

    __slots__ = ("go_type",)

    def __init__(self, pointer_type: GoType | str) -> None:
        self.go_type = go_type(pointer_type) if isinstance(pointer_type, str) else pointer_type

    def __repr__(self) -> str:
        return f"NilPointer({self.go_type.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NilPointer) and other.go_type is self.go_type

    def __hash__(self) -> int:
        return hash(self.go_type.name)


class GoErrorValue:
    """A Go ``error`` value (by default ``*errors.errorString``); ``str()`` is ``Error()``."""

    __slots__ = ("go_type", "message")

    def __init__(self, message: str, error_type: GoType | str = ERRORS_STRING_PTR) -> None:
        self.message = message
        self.go_type = go_type(error_type) if isinstance(error_type, str) else error_type

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"GoErrorValue({self.message!r})"

    @property
    def go_fields(self) -> dict[str, Any]:
        return {"s": self.message}


def slice_of(elem: str | GoType, items: Iterable[Any] = ()) -> list[Any]:
    """A ``[]elem`` slice; ``[]interface {}`` stays a plain ``list``."""
    elem_name = elem if isinstance(elem, str) else elem.name
    slice_type = go_type("[]" + elem_name)
    if slice_type is SLICE_OF_ANY:
        return list(items)
    return TypedSlice(items, slice_type)


def map_of(key: str | GoType, elem: str | GoType, items: Mapping[Any, Any] = {}) -> dict[Any, Any]:
    """A ``map[key]elem``; ``map[string]interface {}`` stays a plain ``dict``."""
    key_name = key if isinstance(key, str) else key.name
    elem_name = elem if isinstance(elem, str) else elem.name
    map_type = go_type(f"map[{key_name}]{elem_name}")
    if map_type is MAP_STRING_ANY:
        return dict(items)
    return TypedMap(items, map_type)


def new_struct(type_name: str, fields: Mapping[str, Any], *, pointer: bool = False) -> GoStruct:
    """A struct value of the named type (``pointer=True``: a ``*type_name`` pointing to it)."""
    struct_type = define_type(type_name, "struct", fields=tuple(fields))
    if pointer:
        return GoStruct(define_type("*" + type_name, "ptr", elem=struct_type), fields)
    return GoStruct(struct_type, fields)


# --- engine-internal markers ---------------------------------------------------------------


class _Missing:
    """Go's invalid ``reflect.Value``: a missing map key; printed as ``<no value>``."""

    __slots__ = ()
    _instance: ClassVar[_Missing | None] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


class Iface:
    """A value seen through a static ``interface {}`` type (a ``reflect.Value`` of kind
    Interface): an element of ``[]interface {}`` or ``map[string]interface {}``.

    Only the engine and the builtins that take ``reflect.Value`` ever see these; Go reports
    such values as ``interface {}`` in some errors (``can't evaluate field x in type
    interface {}``), and a nil one differs from a missing value.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Iface({self.value!r})"


def unbox(value: Any) -> Any:
    """The concrete value inside an ``Iface`` (``None`` for a nil interface)."""
    return value.value if type(value) is Iface else value


# --- type queries --------------------------------------------------------------------------

_PLAIN_TYPES: dict[type, GoType] = {
    str: STRING,
    bool: BOOL,
    int: INT,
    float: FLOAT64,
    complex: COMPLEX128,
    list: SLICE_OF_ANY,
    dict: MAP_STRING_ANY,
    bytes: BYTES,
    bytearray: BYTES,
}


def type_of(value: Any) -> GoType | None:
    """The Go type of a (concrete) value; ``None`` for nil."""
    found = _PLAIN_TYPES.get(type(value))
    if found is not None:
        return found
    if value is None or value is MISSING:
        return None
    if type(value) is Iface:
        return EMPTY_INTERFACE
    declared = getattr(value, "go_type", None)
    if isinstance(declared, GoType):
        return declared
    if isinstance(declared, str):
        return go_type(declared)
    if callable(declared):
        produced = declared()
        if isinstance(produced, GoType):
            return produced
    raise TypeError(f"{type(value).__name__} is not a Go value (no go_type)")


def go_type_name(value: Any) -> str:
    """Go's ``%T`` of a value: ``int``, ``[]interface {}``, ``time.Time``; ``<nil>`` for nil."""
    found = type_of(unbox(value))
    return "<nil>" if found is None else found.name


def go_kind(value: Any) -> str:
    """Go's ``reflect.Kind`` name of a value (``int``, ``slice``, ``map``, ``ptr``, ...);
    ``invalid`` for nil, as sprig's ``kindOf`` prints it."""
    found = type_of(unbox(value))
    return "invalid" if found is None else found.kind


# --- strings as Go byte strings ------------------------------------------------------------


def go_bytes(text: str) -> bytes:
    """The bytes of a Go string (invalid bytes come back from their surrogate escapes)."""
    return text.encode("utf-8", "surrogateescape")


def go_string(data: bytes | bytearray) -> str:
    """A Go ``string(data)``: any byte sequence, invalid UTF-8 kept via surrogate escapes."""
    return bytes(data).decode("utf-8", "surrogateescape")


def byte_len(text: str) -> int:
    """``len(s)`` in Go: the number of bytes."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogateescape"))


# --- zero values, truth, conversion of results ---------------------------------------------


def zero_value(t: GoType) -> Any:
    """Go's zero value of a type (``reflect.Zero``); an interface's zero is ``None``."""
    kind = t.kind
    if kind == "string":
        return ""
    if kind == "bool":
        return False
    if kind in INT_KINDS or kind in UINT_KINDS:
        if t.py_class is not None:
            return t.py_class(0)
        return 0 if t is INT else _named_scalar(t, 0)
    if kind in FLOAT_KINDS:
        return Float32(0.0) if t is FLOAT32 else 0.0 if t is FLOAT64 else _named_scalar(t, 0.0)
    if kind in COMPLEX_KINDS:
        return 0j
    if kind == "interface":
        return None
    if kind == "slice":
        return TypedSlice((), t, is_nil=True)
    if kind == "map":
        return TypedMap((), t, is_nil=True)
    if kind == "ptr":
        return NilPointer(t)
    if kind == "struct":
        return GoStruct(t, dict.fromkeys(t.fields, None))
    return None


def _named_scalar(t: GoType, value: Any) -> Any:
    if t.py_class is not None:
        return t.py_class(value)
    return value


def is_true(value: Any) -> tuple[bool, bool]:
    """Go template truth of a concrete value: ``(truth, ok)``; zero values are false."""
    kind_type = _PLAIN_TYPES.get(type(value))
    if kind_type is not None:
        if kind_type is STRING or kind_type is SLICE_OF_ANY or kind_type is MAP_STRING_ANY:
            return len(value) > 0, True
        return bool(value), True
    if value is None or value is MISSING:
        return False, True
    if type(value) is Iface:
        return value.value is not None, True
    t = type_of(value)
    assert t is not None
    kind = t.kind
    if kind in ("slice", "map", "array"):
        return len(value) > 0, True
    if kind in INT_KINDS or kind in UINT_KINDS or kind in FLOAT_KINDS or kind in COMPLEX_KINDS:
        return value != 0, True
    if kind == "string":
        return len(str(value)) > 0, True
    if kind == "bool":
        return bool(value), True
    if kind == "struct":
        return True, True
    if kind in ("ptr", "func", "chan", "interface"):
        return not isinstance(value, NilPointer), True
    return False, False


def _wrap_int(value: int) -> int:
    """Go ``int`` arithmetic wraps at 64 bits."""
    if -(1 << 63) <= value < (1 << 63):
        return value
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def to_go(value: Any, t: GoType) -> Any:
    """Give a natural Python result the representation of the declared Go type ``t``.

    Used for function results: a plain ``int`` declared ``int64`` becomes ``Int64``, a ``list``
    declared ``[]string`` a ``TypedSlice``, a ``dict`` declared ``map[string]string`` a
    ``TypedMap``. Values that already carry a Go type are returned unchanged.
    """
    kind = t.kind
    py_type = type(value)
    if kind == "interface" or value is None:
        return value
    if t is INT:
        if py_type is int:
            return _wrap_int(value)
        if isinstance(value, int) and py_type is not bool and not hasattr(py_type, "go_type"):
            return _wrap_int(int(value))
        if isinstance(value, GoInt):
            return _wrap_int(int(value))
        return value
    if t is FLOAT64:
        if py_type is not float and isinstance(value, (int, float)) and py_type is not bool:
            return float(value)
        return value
    if t is STRING or t is BOOL:
        return value
    if t.py_class is not None and py_type is not t.py_class:
        wrap = getattr(t.py_class, "wrap", t.py_class)
        if isinstance(value, int) and py_type is not bool:
            return wrap(int(value))
        if isinstance(value, float) and t.py_class is Float32:
            return Float32.wrap(value)
        return value
    if kind == "slice":
        if t is BYTES and py_type is bytearray:
            return bytes(value)
        if py_type is list and t is not SLICE_OF_ANY:
            elem = t.elem
            assert elem is not None
            return TypedSlice([to_go(item, elem) for item in value], t)
        return value
    if kind == "map":
        if py_type is dict and t is not MAP_STRING_ANY:
            elem = t.elem
            assert elem is not None
            return TypedMap({key: to_go(item, elem) for key, item in value.items()}, t)
        return value
    return value

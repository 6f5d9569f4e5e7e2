"""How template functions are declared with their Go signatures, and Go's argument rules.

Go's template engine calls functions through reflection: it checks the argument count against
the signature (variadic too), converts every argument to its parameter's type (constants are
converted, other values must be assignable), and turns a non-nil ``error`` result or a panic
into ``error calling NAME: MSG``. Each function here carries its Go signature so the engine can
apply exactly those rules and produce exactly those messages.

Developer guide (for sprig family modules)
------------------------------------------

A family module exports ``FUNCS: FuncMap`` (name -> ``GoFunc``). Declare each function once
with its Go signature::

    from mittnite.gotemplate.errors import GoError
    from mittnite.gotemplate.funcs import FuncMap, gofunc

    @gofunc("string", result="string")                  # func(string) string
    def upper(text: str) -> str:
        return text.upper()

    @gofunc("string", "...interface {}", result="string")  # variadic: *rest
    def cat(first: str, *rest: object) -> str: ...

    @gofunc("string", result="string", error=True)      # func(string) (string, error)
    def fail(message: str) -> str:
        raise GoError(message)                          # -> "error calling fail: MESSAGE"

    FUNCS: FuncMap = {"upper": upper, "cat": cat, "fail": fail}

Parameter types are Go type names: ``string``, ``bool``, ``int``, ``int64``, ``float64``,
``interface {}`` (or ``any``), ``[]interface {}``, ``[]string``, ``map[string]interface {}``,
``time.Time``, ... A last parameter ``...T`` makes the function variadic (the Python function
receives ``*args``). The engine converts arguments before the call, so the function receives
values of the declared types (see ``values.py`` for their Python representation):

* template constants are converted Go's way (``{{ f 3 }}`` gives an ``int64`` parameter
  ``Int64(3)``; an ``interface {}`` parameter receives the plain ``int`` 3);
* other values must be assignable to the parameter type, else Go's error
  (``wrong type for value; expected string; got int``);
* a missing value (``.Params.nope``) or ``nil`` reaches an ``interface {}``, map, slice or
  pointer parameter as ``None``/its nil value, and is an error for other types
  (``invalid value; expected string``).

The result is converted to the declared result type (``to_go``): return plain ``int``,
``float``, ``list`` or ``dict`` for ``int64``, ``float64``, ``[]string`` or
``map[string]string``. A function declared ``result="interface {}"`` must return an already
typed value (``Int64(1)``, ``slice_of("string", ...)``) when the type matters.

Errors: raise ``GoError(message)`` for the ``error`` result of a ``(T, error)`` function and
``GoPanic(message)`` where Go would panic (``runtime error: integer divide by zero``); both are
reported as ``error calling NAME: MESSAGE``. Any other exception is reported the same way with
its ``str()``, as Go recovers panics of called functions.

Methods callable from templates (``.Format "2006"`` on a ``time.Time``) are ``GoFunc``s too:
their Python function takes the receiver first, their declared parameters exclude it, and they
are attached with ``values.add_methods(type_name, {"Format": format_method, ...})``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mittnite.gotemplate.values import (
    EMPTY_INTERFACE,
    INT,
    INT_KINDS,
    MISSING,
    NILABLE_KINDS,
    REFLECT_VALUE,
    UINT_KINDS,
    GoType,
    Iface,
    NilPointer,
    go_type,
    to_go,
    type_of,
    zero_value,
)

__all__ = [
    "ArgumentError",
    "FuncMap",
    "GoFunc",
    "assignable",
    "can_be_nil",
    "func_map",
    "gofunc",
    "prepare_arg",
    "validate_type",
]


class GoFunc:
    """A Python callable with its Go signature.

    ``params`` are the parameter types; for a variadic function the last one is the slice
    type ``[]T`` (as Go's reflection reports it) and ``variadic`` is true. Calling a
    ``GoFunc`` directly calls the Python function without any conversion.
    """

    __slots__ = (
        "fn",
        "go_type",
        "name",
        "params",
        "raw_params",
        "raw_result",
        "result",
        "returns_error",
        "variadic",
    )

    def __init__(
        self,
        fn: Callable[..., Any],
        params: tuple[str | GoType, ...],
        result: str | GoType = EMPTY_INTERFACE,
        *,
        error: bool = False,
        name: str | None = None,
    ) -> None:
        param_types: list[GoType] = []
        variadic = False
        for index, param in enumerate(params):
            if isinstance(param, str) and param.startswith("..."):
                if index != len(params) - 1:
                    raise ValueError("only the last parameter may be variadic")
                variadic = True
                param_types.append(go_type("[]" + go_type(param[3:]).name))
            else:
                param_types.append(go_type(param) if isinstance(param, str) else param)
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "function")
        self.params = tuple(param_types)
        self.variadic = variadic
        self.result = go_type(result) if isinstance(result, str) else result
        self.returns_error = error
        self.raw_params = tuple(
            t is REFLECT_VALUE
            or (variadic and i == len(param_types) - 1 and t.elem is REFLECT_VALUE)
            for i, t in enumerate(param_types)
        )
        self.raw_result = self.result is REFLECT_VALUE
        self.go_type = go_type(self.signature())

    def signature(self) -> str:
        """Go's type string of the function, e.g. ``func(string, ...interface {}) string``."""
        names = [t.name for t in self.params]
        if self.variadic:
            names[-1] = "..." + names[-1][2:]
        result = self.result.name
        if self.returns_error:
            result = f"({result}, error)"
        return f"func({', '.join(names)}) {result}"

    def param_type(self, index: int) -> GoType:
        """The type argument ``index`` converts to (the element type in the variadic part)."""
        if self.variadic and index >= len(self.params) - 1:
            elem = self.params[-1].elem
            assert elem is not None
            return elem
        return self.params[index]

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __repr__(self) -> str:
        return f"<GoFunc {self.name} {self.signature()}>"


FuncMap = dict[str, GoFunc]


def gofunc(
    *params: str, result: str = "interface {}", error: bool = False
) -> Callable[[Callable[..., Any]], GoFunc]:
    """Declare a template function by its Go signature (see the module documentation)."""

    def declare(fn: Callable[..., Any]) -> GoFunc:
        return GoFunc(fn, params, result, error=error)

    return declare


def func_map(**functions: GoFunc) -> FuncMap:
    """Build a ``FuncMap`` from keyword arguments (``func_map(upper=upper, lower=lower)``)."""
    return dict(functions)


class ArgumentError(Exception):
    """An argument cannot be converted to its parameter type (Go's message in ``str()``)."""


def can_be_nil(t: GoType) -> bool:
    """Go's canBeNil: types whose zero value is nil (and reflect.Value itself)."""
    return t.kind in NILABLE_KINDS or t is REFLECT_VALUE


def _implements(value_type: GoType, interface: GoType) -> bool:
    if interface is EMPTY_INTERFACE:
        return True
    if interface.name == "error":
        return value_type.has_method("Error")
    if interface.name == "fmt.Stringer":
        return value_type.has_method("String")
    return all(value_type.has_method(name) for name in interface.methods)


def assignable(value_type: GoType, target: GoType) -> bool:
    """Go's AssignableTo for the types of the value model (types are interned by name)."""
    if value_type is target:
        return True
    if target.kind == "interface":
        return _implements(value_type, target)
    return False


def validate_type(value: Any, target: GoType | None) -> Any:
    """Go's validateType: make an evaluated value fit a parameter of type ``target``.

    ``target`` None means an untyped destination (keep the value). ``reflect.Value``
    parameters receive the engine's value as is (``Iface`` and ``MISSING`` included);
    every other parameter receives a concrete value of the model.
    """
    if value is MISSING or value is None:
        if target is None:
            return None
        if can_be_nil(target):
            return MISSING if target is REFLECT_VALUE else zero_value(target)
        raise ArgumentError(f"invalid value; expected {target.name}")
    if target is REFLECT_VALUE or target is None:
        return value
    boxed = type(value) is Iface
    value_type = EMPTY_INTERFACE if boxed else type_of(value)
    assert value_type is not None
    if assignable(value_type, target):
        return value.value if boxed else value
    if boxed and value.value is not None:
        inner = value.value
        inner_type = type_of(inner)
        assert inner_type is not None
        if assignable(inner_type, target):
            return inner
        value, value_type = inner, inner_type
    if (
        value_type.kind == "ptr"
        and value_type.elem is not None
        and assignable(value_type.elem, target)
    ):
        if isinstance(value, NilPointer):
            raise ArgumentError(f"dereference of nil pointer of type {target.name}")
        return value
    raise ArgumentError(f"wrong type for value; expected {target.name}; got {value_type.name}")


def _int_like(t: GoType) -> bool:
    return t.kind in INT_KINDS or t.kind in UINT_KINDS


def make_integer(target: GoType, value: int) -> Any:
    """A value of integer type ``target`` from a Python int, truncated as Go converts."""
    py_class = target.py_class
    if py_class is not None:
        wrap = getattr(py_class, "wrap", None)
        return wrap(value) if wrap is not None else py_class(value)
    return to_go(value, INT) if target is INT else value


def prepare_arg(value: Any, target: GoType) -> Any:
    """Go's prepareArg (used by ``index`` and ``call``): assignable, or an integer
    converted to another integer type; otherwise ``value has type T; should be U``."""
    if type(value) is Iface:
        value = value.value
    if value is MISSING or value is None:
        if not can_be_nil(target):
            raise ArgumentError(f"value is nil; should be of type {target.name}")
        return zero_value(target)
    value_type = type_of(value)
    assert value_type is not None
    if assignable(value_type, target):
        return value
    if _int_like(value_type) and _int_like(target):
        return make_integer(target, int(value))
    raise ArgumentError(f"value has type {value_type.name}; should be {target.name}")


def convert_result(fn: GoFunc, result: Any) -> Any:
    """A Python result as the engine holds a value of the declared result type."""
    if fn.raw_result:
        return result
    declared = fn.result
    if declared.kind == "interface":
        return Iface(result)
    if result is None:
        return zero_value(declared) if can_be_nil(declared) else MISSING
    return to_go(result, declared)

"""How template functions are declared, and how arguments reach them the Go way.

Go's template engine calls functions through reflection: it checks the number
of arguments, converts constants (``3``, ``"x"``, ``true``) to the declared
parameter type and insists that computed values have exactly the parameter's
type (``int64`` does not fit an ``int`` parameter). Declaring each function
with its Go signature lets the engine reproduce those rules and their error
texts::

    @gofunc("string", "...interface {}")
    def printf(format, *args): ...

Parameter types are Go type names as ``%T`` prints them (``string``, ``int``,
``int64``, ``float64``, ``bool``, ``interface {}``, ``[]interface {}``,
``[]string``, ``map[string]interface {}``...); a leading ``...`` marks the
variadic last parameter. A function that returns ``(T, error)`` in Go raises
:class:`GoCallError`; one that panics in Go raises :class:`GoPanic`. Both
surface as ``error calling NAME: MESSAGE``. Return typed values as described
in :mod:`.values`.
"""

from __future__ import annotations

from .values import INT_TYPES, Float32, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])


class GoCallError(Exception):
    """The function returned a non-nil error (its text is the message)."""


class GoPanic(Exception):
    """The function panicked in Go (``runtime error: ...``, ``...``)."""


class ArgError(Exception):
    """An argument does not fit its parameter (message in Go's words)."""


NILABLE_PREFIXES = ("[]", "map[", "*", "func", "chan")


def can_be_nil(type_name: str) -> bool:
    return (
        type_name == "interface {}"
        or type_name.startswith(NILABLE_PREFIXES)
        or (type_name in ("error",))
    )


class GoFunc:
    """A callable plus its Go parameter list."""

    __slots__ = ("fn", "name", "params", "variadic")

    def __init__(self, fn: Callable[..., Any], params: tuple[str, ...], name: str = "") -> None:
        self.fn = fn
        self.name = name or fn.__name__
        self.variadic = bool(params) and params[-1].startswith("...")
        self.params = (*params[:-1], params[-1][3:]) if self.variadic else params

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def param_type(self, index: int) -> str:
        """The Go type of argument ``index`` (variadic arguments share the last)."""
        if self.variadic and index >= len(self.params) - 1:
            return self.params[-1]
        return self.params[index]

    def check_count(self, count: int) -> None:
        if self.variadic:
            if count < len(self.params) - 1:
                raise ArgError(
                    f"wrong number of args for {self.name}: want at least "
                    f"{len(self.params) - 1} got {count}"
                )
        elif count != len(self.params):
            raise ArgError(
                f"wrong number of args for {self.name}: want {len(self.params)} got {count}"
            )


def gofunc(*params: str, name: str = "") -> Callable[[Callable[..., Any]], GoFunc]:
    """Declare a template function with its Go parameter types."""

    def wrap(fn: Callable[..., Any]) -> GoFunc:
        return GoFunc(fn, params, name)

    return wrap


FuncMap = dict  # name -> GoFunc (kept as a plain dict for speed)


def convert_value(value: Any, type_name: str) -> Any:
    """A computed value passed to a parameter: Go's assignability rules.

    ``nil`` fits interfaces, slices, maps and pointers; everything else must
    have exactly the parameter's type (any value fits ``interface {}``).
    """
    if value is None:
        if can_be_nil(type_name):
            return None
        raise ArgError(f"invalid value; expected {type_name}")
    if type_name == "interface {}":
        return value
    actual = go_type_name(value)
    if actual == type_name:
        return value
    if type_name == "error" and hasattr(value, "go_string"):
        return value
    raise ArgError(f"wrong type for value; expected {type_name}; got {actual}")


def convert_constant(value: Any, kind: str, text: str, type_name: str) -> Any:
    """A literal from the template (``3``, ``1.5``, ``"s"``, ``true``, ``'a'``).

    ``kind`` is ``int``, ``float``, ``string``, ``bool`` or ``char``; ``text``
    is how the literal was written (Go's error messages quote it).
    """
    if type_name == "interface {}":
        return value
    if type_name == "bool":
        if kind == "bool":
            return value
        raise ArgError(f"expected bool; found {text}")
    if type_name == "string":
        if kind == "string":
            return value
        raise ArgError(f"expected string; found {text}")
    if type_name in INT_TYPES:
        if kind in ("int", "char") or (kind == "float" and float(value).is_integer()):
            number = int(value)
            signed = not type_name.startswith("uint")
            if not signed and number < 0:
                raise ArgError(f"expected unsigned integer; found {text}")
            return INT_TYPES[type_name](number)
        if type_name.startswith("uint"):
            raise ArgError(f"expected unsigned integer; found {text}")
        raise ArgError(f"expected integer; found {text}")
    if type_name in ("float64", "float32"):
        if kind in ("int", "float", "char"):
            return Float32(value) if type_name == "float32" else float(value)
        raise ArgError(f"expected float; found {text}")
    raise ArgError(f"can't handle {text} for arg of type {type_name}")

"""The predefined functions of Go's text/template (Go 1.19), with Go's error texts."""

from __future__ import annotations

from .funcs import GoCallError, GoFunc, GoPanic, gofunc
from .gofmt import MISSING, format_value, sprint, sprintf, sprintln
from .values import (
    Uint8,
    go_kind,
    go_type_name,
    is_float,
    is_int,
    is_true,
    is_unsigned,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VALUE = "reflect.Value"  # a parameter that takes any value, unconverted


def truth(value: Any) -> bool:
    return False if value is MISSING else is_true(value)


@gofunc(VALUE, "..." + VALUE, name="and")
def and_(*args: Any) -> Any:  # evaluated lazily by the engine; kept for arity checks
    for arg in args:
        if not truth(arg):
            return arg
    return args[-1]


@gofunc(VALUE, "..." + VALUE, name="or")
def or_(*args: Any) -> Any:
    for arg in args:
        if truth(arg):
            return arg
    return args[-1]


@gofunc(VALUE, name="not")
def not_(value: Any) -> bool:
    return not truth(value)


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(list(args))


@gofunc("...interface {}")
def html(*args: Any) -> str:
    text = _eval_args(args)
    out = []
    for ch in text:
        if ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch == "'":
            out.append("&#39;")
        elif ch == '"':
            out.append("&#34;")
        elif ch == "\0":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


@gofunc("...interface {}")
def js(*args: Any) -> str:
    text = _eval_args(args)
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == '"':
            out.append('\\"')
        elif ch == "<":
            out.append("\\u003C")
        elif ch == ">":
            out.append("\\u003E")
        elif ch == "&":
            out.append("\\u0026")
        elif ch == "=":
            out.append("\\u003D")
        elif ord(ch) < 0x20 or (ord(ch) >= 0x80 and not ch.isprintable()):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def query_escape(text: str) -> str:
    """Go's ``url.QueryEscape``."""
    out = []
    for byte in text.encode("utf-8", "surrogateescape"):
        ch = chr(byte)
        if (ch.isalnum() and byte < 0x80) or ch in "-_.~":
            out.append(ch)
        elif ch == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


@gofunc("...interface {}")
def urlquery(*args: Any) -> str:
    return query_escape(_eval_args(args))


@gofunc("...interface {}", name="print")
def print_(*args: Any) -> str:
    return sprint(list(args))


@gofunc("string", "...interface {}")
def printf(format: str, *args: Any) -> str:
    return sprintf(format, list(args))


@gofunc("...interface {}")
def println(*args: Any) -> str:
    return sprintln(list(args))


def _indirect(value: Any) -> Any:
    return value


def _index_arg(index: Any, length: int) -> int:
    if index is None or index is MISSING:
        raise GoCallError("cannot index slice/array with nil")
    if not is_int(index):
        raise GoCallError(f"cannot index slice/array with type {go_type_name(index)}")
    x = int(index)
    if x < 0 or x > length:
        raise GoCallError(f"index out of range: {x}")
    return x


@gofunc(VALUE, "..." + VALUE)
def index(item: Any, *indexes: Any) -> Any:
    if item is None or item is MISSING:
        raise GoCallError("index of untyped nil")
    for key in indexes:
        kind = go_kind(item)
        if kind in ("slice", "array", "string"):
            length = (
                len(item.encode("utf-8", "surrogateescape")) if isinstance(item, str) else len(item)
            )
            x = _index_arg(key, length)
            if x == length:
                what = "string" if isinstance(item, str) else "slice"
                raise GoPanic(f"reflect: {what} index out of range")
            if isinstance(item, str):
                item = Uint8(item.encode("utf-8", "surrogateescape")[x])
            elif isinstance(item, bytes):
                item = Uint8(item[x])
            else:
                item = item[x]
        elif kind == "map":
            key_type = getattr(item, "key", "string")
            if key is None or key is MISSING:
                raise GoCallError(f"value is nil; should be of type {key_type}")
            if go_type_name(key) != key_type and not (
                is_int(key) and key_type in ("int", "int64", "int32", "uint", "uint64")
            ):
                raise GoCallError(f"value has type {go_type_name(key)}; should be {key_type}")
            if key in item:
                item = item[key]
            else:
                value_type = getattr(item, "value", "interface {}")
                from .values import zero_of

                item = zero_of(value_type)
        else:
            raise GoCallError(f"can't index item of type {go_type_name(item)}")
    return item


@gofunc(VALUE, "..." + VALUE)
def slice(item: Any, *indexes: Any) -> Any:
    if item is None or item is MISSING:
        raise GoCallError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoCallError(f"too many slice indexes: {len(indexes)}")
    kind = go_kind(item)
    if kind == "string":
        if len(indexes) == 3:
            raise GoCallError("cannot 3-index slice a string")
        data = item.encode("utf-8", "surrogateescape")
        length = capacity = len(data)
    elif kind in ("slice", "array"):
        data = item
        length = capacity = len(item)
    else:
        raise GoCallError(f"can't slice item of type {go_type_name(item)}")
    bounds = [0, length]
    for position, key in enumerate(indexes):
        x = _index_arg(key, capacity)
        if position < 2:
            bounds[position] = x
    if bounds[0] > bounds[1]:
        raise GoCallError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if kind == "string":
        return data[bounds[0] : bounds[1]].decode("utf-8", "surrogateescape")
    result = item[bounds[0] : bounds[1]]
    if hasattr(item, "elem"):
        from .values import Slice

        return Slice(item.elem, result)
    return list(result)


@gofunc(VALUE, name="len")
def length(item: Any) -> int:
    if item is None or item is MISSING:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    kind = go_kind(item)
    if kind == "string":
        return len(item.encode("utf-8", "surrogateescape"))
    if kind in ("slice", "array", "map"):
        return len(item)
    raise GoCallError(f"len of type {go_type_name(item)}")


@gofunc(VALUE, "..." + VALUE)
def call(fn: Any, *args: Any) -> Any:
    if fn is None or fn is MISSING:
        raise GoCallError("call of nil")
    if not isinstance(fn, GoFunc):
        raise GoCallError(f"non-function of type {go_type_name(fn)}")
    fn.check_count(len(args))
    return fn(*args)


# ---- comparisons ------------------------------------------------------------------------

_BAD_TYPE = "invalid type for comparison"
_INCOMPATIBLE = "incompatible types for comparison"


def _basic_kind(value: Any) -> str:
    if value is None or value is MISSING:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if is_int(value):
        return "uint" if is_unsigned(value) else "int"
    if is_float(value):
        return "float"
    if isinstance(value, str):
        return "string"
    return "invalid"


def _equal_values(a: Any, b: Any) -> bool:
    """Go ``==`` for non-basic comparable values (nil-able or structs)."""
    a_nil = a is None or a is MISSING
    b_nil = b is None or b is MISSING
    if a_nil or b_nil:
        return a_nil == b_nil
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        raise GoCallError(f"non-comparable type {format_value(b)}: {go_type_name(b)}")
    return bool(a == b)


@gofunc(VALUE, "..." + VALUE)
def eq(arg1: Any, *rest: Any) -> bool:
    if not rest:
        raise GoCallError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in rest:
        k2 = _basic_kind(arg)
        if k1 != k2:
            if k1 == "int" and k2 == "uint":
                truth_value = int(arg1) >= 0 and int(arg1) == int(arg)
            elif k1 == "uint" and k2 == "int":
                truth_value = int(arg) >= 0 and int(arg1) == int(arg)
            else:
                if _valid(arg1) and _valid(arg):
                    raise GoCallError(_INCOMPATIBLE)
                truth_value = False
        elif k1 == "invalid":
            truth_value = _equal_values(arg1, arg)
        else:
            truth_value = arg1 == arg
        if truth_value:
            return True
    return False


def _valid(value: Any) -> bool:
    return value is not None and value is not MISSING


@gofunc(VALUE, VALUE)
def ne(arg1: Any, arg2: Any) -> bool:
    return not eq(arg1, arg2)


def _less(arg1: Any, arg2: Any) -> bool:
    k1 = _basic_kind(arg1)
    if k1 == "invalid":
        raise GoCallError(_BAD_TYPE)
    k2 = _basic_kind(arg2)
    if k2 == "invalid":
        raise GoCallError(_BAD_TYPE)
    if k1 != k2:
        if k1 == "int" and k2 == "uint":
            return int(arg1) < 0 or int(arg1) < int(arg2)
        if k1 == "uint" and k2 == "int":
            return int(arg2) >= 0 and int(arg1) < int(arg2)
        raise GoCallError(_INCOMPATIBLE)
    if k1 == "bool":
        raise GoCallError(_BAD_TYPE)
    if k1 == "string":
        return bool(
            arg1.encode("utf-8", "surrogateescape") < arg2.encode("utf-8", "surrogateescape")
        )
    return bool(arg1 < arg2)


@gofunc(VALUE, VALUE)
def lt(arg1: Any, arg2: Any) -> bool:
    return _less(arg1, arg2)


@gofunc(VALUE, VALUE)
def le(arg1: Any, arg2: Any) -> bool:
    return _less(arg1, arg2) or eq(arg1, arg2)


@gofunc(VALUE, VALUE)
def gt(arg1: Any, arg2: Any) -> bool:
    return not (_less(arg1, arg2) or eq(arg1, arg2))


@gofunc(VALUE, VALUE)
def ge(arg1: Any, arg2: Any) -> bool:
    return not _less(arg1, arg2)


BUILTINS: dict[str, GoFunc] = {
    f.name: f
    for f in (
        and_,
        or_,
        not_,
        html,
        js,
        urlquery,
        print_,
        printf,
        println,
        index,
        slice,
        length,
        call,
        eq,
        ne,
        lt,
        le,
        gt,
        ge,
    )
}

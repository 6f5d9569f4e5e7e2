"""The predefined functions of Go's text/template (``and``, ``index``, ``eq``, ``printf``, ...).

Most of them take Go ``reflect.Value`` parameters, so they receive the engine's values
unconverted: ``MISSING`` for a missing map key (Go's invalid value) and ``Iface`` for values
seen through ``interface {}``. Their error texts (``index out of range: 10``,
``incompatible types for comparison``, ``len of nil pointer``, ...) are Go's.
"""

from __future__ import annotations

from typing import Any

from mittnite.gotemplate.errors import GoError
from mittnite.gotemplate.funcs import ArgumentError, FuncMap, GoFunc, convert_result, prepare_arg
from mittnite.gotemplate.gofmt import sprint, sprintf, sprintln
from mittnite.gotemplate.values import (
    COMPLEX_KINDS,
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    UINT_KINDS,
    GoStruct,
    GoType,
    Iface,
    NilPointer,
    TypedMap,
    TypedSlice,
    Uint8,
    byte_len,
    go_bytes,
    go_string,
    is_true,
    type_of,
    zero_value,
)

__all__ = ["BUILTINS", "indirect_interface", "printable_value", "truth"]

_RAW = "reflect.Value"
_MORE_RAW = "...reflect.Value"


def indirect_interface(value: Any) -> Any:
    """Go's indirectInterface: the value inside an interface (a nil one is invalid)."""
    if type(value) is Iface:
        inner = value.value
        return MISSING if inner is None else inner
    return value


def _indirect(value: Any) -> tuple[Any, GoType | None, bool]:
    """Go's indirect: through interfaces and pointers; (value, its type, stopped at nil)."""
    while True:
        if type(value) is Iface:
            if value.value is None:
                return value, None, True
            value = value.value
            continue
        if value is MISSING or value is None:
            return MISSING, None, False
        t = type_of(value)
        assert t is not None
        if t.kind == "ptr":
            if isinstance(value, NilPointer):
                return value, t, True
            elem = t.elem if t.elem is not None else t
            return value, elem, False
        return value, t, False


def truth(value: Any) -> bool:
    """The truth of an argument of ``and``/``or``/``not`` (Go's truth)."""
    return is_true(indirect_interface(value))[0]


def _unreachable(*_: Any) -> Any:
    raise AssertionError("and/or are evaluated by the engine")


# --- index, slice, len ---------------------------------------------------------------------


def _index_arg(index: Any, cap: int) -> int:
    if index is MISSING or index is None:
        raise GoError("cannot index slice/array with nil")
    t = type_of(index)
    assert t is not None
    if t.kind in INT_KINDS:
        position = int(index)
    elif t.kind in UINT_KINDS:
        position = int(index)
        if position >= 1 << 63:
            position -= 1 << 64
    else:
        raise GoError(f"cannot index slice/array with type {t.name}")
    if position < 0 or position > cap:
        raise GoError(f"index out of range: {position}")
    return position


def _element(container: Any, t: GoType, position: int) -> Any:
    """``container[position]`` as a reflect.Value would give it (interface elements boxed)."""
    if t.kind == "string":
        data = container if container.isascii() else go_bytes(container)
        if position >= len(data):
            raise GoError("reflect: string index out of range")
        byte = data[position]
        return Uint8(ord(byte) if isinstance(byte, str) else byte)
    if position >= len(container):
        raise GoError("reflect: slice index out of range")
    item = container[position]
    if isinstance(container, (bytes, bytearray)):
        return Uint8(item)
    elem = t.elem
    if elem is not None and elem.kind == "interface":
        return Iface(item)
    return item


def _index(item: Any, *indexes: Any) -> Any:
    item = indirect_interface(item)
    if item is MISSING:
        raise GoError("index of untyped nil")
    for index in indexes:
        index = indirect_interface(index)
        item, t, is_nil = _indirect(item)
        if is_nil:
            raise GoError("index of nil pointer")
        assert t is not None
        kind = t.kind
        if kind in ("slice", "array", "string"):
            length = byte_len(item) if kind == "string" else len(item)
            item = _element(item, t, _index_arg(index, length))
        elif kind == "map":
            key_type, elem = t.key, t.elem
            assert key_type is not None and elem is not None
            try:
                key = prepare_arg(index, key_type)
            except ArgumentError as problem:
                raise GoError(str(problem)) from None
            if key in item:
                found = item[key]
                item = Iface(found) if elem.kind == "interface" else found
            else:
                item = Iface(None) if elem.kind == "interface" else zero_value(elem)
        else:
            raise GoError(f"can't index item of type {t.name}")
    return item


def _sub_slice(item: Any, t: GoType, low: int, high: int) -> Any:
    if t.kind == "string":
        if item.isascii():
            return item[low:high]
        return go_string(go_bytes(item)[low:high])
    part = item[low:high]
    if isinstance(item, TypedSlice):
        return TypedSlice(part, item.go_type)
    return part


def _slice(item: Any, *indexes: Any) -> Any:
    item = indirect_interface(item)
    if item is MISSING:
        raise GoError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoError(f"too many slice indexes: {len(indexes)}")
    t = type_of(item)
    assert t is not None
    if t.kind == "string":
        if len(indexes) == 3:
            raise GoError("cannot 3-index slice a string")
        cap = byte_len(item)
        length = cap
    elif t.kind in ("slice", "array"):
        cap = length = len(item)
    else:
        raise GoError(f"can't slice item of type {t.name}")
    bounds = [0, length, 0]
    for position, index in enumerate(indexes):
        bounds[position] = _index_arg(index, cap)
    if bounds[0] > bounds[1]:
        raise GoError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise GoError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    return _sub_slice(item, t, bounds[0], bounds[1])


def _length(item: Any) -> int:
    item, t, is_nil = _indirect(item)
    if is_nil:
        raise GoError("len of nil pointer")
    if item is MISSING or t is None:
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    if t.kind == "string":
        return byte_len(str.__str__(item) if isinstance(item, str) else str(item))
    if t.kind in ("array", "chan", "map", "slice"):
        return len(item)
    raise GoError(f"len of type {t.name}")


# --- call ----------------------------------------------------------------------------------


def _call(fn: Any, *args: Any) -> Any:
    fn = indirect_interface(fn)
    if fn is MISSING:
        raise GoError("call of nil")
    t = type_of(fn)
    assert t is not None
    if t.kind != "func" or not isinstance(fn, GoFunc):
        raise GoError(f"non-function of type {t.name}")
    count = len(fn.params)
    if fn.variadic:
        if len(args) < count - 1:
            raise GoError(f"wrong number of args: got {len(args)} want at least {count - 1}")
    elif len(args) != count:
        raise GoError(f"wrong number of args: got {len(args)} want {count}")
    argv = []
    for position, arg in enumerate(args):
        try:
            argv.append(prepare_arg(indirect_interface(arg), fn.param_type(position)))
        except ArgumentError as problem:
            raise GoError(f"arg {position}: {problem}") from None
    return convert_result(fn, fn.fn(*argv))


# --- comparison ----------------------------------------------------------------------------

_INVALID, _BOOL, _COMPLEX, _INT, _FLOAT, _STRING, _UINT = range(7)


def _basic_kind(value: Any) -> int:
    if value is MISSING or value is None:
        return _INVALID
    t = type_of(value)
    assert t is not None
    kind = t.kind
    if kind == "bool":
        return _BOOL
    if kind in INT_KINDS:
        return _INT
    if kind in UINT_KINDS:
        return _UINT
    if kind in FLOAT_KINDS:
        return _FLOAT
    if kind in COMPLEX_KINDS:
        return _COMPLEX
    if kind == "string":
        return _STRING
    return _INVALID


def _kind_name(value: Any) -> str:
    if value is MISSING or value is None:
        return "invalid"
    t = type_of(value)
    assert t is not None
    return t.kind


def _is_nil(value: Any) -> bool:
    if value is MISSING or value is None or isinstance(value, NilPointer):
        return True
    return isinstance(value, (TypedSlice, TypedMap)) and value.is_nil


def _comparable(value: Any) -> bool:
    t = type_of(value)
    return t is not None and t.kind not in ("slice", "map", "func")


def _type_name(value: Any) -> str:
    t = type_of(value)
    return "<nil>" if t is None else t.name


def _basic_equal(kind: int, left: Any, right: Any) -> bool:
    if kind == _BOOL:
        return bool(left) == bool(right)
    if kind in (_INT, _UINT):
        return int(left) == int(right)
    if kind == _FLOAT:
        return float(left) == float(right)
    if kind == _COMPLEX:
        return complex(left) == complex(right)
    return _as_str(left) == _as_str(right)


def _as_str(value: Any) -> str:
    return str.__str__(value) if isinstance(value, str) else str(value)


def _eq(arg1: Any, *arg2: Any) -> bool:
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise GoError("missing argument for comparison")
    kind1 = _basic_kind(arg1)
    for arg in arg2:
        arg = indirect_interface(arg)
        kind2 = _basic_kind(arg)
        result = False
        if kind1 != kind2:
            if kind1 == _INT and kind2 == _UINT:
                result = int(arg1) >= 0 and int(arg1) == int(arg)
            elif kind1 == _UINT and kind2 == _INT:
                result = int(arg) >= 0 and int(arg1) == int(arg)
            elif arg1 is not MISSING and arg is not MISSING:
                raise GoError("incompatible types for comparison")
        elif kind1 != _INVALID:
            result = _basic_equal(kind1, arg1, arg)
        else:
            kinds_match = _kind_name(arg1) == _kind_name(arg)
            if not (kinds_match or arg1 is MISSING or arg is MISSING):
                raise GoError(
                    sprintf(
                        "non-comparable types %s: %v, %s: %v",
                        arg1,
                        _type_name(arg1),
                        _type_name(arg),
                        arg,
                    )
                )
            if _is_nil(arg1) or _is_nil(arg):
                result = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise GoError(sprintf("non-comparable type %s: %v", arg, _type_name(arg)))
                same_type = type_of(arg1) is type_of(arg)
                if _kind_name(arg) == "ptr":
                    result = same_type and arg1 is arg  # pointers: the same object
                else:
                    result = same_type and arg1 == arg
        if result:
            return True
    return False


def _ne(arg1: Any, arg2: Any) -> bool:
    return not _eq(arg1, arg2)


def _lt(arg1: Any, arg2: Any) -> bool:
    arg1 = indirect_interface(arg1)
    kind1 = _basic_kind(arg1)
    if kind1 == _INVALID:
        raise GoError("invalid type for comparison")
    arg2 = indirect_interface(arg2)
    kind2 = _basic_kind(arg2)
    if kind2 == _INVALID:
        raise GoError("invalid type for comparison")
    if kind1 != kind2:
        if kind1 == _INT and kind2 == _UINT:
            return int(arg1) < 0 or int(arg1) < int(arg2)
        if kind1 == _UINT and kind2 == _INT:
            return int(arg2) >= 0 and int(arg1) < int(arg2)
        raise GoError("incompatible types for comparison")
    if kind1 in (_BOOL, _COMPLEX):
        raise GoError("invalid type for comparison")
    if kind1 == _FLOAT:
        return float(arg1) < float(arg2)
    if kind1 == _STRING:
        return go_bytes(_as_str(arg1)) < go_bytes(_as_str(arg2))
    return int(arg1) < int(arg2)


def _le(arg1: Any, arg2: Any) -> bool:
    return _lt(arg1, arg2) or _eq(arg1, arg2)


def _gt(arg1: Any, arg2: Any) -> bool:
    return not _le(arg1, arg2)


def _ge(arg1: Any, arg2: Any) -> bool:
    return not _lt(arg1, arg2)


# --- printing and escaping -----------------------------------------------------------------


def printable_value(value: Any) -> tuple[Any, bool]:
    """Go's printableValue: what ``{{ x }}`` hands to fmt (``<no value>`` for a missing
    value; a pointer to a struct without String/Error prints as the struct)."""
    if value is MISSING or value is None:
        return "<no value>", True
    t = type_of(value)
    assert t is not None
    kind = t.kind
    if kind == "ptr" and not isinstance(value, NilPointer) and t.elem is not None:
        if not (t.has_method("Error") or t.has_method("String")) and isinstance(value, GoStruct):
            return GoStruct(t.elem, value.go_fields), True
        return value, True
    if kind in ("chan", "func") and not (t.has_method("Error") or t.has_method("String")):
        return None, False
    return value, True


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and type(args[0]) is str:
        return str(args[0])
    printable = []
    for arg in args:
        shown, ok = printable_value(arg)
        printable.append(shown if ok else arg)
    return sprint(*printable)


_HTML_ESCAPES = {
    "\x00": "\ufffd",
    '"': "&#34;",
    "'": "&#39;",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}


def html_escape(text: str) -> str:
    """Go's HTMLEscapeString."""
    if not any(char in text for char in "'\"&<>\x00"):
        return text
    return "".join(_HTML_ESCAPES.get(char, char) for char in text)


_JS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape(text: str) -> str:
    """Go's JSEscapeString (text/template's ``js``)."""
    out = []
    for char in text:
        code = ord(char)
        escaped = _JS_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif code < 0x20:
            out.append(f"\\u00{code:02X}")
        elif code < 0x80 or char.isprintable() or 0xDC80 <= code <= 0xDCFF:
            out.append(char)
        else:
            out.append(f"\\u{code:04X}")
    return "".join(out)


_QUERY_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")


def query_escape(text: str) -> str:
    """Go's url.QueryEscape."""
    out = []
    for byte in go_bytes(text):
        if byte in _QUERY_SAFE:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _html(*args: Any) -> str:
    return html_escape(_eval_args(args))


def _js(*args: Any) -> str:
    return js_escape(_eval_args(args))


def _urlquery(*args: Any) -> str:
    return query_escape(_eval_args(args))


def _not(arg: Any) -> bool:
    return not truth(arg)


BUILTINS: FuncMap = {
    "and": GoFunc(_unreachable, (_RAW, _MORE_RAW), _RAW, name="and"),
    "or": GoFunc(_unreachable, (_RAW, _MORE_RAW), _RAW, name="or"),
    "call": GoFunc(_call, (_RAW, _MORE_RAW), _RAW, error=True, name="call"),
    "html": GoFunc(_html, ("...interface {}",), "string", name="HTMLEscaper"),
    "index": GoFunc(_index, (_RAW, _MORE_RAW), _RAW, error=True, name="index"),
    "slice": GoFunc(_slice, (_RAW, _MORE_RAW), _RAW, error=True, name="slice"),
    "js": GoFunc(_js, ("...interface {}",), "string", name="JSEscaper"),
    "len": GoFunc(_length, (_RAW,), "int", error=True, name="length"),
    "not": GoFunc(_not, (_RAW,), "bool", name="not"),
    "print": GoFunc(sprint, ("...interface {}",), "string", name="Sprint"),
    "printf": GoFunc(sprintf, ("string", "...interface {}"), "string", name="Sprintf"),
    "println": GoFunc(sprintln, ("...interface {}",), "string", name="Sprintln"),
    "urlquery": GoFunc(_urlquery, ("...interface {}",), "string", name="URLQueryEscaper"),
    "eq": GoFunc(_eq, (_RAW, _MORE_RAW), "bool", error=True, name="eq"),
    "ge": GoFunc(_ge, (_RAW, _RAW), "bool", error=True, name="ge"),
    "gt": GoFunc(_gt, (_RAW, _RAW), "bool", error=True, name="gt"),
    "le": GoFunc(_le, (_RAW, _RAW), "bool", error=True, name="le"),
    "lt": GoFunc(_lt, (_RAW, _RAW), "bool", error=True, name="lt"),
    "ne": GoFunc(_ne, (_RAW, _RAW), "bool", error=True, name="ne"),
}

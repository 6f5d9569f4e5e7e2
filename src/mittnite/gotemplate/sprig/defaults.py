"""sprig's defaults and flow functions: ``default``, ``empty``, ``coalesce``, ``all``,
``any``, ``ternary``, ``fail`` and the JSON functions (``toJson``, ``fromJson``...).

Emptiness is Go's zero-value test by reflection kind (:func:`is_empty`): ``0``,
``0.0``, ``""``, ``false``, nil and empty slices/maps are empty; structs never
are. The JSON functions reproduce Go's ``encoding/json`` byte for byte (see
:func:`encode_json` and :func:`decode_json`): sorted map keys, HTML escaping
unless raw, Go's float formatting and its error messages. ``\\b`` and ``\\f``
are escaped the way Go >= 1.22 does (mittnite's releases are built with a
current Go; Go 1.19 wrote ``\\u0008``/``\\u000c``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mittnite.gotemplate.errors import GoError
from mittnite.gotemplate.funcs import FuncMap, GoFunc
from mittnite.gotemplate.values import (
    FLOAT_KINDS,
    INT_KINDS,
    UINT_KINDS,
    Float32,
    NilPointer,
    go_bytes,
    go_kind,
    go_string,
    go_type_name,
    type_of,
)

__all__ = [
    "FUNCS",
    "JSONError",
    "compact_json",
    "decode_json",
    "encode_json",
    "indent_json",
    "is_empty",
    "json_float",
    "json_string",
]

_NUMBER_KINDS = INT_KINDS | UINT_KINDS | FLOAT_KINDS | {"complex64", "complex128"}


# -- emptiness ------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """sprig's ``empty``: nil, zero numbers, ``false``, zero-length values and nil pointers;
    never a struct."""
    if value is None:
        return True
    py_type = type(value)
    if py_type is str or py_type is list or py_type is dict or py_type is bytes:
        return len(value) == 0
    if py_type is bool:
        return not value
    if py_type is int or py_type is float:
        return bool(value == 0)
    kind = go_kind(value)
    if kind in ("slice", "map", "array"):
        return len(value) == 0
    if kind == "string":
        return len(str(value)) == 0
    if kind == "bool":
        return not value
    if kind in _NUMBER_KINDS:
        return bool(value == 0)
    if kind == "struct":
        return False
    return isinstance(value, NilPointer)  # pointers, funcs: empty when nil


def _default(fallback: Any, *given: Any) -> Any:
    """``given[0]`` unless it is missing or empty (only the first given value counts)."""
    if not given or is_empty(given[0]):
        return fallback
    return given[0]


def _coalesce(*values: Any) -> Any:
    """The first non-empty value, else nil."""
    for value in values:
        if not is_empty(value):
            return value
    return None


def _all(*values: Any) -> bool:
    return not any(is_empty(value) for value in values)


def _any(*values: Any) -> bool:
    return any(not is_empty(value) for value in values)


def _ternary(if_true: Any, if_false: Any, condition: bool) -> Any:
    """``if_true`` when ``condition`` else ``if_false`` (the condition comes last, for pipes)."""
    return if_true if condition else if_false


def _fail(message: str) -> str:
    """Abort the rendering with ``message`` as the error."""
    raise GoError(message)


# -- JSON encoding ----------------------------------------------------------------------------

_CYCLE_CHECK_DEPTH = 1000  # encoding/json starts looking for cycles this deep


class JSONError(Exception):
    """What ``json.Marshal`` / ``json.Unmarshal`` return as error (text is Go's)."""


def _float_digits(value: float, bits: int) -> tuple[str, int]:
    """Shortest decimal digits that read back as ``value`` (at ``bits`` precision) and
    the decimal exponent of the first digit (``150.0`` -> ``("15", 2)``)."""
    magnitude = abs(value)
    text = repr(magnitude)
    if bits == 32:
        import struct

        for precision in range(1, 10):
            text = f"{magnitude:.{precision - 1}e}"
            if struct.unpack("f", struct.pack("f", float(text)))[0] == magnitude:
                break
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    significant = digits.lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(digits) - len(significant))
    return significant.rstrip("0") or "0", point - 1


def json_float(value: float) -> str:
    """A float the way ``encoding/json`` writes it (``1e+21``, ``1e-7``, ``100``, ``-0``)."""
    bits = 32 if isinstance(value, Float32) else 64
    if math.isnan(value) or math.isinf(value):
        text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
        raise JSONError(f"json: unsupported value: {text}")
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    digits, exponent = _float_digits(value, bits)
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent)}"
    point = exponent + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",  # Go >= 1.22; older Go wrote \u0008
    "\f": "\\f",  # Go >= 1.22; older Go wrote \u000c
}
_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def json_string(text: str, escape_html: bool) -> str:
    """A JSON string literal as Go writes it: invalid UTF-8 becomes U+FFFD,
    U+2028/U+2029 and control characters are escaped, ``<>&`` too unless raw."""
    out = ['"']
    for char in text:
        code = ord(char)
        if code < 0x80:
            if char in _SHORT_ESCAPES:
                out.append(_SHORT_ESCAPES[char])
            elif code < 0x20:
                out.append(f"\\u{code:04x}")
            elif escape_html and char in _HTML_ESCAPES:
                out.append(_HTML_ESCAPES[char])
            else:
                out.append(char)
        elif 0xD800 <= code <= 0xDFFF:  # an invalid byte kept as a surrogate escape
            out.append("\\ufffd")
        elif code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


class _Encoder:
    """``json.Marshal`` of a template value (compact output)."""

    def __init__(self, escape_html: bool) -> None:
        self.escape_html = escape_html
        self.out: list[str] = []
        self.level = 0
        self.path: list[Any] = []  # the maps and slices being encoded, outermost first
        self.path_levels: dict[int, int] = {}  # their ids and nesting levels

    def encode(self, value: Any) -> None:
        out = self.out
        py_type = type(value)
        if value is None:
            out.append("null")
        elif py_type is bool:
            out.append("true" if value else "false")
        elif py_type is int:
            out.append(str(value))
        elif py_type is float:
            out.append(json_float(value))
        elif py_type is str:
            out.append(json_string(value, self.escape_html))
        elif isinstance(value, (bytes, bytearray)):
            import base64

            out.append('"' + base64.b64encode(bytes(value)).decode("ascii") + '"')
        elif isinstance(value, list):
            self.encode_list(value)
        elif isinstance(value, dict):
            self.encode_map(value)
        else:
            self.encode_other(value)

    def encode_other(self, value: Any) -> None:
        """Named scalars, pointers and structs (after their marshalers)."""
        if isinstance(value, NilPointer):
            self.out.append("null")
            return
        if self.marshal(value):
            return
        kind = go_kind(value)
        if kind in INT_KINDS or kind in UINT_KINDS:
            self.out.append(str(int(value)))
        elif kind in FLOAT_KINDS:
            self.out.append(json_float(value if isinstance(value, Float32) else float(value)))
        elif kind == "bool":
            self.out.append("true" if value else "false")
        elif kind == "string":
            self.out.append(json_string(str(value), self.escape_html))
        elif kind in ("struct", "ptr") and isinstance(getattr(value, "go_fields", None), dict):
            self.encode_fields(value.go_fields)
        elif kind == "struct":
            self.out.append("{}")
        else:
            raise JSONError(f"json: unsupported type: {go_type_name(value)}")

    def enter(self, value: Any) -> None:
        """Go counts the nesting of maps and slices and, past a depth of 1000, reports a value
        met again as a cycle. Python's stack is not that deep, so a cycle is found when it
        closes on the current path and reported as Go would: via the value the endlessly
        repeating path holds at depth 1001, where Go starts looking."""
        self.level += 1
        level = self.path_levels.get(id(value))
        if level is not None:
            length = self.level - level
            start = level + max(0, _CYCLE_CHECK_DEPTH + 1 - level) % length
            via = self.path[start - 1] if start <= len(self.path) else value
            raise JSONError(f"json: unsupported value: encountered a cycle via {go_type_name(via)}")
        self.path_levels[id(value)] = self.level
        self.path.append(value)

    def leave(self, value: Any) -> None:
        self.path.pop()
        del self.path_levels[id(value)]
        self.level -= 1

    def encode_list(self, value: list[Any]) -> None:
        if getattr(value, "is_nil", False):
            self.out.append("null")
            return
        value_type = type_of(value)
        assert value_type is not None
        is_array = value_type.kind == "array"
        elem = value_type.elem
        if elem is not None and elem.name == "uint8" and not is_array:
            self.encode(bytes(int(byte) for byte in value))  # []byte is base64
            return
        if not is_array:
            self.enter(value)
        self.out.append("[")
        for index, item in enumerate(value):
            if index:
                self.out.append(",")
            self.encode(item)
        self.out.append("]")
        if not is_array:
            self.leave(value)

    def encode_map(self, value: dict[Any, Any]) -> None:
        if getattr(value, "is_nil", False):
            self.out.append("null")
            return
        self.enter(value)
        entries = []
        for key, item in value.items():
            if type(key) is str:
                name = key
            elif go_kind(key) in INT_KINDS or go_kind(key) in UINT_KINDS:
                name = str(int(key))
            elif go_kind(key) == "string":
                name = str(key)
            else:
                raise JSONError(f"json: unsupported type: {go_type_name(value)}")
            entries.append((go_bytes(name), name, item))
        entries.sort(key=lambda entry: entry[0])
        self.out.append("{")
        for index, (_, name, item) in enumerate(entries):
            if index:
                self.out.append(",")
            self.out.append(json_string(name, self.escape_html))
            self.out.append(":")
            self.encode(item)
        self.out.append("}")
        self.leave(value)

    def marshal(self, value: Any) -> bool:
        """Use the value's ``MarshalJSON``/``MarshalText`` if it has one.

        A marshaler is a ``marshal_json``/``marshal_text`` (or ``go_marshal_*``) attribute or
        a ``MarshalJSON``/``MarshalText`` template method of the value's type; an error it
        raises is the marshaler's error.
        """
        value_type = type_of(value)
        for kind, wrap in (("JSON", False), ("Text", True)):
            marshal: Callable[[], Any] | None = None
            for attribute in (f"marshal_{kind.lower()}", f"go_marshal_{kind.lower()}"):
                found = getattr(value, attribute, None)
                if callable(found):
                    marshal = found
                    break
            if marshal is None and value_type is not None:
                method = value_type.method(f"Marshal{kind}")
                if method is not None and not method.params:
                    fn = method.fn

                    def marshal(fn: Callable[..., Any] = fn) -> Any:
                        return fn(value)

            if marshal is None:
                continue
            try:
                produced = marshal()
            except (ValueError, GoError) as exc:
                raise JSONError(
                    f"json: error calling Marshal{kind} for type {go_type_name(value)}: {exc}"
                ) from None
            text = (
                go_string(produced) if isinstance(produced, (bytes, bytearray)) else str(produced)
            )
            if wrap:
                self.out.append(json_string(text, self.escape_html))
            else:
                self.out.append(compact_json(text, self.escape_html))
            return True
        return False

    def encode_fields(self, fields: dict[str, Any]) -> None:
        """A struct's exported fields (unexported ones are invisible to encoding/json)."""
        self.out.append("{")
        first = True
        for name, item in fields.items():
            if not name[:1].isupper():
                continue
            if not first:
                self.out.append(",")
            first = False
            self.out.append(json_string(name, self.escape_html) + ":")
            self.encode(item)
        self.out.append("}")


def compact_json(text: str, escape_html: bool) -> str:
    """Go's ``json.Compact`` (what it applies to ``MarshalJSON`` output)."""
    out: list[str] = []
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            if escape_html and char in _HTML_ESCAPES:
                out.append(_HTML_ESCAPES[char])
            elif escape_html and char in "\u2028\u2029":
                out.append(f"\\u{ord(char):04x}")
            else:
                out.append(char)
        elif char in " \t\r\n":
            continue
        else:
            if char == '"':
                in_string = True
            out.append(_HTML_ESCAPES[char] if escape_html and char in _HTML_ESCAPES else char)
    return "".join(out)


def indent_json(text: str, indent: str = "  ") -> str:
    """Go's ``json.Indent`` of compact JSON (``MarshalIndent`` = Marshal + Indent):
    empty ``[]``/``{}`` stay on one line, ``": "`` after keys."""
    out: list[str] = []
    depth = 0
    in_string = False
    escaped = False
    pending_open = False  # just wrote [ or {: newline only if the container is not empty
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if pending_open and char not in "]}":
            out.append("\n" + indent * depth)
        if char in "]}" and not pending_open:
            depth -= 1
            out.append("\n" + indent * depth + char)
        elif char in "]}":
            depth -= 1
            out.append(char)
        elif char in "[{":
            depth += 1
            out.append(char)
        elif char == ",":
            out.append(",\n" + indent * depth)
        elif char == ":":
            out.append(": ")
        else:
            if char == '"':
                in_string = True
            out.append(char)
        pending_open = char in "[{"
    return "".join(out)


def encode_json(value: Any, escape_html: bool = True, pretty: bool = False) -> str:
    """``json.Marshal`` (``MarshalIndent`` with two spaces when ``pretty``); raises :class:`JSONError`."""
    encoder = _Encoder(escape_html)
    encoder.encode(value)
    text = "".join(encoder.out)
    return indent_json(text) if pretty else text


def _to_json(value: Any) -> str:
    return encode_json(value)


def _to_pretty_json(value: Any) -> str:
    return encode_json(value, pretty=True)


def _to_raw_json(value: Any) -> str:
    return encode_json(value, escape_html=False)


def _swallowing(fn: Any) -> Any:
    """sprig's non-``must`` JSON encoders answer ``""`` when Go's encoder fails."""

    def call(value: Any) -> str:
        try:
            return str(fn(value))
        except JSONError:
            return ""

    return call


def _raising(fn: Any) -> Any:
    """The ``must`` flavour: the encoder's error is the template's error."""

    def call(value: Any) -> Any:
        try:
            return fn(value)
        except JSONError as exc:
            raise GoError(str(exc)) from None

    return call


# -- JSON decoding ------------------------------------------------------------------------------

_MAX_DEPTH = 10000
_WHITESPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_LBRACKET = ord("[")
_RBRACKET = ord("]")
_LBRACE = ord("{")
_RBRACE = ord("}")
_COMMA = ord(",")
_COLON = ord(":")
_QUOTE = ord('"')
_BACKSLASH = ord("\\")
_MINUS = ord("-")
_PLUS = ord("+")
_DOT = ord(".")
_ZERO = ord("0")
_LETTER_U = ord("u")
_LETTER_T = ord("t")
_LETTER_F = ord("f")
_LETTER_N = ord("n")
_APOSTROPHE = ord("'")
_SPACE = ord(" ")
_LOWER_E = ord("e")
_UPPER_E = ord("E")
_SIMPLE_ESCAPES = {ord("b"): "\b", ord("f"): "\f", ord("n"): "\n", ord("r"): "\r", ord("t"): "\t"}


def _quote_byte(byte: int) -> str:
    """How Go's JSON scanner quotes the offending byte (as a Latin-1 rune)."""
    if byte == _APOSTROPHE:
        return "'\\''"
    if byte == _QUOTE:
        return "'\"'"
    from mittnite.gotemplate.gofmt import quote

    return "'" + quote(chr(byte))[1:-1] + "'"


class _Scanner:
    """Go's JSON syntax check, error for error (a state machine over bytes).

    At the end of input Go feeds one space to the current state, so an
    unfinished number or literal reports ``invalid character ' '`` while an
    unfinished string or container is ``unexpected end of JSON input``.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def fail(self, byte: int | None, context: str) -> JSONError:
        if byte is None:
            byte = _SPACE
        return JSONError(f"invalid character {_quote_byte(byte)} {context}")

    def peek(self) -> int | None:
        return self.data[self.pos] if self.pos < len(self.data) else None

    def skip_space(self) -> int | None:
        data, pos = self.data, self.pos
        while pos < len(data) and data[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos
        return data[pos] if pos < len(data) else None

    def run(self) -> None:
        stack: list[int] = []  # ord("[") or ord("{")
        state = "value"
        while True:
            byte = self.skip_space()
            if state == "end":
                if not stack:
                    if byte is not None:
                        raise self.fail(byte, "after top-level value")
                    return
                if byte is None:
                    raise JSONError("unexpected end of JSON input")
                self.pos += 1
                if stack[-1] == _LBRACKET:
                    if byte == _COMMA:
                        state = "value"
                    elif byte == _RBRACKET:
                        stack.pop()
                    else:
                        raise self.fail(byte, "after array element")
                elif byte == _COMMA:
                    state = "key"
                elif byte == _RBRACE:
                    stack.pop()
                else:
                    raise self.fail(byte, "after object key:value pair")
                continue
            if byte is None:
                raise JSONError("unexpected end of JSON input")
            if state in ("key", "first key"):
                if state == "first key" and byte == _RBRACE:
                    self.pos += 1
                    stack.pop()
                    state = "end"
                    continue
                if byte != _QUOTE:
                    raise self.fail(byte, "looking for beginning of object key string")
                self.pos += 1
                self.string()
                if self.skip_space() != _COLON:
                    if self.peek() is None:
                        raise JSONError("unexpected end of JSON input")
                    raise self.fail(self.peek(), "after object key")
                self.pos += 1
                state = "value"
                continue
            if state == "first value" and byte == _RBRACKET:
                self.pos += 1
                stack.pop()
                state = "end"
                continue
            self.pos += 1
            if byte in (_LBRACKET, _LBRACE):
                stack.append(byte)
                if len(stack) > _MAX_DEPTH:
                    raise self.fail(byte, "exceeded max depth")
                state = "first value" if byte == _LBRACKET else "first key"
                continue
            if byte == _QUOTE:
                self.string()
            elif byte == _MINUS or byte in _DIGITS:
                self.number(byte)
            elif byte == _LETTER_T:
                self.literal(b"rue", "true")
            elif byte == _LETTER_F:
                self.literal(b"alse", "false")
            elif byte == _LETTER_N:
                self.literal(b"ull", "null")
            else:
                raise self.fail(byte, "looking for beginning of value")
            state = "end"

    def next_byte(self) -> int | None:
        byte = self.peek()
        self.pos += 1
        return byte

    def string(self) -> None:
        while True:
            byte = self.next_byte()
            if byte is None:
                raise JSONError("unexpected end of JSON input")
            if byte == _QUOTE:
                return
            if byte == _BACKSLASH:
                byte = self.next_byte()
                if byte is not None and byte in b'"\\/bfnrt':
                    continue
                if byte != _LETTER_U:
                    raise self.fail(byte, "in string escape code")
                for _ in range(4):
                    byte = self.next_byte()
                    if byte is None or byte not in _HEX:
                        raise self.fail(byte, "in \\u hexadecimal character escape")
            elif byte < _SPACE:
                raise self.fail(byte, "in string literal")

    def digits(self) -> None:
        while (byte := self.peek()) is not None and byte in _DIGITS:
            self.pos += 1

    def number(self, first: int) -> None:
        if first == _MINUS:
            byte = self.next_byte()
            if byte is None or byte not in _DIGITS:
                raise self.fail(byte, "in numeric literal")
            first = byte
        if first != _ZERO:
            self.digits()
        if self.peek() == _DOT:
            self.pos += 1
            byte = self.next_byte()
            if byte is None or byte not in _DIGITS:
                raise self.fail(byte, "after decimal point in numeric literal")
            self.digits()
        if self.peek() in (_LOWER_E, _UPPER_E):
            self.pos += 1
            byte = self.next_byte()
            if byte in (_PLUS, _MINUS):
                byte = self.next_byte()
            if byte is None or byte not in _DIGITS:
                raise self.fail(byte, "in exponent of numeric literal")
            self.digits()

    def literal(self, rest: bytes, word: str) -> None:
        for expected in rest:
            byte = self.next_byte()
            if byte != expected:
                raise self.fail(byte, f"in literal {word} (expecting {_quote_byte(expected)})")


def _unquote(raw: bytes) -> str:
    """The text of a (syntactically valid) JSON string body, decoded like Go:
    invalid UTF-8 and unpaired surrogate escapes become U+FFFD."""
    if b"\\" not in raw:
        return _valid_text(raw)
    out: list[str] = []
    i = 0
    length = len(raw)
    start = 0
    while i < length:
        if raw[i] != _BACKSLASH:
            i += 1
            continue
        out.append(_valid_text(raw[start:i]))
        kind = raw[i + 1]
        if kind != _LETTER_U:
            out.append(_SIMPLE_ESCAPES.get(kind, chr(kind)))
            i += 2
        else:
            code = int(raw[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= code <= 0xDFFF:
                low = int(raw[i + 2 : i + 6], 16) if raw[i : i + 2] == b"\\u" else -1
                if 0xD800 <= code < 0xDC00 and 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                else:
                    code = 0xFFFD
            out.append(chr(code))
        start = i
    out.append(_valid_text(raw[start:]))
    return "".join(out)


def _valid_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "surrogateescape")
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in text):
        text = "".join("\ufffd" if 0xDC80 <= ord(char) <= 0xDCFF else char for char in text)
    return text


class _Builder:
    """Builds the value of syntactically valid JSON (``interface {}`` target):
    objects are ``map[string]interface {}``, arrays ``[]interface {}``, numbers ``float64``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.error: str | None = None  # Go keeps the first type error and carries on

    def skip_space(self) -> int:
        data, pos = self.data, self.pos
        while data[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos
        return data[pos]

    def scalar(self) -> Any:
        data = self.data
        start = self.pos
        byte = data[start]
        if byte == _QUOTE:
            end = start + 1
            while data[end] != _QUOTE:
                end += 2 if data[end] == _BACKSLASH else 1
            self.pos = end + 1
            return _unquote(data[start + 1 : end])
        if byte == _LETTER_T:
            self.pos += 4
            return True
        if byte == _LETTER_F:
            self.pos += 5
            return False
        if byte == _LETTER_N:
            self.pos += 4
            return None
        end = start
        while end < len(data) and data[end] in b"0123456789+-.eE":
            end += 1
        self.pos = end
        literal = data[start:end].decode("ascii")
        number = float(literal)
        if math.isinf(number):
            if self.error is None:
                self.error = (
                    f"json: cannot unmarshal number {literal} into Go value of type float64"
                )
            return None
        return number

    def build(self) -> Any:
        root: list[Any] = []
        stack: list[tuple[Any, str | None]] = [(root, None)]  # container, pending object key

        def store(value: Any) -> None:
            container, key = stack[-1]
            if isinstance(container, dict):
                container[key] = value
            else:
                container.append(value)

        while True:
            byte = self.skip_space() if self.pos < len(self.data) else None
            container, key = stack[-1]
            if isinstance(container, dict) and byte in (_QUOTE, _COMMA) and key is None:
                if byte == _COMMA:
                    self.pos += 1
                    self.skip_space()
                name = self.scalar()
                self.skip_space()
                self.pos += 1  # the colon
                stack[-1] = (container, name)
                continue
            if byte in (_RBRACKET, _RBRACE):
                self.pos += 1
                finished, _ = stack.pop()
                store(finished)
                if len(stack) == 1:
                    return root[0]
                stack[-1] = (stack[-1][0], None)
                continue
            if byte == _COMMA:
                self.pos += 1
                continue
            if byte == _LBRACKET:
                self.pos += 1
                stack.append(([], None))
                continue
            if byte == _LBRACE:
                self.pos += 1
                stack.append(({}, None))
                continue
            store(self.scalar())
            if len(stack) == 1:
                return root[0]
            stack[-1] = (stack[-1][0], None)


def decode_json(text: str) -> tuple[Any, str | None]:
    """``json.Unmarshal`` into an ``interface {}``: the value and Go's error text (or None).

    A syntax error leaves the value nil; a number out of float64 range becomes
    nil but the rest is still decoded (Go reports only the first such error).
    """
    data = text.encode("utf-8", "surrogateescape")
    try:
        _Scanner(data).run()
    except JSONError as exc:
        return None, str(exc)
    builder = _Builder(data)
    value = builder.build()
    return value, builder.error


def _from_json(text: str) -> Any:
    """The decoded value, nil when ``text`` is not JSON (errors are ignored)."""
    return decode_json(text)[0]


def _must_from_json(text: str) -> Any:
    """The decoded value; Go's decoding error fails the template."""
    value, error = decode_json(text)
    if error is not None:
        raise GoError(error)
    return value


def _declare(
    fn: Callable[..., Any], name: str, params: tuple[str, ...], result: str, *, error: bool = False
) -> GoFunc:
    return GoFunc(fn, params, result, error=error, name=name)


ANY = "interface {}"

FUNCS: FuncMap = {
    "default": _declare(_default, "default", (ANY, "...interface {}"), ANY),
    "empty": _declare(is_empty, "empty", (ANY,), "bool"),
    "coalesce": _declare(_coalesce, "coalesce", ("...interface {}",), ANY),
    "all": _declare(_all, "all", ("...interface {}",), "bool"),
    "any": _declare(_any, "any", ("...interface {}",), "bool"),
    "ternary": _declare(_ternary, "ternary", (ANY, ANY, "bool"), ANY),
    "fail": _declare(_fail, "fail", ("string",), "string", error=True),
    "fromJson": _declare(_from_json, "fromJson", ("string",), ANY),
    "mustFromJson": _declare(_must_from_json, "mustFromJson", ("string",), ANY, error=True),
    "toJson": _declare(_swallowing(_to_json), "toJson", (ANY,), "string"),
    "mustToJson": _declare(_raising(_to_json), "mustToJson", (ANY,), "string", error=True),
    "toPrettyJson": _declare(_swallowing(_to_pretty_json), "toPrettyJson", (ANY,), "string"),
    "mustToPrettyJson": _declare(
        _raising(_to_pretty_json), "mustToPrettyJson", (ANY,), "string", error=True
    ),
    # unlike toJson/toPrettyJson, sprig's toRawJson panics on an encoding error
    "toRawJson": _declare(_raising(_to_raw_json), "toRawJson", (ANY,), "string"),
    "mustToRawJson": _declare(
        _raising(_to_raw_json), "mustToRawJson", (ANY,), "string", error=True
    ),
}

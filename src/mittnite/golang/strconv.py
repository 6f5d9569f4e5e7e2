"""Go's ``strconv``: number parsing and string quoting with Go's exact rules and error texts.

Templates, configuration values and sprig functions all turn text into numbers the way Go's
``strconv`` does, and users see the resulting error texts verbatim
(``strconv.ParseInt: parsing "x": invalid syntax``). Python's ``int()``/``float()`` accept
other spellings (spaces, ``1_0`` in base 10, unicode digits, ``infinity`` with any sign) and
reject others, so every caller in mittnite goes through this module instead.

API (all functions are pure; failures raise :class:`NumError`)::

    parse_uint(text, base=10, bit_size=64) -> int     # ParseUint
    parse_int(text, base=10, bit_size=64) -> int      # ParseInt
    atoi(text) -> int                                 # Atoi (64-bit int)
    parse_float(text, bit_size=64) -> float           # ParseFloat
    underscore_ok(text) -> bool                       # the "_" rule of base-prefixed literals
    quote(text), quote_to_ascii(text), quote_rune(code), can_backquote(text)

``base=0`` means "from the prefix" (``0x``, ``0o``, ``0b``, a leading ``0`` for octal) and then
also allows ``_`` digit separators, as Go literals do. ``bit_size`` bounds the result as Go's
``bitSize`` does (0 means 64, the ``int`` size on every platform mittnite runs on).

A :class:`NumError` carries what Go's ``*strconv.NumError`` carries: the function name, the
input, the reason, and the value Go returns alongside the error (the clamped maximum on a
range error, ``±Inf`` for a float overflow, else 0), because several callers (``atoi`` in
sprig, durations) use that value.

Strings are Python ``str`` in which a byte that is not valid UTF-8 is a lone surrogate
(``surrogateescape``); parsing works on characters, which is equivalent to Go's bytes because
every non-ASCII character is a syntax error in a number anyway.
"""

from __future__ import annotations

import math

__all__ = [
    "ERR_RANGE",
    "ERR_SYNTAX",
    "INT_SIZE",
    "NumError",
    "atoi",
    "can_backquote",
    "is_print",
    "parse_float",
    "parse_int",
    "parse_uint",
    "quote",
    "quote_rune",
    "quote_to_ascii",
    "underscore_ok",
]

ERR_SYNTAX = "invalid syntax"
ERR_RANGE = "value out of range"
INT_SIZE = 64
"""Bits of Go's ``int`` on mittnite's platforms (amd64, arm64)."""

_MAX_UINT64 = (1 << 64) - 1


class NumError(ValueError):
    """Go's ``*strconv.NumError``: ``str()`` is its ``Error()`` text.

    ``func`` is the Go function name (``ParseInt``), ``num`` the input, ``err`` the reason
    (:data:`ERR_SYNTAX`, :data:`ERR_RANGE`, ``invalid base N``, ``invalid bit size N``) and
    ``value`` what Go returns together with the error.
    """

    def __init__(self, func: str, num: str, err: str, value: int | float = 0) -> None:
        super().__init__(func, num, err)
        self.func = func
        self.num = num
        self.err = err
        self.value = value

    def __str__(self) -> str:
        return f"strconv.{self.func}: parsing {quote(self.num)}: {self.err}"

    @property
    def is_range(self) -> bool:
        """Whether the input was well formed but out of range."""
        return self.err == ERR_RANGE

    @property
    def kind(self) -> str:
        """``"range"``, ``"syntax"`` or ``"argument"`` (a bad base or bit size)."""
        if self.err == ERR_RANGE:
            return "range"
        if self.err == ERR_SYNTAX:
            return "syntax"
        return "argument"

    def renamed(self, func: str, num: str | None = None) -> NumError:
        """The same error reported by another function (Go rewrites ``Func``/``Num``)."""
        return NumError(func, self.num if num is None else num, self.err, self.value)


def _lower(char: str) -> str:
    """Go's ``lower(c)`` on one byte: only ASCII letters change."""
    return char.lower() if "A" <= char <= "Z" else char


def underscore_ok(text: str) -> bool:
    """Whether ``_`` separators in ``text`` sit only between digits (or after a base prefix).

    Go accepts ``1_000`` and ``0x_1F`` but not ``_1``, ``1_``, ``1__0`` or ``0_x1``; the
    check runs over the whole literal (sign and prefix included).
    """
    saw = "^"
    index = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    is_hex = False
    if len(text) >= 2 and text[0] == "0" and _lower(text[1]) in ("b", "o", "x"):
        index = 2
        saw = "0"
        is_hex = _lower(text[1]) == "x"
    while index < len(text):
        char = text[index]
        if "0" <= char <= "9" or (is_hex and "a" <= _lower(char) <= "f"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        index += 1
    return saw != "_"


def _check_bit_size(func: str, text: str, bit_size: int) -> int:
    if bit_size == 0:
        return INT_SIZE
    if bit_size < 0 or bit_size > 64:
        raise NumError(func, text, f"invalid bit size {bit_size}")
    return bit_size


def parse_uint(text: str, base: int = 10, bit_size: int = 64) -> int:
    """Go's ``strconv.ParseUint``.

    Like Go, an overflow is reported as soon as the digits read so far exceed the range,
    even if a character further on would have been a syntax error.
    """
    func = "ParseUint"
    if text == "":
        raise NumError(func, text, ERR_SYNTAX)
    digits = text
    base_from_prefix = base == 0
    if base_from_prefix:
        base = 10
        if text[0] == "0":
            marker = _lower(text[1]) if len(text) >= 3 else ""
            if marker == "b":
                base, digits = 2, text[2:]
            elif marker == "o":
                base, digits = 8, text[2:]
            elif marker == "x":
                base, digits = 16, text[2:]
            else:
                base, digits = 8, text[1:]
    elif not 2 <= base <= 36:
        raise NumError(func, text, f"invalid base {base}")
    bit_size = _check_bit_size(func, text, bit_size)
    limit = (1 << bit_size) - 1
    value = 0
    underscores = False
    for char in digits:
        if char == "_" and base_from_prefix:
            underscores = True
            continue
        if "0" <= char <= "9":
            digit = ord(char) - 48
        elif "a" <= _lower(char) <= "z":
            digit = ord(_lower(char)) - 87
        else:
            raise NumError(func, text, ERR_SYNTAX)
        if digit >= base:
            raise NumError(func, text, ERR_SYNTAX)
        value = value * base + digit
        if value > limit:
            raise NumError(func, text, ERR_RANGE, limit)
    if underscores and not underscore_ok(text):
        raise NumError(func, text, ERR_SYNTAX)
    return value


def parse_int(text: str, base: int = 10, bit_size: int = 64) -> int:
    """Go's ``strconv.ParseInt``: an optional sign, then :func:`parse_uint`'s rules.

    A range error carries the clamped value (``-2**63`` or ``2**63-1`` for 64 bits).
    """
    func = "ParseInt"
    if text == "":
        raise NumError(func, text, ERR_SYNTAX)
    negative = text[0] == "-"
    body = text[1:] if text[0] in "+-" else text
    try:
        magnitude = parse_uint(body, base, bit_size)
    except NumError as error:
        if not error.is_range:
            raise error.renamed(func, text) from None
        magnitude = int(error.value)
    bits = INT_SIZE if bit_size == 0 else bit_size
    cutoff = 1 << (bits - 1)
    if not negative and magnitude >= cutoff:
        raise NumError(func, text, ERR_RANGE, cutoff - 1)
    if negative and magnitude > cutoff:
        raise NumError(func, text, ERR_RANGE, -cutoff)
    return -magnitude if negative else magnitude


def atoi(text: str) -> int:
    """Go's ``strconv.Atoi``: base 10, optional sign, no separators, 64-bit ``int``."""
    if 0 < len(text) < 19 and text.isascii():
        body = text[1:] if text[0] in "+-" else text
        if body and body.isdigit():
            return -int(body) if text[0] == "-" else int(body)
        raise NumError("Atoi", text, ERR_SYNTAX)
    try:
        return parse_int(text, 10, 0)
    except NumError as error:
        raise error.renamed("Atoi") from None


# --- floats --------------------------------------------------------------------------------


def _special(text: str) -> tuple[float, int] | None:
    """Go's ``special``: ``[+-]inf``, ``[+-]infinity`` and ``nan`` in any letter case,
    with how many characters they took (only the whole text counts for ParseFloat)."""
    sign = 1.0
    body = text
    if text[:1] in ("+", "-"):
        sign = -1.0 if text[0] == "-" else 1.0
        body = text[1:]
    elif text[:1] in ("n", "N"):
        if text[:3].lower() == "nan":
            return math.nan, 3
        return None
    elif text[:1] not in ("i", "I"):
        return None
    common = 0
    for char, expected in zip(body, "infinity", strict=False):
        if _lower(char) != expected:
            break
        common += 1
    if 3 < common < 8:
        common = 3
    if common in (3, 8):
        return math.copysign(math.inf, sign), (len(text) - len(body)) + common
    return None


def _float_literal_end(text: str) -> tuple[int, bool]:
    """Go's ``readFloat``: where a well-formed float at the start of ``text`` ends
    (0 when there is none) and whether it is hexadecimal."""
    index = 0
    length = len(text)
    if index < length and text[index] in "+-":
        index += 1
    is_hex = False
    exponent_char = "e"
    if index + 2 < length and text[index] == "0" and _lower(text[index + 1]) == "x":
        is_hex = True
        exponent_char = "p"
        index += 2
    saw_dot = saw_digits = underscores = False
    while index < length:
        char = text[index]
        if char == "_":
            underscores = True
        elif char == ".":
            if saw_dot:
                break
            saw_dot = True
        elif "0" <= char <= "9" or (is_hex and "a" <= _lower(char) <= "f"):
            saw_digits = True
        else:
            break
        index += 1
    if not saw_digits:
        return 0, is_hex
    if index < length and _lower(text[index]) == exponent_char:
        index += 1
        if index >= length:
            return 0, is_hex
        if text[index] in "+-":
            index += 1
        if index >= length or not "0" <= text[index] <= "9":
            return 0, is_hex
        while index < length and ("0" <= text[index] <= "9" or text[index] == "_"):
            underscores = underscores or text[index] == "_"
            index += 1
    elif is_hex:
        return 0, is_hex  # a hexadecimal mantissa needs a 'p' exponent
    if underscores and not underscore_ok(text[:index]):
        return 0, is_hex
    return index, is_hex


def _round_float32(value: float) -> float:
    import struct

    try:
        return float(struct.unpack("<f", struct.pack("<f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def parse_float(text: str, bit_size: int = 64) -> float:
    """Go's ``strconv.ParseFloat``: correctly rounded; an overflow is a range error whose
    value is ±Inf; an underflow quietly gives (signed) zero, as in Go."""
    func = "ParseFloat"
    special = _special(text) if text else None
    if special is not None:
        value, used = special
        if used == len(text):
            return value
        raise NumError(func, text, ERR_SYNTAX)
    end, is_hex = _float_literal_end(text)
    if end == 0 or end != len(text):
        raise NumError(func, text, ERR_SYNTAX)
    cleaned = text.replace("_", "")
    try:
        value = float.fromhex(cleaned) if is_hex else float(cleaned)
    except OverflowError:
        value = math.copysign(math.inf, -1.0 if text[0] == "-" else 1.0)
    if bit_size == 32:
        value = _round_float32(value)
    if math.isinf(value):
        raise NumError(func, text, ERR_RANGE, value)
    return value


# --- quoting -------------------------------------------------------------------------------

_MAX_RUNE = 0x10FFFF
_SIMPLE_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def is_print(char: str) -> bool:
    """Go's ``unicode.IsPrint``: letters, marks, numbers, punctuation, symbols and ' '."""
    return char.isprintable()


def _is_escaped_byte(char: str) -> bool:
    """A surrogate standing for a byte of invalid UTF-8 in a Go string."""
    return "\udc80" <= char <= "\udcff"


def _valid_rune(code: int) -> bool:
    return 0 <= code <= _MAX_RUNE and not 0xD800 <= code <= 0xDFFF


def _escape_rune(out: list[str], char: str, quote_char: str, ascii_only: bool) -> None:
    code = ord(char)
    if char == quote_char or char == "\\":
        out.append("\\" + char)
        return
    if ascii_only:
        if code < 0x80 and char.isprintable():
            out.append(char)
            return
    elif char.isprintable():
        out.append(char)
        return
    simple = _SIMPLE_ESCAPES.get(code)
    if simple is not None:
        out.append(simple)
    elif code < 0x20 or code == 0x7F:
        out.append(f"\\x{code:02x}")
    elif not _valid_rune(code):
        out.append("\\ufffd")
    elif code < 0x10000:
        out.append(f"\\u{code:04x}")
    else:
        out.append(f"\\U{code:08x}")


def _quote_with(text: str, quote_char: str, ascii_only: bool) -> str:
    if (
        quote_char == '"'
        and not ascii_only
        and text.isprintable()
        and '"' not in text
        and "\\" not in text
    ):
        return '"' + text + '"'
    out = [quote_char]
    for char in text:
        if _is_escaped_byte(char):
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            _escape_rune(out, char, quote_char, ascii_only)
    out.append(quote_char)
    return "".join(out)


def quote(text: str) -> str:
    """``strconv.Quote``: a double-quoted Go string literal."""
    return _quote_with(text, '"', False)


def quote_to_ascii(text: str) -> str:
    """``strconv.QuoteToASCII``: like ``quote`` but non-ASCII runes escaped too."""
    return _quote_with(text, '"', True)


def quote_rune(code: int, ascii_only: bool = False) -> str:
    """``strconv.QuoteRune`` (or ``QuoteRuneToASCII``): a single-quoted rune literal."""
    out = ["'"]
    _escape_rune(out, chr(code) if _valid_rune(code) else "\ufffd", "'", ascii_only)
    out.append("'")
    return "".join(out)


def can_backquote(text: str) -> bool:
    """``strconv.CanBackquote``: can the string be a raw literal without change?"""
    for char in text:
        code = ord(char)
        if code == 0xFEFF or _is_escaped_byte(char) or 0xD800 <= code <= 0xDFFF:
            return False
        if (code < 0x20 and char != "\t") or char == "`" or code == 0x7F:
            return False
    return True

"""Go's ``strconv.ParseInt(s, 0, 64)`` and ``strconv.ParseFloat(s, 64)``, as hcl v1 calls them.

hcl v1 turns number tokens and quoted numbers into Go integers with these two
functions, so their exact rules decide which configurations load: base
prefixes (``0x``, ``0o``, ``0b``, a leading ``0`` for octal), ``_`` between
digits (``"1_000"`` is 1000), ASCII digits only, and 64-bit range.

Python's ``int()`` and ``float()`` differ on every one of these points (they
accept Unicode digits, spaces and ``inf``, and ``int()`` refuses strings of
more than 4300 digits with an exception), so this module parses by hand and
never hands a long string to them. It is the one place the configuration
parses numbers; when :mod:`mittnite.golang` offers ``strconv`` this module is
what to switch over.
"""

from __future__ import annotations

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1


class NumberError(ValueError):
    """Why a text is not a Go number: ``kind`` is ``syntax`` or ``range``."""

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text
        shown = text if len(text) <= 40 else text[:37] + "..."
        reason = "is not a whole number" if kind == "syntax" else "is out of range"
        super().__init__(f"{shown!r} {reason}")


def _underscore_ok(text: str) -> bool:
    """Go's rule: ``_`` only between digits, or between a base prefix and a digit."""
    saw = "^"
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexadecimal = False
    i = 0
    if len(text) >= 2 and text[0] == "0" and text[1] in "bBoOxX":
        i = 2
        saw = "0"
        hexadecimal = text[1] in "xX"
    while i < len(text):
        ch = text[i]
        i += 1
        if "0" <= ch <= "9" or (hexadecimal and ch in "abcdefABCDEF"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def parse_int(text: str) -> int:
    """``strconv.ParseInt(text, 0, 64)``; raises :class:`NumberError`."""
    digits = text
    negative = False
    if digits[:1] in ("+", "-"):
        negative = digits[0] == "-"
        digits = digits[1:]
    if not digits:
        raise NumberError("syntax", text)
    base = 10
    if digits[0] == "0":
        marker = digits[1:2].lower()
        if len(digits) >= 3 and marker in ("b", "o", "x"):
            base = {"b": 2, "o": 8, "x": 16}[marker]
            digits = digits[2:]
        else:
            base = 8
            digits = digits[1:]
    value = 0
    underscores = False
    for ch in digits:
        if ch == "_":
            underscores = True
            continue
        if "0" <= ch <= "9":
            digit = ord(ch) - 48
        elif "a" <= ch.lower() <= "z" and ch.isascii():
            digit = ord(ch.lower()) - 87
        else:
            raise NumberError("syntax", text)
        if digit >= base:
            raise NumberError("syntax", text)
        value = value * base + digit
        if value > _UINT64_MAX:
            raise NumberError("range", text)
    if underscores and not _underscore_ok(text[1:] if text[:1] in "+-" else text):
        raise NumberError("syntax", text)
    if negative:
        value = -value
    if not INT64_MIN <= value <= INT64_MAX:
        raise NumberError("range", text)
    return value


# The texts hcl's scanners produce for numbers are decimal (``1``, ``-2.5``,
# ``1e3``, ``.5``, ``1.``), hexadecimal integers (``0x1F``) or garbage the
# scanners swallowed (``1e}``). Go's ParseFloat accepts the decimal forms only:
# a hexadecimal float needs a ``p`` exponent, which no scanner lets through.
def _decimal_float(text: str) -> bool:
    """``[+-]?(digits[.digits] | .digits)([eE][+-]?digits)?``, ASCII digits only."""
    body = text[1:] if text[:1] in ("+", "-") else text
    mantissa, has_exponent, exponent = body.replace("E", "e").partition("e")
    if has_exponent:
        exponent_digits = exponent[1:] if exponent[:1] in ("+", "-") else exponent
        if not _digits(exponent_digits):
            return False
    whole, _, fraction = mantissa.partition(".")
    if not whole and not fraction:
        return False
    return _digits(whole, empty=True) and _digits(fraction, empty=True)


def _digits(text: str, empty: bool = False) -> bool:
    if not text:
        return empty
    return text.isascii() and text.isdigit()


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` for the texts hcl passes it."""
    if not _decimal_float(text):
        raise NumberError("syntax", text)
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise NumberError("range", text)
    return value

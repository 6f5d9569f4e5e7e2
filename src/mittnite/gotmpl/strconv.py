"""Go's ``strconv`` for template literals: quoted strings, chars and numbers."""

from __future__ import annotations

_SIMPLE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}


class SyntaxErr(ValueError):
    """Go's ``strconv.ErrSyntax`` ("invalid syntax")."""

    def __init__(self) -> None:
        super().__init__("invalid syntax")


def _unquote_char(text: str, i: int, quote: str) -> tuple[bytes, int]:
    """One (possibly escaped) character of a quoted literal at ``i``: its UTF-8 bytes."""
    ch = text[i]
    if ch == quote and quote in "'\"":
        raise SyntaxErr()
    if ch != "\\":
        return ch.encode("utf-8", "surrogateescape"), i + 1
    if i + 1 >= len(text):
        raise SyntaxErr()
    esc = text[i + 1]
    if esc in _SIMPLE:
        if (esc == "'" and quote != "'") or (esc == '"' and quote != '"'):
            raise SyntaxErr()
        return bytes([_SIMPLE[esc]]), i + 2
    if esc in "01234567":
        digits = text[i + 1 : i + 4]
        if len(digits) < 3 or any(c not in "01234567" for c in digits) or int(digits, 8) > 255:
            raise SyntaxErr()
        return bytes([int(digits, 8)]), i + 4
    widths = {"x": 2, "u": 4, "U": 8}
    if esc in widths:
        digits = text[i + 2 : i + 2 + widths[esc]]
        if len(digits) < widths[esc] or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise SyntaxErr()
        value = int(digits, 16)
        if esc == "x":
            return bytes([value]), i + 2 + widths[esc]
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise SyntaxErr()
        return chr(value).encode(), i + 2 + widths[esc]
    raise SyntaxErr()


def unquote(text: str) -> str:
    """Go's ``strconv.Unquote`` for ``"..."`` and raw strings."""
    if len(text) < 2:
        raise SyntaxErr()
    quote = text[0]
    if text[-1] != quote:
        raise SyntaxErr()
    body = text[1:-1]
    if quote == "`":
        if "`" in body:
            raise SyntaxErr()
        return body.replace("\r", "")
    if quote != '"' or "\n" in body:
        raise SyntaxErr()
    out = bytearray()
    i = 0
    while i < len(body):
        piece, i = _unquote_char(body, i, '"')
        out += piece
    return out.decode("utf-8", "surrogateescape")


def unquote_char_constant(text: str) -> int:
    """The rune of a ``'x'`` constant (errors as Go's template parser words them)."""
    if len(text) < 3 or text[0] != "'" or text[-1] != "'":
        raise ValueError(f"malformed character constant: {text}")
    body = text[1:-1]
    if body[0] != "\\":
        if len(body) != 1:
            raise ValueError(f"malformed character constant: {text}")
        return ord(body)
    piece, end = _unquote_char(body, 0, "'")
    if end != len(body):
        raise ValueError(f"malformed character constant: {text}")
    if body[1] in "xX01234567":
        return piece[0]
    return ord(piece.decode("utf-8", "surrogateescape"))


def parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)`` without the range check (None if invalid)."""
    s = text
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if not s:
        return None
    base = 10
    prefixed = False
    lowered = s[:2].lower()
    if lowered in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[lowered]
        s = s[2:]
        prefixed = True
    elif len(s) > 1 and s[0] == "0":
        base = 8
        s = s[1:]
        prefixed = True
    if "_" in s:
        if (s.startswith("_") and not prefixed) or s.endswith("_") or "__" in s:
            return None
        s = s.replace("_", "")
    if not s:
        return None
    allowed = "0123456789abcdef"[:base]
    if any(c.lower() not in allowed for c in s):
        return None
    return sign * int(s, base)


def parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)``: decimal and hex floats, ``_`` separators."""
    s = text.replace("_", "") if "_" in text else text
    lowered = s.lower().lstrip("+-")
    if lowered.startswith("0x"):
        try:
            return float.fromhex(s)
        except ValueError:
            return None
    if lowered in ("inf", "infinity", "nan") or not lowered:
        return None
    try:
        return float(s)
    except ValueError:
        return None

"""Values of literal tokens: unquoting strings and cutting heredocs exactly as hcl v1 does.

hcl v1 computes a literal's value only when the decoder uses it, and some
texts its scanner lets through cannot be unquoted (``"\\400"``, ``"\\U00110000"``):
hcl v1 then crashes, but only if the value is used. We compute values at the
same moment and raise :class:`ValueError` instead (the decoder turns it into
an error with a position), so a bad escape in a key nobody reads is as
harmless here as it is there.

Native strings are unquoted with hcl's own rules (``${ ... }`` sections are
copied verbatim, a ``\\u`` surrogate becomes U+FFFD); strings of the JSON
flavour with Go's ``strconv.Unquote`` (which unquotes inside ``${ }`` too and
refuses surrogates). Go strings are byte strings: ``\\xff`` is the byte 0xFF,
kept as a lone surrogate (``surrogateescape``) so that writing the value
back out reproduces the byte.
"""

from __future__ import annotations

_SIMPLE_ESCAPES = {
    ord("a"): 7,
    ord("b"): 8,
    ord("f"): 12,
    ord("n"): 10,
    ord("r"): 13,
    ord("t"): 9,
    ord("v"): 11,
    ord("\\"): 92,
}
_HEX = b"0123456789abcdefABCDEF"
_REPLACEMENT = "\ufffd".encode()
_MAX_RUNE = 0x10FFFF


class UnquoteError(ValueError):
    """The text cannot be unquoted (hcl v1 would crash on it)."""


def _decode_rune(data: bytes, i: int) -> tuple[int, int]:
    """Go's ``utf8.DecodeRune``: ``(0xFFFD, 1)`` for an invalid sequence."""
    first = data[i]
    if first < 0x80:
        return first, 1
    for width in (2, 3, 4):
        chunk = data[i : i + width]
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(text) == 1:
            return ord(text), width
    return 0xFFFD, 1


def _encode_rune(rune: int) -> bytes:
    """Go's ``utf8.EncodeRune``: surrogates and out-of-range values become U+FFFD."""
    if 0xD800 <= rune <= 0xDFFF or rune > _MAX_RUNE:
        return _REPLACEMENT
    return chr(rune).encode("utf-8")


def _unquote_char(data: bytes, i: int, go_rules: bool) -> tuple[int, bool, int]:
    """One character of a quoted string: ``(value, multibyte, next index)``."""
    c = data[i]
    if c == 0x22:  # an unescaped quote inside the string
        raise UnquoteError("unexpected '\"'")
    if c >= 0x80:
        rune, size = _decode_rune(data, i)
        return rune, True, i + size
    if c != 0x5C:
        return c, False, i + 1
    if i + 1 >= len(data):
        raise UnquoteError("string ends with a backslash")
    c = data[i + 1]
    i += 2
    simple = _SIMPLE_ESCAPES.get(c)
    if simple is not None:
        return simple, False, i
    if c in (0x78, 0x75, 0x55):  # x u U
        count = {0x78: 2, 0x75: 4, 0x55: 8}[c]
        digits = data[i : i + count]
        if len(digits) < count or any(d not in _HEX for d in digits):
            raise UnquoteError("escape sequence with too few hexadecimal digits")
        value = int(digits, 16)
        i += count
        if c == 0x78:
            return value, False, i
        if value > _MAX_RUNE or (go_rules and 0xD800 <= value <= 0xDFFF):
            raise UnquoteError(f"\\{chr(c)}{digits.decode()} is not a valid Unicode code point")
        return value, True, i
    if 0x30 <= c <= 0x37:
        digits = data[i : i + 2]
        if len(digits) < 2 or any(not 0x30 <= d <= 0x37 for d in digits):
            raise UnquoteError("octal escape needs three digits")
        value = ((c - 0x30) << 6) | ((digits[0] - 0x30) << 3) | (digits[1] - 0x30)
        if value > 255:
            raise UnquoteError(
                f"octal escape \\{chr(c)}{digits.decode()} is larger than \\377 (255)"
            )
        return value, False, i + 2
    if c == 0x22:
        return c, False, i
    raise UnquoteError(f"invalid escape sequence '\\{chr(c)}'")


def unquote(text: str, json: bool = False) -> str:
    """The value of a quoted string token (hcl's rules, or Go's for the JSON flavour)."""
    data = text.encode("utf-8", "surrogateescape")
    if len(data) < 2 or data[0] != 0x22 or data[-1] != 0x22:
        raise UnquoteError("not a quoted string")
    body = data[1:-1]
    if json:
        return _unquote_body(body, go_rules=True)
    if b"$" not in body and b"{" not in body and b"\n" in body:
        raise UnquoteError("a string may not span lines")
    if b"\\" not in body and b'"' not in body and b"$" not in body:
        return body.decode("utf-8", "surrogateescape")
    return _unquote_body(body, go_rules=False)


def _unquote_body(body: bytes, go_rules: bool) -> str:
    if go_rules and b"\\" not in body and b"\n" not in body and b'"' not in body:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        if not go_rules and body[i] == 0x24 and i + 1 < n and body[i + 1] == 0x7B:
            out += b"${"
            i += 2
            braces = 1
            while i < n and braces > 0:
                rune, size = _decode_rune(body, i)
                if rune == 0xFFFD:
                    raise UnquoteError("invalid character inside ${ }")
                out += body[i : i + size]
                i += size
                if rune == 0x7B:
                    braces += 1
                elif rune == 0x7D:
                    braces -= 1
            if braces != 0:
                raise UnquoteError("unbalanced braces in ${ }")
            continue
        if body[i] == 0x0A:
            raise UnquoteError("a string may not span lines")
        value, multibyte, i = _unquote_char(body, i, go_rules)
        if value < 0x80 or not multibyte:
            out.append(value)
        else:
            out += _encode_rune(value)
    return out.decode("utf-8", "surrogateescape")


def heredoc_value(text: str) -> str:
    """The value of a heredoc token, computed by hcl v1's byte arithmetic.

    The token runs from ``<<`` to the newline after the closing marker. hcl v1
    takes everything after the first line and cuts as many bytes off the end
    as the opening line is long (minus one), which removes the marker line
    when it is written plainly and leaves stray characters when the marker
    line is indented or followed by carriage returns. ``<<-`` unindents every
    line by the closing line's leading blanks if all lines share them.
    """
    data = text.encode("utf-8", "surrogateescape")
    idx = data.index(b"\n")
    end = len(data) - idx + 1
    if data[2:3] != b"-":
        return data[idx + 1 : end].decode("utf-8", "surrogateescape")
    lines = data[idx + 1 : end + 1].split(b"\n")
    prefix = lines[-1]
    if all(line.startswith(prefix) for line in lines):
        body = [line[len(prefix) :] for line in lines[:-1]] + [b""]
        return b"\n".join(body).decode("utf-8", "surrogateescape")
    return data[idx + 1 : end].rstrip(b" \t").decode("utf-8", "surrogateescape")

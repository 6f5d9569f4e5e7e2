"""Values of literal tokens: unquoting strings and unindenting heredocs as hcl v1 does.

Go strings are byte strings. An escape such as ``\\xff`` yields a byte that is
not valid UTF-8; we keep such bytes as lone surrogates (``surrogateescape``) so
that writing the value back out with ``surrogateescape`` reproduces the byte.
"""

from __future__ import annotations

from .errors import HclSyntaxError, Pos

_SIMPLE_ESCAPES = {
    "a": b"\a",
    "b": b"\b",
    "f": b"\f",
    "n": b"\n",
    "r": b"\r",
    "t": b"\t",
    "v": b"\v",
    "\\": b"\\",
    '"': b'"',
}


def unquote_string(text: str, pos: Pos) -> str:
    """Value of a ``"..."`` token; ``${ ... }`` sections are kept verbatim."""
    body = text[1:-1]
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "$" and i + 1 < n and body[i + 1] == "{":
            depth = 0
            j = i
            while j < n:
                c = body[j]
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out += body[i : j + 1].encode("utf-8", "surrogateescape")
            i = j + 1
            continue
        if ch != "\\":
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
            continue
        esc = body[i + 1]
        if esc in _SIMPLE_ESCAPES:
            out += _SIMPLE_ESCAPES[esc]
            i += 2
        elif esc in "01234567":
            value = int(body[i + 1 : i + 4], 8)
            if value > 255:
                raise HclSyntaxError(
                    pos, f"octal escape \\{body[i + 1 : i + 4]} is larger than \\377 (255)"
                )
            out.append(value)
            i += 4
        elif esc == "x":
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
        else:  # u or U
            width = 4 if esc == "u" else 8
            code = int(body[i + 2 : i + 2 + width], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise HclSyntaxError(
                    pos, f"\\{esc}{body[i + 2 : i + 2 + width]} is not a valid Unicode code point"
                )
            out += chr(code).encode("utf-8")
            i += 2 + width
    return out.decode("utf-8", "surrogateescape")


def heredoc_value(text: str) -> str:
    """Value of a heredoc token (``<<EOF`` ... ``EOF``; ``<<-`` unindents).

    For ``<<-`` every line is unindented by the whitespace in front of the
    closing marker, but only if all lines carry that prefix; otherwise the
    text is kept as written, as hcl v1 does.
    """
    first_newline = text.index("\n")
    anchor = text[2:first_newline].rstrip("\r")
    rest = text[first_newline + 1 :]
    last_newline = rest.rfind("\n")
    body = rest[: last_newline + 1] if last_newline >= 0 else ""
    closing_line = rest[last_newline + 1 :]
    closing_prefix = closing_line[: len(closing_line) - len(closing_line.lstrip(" \t\r\v\f"))]
    if not anchor.startswith("-"):
        return body + closing_prefix
    lines = body.split("\n")[:-1] if body else []
    if all(line.startswith(closing_prefix) for line in lines):
        return "".join(line[len(closing_prefix) :] + "\n" for line in lines)
    return (body + closing_prefix).rstrip(" \t")

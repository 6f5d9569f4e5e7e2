"""Error values of Go's ``time`` package, with Go's exact messages.

Templates and config checks show these texts to users (``time: invalid duration "x"``,
``parsing time "x" as "2006": cannot parse "x" as "2006"``), and the original prints them
verbatim, so the wording and the quoting rules are part of the behaviour we reproduce.
"""

from __future__ import annotations

__all__ = ["DurationError", "LocationError", "ParseError", "go_quote"]

_HEX = "0123456789abcdef"


def go_quote(text: str) -> str:
    """Quote ``text`` the way Go's time package does in its error messages.

    This is not ``strconv.Quote``: the time package escapes every byte of a non-ASCII or
    control character as ``\\xNN`` (so ``µ`` becomes ``\\xc2\\xb5``) and only backslashes
    ``"`` and ``\\``. Strings that came from undecodable bytes (surrogate escapes) are
    escaped byte by byte as well, as Go would see the raw bytes.
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if code < 0x20 or code >= 0x80:
            for byte in char.encode("utf-8", "surrogateescape"):
                out.append("\\x" + _HEX[byte >> 4] + _HEX[byte & 0xF])
        elif char in '"\\':
            out.append("\\" + char)
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


class ParseError(ValueError):
    """Go's ``*time.ParseError``: which layout element failed on which part of the value."""

    def __init__(
        self, layout: str, value: str, layout_elem: str, value_elem: str, message: str = ""
    ) -> None:
        self.layout = layout
        self.value = value
        self.layout_elem = layout_elem
        self.value_elem = value_elem
        self.message = message
        super().__init__(self._text())

    def _text(self) -> str:
        if self.message == "":
            return (
                f"parsing time {go_quote(self.value)} as {go_quote(self.layout)}: "
                f"cannot parse {go_quote(self.value_elem)} as {go_quote(self.layout_elem)}"
            )
        return f"parsing time {go_quote(self.value)}{self.message}"

    def __str__(self) -> str:
        return self._text()


class DurationError(ValueError):
    """An error of ``time.ParseDuration``; ``str()`` is Go's message."""


class LocationError(ValueError):
    """An error of ``time.LoadLocation``; ``str()`` is Go's message."""

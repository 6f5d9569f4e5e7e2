"""The text of Go's ``regexp.MustCompile`` panic, which sprig's plain regex functions raise.

``regexFind "a(" .x`` does not return Go's parse error as is: ``MustCompile`` wraps it as
``regexp: Compile(`a(`): error parsing regexp: ...``, quoting the pattern with backquotes
when it can and with ``strconv.Quote`` otherwise. Templates show that text in their
error, so it is rebuilt here exactly.
"""

from __future__ import annotations

from mittnite.gotemplate.goregexp_errors import GoRegexpError
from mittnite.gotemplate.goregexp_ranges import contains
from mittnite.gotemplate.goregexp_unicode import unicode_table

__all__ = ["go_strconv_quote", "must_compile_message"]

_NAMED_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}
_PRINTABLE_CATEGORIES = ("L", "M", "N", "P", "S")


def _is_print(code_point: int) -> bool:
    """Go's ``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols, ASCII space."""
    if code_point == 0x20:
        return True
    for category in _PRINTABLE_CATEGORIES:
        table = unicode_table(category)
        if table is not None and contains(table, code_point):
            return True
    return False


def _undecodable_byte(char: str) -> int | None:
    """The raw byte behind a ``surrogateescape`` character, which Go would see as invalid UTF-8."""
    code_point = ord(char)
    return code_point - 0xDC00 if 0xDC80 <= code_point <= 0xDCFF else None


def go_strconv_quote(text: str) -> str:
    """Go's ``strconv.Quote``: a double-quoted Go string literal for ``text``."""
    pieces = ['"']
    for char in text:
        code_point = ord(char)
        raw_byte = _undecodable_byte(char)
        if raw_byte is not None:
            pieces.append(f"\\x{raw_byte:02x}")
        elif char in _NAMED_ESCAPES:
            pieces.append(_NAMED_ESCAPES[char])
        elif 0xD800 <= code_point <= 0xDFFF:
            pieces.append("\\ufffd")
        elif _is_print(code_point):
            pieces.append(char)
        elif code_point < 0x20 or code_point == 0x7F:
            pieces.append(f"\\x{code_point:02x}")
        elif code_point < 0x10000:
            pieces.append(f"\\u{code_point:04x}")
        else:
            pieces.append(f"\\U{code_point:08x}")
    pieces.append('"')
    return "".join(pieces)


def _can_backquote(text: str) -> bool:
    """Go's ``strconv.CanBackquote``: no backquote, no controls but tab, no BOM, valid UTF-8."""
    for char in text:
        code_point = ord(char)
        if char == "`" or code_point == 0xFEFF or 0xD800 <= code_point <= 0xDFFF:
            return False
        if (code_point < 0x20 and char != "\t") or code_point == 0x7F:
            return False
    return True


def must_compile_message(pattern: str, error: GoRegexpError) -> str:
    """The panic text of ``regexp.MustCompile(pattern)`` failing with ``error``."""
    quoted = f"`{pattern}`" if _can_backquote(pattern) else go_strconv_quote(pattern)
    return f"regexp: Compile({quoted}): {error}"

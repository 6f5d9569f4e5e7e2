"""Reading the self-contained pieces of a Go pattern: escapes and character classes.

None of these pieces depends on the parse stack, only on the text and on whether
``(?i)`` is in effect, so they are kept apart from the stack machine in
:mod:`goregexp_parser`. Every error names the exact slice of the pattern Go quotes.
"""

from __future__ import annotations

from mittnite.gotemplate.goregexp_charclass import (
    PERL_GROUPS,
    POSIX_GROUPS,
    NamedGroup,
    fold_closure,
)
from mittnite.gotemplate.goregexp_errors import ErrorCode, GoRegexpError
from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, Ranges, negate, normalize
from mittnite.gotemplate.goregexp_unicode import unicode_table

__all__ = ["PatternReader", "is_surrogate"]

_OCTAL_DIGITS = "01234567"
_HEX_DIGITS = "0123456789abcdefABCDEF"
_C_ESCAPES = {"a": 0x07, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}


def is_surrogate(char: str) -> bool:
    """Lone surrogates are what undecodable bytes become in Python; Go calls them bad UTF-8."""
    return 0xD800 <= ord(char) <= 0xDFFF


class PatternReader:
    """Reads escapes and classes out of one pattern, raising Go's errors."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def error(self, code: ErrorCode, start: int, end: int | None = None) -> GoRegexpError:
        """Go's error quoting ``pattern[start:end]`` (to the end of the pattern by default)."""
        return GoRegexpError(code, self.pattern[start:end])

    def whole_error(self, code: ErrorCode) -> GoRegexpError:
        """Go's error for problems only visible at the end, which quote the whole pattern."""
        return GoRegexpError(code, self.pattern)

    def check_utf8(self, start: int, end: int) -> None:
        """Reject undecodable input in ``pattern[start:end]``, quoting from there to ``end``."""
        for index in range(start, end):
            if is_surrogate(self.pattern[index]):
                raise self.error(ErrorCode.INVALID_UTF8, index, end)

    def next_char(self, index: int) -> str:
        """The character at ``index``; an undecodable byte is reported from there on."""
        char = self.pattern[index]
        if is_surrogate(char):
            raise self.error(ErrorCode.INVALID_UTF8, index)
        return char

    def has_digit_at(self, index: int, digits: str) -> bool:
        """Whether the pattern has one of ``digits`` at ``index``."""
        return index < len(self.pattern) and self.pattern[index] in digits

    def parse_escape(self, start: int) -> tuple[int, int]:
        """A single-character escape such as ``\\n``, ``\\x41``, ``\\101`` or ``\\.``."""
        pattern = self.pattern
        position = start + 1
        if position >= len(pattern):
            raise GoRegexpError(ErrorCode.TRAILING_BACKSLASH, "")
        char = self.next_char(position)
        position += 1

        if char in _OCTAL_DIGITS:
            # \1 to \7 alone would be backreferences, which Go does not support.
            if char != "0" and not self.has_digit_at(position, _OCTAL_DIGITS):
                raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
            value = int(char)
            for _ in range(2):
                if not self.has_digit_at(position, _OCTAL_DIGITS):
                    break
                value = value * 8 + int(pattern[position])
                position += 1
            return value, position

        if char == "x":
            return self._parse_hex_escape(start, position)
        if char in _C_ESCAPES:
            return _C_ESCAPES[char], position
        if char.isascii() and not char.isalnum():
            return ord(char), position
        raise self.error(ErrorCode.INVALID_ESCAPE, start, position)

    def _parse_hex_escape(self, start: int, position: int) -> tuple[int, int]:
        """``\\xHH`` or ``\\x{H...}``; ``position`` is just after the ``x``."""
        pattern = self.pattern
        if position >= len(pattern):
            raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
        char = self.next_char(position)
        position += 1
        if char == "{":
            digits = 0
            value = 0
            while True:
                if position >= len(pattern):
                    raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
                char = self.next_char(position)
                position += 1
                if char == "}":
                    break
                if char not in _HEX_DIGITS:
                    raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
                value = value * 16 + int(char, 16)
                if value > MAX_RUNE:
                    raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
                digits += 1
            if digits == 0:
                raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
            return value, position
        if position >= len(pattern):
            raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
        second = self.next_char(position)
        position += 1
        if char not in _HEX_DIGITS or second not in _HEX_DIGITS:
            raise self.error(ErrorCode.INVALID_ESCAPE, start, position)
        return int(char + second, 16), position

    @staticmethod
    def named_group(group: NamedGroup, fold: bool) -> Ranges:
        """A Perl or POSIX class, folded under ``(?i)`` before being negated (as in Go)."""
        sign, ranges = group
        if fold:
            ranges = fold_closure(ranges)
        return negate(ranges) if sign < 0 else ranges

    def parse_unicode_class(self, start: int, fold: bool) -> tuple[Ranges, int]:
        """``\\pL``, ``\\p{Greek}``, ``\\P{^Lu}`` ... at ``start``."""
        pattern = self.pattern
        positive = pattern[start + 1] == "p"
        position = start + 2
        char = ""
        if position < len(pattern):
            char = self.next_char(position)
            position += 1
        if char != "{":
            sequence_end = position
            name = pattern[start + 2 : position]
        else:
            close = pattern.find("}", start)
            if close < 0:
                self.check_utf8(start, len(pattern))
                raise self.error(ErrorCode.INVALID_CHAR_RANGE, start)
            self.check_utf8(start + 3, close)
            sequence_end = close + 1
            name = pattern[start + 3 : close]
        if name.startswith("^"):
            positive = not positive
            name = name[1:]
        table = unicode_table(name)
        if table is None:
            raise self.error(ErrorCode.INVALID_CHAR_RANGE, start, sequence_end)
        if fold:
            table = fold_closure(table)
        return (table if positive else negate(table)), sequence_end

    def _parse_named_class(self, start: int, fold: bool) -> tuple[Ranges, int] | None:
        """``[:alpha:]`` and friends inside brackets; ``None`` if there is no ``:]``."""
        close = self.pattern.find(":]", start + 2)
        if close < 0:
            return None
        name = self.pattern[start : close + 2]
        group = POSIX_GROUPS.get(name)
        if group is None:
            raise self.error(ErrorCode.INVALID_CHAR_RANGE, start, close + 2)
        return self.named_group(group, fold), close + 2

    def _parse_class_char(self, position: int, class_start: int) -> tuple[int, int]:
        if position >= len(self.pattern):
            raise self.error(ErrorCode.MISSING_BRACKET, class_start)
        if self.pattern[position] == "\\":
            return self.parse_escape(position)
        return ord(self.next_char(position)), position + 1

    def parse_bracket_class(self, start: int, fold: bool) -> tuple[Ranges, int]:
        """A bracketed class at ``start``: its code points and the index after ``]``."""
        pattern = self.pattern
        position = start + 1
        negated = pattern.startswith("^", position)
        if negated:
            position += 1
        pieces: list[tuple[int, int]] = []
        first = True
        while position >= len(pattern) or pattern[position] != "]" or first:
            first = False
            if len(pattern) - position > 2 and pattern.startswith("[:", position):
                named = self._parse_named_class(position, fold)
                if named is not None:
                    pieces.extend(named[0])
                    position = named[1]
                    continue
            if pattern.startswith(("\\p", "\\P"), position):
                ranges, position = self.parse_unicode_class(position, fold)
                pieces.extend(ranges)
                continue
            if pattern[position : position + 2] in PERL_GROUPS:
                pieces.extend(self.named_group(PERL_GROUPS[pattern[position : position + 2]], fold))
                position += 2
                continue
            range_start = position
            low, position = self._parse_class_char(position, start)
            high = low
            if (
                len(pattern) - position >= 2
                and pattern[position] == "-"
                and pattern[position + 1] != "]"
            ):
                high, position = self._parse_class_char(position + 1, start)
                if high < low:
                    raise self.error(ErrorCode.INVALID_CHAR_RANGE, range_start, position)
            pieces.extend(fold_closure(((low, high),)) if fold else [(low, high)])
        ranges = normalize(pieces)
        return (negate(ranges) if negated else ranges), position + 1

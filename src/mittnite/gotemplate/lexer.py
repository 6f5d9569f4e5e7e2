"""The lexer of Go's text/template: template text to a list of items.

It follows Go's lexer state by state (text, left delimiter, comment, inside an action, ...)
because the parser's error messages and line numbers depend on exactly which items are produced
and where: trim markers (``{{- ``, `` -}}``), the space item before a ``-}}``, and the lexer
errors (``unclosed action``, ``bad number syntax: "1x"``) all show up verbatim in messages.

Items are produced eagerly into a list; Go's lexer runs concurrently but stops at its first
error, so the sequence the parser sees is the same. Positions are indexes into the Python
string (code points); error messages convert them to Go's byte columns.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Item", "item_text", "lex"]

# Item types, in Go's order (everything after KEYWORD is a keyword).
ERROR = 0
BOOL = 1
CHAR = 2
CHAR_CONSTANT = 3
COMMENT = 4
COMPLEX = 5
ASSIGN = 6
DECLARE = 7
EOF = 8
FIELD = 9
IDENTIFIER = 10
LEFT_DELIM = 11
LEFT_PAREN = 12
NUMBER = 13
PIPE = 14
RAW_STRING = 15
RIGHT_DELIM = 16
RIGHT_PAREN = 17
SPACE = 18
STRING = 19
TEXT = 20
VARIABLE = 21
KEYWORD = 22
BLOCK = 23
BREAK = 24
CONTINUE = 25
DOT = 26
DEFINE = 27
ELSE = 28
END = 29
IF = 30
NIL = 31
RANGE = 32
TEMPLATE = 33
WITH = 34

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

LEFT_DELIMITER = "{{"
RIGHT_DELIMITER = "}}"
_SPACE_CHARS = " \t\r\n"
_TERMINATORS = frozenset(" \t\r\n.,|:)(")
_DECIMAL_DIGITS = "0123456789_"
# The common tokens inside actions, recognised in one step; anything else (and every error)
# goes through the character-by-character states, which define the behaviour.
_TERMINATOR_AHEAD = r"(?=[ \t\r\n.,|:()]|}}|\Z)"
_FAST_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]++)(?!-)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*+)"
    + _TERMINATOR_AHEAD
    + r"|(?P<field>\.[A-Za-z_][A-Za-z0-9_]*+)"
    + _TERMINATOR_AHEAD
    + r"|(?P<var>\$[A-Za-z0-9_]*+)"
    + _TERMINATOR_AHEAD
    + r'|(?P<string>"(?:[^"\\\n]|\\[^\n])*+")'
    r"|(?P<number>[0-9]++)(?=[ \t\r\n|)]|}}|\Z)"
)
_FAST_TYPES = {"space": SPACE, "field": FIELD, "var": VARIABLE, "string": STRING, "number": NUMBER}
_HEX_DIGITS = "0123456789abcdefABCDEF_"


class Item(NamedTuple):
    """One lexical item: its type, start position, text and the line it starts on."""

    typ: int
    pos: int
    val: str
    line: int


_new_item = tuple.__new__  # builds an Item without NamedTuple's argument handling


def item_text(item: Item) -> str:
    """How Go's parser names an item in ``unexpected ...`` messages."""
    from mittnite.gotemplate.gofmt import quote

    if item.typ == EOF:
        return "EOF"
    if item.typ == ERROR:
        return item.val
    if item.typ > KEYWORD:
        return f"<{item.val}>"
    # Go compares the length in bytes but %.10q truncates to 10 runes
    if len(item.val.encode("utf-8", "surrogateescape")) > 10:
        return quote(item.val[:10]) + "..."
    return quote(item.val)


def is_alphanumeric(char: str) -> bool:
    """Go's isAlphaNumeric: '_', a Unicode letter or a decimal digit."""
    return char == "_" or char.isalpha() or char.isdecimal()


def _format_rune(char: str) -> str:
    """Go's ``%#U`` of a rune: ``U+0041 'A'`` (without the quoted form if not printable)."""
    code = ord(char)
    text = f"U+{code:04X}"
    if char.isprintable() and not 0xD800 <= code <= 0xDFFF:
        text += f" '{char}'"
    return text


class _Lexer:
    """Go's lexer state machine; each state method returns the next state or None."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.items: list[Item] = []
        self._line = 1
        self._line_pos = 0

    # -- helpers ---------------------------------------------------------------------------

    def line_at(self, position: int) -> int:
        """1 + newlines before ``position`` (Go tracks the same number incrementally)."""
        if position >= self._line_pos:
            self._line += self.text.count("\n", self._line_pos, position)
        else:
            self._line -= self.text.count("\n", position, self._line_pos)
        self._line_pos = position
        return self._line

    def emit(self, typ: int) -> None:
        start = self.start
        if start >= self._line_pos:
            self._line += self.text.count("\n", self._line_pos, start)
            self._line_pos = start
        else:
            self.line_at(start)
        self.items.append(_new_item(Item, (typ, start, self.text[start : self.pos], self._line)))
        self.start = self.pos

    def ignore(self) -> None:
        self.start = self.pos

    def error(self, message: str) -> None:
        self.items.append(Item(ERROR, self.start, message, self.line_at(self.start)))

    def next(self) -> str:
        """The next character, or '' at the end of the input."""
        if self.pos >= len(self.text):
            return ""
        char = self.text[self.pos]
        self.pos += 1
        return char

    def backup(self) -> None:
        self.pos -= 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def accept(self, valid: str) -> bool:
        char = self.peek()
        if char and char in valid:
            self.pos += 1
            return True
        return False

    def accept_run(self, valid: str) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in valid:
            self.pos += 1

    def at_terminator(self) -> bool:
        char = self.peek()
        if char == "" or char in _TERMINATORS:
            return True
        return self.text.startswith(RIGHT_DELIMITER, self.pos)

    def has_left_trim_marker(self, position: int) -> bool:
        text = self.text
        return (
            position + 1 < len(text)
            and text[position] == "-"
            and text[position + 1] in _SPACE_CHARS
        )

    def has_right_trim_marker(self, position: int) -> bool:
        text = self.text
        return (
            position + 1 < len(text)
            and text[position] in _SPACE_CHARS
            and text[position + 1] == "-"
        )

    def at_right_delim(self) -> tuple[bool, bool]:
        """(at the right delimiter, with a trim marker before it)."""
        text = self.text
        position = self.pos
        char = text[position : position + 1]
        if char == "}":
            return text.startswith(RIGHT_DELIMITER, position), False
        if (
            char in _SPACE_CHARS
            and char
            and text[position + 1 : position + 2] == "-"
            and text.startswith(RIGHT_DELIMITER, position + 2)
        ):
            return True, True
        return False, False

    def left_trim_length(self, position: int) -> int:
        text = self.text
        end = position
        while end < len(text) and text[end] in _SPACE_CHARS:
            end += 1
        return end - position

    # -- states ----------------------------------------------------------------------------

    def run(self) -> list[Item]:
        state = self.lex_text
        while state is not None:
            state = state()  # type: ignore[assignment]
        return self.items

    def lex_text(self) -> object:
        text = self.text
        found = text.find(LEFT_DELIMITER, self.pos)
        if found >= 0:
            trim_length = 0
            if self.has_left_trim_marker(found + len(LEFT_DELIMITER)):
                segment = text[self.start : found]
                trim_length = len(segment) - len(segment.rstrip(_SPACE_CHARS))
            self.pos = found - trim_length
            if self.pos > self.start:
                self.emit(TEXT)
            self.pos += trim_length
            self.ignore()
            return self.lex_left_delim
        self.pos = len(text)
        if self.pos > self.start:
            self.emit(TEXT)
        self.emit(EOF)
        return None

    def lex_left_delim(self) -> object:
        self.pos += len(LEFT_DELIMITER)
        trim = self.has_left_trim_marker(self.pos)
        after_marker = 2 if trim else 0
        if self.text.startswith("/*", self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        self.emit(LEFT_DELIM)
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self) -> object:
        self.pos += 2
        end = self.text.find("*/", self.pos)
        if end < 0:
            self.error("unclosed comment")
            return None
        self.pos = end + 2
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return None
        if trim:
            self.pos += 2
        self.pos += len(RIGHT_DELIMITER)
        if trim:
            self.pos += self.left_trim_length(self.pos)
        self.ignore()
        return self.lex_text

    def lex_right_delim(self) -> object:
        trim = self.has_right_trim_marker(self.pos)
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT_DELIMITER)
        self.emit(RIGHT_DELIM)
        if trim:
            self.pos += self.left_trim_length(self.pos)
            self.ignore()
        return self.lex_text

    def lex_inside_action(self) -> object:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.error("unclosed left paren")
            return None
        fast = _FAST_TOKEN.match(self.text, self.pos)
        if fast is not None:
            self.pos = fast.end()
            kind = fast.lastgroup
            if kind == "ident":
                word = fast.group()
                keyword = KEYWORDS.get(word)
                if keyword is not None:
                    self.emit(keyword)
                else:
                    self.emit(BOOL if word in ("true", "false") else IDENTIFIER)
            else:
                self.emit(_FAST_TYPES[kind])  # type: ignore[index]
            return self.lex_inside_action
        char = self.next()
        if char == "":
            self.error("unclosed action")
            return None
        if char in _SPACE_CHARS:
            self.backup()
            return self.lex_space
        if char == "=":
            self.emit(ASSIGN)
        elif char == ":":
            if self.next() != "=":
                self.error("expected :=")
                return None
            self.emit(DECLARE)
        elif char == "|":
            self.emit(PIPE)
        elif char == '"':
            return self.lex_quote
        elif char == "`":
            return self.lex_raw_quote
        elif char == "$":
            return self.lex_variable
        elif char == "'":
            return self.lex_char
        elif char == "." and self.pos < len(self.text) and not "0" <= self.text[self.pos] <= "9":
            return self.lex_field
        elif char in "+-." or "0" <= char <= "9":
            self.backup()
            return self.lex_number
        elif is_alphanumeric(char):
            self.backup()
            return self.lex_identifier
        elif char == "(":
            self.emit(LEFT_PAREN)
            self.paren_depth += 1
        elif char == ")":
            self.emit(RIGHT_PAREN)
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.error(f"unexpected right paren {_format_rune(char)}")
                return None
        elif ord(char) < 0x80 and char.isprintable():
            self.emit(CHAR)
        else:
            self.error(f"unrecognized character in action: {_format_rune(char)}")
            return None
        return self.lex_inside_action

    def lex_space(self) -> object:
        count = 0
        while self.peek() in _SPACE_CHARS and self.peek() != "":
            self.pos += 1
            count += 1
        if self.has_right_trim_marker(self.pos - 1) and self.text.startswith(
            RIGHT_DELIMITER, self.pos + 1
        ):
            self.backup()
            if count == 1:
                return self.lex_right_delim
        self.emit(SPACE)
        return self.lex_inside_action

    def lex_identifier(self) -> object:
        while True:
            char = self.next()
            if char != "" and is_alphanumeric(char):
                continue
            if char != "":
                self.backup()
            word = self.text[self.start : self.pos]
            if not self.at_terminator():
                self.error(f"bad character {_format_rune(char)}")
                return None
            keyword = KEYWORDS.get(word)
            if keyword is not None and keyword > KEYWORD:
                self.emit(keyword)
            elif word[0] == ".":
                self.emit(FIELD)
            elif word in ("true", "false"):
                self.emit(BOOL)
            else:
                self.emit(IDENTIFIER)
            return self.lex_inside_action

    def lex_field(self) -> object:
        return self.lex_field_or_variable(FIELD)

    def lex_variable(self) -> object:
        if self.at_terminator():
            self.emit(VARIABLE)
            return self.lex_inside_action
        return self.lex_field_or_variable(VARIABLE)

    def lex_field_or_variable(self, typ: int) -> object:
        if self.at_terminator():
            self.emit(VARIABLE if typ == VARIABLE else DOT)
            return self.lex_inside_action
        text = self.text
        while self.pos < len(text) and is_alphanumeric(text[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            self.error(f"bad character {_format_rune(text[self.pos])}")
            return None
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self) -> object:
        while True:
            char = self.next()
            if char == "\\":
                char = self.next()
                if char not in ("", "\n"):
                    continue
            if char in ("", "\n"):
                self.error("unterminated character constant")
                return None
            if char == "'":
                break
        self.emit(CHAR_CONSTANT)
        return self.lex_inside_action

    def lex_number(self) -> object:
        from mittnite.gotemplate.gofmt import quote

        if not self.scan_number():
            self.error(f"bad number syntax: {quote(self.text[self.start : self.pos])}")
            return None
        sign = self.peek()
        if sign in ("+", "-") and sign != "":
            if not self.scan_number() or self.text[self.pos - 1] != "i":
                self.error(f"bad number syntax: {quote(self.text[self.start : self.pos])}")
                return None
            self.emit(COMPLEX)
        else:
            self.emit(NUMBER)
        return self.lex_inside_action

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = _DECIMAL_DIGITS
        if self.accept("0"):
            if self.accept("xX"):
                digits = _HEX_DIGITS
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if digits is _DECIMAL_DIGITS and self.accept("eE"):
            self.accept("+-")
            self.accept_run(_DECIMAL_DIGITS)
        if digits is _HEX_DIGITS and self.accept("pP"):
            self.accept("+-")
            self.accept_run(_DECIMAL_DIGITS)
        self.accept("i")
        char = self.peek()
        if char != "" and is_alphanumeric(char):
            self.pos += 1
            return False
        return True

    def lex_quote(self) -> object:
        text = self.text
        while True:
            if self.pos >= len(text):
                self.error("unterminated quoted string")
                return None
            char = text[self.pos]
            self.pos += 1
            if char == "\\":
                if self.pos >= len(text) or text[self.pos] == "\n":
                    if self.pos < len(text):
                        self.pos += 1
                    self.error("unterminated quoted string")
                    return None
                self.pos += 1
            elif char == "\n":
                self.error("unterminated quoted string")
                return None
            elif char == '"':
                break
        self.emit(STRING)
        return self.lex_inside_action

    def lex_raw_quote(self) -> object:
        end = self.text.find("`", self.pos)
        if end < 0:
            self.pos = len(self.text)
            self.error("unterminated raw quoted string")
            return None
        self.pos = end + 1
        self.emit(RAW_STRING)
        return self.lex_inside_action


def lex(text: str) -> list[Item]:
    """All items of ``text``, ending with an EOF or an ERROR item."""
    return _Lexer(text).run()

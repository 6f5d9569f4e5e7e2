"""Tokens of Go's text/template: text, delimiters, and everything inside actions.

Follows the Go lexer's rules that are visible to users: ``{{-``/``-}}`` trim
markers need a space next to the dash, comments must hug the delimiters,
identifiers and numbers must end at a terminator, newlines are allowed inside
actions (Go >= 1.16). Positions are character offsets into the template.
"""

from __future__ import annotations


class _LexError(Exception):
    """Stops lexing; becomes an ERROR item the parser reports when it gets there."""


# Item kinds.
ERROR = "error"
BOOL = "bool"
CHAR = "char"  # printable ASCII punctuation (unused here: ',' is handled as CHAR)
CHAR_CONSTANT = "charconst"
COMMENT = "comment"
ASSIGN = "="
DECLARE = ":="
EOF = "EOF"
FIELD = "field"
IDENTIFIER = "identifier"
LEFT_DELIM = "{{"
LEFT_PAREN = "("
NUMBER = "number"
PIPE = "|"
RAW_STRING = "rawstring"
RIGHT_DELIM = "}}"
RIGHT_PAREN = ")"
SPACE = "space"
STRING = "string"
TEXT = "text"
VARIABLE = "variable"
DOT = "."
NIL = "nil"
KEYWORDS = {
    "block",
    "break",
    "continue",
    "define",
    "else",
    "end",
    "if",
    "range",
    "template",
    "with",
}

SPACES = " \t\r\n"
LEFT = "{{"
RIGHT = "}}"


class Item:
    """One token: kind, text, character offset and line."""

    __slots__ = ("kind", "line", "pos", "val")

    def __init__(self, kind: str, pos: int, val: str, line: int) -> None:
        self.kind = kind
        self.pos = pos
        self.val = val
        self.line = line

    def describe(self) -> str:
        """How Go's parser names the token in ``unexpected ...`` messages."""
        if self.kind == EOF:
            return "EOF"
        if self.kind == ERROR:
            return self.val
        if self.kind in KEYWORDS:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote_short(self.val[:10]) + "..."
        return go_quote_short(self.val)

    def __repr__(self) -> str:
        return f"Item({self.kind}, {self.val!r})"


def go_quote_short(text: str) -> str:
    """Go's ``%q`` for the short token texts in parser messages."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def _go_u(ch: str) -> str:
    """Go's ``%#U``: ``U+0021 '!'``."""
    code = ord(ch)
    text = f"U+{code:04X}"
    if ch.isprintable():
        text += f" '{ch}'"
    return text


class Lexer:
    """Produces the items of one template text."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.items: list[Item] = []
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0

    # -- helpers -----------------------------------------------------------------------
    def _emit(self, kind: str) -> None:
        self.items.append(Item(kind, self.start, self.text[self.start : self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def _ignore(self) -> None:
        self.line += self.text.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def _advance(self, count: int) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + count)
        self.pos += count

    def _peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def _fail(self, message: str) -> _LexError:
        return _LexError(message)

    # -- driver --------------------------------------------------------------------------
    def run(self) -> list[Item]:
        try:
            return self._run()
        except _LexError as exc:
            self.items.append(Item(ERROR, self.start, str(exc), self.start_line))
            return self.items

    def _run(self) -> list[Item]:
        text = self.text
        while True:
            # Text up to the next action.
            index = text.find(LEFT, self.pos)
            if index < 0:
                self._advance(len(text) - self.pos)
                if self.pos > self.start:
                    self._emit(TEXT)
                self.items.append(Item(EOF, self.pos, "", self.line))
                return self.items
            trim = text.startswith("-", index + 2) and text[index + 3 : index + 4] in tuple(SPACES)
            self._advance(index - self.pos)
            if self.pos > self.start:
                end = self.pos
                if trim:
                    end = len(text[self.start : self.pos].rstrip(SPACES)) + self.start
                if end > self.start:
                    self.items.append(
                        Item(TEXT, self.start, text[self.start : end], self.start_line)
                    )
                self._ignore()
            self._left_delim(trim)

    def _left_delim(self, trim: bool) -> None:
        self._advance(len(LEFT))
        after = self.pos + (2 if trim else 0)
        if self.text.startswith("/*", after):
            self.pos = after
            self._ignore()
            self._comment()
            return
        self._emit(LEFT_DELIM)
        if trim:
            self._advance(2)
            self._ignore()
        self.paren_depth = 0
        self._inside_action()

    def _comment(self) -> None:
        end = self.text.find("*/", self.pos + 2)
        if end < 0:
            raise self._fail("unclosed comment")
        self._advance(end + 2 - self.pos)
        trimmed, matched = self._at_right_delim()
        if not matched:
            raise self._fail("comment ends before closing delimiter")
        self._emit(COMMENT)
        if trimmed:
            self._advance(2)
        self._advance(len(RIGHT))
        self._ignore()
        if trimmed:
            self._skip_leading_space()

    def _at_right_delim(self) -> tuple[bool, bool]:
        """(trim marker present, right delimiter here)."""
        text = self.text
        if (
            text[self.pos : self.pos + 1] in tuple(SPACES)
            and text[self.pos : self.pos + 1] != ""
            and text.startswith("-" + RIGHT, self.pos + 1)
        ):
            return True, True
        return False, text.startswith(RIGHT, self.pos)

    def _skip_leading_space(self) -> None:
        while self._peek() and self._peek() in SPACES:
            self._advance(1)
        self._ignore()

    def _right_delim(self, trimmed: bool) -> None:
        if trimmed:
            self._advance(2)  # space and dash
            self._ignore()
        self._advance(len(RIGHT))
        self._emit(RIGHT_DELIM)
        if trimmed:
            self._skip_leading_space()

    # -- inside an action ----------------------------------------------------------------
    def _inside_action(self) -> None:
        while True:
            trimmed, at_right = self._at_right_delim()
            if at_right:
                if self.paren_depth:
                    raise self._fail("unclosed left paren")
                self._right_delim(trimmed)
                return
            ch = self._peek()
            if ch == "":
                raise self._fail("unclosed action")
            if ch in SPACES:
                while self._peek() and self._peek() in SPACES:
                    t, r = self._at_right_delim()
                    if r and t:
                        break
                    self._advance(1)
                if self.pos > self.start:
                    self._emit(SPACE)
                continue
            if ch == "=":
                self._advance(1)
                self._emit(ASSIGN)
            elif ch == ":":
                if self._peek(1) != "=":
                    raise self._fail("expected :=")
                self._advance(2)
                self._emit(DECLARE)
            elif ch == "|":
                self._advance(1)
                self._emit(PIPE)
            elif ch == '"':
                self._quote()
            elif ch == "`":
                self._raw_quote()
            elif ch == "$":
                self._advance(1)
                self._variable_or_field(VARIABLE)
            elif ch == "'":
                self._char()
            elif ch == ".":
                if self._peek(1).isdigit():
                    self._number()
                else:
                    self._advance(1)
                    self._variable_or_field(FIELD)
            elif ch in "+-" or ch.isdigit():
                self._number()
            elif _is_alnum(ch):
                self._identifier()
            elif ch == "(":
                self._advance(1)
                self._emit(LEFT_PAREN)
                self.paren_depth += 1
            elif ch == ")":
                self._advance(1)
                self._emit(RIGHT_PAREN)
                self.paren_depth -= 1
                if self.paren_depth < 0:
                    raise self._fail("unexpected right paren")
            elif ch.isascii() and ch.isprintable():
                self._advance(1)
                self._emit(CHAR)
            else:
                raise self._fail(f"unrecognized character in action: {_go_u(ch)}")

    def _at_terminator(self) -> bool:
        ch = self._peek()
        if ch == "" or ch in SPACES or ch in ".,|:)(":
            return True
        return self.text.startswith(RIGHT, self.pos)

    def _identifier(self) -> None:
        while self._peek() and _is_alnum(self._peek()):
            self._advance(1)
        word = self.text[self.start : self.pos]
        if not self._at_terminator():
            raise self._fail(f"bad character {_go_u(self._peek())}")
        if word in KEYWORDS:
            self._emit(word)
        elif word in ("true", "false"):
            self._emit(BOOL)
        elif word == "nil":
            self._emit(NIL)
        else:
            self._emit(IDENTIFIER)

    def _variable_or_field(self, kind: str) -> None:
        if kind == FIELD and not (self._peek() and _is_alnum(self._peek())):
            self._emit(DOT)  # a lone "."
            return
        while self._peek() and _is_alnum(self._peek()):
            self._advance(1)
        if not self._at_terminator():
            raise self._fail(f"bad character {_go_u(self._peek())}")
        self._emit(kind)

    def _quote(self) -> None:
        self._advance(1)
        while True:
            ch = self._peek()
            if ch == "\\":
                if self._peek(1) in ("", "\n"):
                    raise self._fail("unterminated quoted string")
                self._advance(2)
                continue
            if ch in ("", "\n"):
                raise self._fail("unterminated quoted string")
            self._advance(1)
            if ch == '"':
                break
        self._emit(STRING)

    def _raw_quote(self) -> None:
        end = self.text.find("`", self.pos + 1)
        if end < 0:
            raise self._fail("unterminated raw quoted string")
        self._advance(end + 1 - self.pos)
        self._emit(RAW_STRING)

    def _char(self) -> None:
        self._advance(1)
        while True:
            ch = self._peek()
            if ch == "\\":
                if self._peek(1) in ("", "\n"):
                    raise self._fail("unterminated character constant")
                self._advance(2)
                continue
            if ch in ("", "\n"):
                raise self._fail("unterminated character constant")
            self._advance(1)
            if ch == "'":
                break
        self._emit(CHAR_CONSTANT)

    def _number(self) -> None:
        if self._peek() in "+-":
            self._advance(1)
        digits = "0123456789_"
        if self._peek() == "0" and self._peek(1) in "xXoObB" and self._peek(1):
            self._advance(2)
            base_char = self.text[self.pos - 1].lower()
            digits = {"x": "0123456789abcdefABCDEF_", "o": "01234567_", "b": "01_"}[base_char]
        self._accept_run(digits)
        if self._peek() == ".":
            self._advance(1)
            self._accept_run(digits)
        exponents = "pP" if "a" in digits else "eE"
        if self._peek() and self._peek() in exponents:
            self._advance(1)
            if self._peek() in "+-" and self._peek():
                self._advance(1)
            self._accept_run("0123456789_")
        if self._peek() == "i":
            self._advance(1)
        if self._peek() and _is_alnum(self._peek()):
            self._advance(1)
            raise self._fail(
                f"bad number syntax: {go_quote_short(self.text[self.start : self.pos])}"
            )
        self._emit(NUMBER)

    def _accept_run(self, valid: str) -> None:
        while self._peek() and self._peek() in valid:
            self._advance(1)


def lex(name: str, text: str) -> list[Item]:
    """All items of ``text``; the last is ``EOF`` or an ``ERROR`` item."""
    return Lexer(name, text).run()

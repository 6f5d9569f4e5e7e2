"""Tokeniser for HCL v1 native syntax.

The token rules follow hashicorp/hcl v1, because users' existing files were
written against it: identifiers may contain ``-`` and ``.``, a ``-`` directly
in front of a digit starts a number, numbers keep their source text (the
decoder hands that text to string fields verbatim, ``port = 0x10`` stays
``"0x10"``), strings may span lines only inside ``${ }`` and heredocs may end
with an indented marker.
"""

from __future__ import annotations

import unicodedata

from .errors import HclSyntaxError, Pos


class Tok:
    """Token kinds (plain strings: an Enum costs start-up time for nothing here)."""

    IDENT = "IDENT"
    NUMBER = "NUMBER"
    FLOAT = "FLOAT"
    BOOL = "BOOL"
    STRING = "STRING"
    HEREDOC = "HEREDOC"
    LBRACK = "LBRACK"
    RBRACK = "RBRACK"
    LBRACE = "LBRACE"
    RBRACE = "RBRACE"
    COMMA = "COMMA"
    PERIOD = "PERIOD"
    ASSIGN = "ASSIGN"
    ADD = "ADD"
    SUB = "SUB"
    EOF = "EOF"


# What a person reads in an error message for each token kind.
DESCRIPTIONS: dict[str, str] = {
    Tok.IDENT: "a name",
    Tok.NUMBER: "a number",
    Tok.FLOAT: "a number",
    Tok.BOOL: "a boolean",
    Tok.STRING: "a string",
    Tok.HEREDOC: "a heredoc string",
    Tok.LBRACK: "'['",
    Tok.RBRACK: "']'",
    Tok.LBRACE: "'{'",
    Tok.RBRACE: "'}'",
    Tok.COMMA: "','",
    Tok.PERIOD: "'.'",
    Tok.ASSIGN: "'='",
    Tok.ADD: "'+'",
    Tok.SUB: "'-'",
    Tok.EOF: "the end of the file",
}


class Token:
    """One token: its kind, its exact source text and where it starts."""

    __slots__ = ("kind", "pos", "text")

    def __init__(self, kind: str, text: str, pos: Pos) -> None:
        self.kind = kind
        self.text = text
        self.pos = pos

    def describe(self) -> str:
        """Human wording for messages, e.g. ``'}'`` or ``the string "x"``."""
        if self.kind in (Tok.STRING, Tok.IDENT, Tok.NUMBER, Tok.FLOAT, Tok.BOOL):
            shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
            return f"{DESCRIPTIONS[self.kind]} {shown}"
        return DESCRIPTIONS[self.kind]


_OCTAL = "01234567"
_DECIMAL = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_SINGLE = {
    "[": Tok.LBRACK,
    "]": Tok.RBRACK,
    "{": Tok.LBRACE,
    "}": Tok.RBRACE,
    ",": Tok.COMMA,
    ".": Tok.PERIOD,
    "=": Tok.ASSIGN,
    "+": Tok.ADD,
}


def _is_letter(ch: str) -> bool:
    if "a" <= ch <= "z" or "A" <= ch <= "Z" or ch == "_":
        return True
    return ch >= "\x80" and unicodedata.category(ch).startswith("L")


def _is_digit(ch: str) -> bool:
    if "0" <= ch <= "9":
        return True
    return ch >= "\x80" and unicodedata.category(ch) == "Nd"


class Lexer:
    """Turns source text into a list of tokens (comments dropped)."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.i = 0
        self.line = 1
        self.col = 1

    # -- low-level cursor -------------------------------------------------
    def _peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.src[j] if j < len(self.src) else ""

    def _advance(self) -> str:
        ch = self.src[self.i]
        self.i += 1
        if ch == "\n":
            self.line += 1
            self.col = 1
        else:
            self.col += 1
        return ch

    def _pos(self) -> Pos:
        return Pos(self.line, self.col)

    def _fail(self, message: str, pos: Pos | None = None) -> HclSyntaxError:
        return HclSyntaxError(pos or self._pos(), message)

    # -- public -------------------------------------------------------------
    def tokens(self) -> list[Token]:
        """Scan everything; raises :class:`HclSyntaxError` on the first bad token."""
        out: list[Token] = []
        while True:
            tok = self._next()
            out.append(tok)
            if tok.kind is Tok.EOF:
                return out

    def _next(self) -> Token:
        self._skip_space_and_comments()
        start = self.i
        pos = self._pos()
        ch = self._peek()
        if ch == "":
            return Token(Tok.EOF, "", pos)
        if _is_letter(ch):
            while True:
                c = self._peek()
                if c and (_is_letter(c) or _is_digit(c) or c in "-."):
                    self._advance()
                else:
                    break
            text = self.src[start : self.i]
            kind = Tok.BOOL if text in ("true", "false") else Tok.IDENT
            return Token(kind, text, pos)
        if "0" <= ch <= "9" or (ch == "." and "0" <= self._peek(1) <= "9"):
            kind = self._scan_number()
            return Token(kind, self.src[start : self.i], pos)
        if ch == "-":
            if "0" <= self._peek(1) <= "9":
                self._advance()
                kind = self._scan_number()
                return Token(kind, self.src[start : self.i], pos)
            self._advance()
            return Token(Tok.SUB, "-", pos)
        if ch == '"':
            self._advance()
            self._scan_string(pos)
            return Token(Tok.STRING, self.src[start : self.i], pos)
        if ch == "<":
            self._advance()
            self._scan_heredoc(pos)
            return Token(Tok.HEREDOC, self.src[start : self.i], pos)
        if ch in _SINGLE:
            self._advance()
            return Token(_SINGLE[ch], ch, pos)
        raise self._fail(f"illegal character {ch!r}", pos)

    def _skip_space_and_comments(self) -> None:
        while True:
            ch = self._peek()
            if ch in (" ", "\t", "\n", "\r") and ch:
                self._advance()
            elif ch == "#" or (ch == "/" and self._peek(1) == "/"):
                while self._peek() not in ("", "\n"):
                    self._advance()
            elif ch == "/" and self._peek(1) == "*":
                start = self._pos()
                self._advance()
                self._advance()
                while not (self._peek() == "*" and self._peek(1) == "/"):
                    if self._peek() == "":
                        raise self._fail(
                            f"comment opened at {start} is not terminated (missing '*/')"
                        )
                    self._advance()
                self._advance()
                self._advance()
            elif ch == "/":
                raise self._fail("illegal character '/' (comments start with '//' or '/*')")
            else:
                return

    # -- numbers ------------------------------------------------------------
    def _digits(self, allowed: str) -> int:
        n = 0
        while self._peek() and self._peek() in allowed:
            self._advance()
            n += 1
        return n

    def _scan_exponent(self) -> None:
        self._advance()  # e / E
        if self._peek() in ("+", "-") and self._peek():
            self._advance()
        self._digits(_DECIMAL)

    def _scan_fraction_and_exponent(self) -> str:
        if self._peek() == ".":
            self._advance()
            self._digits(_DECIMAL)
        if self._peek() in ("e", "E") and self._peek():
            self._scan_exponent()
        return Tok.FLOAT

    def _scan_number(self) -> str:
        start = self._pos()
        if self._peek() == "0" and self._peek(1) in ("x", "X") and self._peek(1):
            self._advance()
            self._advance()
            if self._digits(_HEX) == 0:
                raise self._fail("illegal hexadecimal number", start)
            return Tok.NUMBER
        self._digits(_DECIMAL)
        if self._peek() in (".", "e", "E") and self._peek():
            return self._scan_fraction_and_exponent()
        return Tok.NUMBER

    # -- strings ------------------------------------------------------------
    def _scan_string(self, start: Pos) -> None:
        braces = 0
        while True:
            ch = self._peek()
            if ch == "" or (ch == "\n" and braces == 0):
                raise self._fail(
                    f"string started at {start} is not terminated (missing closing '\"')"
                )
            self._advance()
            if ch == '"' and braces == 0:
                return
            if braces == 0 and ch == "$" and self._peek() == "{":
                braces += 1
                self._advance()
            elif braces > 0 and ch == "{":
                braces += 1
            elif braces > 0 and ch == "}":
                braces -= 1
            if ch == "\\":
                self._scan_escape()

    def _scan_escape(self) -> None:
        pos = Pos(self.line, self.col - 1)
        ch = self._peek()
        if ch == "":
            return
        self._advance()
        if ch in 'abfnrtv\\"':
            return
        if ch in _OCTAL:
            self._expect_digits(_OCTAL, 2, pos)
        elif ch == "x":
            self._expect_digits(_HEX, 2, pos)
        elif ch == "u":
            self._expect_digits(_HEX, 4, pos)
        elif ch == "U":
            self._expect_digits(_HEX, 8, pos)
        else:
            raise self._fail(
                f"illegal escape sequence '\\{ch}' in string "
                '(valid: \\n \\t \\r \\" \\\\ \\a \\b \\f \\v \\NNN \\xNN \\uNNNN \\UNNNNNNNN)',
                pos,
            )

    def _expect_digits(self, allowed: str, count: int, pos: Pos) -> None:
        for _ in range(count):
            ch = self._peek()
            if not ch or ch not in allowed:
                raise self._fail("illegal escape sequence in string (too few digits)", pos)
            self._advance()

    # -- heredocs -----------------------------------------------------------
    def _scan_heredoc(self, start: Pos) -> None:
        if self._peek() != "<":
            raise self._fail("illegal character '<' (a heredoc starts with '<<')", start)
        self._advance()
        anchor_start = self.i
        if self._peek() == "-":
            self._advance()
        while self._peek() and (_is_letter(self._peek()) or _is_digit(self._peek())):
            self._advance()
        anchor = self.src[anchor_start : self.i]
        if self._peek() == "\r" and self._peek(1) == "\n":
            self._advance()
        if self._peek() == "":
            raise self._fail(f"heredoc started at {start} is not terminated")
        if self._peek() != "\n":
            raise self._fail("invalid characters in heredoc anchor (expected a newline)")
        if anchor in ("", "-"):
            raise self._fail("zero-length heredoc anchor", start)
        self._advance()
        marker = anchor.lstrip("-")
        while True:
            line_start = self.i
            newline = self.src.find("\n", self.i)
            if newline < 0:
                raise self._fail(
                    f"heredoc started at {start} is not terminated "
                    f"(missing a line holding only {marker!r})"
                )
            line = self.src[line_start:newline]
            while self.i <= newline:
                self._advance()
            if line.lstrip(" \t\r\v\f").rstrip("\r") == marker:
                # The token ends before the newline of the marker line.
                self.i -= 1
                self.line -= 1
                self.col = len(line) + 1
                return


def tokenize(src: str) -> list[Token]:
    """Scan ``src`` into tokens; the last one is always ``EOF``."""
    return Lexer(src).tokens()

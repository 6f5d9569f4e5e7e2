"""Tokeniser for HCL v1 native syntax, drawing token boundaries exactly where hcl v1 does.

Users' files were written against hashicorp/hcl v1.0.0, and its scanner has
habits that change what a file means, so they are reproduced here:

* identifiers may contain ``-`` and ``.``; a ``-`` directly in front of a
  digit starts a number; numbers keep their source text (a string field
  gets ``"0x10"`` for ``port = 0x10``);
* an exponent without digits swallows the next character (``1e}`` is one
  token), a fraction after ``.`` is read with a peek, ``08`` is a number
  (``018`` is an error), ``0x`` without digits is an error;
* strings may contain raw newlines only inside ``${ }``; escapes are checked
  (``\\q`` is an error) but only unquoted when the value is used;
* heredocs end at a line holding only the marker (plus blanks before it and
  carriage returns after it); their value is cut out of the token by byte
  arithmetic (see :mod:`.literals`);
* NUL characters, U+E123 and invalid UTF-8 are errors anywhere, comments
  included; Windows line ends are normalised by the parser before scanning.

Scanning stops at the first error: hcl v1 then rejects the file whatever
else it finds.
"""

from __future__ import annotations

from bisect import bisect_right

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


EOF = ""  # what the cursor returns past the end
_SINGLE = {
    "[": Tok.LBRACK,
    "]": Tok.RBRACK,
    "{": Tok.LBRACE,
    "}": Tok.RBRACE,
    ",": Tok.COMMA,
    "=": Tok.ASSIGN,
    "+": Tok.ADD,
}
_WHITESPACE = frozenset(" \t\n\r")
_STRING_SPECIAL = frozenset('"\\$\n')
_HEREDOC_SPACE = "\t\n\v\f\r "  # Go regexp's [[:space:]]


def is_letter(ch: str) -> bool:
    """Go's ``isLetter``: ASCII letters, ``_``, or a Unicode letter."""
    if "a" <= ch <= "z" or "A" <= ch <= "Z" or ch == "_":
        return True
    return ch >= "\x80" and ch.isalpha()


def is_digit(ch: str) -> bool:
    """Go's ``isDigit``: ASCII digits or a Unicode decimal digit."""
    if "0" <= ch <= "9":
        return True
    if ch < "\x80":
        return False
    import unicodedata

    return unicodedata.category(ch) == "Nd"


def _forbidden(src: str) -> int | None:
    """Where the first character hcl v1's scanner refuses is: NUL, U+E123, or invalid
    UTF-8 (which reaches us as a lone surrogate: files are decoded with surrogateescape)."""
    found = [i for i in (src.find("\x00"), src.find("\ue123")) if i >= 0]
    if not src.isascii():
        try:
            src.encode("utf-8")
        except UnicodeEncodeError as exc:
            found.append(exc.start)
    return min(found) if found else None


def closes_heredoc(line: str, marker: str) -> bool:
    """hcl v1's test for a heredoc's last line: ``^[[:space:]]*MARKER\\r*$``."""
    rest = line.lstrip(_HEREDOC_SPACE)
    return rest.startswith(marker) and not rest[len(marker) :].strip("\r")


def is_decimal(ch: str) -> bool:
    return "0" <= ch <= "9" and ch != ""


def digit_value(ch: str) -> int:
    if "0" <= ch <= "9" and ch:
        return ord(ch) - 48
    if "a" <= ch <= "f":
        return ord(ch) - 87
    if "A" <= ch <= "F":
        return ord(ch) - 55
    return 16


class Lines:
    """Turns string offsets into 1-based line and column positions."""

    __slots__ = ("starts",)

    def __init__(self, src: str) -> None:
        starts = [0]
        find = src.find
        index = find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = find("\n", index + 1)
        self.starts = starts

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset)
        return Pos(line, offset - self.starts[line - 1] + 1)


class CommonScanning:
    """What hcl v1's two scanners (HCL and its JSON flavour) do alike: a number's digits,
    fraction and exponent, and which escapes a string may hold. Each brings its own
    cursor, its own rule for an escape's digits at the end of input and its own words for
    an illegal escape."""

    i: int

    def next(self) -> str:
        raise NotImplementedError

    def unread(self) -> None:
        raise NotImplementedError

    def peek(self) -> str:
        raise NotImplementedError

    def _escape_digits(self, ch: str, base: int, count: int, at: int) -> None:
        raise NotImplementedError

    def _illegal_escape(self, ch: str, at: int) -> Exception:
        raise NotImplementedError

    def _escape(self) -> None:
        at = self.i - 1
        ch = self.next()
        if ch and ch in 'abfnrtv\\"':
            return
        if ch and ch in "01234567":
            self._escape_digits(ch, 8, 3, at)
        elif ch == "x":
            self._escape_digits(self.next(), 16, 2, at)
        elif ch == "u":
            self._escape_digits(self.next(), 16, 4, at)
        elif ch == "U":
            self._escape_digits(self.next(), 16, 8, at)
        else:
            raise self._illegal_escape(ch, at)

    def _mantissa(self, ch: str) -> str:
        scanned = False
        while is_decimal(ch):
            ch = self.next()
            scanned = True
        if scanned and ch != EOF:
            self.unread()
        return ch

    def _fraction(self, ch: str) -> str:
        if ch == ".":
            ch = self._mantissa(self.peek())
        return ch

    def _exponent(self, ch: str) -> str:
        if ch in ("e", "E") and ch:
            ch = self.next()
            if ch in ("-", "+") and ch:
                ch = self.next()
            ch = self._mantissa(ch)
        return ch


class Scanner(CommonScanning):
    """A cursor with hcl v1's ``next``/``unread``/``peek`` and its token scanners."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.i = 0
        self.prev = 0
        self.lines = Lines(src)
        bad = _forbidden(src)
        if bad is not None:
            raise HclSyntaxError(self.lines.pos(bad), _forbidden_message(src[bad]))

    # -- cursor ---------------------------------------------------------------------
    def next(self) -> str:
        if self.i >= self.n:
            return EOF
        self.prev = self.i
        ch = self.src[self.i]
        self.i += 1
        return ch

    def unread(self) -> None:
        self.i = self.prev

    def peek(self) -> str:
        return self.src[self.i] if self.i < self.n else EOF

    def fail(self, message: str, offset: int | None = None) -> HclSyntaxError:
        return HclSyntaxError(self.lines.pos(self.i if offset is None else offset), message)

    # -- tokens ---------------------------------------------------------------------
    def tokens(self) -> list[Token]:
        """Scan everything; comments are dropped, the last token is ``EOF``."""
        out: list[Token] = []
        src = self.src
        pos = self.lines.pos
        n = self.n
        while True:
            i = self.i
            while i < n and src[i] in _WHITESPACE:
                i += 1
            self.i = start = i
            if start >= self.n:
                out.append(Token(Tok.EOF, "", pos(start)))
                return out
            kind = self._scan()
            if kind is not None:
                out.append(Token(kind, src[start : self.i], pos(start)))

    def _scan(self) -> str | None:
        """One token from the cursor; ``None`` for a comment."""
        start = self.i
        ch = self.next()
        if is_letter(ch):
            src, n = self.src, self.n
            j = self.i
            while j < n and (is_letter(src[j]) or is_digit(src[j]) or src[j] in "-."):
                j += 1
            self.i = j
            return Tok.BOOL if src[start:j] in ("true", "false") else Tok.IDENT
        if is_decimal(ch):
            return self._number(ch)
        if ch == '"':
            src, n = self.src, self.n
            j = self.i
            while j < n and src[j] not in _STRING_SPECIAL:
                j += 1
            if j < n and src[j] == '"':  # the common case: no escapes, no ${ }
                self.i = j + 1
            else:
                self._string(start)
            return Tok.STRING
        if ch == "#" or ch == "/":
            self._comment(ch, start)
            return None
        if ch == ".":
            if is_decimal(self.peek()):
                ch = self._mantissa(self.peek())
                self._exponent(ch)
                return Tok.FLOAT
            return Tok.PERIOD
        if ch == "<":
            self._heredoc(start)
            return Tok.HEREDOC
        if ch == "-":
            if is_decimal(self.peek()):
                return self._number(self.next())
            return Tok.SUB
        kind = _SINGLE.get(ch)
        if kind is None:
            raise self.fail(f"illegal character {ch!r}", start)
        return kind

    # -- comments -----------------------------------------------------------------
    def _comment(self, ch: str, start: int) -> None:
        if ch == "#" or self.peek() == "/":
            end = self.src.find("\n", self.i)
            self.i = self.n if end < 0 else end
            return
        if self.peek() != "*":
            raise self.fail("illegal character '/' (comments start with '//' or '/*')", start)
        end = self.src.find("*/", self.i + 1)
        if end < 0:
            raise self.fail(
                f"comment opened at {self.lines.pos(start)} is not terminated (missing '*/')",
                self.n,
            )
        self.i = end + 2

    # -- numbers ------------------------------------------------------------------
    def _number(self, ch: str) -> str:
        start = self.prev
        if ch == "0":
            ch = self.next()
            if ch in ("x", "X") and ch:
                ch = self.next()
                found = False
                while ch and ch in "0123456789abcdefABCDEF":
                    ch = self.next()
                    found = True
                if not found:
                    raise self.fail("illegal hexadecimal number (0x needs digits)", start)
                if ch != EOF:
                    self.unread()
                return Tok.NUMBER
            illegal_octal = False
            while is_decimal(ch):
                ch = self.next()
                if ch in ("8", "9") and ch:
                    illegal_octal = True
            if ch in ("e", "E") and ch:
                self._exponent(ch)
                return Tok.FLOAT
            if ch == ".":
                ch = self._fraction(ch)
                if ch in ("e", "E") and ch:
                    ch = self.next()
                    self._exponent(ch)
                return Tok.FLOAT
            if illegal_octal:
                raise self.fail("illegal octal number (a leading 0 means octal: digits 0-7)", start)
            if ch != EOF:
                self.unread()
            return Tok.NUMBER
        self._mantissa(ch)
        ch = self.next()
        if ch in ("e", "E") and ch:
            self._exponent(ch)
            return Tok.FLOAT
        if ch == ".":
            ch = self._fraction(ch)
            if ch in ("e", "E") and ch:
                ch = self.next()
                self._exponent(ch)
            return Tok.FLOAT
        if ch != EOF:
            self.unread()
        return Tok.NUMBER

    # -- strings ------------------------------------------------------------------
    def _string(self, start: int) -> None:
        braces = 0
        while True:
            ch = self.next()
            if (ch == "\n" and braces == 0) or ch == EOF:
                raise self.fail(
                    f"string started at {self.lines.pos(start)} is not terminated "
                    "(missing closing '\"')",
                    self.prev if ch else self.n,
                )
            if ch == '"' and braces == 0:
                return
            if braces == 0 and ch == "$" and self.peek() == "{":
                braces += 1
                self.next()
            elif braces > 0 and ch == "{":
                braces += 1
            if braces > 0 and ch == "}":
                braces -= 1
            if ch == "\\":
                self._escape()

    def _illegal_escape(self, ch: str, at: int) -> HclSyntaxError:
        shown = f"\\{ch}" if ch else "\\"
        return self.fail(
            f"illegal escape sequence '{shown}' in string (valid: \\n \\t \\r \\\" \\\\ "
            "\\a \\b \\f \\v \\NNN \\xNN \\uNNNN \\UNNNNNNNN)",
            at,
        )

    def _escape_digits(self, ch: str, base: int, count: int, at: int) -> None:
        start = count
        while count > 0 and digit_value(ch) < base:
            ch = self.next()
            if ch == EOF:
                break
            count -= 1
        if count > 0:
            raise self.fail("illegal escape sequence in string (too few digits)", at)
        if count != start and ch != EOF:
            self.unread()

    # -- heredocs -----------------------------------------------------------------
    def _heredoc(self, start: int) -> None:
        if self.next() != "<":
            raise self.fail("illegal character '<' (a heredoc starts with '<<')", start)
        ident_start = self.i
        ch = self.next()
        if ch == "-":
            ch = self.next()
        while ch and (is_letter(ch) or is_digit(ch)):
            ch = self.next()
        if ch == EOF:
            raise self.fail(f"heredoc started at {self.lines.pos(start)} is not terminated")
        if ch == "\r" and self.peek() == "\n":
            ch = self.next()
        if ch != "\n":
            raise self.fail(
                "invalid characters in heredoc anchor (write <<NAME and end the line there)",
                self.prev,
            )
        ident = self.src[ident_start : self.i - 1]
        if ident in ("", "-"):
            raise self.fail("zero-length heredoc anchor (write <<NAME)", start)
        marker = ident[1:] if ident[0] == "-" else ident
        ident_bytes = len(ident.encode("utf-8"))
        src = self.src
        line_start = self.i
        while True:
            newline = src.find("\n", line_start)
            if newline < 0:
                raise self.fail(
                    f"heredoc started at {self.lines.pos(start)} is not terminated "
                    f"(missing a line holding only {marker.rstrip(chr(13))!r})",
                    self.n,
                )
            line = src[line_start:newline]
            if len(line.encode("utf-8")) >= ident_bytes and closes_heredoc(line, marker):
                self.i = newline + 1
                return
            line_start = newline + 1


def _forbidden_message(ch: str) -> str:
    if ch == "\x00":
        return "unexpected NUL character (0x00) in the file"
    if ch == "\ue123":
        return "the character U+E123 is reserved (hcl v1 refuses it)"
    return f"invalid UTF-8 (byte 0x{ord(ch) - 0xDC00:02x}); save the file as UTF-8"


def tokenize(src: str) -> list[Token]:
    """Scan ``src`` into tokens; the last one is always ``EOF``."""
    return Scanner(src).tokens()

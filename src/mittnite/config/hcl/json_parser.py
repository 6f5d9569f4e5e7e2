"""The JSON flavour of HCL v1, read exactly as hcl v1.0.0 reads it.

hcl v1 reads a file as JSON when it starts with ``{``. Its JSON reader is far
more tolerant than JSON, and configurations that load with the original must
load the same way here, so its behaviour is reproduced, each tolerance with a
warning (``mittnite validate`` shows them):

* scanning is lazy: whatever follows the top-level object is never read;
  the end of the file (or a NUL character) ends every open object quietly;
* after an entry, any token other than ``,`` ends the object - ``]``, a
  string, a number alike - and that token is used up;
* an error right before a ``}`` is ignored together with its entry, so
  ``{"a": 1,}`` and ``{"a": }`` load;
* in lists, booleans are dropped, ``[`` is ignored (so a nested list's
  elements join the outer list and its ``]`` ends it), ``null`` is an error;
* several keys may precede ``:`` (``"job" "web": {...}``); ``null`` elsewhere
  is an empty string; numbers with a fraction or an exponent are floats,
  ``01`` is an error (and so, by a quirk, is a lone ``0`` at the very end);
  strings are unquoted with Go's rules when used, and escapes are those of
  HCL (``\\/`` is refused).

JSON has no block labels, so after parsing, objects whose members are all
objects are flattened into labelled items (``{"job": {"web": {...}}}``
becomes ``job "web" {...}``) and lists of objects into one item per element,
with hcl v1's exact algorithm.
"""

from __future__ import annotations

from .ast import Key, ListNode, Literal, ObjectItem, ObjectList, ObjectNode
from .errors import HclSyntaxError, Pos
from .lexer import EOF, CommonScanning, Lines, Tok, digit_value, is_digit, is_letter
from .parser import MAX_DEPTH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .ast import Node

    WarnFn = Callable[[Pos, str], None]

_DESCRIBE = {
    "eof": "the end of the file",
    "string": "a string",
    "number": "a number",
    "float": "a number",
    "bool": "a boolean",
    "null": "null",
}


class _ScanError(HclSyntaxError):
    """A lexical error: hcl v1 rejects the file whatever the parser made of it."""


class _TrailingComma(HclSyntaxError):
    """``,`` right before ``}``: invalid JSON that hcl v1 (harmlessly) accepts."""


class _EndOfFile(Exception):
    """hcl v1's ``errEofToken``: the input ended (quietly closing everything open)."""


class _Scanner(CommonScanning):
    """hcl v1's JSON scanner: a cursor with ``next``/``unread``/``peek`` and lazy tokens."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.i = 0
        self.prev = 0
        self.eof_reads = 0
        self.lines = Lines(src)
        self.nul_at: int | None = None

    def next(self) -> str:
        if self.i >= self.n:
            self.eof_reads += 1
            return EOF
        ch = self.src[self.i]
        if "\udc80" <= ch <= "\udcff":
            raise self.fail("invalid UTF-8 in the file; save it as UTF-8", self.i)
        self.prev = self.i
        self.i += 1
        if ch == "\x00":
            if self.nul_at is None:
                self.nul_at = self.prev
            return EOF  # Go's scanner reads NUL as its end-of-input marker
        return ch

    def unread(self) -> None:
        self.i = self.prev

    def peek(self) -> str:
        if self.i >= self.n:
            return EOF
        ch = self.src[self.i]
        return EOF if ch == "\x00" else ch

    def fail(self, message: str, offset: int) -> _ScanError:
        return _ScanError(self.lines.pos(offset), message)

    def scan(self) -> tuple[str, str, int]:
        """The next token: ``(kind, text, start offset)``."""
        ch = self.next()
        while ch in (" ", "\t", "\n", "\r") and ch:
            ch = self.next()
        start = self.prev if ch else self.i
        if ch == EOF:
            return "eof", "", start
        if is_letter(ch):
            while True:
                c = self.next()
                if not (c and (is_letter(c) or is_digit(c) or c == "-")):
                    break
            if c != EOF:
                self.unread()
            word = self.src[start : self.i]
            if word in ("true", "false"):
                return "bool", word, start
            if word == "null":
                return "null", word, start
            raise self.fail(f"unexpected word {word!r} (JSON knows true, false and null)", start)
        if "0" <= ch <= "9":
            return self._number(ch, start), self.src[start : self.i], start
        if ch == '"':
            self._string(start)
            return "string", self.src[start : self.i], start
        if ch == ".":
            if "0" <= self.peek() <= "9" and self.peek():
                self._exponent(self._mantissa(self.peek()))
                return "float", self.src[start : self.i], start
            return ".", ".", start
        if ch in "[]{},:":
            return ch, ch, start
        if ch == "-":
            if "0" <= self.peek() <= "9" and self.peek():
                kind = self._number(self.next(), start)
                return kind, self.src[start : self.i], start
            raise self.fail("'-' must be followed by a digit", start)
        raise self.fail(f"illegal character {ch!r} in JSON", start)

    # -- numbers ------------------------------------------------------------------
    def _number(self, ch: str, start: int) -> str:
        zero = ch == "0"
        after_first = (self.i, self.eof_reads)
        self._mantissa(ch)
        ch = self.next()
        if ch in ("e", "E") and ch:
            self._exponent(ch)
            return "float"
        if ch == ".":
            ch = self._fraction(ch)
            if ch in ("e", "E") and ch:
                ch = self.next()
                self._exponent(ch)
            return "float"
        if ch != EOF:
            self.unread()
        if zero and (self.i, self.eof_reads) != after_first:
            raise self.fail("numbers cannot start with 0 in JSON", start)
        return "number"

    # -- strings ------------------------------------------------------------------
    def _string(self, start: int) -> None:
        while True:
            ch = self.next()
            if ch == "\n" or ch == EOF:
                raise self.fail(
                    f"string started at {self.lines.pos(start)} is not terminated "
                    "(missing closing '\"')",
                    self.prev if ch else self.n,
                )
            if ch == '"':
                return
            if ch == "\\":
                self._escape()

    def _illegal_escape(self, ch: str, at: int) -> _ScanError:
        return self.fail(
            f"illegal escape sequence '\\{ch}' in string (hcl v1 knows \\n \\t \\r \\\" "
            "\\\\ \\a \\b \\f \\v \\NNN \\xNN \\uNNNN \\UNNNNNNNN; not \\/)",
            at,
        )

    def _escape_digits(self, ch: str, base: int, count: int, at: int) -> None:
        eof_reads = self.eof_reads
        while count > 0 and digit_value(ch) < base:
            ch = self.next()
            count -= 1
        if count > 0 or self.eof_reads != eof_reads:
            raise self.fail("illegal escape sequence in string (too few digits)", at)
        self.unread()


class _Parser:
    """hcl v1's JSON parser, decision by decision; tolerated garbage is reported."""

    def __init__(self, src: str, warn: WarnFn) -> None:
        self.scanner = _Scanner(src)
        self.warn = warn
        self.last: tuple[str, str, int] = ("eof", "", 0)
        self.depth = 0
        self.truncated = False
        self.derailed = False

    def pos(self, offset: int) -> Pos:
        return self.scanner.lines.pos(offset)

    def scan(self) -> tuple[str, str, int]:
        self.last = self.scanner.scan()
        return self.last

    def describe(self, token: tuple[str, str, int]) -> str:
        kind, text, _ = token
        if kind in ("string", "number", "float", "bool"):
            shown = text if len(text) <= 40 else text[:37] + "..."
            return f"{_DESCRIBE[kind]} {shown}"
        return _DESCRIBE.get(kind, f"'{text}'")

    def document(self) -> ObjectList:
        token = self.scan()
        if token[0] != "{":
            raise HclSyntaxError(
                self.pos(token[2]), "a JSON configuration must be an object ('{ ... }')"
            )
        node = self.object_type(token)
        scanner = self.scanner
        if scanner.nul_at is not None:
            self.warn(
                self.pos(scanner.nul_at),
                "a NUL character ends the file here for hcl v1; everything after it is ignored",
            )
        elif self.truncated:
            self.warn(
                self.pos(scanner.n),
                "the file ends before every '{' is closed; hcl v1 (and so mittnite) closes "
                "them silently",
            )
        else:
            rest = scanner.src[scanner.i :].strip(" \t\r\n")
            if rest:
                self.warn(
                    self.pos(scanner.i + scanner.src[scanner.i :].index(rest[0])),
                    "content after the end of the configuration object is ignored",
                )
        return node.body

    def enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _ScanError(
                self.pos(offset), f"nesting is deeper than {MAX_DEPTH} levels", stricter="nesting-depth"
            )

    def object_type(self, opened: tuple[str, str, int]) -> ObjectNode:
        self.enter(opened[2])
        items, error = self.object_list()
        if error is not None:
            if self.last[0] != "}":
                raise error
            if not isinstance(error, _TrailingComma):  # nothing is lost by a trailing comma
                self.warn(
                    error.pos, f"{error.message}; hcl v1 ignores this entry and the '}}' after it"
                )
        self.depth -= 1
        return ObjectNode(ObjectList(items, self.pos(opened[2])), self.pos(opened[2]))

    def object_list(self) -> tuple[list[ObjectItem], HclSyntaxError | None]:
        items: list[ObjectItem] = []
        while True:
            try:
                item = self.object_item()
            except _EndOfFile:
                self.truncated = True
                break
            except _ScanError:
                raise
            except HclSyntaxError as exc:
                return items, exc
            items.append(item)
            token = self.scan()
            if token[0] == ",":
                continue
            if token[0] == "eof":
                self.truncated = True
            elif token[0] != "}" and not self.derailed:
                # The enclosing objects then end at the next tokens, whatever they are:
                # one warning says it all.
                self.derailed = True
                self.warn(
                    self.pos(token[2]),
                    f"expected ',' or '}}' after this entry, found {self.describe(token)}: "
                    "hcl v1 ends the object here (taking this token as its end) and the "
                    "enclosing ones at the next tokens; the rest of the file is not read as "
                    "intended",
                )
            break
        return items, None

    def object_item(self) -> ObjectItem:
        keys: list[Key] = []
        while True:
            kind, text, offset = self.scan()
            if kind == "eof":
                raise _EndOfFile
            if kind == "string":
                keys.append(Key(text, self.pos(offset), quoted=True, json=True))
            elif kind == ":":
                if not keys:
                    raise HclSyntaxError(self.pos(offset), "expected a quoted key before ':'")
                break
            elif kind == "}" and not keys:
                raise _TrailingComma(self.pos(offset), "expected a quoted key, found '}'")
            else:
                raise HclSyntaxError(
                    self.pos(offset),
                    f"expected a quoted key, found {self.describe((kind, text, offset))}",
                )
        value = self.object_value(keys)
        return ObjectItem(keys, value, True, keys[0].pos)

    def object_value(self, keys: list[Key]) -> Node:
        token = self.scan()
        kind, text, offset = token
        literal = _literal(kind, text, self.pos(offset))
        if literal is not None:
            return literal
        if kind == "{":
            return self.object_type(token)
        if kind == "[":
            return self.list_type(token)
        if kind == "eof":
            raise _EndOfFile
        raise HclSyntaxError(
            self.pos(offset),
            f"expected a value after {keys[-1].text}: (a string, number, boolean, null, "
            f"list or object), found {self.describe(token)}",
        )

    def list_type(self, opened: tuple[str, str, int]) -> ListNode:
        self.enter(opened[2])
        items: list[Node] = []
        while True:
            token = self.scan()
            kind, text, offset = token
            if kind in ("number", "float", "string"):
                literal = _literal(kind, text, self.pos(offset))
                assert literal is not None
                items.append(literal)
            elif kind == ",":
                continue
            elif kind == "{":
                items.append(self.object_type(token))
            elif kind == "bool":
                self.warn(
                    self.pos(offset),
                    f"the boolean {text} in this list is dropped (hcl v1 ignores booleans "
                    "in JSON lists); quote it if you mean the string",
                )
            elif kind == "[":
                self.warn(
                    self.pos(offset),
                    "'[' inside a list is ignored by hcl v1's JSON reader: the inner "
                    "elements join this list and the inner ']' ends it",
                )
            elif kind == "]":
                self.depth -= 1
                return ListNode(items, self.pos(opened[2]))
            else:
                hint = " (null is not allowed in lists)" if kind == "null" else ""
                raise HclSyntaxError(
                    self.pos(offset),
                    f"expected a list element or ']', found {self.describe(token)}{hint}",
                )


def _literal(kind: str, text: str, pos: Pos) -> Literal | None:
    if kind == "string":
        return Literal(Tok.STRING, text, pos, json=True)
    if kind == "number":
        return Literal(Tok.NUMBER, text, pos)
    if kind == "float":
        return Literal(Tok.FLOAT, text, pos)
    if kind == "bool":
        return Literal(Tok.BOOL, text, pos)
    if kind == "null":
        return Literal(Tok.STRING, "", pos)
    return None


def _flatten(body: ObjectList) -> None:
    """hcl v1's ``flattenObjects`` for one object list, then everything below it."""
    items: list[ObjectItem] = []
    frontier = list(body.items)
    while frontier:
        item = frontier.pop()
        value = item.value
        if isinstance(value, ObjectNode):
            subs = value.body.items
            if subs and all(isinstance(sub.value, ObjectNode) for sub in subs):
                frontier.extend(
                    ObjectItem(item.keys + sub.keys, sub.value, item.assign, item.pos)
                    for sub in subs
                )
                continue
        elif isinstance(value, ListNode):
            elems = value.items
            if elems and all(isinstance(elem, ObjectNode) for elem in elems):
                frontier.extend(
                    ObjectItem(item.keys, elem, item.assign, item.pos) for elem in elems
                )
                continue
        items.append(item)
    items.reverse()
    body.items = items
    for item in items:
        _flatten_node(item.value)


def _flatten_node(node: Node) -> None:
    if isinstance(node, ObjectNode):
        _flatten(node.body)
    elif isinstance(node, ListNode):
        for elem in node.items:
            _flatten_node(elem)


def _ignore(pos: Pos, message: str) -> None:
    return None


def parse_json(src: str, warn: WarnFn | None = None) -> ObjectList:
    """Parse an HCL-JSON document into the tree the native parser produces."""
    body = _Parser(src, warn or _ignore).document()
    _flatten(body)
    return body

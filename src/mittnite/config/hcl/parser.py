"""Recursive-descent parser for HCL v1 native syntax, accepting what hcl v1 accepts.

It follows hcl v1.0.0's parser decision by decision (optional commas between
items and after list elements, lists of lists without commas, booleans in
lists, several keys on a block, Windows line ends normalised first), so a
configuration means here what it meant to the original. Where hcl v1 accepts
input only by accident, we refuse it with a message (see
:data:`.errors.STRICTER_THAN_HCL`, listed in the README):

* ``key =`` at the very end of a file (hcl v1 drops the key);
* a malformed value right before a ``}`` (hcl v1 drops the entry and uses
  the ``}`` up, so a following ``}`` closes the block);
* nesting deeper than :data:`MAX_DEPTH`.

Errors name what was expected in plain words and point at the offending token.
"""

from __future__ import annotations

from .ast import Key, ListNode, Literal, ObjectItem, ObjectList, ObjectNode
from .errors import HclSyntaxError, Pos
from .lexer import Tok, Token, tokenize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .ast import Node

_LITERALS = (Tok.NUMBER, Tok.FLOAT, Tok.BOOL, Tok.STRING, Tok.HEREDOC)

# Deeper nesting than this is certainly a mistake, and it keeps recursion
# (here and in the decoder) far away from Python's stack limit.
MAX_DEPTH = 100


class _EndOfFile(Exception):
    """hcl v1's ``errEofToken``: the input ended where an item could start."""


class _KeyWithoutValue(HclSyntaxError):
    """Keys followed by something other than ``=`` or ``{``: an error for hcl v1 too,
    even right before a ``}`` (its parser makes sure of that)."""


class Parser:
    """Parses one document; use :func:`parse`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self._last = tokens[0]  # the token scanned most recently (hcl v1's ``p.tok``)
        self._stepped = False

    # -- token cursor (hcl v1's scan/unscan) ---------------------------------------------
    def _scan(self) -> Token:
        tok = self.tokens[self.i]
        self._stepped = tok.kind != Tok.EOF
        if self._stepped:
            self.i += 1
        self._last = tok
        return tok

    def _unscan(self) -> None:
        if self._stepped:
            self.i -= 1
            self._stepped = False

    def _enter(self, opened: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise HclSyntaxError(
                opened.pos, f"nesting is deeper than {MAX_DEPTH} levels", stricter="nesting-depth"
            )

    # -- structure ------------------------------------------------------------------------
    def parse_document(self) -> ObjectList:
        body = ObjectList(pos=self.tokens[0].pos)
        while True:
            try:
                item = self._item()
            except _EndOfFile:
                return body
            body.items.append(item)
            if self._scan().kind != Tok.COMMA:
                self._unscan()

    def _object_body(self, opened: Token) -> ObjectNode:
        """After ``{``: items up to the matching ``}``."""
        self._enter(opened)
        body = ObjectList(pos=opened.pos)
        try:
            while True:
                tok = self._scan()
                self._unscan()
                if tok.kind == Tok.RBRACE:
                    break
                try:
                    item = self._item()
                except _EndOfFile:
                    break
                body.items.append(item)
                if self._scan().kind != Tok.COMMA:
                    self._unscan()
        except HclSyntaxError as exc:
            swallowed = not isinstance(exc, _KeyWithoutValue)
            if swallowed and self._last.kind == Tok.RBRACE and exc.stricter is None:
                # hcl v1 ignores this error, and with it the entry and this '}'.
                exc.stricter = "swallowed-brace"
            raise
        tok = self._scan()
        if tok.kind != Tok.RBRACE:
            raise HclSyntaxError(
                tok.pos,
                f"the block opened with '{{' at {opened.pos} is never closed "
                f"(expected '}}', found {tok.describe()})",
            )
        self.depth -= 1
        return ObjectNode(body, opened.pos, tok.pos)

    def _item(self) -> ObjectItem:
        keys: list[Key] = []
        start = self.tokens[self.i].pos
        while True:
            tok = self._scan()
            kind = tok.kind
            if kind == Tok.IDENT:
                keys.append(Key(tok.text, tok.pos))
            elif kind == Tok.STRING:
                keys.append(Key(tok.text, tok.pos, quoted=True))
            elif kind == Tok.ASSIGN:
                if not keys:
                    raise HclSyntaxError(tok.pos, "found '=' without a key in front of it")
                if len(keys) > 1:
                    raise HclSyntaxError(
                        tok.pos,
                        f"'{_key_text(keys)} =' is not valid: only a block "
                        f"('{_key_text(keys)} {{ ... }}') may have more than one key",
                    )
                return ObjectItem(keys, self._value(tok, keys), True, start)
            elif kind == Tok.LBRACE:
                if not keys:
                    raise HclSyntaxError(
                        tok.pos, "found '{' where a key was expected (a block needs a name)"
                    )
                return ObjectItem(keys, self._object_body(tok), False, start)
            elif kind == Tok.EOF and not keys:
                raise _EndOfFile
            elif keys:
                raise _KeyWithoutValue(
                    tok.pos,
                    f"key '{_key_text(keys)}' must be followed by '=' and a value, or by "
                    f"a block '{{ ... }}' (found {tok.describe()})",
                )
            else:
                raise HclSyntaxError(
                    tok.pos, f"expected a key (a name or a string), found {tok.describe()}"
                )

    def _value(self, assign: Token, keys: list[Key]) -> Node:
        tok = self._scan()
        if tok.kind in _LITERALS:
            return Literal(tok.kind, tok.text, tok.pos)
        if tok.kind == Tok.LBRACE:
            return self._object_body(tok)
        if tok.kind == Tok.LBRACK:
            return self._list(tok)
        message = (
            f"expected a value after '{_key_text(keys)} =' (a string, number, boolean, "
            f"list or object), found {tok.describe()}"
        )
        if tok.kind == Tok.EOF:
            # hcl v1 drops a value-less assignment at the end of the file silently
            # (inside a block the missing '}' is an error there too).
            raise HclSyntaxError(
                tok.pos, message, stricter="dangling-assignment" if self.depth == 0 else None
            )
        raise HclSyntaxError(tok.pos, message)

    def _list(self, opened: Token) -> ListNode:
        self._enter(opened)
        items: list[Node] = []
        need_comma = False
        while True:
            tok = self._scan()
            kind = tok.kind
            if need_comma and kind not in (Tok.COMMA, Tok.RBRACK):
                raise HclSyntaxError(
                    tok.pos,
                    f"expected ',' or ']' in the list opened at {opened.pos}, "
                    f"found {tok.describe()}",
                )
            if kind in _LITERALS:
                items.append(Literal(kind, tok.text, tok.pos))
                need_comma = True
            elif kind == Tok.COMMA:
                need_comma = False
            elif kind == Tok.LBRACE:
                items.append(self._object_body(tok))
                need_comma = True
            elif kind == Tok.LBRACK:
                # hcl v1 does not require a comma after a nested list.
                items.append(self._list(tok))
            elif kind == Tok.RBRACK:
                self.depth -= 1
                return ListNode(items, opened.pos)
            elif kind == Tok.EOF:
                raise HclSyntaxError(
                    tok.pos, f"the list opened with '[' at {opened.pos} is never closed"
                )
            else:
                raise HclSyntaxError(
                    tok.pos, f"expected a list element or ']', found {tok.describe()}"
                )


def _key_text(keys: list[Key]) -> str:
    return " ".join(k.text for k in keys)


def parse(src: str) -> ObjectList:
    """Parse HCL native syntax into an :class:`ObjectList`.

    Raises :class:`HclSyntaxError` (without a file name; the caller adds it).
    """
    if "\r\n" in src:
        src = src.replace("\r\n", "\n")  # hcl v1 normalises line ends before scanning
    return Parser(tokenize(src)).parse_document()


# Go's unicode.IsSpace: what hcl v1 skips when it looks for the '{' that
# makes a file JSON. Python's str.isspace() also counts \x1c-\x1f.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def is_json(src: str) -> bool:
    """hcl v1's choice: JSON when the first non-blank character is ``{``."""
    for ch in src:
        if ch not in _GO_SPACE:
            return ch == "{"
    return False


def parse_any(src: str, warn: Callable[[Pos, str], None] | None = None) -> ObjectList:
    """Parse HCL native or HCL-JSON, chosen as hcl v1 chooses.

    ``warn`` receives what the JSON flavour tolerates (native syntax has no
    such leniency: what hcl v1 accepts there is valid or refused on purpose).
    """
    if is_json(src):
        from .json_parser import parse_json

        return parse_json(src, warn)
    return parse(src)


__all__ = ["Pos", "is_json", "parse", "parse_any"]

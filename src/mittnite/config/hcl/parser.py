"""Recursive-descent parser for HCL v1 native syntax.

It accepts what hashicorp/hcl v1 accepts for well-formed files (optional
commas between items and after list elements, lists of lists without commas,
quoted or bare keys, multi-key blocks) and rejects malformed input at the
first real mistake with a message saying what was expected, where hcl v1
often reports a confusing position or silently drops a dangling ``key =``.
"""

from __future__ import annotations

from .ast import Key, ListNode, Literal, ObjectItem, ObjectList, ObjectNode
from .errors import HclSyntaxError, Pos
from .lexer import Tok, Token, tokenize
from .literals import heredoc_value, unquote_string

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .ast import Node

_LITERALS = (Tok.NUMBER, Tok.FLOAT, Tok.BOOL, Tok.STRING, Tok.HEREDOC)

# Deeper nesting than this is certainly a mistake, and it keeps recursion
# (here and in the decoder) far away from Python's stack limit.
MAX_DEPTH = 100


class Parser:
    """Parses one document; use :func:`parse`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def _peek(self) -> Token:
        return self.tokens[self.i]

    def _enter(self, opened: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise HclSyntaxError(opened.pos, f"nesting is deeper than {MAX_DEPTH} levels")

    def _next(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != Tok.EOF:
            self.i += 1
        return tok

    # -- structure ------------------------------------------------------------
    def parse_document(self) -> ObjectList:
        body = ObjectList(pos=self._peek().pos)
        while self._peek().kind != Tok.EOF:
            if self._peek().kind == Tok.RBRACE:
                raise HclSyntaxError(
                    self._peek().pos, "unexpected '}': there is no open block to close here"
                )
            body.items.append(self._item())
            if self._peek().kind == Tok.COMMA:
                self._next()
        return body

    def _object_body(self, opened: Token) -> ObjectNode:
        self._enter(opened)
        body = ObjectList(pos=opened.pos)
        while True:
            tok = self._peek()
            if tok.kind == Tok.RBRACE:
                self._next()
                self.depth -= 1
                return ObjectNode(body, opened.pos, tok.pos)
            if tok.kind == Tok.EOF:
                raise HclSyntaxError(
                    tok.pos,
                    f"the block opened with '{{' at {opened.pos} is never closed "
                    "(missing '}' before the end of the file)",
                )
            body.items.append(self._item())
            if self._peek().kind == Tok.COMMA:
                self._next()

    def _item(self) -> ObjectItem:
        keys: list[Key] = []
        start = self._peek().pos
        while True:
            tok = self._next()
            if tok.kind == Tok.IDENT:
                keys.append(Key(tok.text, tok.pos))
            elif tok.kind == Tok.STRING:
                keys.append(Key(unquote_string(tok.text, tok.pos), tok.pos, quoted=True))
            elif tok.kind == Tok.ASSIGN:
                if not keys:
                    raise HclSyntaxError(tok.pos, "found '=' without a key in front of it")
                if len(keys) > 1:
                    raise HclSyntaxError(
                        tok.pos,
                        f"'{_key_text(keys)} =' is not valid: only a block "
                        f"('{_key_text(keys)} {{ ... }}') may have more than one key",
                    )
                return ObjectItem(keys, self._value(tok, keys), True, start)
            elif tok.kind == Tok.LBRACE:
                if not keys:
                    raise HclSyntaxError(
                        tok.pos, "found '{' where a key was expected (a block needs a name)"
                    )
                return ObjectItem(keys, self._object_body(tok), False, start)
            elif keys and tok.kind in (Tok.EOF, Tok.RBRACE):
                raise HclSyntaxError(
                    tok.pos,
                    f"key '{_key_text(keys)}' must be followed by '=' and a value, or by "
                    f"a block '{{ ... }}' (found {tok.describe()})",
                )
            else:
                expected = "'=', '{' or another key" if keys else "a key (a name or a string)"
                raise HclSyntaxError(tok.pos, f"expected {expected}, found {tok.describe()}")

    def _value(self, assign: Token, keys: list[Key]) -> Node:
        tok = self._next()
        if tok.kind in _LITERALS:
            return _literal(tok)
        if tok.kind == Tok.LBRACE:
            return self._object_body(tok)
        if tok.kind == Tok.LBRACK:
            return self._list(tok)
        raise HclSyntaxError(
            tok.pos,
            f"expected a value after '{_key_text(keys)} =' (a string, number, boolean, "
            f"list or object), found {tok.describe()}",
        )

    def _list(self, opened: Token) -> ListNode:
        self._enter(opened)
        items: list[Node] = []
        need_comma = False
        while True:
            tok = self._next()
            if tok.kind == Tok.RBRACK:
                self.depth -= 1
                return ListNode(items, opened.pos)
            if tok.kind == Tok.COMMA:
                need_comma = False
                continue
            if need_comma:
                raise HclSyntaxError(
                    tok.pos,
                    f"expected ',' or ']' in the list opened at {opened.pos}, "
                    f"found {tok.describe()}",
                )
            if tok.kind in _LITERALS:
                items.append(_literal(tok))
                need_comma = True
            elif tok.kind == Tok.LBRACE:
                items.append(self._object_body(tok))
                need_comma = True
            elif tok.kind == Tok.LBRACK:
                # hcl v1 does not require a comma after a nested list.
                items.append(self._list(tok))
            elif tok.kind == Tok.EOF:
                raise HclSyntaxError(
                    tok.pos, f"the list opened with '[' at {opened.pos} is never closed"
                )
            else:
                raise HclSyntaxError(
                    tok.pos, f"expected a list element or ']', found {tok.describe()}"
                )


def _literal(tok: Token) -> Literal:
    if tok.kind == Tok.STRING:
        value = unquote_string(tok.text, tok.pos)
    elif tok.kind == Tok.HEREDOC:
        value = heredoc_value(tok.text)
    else:
        value = tok.text
    return Literal(tok.kind, tok.text, value, tok.pos)


def _key_text(keys: list[Key]) -> str:
    return " ".join(f'"{k.name}"' if k.quoted else k.name for k in keys)


def parse(src: str) -> ObjectList:
    """Parse HCL native syntax into an :class:`ObjectList`.

    Raises :class:`HclSyntaxError` (without a file name; the caller adds it).
    """
    return Parser(tokenize(src)).parse_document()


def parse_any(src: str) -> ObjectList:
    """Parse HCL native or HCL-JSON, chosen as hcl v1 does: JSON when the first
    non-blank character is ``{``."""
    stripped = src.lstrip()
    if stripped.startswith("{"):
        from .json_parser import parse_json

        return parse_json(src)
    return parse(src)


__all__ = ["Pos", "parse", "parse_any"]

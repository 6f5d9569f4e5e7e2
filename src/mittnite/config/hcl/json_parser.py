"""The JSON flavour of HCL v1: parse JSON into the same tree, then flatten it.

hcl v1 reads a file as JSON when it starts with ``{``. JSON has no block
labels, so ``{"job": {"web": {...}}}`` must become ``job "web" { ... }``: an
object whose members are all objects is flattened into labelled items, and a
list made only of objects becomes one item per element. Value rules follow
hcl's JSON scanner: numbers with a fraction or exponent are floats, ``null``
is an empty string, escapes are those of HCL strings (so ``\\/`` is refused).
"""

from __future__ import annotations

from .ast import Key, ListNode, Literal, ObjectItem, ObjectList, ObjectNode
from .errors import HclSyntaxError, Pos
from .lexer import Lexer, Tok
from .literals import unquote_string
from .parser import MAX_DEPTH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .ast import Node


class _JsonLexer(Lexer):
    """Reuses the HCL string and number scanners; adds ``:`` and JSON keywords."""

    def next_json(self) -> tuple[str, str, Pos]:
        while self._peek() in (" ", "\t", "\n", "\r") and self._peek():
            self._advance()
        pos = self._pos()
        start = self.i
        ch = self._peek()
        if ch == "":
            return "eof", "", pos
        if ch in "{}[]:,":
            self._advance()
            return ch, ch, pos
        if ch == '"':
            self._advance()
            self._scan_string(pos)
            return "string", self.src[start : self.i], pos
        if ch == "-" or "0" <= ch <= "9":
            self._advance()
            kind = Tok.NUMBER
            if ch == "-" and not ("0" <= self._peek() <= "9" and self._peek()):
                raise HclSyntaxError(pos, "expected a digit after '-'")
            self._digits("0123456789")
            if self._peek() in (".", "e", "E") and self._peek():
                kind = self._scan_fraction_and_exponent()
            return ("float" if kind == Tok.FLOAT else "number"), self.src[start : self.i], pos
        if ch.isalpha():
            while self._peek().isalpha():
                self._advance()
            word = self.src[start : self.i]
            if word in ("true", "false", "null"):
                return word, word, pos
            raise HclSyntaxError(pos, f"unexpected word {word!r} in JSON")
        raise HclSyntaxError(pos, f"illegal character {ch!r} in JSON")


class _JsonParser:
    def __init__(self, src: str) -> None:
        self.lexer = _JsonLexer(src)
        self.tok = self.lexer.next_json()
        self.depth = 0

    def _advance(self) -> tuple[str, str, Pos]:
        current = self.tok
        self.tok = self.lexer.next_json()
        return current

    def document(self) -> ObjectList:
        kind, _, pos = self._advance()
        if kind != "{":
            raise HclSyntaxError(pos, "a JSON configuration must be an object")
        body = self._object_members(pos)
        if self.tok[0] != "eof":
            raise HclSyntaxError(self.tok[2], "unexpected content after the JSON object")
        return body

    def _object_members(self, opened: Pos) -> ObjectList:
        body = ObjectList(pos=opened)
        while True:
            kind, text, pos = self._advance()
            if kind == "}":
                return body
            if kind == ",":
                continue
            if kind == "eof":
                raise HclSyntaxError(pos, f"the object opened at {opened} is never closed")
            if kind != "string":
                raise HclSyntaxError(pos, f"expected a quoted key or '}}', found {text!r}")
            key = Key(unquote_string(text, pos), pos, quoted=True)
            colon = self._advance()
            if colon[0] != ":":
                raise HclSyntaxError(colon[2], f"expected ':' after the key {text}")
            value = self._value()
            body.items.append(ObjectItem([key], value, True, pos))

    def _value(self) -> Node:
        self.depth += 1
        try:
            return self._value_at_depth()
        finally:
            self.depth -= 1

    def _value_at_depth(self) -> Node:
        kind, text, pos = self._advance()
        if self.depth > MAX_DEPTH:
            raise HclSyntaxError(pos, f"nesting is deeper than {MAX_DEPTH} levels")
        if kind == "{":
            return ObjectNode(self._object_members(pos), pos)
        if kind == "[":
            items: list[Node] = []
            while True:
                if self.tok[0] == "]":
                    self._advance()
                    return ListNode(items, pos)
                if self.tok[0] == ",":
                    self._advance()
                    continue
                if self.tok[0] == "eof":
                    raise HclSyntaxError(self.tok[2], f"the list opened at {pos} is never closed")
                items.append(self._value())
        if kind == "string":
            return Literal(Tok.STRING, text, unquote_string(text, pos), pos)
        if kind == "number":
            return Literal(Tok.NUMBER, text, text, pos)
        if kind == "float":
            return Literal(Tok.FLOAT, text, text, pos)
        if kind in ("true", "false"):
            return Literal(Tok.BOOL, text, text, pos)
        if kind == "null":
            return Literal(Tok.STRING, '""', "", pos)
        raise HclSyntaxError(pos, f"expected a value, found {text or 'the end of the file'!r}")


def _flatten_list(body: ObjectList) -> None:
    """Flatten one object list in place (see the module docstring), then recurse."""
    pending = list(reversed(body.items))
    flat: list[ObjectItem] = []
    while pending:
        item = pending.pop()
        value = item.value
        if (
            isinstance(value, ObjectNode)
            and value.body.items
            and all(isinstance(sub.value, ObjectNode) for sub in value.body.items)
        ):
            expanded = [
                ObjectItem(item.keys + sub.keys, sub.value, item.assign, item.pos)
                for sub in value.body.items
            ]
            pending.extend(reversed(expanded))
        elif (
            isinstance(value, ListNode)
            and value.items
            and all(isinstance(elem, ObjectNode) for elem in value.items)
        ):
            expanded = [ObjectItem(item.keys, elem, item.assign, item.pos) for elem in value.items]
            pending.extend(reversed(expanded))
        else:
            flat.append(item)
    body.items = flat
    for item in flat:
        _flatten_node(item.value)


def _flatten_node(node: Node) -> None:
    if isinstance(node, ObjectNode):
        _flatten_list(node.body)
    elif isinstance(node, ListNode):
        for elem in node.items:
            _flatten_node(elem)


def parse_json(src: str) -> ObjectList:
    """Parse an HCL-JSON document into the tree the native parser produces."""
    body = _JsonParser(src).document()
    _flatten_list(body)
    return body

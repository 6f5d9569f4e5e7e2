"""Syntax tree of an HCL v1 document.

The shapes mirror hcl v1's own tree (object lists, items with one or more
keys, object/list/literal values) because its decoder's quirks - which our
users' configurations depend on - are defined in terms of these shapes.
Plain slotted classes: they are created by the thousand and must be cheap.

A literal's value (and a quoted key's name) is computed when first asked for,
as hcl v1 does: a string that cannot be unquoted is an error only where it
is used.
"""

from __future__ import annotations

from .errors import HclDecodeError, Pos
from .lexer import Tok

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    Node: TypeAlias = "Literal | ListNode | ObjectNode | ObjectList | ObjectItem"


class Literal:
    """A number, boolean, string or heredoc with its exact token text.

    ``json`` marks strings of the JSON flavour (unquoted with Go's rules); a
    JSON ``null`` is a string with empty text, as in hcl v1.
    """

    __slots__ = ("_value", "json", "kind", "pos", "text")

    def __init__(self, kind: str, text: str, pos: Pos, json: bool = False) -> None:
        self.kind = kind
        self.text = text
        self.pos = pos
        self.json = json
        self._value: str | None = None

    @property
    def value(self) -> str:
        """The string value (strings, heredocs) or the text (numbers, booleans)."""
        if self._value is None:
            self._value = literal_value(self.kind, self.text, self.json, self.pos)
        return self._value


def literal_value(kind: str, text: str, json: bool, pos: Pos) -> str:
    from .literals import UnquoteError, heredoc_value, unquote

    if kind == Tok.HEREDOC:
        return heredoc_value(text)
    if kind != Tok.STRING:
        return text
    if text == "":  # JSON null
        return ""
    try:
        return unquote(text, json)
    except UnquoteError as exc:
        raise HclDecodeError(pos, f"cannot read the string {_short(text)}: {exc}") from None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


class ListNode:
    """``[ a, b, ... ]``."""

    __slots__ = ("items", "pos")

    def __init__(self, items: list[Node], pos: Pos) -> None:
        self.items = items
        self.pos = pos


class ObjectNode:
    """``{ ... }``: an object value wrapping an item list."""

    __slots__ = ("body", "end", "pos")

    def __init__(self, body: ObjectList, pos: Pos, end: Pos | None = None) -> None:
        self.body = body
        self.pos = pos
        self.end = end


class Key:
    """One key of an item (``job``, ``"name"``): identifier text or a quoted string."""

    __slots__ = ("_name", "json", "pos", "quoted", "text")

    def __init__(self, text: str, pos: Pos, quoted: bool = False, json: bool = False) -> None:
        self.text = text
        self.pos = pos
        self.quoted = quoted
        self.json = json
        self._name: str | None = None if quoted else text

    @property
    def name(self) -> str:
        """The key as the decoder compares it (quoted keys unquoted)."""
        if self._name is None:
            self._name = literal_value(Tok.STRING, self.text, self.json, self.pos)
        return self._name

    @property
    def safe_name(self) -> str | None:
        """:attr:`name`, or ``None`` when it cannot be unquoted (reported elsewhere)."""
        try:
            return self.name
        except HclDecodeError:
            return None


class ObjectItem:
    """``key [key ...] = value`` or ``key [key ...] { ... }``."""

    __slots__ = ("assign", "keys", "pos", "value")

    def __init__(self, keys: list[Key], value: Node, assign: bool, pos: Pos) -> None:
        self.keys = keys
        self.value = value
        self.assign = assign
        self.pos = pos


def _simple_fold(ch: str) -> str:
    """A representative of ``ch``'s simple case-folding orbit (``ſ``, ``s`` and ``S`` share one)."""
    folded = ch.casefold()
    return folded if len(folded) == 1 else ch.lower()


def fold_key(name: str) -> str:
    """``name`` in a form where ``fold_key(a) == fold_key(b)`` exactly when ``fold_equal(a, b)``."""
    if name.isascii():
        return name.lower()
    return "".join(_simple_fold(ch) for ch in name)


def fold_equal(a: str, b: str) -> bool:
    """Go's ``strings.EqualFold``: equal under simple Unicode case folding, rune by rune."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    if a.isascii() and b.isascii():
        return a.lower() == b.lower()
    return all(x == y or _simple_fold(x) == _simple_fold(y) for x, y in zip(a, b, strict=True))


class ObjectList:
    """A sequence of items: the body of a file or of an object."""

    __slots__ = ("items", "pos")

    def __init__(self, items: list[ObjectItem] | None = None, pos: Pos | None = None) -> None:
        self.items = items if items is not None else []
        self.pos = pos if pos is not None else Pos(1, 1)

    def filter(self, name: str) -> ObjectList:
        """Items whose first key equals ``name`` (Go's EqualFold), with that key removed.

        This is hcl v1's prefix filter: ``job "a" {}`` filtered by ``job``
        leaves an item keyed ``"a"``; ``job { }`` leaves an item with no keys.
        A key that cannot be unquoted matches nothing (hcl v1 crashes on it;
        the decoder reports it once).
        """
        result = ObjectList(pos=self.pos)
        for item in self.items:
            if not item.keys:
                continue
            key = item.keys[0].safe_name
            if key is not None and fold_equal(key, name):
                result.items.append(ObjectItem(item.keys[1:], item.value, item.assign, item.pos))
        return result

    def children(self) -> ObjectList:
        """Items that still have keys left (blocks with labels)."""
        return ObjectList([i for i in self.items if i.keys], self.pos)

    def elements(self) -> ObjectList:
        """Items with no keys left (plain ``name = value`` / ``name { }``)."""
        return ObjectList([i for i in self.items if not i.keys], self.pos)


def describe_node(node: Node) -> str:
    """How a value looks to a person: ``a string``, ``a list``, ``a block``..."""
    if isinstance(node, Literal):
        if node.kind == Tok.STRING and node.text == "":
            return "null"
        return {
            Tok.STRING: f"the string {_short(node.text)}",
            Tok.HEREDOC: "a heredoc string",
            Tok.NUMBER: f"the number {_short(node.text)}",
            Tok.FLOAT: f"the number {_short(node.text)}",
            Tok.BOOL: f"the boolean {node.text}",
        }.get(node.kind, node.text)
    if isinstance(node, ListNode):
        return "a list"
    if isinstance(node, ObjectItem):
        return "a nested block"
    return "an object/block"

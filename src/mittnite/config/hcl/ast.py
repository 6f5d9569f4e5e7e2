"""Syntax tree of an HCL v1 document.

The shapes mirror hcl v1's own tree (object lists, items with one or more
keys, object/list/literal values) because its decoder's quirks - which our
users' configurations depend on - are defined in terms of these shapes.
Plain slotted classes: they are created by the thousand and must be cheap.
"""

from __future__ import annotations

from .errors import Pos
from .lexer import Tok

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    Node: TypeAlias = "Literal | ListNode | ObjectNode | ObjectList | ObjectItem"


class Literal:
    """A number, boolean, string or heredoc; ``value`` is already unquoted."""

    __slots__ = ("kind", "pos", "text", "value")

    def __init__(self, kind: str, text: str, value: str, pos: Pos) -> None:
        self.kind = kind
        self.text = text
        self.value = value
        self.pos = pos


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
    """One key of an item (``job``, ``"name"``); ``quoted`` for string keys."""

    __slots__ = ("name", "pos", "quoted")

    def __init__(self, name: str, pos: Pos, quoted: bool = False) -> None:
        self.name = name
        self.pos = pos
        self.quoted = quoted


class ObjectItem:
    """``key [key ...] = value`` or ``key [key ...] { ... }``."""

    __slots__ = ("assign", "keys", "pos", "value")

    def __init__(self, keys: list[Key], value: Node, assign: bool, pos: Pos) -> None:
        self.keys = keys
        self.value = value
        self.assign = assign
        self.pos = pos


class ObjectList:
    """A sequence of items: the body of a file or of an object."""

    __slots__ = ("items", "pos")

    def __init__(self, items: list[ObjectItem] | None = None, pos: Pos | None = None) -> None:
        self.items = items if items is not None else []
        self.pos = pos if pos is not None else Pos(1, 1)

    def filter(self, name: str) -> ObjectList:
        """Items whose first key equals ``name`` (ignoring case), with that key removed.

        This is hcl v1's prefix filter: ``job "a" {}`` filtered by ``job``
        leaves an item keyed ``"a"``; ``job { }`` leaves an item with no keys.
        """
        folded = name.casefold()
        result = ObjectList(pos=self.pos)
        for item in self.items:
            if item.keys and (item.keys[0].name == name or item.keys[0].name.casefold() == folded):
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
        return {
            Tok.STRING: f"the string {node.text}",
            Tok.HEREDOC: "a heredoc string",
            Tok.NUMBER: f"the number {node.text}",
            Tok.FLOAT: f"the number {node.text}",
            Tok.BOOL: f"the boolean {node.text}",
        }.get(node.kind, node.text)
    if isinstance(node, ListNode):
        return "a list"
    if isinstance(node, ObjectItem):
        return "a nested block"
    return "an object/block"

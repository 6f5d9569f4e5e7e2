"""The parse tree of a Go template, with Go's ``String()`` for every node.

Node strings matter: execution errors quote the node being evaluated
(``executing "t" at <index .Params.list 10>: ...``), so each node prints itself exactly as
Go's parse package does. ``pos`` is the node's start (an index into the template text).
"""

from __future__ import annotations

from typing import Any

from mittnite.gotemplate.gofmt import quote

__all__ = [
    "ActionNode",
    "BoolNode",
    "BranchNode",
    "BreakNode",
    "ChainNode",
    "CommandNode",
    "CommentNode",
    "ContinueNode",
    "DotNode",
    "ElseNode",
    "EndNode",
    "FieldNode",
    "IdentifierNode",
    "IfNode",
    "ListNode",
    "NilNode",
    "Node",
    "NumberNode",
    "PipeNode",
    "RangeNode",
    "StringNode",
    "TemplateNode",
    "TextNode",
    "Tree",
    "VariableNode",
    "WithNode",
]


class Tree:
    """One parsed template: its name, the top-level name it was parsed under (used in error
    locations) and its root list."""

    __slots__ = ("name", "parse_name", "root", "text")

    def __init__(self, name: str, parse_name: str, text: str) -> None:
        self.name = name
        self.parse_name = parse_name
        self.text = text
        self.root: ListNode | None = None

    def error_context(self, node: Node) -> tuple[str, str]:
        """Go's ``ErrorContext``: ``NAME:LINE:COL`` (COL in bytes from the line start) and
        the node's text."""
        tree = node.tree if node.tree is not None else self
        before = tree.text[: node.pos]
        newline = before.rfind("\n")
        line_start = before[newline + 1 :]
        column = len(line_start.encode("utf-8", "surrogateescape"))
        line = 1 + before.count("\n")
        return f"{tree.parse_name}:{line}:{column}", str(node)


class Node:
    """Base of all nodes: a position in the text and the tree it belongs to."""

    __slots__ = ("pos", "tree")

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, tree: Tree | None, pos: int) -> None:
        super().__init__(tree, pos)
        self.nodes: list[Node] = []

    def __str__(self) -> str:
        return "".join(str(node) for node in self.nodes)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text

    def __str__(self) -> str:
        return self.text


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


class PipeNode(Node):
    __slots__ = ("cmds", "decl", "is_assign", "line")

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(str(variable) for variable in self.decl) + " := "
        return text + " | ".join(str(command) for command in self.cmds)


class ActionNode(Node):
    __slots__ = ("line", "pipe")

    def __init__(self, tree: Tree | None, pos: int, line: int, pipe: PipeNode) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.pipe = pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, tree: Tree | None, pos: int) -> None:
        super().__init__(tree, pos)
        self.args: list[Node] = []

    def __str__(self) -> str:
        return " ".join(f"({arg})" if isinstance(arg, PipeNode) else str(arg) for arg in self.args)


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    """``$x`` or ``$x.Field.Chain``: ``ident`` is the variable name followed by the fields."""

    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident.split(".")

    def __str__(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "nil"


class FieldNode(Node):
    """``.A.B.C``: ``ident`` is ``["A", "B", "C"]``."""

    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident[1:].split(".")

    def __str__(self) -> str:
        return "".join("." + name for name in self.ident)


class ChainNode(Node):
    """``(pipeline).A.B`` or ``$x``-less field access on any term."""

    __slots__ = ("field", "node")

    def __init__(self, tree: Tree | None, pos: int, node: Node) -> None:
        super().__init__(tree, pos)
        self.node = node
        self.field: list[str] = []

    def add(self, field: str) -> None:
        self.field.append(field[1:])

    def __str__(self) -> str:
        base = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return base + "".join("." + name for name in self.field)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, tree: Tree | None, pos: int, true: bool) -> None:
        super().__init__(tree, pos)
        self.true = true

    def __str__(self) -> str:
        return "true" if self.true else "false"


class NumberNode(Node):
    """A numeric constant with every interpretation Go finds for it (int, uint, float,
    complex), as ``parse.NumberNode`` has."""

    __slots__ = (
        "complex128",
        "float64",
        "int64",
        "is_complex",
        "is_float",
        "is_int",
        "is_uint",
        "text",
        "uint64",
    )

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text
        self.is_int = False
        self.is_uint = False
        self.is_float = False
        self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, tree: Tree | None, pos: int, quoted: str, text: str) -> None:
        super().__init__(tree, pos)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class EndNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line

    def __str__(self) -> str:
        return "{{else}}"


class BranchNode(Node):
    """Common shape of if, range and with."""

    __slots__ = ("else_list", "line", "list", "pipe")
    keyword = ""

    def __init__(
        self,
        tree: Tree | None,
        pos: int,
        line: int,
        pipe: PipeNode,
        body: ListNode,
        else_list: ListNode | None,
    ) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.pipe = pipe
        self.list = body
        self.else_list = else_list

    def __str__(self) -> str:
        text = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            text += "{{else}}" + str(self.else_list)
        return text + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line

    def __str__(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    """``{{template "name" pipeline}}`` (also what ``{{block}}`` leaves in place)."""

    __slots__ = ("line", "name", "pipe")

    def __init__(
        self, tree: Tree | None, pos: int, line: int, name: str, pipe: PipeNode | None
    ) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        text = "{{template " + quote(self.name)
        if self.pipe is not None:
            text += " " + str(self.pipe)
        return text + "}}"


# unicode.IsSpace: ASCII white space, NEL, NBSP and the Unicode space separators.
_GO_SPACES = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def is_empty_tree(node: Any) -> bool:
    """Go's ``IsEmptyTree``: only whitespace text and comments (a define may replace it)."""
    if node is None or isinstance(node, CommentNode):
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(child) for child in node.nodes)
    if isinstance(node, TextNode):
        return node.text.strip(_GO_SPACES) == ""
    return False

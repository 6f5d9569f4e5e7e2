"""Parser of Go's text/template (Go 1.19 grammar plus ``range`` over integers).

Mirrors the structure of Go's parser closely enough that the same inputs are
accepted and the same error messages (``template: NAME:LINE: MESSAGE``) come
out, because users see those messages when a template is wrong.
"""

from __future__ import annotations

from . import lexer as lx
from .errors import TemplateParseError
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from .strconv import SyntaxErr, parse_float, parse_int, unquote, unquote_char_constant

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Container

_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1


class Tree:
    """One named template: its root list."""

    def __init__(self, name: str, root: ListNode) -> None:
        self.name = name
        self.root = root


def is_empty_tree(node: Node | None) -> bool:
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip()
    return isinstance(node, CommentNode)


class Parser:
    """Parses a template text into a set of named trees."""

    def __init__(self, name: str, text: str, funcs: Container[str]) -> None:
        self.name = name
        self.text = text
        self.funcs = funcs
        self.items = lx.lex(name, text)
        self.index = 0
        self.token = self.items[0]
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.action_line = 0
        self.trees: dict[str, Tree] = {}

    # -- token stream --------------------------------------------------------------
    def next(self) -> lx.Item:
        item = self.items[min(self.index, len(self.items) - 1)]
        self.index += 1
        self.token = item
        return item

    def backup(self, count: int = 1) -> None:
        self.index -= count

    def peek(self) -> lx.Item:
        return self.items[min(self.index, len(self.items) - 1)]

    def next_non_space(self) -> lx.Item:
        item = self.next()
        while item.kind == lx.SPACE:
            item = self.next()
        return item

    def peek_non_space(self) -> lx.Item:
        item = self.next_non_space()
        self.backup()
        return item

    def errorf(self, message: str) -> TemplateParseError:
        return TemplateParseError(f"template: {self.name}:{self.token.line}: {message}")

    def unexpected(self, item: lx.Item, context: str) -> TemplateParseError:
        if item.kind == lx.ERROR:
            extra = ""
            if self.action_line and self.action_line != item.line:
                extra = f" in action started at {self.name}:{self.action_line}"
                if item.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            return self.errorf(item.val + extra)
        return self.errorf(f"unexpected {item.describe()} in {context}")

    def expect(self, kind: str, context: str) -> lx.Item:
        item = self.next_non_space()
        if item.kind != kind:
            raise self.unexpected(item, context)
        return item

    # -- top level ------------------------------------------------------------------
    def parse(self) -> dict[str, Tree]:
        root = ListNode(self.peek().pos)
        while self.peek().kind != lx.EOF:
            if self.peek().kind == lx.LEFT_DELIM:
                self.next()
                if self.next_non_space().kind == "define":
                    self.parse_definition()
                    continue
                # back up to the delimiter
                self.index = min(self.index, len(self.items) - 1)
                while self.items[self.index].kind != lx.LEFT_DELIM:
                    self.index -= 1
            node = self.text_or_action()
            if isinstance(node, EndNode | ElseNode):
                raise self.errorf(f"unexpected {node}")
            root.nodes.append(node)
        self.add(Tree(self.name, root))
        return self.trees

    def add(self, tree: Tree) -> None:
        existing = self.trees.get(tree.name)
        if existing is not None and not is_empty_tree(existing.root):
            if is_empty_tree(tree.root):
                return
            raise TemplateParseError(
                f"template: multiple definition of template {lx.go_quote_short(tree.name)}"
            )
        self.trees[tree.name] = tree

    def parse_definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.kind not in (lx.STRING, lx.RAW_STRING):
            raise self.unexpected(token, context)
        name = self._unquote(token.val)
        self.expect(lx.RIGHT_DELIM, context)
        saved_vars, self.vars = self.vars, ["$"]
        body, end = self.item_list()
        self.vars = saved_vars
        if not isinstance(end, EndNode):
            raise self.errorf(f"unexpected {end} in {context}")
        self.add(Tree(name, body))

    def item_list(self) -> tuple[ListNode, Node]:
        body = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().kind != lx.EOF:
            node = self.text_or_action()
            if isinstance(node, EndNode | ElseNode):
                return body, node
            body.nodes.append(node)
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.kind == lx.TEXT:
            return TextNode(token.pos, token.val)
        if token.kind == lx.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.kind == lx.COMMENT:
            return CommentNode(token.pos, token.val)
        raise self.unexpected(token, "input")

    # -- actions -----------------------------------------------------------------------
    def action(self) -> Node:
        token = self.next_non_space()
        kind = token.kind
        if kind == "block":
            return self.block_control()
        if kind in ("break", "continue"):
            closing = self.next_non_space()
            if closing.kind != lx.RIGHT_DELIM:
                raise self.unexpected(closing, "{{" + kind + "}}")
            if self.range_depth == 0:
                raise self.errorf("{{" + kind + "}} outside {{range}}")
            cls = BreakNode if kind == "break" else ContinueNode
            return cls(token.pos, token.line)
        if kind == "else":
            peek = self.peek_non_space()
            if peek.kind == "if":
                return ElseNode(peek.pos, peek.line)
            closing = self.expect(lx.RIGHT_DELIM, "else")
            return ElseNode(closing.pos, closing.line)
        if kind == "end":
            closing = self.expect(lx.RIGHT_DELIM, "end")
            return EndNode(closing.pos)
        if kind == "if":
            return IfNode(*self.parse_control(True, "if"))
        if kind == "range":
            return RangeNode(*self.parse_control(False, "range"))
        if kind == "with":
            return WithNode(*self.parse_control(False, "with"))
        if kind == "template":
            return self.template_control()
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, token.line, self.pipeline("command", lx.RIGHT_DELIM))

    def parse_control(
        self, allow_else_if: bool, context: str
    ) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        saved = len(self.vars)
        try:
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(following, ElseNode):
                if allow_else_if and self.peek().kind == "if":
                    self.next()
                    else_list = ListNode(following.pos)
                    else_list.nodes.append(IfNode(*self.parse_control(True, "if")))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, EndNode):
                        raise self.errorf(f"expected end; found {following}")
            return pipe.pos, pipe.line, pipe, body, else_list
        finally:
            del self.vars[saved:]

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().kind != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(token.pos, token.line, name, pipe)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        saved_vars, self.vars = self.vars, ["$"]
        body, end = self.item_list()
        self.vars = saved_vars
        if not isinstance(end, EndNode):
            raise self.errorf(f"unexpected {end} in {context}")
        self.add(Tree(name, body))
        return TemplateNode(token.pos, token.line, name, pipe)

    def template_name(self, token: lx.Item, context: str) -> str:
        if token.kind in (lx.STRING, lx.RAW_STRING):
            return self._unquote(token.val)
        raise self.unexpected(token, context)

    def _unquote(self, text: str) -> str:
        try:
            return unquote(text)
        except SyntaxErr as exc:
            raise self.errorf(str(exc)) from None

    # -- pipelines -----------------------------------------------------------------------
    def pipeline(self, context: str, end: str) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, token.line, [])
        while True:  # declarations
            variable = self.peek_non_space()
            if variable.kind != lx.VARIABLE:
                break
            self.next_non_space()
            following = self.peek_non_space()
            if following.kind in (lx.ASSIGN, lx.DECLARE):
                pipe.is_assign = following.kind == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, [variable.val]))
                self.vars.append(variable.val)
                break
            if following.kind == lx.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, [variable.val]))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().kind in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue
                    raise self.errorf("range can only initialize variables")
                raise self.errorf(f"too many declarations in {context}")
            # Not a declaration: put the variable back.
            self.index = self.items.index(variable)
            break
        while True:
            token = self.next_non_space()
            if token.kind == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.kind in (
                lx.BOOL,
                lx.CHAR_CONSTANT,
                lx.DOT,
                lx.FIELD,
                lx.IDENTIFIER,
                lx.NUMBER,
                lx.NIL,
                lx.RAW_STRING,
                lx.STRING,
                lx.VARIABLE,
                lx.LEFT_PAREN,
            ):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                raise self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.errorf(f"missing value for {context}")
        for index, command in enumerate(pipe.cmds[1:]):
            if isinstance(command.args[0], BoolNode | DotNode | NilNode | NumberNode | StringNode):
                raise self.errorf(f"non executable command in pipeline stage {index + 2}")

    def command(self) -> CommandNode:
        command = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                command.args.append(operand)
            token = self.next()
            if token.kind == lx.SPACE:
                continue
            if token.kind in (lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                self.backup()
            elif token.kind != lx.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not command.args:
            raise self.errorf("empty command")
        return command

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().kind == lx.FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().kind == lx.FIELD:
                chain.field.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, [*node.ident, *chain.field])
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, [*node.ident, *chain.field])
            if isinstance(node, BoolNode | StringNode | NumberNode | NilNode | DotNode):
                raise self.errorf(f"unexpected . after term {lx.go_quote_short(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        kind = token.kind
        if kind == lx.IDENTIFIER:
            if token.val not in self.funcs:
                raise self.errorf(f"function {lx.go_quote_short(token.val)} not defined")
            return IdentifierNode(token.pos, token.val)
        if kind == lx.DOT:
            return DotNode(token.pos)
        if kind == lx.NIL:
            return NilNode(token.pos)
        if kind == lx.VARIABLE:
            return self.use_var(token.pos, token.val)
        if kind == lx.FIELD:
            return FieldNode(token.pos, [token.val[1:]])
        if kind == lx.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if kind in (lx.CHAR_CONSTANT, lx.NUMBER):
            return self.number(token)
        if kind == lx.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", lx.RIGHT_PAREN)
        if kind in (lx.STRING, lx.RAW_STRING):
            return StringNode(token.pos, token.val, self._unquote(token.val))
        self.backup()
        return None

    def use_var(self, pos: int, name: str) -> VariableNode:
        parts = name.split(".")
        if parts[0] not in self.vars:
            raise self.errorf(f"undefined variable {lx.go_quote_short(parts[0])}")
        return VariableNode(pos, parts)

    def number(self, token: lx.Item) -> NumberNode:
        node = NumberNode(token.pos, token.val)
        text = token.val
        if token.kind == lx.CHAR_CONSTANT:
            try:
                value = unquote_char_constant(text)
            except (ValueError, SyntaxErr) as exc:
                raise self.errorf(str(exc)) from None
            node.is_char = node.is_int = node.is_uint = node.is_float = True
            node.int_value = value
            node.float_value = float(value)
            return node
        if text.endswith("i"):
            raise self.errorf(f"complex constants are not supported: {lx.go_quote_short(text)}")
        integer = parse_int(text)
        if integer is not None and 0 <= integer <= _UINT64_MAX:
            node.is_uint = True
            node.int_value = integer
        if integer is not None and _INT64[0] <= integer <= _INT64[1]:
            node.is_int = True
            node.int_value = integer
            if integer == 0:
                node.is_uint = True
        if node.is_int or node.is_uint:
            node.is_float = True
            node.float_value = float(node.int_value)
        else:
            number = parse_float(text)
            if number is not None:
                if not any(c in text for c in ".eEpP"):
                    raise self.errorf(f"integer overflow: {lx.go_quote_short(text)}")
                node.is_float = True
                node.float_value = number
                if number.is_integer() and _INT64[0] <= number <= _INT64[1]:
                    node.is_int = True
                    node.int_value = int(number)
                if number.is_integer() and 0 <= number <= _UINT64_MAX:
                    node.is_uint = True
                    node.int_value = int(number)
        if not (node.is_int or node.is_uint or node.is_float):
            raise self.errorf(f"illegal number syntax: {lx.go_quote_short(text)}")
        return node


def parse(name: str, text: str, funcs: Container[str]) -> dict[str, Tree]:
    """Parse ``text`` as template ``name``; returns every tree it defines."""
    return Parser(name, text, funcs).parse()

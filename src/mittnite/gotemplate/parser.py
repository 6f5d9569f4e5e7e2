"""The parser of Go's text/template: items to parse trees, with Go's error messages.

It mirrors Go's recursive-descent parser, including its three-token lookahead buffer per tree:
error messages carry the line of the last token read from the lexer (``template: t:3:
unexpected EOF``), so reading and backing up must happen exactly as in Go. ``define`` and
``block`` bodies become their own trees sharing the item stream, as in Go.

Literal conversion follows Go's strconv (``ParseInt``/``ParseUint``/``ParseFloat`` with base
prefixes and ``_`` separators from :mod:`mittnite.golang.strconv`; ``Unquote``/``UnquoteChar``
here) because which interpretations a number constant has (int, uint, float) decides how it
may be passed to functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mittnite.golang import strconv
from mittnite.gotemplate import lexer as lx
from mittnite.gotemplate import limits
from mittnite.gotemplate.errors import TemplateParseError
from mittnite.gotemplate.gofmt import quote, sprintf
from mittnite.gotemplate.nodes import (
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
    Tree,
    VariableNode,
    WithNode,
    is_empty_tree,
)

__all__ = ["parse_trees"]

_NO_ITEM = lx.Item(lx.ERROR, 0, "", 0)
_COMMAND_START = frozenset(
    {
        lx.BOOL,
        lx.CHAR_CONSTANT,
        lx.COMPLEX,
        lx.DOT,
        lx.FIELD,
        lx.IDENTIFIER,
        lx.NUMBER,
        lx.NIL,
        lx.RAW_STRING,
        lx.STRING,
        lx.VARIABLE,
        lx.LEFT_PAREN,
    }
)


class _Syntax(Exception):
    """strconv.ErrSyntax / ErrRange and the number errors of the parse package."""


class _ItemStream:
    """The lexer's output, shared by the trees parsed from one text."""

    __slots__ = ("index", "items")

    def __init__(self, items: list[lx.Item]) -> None:
        self.items = items
        self.index = 0

    def next_item(self) -> lx.Item:
        if self.index >= len(self.items):
            return _NO_ITEM  # a closed channel yields zero items
        item = self.items[self.index]
        self.index += 1
        return item


class _TreeParser:
    """Parses one tree (the top level, or a define/block body) from the shared stream."""

    def __init__(
        self,
        tree: Tree,
        stream: _ItemStream,
        has_function: Callable[[str], bool],
        tree_set: dict[str, Tree],
    ) -> None:
        self.tree = tree
        self.stream = stream
        self.has_function = has_function
        self.tree_set = tree_set
        self.token: list[lx.Item] = [_NO_ITEM, _NO_ITEM, _NO_ITEM]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.nesting = 0

    # -- lookahead (Go's next/backup/peek, three tokens deep) ------------------------------

    def next(self) -> lx.Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.stream.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, first: lx.Item) -> None:
        self.token[1] = first
        self.peek_count = 2

    def backup3(self, second: lx.Item, first: lx.Item) -> None:
        self.token[1] = first
        self.token[2] = second
        self.peek_count = 3

    def peek(self) -> lx.Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.stream.next_item()
        return self.token[0]

    def next_non_space(self) -> lx.Item:
        while True:
            token = self.next()
            if token.typ != lx.SPACE:
                return token

    def peek_non_space(self) -> lx.Item:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors ------------------------------------------------------------------------------

    def errorf(self, format_text: str, *args: Any) -> TemplateParseError:
        """Go's Tree.errorf: the name goes into the format itself, as Go does."""
        message = sprintf(
            f"template: {self.tree.parse_name}:{self.token[0].line}: {format_text}", *args
        )
        return TemplateParseError(message)

    def expect(self, expected: int, context: str) -> lx.Item:
        token = self.next_non_space()
        if token.typ != expected:
            raise self.unexpected(token, context)
        return token

    def expect_one_of(self, first: int, second: int, context: str) -> lx.Item:
        token = self.next_non_space()
        if token.typ != first and token.typ != second:
            raise self.unexpected(token, context)
        return token

    def unexpected(self, token: lx.Item, context: str) -> TemplateParseError:
        if token.typ == lx.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.tree.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            return self.errorf("%s%s", lx.item_text(token), extra)
        return self.errorf("unexpected %s in %s", lx.item_text(token), context)

    # -- structure ---------------------------------------------------------------------------

    def new_child(self, name: str) -> _TreeParser:
        child_tree = Tree(name, self.tree.parse_name, self.tree.text)
        return _TreeParser(child_tree, self.stream, self.has_function, self.tree_set)

    def add(self) -> None:
        """Record this tree in the set; an empty tree never replaces a non-empty one."""
        existing = self.tree_set.get(self.tree.name)
        if existing is None or is_empty_tree(existing.root):
            self.tree_set[self.tree.name] = self.tree
            return
        if not is_empty_tree(self.tree.root):
            raise self.errorf("template: multiple definition of template %q", self.tree.name)

    def parse(self) -> None:
        tree = self.tree
        root = ListNode(tree, self.peek().pos)
        tree.root = root
        while self.peek().typ != lx.EOF:
            if self.peek().typ == lx.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == lx.DEFINE:
                    self.new_child("definition").parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                raise self.errorf("unexpected %s", str(node))
            root.nodes.append(node)
        self.add()

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(lx.STRING, lx.RAW_STRING, context)
        try:
            self.tree.name = unquote(name.val)
        except _Syntax as problem:
            raise self.errorf("%s", str(problem)) from None
        self.expect(lx.RIGHT_DELIM, context)
        root, end = self.item_list()
        self.tree.root = root
        if not isinstance(end, EndNode):
            raise self.errorf("unexpected %s in %s", str(end), context)
        self.add()

    def _nest(self) -> None:
        """Count one level of nesting (a block body or a pipeline); templates deeper than
        mittnite's limit fail here with a clear error instead of exhausting the stack."""
        self.nesting += 1
        if self.nesting > limits.MAX_NESTING:
            raise self.errorf("%s", limits.nesting_exceeded())

    def item_list(self) -> tuple[ListNode, Node]:
        self._nest()
        try:
            return self._item_list()
        finally:
            self.nesting -= 1

    def _item_list(self) -> tuple[ListNode, Node]:
        node_list = ListNode(self.tree, self.peek_non_space().pos)
        while self.peek_non_space().typ != lx.EOF:
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return node_list, node
            node_list.nodes.append(node)
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lx.TEXT:
            return TextNode(self.tree, token.pos, token.val)
        if token.typ == lx.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ == lx.COMMENT:
            return CommentNode(self.tree, token.pos, token.val)
        raise self.unexpected(token, "input")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == lx.BLOCK:
            return self.block_control()
        if typ == lx.BREAK:
            return self.break_control(token.pos, token.line)
        if typ == lx.CONTINUE:
            return self.continue_control(token.pos, token.line)
        if typ == lx.ELSE:
            return self.else_control()
        if typ == lx.END:
            return self.end_control()
        if typ == lx.IF:
            return IfNode(self.tree, *self.parse_control(True, "if"))
        if typ == lx.RANGE:
            return RangeNode(self.tree, *self.parse_control(False, "range"))
        if typ == lx.TEMPLATE:
            return self.template_control()
        if typ == lx.WITH:
            return WithNode(self.tree, *self.parse_control(False, "with"))
        self.backup()
        token = self.peek()
        return ActionNode(
            self.tree, token.pos, token.line, self.pipeline("command", lx.RIGHT_DELIM)
        )

    def break_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != lx.RIGHT_DELIM:
            raise self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            raise self.errorf("{{break}} outside {{range}}")
        return BreakNode(self.tree, pos, line)

    def continue_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != lx.RIGHT_DELIM:
            raise self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            raise self.errorf("{{continue}} outside {{range}}")
        return ContinueNode(self.tree, pos, line)

    def pipeline(self, context: str, end: int) -> PipeNode:
        self._nest()
        try:
            return self._pipeline(context, end)
        finally:
            self.nesting -= 1

    def _pipeline(self, context: str, end: int) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(self.tree, token.pos, token.line)
        while True:  # declarations: Go's "decls:" label
            variable = self.peek_non_space()
            if variable.typ != lx.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            following = self.peek_non_space()
            if following.typ in (lx.ASSIGN, lx.DECLARE):
                pipe.is_assign = following.typ == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(self.tree, variable.pos, variable.val))
                self.vars.append(variable.val)
            elif following.typ == lx.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(self.tree, variable.pos, variable.val))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue
                    raise self.errorf("range can only initialize variables")
                raise self.errorf("too many declarations in %s", context)
            elif token_after_variable.typ == lx.SPACE:
                self.backup3(variable, token_after_variable)
            else:
                self.backup2(variable)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _COMMAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                raise self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.errorf("missing value for %s", context)
        for index, command in enumerate(pipe.cmds[1:]):
            if isinstance(command.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                raise self.errorf("non executable command in pipeline stage %d", index + 2)

    def parse_control(
        self, allow_else_if: bool, context: str
    ) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(following, ElseNode):
                if allow_else_if and self.peek().typ == lx.IF:
                    self.next()
                    else_list = ListNode(self.tree, following.pos)
                    else_list.nodes.append(IfNode(self.tree, *self.parse_control(True, "if")))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, EndNode):
                        raise self.errorf("expected end; found %s", str(following))
            return pipe.pos, pipe.line, pipe, body, else_list
        finally:
            del self.vars[mark:]

    def end_control(self) -> Node:
        return EndNode(self.tree, self.expect(lx.RIGHT_DELIM, "end").pos)

    def else_control(self) -> Node:
        peeked = self.peek_non_space()
        if peeked.typ == lx.IF:
            return ElseNode(self.tree, peeked.pos, peeked.line)
        token = self.expect(lx.RIGHT_DELIM, "else")
        return ElseNode(self.tree, token.pos, token.line)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        block = self.new_child(name)
        root, end = block.item_list()
        block.tree.root = root
        if not isinstance(end, EndNode):
            raise self.errorf("unexpected %s in %s", str(end), context)
        block.add()
        return TemplateNode(self.tree, token.pos, token.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(self.tree, token.pos, token.line, name, pipe)

    def parse_template_name(self, token: lx.Item, context: str) -> str:
        if token.typ in (lx.STRING, lx.RAW_STRING):
            try:
                return unquote(token.val)
            except _Syntax as problem:
                raise self.errorf("%s", str(problem)) from None
        raise self.unexpected(token, context)

    # -- commands and operands ---------------------------------------------------------------

    def command(self) -> CommandNode:
        command = CommandNode(self.tree, self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                command.args.append(operand)
            token = self.next()
            if token.typ == lx.SPACE:
                continue
            if token.typ in (lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                self.backup()
            elif token.typ != lx.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not command.args:
            raise self.errorf("empty command")
        return command

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == lx.FIELD:
            chain = ChainNode(self.tree, self.peek().pos, node)
            while self.peek().typ == lx.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                return FieldNode(self.tree, chain.pos, str(chain))
            if isinstance(node, VariableNode):
                return VariableNode(self.tree, chain.pos, str(chain))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                raise self.errorf("unexpected . after term %q", str(node))
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == lx.IDENTIFIER:
            if not self.has_function(token.val):
                raise self.errorf("function %q not defined", token.val)
            return IdentifierNode(self.tree, token.pos, token.val)
        if typ == lx.DOT:
            return DotNode(self.tree, token.pos)
        if typ == lx.NIL:
            return NilNode(self.tree, token.pos)
        if typ == lx.VARIABLE:
            return self.use_var(token.pos, token.val)
        if typ == lx.FIELD:
            return FieldNode(self.tree, token.pos, token.val)
        if typ == lx.BOOL:
            return BoolNode(self.tree, token.pos, token.val == "true")
        if typ in (lx.CHAR_CONSTANT, lx.COMPLEX, lx.NUMBER):
            try:
                return new_number(self.tree, token.pos, token.val, typ)
            except _Syntax as problem:
                raise self.errorf("%s", str(problem)) from None
        if typ == lx.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", lx.RIGHT_PAREN)
        if typ in (lx.STRING, lx.RAW_STRING):
            try:
                text = unquote(token.val)
            except _Syntax as problem:
                raise self.errorf("%s", str(problem)) from None
            return StringNode(self.tree, token.pos, token.val, text)
        self.backup()
        return None

    def use_var(self, pos: int, name: str) -> Node:
        variable = VariableNode(self.tree, pos, name)
        if variable.ident[0] in self.vars:
            return variable
        raise self.errorf("undefined variable %q", variable.ident[0])


# --- literals (Go's strconv) ---------------------------------------------------------------


def _parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)``, failing with ``_Syntax`` carrying Go's reason."""
    try:
        return strconv.parse_float(text)
    except strconv.NumError as problem:
        raise _Syntax(problem.err) from None


def _in_int64(value: float) -> bool:
    return -(2.0**63) <= value < 2.0**63


def _set_float_interpretations(number: NumberNode, value: float) -> None:
    """A float constant also counts as an int or uint when it converts back exactly."""
    number.is_float = True
    number.float64 = value
    if not number.is_int and _in_int64(value) and float(int(value)) == value:
        number.is_int = True
        number.int64 = int(value)
    if not number.is_uint and 0 <= value < 2.0**64 and float(int(value)) == value:
        number.is_uint = True
        number.uint64 = int(value)


def _simplify_complex(number: NumberNode) -> None:
    value = number.complex128
    number.is_float = value.imag == 0
    if number.is_float:
        real = value.real
        number.float64 = real
        number.is_int = _in_int64(real) and float(int(real)) == real
        if number.is_int:
            number.int64 = int(real)
        number.is_uint = 0 <= real < 2.0**64 and float(int(real)) == real
        if number.is_uint:
            number.uint64 = int(real)


_COMPLEX_ERROR = "syntax error scanning complex number"


def _scan_float_token(text: str, position: int) -> tuple[str, int]:
    """fmt's floatToken: the longest prefix at ``position`` that looks like a float."""
    start = position

    def accept(chars: str) -> bool:
        nonlocal position
        if position < len(text) and text[position] in chars:
            position += 1
            return True
        return False

    if accept("nN") and accept("aA") and accept("nN"):
        return text[start:position], position
    accept("+-")
    if accept("iI") and accept("nN") and accept("fF"):
        return text[start:position], position
    digits, exponent = "0123456789_", "eEpP"
    if accept("0") and accept("xX"):
        digits, exponent = "0123456789aAbBcCdDeEfF_", "pP"
    while accept(digits):
        pass
    if accept("."):
        while accept(digits):
            pass
    if accept(exponent):
        accept("+-")
        while accept("0123456789_"):
            pass
    return text[start:position], position


def _scanned_float(token: str) -> float:
    """fmt's convertFloat: ``ParseFloat``, plus fmt's own ``mantissa p exponent`` form
    (decimal mantissa, ``Atoi`` exponent); errors name the whole token, as fmt does."""
    power = token.find("p")
    try:
        if power >= 0 and "x" not in token and "X" not in token:
            mantissa = strconv.parse_float(token[:power])
            exponent = strconv.atoi(token[power + 1 :])
            return _go_ldexp(mantissa, exponent)
        return strconv.parse_float(token)
    except strconv.NumError as problem:
        raise _Syntax(str(problem.renamed(problem.func, token))) from None


def _go_ldexp(fraction: float, exponent: int) -> float:
    """``math.Ldexp``: saturates to ±Inf or ±0 where Python's ``ldexp`` would raise."""
    import math

    if fraction == 0 or math.isinf(fraction) or math.isnan(fraction):
        return fraction
    exponent = max(-2200, min(2200, exponent))
    try:
        return math.ldexp(fraction, exponent)
    except OverflowError:
        return math.copysign(math.inf, fraction)


def _parse_complex(text: str) -> complex:
    """``fmt.Sscan`` of a complex constant such as ``1+2i``, with fmt's error texts."""
    position = 0
    parens = text.startswith("(")
    if parens:
        position = 1
    real, position = _scan_float_token(text, position)
    if position >= len(text) or text[position] not in "+-":
        raise _Syntax(_COMPLEX_ERROR)
    sign = text[position]
    imaginary, position = _scan_float_token(text, position + 1)
    if position >= len(text) or text[position] != "i":
        raise _Syntax(_COMPLEX_ERROR)
    position += 1
    if parens and (position >= len(text) or text[position] != ")"):
        raise _Syntax(_COMPLEX_ERROR)
    return complex(_scanned_float(real), _scanned_float(sign + imaginary))


def new_number(tree: Tree | None, pos: int, text: str, typ: int) -> NumberNode:
    """Go's ``newNumber``: every interpretation of a numeric or character constant."""
    number = NumberNode(tree, pos, text)
    if typ == lx.CHAR_CONSTANT:
        code, _, end = unquote_char(text, 1, "'")
        if text[end:] != "'":
            raise _Syntax(f"malformed character constant: {text}")
        number.int64 = number.uint64 = code
        number.is_int = number.is_uint = number.is_float = True
        number.float64 = float(code)
        return number
    if typ == lx.COMPLEX:
        number.complex128 = _parse_complex(text)
        number.is_complex = True
        _simplify_complex(number)
        return number
    if text.endswith("i"):
        try:
            imaginary = _parse_float(text[:-1])
        except _Syntax:
            pass
        else:
            number.is_complex = True
            number.complex128 = complex(0, imaginary)
            _simplify_complex(number)
            return number
    unsigned: int | None
    try:
        unsigned = strconv.parse_uint(text, 0, 64)
    except strconv.NumError:
        unsigned = None
    else:
        number.is_uint = True
        number.uint64 = unsigned
    try:
        signed = strconv.parse_int(text, 0, 64)
    except strconv.NumError:
        pass
    else:
        number.is_int = True
        number.int64 = signed
        if signed == 0:
            number.is_uint = True
            number.uint64 = unsigned or 0
    if number.is_int:
        number.is_float = True
        number.float64 = float(number.int64)
    elif number.is_uint:
        number.is_float = True
        number.float64 = float(number.uint64)
    else:
        try:
            value = _parse_float(text)
        except _Syntax:
            pass
        else:
            if not any(char in text for char in ".eEpP"):
                raise _Syntax(f"integer overflow: {quote(text)}")
            _set_float_interpretations(number, value)
    if not number.is_int and not number.is_uint and not number.is_float:
        raise _Syntax(f"illegal number syntax: {quote(text)}")
    return number


_CHAR_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}


def unquote_char(text: str, index: int, quote_char: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar at ``text[index:]``: (code point or byte, multibyte, next index).

    A value from a ``\\x`` or octal escape is a single byte (multibyte False) even above
    0x7F; an invalid byte in the source (a surrogate escape) decodes as U+FFFD.
    """
    if index >= len(text):
        raise _Syntax("invalid syntax")
    char = text[index]
    code = ord(char)
    if char == quote_char and quote_char in "'\"":
        raise _Syntax("invalid syntax")
    if code >= 0x80:
        if 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        return code, True, index + 1
    if char != "\\":
        return code, False, index + 1
    if index + 1 >= len(text):
        raise _Syntax("invalid syntax")
    escape = text[index + 1]
    index += 2
    simple = _CHAR_ESCAPES.get(escape)
    if simple is not None:
        return simple, False, index
    if escape in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[escape]
        digits = text[index : index + size]
        if len(digits) < size or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise _Syntax("invalid syntax")
        value = int(digits, 16)
        if escape == "x":
            return value, False, index + size
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise _Syntax("invalid syntax")
        return value, True, index + size
    if "0" <= escape <= "7":
        digits = text[index : index + 2]
        if len(digits) < 2 or any(not "0" <= d <= "7" for d in digits):
            raise _Syntax("invalid syntax")
        value = int(escape + digits, 8)
        if value > 255:
            raise _Syntax("invalid syntax")
        return value, False, index + 2
    if escape in "'\"":
        if escape != quote_char:
            raise _Syntax("invalid syntax")
        return ord(escape), False, index
    raise _Syntax("invalid syntax")


def unquote(text: str) -> str:
    """strconv.Unquote of a string literal token (double-quoted or raw)."""
    if len(text) < 2:
        raise _Syntax("invalid syntax")
    quote_char = text[0]
    if quote_char == "`":
        if text[-1] != "`" or "`" in text[1:-1]:
            raise _Syntax("invalid syntax")
        return text[1:-1].replace("\r", "")
    if quote_char != '"' or text[-1] != '"':
        raise _Syntax("invalid syntax")
    body = text[1:-1]
    if (
        "\\" not in body
        and '"' not in body
        and "\n" not in body
        and not any(0xD800 <= ord(char) <= 0xDFFF for char in body)
    ):
        return body
    out = bytearray()
    index = 1
    end = len(text) - 1
    while index < end:
        if text[index] == "\n":
            raise _Syntax("invalid syntax")
        code, multibyte, index = unquote_char(text, index, '"')
        if code < 0x80 or not multibyte:
            out.append(code)
        else:
            out += chr(code).encode("utf-8")
    if index != end:
        raise _Syntax("invalid syntax")
    return out.decode("utf-8", "surrogateescape")


# --- entry point ---------------------------------------------------------------------------


def parse_trees(name: str, text: str, has_function: Callable[[str], bool]) -> dict[str, Tree]:
    """Parse ``text`` as template ``name``: the named trees it defines (itself included).

    Raises ``TemplateParseError`` with Go's message.
    """
    tree_set: dict[str, Tree] = {}
    stream = _ItemStream(lx.lex(text))
    top = _TreeParser(Tree(name, name, text), stream, has_function, tree_set)
    try:
        with limits.recursion_room():
            top.parse()
    except RecursionError:  # pragma: no cover - the nesting limit comes first
        raise TemplateParseError(f"template: {name}: {limits.nesting_exceeded()}") from None
    return tree_set

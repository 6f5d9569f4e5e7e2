"""Executing a parsed template, with Go's semantics and Go's error messages.

The evaluation follows Go's ``text/template`` step by step (pipelines,
commands, field chains, argument conversion, ``and``/``or`` short-circuit,
``range`` over slices, maps in key order and integers) because templates
written for the original must produce the same bytes. Errors read
``template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`` and the
output written before an error is kept (Go writes progressively).
"""

from __future__ import annotations

import sys

from . import nodes as n
from .builtins import BUILTINS, VALUE, truth
from .errors import TemplateExecError
from .funcs import (
    ArgError,
    GoCallError,
    GoFunc,
    GoPanic,
    can_be_nil,
    convert_constant,
    convert_value,
)
from .gofmt import MISSING, format_value, sorted_items
from .values import GoObject, Map, go_kind, go_type_name, is_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .parser import Tree

MAX_DEPTH = 100


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Failure(Exception):
    """Internal: an execution error with its final message."""


def _static_interface(container: Any) -> bool:
    """Whether elements of ``container`` have the static Go type ``interface {}``."""
    if isinstance(container, Map):
        return container.value == "interface {}"
    if isinstance(container, dict | list):
        elem = getattr(container, "elem", "interface {}")
        return elem == "interface {}" or elem.startswith("map[string]interface")
    return False


class State:
    """Execution state of one ``Execute`` call (and its nested template calls)."""

    def __init__(
        self,
        template_name: str,
        parse_name: str,
        text: str,
        trees: dict[str, Tree],
        funcs: dict[str, GoFunc],
        out: list[str],
        depth: int = 0,
    ) -> None:
        self.name = template_name
        self.parse_name = parse_name
        self.text = text
        self.trees = trees
        self.funcs = funcs
        self.out = out
        self.vars: list[list[Any]] = []
        self.node: n.Node | None = None
        self.depth = depth

    # -- errors -------------------------------------------------------------------
    def at(self, node: n.Node) -> None:
        self.node = node

    def errorf(self, message: str) -> _Failure:
        if self.node is None:
            return _Failure(f"template: {self.name}: {message}")
        pos = self.node.pos
        text = self.text[:pos]
        line = text.count("\n") + 1
        start = text.rfind("\n") + 1
        col = len(text[start:].encode("utf-8", "surrogateescape"))
        return _Failure(
            f"template: {self.parse_name}:{line}:{col}: executing "
            f'"{self.name}" at <{self.node}>: {message}'
        )

    # -- variables ----------------------------------------------------------------
    def push(self, name: str, value: Any) -> None:
        self.vars.append([name, value])

    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def set_var(self, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        raise self.errorf(f"undefined variable: {name}")

    def set_top_var(self, index: int, value: Any) -> None:
        self.vars[-index][1] = value

    def var_value(self, name: str) -> Any:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        raise self.errorf(f"undefined variable: {name}")

    # -- walking ----------------------------------------------------------------------
    def walk(self, dot: Any, node: n.Node) -> None:
        self.at(node)
        if isinstance(node, n.TextNode):
            self.out.append(node.text)
        elif isinstance(node, n.ActionNode):
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, value)
        elif isinstance(node, n.ListNode):
            for child in node.nodes:
                self.walk(dot, child)
        elif isinstance(node, n.IfNode | n.WithNode):
            self.walk_if_or_with(dot, node)
        elif isinstance(node, n.RangeNode):
            self.walk_range(dot, node)
        elif isinstance(node, n.TemplateNode):
            self.walk_template(dot, node)
        elif isinstance(node, n.BreakNode):
            raise _Break()
        elif isinstance(node, n.ContinueNode):
            raise _Continue()
        elif isinstance(node, n.CommentNode):
            pass
        else:
            raise self.errorf(f"unknown node: {node}")

    def walk_if_or_with(self, dot: Any, node: n.BranchNode) -> None:
        mark = self.mark()
        try:
            value = self.eval_pipeline(dot, node.pipe)
            if truth(value):
                self.walk(value if isinstance(node, n.WithNode) else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot: Any, node: n.RangeNode) -> None:
        self.at(node)
        mark = self.mark()
        try:
            value = self.eval_pipeline(dot, node.pipe)
            decl = node.pipe.decl
            inner_mark = self.mark()

            def one(index: Any, elem: Any) -> None:
                if decl:
                    if node.pipe.is_assign:
                        self.set_var(decl[0].ident[0], index if len(decl) > 1 else elem)
                    else:
                        self.set_top_var(1, elem)
                if len(decl) > 1:
                    if node.pipe.is_assign:
                        self.set_var(decl[1].ident[0], elem)
                    else:
                        self.set_top_var(2, index)
                try:
                    self.walk(elem, node.list)
                except _Continue:
                    pass
                finally:
                    self.pop(inner_mark)

            ran = False
            try:
                kind = go_kind(value) if value is not MISSING else "invalid"
                if kind in ("slice", "array"):
                    items = list(value)
                    for index, elem in enumerate(items):
                        ran = True
                        one(index, elem)
                elif kind == "map":
                    for key, elem in sorted_items(value):
                        ran = True
                        one(key, elem)
                elif is_int(value):
                    if len(decl) > 1:
                        raise self.errorf(
                            f"can't use {format_value(value)} to iterate over more than one variable"
                        )
                    for index in range(int(value)):
                        ran = True
                        item = type(value)(index)
                        one(item, item)
                elif value is MISSING or value is None:
                    pass
                else:
                    raise self.errorf(f"range can't iterate over {format_value(value)}")
            except _Break:
                return
            if not ran and node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_template(self, dot: Any, node: n.TemplateNode) -> None:
        self.at(node)
        tree = self.trees.get(node.name)
        if tree is None:
            from .lexer import go_quote_short

            raise self.errorf(f"template {go_quote_short(node.name)} not defined")
        if self.depth >= MAX_DEPTH:
            raise self.errorf(f"exceeded maximum template depth ({MAX_DEPTH})")
        value = self.eval_pipeline(dot, node.pipe) if node.pipe is not None else dot
        if value is MISSING:
            value = None
        state = State(
            tree.name, self.parse_name, self.text, self.trees, self.funcs, self.out, self.depth + 1
        )
        state.vars = [["$", value]]
        state.walk(value, tree.root)

    # -- printing ------------------------------------------------------------------------
    def print_value(self, node: n.Node, value: Any) -> None:
        self.at(node)
        if value is MISSING:
            self.out.append("<no value>")
            return
        if isinstance(value, GoFunc):
            raise self.errorf(f"can't print {node} of type func")
        self.out.append(format_value(value))

    # -- pipelines ---------------------------------------------------------------------------
    def eval_pipeline(self, dot: Any, pipe: n.PipeNode | None) -> Any:
        if pipe is None:
            return MISSING
        self.at(pipe)
        value: Any = _NO_FINAL
        for command in pipe.cmds:
            value = self.eval_command(dot, command, value)
            if value is None:
                value = MISSING  # a nil interface{} is "no value" once dug out
        for variable in pipe.decl:
            if pipe.is_assign:
                self.set_var(variable.ident[0], value)
            else:
                self.push(variable.ident[0], value)
        return value

    def not_a_function(self, args: list[n.Node], final: Any) -> None:
        if len(args) > 1 or final is not _NO_FINAL:
            raise self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, command: n.CommandNode, final: Any) -> Any:
        first = command.args[0]
        if isinstance(first, n.FieldNode):
            return self.eval_field_node(dot, first, command.args, final)
        if isinstance(first, n.ChainNode):
            return self.eval_chain_node(dot, first, command.args, final)
        if isinstance(first, n.IdentifierNode):
            return self.eval_function(dot, first, command, command.args, final)
        if isinstance(first, n.PipeNode):
            self.not_a_function(command.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, n.VariableNode):
            return self.eval_variable_node(dot, first, command.args, final)
        self.at(first)
        self.not_a_function(command.args, final)
        if isinstance(first, n.BoolNode):
            return first.value
        if isinstance(first, n.DotNode):
            return dot
        if isinstance(first, n.NilNode):
            raise self.errorf("nil is not a command")
        if isinstance(first, n.NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, n.StringNode):
            return first.text
        raise self.errorf(f"can't evaluate command {first}")

    def ideal_constant(self, node: n.NumberNode) -> Any:
        self.at(node)
        kind, value = node.ideal()
        if kind == "float":
            return value
        if not node.is_int:
            raise self.errorf(f"{node.text} overflows int")
        return value

    # -- fields --------------------------------------------------------------------------------
    def eval_field_node(self, dot: Any, field: n.FieldNode, args: list[n.Node], final: Any) -> Any:
        self.at(field)
        return self.eval_field_chain(dot, dot, False, field, field.ident, args, final)

    def eval_chain_node(self, dot: Any, chain: n.ChainNode, args: list[n.Node], final: Any) -> Any:
        self.at(chain)
        if isinstance(chain.node, n.NilNode):
            raise self.errorf(f"indirection through explicit nil in {chain}")
        value = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, value, False, chain, chain.field, args, final)

    def eval_variable_node(
        self, dot: Any, variable: n.VariableNode, args: list[n.Node], final: Any
    ) -> Any:
        self.at(variable)
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, False, variable, variable.ident[1:], args, final)

    def eval_field_chain(
        self,
        dot: Any,
        receiver: Any,
        static_iface: bool,
        node: n.Node,
        ident: list[str],
        args: list[n.Node],
        final: Any,
    ) -> Any:
        for name in ident[:-1]:
            receiver, static_iface = self.eval_field(
                dot, name, node, [], _NO_FINAL, receiver, static_iface
            )
        value, _ = self.eval_field(dot, ident[-1], node, args, final, receiver, static_iface)
        return value

    def eval_field(
        self,
        dot: Any,
        name: str,
        node: n.Node,
        args: list[n.Node],
        final: Any,
        receiver: Any,
        static_iface: bool,
    ) -> tuple[Any, bool]:
        if receiver is MISSING:
            return MISSING, False
        if receiver is None:
            type_name = "interface {}" if static_iface else "<nil>"
            raise self.errorf(f"nil pointer evaluating {type_name}.{name}")
        if isinstance(receiver, GoObject):
            method = receiver.go_method(name)
            if method is not None:
                return self.eval_call(dot, method, node, name, args, final), False
        has_args = len(args) > 1 or final is not _NO_FINAL
        if isinstance(receiver, dict) and getattr(receiver, "key", "string") == "string":
            if has_args:
                raise self.errorf(f"{name} is not a method but has arguments")
            if name in receiver:
                return receiver[name], _static_interface(receiver)
            return MISSING, False
        if isinstance(receiver, GoObject) and name in receiver.go_fields:
            if has_args:
                raise self.errorf(f"{name} has arguments but cannot be invoked as function")
            return dict(receiver.go_struct_fields())[name], False
        type_name = "interface {}" if static_iface else go_type_name(receiver)
        raise self.errorf(f"can't evaluate field {name} in type {type_name}")

    # -- calls ------------------------------------------------------------------------------------
    def eval_function(
        self, dot: Any, node: n.IdentifierNode, command: n.Node, args: list[n.Node], final: Any
    ) -> Any:
        self.at(node)
        function = self.funcs.get(node.ident)
        if function is None:
            raise self.errorf(f'"{node.ident}" is not a defined function')
        return self.eval_call(dot, function, command, node.ident, args, final)

    def eval_call(
        self, dot: Any, function: GoFunc, node: n.Node, name: str, args: list[n.Node], final: Any
    ) -> Any:
        args = args[1:] if args else []
        count = len(args) + (0 if final is _NO_FINAL else 1)
        fixed = len(function.params)
        if function.variadic:
            fixed -= 1
            if count < fixed:
                raise self.errorf(
                    f"wrong number of args for {name}: want at least {fixed} got {len(args)}"
                )
        elif count != fixed:
            raise self.errorf(f"wrong number of args for {name}: want {fixed} got {count}")
        if function in (BUILTINS["and"], BUILTINS["or"]) and self.funcs.get(name) is function:
            want = name == "or"
            value: Any = MISSING
            for arg in args:
                value = self.eval_arg(dot, VALUE, arg)
                if truth(value) == want:
                    return value
            if final is not _NO_FINAL:
                value = final
            return value
        argv: list[Any] = []
        for index, arg in enumerate(args):
            argv.append(self.eval_arg(dot, function.param_type(index), arg))
        if final is not _NO_FINAL:
            argv.append(self.validate(final, function.param_type(len(args))))
        try:
            result = function.fn(*argv)
        except (GoCallError, GoPanic, ArgError) as exc:
            self.at(node)
            raise self.errorf(f"error calling {name}: {exc}") from None
        except RecursionError:
            raise
        except _Failure:
            raise
        except Exception as exc:  # a Go panic inside the function
            self.at(node)
            raise self.errorf(f"error calling {name}: {exc}") from None
        return result

    def validate(self, value: Any, type_name: str | None) -> Any:
        if type_name is None or type_name == VALUE:
            return value
        if value is MISSING or value is None:
            if can_be_nil(type_name):
                return None
            raise self.errorf(f"invalid value; expected {type_name}")
        try:
            return convert_value(value, type_name)
        except ArgError as exc:
            raise self.errorf(str(exc)) from None

    def eval_arg(self, dot: Any, type_name: str | None, node: n.Node) -> Any:
        self.at(node)
        if isinstance(node, n.DotNode):
            return self.validate(dot, type_name)
        if isinstance(node, n.NilNode):
            if type_name is None or type_name == VALUE or can_be_nil(type_name):
                return None
            raise self.errorf(f"cannot assign nil to {type_name}")
        if isinstance(node, n.FieldNode):
            return self.validate(self.eval_field_node(dot, node, [node], _NO_FINAL), type_name)
        if isinstance(node, n.VariableNode):
            return self.validate(self.eval_variable_node(dot, node, [], _NO_FINAL), type_name)
        if isinstance(node, n.PipeNode):
            return self.validate(self.eval_pipeline(dot, node), type_name)
        if isinstance(node, n.IdentifierNode):
            return self.validate(self.eval_function(dot, node, node, [], _NO_FINAL), type_name)
        if isinstance(node, n.ChainNode):
            return self.validate(self.eval_chain_node(dot, node, [], _NO_FINAL), type_name)
        kind, value, text = self.constant(node)
        if type_name is None or type_name == VALUE or type_name == "interface {}":
            if isinstance(node, n.NumberNode):
                return self.ideal_constant(node)
            return value
        try:
            return convert_constant(value, kind, text, type_name)
        except ArgError as exc:
            raise self.errorf(str(exc)) from None

    def constant(self, node: n.Node) -> tuple[str, Any, str]:
        if isinstance(node, n.BoolNode):
            return "bool", node.value, str(node)
        if isinstance(node, n.StringNode):
            return "string", node.text, node.quoted
        if isinstance(node, n.NumberNode):
            kind, value = node.ideal()
            if node.is_int and kind == "float":
                return "float", value, node.text
            return kind, value, node.text
        raise self.errorf(f"can't handle {node} for arg")


class _NoFinal:
    def __repr__(self) -> str:
        return "NO_FINAL"


_NO_FINAL: Any = _NoFinal()


def execute(
    trees: dict[str, Tree],
    name: str,
    parse_name: str,
    text: str,
    funcs: dict[str, GoFunc],
    data: Any,
) -> str:
    """Run template ``name``; returns the output or raises :class:`TemplateExecError`."""
    out: list[str] = []
    state = State(name, parse_name, text, trees, funcs, out)
    state.vars = [["$", data]]
    previous = sys.getrecursionlimit()
    if previous < 20000:
        sys.setrecursionlimit(20000)
    try:
        state.walk(data, trees[name].root)
    except _Failure as exc:
        raise TemplateExecError(str(exc), "".join(out)) from None
    except RecursionError:
        raise TemplateExecError(
            f"template: {name}: exceeded maximum template depth ({MAX_DEPTH})", "".join(out)
        ) from None
    finally:
        sys.setrecursionlimit(previous)
    return "".join(out)

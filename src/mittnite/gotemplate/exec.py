"""Executing parsed templates: Go's text/template ``exec.go`` semantics on the value model.

The evaluation follows Go's step by step, including *where* it records the node it is at
(``s.at(node)``), because execution errors name that node and its position
(``template: t:1:25: executing "t" at <0>: ...`` can point at an argument rather than at the
failing field). Output is written piece by piece through ``write`` so that after an error the
caller holds exactly what Go would have written (text before the failing action).

Values flowing through the evaluator are model values, ``MISSING`` (Go's invalid value, from a
missing map key) or ``Iface`` (a value seen through ``interface {}``, e.g. a ``[]interface {}``
element); pipelines strip ``Iface`` as Go does after each command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from mittnite.gotemplate import limits
from mittnite.gotemplate.builtins import BUILTINS, indirect_interface, printable_value, truth
from mittnite.gotemplate.errors import TemplateExecError
from mittnite.gotemplate.funcs import (
    ArgumentError,
    GoFunc,
    can_be_nil,
    convert_result,
    make_integer,
    validate_type,
)
from mittnite.gotemplate.gofmt import errorf_text, quote, sorted_keys, sprint_value
from mittnite.gotemplate.limits import MAX_OUTPUT_BYTES, MAX_STEPS
from mittnite.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
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
)
from mittnite.gotemplate.parser import parse_trees
from mittnite.gotemplate.values import (
    BOOL,
    COMPLEX_KINDS,
    EMPTY_INTERFACE,
    FLOAT32,
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    REFLECT_VALUE,
    STRING,
    UINT_KINDS,
    Float32,
    GoErrorValue,
    GoType,
    Iface,
    NilPointer,
    Uint8,
    is_true,
    new_struct,
    type_of,
)

__all__ = ["Template", "parse", "render", "render_string", "template_data"]

MAX_EXEC_DEPTH = 100000
_NO_FINAL: Any = object()  # Go's missingVal: no value piped in from a previous command


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


_BREAK = _Break()
_CONTINUE = _Continue()


class _ExecFailure(Exception):
    """An execution error with Go's complete message."""


class _Budget:
    """What one execution may still spend (shared with the templates it calls): output
    characters and evaluation steps (see :mod:`limits`)."""

    __slots__ = ("output", "steps")

    def __init__(self) -> None:
        self.output = MAX_OUTPUT_BYTES
        self.steps = MAX_STEPS


class _Common:
    """What the templates parsed together share: the named templates and the functions."""

    __slots__ = ("funcs", "templates")

    def __init__(self, funcs: Mapping[str, GoFunc]) -> None:
        self.funcs = funcs
        self.templates: dict[str, Template] = {}


class Template:
    """A parsed template (and, through its common part, the templates it defines).

    ``execute(data, out)`` writes to ``out`` progressively; ``render(data)`` returns the
    text. Both raise ``TemplateExecError`` with Go's message (``render`` attaches the
    partial output).
    """

    __slots__ = ("common", "name", "tree")

    def __init__(self, name: str, tree: Tree | None, common: _Common) -> None:
        self.name = name
        self.tree = tree
        self.common = common

    def lookup(self, name: str) -> Template | None:
        """The template called ``name`` among those parsed together (``{{template}}``)."""
        return self.common.templates.get(name)

    def execute(self, data: Any, out: Any) -> None:
        """Execute with ``data`` as dot, writing text to ``out.write`` as Go would."""
        self.execute_to(data, out.write)

    def execute_to(self, data: Any, write: Callable[[str], Any]) -> None:
        """Execute, handing each piece of output to ``write``."""
        state = _State(self, write)
        root = MISSING if data is None else data
        state.vars = [("$", root)]
        try:
            if self.tree is None or self.tree.root is None:
                state.errorf("%q is an incomplete or empty template", self.name)
            with limits.recursion_room():
                state.walk(root, self.tree.root)
        except _ExecFailure as failure:
            raise TemplateExecError(str(failure)) from None
        except RecursionError:
            try:
                state.errorf("exceeded maximum template depth (%v)", MAX_EXEC_DEPTH)
            except _ExecFailure as failure:
                raise TemplateExecError(str(failure)) from None

    def render(self, data: Any) -> str:
        """Execute and return the output; on error ``TemplateExecError.partial_output``
        holds what had been written."""
        pieces: list[str] = []
        try:
            self.execute_to(data, pieces.append)
        except TemplateExecError as error:
            error.partial_output = "".join(pieces)
            raise
        return "".join(pieces)


def parse(name: str, text: str, funcs: Mapping[str, GoFunc] | None = None) -> Template:
    """Go's ``template.New(name).Funcs(funcs).Parse(text)``.

    ``funcs`` are added to (and override) the builtins; an unknown function is a parse
    error. Raises ``TemplateParseError`` with Go's message. The mapping is used as given,
    not copied (Go copies it; nothing here mutates it), so a lazily loading map such as
    ``sprig.FUNCS`` stays lazy.
    """
    user_funcs: Mapping[str, GoFunc] = {} if funcs is None else funcs

    def has_function(function: str) -> bool:
        return function in user_funcs or function in BUILTINS

    trees = parse_trees(name, text, has_function)
    common = _Common(user_funcs)
    top = Template(name, None, common)
    for tree_name, tree in trees.items():
        template = top if tree_name == name else Template(tree_name, None, common)
        template.tree = tree
        common.templates[tree_name] = template
    return top


def render(template: Template, data: Any) -> str:
    """``template.render(data)``."""
    return template.render(data)


def render_string(
    name: str, text: str, data: Any, funcs: Mapping[str, GoFunc] | None = None
) -> str:
    """Parse and render in one call (raises ``TemplateParseError``/``TemplateExecError``)."""
    return parse(name, text, funcs).render(data)


def template_data(env: Any, params: Any, type_name: str = "files.templateData") -> Any:
    """mittnite's data root: a pointer to a struct with fields ``Env`` and ``Params``."""
    return new_struct(type_name, {"Env": env, "Params": params}, pointer=True)


def _double_percent(text: str) -> str:
    return text.replace("%", "%%")


class _State:
    """One execution: the template being executed, the output, the current node for error
    messages, the variable stack and the template call depth."""

    __slots__ = ("budget", "depth", "node", "sink", "tmpl", "vars")

    def __init__(
        self, tmpl: Template, write: Callable[[str], Any], budget: _Budget | None = None
    ) -> None:
        self.tmpl = tmpl
        self.sink = write
        self.budget = _Budget() if budget is None else budget
        self.node: Node | None = None
        self.vars: list[tuple[str, Any]] = []
        self.depth = 0

    def write(self, text: str) -> None:
        """Hand ``text`` to the output, within the output budget of the rendering."""
        budget = self.budget
        budget.output -= len(text)
        if budget.output < 0:
            self.errorf("%s", limits.output_exceeded())
        self.sink(text)

    def step(self) -> None:
        """Count one evaluation step against the rendering's budget."""
        budget = self.budget
        budget.steps -= 1
        if budget.steps < 0:
            self.errorf("%s", limits.steps_exceeded())

    # -- errors and variables ----------------------------------------------------------------

    def errorf(self, format_text: str, *args: Any) -> NoReturn:
        name = _double_percent(self.tmpl.name)
        if self.node is None:
            text = f"template: {name}: {format_text}"
        else:
            tree = self.tmpl.tree
            assert tree is not None
            location, context = tree.error_context(self.node)
            text = (
                f"template: {location}: executing {quote(name)} at "
                f"<{_double_percent(context)}>: {format_text}"
            )
        raise _ExecFailure(errorf_text(text, *args))

    def set_var(self, name: str, value: Any) -> None:
        variables = self.vars
        for index in range(len(variables) - 1, -1, -1):
            if variables[index][0] == name:
                variables[index] = (name, value)
                return
        self.errorf("undefined variable: %s", name)

    def set_top_var(self, depth: int, value: Any) -> None:
        index = len(self.vars) - depth
        self.vars[index] = (self.vars[index][0], value)

    def var_value(self, name: str) -> Any:
        variables = self.vars
        for index in range(len(variables) - 1, -1, -1):
            if variables[index][0] == name:
                return variables[index][1]
        self.errorf("undefined variable: %s", name)

    # -- walking the tree ----------------------------------------------------------------------

    def walk(self, dot: Any, node: Node) -> None:
        self.step()  # before moving on: an exhausted budget names the enclosing node
        self.node = node
        node_type = type(node)
        if node_type is TextNode:
            self.write(node.text)  # type: ignore[attr-defined]
        elif node_type is ActionNode:
            assert isinstance(node, ActionNode)
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, value)
        elif node_type is ListNode:
            assert isinstance(node, ListNode)
            for child in node.nodes:
                self.walk(dot, child)
        elif node_type is IfNode or node_type is WithNode:
            assert isinstance(node, (IfNode, WithNode))
            self.walk_if_or_with(node_type is WithNode, dot, node)
        elif node_type is RangeNode:
            assert isinstance(node, RangeNode)
            self.walk_range(dot, node)
        elif node_type is TemplateNode:
            assert isinstance(node, TemplateNode)
            self.walk_template(dot, node)
        elif node_type is BreakNode:
            raise _BREAK
        elif node_type is ContinueNode:
            raise _CONTINUE
        elif node_type is CommentNode:
            pass
        else:
            self.errorf("unknown node: %s", str(node))

    def walk_if_or_with(self, is_with: bool, dot: Any, node: IfNode | WithNode) -> None:
        mark = len(self.vars)
        try:
            value = self.eval_pipeline(dot, node.pipe)
            result, ok = is_true(indirect_interface(value))
            if not ok:
                self.errorf("if/with can't use %v", value)
            if result:
                self.walk(value if is_with else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            del self.vars[mark:]

    def walk_range(self, dot: Any, node: RangeNode) -> None:
        self.node = node
        outer_mark = len(self.vars)
        try:
            value = self.eval_pipeline(dot, node.pipe)
            self.range_over(dot, node, value)
        except _Break:
            pass
        finally:
            del self.vars[outer_mark:]

    def range_over(self, dot: Any, node: RangeNode, value: Any) -> None:
        mark = len(self.vars)
        decl = node.pipe.decl
        items: Any
        value = indirect_interface(value)
        t = type_of(value) if value is not MISSING else None
        kind = t.kind if t is not None else "invalid"
        if kind in INT_KINDS or kind in UINT_KINDS:
            if len(decl) > 1:
                self.errorf("can't use %v to iterate over more than one variable", value)
            py_type = type(value)
            if int(value) <= 0:
                items = ()
            else:  # lazily: Go counts without materialising anything
                items = ((MISSING, py_type(position)) for position in range(int(value)))
        elif kind in ("slice", "array"):
            assert t is not None
            items = self._slice_items(value, t)
        elif kind == "map":
            assert t is not None
            items = self._map_items(value, t)
        elif kind == "invalid":
            items = []
        else:
            shown, _ = printable_value(value)
            self.errorf("range can't iterate over %v", shown)
        if not items:
            if node.else_list is not None:
                self.walk(dot, node.else_list)
            return
        for index, element in items:
            self.one_iteration(node, mark, index, element)

    @staticmethod
    def _slice_items(value: Any, t: GoType) -> list[tuple[Any, Any]]:
        if isinstance(value, (bytes, bytearray)):
            return [(position, Uint8(byte)) for position, byte in enumerate(value)]
        elem = t.elem
        if elem is not None and elem.kind == "interface":
            return [(position, Iface(item)) for position, item in enumerate(value)]
        return list(enumerate(value))

    @staticmethod
    def _map_items(value: Any, t: GoType) -> list[tuple[Any, Any]]:
        key_boxed = t.key is not None and t.key.kind == "interface"
        elem_boxed = t.elem is not None and t.elem.kind == "interface"
        items = []
        for key in sorted_keys(value):
            item = value[key]
            items.append((Iface(key) if key_boxed else key, Iface(item) if elem_boxed else item))
        return items

    def one_iteration(self, node: RangeNode, mark: int, index: Any, element: Any) -> None:
        self.node = node  # an exhausted step budget names the loop
        self.step()
        decl = node.pipe.decl
        if decl:
            if node.pipe.is_assign:
                # Go 1.22+: "range $i, $v = ..." assigns existing variables.
                if len(decl) > 1:
                    self.set_var(decl[0].ident[0], index)
                    self.set_var(decl[1].ident[0], element)
                else:
                    self.set_var(decl[0].ident[0], element)
            else:
                self.set_top_var(1, element)
                if len(decl) > 1:
                    self.set_top_var(2, index)
        try:
            self.walk(element, node.list)
        except _Continue:
            pass
        finally:
            del self.vars[mark:]

    def walk_template(self, dot: Any, node: TemplateNode) -> None:
        self.node = node
        template = self.tmpl.lookup(node.name)
        if template is None:
            self.errorf("template %q not defined", node.name)
        assert template is not None
        if self.depth == MAX_EXEC_DEPTH:
            self.errorf("exceeded maximum template depth (%v)", MAX_EXEC_DEPTH)
        dot = self.eval_pipeline(dot, node.pipe)
        inner = _State(template, self.sink, self.budget)
        inner.node = self.node
        inner.depth = self.depth + 1
        inner.vars = [("$", dot)]
        if template.tree is None or template.tree.root is None:
            inner.errorf("%q is an incomplete or empty template", template.name)
        try:
            inner.walk(dot, template.tree.root)
        except RecursionError:
            # Python's stack ends long before Go's depth limit of 100000 calls; report it as
            # Go does, from the innermost call that still has room to build the message.
            self.node = node
            self.errorf("exceeded maximum template depth (%v)", MAX_EXEC_DEPTH)

    def print_value(self, node: Node, value: Any) -> None:
        self.node = node
        printable, ok = printable_value(value)
        if not ok:
            t = type_of(value)
            self.errorf("can't print %s of type %s", str(node), t.name if t else "<nil>")
        self.write(sprint_value(printable))

    # -- pipelines and commands ----------------------------------------------------------------

    def eval_pipeline(self, dot: Any, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return MISSING
        self.node = pipe
        value = _NO_FINAL
        for command in pipe.cmds:
            value = self.eval_command(dot, command, value)
            if type(value) is Iface:
                value = MISSING if value.value is None else value.value
        for variable in pipe.decl:
            if pipe.is_assign:
                self.set_var(variable.ident[0], value)
            else:
                self.vars.append((variable.ident[0], value))
        return value

    def not_a_function(self, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not _NO_FINAL:
            self.errorf("can't give argument to non-function %s", str(args[0]))

    def eval_command(self, dot: Any, command: CommandNode, final: Any) -> Any:
        self.step()
        first = command.args[0]
        first_type = type(first)
        if first_type is FieldNode:
            return self.eval_field_node(dot, first, command.args, final)  # type: ignore[arg-type]
        if first_type is ChainNode:
            return self.eval_chain_node(dot, first, command.args, final)  # type: ignore[arg-type]
        if first_type is IdentifierNode:
            return self.eval_function(dot, first, command, command.args, final)  # type: ignore[arg-type]
        if first_type is PipeNode:
            self.not_a_function(command.args, final)
            return self.eval_pipeline(dot, first)  # type: ignore[arg-type]
        if first_type is VariableNode:
            return self.eval_variable_node(dot, first, command.args, final)  # type: ignore[arg-type]
        self.node = first
        self.not_a_function(command.args, final)
        if first_type is BoolNode:
            return first.true  # type: ignore[attr-defined]
        if first_type is DotNode:
            return dot
        if first_type is NilNode:
            self.errorf("nil is not a command")
        if first_type is NumberNode:
            return self.ideal_constant(first)  # type: ignore[arg-type]
        if first_type is StringNode:
            return first.text  # type: ignore[attr-defined]
        self.errorf("can't evaluate command %q", str(first))

    def ideal_constant(self, constant: NumberNode) -> Any:
        self.node = constant
        text = constant.text
        if constant.is_complex:
            return constant.complex128
        if (
            constant.is_float
            and not _is_hex_int(text)
            and not text.startswith("'")
            and any(char in text for char in ".eEpP")
        ):
            return constant.float64
        if constant.is_int:
            return constant.int64
        if constant.is_uint:
            self.errorf("%s overflows int", text)
        return MISSING

    def eval_field_node(self, dot: Any, field: FieldNode, args: list[Node], final: Any) -> Any:
        self.node = field
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot: Any, chain: ChainNode, args: list[Node], final: Any) -> Any:
        self.node = chain
        if not chain.field:
            self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, NilNode):
            self.errorf("indirection through explicit nil in %s", str(chain))
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(
        self, dot: Any, variable: VariableNode, args: list[Node] | None, final: Any
    ) -> Any:
        self.node = variable
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args or [variable], final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(
        self,
        dot: Any,
        receiver: Any,
        node: Node,
        ident: list[str],
        args: list[Node] | None,
        final: Any,
    ) -> Any:
        last = len(ident) - 1
        for index in range(last):
            receiver = self.eval_field(dot, ident[index], node, None, _NO_FINAL, receiver)
        return self.eval_field(dot, ident[last], node, args, final, receiver)

    def eval_function(
        self, dot: Any, node: IdentifierNode, command: Node, args: list[Node] | None, final: Any
    ) -> Any:
        self.node = node
        name = node.ident
        function = self.tmpl.common.funcs.get(name)
        is_builtin = False
        if function is None:
            function = BUILTINS.get(name)
            is_builtin = True
        if function is None:
            self.errorf("%q is not a defined function", name)
        assert function is not None
        return self.eval_call(dot, function, is_builtin, command, name, args, final)

    def eval_field(
        self,
        dot: Any,
        field_name: str,
        node: Node,
        args: list[Node] | None,
        final: Any,
        receiver: Any,
    ) -> Any:
        if receiver is MISSING or receiver is None:
            return MISSING
        boxed = type(receiver) is Iface
        static_type = EMPTY_INTERFACE if boxed else type_of(receiver)
        assert static_type is not None
        value = receiver.value if boxed else receiver
        if value is None:
            self.errorf("nil pointer evaluating %s.%s", static_type.name, field_name)
        t = type_of(value)
        assert t is not None
        is_nil = isinstance(value, NilPointer)
        method = t.method(field_name)
        if method is None and t.has_method(field_name):
            method = _synthesized_method(field_name)
        if method is not None:
            return self.eval_call(dot, method, False, node, field_name, args, final, value)
        has_args = (args is not None and len(args) > 1) or final is not _NO_FINAL
        kind = t.kind
        struct_type = t.elem if kind == "ptr" and t.elem is not None else t
        if kind == "ptr" and is_nil:
            if struct_type.kind == "struct" and field_name not in struct_type.fields:
                pass
            else:
                self.errorf("nil pointer evaluating %s.%s", static_type.name, field_name)
        elif struct_type.kind == "struct":
            fields = getattr(value, "go_fields", None)
            if fields is not None and field_name in fields:
                if not field_name[0].isupper():
                    self.errorf(
                        "%s is an unexported field of struct type %s", field_name, static_type.name
                    )
                if has_args:
                    self.errorf("%s has arguments but cannot be invoked as function", field_name)
                return fields[field_name]
        elif kind == "map":
            key_type, elem_type = t.key, t.elem
            assert key_type is not None and elem_type is not None
            if key_type is STRING or key_type.kind == "interface":
                if has_args:
                    self.errorf("%s is not a method but has arguments", field_name)
                if field_name in value:
                    found = value[field_name]
                    return Iface(found) if elem_type.kind == "interface" else found
                return MISSING
        self.errorf("can't evaluate field %s in type %s", field_name, static_type.name)

    # -- calls -----------------------------------------------------------------------------

    def eval_call(
        self,
        dot: Any,
        function: GoFunc,
        is_builtin: bool,
        node: Node,
        name: str,
        args: list[Node] | None,
        final: Any,
        receiver: Any = _NO_FINAL,
    ) -> Any:
        arg_nodes = args[1:] if args else []
        params = function.params
        num_in = len(arg_nodes) + (final is not _NO_FINAL)
        num_fixed = len(arg_nodes)
        if function.variadic:
            num_fixed = len(params) - 1
            if num_in < num_fixed:
                self.errorf(
                    "wrong number of args for %s: want at least %d got %d",
                    name,
                    len(params) - 1,
                    len(arg_nodes),
                )
        elif num_in != len(params):
            self.errorf("wrong number of args for %s: want %d got %d", name, len(params), num_in)

        if is_builtin and (name == "and" or name == "or"):
            want = name == "or"
            result: Any = MISSING
            for arg in arg_nodes:
                result = self.eval_arg(dot, REFLECT_VALUE, arg)
                if truth(result) == want:
                    return result
            if final is not _NO_FINAL:
                result = self.validate(final, REFLECT_VALUE)
            return result

        argv: list[Any] = [] if receiver is _NO_FINAL else [receiver]
        index = 0
        fixed = min(num_fixed, len(arg_nodes))
        while index < fixed:
            argv.append(self.eval_arg(dot, params[index], arg_nodes[index]))
            index += 1
        if function.variadic:
            elem = params[-1].elem
            while index < len(arg_nodes):
                argv.append(self.eval_arg(dot, elem, arg_nodes[index]))
                index += 1
        if final is not _NO_FINAL:
            target = params[-1]
            if function.variadic:
                target = params[num_in - 1] if num_in - 1 < num_fixed else target.elem  # type: ignore[assignment]
            argv.append(self.validate(final, target))
        try:
            result = function.fn(*argv)
        except (_ExecFailure, _Break, _Continue, RecursionError):
            raise
        except MemoryError:
            self.node = node
            self.errorf("error calling %s: %s", name, "out of memory")
        except Exception as problem:  # Go recovers panics and errors of called functions
            self.node = node
            self.errorf("error calling %s: %w", name, GoErrorValue(_error_text(problem)))
        if type(result) is str or isinstance(result, list):
            self._check_result(node, name, result)
        return convert_result(function, result)

    def _check_result(self, node: Node, name: str, result: Any) -> None:
        """No function result may exceed the per-value budgets (the functions that could
        build a huge value refuse before building it; this catches everything else)."""
        try:
            if type(result) is str:
                limits.check_size(len(result))
            else:
                limits.check_length(len(result))
        except limits.LimitError as problem:
            self.node = node
            self.errorf("error calling %s: %w", name, GoErrorValue(str(problem)))

    def validate(self, value: Any, target: GoType | None) -> Any:
        try:
            return validate_type(value, target)
        except ArgumentError as problem:
            self.errorf("%s", str(problem))

    def eval_arg(self, dot: Any, target: GoType | None, node: Node) -> Any:
        self.node = node
        node_type = type(node)
        if node_type is DotNode:
            return self.validate(dot, target)
        if node_type is NilNode:
            if target is not None and can_be_nil(target):
                return self.validate(MISSING, target)
            self.errorf("cannot assign nil to %s", target.name if target else "<nil>")
        if node_type is FieldNode:
            return self.validate(self.eval_field_node(dot, node, [node], _NO_FINAL), target)  # type: ignore[arg-type]
        if node_type is VariableNode:
            return self.validate(self.eval_variable_node(dot, node, None, _NO_FINAL), target)  # type: ignore[arg-type]
        if node_type is PipeNode:
            return self.validate(self.eval_pipeline(dot, node), target)  # type: ignore[arg-type]
        if node_type is IdentifierNode:
            return self.validate(self.eval_function(dot, node, node, None, _NO_FINAL), target)  # type: ignore[arg-type]
        if node_type is ChainNode:
            return self.validate(self.eval_chain_node(dot, node, [], _NO_FINAL), target)  # type: ignore[arg-type]
        if target is None:
            self.errorf("can't handle %s for arg of type %s", str(node), "<nil>")
        assert target is not None
        kind = target.kind
        if kind == "bool":
            if node_type is BoolNode:
                return node.true if target is BOOL else _named(target, node.true)  # type: ignore[attr-defined]
            self.errorf("expected bool; found %s", str(node))
        if kind in COMPLEX_KINDS:
            if node_type is NumberNode and node.is_complex:  # type: ignore[attr-defined]
                return node.complex128  # type: ignore[attr-defined]
            self.errorf("expected complex; found %s", str(node))
        if kind in FLOAT_KINDS:
            if node_type is NumberNode and node.is_float:  # type: ignore[attr-defined]
                value = node.float64  # type: ignore[attr-defined]
                if target is FLOAT32:
                    return Float32.wrap(value)
                return _named(target, value)
            self.errorf("expected float; found %s", str(node))
        if kind in INT_KINDS:
            if node_type is NumberNode and node.is_int:  # type: ignore[attr-defined]
                return make_integer(target, node.int64)  # type: ignore[attr-defined]
            self.errorf("expected integer; found %s", str(node))
        if kind == "interface" and target is EMPTY_INTERFACE:
            return self.eval_empty_interface(dot, node)
        if target is REFLECT_VALUE:
            return self.eval_empty_interface(dot, node)
        if kind == "string":
            if node_type is StringNode:
                return node.text if target is STRING else _named(target, node.text)  # type: ignore[attr-defined]
            self.errorf("expected string; found %s", str(node))
        if kind in UINT_KINDS:
            if node_type is NumberNode and node.is_uint:  # type: ignore[attr-defined]
                return make_integer(target, node.uint64)  # type: ignore[attr-defined]
            self.errorf("expected unsigned integer; found %s", str(node))
        self.errorf("can't handle %s for arg of type %s", str(node), target.name)

    def eval_empty_interface(self, dot: Any, node: Node) -> Any:
        self.node = node
        node_type = type(node)
        if node_type is BoolNode:
            return node.true  # type: ignore[attr-defined]
        if node_type is DotNode:
            return dot
        if node_type is FieldNode:
            return self.eval_field_node(dot, node, [], _NO_FINAL)  # type: ignore[arg-type]
        if node_type is IdentifierNode:
            return self.eval_function(dot, node, node, None, _NO_FINAL)  # type: ignore[arg-type]
        if node_type is NilNode:
            self.errorf("evalEmptyInterface: nil (can't happen)")
        if node_type is NumberNode:
            return self.ideal_constant(node)  # type: ignore[arg-type]
        if node_type is StringNode:
            return node.text  # type: ignore[attr-defined]
        if node_type is VariableNode:
            return self.eval_variable_node(dot, node, None, _NO_FINAL)  # type: ignore[arg-type]
        if node_type is PipeNode:
            return self.eval_pipeline(dot, node)  # type: ignore[arg-type]
        self.errorf("can't handle assignment of %s to empty interface argument", str(node))


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


def _named(target: GoType, value: Any) -> Any:
    """A constant converted to a named basic type (``type X string``) when its class is known."""
    if target.py_class is not None:
        return target.py_class(value)
    return value


def _error_text(problem: BaseException) -> str:
    text = str(problem)
    if not text and not hasattr(problem, "message"):
        return type(problem).__name__
    return text


_SYNTHESIZED: dict[str, GoFunc] = {}


def _synthesized_method(name: str) -> GoFunc:
    """``.String`` / ``.Error`` on a type whose Python class implements them as ``__str__``."""
    method = _SYNTHESIZED.get(name)
    if method is None:
        method = GoFunc(str, (), "string", name=name)
        _SYNTHESIZED[name] = method
    return method

"""Decode an HCL syntax tree into plain values, following hcl v1's decoder rule by rule.

Users' configurations rely on hcl v1's decoding behaviour, so it is
reproduced exactly (the upstream behaviour notes, section 3.3):

* keys match field names case-insensitively (Go's ``EqualFold``);
* ``job "a" {}`` (a labelled block) and ``job { }`` / ``job = { }`` both
  feed a field; labelled blocks are decoded first, then the unlabelled ones;
* slices accumulate: every ``watch`` block, and every ``args = [...]``
  assignment, appends;
* pointers (``lazy``, ``overwrite``, probe kinds) are replaced by each occurrence;
* strings accept integer literals verbatim, integers accept quoted integers
  (``strconv.ParseInt`` with base prefixes and ``_``), booleans only
  ``true``/``false``;
* free-form maps (``params``) keep Go's kinds: int, float64, string, bool,
  ``[]interface{}``; an object nested in a map becomes a one-element list of
  maps (:class:`MapList`); repeated keys are merged the way Go merges them;
* a value is read (unquoted) only when a field uses it.

Unlike hcl v1, which stops at the first problem, the decoder records an error
and goes on with the next field, list element or map entry, so one run
reports every mistake of a file. It also reports keys no field uses (with a
suggestion). ``StructValue.field_pos`` remembers where each field's value was
written, for the checks that come after decoding.
"""

from __future__ import annotations

from .ast import (
    Key,
    ListNode,
    Literal,
    ObjectItem,
    ObjectList,
    ObjectNode,
    describe_node,
    fold_key,
)
from .errors import HclDecodeError, HclError, Pos
from .lexer import Tok
from .numbers import NumberError, parse_float, parse_int
from .types import (
    AnyType,
    BoolType,
    Field,
    FloatType,
    IntType,
    MapList,
    MapType,
    PlacedStr,
    PlacedStringType,
    PtrType,
    SliceType,
    StringType,
    StructType,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .ast import Node
    from .types import TypeSpec


class StructValue(dict[str, "Any"]):
    """A decoded struct: Go field name → value, plus where things were written.

    ``failed`` names the fields whose value could not be decoded (an error was
    recorded; the field holds whatever decoded before), so later checks can
    leave them alone instead of piling up follow-up errors.
    """

    pos: Pos | None
    field_pos: dict[str, Pos]
    failed: set[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pos = None
        self.field_pos = {}
        self.failed = set()


class Warning:
    """Something that decoded but is probably not what the author meant."""

    __slots__ = ("hint", "message", "pos")

    def __init__(self, pos: Pos, message: str, hint: str = "") -> None:
        self.pos = pos
        self.message = message
        self.hint = hint


def zero_value(spec: TypeSpec) -> Any:
    """Go's zero value for a type (what an absent field holds)."""
    if isinstance(spec, StringType):
        return ""
    if isinstance(spec, IntType):
        return 0
    if isinstance(spec, BoolType):
        return False
    if isinstance(spec, FloatType):
        return 0.0
    if isinstance(spec, StructType):
        value = StructValue()
        for f in spec.fields:
            value[f.go_name] = zero_value(f.type)
        return value
    return None


def parse_go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, or ``None`` if it refuses ``text``."""
    try:
        return parse_int(text)
    except NumberError:
        return None


class Decoder:
    """Decodes documents; collects errors and warnings as it goes."""

    def __init__(self, on_warning: Callable[[Warning], None] | None = None) -> None:
        self.warnings: list[Warning] = []
        self.errors: list[HclError] = []
        self._on_warning = on_warning

    def warn(self, pos: Pos, message: str, hint: str = "") -> None:
        warning = Warning(pos, message, hint)
        self.warnings.append(warning)
        if self._on_warning is not None:
            self._on_warning(warning)

    def decode_document(self, body: ObjectList, spec: StructType) -> StructValue:
        """Decode a whole file; problems are in :attr:`errors` and :attr:`warnings`."""
        result: StructValue = zero_value(spec)
        self._attempt(lambda: self._struct("", body, spec, result))
        return result

    def _attempt(self, action: Callable[[], Any], extension: bool = False) -> bool:
        """Run one decoding step; a failure is recorded and the caller goes on.

        ``extension``: the step decodes a key the original ignores, so hcl v1
        would not have complained.
        """
        errors_before = len(self.errors)
        try:
            action()
        except HclError as exc:
            self.errors.append(exc)
        if extension:
            for error in self.errors[errors_before:]:
                if error.stricter is None:
                    error.stricter = "extension-field"
        return len(self.errors) == errors_before

    # -- dispatch -------------------------------------------------------------
    def decode(self, where: str, node: Node, spec: TypeSpec, current: Any) -> Any:
        """Decode ``node`` into a value of ``spec``, starting from ``current``."""
        if isinstance(spec, StringType):
            text = self._string(where, node)
            if isinstance(spec, PlacedStringType):
                placed = PlacedStr(text)
                placed.pos = node_pos(node)
                return placed
            return text
        if isinstance(spec, IntType):
            return self._int(where, node)
        if isinstance(spec, BoolType):
            return self._bool(where, node)
        if isinstance(spec, FloatType):
            return self._float(where, node)
        if isinstance(spec, SliceType):
            return self._slice(where, node, spec.elem, current)
        if isinstance(spec, PtrType):
            return self.decode(where, node, spec.elem, zero_value(spec.elem))
        if isinstance(spec, StructType):
            return self._struct(where, node, spec, current)
        if isinstance(spec, MapType):
            return self._map(where, node, current)
        return self._any(where, node, current, in_slice=False)

    # -- scalars ----------------------------------------------------------------
    def _mismatch(self, where: str, node: Node, expected: str, hint: str = "") -> HclDecodeError:
        return HclDecodeError(
            node_pos(node), f"{where}: expected {expected}, found {describe_node(node)}", hint=hint
        )

    def _string(self, where: str, node: Node) -> str:
        if isinstance(node, Literal):
            if node.kind == Tok.NUMBER:
                return node.text
            if node.kind in (Tok.STRING, Tok.HEREDOC):
                return node.value
            if node.kind in (Tok.BOOL, Tok.FLOAT):
                raise self._mismatch(
                    where, node, "a string", f'write "{node.text}" in quotes if you mean text'
                )
        if isinstance(node, ListNode) and len(node.items) == 1:
            raise self._mismatch(where, node, "a string", "write the value without [ ]")
        raise self._mismatch(where, node, "a string")

    def _int(self, where: str, node: Node) -> int:
        if isinstance(node, Literal) and node.kind in (Tok.NUMBER, Tok.STRING):
            text = node.text if node.kind == Tok.NUMBER else node.value
            try:
                return parse_int(text)
            except NumberError as exc:
                if exc.kind == "range":
                    raise HclDecodeError(
                        node.pos,
                        f"{where}: {describe_node(node)} is out of range for a whole number "
                        "(-9223372036854775808 to 9223372036854775807)",
                    ) from None
                raise self._mismatch(where, node, "a whole number", _INT_HINT) from None
        raise self._mismatch(where, node, "a whole number", _INT_HINT)

    def _bool(self, where: str, node: Node) -> bool:
        if isinstance(node, Literal) and node.kind == Tok.BOOL:
            return node.text == "true"
        hint = ""
        if isinstance(node, Literal) and node.kind == Tok.STRING and node.text:
            value = _safe_value(node)
            if value in ("true", "false"):
                hint = f"write {value} without quotes"
            elif value is not None and value.lower() in ("yes", "no", "on", "off", "1", "0"):
                truth = "true" if value.lower() in ("yes", "on", "1") else "false"
                hint = f"write {truth} without quotes"
        elif isinstance(node, Literal) and node.kind == Tok.NUMBER and node.text in ("0", "1"):
            hint = f"write {'true' if node.text == '1' else 'false'}"
        raise HclDecodeError(
            node_pos(node), f"{where}: expected true or false, found {describe_node(node)}", hint=hint
        )

    def _float(self, where: str, node: Node) -> float:
        if isinstance(node, Literal) and node.kind in (Tok.NUMBER, Tok.FLOAT):
            try:
                return parse_float(node.text)
            except NumberError:
                raise HclDecodeError(
                    node.pos, f"{where}: {describe_node(node)} is not a number hcl v1 can read"
                ) from None
        raise self._mismatch(where, node, "a number")

    # -- containers -------------------------------------------------------------
    def _slice(self, where: str, node: Node, elem: TypeSpec, current: Any) -> list[Any]:
        items: list[Node]
        if isinstance(node, ObjectList):
            items = list(node.items)
        elif isinstance(node, ObjectNode):
            items = [node]
        elif isinstance(node, ListNode):
            items = node.items
        else:
            hint = ""
            if isinstance(node, Literal) and node.kind in (Tok.STRING, Tok.NUMBER):
                hint = f"write [{node.text}]"
            raise self._mismatch(where, node, "a list", hint)
        result: list[Any] = (
            current if current is not None else (MapList() if isinstance(elem, MapType) else [])
        )
        struct_elem = _is_struct(elem)
        for index, item in enumerate(items):
            if isinstance(item, ObjectItem) and struct_elem and len(item.keys) == 2:
                item = _expand_item(item)
            label = where if isinstance(item, ObjectItem) and struct_elem else f"{where}[{index}]"

            def element(item: Node = item, label: str = label) -> None:
                result.append(self._element(label, item, elem))

            self._attempt(element)
        return result

    def _element(self, label: str, item: Node, elem: TypeSpec) -> Any:
        if isinstance(elem, AnyType):
            return self._any(label, item, None, in_slice=True)
        return self.decode(label, item, elem, zero_value(elem))

    def _map(self, where: str, node: Node, current: Any) -> dict[str, Any]:
        if isinstance(node, ObjectItem):
            node = ObjectList([node], node.pos)
        if isinstance(node, ObjectNode):
            node = node.body
        if not isinstance(node, ObjectList):
            raise self._mismatch(where, node, "an object { ... }")
        result: dict[str, Any] = current if current is not None else {}
        done: set[str] = set()
        for item in node.items:
            if not item.keys:
                raise HclDecodeError(item.pos, f"{where}: every entry of a map needs a key")
            try:
                key = item.keys[0].name
            except HclError as exc:
                self.errors.append(exc)
                continue
            if key in done:
                continue
            value_node: Node = item.value
            if len(item.keys) > 1:
                value_node = node.filter(key)
                done.add(key)

            def entry(key: str = key, value_node: Node = value_node) -> None:
                result[key] = self._any(
                    f"{where}.{key}", value_node, result.get(key), in_slice=False
                )

            self._attempt(entry)
        return result

    def _any(self, where: str, node: Node, current: Any, *, in_slice: bool) -> Any:
        """``interface{}``: an existing value's kind wins, as in Go's reflection."""
        if current is not None:
            return self._into_existing(where, node, current)
        if isinstance(node, ObjectNode | ObjectList):
            if in_slice:
                return self._map(where, node, {})
            return self._slice(where, node, MapType(), MapList())
        if isinstance(node, ListNode):
            return self._slice(where, node, AnyType(), [])
        if isinstance(node, Literal):
            if node.kind == Tok.BOOL:
                return node.text == "true"
            if node.kind == Tok.FLOAT:
                return self._float(where, node)
            if node.kind == Tok.NUMBER:
                return self._int(where, node)
            return node.value
        raise HclDecodeError(node_pos(node), f"{where}: a labelled block cannot be used here")

    def _into_existing(self, where: str, node: Node, current: Any) -> Any:
        if isinstance(current, bool):
            return self._bool(where, node)
        if isinstance(current, int):
            return self._int(where, node)
        if isinstance(current, float):
            return self._float(where, node)
        if isinstance(current, str):
            return self._string(where, node)
        if isinstance(current, MapList):
            return self._slice(where, node, MapType(), current)
        if isinstance(current, list):
            return self._slice(where, node, AnyType(), current)
        return self._map(where, node, current)

    # -- structs ------------------------------------------------------------------
    def _struct(self, where: str, node: Node, spec: StructType, current: Any) -> StructValue:
        item: ObjectItem | None = None
        if isinstance(node, ObjectItem):
            item = node
            node = item.value
        if isinstance(node, ObjectNode):
            node = node.body
        if isinstance(node, Literal) and item is not None:
            node = ObjectList([item], item.pos)
        if not isinstance(node, ObjectList):
            raise self._mismatch(where, node, "a block { ... }")
        result: StructValue = current if isinstance(current, StructValue) else zero_value(spec)
        if result.pos is None:
            result.pos = item.pos if item is not None else node.pos
        # hcl v1 filters the body once per field; grouping the items by their folded
        # first key once gives the same matches, in the same order, much faster.
        groups: dict[str, list[ObjectItem]] = {}
        for entry in node.items:
            if entry.keys and self._readable(entry.keys[0]):
                groups.setdefault(fold_key(entry.keys[0].name), []).append(entry)
        key_field = next((f for f in spec.fields if f.is_key), None)
        if key_field is not None:
            label = self._label(where, item, node)
            if label is None:
                result.failed.add(key_field.go_name)
            else:
                result[key_field.go_name] = label.name
                result.field_pos[key_field.go_name] = label.pos
                where = f'{where} "{label.name}"'
        for f in spec.fields:
            if not f.is_key:
                matching = groups.get(f.folded)
                if matching:
                    self._struct_field(where, node, matching, f, result)
        self._warn_unknown(where, node, spec)
        return result

    def _label(self, where: str, item: ObjectItem | None, node: ObjectList) -> Key | None:
        if item is None or not item.keys:
            self.errors.append(
                HclDecodeError(
                    item.pos if item is not None else node.pos,
                    f"{where}: this block needs a name (a label after its type)",
                )
            )
            return None
        label = item.keys[0]
        return label if self._readable(label) else None

    def _readable(self, key: Key) -> bool:
        """Whether the key can be unquoted (hcl v1 reads every key it filters); else an error."""
        try:
            key.name  # noqa: B018 - evaluated for its error
        except HclError as exc:
            self.errors.append(exc)
            return False
        return True

    def _struct_field(
        self,
        where: str,
        body: ObjectList,
        items: list[ObjectItem],
        f: Field,
        result: StructValue,
    ) -> None:
        matches = ObjectList(
            [ObjectItem(i.keys[1:], i.value, i.assign, i.pos) for i in items], body.pos
        )
        label = f"{where}: {f.hcl_name}" if where else f.hcl_name
        labelled = matches.children()
        errors_before = len(self.errors)
        if labelled.items:

            def labelled_field() -> None:
                result[f.go_name] = self.decode(label, labelled, f.type, result[f.go_name])

            result.field_pos.setdefault(f.go_name, labelled.items[0].pos)
            if not self._attempt(labelled_field, f.extension):
                result.failed.add(f.go_name)
        for match in matches.elements().items:
            value: Node = match.value
            if isinstance(value, ObjectNode):
                value = value.body

            def element_field(value: Node = value) -> None:
                result[f.go_name] = self.decode(label, value, f.type, result[f.go_name])

            result.field_pos[f.go_name] = node_pos(match.value)
            if not self._attempt(element_field, f.extension):
                result.failed.add(f.go_name)
        if f.hint:
            for error in self.errors[errors_before:]:
                if error.message.startswith(f"{label}: expected"):
                    error.hint = f.hint

    def _warn_unknown(self, where: str, body: ObjectList, spec: StructType) -> None:
        known = [f.hcl_name for f in spec.fields if not f.is_key]
        for item in body.items:
            if not item.keys:
                continue
            name = item.keys[0].safe_name
            if name is None or spec.field_named(name) is not None:
                continue
            prefix = f"{where}: " if where else ""
            self.warn(
                item.keys[0].pos,
                f"{prefix}unknown key '{name}' is ignored",
                _unknown_key_hint(name, spec, known),
            )


def node_pos(node: Node) -> Pos:
    return node.pos


def _safe_value(node: Literal) -> str | None:
    try:
        return node.value
    except HclError:
        return None


_INT_HINT = "a number like 3, or a quoted one like \"3\""


def _unknown_key_hint(name: str, spec: StructType, known: list[str]) -> str:
    hint = spec.hints.get(name.casefold())
    if hint is None:
        import difflib

        folded = {k.casefold(): k for k in known}
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
        hint = f"did you mean '{folded[close[0]]}'?" if close else "known keys: " + ", ".join(known)
    return hint


def _is_struct(spec: TypeSpec) -> bool:
    return isinstance(spec, StructType) or (
        isinstance(spec, PtrType) and isinstance(spec.elem, StructType)
    )


def _expand_item(item: ObjectItem) -> ObjectItem:
    """Undo hcl-JSON flattening for a labelled block with one nested block.

    ``{"job": {"a": {"b": {...}}}}`` flattens to an item keyed ``a b``; hcl v1
    re-nests it so that ``a`` is the label and ``b`` a block inside it. The
    same applies to ``job "a" "b" { }`` written natively.
    """
    inner = ObjectItem(item.keys[1:], item.value, item.assign, item.keys[1].pos)
    body = ObjectList([inner], item.pos)
    return ObjectItem(item.keys[:1], ObjectNode(body, item.pos), False, item.pos)

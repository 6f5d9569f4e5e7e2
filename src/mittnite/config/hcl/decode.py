"""Decode an HCL syntax tree into plain values, following hcl v1's rules.

Users' configurations rely on hcl v1's decoding behaviour, so it is
reproduced rule by rule (see the upstream behaviour notes, section 3.3):

* keys match field names case-insensitively;
* ``job "a" {}`` (a labelled block) and ``job { }`` / ``job = { }`` both
  feed a field; labelled blocks are decoded first, then the unlabelled ones;
* slices accumulate: every ``watch`` block, and every ``args = [...]``
  assignment, appends;
* pointers (``lazy``, ``overwrite``, probe kinds) are replaced by each occurrence;
* strings accept integer literals verbatim, integers accept quoted integers
  (``strconv.ParseInt`` with base prefixes), booleans only ``true``/``false``;
* free-form maps (``params``) keep Go's kinds: int, float64, string, bool,
  ``[]interface{}``; an object nested in a map becomes a one-element list of
  maps (:class:`MapList`); repeated keys are merged the way Go merges them.

Unlike hcl v1 it also reports keys no field uses (with a suggestion), and
its errors say in plain words what was expected.
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
)
from .errors import HclDecodeError, Pos
from .lexer import Tok
from .types import (
    AnyType,
    BoolType,
    Field,
    FloatType,
    IntType,
    MapList,
    MapType,
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
    """A decoded struct: Go field name → value, plus where things were written."""

    pos: Pos | None
    field_pos: dict[str, Pos]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pos = None
        self.field_pos = {}


class Warning:
    """Something that decoded but is probably not what the author meant."""

    __slots__ = ("message", "pos")

    def __init__(self, pos: Pos, message: str) -> None:
        self.pos = pos
        self.message = message


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


_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def parse_go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``: sign, ``0x``/``0o``/``0b``/leading-0 octal
    prefixes, ``_`` between digits when a prefix allows it. ``None`` if invalid
    or out of range (see :func:`go_int_problem` for which)."""
    value = _parse_go_int_unbounded(text)
    if value is None or value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


def go_int_problem(text: str) -> str:
    """Why :func:`parse_go_int` refused ``text``, in words."""
    if _parse_go_int_unbounded(text) is None:
        return "is not a whole number"
    return "is out of range for a 64-bit integer"


def _parse_go_int_unbounded(text: str) -> int | None:
    s = text
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if not s:
        return None
    base = 10
    digits = s
    prefixed = False
    lowered = s[:2].lower()
    if lowered in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[lowered]
        digits = s[2:]
        prefixed = True
    elif len(s) > 1 and s[0] == "0":
        base = 8
        digits = s[1:]
        prefixed = True
    if "_" in s:
        if not _underscores_ok(s, prefixed):
            return None
        digits = digits.replace("_", "")
    if not digits:
        return None
    allowed = "0123456789abcdef"[:base]
    if any(c.lower() not in allowed for c in digits):
        return None
    return sign * int(digits, base)


def _underscores_ok(s: str, prefixed: bool) -> bool:
    """Go's rule: underscores only with a base prefix, and only between digits."""
    if not prefixed:
        return False
    saw = "^"  # '^' start, '0' digit or prefix, '_' underscore, '!' other
    i = 0
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "xob":
        i = 2
        saw = "0"
    for ch in s[i:]:
        if ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif ch.isalnum():
            saw = "0"
        else:
            return False
    return saw != "_"


class Decoder:
    """Decodes one document; collects warnings as it goes."""

    def __init__(self, on_warning: Callable[[Warning], None] | None = None) -> None:
        self.warnings: list[Warning] = []
        self._on_warning = on_warning

    def warn(self, pos: Pos, message: str) -> None:
        warning = Warning(pos, message)
        self.warnings.append(warning)
        if self._on_warning is not None:
            self._on_warning(warning)

    # -- dispatch -------------------------------------------------------------
    def decode(self, where: str, node: Node, spec: TypeSpec, current: Any) -> Any:
        """Decode ``node`` into a value of ``spec``, starting from ``current``."""
        if isinstance(spec, StringType):
            return self._string(where, node)
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
    def _mismatch(self, where: str, node: Node, expected: str) -> HclDecodeError:
        return HclDecodeError(
            node.pos, f"{where}: expected {expected}, found {describe_node(node)}"
        )

    def _string(self, where: str, node: Node) -> str:
        if isinstance(node, Literal):
            if node.kind == Tok.NUMBER:
                return node.text
            if node.kind in (Tok.STRING, Tok.HEREDOC):
                return node.value
        raise self._mismatch(where, node, "a string")

    def _int(self, where: str, node: Node) -> int:
        if isinstance(node, Literal) and node.kind in (Tok.NUMBER, Tok.STRING):
            text = node.text if node.kind == Tok.NUMBER else node.value
            value = parse_go_int(text)
            if value is None:
                raise HclDecodeError(node.pos, f"{where}: {text!r} {go_int_problem(text)}")
            return value
        raise self._mismatch(where, node, "a whole number")

    def _bool(self, where: str, node: Node) -> bool:
        if isinstance(node, Literal) and node.kind == Tok.BOOL:
            return node.text == "true"
        hint = ""
        if (
            isinstance(node, Literal)
            and node.kind == Tok.STRING
            and node.value
            in (
                "true",
                "false",
            )
        ):
            hint = f" (write {node.value} without quotes)"
        raise HclDecodeError(
            node.pos,
            f"{where}: expected true or false, found {describe_node(node)}{hint}",
        )

    def _float(self, where: str, node: Node) -> float:
        if isinstance(node, Literal) and node.kind in (Tok.NUMBER, Tok.FLOAT):
            return _go_float(node.text, node.pos, where)
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
            raise self._mismatch(where, node, "a list")
        result: list[Any] = (
            current if current is not None else (MapList() if isinstance(elem, MapType) else [])
        )
        for index, item in enumerate(items):
            if isinstance(item, ObjectItem) and _is_struct(elem) and len(item.keys) == 2:
                item = _expand_item(item)
            label = (
                where if isinstance(item, ObjectItem) and _is_struct(elem) else f"{where}[{index}]"
            )
            if isinstance(elem, AnyType):
                result.append(self._any(label, item, None, in_slice=True))
            else:
                result.append(self.decode(label, item, elem, zero_value(elem)))
        return result

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
            key = item.keys[0].name
            if key in done:
                continue
            value_node: Node = item.value
            if len(item.keys) > 1:
                value_node = node.filter(key)
                done.add(key)
            result[key] = self._any(f"{where}.{key}", value_node, result.get(key), in_slice=False)
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
                return _go_float(node.text, node.pos, where)
            if node.kind == Tok.NUMBER:
                return self._int(where, node)
            return node.value
        raise HclDecodeError(node.pos, f"{where}: a labelled block cannot be used here")

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
        key_field = next((f for f in spec.fields if f.is_key), None)
        if key_field is not None:
            if item is None or not item.keys:
                raise HclDecodeError(
                    node.pos, f"{where}: this block needs a name (a label after its type)"
                )
            result[key_field.go_name] = item.keys[0].name
            result.field_pos[key_field.go_name] = item.keys[0].pos
            where = f'{where} "{item.keys[0].name}"'
        for f in spec.fields:
            if not f.is_key:
                self._struct_field(where, node, f, result)
        self._warn_unknown(where, node, spec)
        return result

    def _struct_field(self, where: str, body: ObjectList, f: Field, result: StructValue) -> None:
        matches = body.filter(f.hcl_name)
        if not matches.items:
            return
        label = f"{where}: {f.hcl_name}" if where else f.hcl_name
        labelled = matches.children()
        if labelled.items:
            result[f.go_name] = self.decode(label, labelled, f.type, result[f.go_name])
            result.field_pos[f.go_name] = labelled.items[0].pos
        for match in matches.elements().items:
            value: Node = match.value
            if isinstance(value, ObjectNode):
                value = value.body
            result[f.go_name] = self.decode(label, value, f.type, result[f.go_name])
            result.field_pos[f.go_name] = match.value.pos

    def _warn_unknown(self, where: str, body: ObjectList, spec: StructType) -> None:
        known = [f.hcl_name for f in spec.fields if not f.is_key]
        for item in body.items:
            if not item.keys or spec.field_named(item.keys[0].name) is not None:
                continue
            key = item.keys[0]
            self.warn(key.pos, _unknown_key_message(where, key, spec, known))


def _unknown_key_message(where: str, key: Key, spec: StructType, known: list[str]) -> str:
    prefix = f"{where}: " if where else ""
    hint = spec.hints.get(key.name.casefold())
    if hint is None:
        import difflib

        folded = {k.casefold(): k for k in known}
        close = difflib.get_close_matches(key.name.casefold(), list(folded), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{folded[close[0]]}'?" if close else ("known keys: " + ", ".join(known))
        )
    return f"{prefix}unknown key '{key.name}' is ignored; {hint}"


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


def _go_float(text: str, pos: Pos, where: str) -> float:
    try:
        if text.lower().startswith(("0x", "-0x")):
            value = parse_go_int(text)
            if value is None:
                raise ValueError(text)
            return float(value)
        return float(text)
    except ValueError:
        raise HclDecodeError(pos, f"{where}: {text!r} is not a number") from None

"""Type descriptions that drive the decoder, in the shapes Go's reflection offers.

hcl v1 decodes by reflecting over Go struct types; its behaviour (which value
fits which field, when blocks accumulate, how objects nested in free-form
maps turn into lists) depends on the *kind* of the target. These small
descriptors name those kinds so the decoder can reproduce the behaviour.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    from .errors import Pos

    TypeSpec: TypeAlias = (
        "StringType | IntType | BoolType | FloatType | AnyType | MapType | SliceType | PtrType"
        " | StructType"
    )


class StringType:
    """Go ``string``: accepts strings, heredocs and integer literals (as written)."""

    __slots__ = ()


class PlacedStringType(StringType):
    """A ``string`` whose decoded value remembers where it was written.

    Decodes exactly like :class:`StringType`, into a :class:`PlacedStr`, so that
    checks after decoding can point at one element of a list
    (``after = ["db", "migarte"]``) rather than at the list as a whole.
    """

    __slots__ = ()


class PlacedStr(str):
    """A ``str`` that also knows its position (``pos``) in the configuration.

    It compares, hashes and prints as the plain string (``str`` subclasses cannot
    have slots, so ``pos`` lives in the instance dictionary).
    """

    pos: Pos


class IntType:
    """Go ``int``: accepts integer literals and strings holding an integer."""

    __slots__ = ()


class BoolType:
    """Go ``bool``: only the literals ``true`` and ``false``."""

    __slots__ = ()


class FloatType:
    """Go ``float64``: integer or decimal literals."""

    __slots__ = ()


class AnyType:
    """Go ``interface{}``: the value's own shape decides what it becomes."""

    __slots__ = ()


class MapType:
    """Go ``map[string]interface{}``."""

    __slots__ = ()


class SliceType:
    """Go ``[]T``: every matching block or list element is appended."""

    __slots__ = ("elem",)

    def __init__(self, elem: TypeSpec) -> None:
        self.elem = elem


class PtrType:
    """Go ``*T``: absent is ``None``; each occurrence replaces the previous one."""

    __slots__ = ("elem",)

    def __init__(self, elem: TypeSpec) -> None:
        self.elem = elem


class Field:
    """A struct field: ``go_name`` is the output key, ``hcl_name`` the key matched
    (case-insensitively) in the configuration. ``is_key`` marks the field that
    receives the block label (hcl's ``,key`` tag); ``extension`` a field the
    original does not have (it ignores the key, we read it); ``hint`` replaces
    the generic advice in type errors."""

    __slots__ = ("extension", "folded", "go_name", "hcl_name", "hint", "is_key", "type")

    def __init__(
        self,
        go_name: str,
        hcl_name: str,
        type: TypeSpec,
        is_key: bool = False,
        extension: bool = False,
        hint: str = "",
    ) -> None:
        self.go_name = go_name
        self.hcl_name = hcl_name
        self.type = type
        self.is_key = is_key
        self.extension = extension
        self.hint = hint  # how to write a value for it, for type errors
        self.folded = hcl_name.lower()  # field names are ASCII


class StructType:
    """Go struct; ``hints`` maps a commonly misplaced key to advice for warnings."""

    __slots__ = ("_by_name", "fields", "hints", "name")

    def __init__(
        self, name: str, fields: tuple[Field, ...], hints: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.fields = fields
        self.hints = hints or {}
        self._by_name = {f.hcl_name.casefold(): f for f in fields if not f.is_key}

    def field_named(self, key: str) -> Field | None:
        """The non-label field matching ``key`` case-insensitively."""
        return self._by_name.get(key.casefold())


class MapList(list):  # type: ignore[type-arg]
    """A Go ``[]map[string]interface{}``.

    hcl v1 turns an object nested inside a free-form map (``params``) into a
    list holding one map. Templates can tell that type apart from a plain
    ``[]interface{}`` (``printf "%T"``), so the decoder marks it.
    """

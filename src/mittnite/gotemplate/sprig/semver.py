"""sprig's ``semver`` and ``semverCompare`` with Masterminds/semver v3.4.0 semantics.

Configuration templates gate settings on versions (``semverCompare ">=1.2"
.Params.version``), so the parsing leniency (``v1.2`` is ``1.2.0``), the
constraint grammar (``^``, ``~``, ``x`` wildcards, ``1.2 - 1.4`` ranges, ``,``
and ``||``), the rule that a prerelease only matches an AND group in which some
constraint mentions a prerelease (v3.4.0: one is enough, ``>1.0.0-beta.1 <2``),
and the error texts all follow that library.

``semver`` returns a ``*semver.Version`` (:class:`VersionPointer`); templates can call its methods
(``.Major``, ``.Prerelease``, ``.IncMinor``, ``.Compare`` ...). Methods that
Go declares on the pointer (``Original``, ``Compare``, ``LessThan``, ...) are
not available on the plain ``semver.Version`` values that ``IncMajor`` and
friends return, as in Go.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import FuncMap, GoFunc, gofunc
from mittnite.gotemplate.values import GoType, NilPointer, Uint64, add_methods, define_type

# Go's \s is ASCII whitespace without \v; Python's would also match Unicode spaces.
_S = r"[\t\n\f\r ]"
_VERSION = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\Z"
)
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_PATTERNS = {
    "version": _VERSION,
    "constraint": rf"{_S}*({_OPS}){_S}*({_CV}){_S}*\Z",
    "range": rf"{_S}*({_CV}){_S}+-{_S}+({_CV}){_S}*",
    "find": rf"({_OPS}){_S}*({_CV})",
    "valid": rf"({_S}*({_OPS}){_S}*({_CV}){_S}*)((?:{_S}+|,{_S}*)({_OPS}){_S}*({_CV}){_S}*)*\Z",
}
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    """The regexp ``name``, compiled on first use (most inits never compare versions)."""
    pattern = _compiled.get(name)
    if pattern is None:
        pattern = _compiled[name] = re.compile(_PATTERNS[name])
    return pattern


_NUMERIC = frozenset("0123456789")
_ALLOWED = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")

INVALID_SEMVER = "invalid semantic version"
_STARTS_ZERO = "version segment starts with 0"
_INVALID_PRERELEASE = "invalid prerelease string"
_INVALID_METADATA = "invalid metadata string"
_NIL_POINTER = "runtime error: invalid memory address or nil pointer dereference"


class SemverError(ValueError):
    """A parse error of the semver library (its text is the library's)."""


def _validate_prerelease(text: str) -> None:
    for part in text.split("."):
        if part == "":
            raise SemverError(_INVALID_PRERELEASE)  # semver 3.4: identifiers are not empty
        if set(part) <= _NUMERIC:
            if len(part) > 1 and part[0] == "0":
                raise SemverError(_STARTS_ZERO)
        elif not set(part) <= _ALLOWED:
            raise SemverError(_INVALID_PRERELEASE)


def _validate_metadata(text: str) -> None:
    for part in text.split("."):
        if part == "" or not set(part) <= _ALLOWED:
            raise SemverError(_INVALID_METADATA)


def _parse_segment(text: str) -> int:
    from mittnite.golang.strconv import NumError, parse_uint

    try:
        return parse_uint(text, 10, 64)
    except NumError as error:
        reason = "value out of range" if error.kind == "range" else "invalid syntax"
        raise SemverError(
            f'error parsing version segment: strconv.ParseUint: parsing "{text}": {reason}'
        ) from None


class Version:
    """A parsed version (the fields of Go's ``semver.Version``)."""

    __slots__ = ("major", "metadata", "minor", "original", "patch", "pre")

    def __init__(
        self, major: int, minor: int, patch: int, pre: str, metadata: str, original: str
    ) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.metadata = metadata
        self.original = original

    @classmethod
    def parse(cls, text: str) -> Version:
        """``semver.NewVersion``: lenient (``v`` prefix, missing minor/patch are 0)."""
        match = _pattern("version").match(text)
        if match is None:
            raise SemverError(INVALID_SEMVER)
        major = _parse_segment(match.group(1))
        minor = _parse_segment(match.group(2)[1:]) if match.group(2) else 0
        patch = _parse_segment(match.group(3)[1:]) if match.group(3) else 0
        pre = match.group(5) or ""
        metadata = match.group(8) or ""
        if pre:
            _validate_prerelease(pre)
        if metadata:
            _validate_metadata(metadata)
        return cls(major, minor, patch, pre, metadata, text)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + self.pre
        if self.metadata:
            text += "+" + self.metadata
        return text

    def key(self) -> tuple[int, int, int, str, str, str]:
        return (self.major, self.minor, self.patch, self.pre, self.metadata, self.original)

    def compare(self, other: Version) -> int:
        """-1, 0 or 1; metadata does not count, a prerelease sorts before its release."""
        for mine, theirs in (
            (self.major, other.major),
            (self.minor, other.minor),
            (self.patch, other.patch),
        ):
            if mine != theirs:
                return -1 if mine < theirs else 1
        if self.pre == other.pre == "":
            return 0
        if self.pre == "":
            return 1
        if other.pre == "":
            return -1
        return _compare_prerelease(self.pre, other.pre)

    def _derived(self, major: int, minor: int, patch: int, pre: str, metadata: str) -> Version:
        """A new version whose ``original`` is its own text (keeping a ``v`` prefix)."""
        result = Version(major, minor, patch, pre, metadata, "")
        prefix = "v" if self.original.startswith("v") else ""
        result.original = prefix + str(result)
        return result

    def inc_major(self) -> Version:
        return self._derived(self.major + 1, 0, 0, "", "")

    def inc_minor(self) -> Version:
        return self._derived(self.major, self.minor + 1, 0, "", "")

    def inc_patch(self) -> Version:
        """A prerelease becomes its release; a release moves to the next patch."""
        patch = self.patch if self.pre else self.patch + 1
        return self._derived(self.major, self.minor, patch, "", "")

    def set_prerelease(self, pre: str) -> Version:
        if pre:
            _validate_prerelease(pre)
        return self._derived(self.major, self.minor, self.patch, pre, self.metadata)

    def set_metadata(self, metadata: str) -> Version:
        if metadata:
            _validate_metadata(metadata)
        return self._derived(self.major, self.minor, self.patch, self.pre, metadata)


def _compare_prerelease(mine: str, theirs: str) -> int:
    my_parts = mine.split(".")
    their_parts = theirs.split(".")
    for index in range(max(len(my_parts), len(their_parts))):
        left = my_parts[index] if index < len(my_parts) else ""
        right = their_parts[index] if index < len(their_parts) else ""
        result = _compare_pre_part(left, right)
        if result:
            return result
    return 0


def _as_uint(text: str) -> int | None:
    from mittnite.golang.strconv import NumError, parse_uint

    try:
        return parse_uint(text, 10, 64)
    except NumError:
        return None


def _compare_pre_part(left: str, right: str) -> int:
    """Numeric identifiers compare as numbers and sort before alphanumeric ones."""
    if left == right:
        return 0
    if left == "":
        return -1
    if right == "":
        return 1
    left_number = _as_uint(left)
    right_number = _as_uint(right)
    if left_number is None and right_number is None:
        left_bytes = left.encode("utf-8", "surrogateescape")
        right_bytes = right.encode("utf-8", "surrogateescape")
        return 1 if left_bytes > right_bytes else -1
    if left_number is None:
        return 1
    if right_number is None:
        return -1
    return 1 if left_number > right_number else -1


# -- constraints ------------------------------------------------------------------------------


class Constraint:
    """One comparison (``>=1.2``, ``~1.3.x``, ``^2``) of a constraint string."""

    __slots__ = ("dirty", "minor_dirty", "operator", "patch_dirty", "version")

    def __init__(self, text: str) -> None:
        match = _pattern("constraint").match(text)
        if match is None:
            raise SemverError(f"improper constraint: {text}")
        self.operator = match.group(1)
        major, minor, patch, pre = match.group(3), match.group(4), match.group(5), match.group(6)
        pre = pre or ""
        self.minor_dirty = self.patch_dirty = self.dirty = False
        version = match.group(2)
        if _is_x(major):
            version = f"0.0.0{pre}"
            self.dirty = True
        elif minor is None or _is_x(minor[1:]):
            version = f"{major}.0.0{pre}"
            self.dirty = self.minor_dirty = True
        elif patch is None or _is_x(patch[1:]):
            version = f"{major}{minor}.0{pre}"
            self.dirty = self.patch_dirty = True
        try:
            self.version = Version.parse(version)
        except SemverError:
            raise SemverError("constraint parser error") from None

    def check(self, version: Version) -> bool:
        con = self.version
        if self.operator in ("", "="):
            return self._tilde_or_equal(version)
        if self.operator == "!=":
            return self._not_equal(version)
        if self.operator == ">":
            return self._greater(version)
        if self.operator == "<":
            return version.compare(con) < 0
        if self.operator in (">=", "=>"):
            return version.compare(con) >= 0
        if self.operator in ("<=", "=<"):
            return self._less_equal(version)
        if self.operator in ("~", "~>"):
            return self._tilde(version)
        return self._caret(version)

    def _not_equal(self, version: Version) -> bool:
        con = self.version
        if self.dirty:
            if con.major != version.major:
                return True
            if con.minor != version.minor and not self.minor_dirty:
                return True
            if self.minor_dirty:
                return False
            if con.patch != version.patch and not self.patch_dirty:
                return True
            if self.patch_dirty:
                if version.pre or con.pre:
                    return _compare_prerelease(version.pre, con.pre) != 0
                return False
        return version.compare(con) != 0

    def _greater(self, version: Version) -> bool:
        con = self.version
        if not self.dirty:
            return version.compare(con) == 1
        if version.major > con.major:
            return True
        if version.major < con.major or self.minor_dirty:
            return False
        if self.patch_dirty:
            return version.minor > con.minor
        return version.compare(con) == 1

    def _less_equal(self, version: Version) -> bool:
        con = self.version
        if not self.dirty:
            return version.compare(con) <= 0
        if version.major > con.major:
            return False
        return not (
            version.major == con.major and version.minor > con.minor and not self.minor_dirty
        )

    def _tilde(self, version: Version) -> bool:
        con = self.version
        if version.compare(con) < 0:
            return False
        if con.major == con.minor == con.patch == 0 and not (self.minor_dirty or self.patch_dirty):
            return True  # ~0.0.0 accepts everything
        if version.major != con.major:
            return False
        return not (version.minor != con.minor and not self.minor_dirty)

    def _tilde_or_equal(self, version: Version) -> bool:
        if self.dirty:
            return self._tilde(version)
        return version.compare(self.version) == 0

    def _caret(self, version: Version) -> bool:
        con = self.version
        if version.compare(con) < 0:
            return False
        if con.major > 0 or self.minor_dirty:
            return version.major == con.major
        if version.major > 0:
            return False
        if con.minor > 0 or self.patch_dirty:
            return version.minor == con.minor
        if version.minor > 0:
            return False
        return con.patch == version.patch


def _is_x(text: str) -> bool:
    return text in ("x", "X", "*")


def _rewrite_ranges(text: str) -> str:
    """``1.2 - 1.4`` becomes ``>= 1.2, <= 1.4 `` (the trailing space keeps a
    following space-separated constraint apart, as semver 3.2.1+ does)."""
    for match in list(_pattern("range").finditer(text)):
        replacement = f">= {match.group(1)}, <= {match.group(11)} "
        text = text.replace(match.group(0), replacement, 1)
    return text


def parse_constraints(text: str) -> list[list[Constraint]]:
    """``semver.NewConstraint``: ``||``-separated groups of AND-ed comparisons."""
    groups: list[list[Constraint]] = []
    for part in _rewrite_ranges(text).split("||"):
        if not _pattern("valid").match(part):
            raise SemverError(f"improper constraint: {part}")
        pieces = [match.group(0) for match in _pattern("find").finditer(part)] or [part]
        groups.append([Constraint(piece) for piece in pieces])
    return groups


def check_constraints(groups: list[list[Constraint]], version: Version) -> bool:
    """``Constraints.Check``: some ``||`` group whose comparisons all hold. A prerelease
    version only qualifies for a group in which at least one comparison names a
    prerelease; the comparisons themselves then compare it like any version."""
    for group in groups:
        if version.pre and not any(item.version.pre for item in group):
            continue
        if all(item.check(version) for item in group):
            return True
    return False


# -- template values --------------------------------------------------------------------------


class VersionValue:
    """A ``semver.Version`` value (what ``IncMajor`` and friends return).

    Its fields are unexported in Go, so templates only reach it through its methods; ``eq``
    compares two values field by field.
    """

    __slots__ = ("version",)
    go_type: ClassVar[GoType]

    def __init__(self, version: Version) -> None:
        self.version = version

    def __str__(self) -> str:
        return str(self.version)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.version.original!r})"

    @property
    def go_fields(self) -> dict[str, Any]:
        version = self.version
        return {
            "major": Uint64(version.major),
            "minor": Uint64(version.minor),
            "patch": Uint64(version.patch),
            "pre": version.pre,
            "metadata": version.metadata,
            "original": version.original,
        }

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, VersionValue):
            return NotImplemented
        return self.version.key() == other.version.key()

    def __hash__(self) -> int:
        return hash(self.version.key())


class VersionPointer(VersionValue):
    """A ``*semver.Version`` (what ``semver`` returns): ``eq`` compares pointers by identity."""

    __slots__ = ()

    __eq__ = object.__eq__
    __hash__ = object.__hash__


_FIELDS = ("major", "minor", "patch", "pre", "metadata", "original")
VersionValue.go_type = define_type(
    "semver.Version", "struct", fields=_FIELDS, stringer=True, py_class=VersionValue
)
VersionPointer.go_type = define_type(
    "*semver.Version", "ptr", elem=VersionValue.go_type, py_class=VersionPointer
)


def _json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _other(value: VersionPointer | NilPointer) -> Version:
    """The version a ``*semver.Version`` argument points to (Go dereferences it)."""
    if isinstance(value, NilPointer):
        raise GoPanic(_NIL_POINTER)
    return value.version


def _method(name: str, fn: Any, *params: str, result: str, error: bool = False) -> GoFunc:
    return GoFunc(fn, params, result, error=error, name=name)


def _set_prerelease(receiver: VersionValue, pre: str) -> VersionValue:
    try:
        return VersionValue(receiver.version.set_prerelease(pre))
    except SemverError as problem:
        raise GoError(str(problem)) from None


def _set_metadata(receiver: VersionValue, metadata: str) -> VersionValue:
    try:
        return VersionValue(receiver.version.set_metadata(metadata))
    except SemverError as problem:
        raise GoError(str(problem)) from None


def _equal(receiver: VersionPointer, other: VersionPointer | NilPointer) -> bool:
    if other is receiver:
        return True
    if isinstance(other, NilPointer):
        return False
    return receiver.version.compare(other.version) == 0


def _major(receiver: VersionValue) -> int:
    return receiver.version.major


def _minor(receiver: VersionValue) -> int:
    return receiver.version.minor


def _patch(receiver: VersionValue) -> int:
    return receiver.version.patch


def _prerelease(receiver: VersionValue) -> str:
    return receiver.version.pre


def _metadata(receiver: VersionValue) -> str:
    return receiver.version.metadata


def _string(receiver: VersionValue) -> str:
    return str(receiver.version)


def _marshal_json(receiver: VersionValue) -> bytes:
    return _json_quote(str(receiver.version)).encode("utf-8", "surrogateescape")


def _marshal_text(receiver: VersionValue) -> bytes:
    return str(receiver.version).encode("utf-8", "surrogateescape")


def _inc_major(receiver: VersionValue) -> VersionValue:
    return VersionValue(receiver.version.inc_major())


def _inc_minor(receiver: VersionValue) -> VersionValue:
    return VersionValue(receiver.version.inc_minor())


def _inc_patch(receiver: VersionValue) -> VersionValue:
    return VersionValue(receiver.version.inc_patch())


def _original(receiver: VersionPointer) -> str:
    return receiver.version.original


def _compare(receiver: VersionPointer, other: VersionPointer | NilPointer) -> int:
    return receiver.version.compare(_other(other))


def _less_than(receiver: VersionPointer, other: VersionPointer | NilPointer) -> bool:
    return receiver.version.compare(_other(other)) < 0


def _less_than_equal(receiver: VersionPointer, other: VersionPointer | NilPointer) -> bool:
    return receiver.version.compare(_other(other)) <= 0


def _greater_than(receiver: VersionPointer, other: VersionPointer | NilPointer) -> bool:
    return receiver.version.compare(_other(other)) > 0


def _greater_than_equal(receiver: VersionPointer, other: VersionPointer | NilPointer) -> bool:
    return receiver.version.compare(_other(other)) >= 0


_PTR = "*semver.Version"
_VALUE = "semver.Version"

# Methods Go declares on the value receiver (callable on both kinds) ...
add_methods(
    _VALUE,
    {
        "Major": _method("Major", _major, result="uint64"),
        "Minor": _method("Minor", _minor, result="uint64"),
        "Patch": _method("Patch", _patch, result="uint64"),
        "Prerelease": _method("Prerelease", _prerelease, result="string"),
        "Metadata": _method("Metadata", _metadata, result="string"),
        "String": _method("String", _string, result="string"),
        "Value": GoFunc(_string, (), "interface {}", error=True, name="Value"),
        "MarshalJSON": _method("MarshalJSON", _marshal_json, result="[]uint8", error=True),
        "MarshalText": _method("MarshalText", _marshal_text, result="[]uint8", error=True),
        "IncMajor": _method("IncMajor", _inc_major, result=_VALUE),
        "IncMinor": _method("IncMinor", _inc_minor, result=_VALUE),
        "IncPatch": _method("IncPatch", _inc_patch, result=_VALUE),
        "SetPrerelease": GoFunc(
            _set_prerelease, ("string",), _VALUE, error=True, name="SetPrerelease"
        ),
        "SetMetadata": GoFunc(_set_metadata, ("string",), _VALUE, error=True, name="SetMetadata"),
    },
)
# ... and those on the pointer receiver (only ``semver``'s results have them).
add_methods(
    _PTR,
    {
        "Original": _method("Original", _original, result="string"),
        "Compare": _method("Compare", _compare, _PTR, result="int"),
        "LessThan": _method("LessThan", _less_than, _PTR, result="bool"),
        "LessThanEqual": _method("LessThanEqual", _less_than_equal, _PTR, result="bool"),
        "GreaterThan": _method("GreaterThan", _greater_than, _PTR, result="bool"),
        "GreaterThanEqual": _method("GreaterThanEqual", _greater_than_equal, _PTR, result="bool"),
        "Equal": GoFunc(_equal, (_PTR,), "bool", name="Equal"),
    },
)


@gofunc("string", result=_PTR, error=True)
def semver(text: str) -> VersionPointer:
    """``semver.NewVersion`` (sprig's ``semver``)."""
    try:
        return VersionPointer(Version.parse(text))
    except SemverError as problem:
        raise GoError(str(problem)) from None


@gofunc("string", "string", result="bool", error=True)
def semver_compare(constraint: str, version: str) -> bool:
    """Whether ``version`` satisfies ``constraint`` (constraint errors are reported first)."""
    try:
        groups = parse_constraints(constraint)
        parsed = Version.parse(version)
    except SemverError as problem:
        raise GoError(str(problem)) from None
    return check_constraints(groups, parsed)


FUNCS: FuncMap = {
    "semver": semver,
    "semverCompare": semver_compare,
}

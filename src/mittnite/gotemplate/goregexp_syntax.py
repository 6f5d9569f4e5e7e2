"""The parse tree of a Go regular expression, with every flag already resolved.

Go applies flags such as ``(?i)``, ``(?s)``, ``(?m)`` and ``(?U)`` while parsing, so each
node already says what it matches: a dot knows whether it takes ``\\n``, a repetition
whether it is greedy. Both back ends (the translation to Python's ``re`` and the
fallback matcher) can then work without any flag bookkeeping.

Nodes also carry their height, because Go refuses trees deeper than 1000 levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from mittnite.gotemplate.goregexp_ranges import Ranges

__all__ = [
    "UNBOUNDED",
    "Alternate",
    "AnyChar",
    "AnyCharNotNL",
    "Assertion",
    "AssertionKind",
    "Capture",
    "CharClass",
    "Concat",
    "EmptyMatch",
    "Literal",
    "NoMatch",
    "Node",
    "Repeat",
    "is_nullable",
]

UNBOUNDED = -1
"""``Repeat.max`` for ``*``, ``+`` and ``{n,}``."""


class AssertionKind(Enum):
    """The zero-width tests Go supports."""

    BEGIN_LINE = "^ with (?m)"
    END_LINE = "$ with (?m)"
    BEGIN_TEXT = "\\A or ^"
    END_TEXT = "\\z or $"
    WORD_BOUNDARY = "\\b"
    NO_WORD_BOUNDARY = "\\B"


@dataclass(eq=False, slots=True)
class Literal:
    """A run of characters; with ``fold`` each one also matches its case variants."""

    runes: list[int]
    fold: bool
    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class CharClass:
    """One character out of ``ranges`` (folding and negation already applied)."""

    ranges: Ranges
    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class AnyChar:
    """``.`` under ``(?s)``: any character."""

    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class AnyCharNotNL:
    """``.`` without ``(?s)``: any character but ``\\n``."""

    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class Assertion:
    """A zero-width test such as ``^`` or ``\\b``."""

    kind: AssertionKind
    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class EmptyMatch:
    """Matches the empty string (``()``, ``a|``, ``x{0}`` ...)."""

    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class NoMatch:
    """Matches nothing (for instance ``[^\\x00-\\x{10FFFF}]``)."""

    height: int = field(default=1, init=False)


@dataclass(eq=False, slots=True)
class Capture:
    """A numbered (and possibly named) capturing group."""

    index: int
    name: str
    sub: Node
    height: int = field(init=False)

    def __post_init__(self) -> None:
        self.height = self.sub.height + 1


@dataclass(eq=False, slots=True)
class Repeat:
    """``*``, ``+``, ``?`` or ``{min,max}``; ``counted`` marks the brace forms.

    Go limits only the brace forms (nested counts may not exceed 1000 copies), which is
    why the spelling is remembered.
    """

    sub: Node
    min: int
    max: int
    greedy: bool
    counted: bool
    height: int = field(init=False)

    def __post_init__(self) -> None:
        self.height = self.sub.height + 1


@dataclass(eq=False, slots=True)
class Concat:
    """A sequence; never directly holds another ``Concat``."""

    subs: list[Node]
    height: int = field(init=False)

    def __post_init__(self) -> None:
        self.height = max(sub.height for sub in self.subs) + 1


@dataclass(eq=False, slots=True)
class Alternate:
    """Alternatives in priority order (leftmost first wins); never holds an ``Alternate``."""

    subs: list[Node]
    height: int = field(init=False)

    def __post_init__(self) -> None:
        self.height = max(sub.height for sub in self.subs) + 1


Node = (
    Literal
    | CharClass
    | AnyChar
    | AnyCharNotNL
    | Assertion
    | EmptyMatch
    | NoMatch
    | Capture
    | Repeat
    | Concat
    | Alternate
)


def is_nullable(node: Node) -> bool:
    """Whether ``node`` can succeed without consuming a character.

    Zero-width assertions count as nullable, as they do in Go's compiler: what matters
    is whether a loop iteration can end where it started.
    """
    match node:
        case Literal() | CharClass() | AnyChar() | AnyCharNotNL() | NoMatch():
            return False
        case Assertion() | EmptyMatch():
            return True
        case Capture():
            return is_nullable(node.sub)
        case Repeat():
            return node.min == 0 or is_nullable(node.sub)
        case Concat():
            return all(is_nullable(sub) for sub in node.subs)
        case Alternate():
            return any(is_nullable(sub) for sub in node.subs)

"""Rewrite a parsed Go regexp as a Python ``re`` pattern with the same meaning.

The engine runs such a translation only for repetition-free patterns, where Python's
backtracking is linear (see :mod:`goregexp_engine`); the tests also use it as an
independent implementation to check Go's matchers against.

Python's backtracking engine picks the same leftmost-first match as Go for every pattern
in which no loop body can match the empty string (see :func:`needs_go_matcher` for the
rest). What differs is notation and defaults, so nothing is passed through verbatim:

* classes are spelled as explicit ranges (Go's ``\\d \\s \\w`` and ``\\b`` are ASCII,
  POSIX classes and ``(?i)`` folding were already resolved by the parser), so the
  pattern is compiled without any ``re`` flags;
* ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline);
* ``(?m)`` anchors and ``\\b``/``\\B`` become lookarounds, because Python's ``\\B`` never
  matches in an empty string and its ``\\b`` is Unicode-aware;
* every group becomes an unnamed group: Go allows names Python rejects (``(?P<1>x)``,
  duplicates), and names are resolved on our side anyway.
"""

from __future__ import annotations

from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, Ranges, negate
from mittnite.gotemplate.goregexp_syntax import (
    UNBOUNDED,
    Alternate,
    AnyChar,
    AnyCharNotNL,
    Assertion,
    AssertionKind,
    Capture,
    CharClass,
    Concat,
    EmptyMatch,
    Literal,
    Node,
    NoMatch,
    Repeat,
    is_nullable,
)
from mittnite.gotemplate.goregexp_unicode import fold_orbit

__all__ = ["needs_go_matcher", "to_python_pattern"]

_WORD = "[0-9A-Za-z_]"
_ASSERTIONS = {
    AssertionKind.BEGIN_TEXT: "\\A",
    AssertionKind.END_TEXT: "\\Z",
    AssertionKind.BEGIN_LINE: "(?<![^\\n])",
    AssertionKind.END_LINE: "(?![^\\n])",
    AssertionKind.WORD_BOUNDARY: f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))",
    AssertionKind.NO_WORD_BOUNDARY: f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))",
}
_NEVER = "(?!)"
_ANY = "(?s:.)"


def to_python_pattern(tree: Node) -> str:
    """The Python ``re`` source for ``tree``; compile it without flags."""
    text, _ = _render(tree)
    return text


def needs_go_matcher(tree: Node) -> bool:
    """Whether Python's ``re`` would pick a different match than Go for ``tree``.

    That happens only for loops whose body can match the empty string: Python accepts
    one empty iteration and stops, while Go discards an empty iteration (after the first)
    and keeps trying the body's other choices, so ``(?:a|()|b)*`` on ``ab`` matches
    ``a`` in Python but ``ab`` in Go. Such patterns are run by our own matcher instead.
    """
    pending = [tree]
    while pending:
        node = pending.pop()
        match node:
            case Repeat():
                may_loop = node.max == UNBOUNDED or node.max >= 2
                if may_loop and is_nullable(node.sub):
                    return True
                pending.append(node.sub)
            case Capture():
                pending.append(node.sub)
            case Concat() | Alternate():
                pending.extend(node.subs)
            case _:
                pass
    return False


def _escape(code_point: int) -> str:
    """One code point in a form valid both inside and outside brackets."""
    char = chr(code_point)
    if char == "_" or (char.isascii() and char.isalnum()):
        return char
    if code_point < 0x100:
        return f"\\x{code_point:02x}"
    if code_point < 0x10000:
        return f"\\u{code_point:04x}"
    return f"\\U{code_point:08x}"


def _class_items(ranges: Ranges) -> str:
    items = []
    for start, end in ranges:
        if start == end:
            items.append(_escape(start))
        elif end == start + 1:
            items.append(_escape(start) + _escape(end))
        else:
            items.append(f"{_escape(start)}-{_escape(end)}")
    return "".join(items)


def _render_class(ranges: Ranges) -> tuple[str, bool]:
    if not ranges:
        return _NEVER, False
    if ranges == ((0, MAX_RUNE),):
        return _ANY, True
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _escape(ranges[0][0]), True
    complement = negate(ranges)
    if len(complement) < len(ranges):
        return f"[^{_class_items(complement)}]", True
    return f"[{_class_items(ranges)}]", True


def _render_char(code_point: int, fold: bool) -> str:
    orbit = fold_orbit(code_point) if fold else (code_point,)
    if len(orbit) == 1:
        return _escape(code_point)
    return "[" + "".join(_escape(member) for member in orbit) + "]"


def _quantifier(node: Repeat) -> str:
    low, high = node.min, node.max
    if high == UNBOUNDED:
        text = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    elif (low, high) == (0, 1):
        text = "?"
    elif low == high:
        text = f"{{{low}}}"
    else:
        text = f"{{{low},{high}}}"
    return text if node.greedy else text + "?"


def _render(node: Node) -> tuple[str, bool]:
    """Pattern text for ``node`` and whether a quantifier may follow it directly."""
    match node:
        case Literal():
            text = "".join(_render_char(code_point, node.fold) for code_point in node.runes)
            return text, len(node.runes) == 1
        case CharClass():
            return _render_class(node.ranges)
        case AnyChar():
            return _ANY, True
        case AnyCharNotNL():
            return ".", True
        case Assertion():
            return _ASSERTIONS[node.kind], False
        case EmptyMatch():
            return "", False
        case NoMatch():
            return _NEVER, False
        case Capture():
            return f"({_render(node.sub)[0]})", True
        case Repeat():
            body, atomic = _render(node.sub)
            if not atomic:
                body = f"(?:{body})"
            return body + _quantifier(node), False
        case Concat():
            return "".join(_render(sub)[0] for sub in node.subs), False
        case Alternate():
            return "(?:" + "|".join(_render(sub)[0] for sub in node.subs) + ")", True

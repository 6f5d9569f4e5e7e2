"""Go's predefined classes (``\\d``, ``[[:alpha:]]`` ...) and case folding of classes.

Classes are computed here as explicit code point ranges instead of being handed to
Python's ``re`` as ``\\d`` or ``[[:alpha:]]``: Python's ``\\d \\s \\w`` are Unicode-aware,
it has no POSIX classes, and its case-insensitive matching folds differently. With
explicit ranges the translated pattern means exactly what Go's parser computed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from mittnite.gotemplate.goregexp_ranges import Ranges, normalize
from mittnite.gotemplate.goregexp_unicode import fold_orbit, foldable_code_points

__all__ = ["PERL_GROUPS", "POSIX_GROUPS", "NamedGroup", "fold_closure"]

NamedGroup = tuple[int, Ranges]
"""A predefined class: sign (+1, or -1 for the negated form) and its positive ranges."""


def fold_closure(ranges: Ranges) -> Ranges:
    """``ranges`` plus every code point that case-folds to one of them (Go's ``(?i)``)."""
    foldable = foldable_code_points()
    extra: list[tuple[int, int]] = []
    for start, end in ranges:
        first = bisect_left(foldable, start)
        last = bisect_right(foldable, end)
        for code_point in foldable[first:last]:
            extra.extend((member, member) for member in fold_orbit(code_point))
    if not extra:
        return ranges
    return normalize([*ranges, *extra])


_DIGIT: Ranges = ((0x30, 0x39),)
_SPACE: Ranges = ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20))
_WORD: Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))

PERL_GROUPS: dict[str, NamedGroup] = {
    "\\d": (+1, _DIGIT),
    "\\D": (-1, _DIGIT),
    "\\s": (+1, _SPACE),
    "\\S": (-1, _SPACE),
    "\\w": (+1, _WORD),
    "\\W": (-1, _WORD),
}
"""Go's ASCII-only Perl classes (note ``\\s`` has no vertical tab, unlike ``[[:space:]]``)."""

_POSIX_POSITIVE: dict[str, Ranges] = {
    "alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "ascii": ((0x00, 0x7F),),
    "blank": ((0x09, 0x09), (0x20, 0x20)),
    "cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "digit": ((0x30, 0x39),),
    "graph": ((0x21, 0x7E),),
    "lower": ((0x61, 0x7A),),
    "print": ((0x20, 0x7E),),
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "space": ((0x09, 0x0D), (0x20, 0x20)),
    "upper": ((0x41, 0x5A),),
    "word": _WORD,
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}

POSIX_GROUPS: dict[str, NamedGroup] = {
    **{f"[:{name}:]": (+1, ranges) for name, ranges in _POSIX_POSITIVE.items()},
    **{f"[:^{name}:]": (-1, ranges) for name, ranges in _POSIX_POSITIVE.items()},
}
"""The ``[[:name:]]`` classes Go accepts inside brackets, keyed by their full spelling."""

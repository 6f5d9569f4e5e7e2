"""Go's Unicode tables for regular expressions: ``\\p{...}`` classes and case folding.

The tables in :mod:`goregexp_unicode_data` are decoded on first use only, because most
templates never use ``\\p{...}`` or ``(?i)`` and an init system should start quickly.
"""

from __future__ import annotations

from functools import cache

from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, Ranges, contains, normalize
from mittnite.gotemplate.goregexp_unicode_data import (
    CATEGORY_RANGES,
    FOLD_ORBITS,
    SCRIPT_RANGES,
)

__all__ = [
    "fold_orbit",
    "foldable_code_points",
    "is_digit",
    "is_letter",
    "unicode_table",
]


def _decode_ranges(encoded: str) -> Ranges:
    """Decode the ``D`` / ``D.L`` delta tokens of the data module."""
    result: list[tuple[int, int]] = []
    previous_end = 0
    for token in encoded.split():
        start_text, _, length_text = token.partition(".")
        start = previous_end + int(start_text, 16)
        end = start + (int(length_text, 16) if length_text else 0)
        result.append((start, end))
        previous_end = end
    return tuple(result)


@cache
def unicode_table(name: str) -> Ranges | None:
    """The code points of a ``\\p{name}`` class, or ``None`` if Go knows no such name.

    Names are Go's: ``Any``, the general categories (one letter for the union of its
    two-letter subcategories, which is how Go builds ``L``, ``N`` ...) and the scripts.
    Lookup is case-sensitive, as in Go.
    """
    if name == "Any":
        return ((0, MAX_RUNE),)
    if name in CATEGORY_RANGES:
        return _decode_ranges(CATEGORY_RANGES[name])
    if len(name) == 1:
        members = [key for key in CATEGORY_RANGES if key[0] == name]
        if members:
            pieces = [piece for key in members for piece in _decode_ranges(CATEGORY_RANGES[key])]
            return normalize(pieces)
    if name in SCRIPT_RANGES:
        return _decode_ranges(SCRIPT_RANGES[name])
    return None


@cache
def _orbits() -> dict[int, tuple[int, ...]]:
    """Every code point that folds to others, mapped to its whole (sorted) fold orbit."""
    orbit_of: dict[int, tuple[int, ...]] = {}
    previous_first = 0
    for token in FOLD_ORBITS.split():
        deltas = [int(part, 16) for part in token.split(",")]
        members = [previous_first + deltas[0]]
        for delta in deltas[1:]:
            members.append(members[-1] + delta)
        orbit = tuple(members)
        for member in orbit:
            orbit_of[member] = orbit
        previous_first = members[0]
    return orbit_of


@cache
def foldable_code_points() -> tuple[int, ...]:
    """The sorted code points that have case-fold partners (so closure can use bisect)."""
    return tuple(sorted(_orbits()))


def fold_orbit(code_point: int) -> tuple[int, ...]:
    """All code points equal to ``code_point`` under Go's simple case folding (itself included)."""
    return _orbits().get(code_point, (code_point,))


def is_letter(char: str) -> bool:
    """Go's ``unicode.IsLetter``: the ``$name`` syntax of replacement templates uses it."""
    if char.isascii():
        return char.isalpha()
    table = unicode_table("L")
    return table is not None and contains(table, ord(char))


def is_digit(char: str) -> bool:
    """Go's ``unicode.IsDigit`` (category Nd), for the ``$name`` syntax of replacements."""
    if char.isascii():
        return char.isdigit()
    table = unicode_table("Nd")
    return table is not None and contains(table, ord(char))

"""Sets of code points as sorted ranges: the representation of every character class.

Go's parser represents a class as a sorted list of inclusive ranges; keeping the same
shape lets our parser compute unions, negations and case folds exactly as Go does.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

__all__ = ["MAX_RUNE", "Ranges", "contains", "negate", "normalize"]

MAX_RUNE = 0x10FFFF

Ranges = tuple[tuple[int, int], ...]
"""Sorted, disjoint, non-adjacent inclusive code point ranges."""


def normalize(pieces: Iterable[tuple[int, int]]) -> Ranges:
    """Sort ranges and join the overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def negate(ranges: Ranges) -> Ranges:
    """Every code point up to U+10FFFF that ``ranges`` does not hold."""
    result: list[tuple[int, int]] = []
    next_start = 0
    for start, end in ranges:
        if next_start <= start - 1:
            result.append((next_start, start - 1))
        next_start = end + 1
    if next_start <= MAX_RUNE:
        result.append((next_start, MAX_RUNE))
    return tuple(result)


def contains(ranges: Ranges, code_point: int) -> bool:
    """Whether ``ranges`` holds ``code_point``."""
    index = bisect_left(ranges, (code_point, MAX_RUNE + 1)) - 1
    return index >= 0 and ranges[index][0] <= code_point <= ranges[index][1]

"""Choosing and running the matcher for a parsed pattern.

Python's ``re`` runs the translated pattern whenever it gives Go's answers, which is
almost always; the Go-semantics backtracker takes the rest (see ``needs_go_matcher``).
Both report a match the same way, as a flat list of group start and end offsets.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from mittnite.gotemplate.goregexp_parser import ParsedRegexp
from mittnite.gotemplate.goregexp_translate import needs_go_matcher, to_python_pattern

__all__ = ["Matcher", "build_matcher", "go_view"]

_SURROGATES = re.compile("[\\ud800-\\udfff]")
_SHALLOW_TREE = 100
"""Trees up to this height compile within Python's default recursion limit."""
_FRAMES_PER_LEVEL = 8
_deep_compile_lock = threading.Lock()


class Matcher(Protocol):
    """Finds the leftmost match at or after ``position``: offsets of every group, -1 if unset."""

    def search(self, text: str, position: int) -> list[int] | None: ...


class _PythonMatcher:
    """Runs the translated pattern on Python's ``re`` (the fast, usual case)."""

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled

    def search(self, text: str, position: int) -> list[int] | None:
        found = self.compiled.search(text, position)
        if found is None:
            return None
        return [offset for span in found.regs for offset in span]


def go_view(text: str) -> str:
    """``text`` as Go's matcher sees it: every undecodable byte is one U+FFFD.

    Undecodable bytes reach us as lone surrogates (``surrogateescape``), one character
    per byte, so replacing each by U+FFFD keeps all offsets valid for the original text,
    from which results are then cut (Go also returns the raw bytes in its results).
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text


@contextmanager
def _recursion_room(tree_height: int) -> Iterator[None]:
    """Let deeply nested patterns (Go allows 1000 levels) through recursive compilers.

    Python's own ``re`` compiler recurses once per nesting level, so a pattern Go
    accepts could otherwise fail with ``RecursionError``. The limit is raised only for
    such trees, under a lock so that concurrent compiles do not undo each other's limit.
    """
    if tree_height <= _SHALLOW_TREE:
        yield
        return
    with _deep_compile_lock:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(previous + _FRAMES_PER_LEVEL * tree_height)
        try:
            yield
        finally:
            sys.setrecursionlimit(previous)


def _go_matcher(parsed: ParsedRegexp) -> Matcher:
    # Imported on demand: only patterns with empty-matching loop bodies need it.
    from mittnite.gotemplate.goregexp_backtrack import BacktrackMatcher

    return BacktrackMatcher(parsed.tree, len(parsed.capture_names) - 1)


def _choose_matcher(parsed: ParsedRegexp) -> Matcher:
    if needs_go_matcher(parsed.tree):
        return _go_matcher(parsed)
    try:
        compiled = re.compile(to_python_pattern(parsed.tree))
    except re.error:  # pragma: no cover - a translation gap; Go's semantics still hold
        return _go_matcher(parsed)
    return _PythonMatcher(compiled)


def build_matcher(parsed: ParsedRegexp) -> Matcher:
    """The matcher for ``parsed``, compiled with enough recursion room for deep trees."""
    with _recursion_room(parsed.tree.height):
        return _choose_matcher(parsed)

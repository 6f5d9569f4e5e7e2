"""Choosing and running the matcher for a parsed pattern, in time linear in the text.

Go's ``regexp`` guarantees linear-time matching, and templates rely on it: a pattern such
as ``^(a+)+$`` must not hang an init. Every pattern is therefore compiled to Go's program
(:mod:`goregexp_program`) and run by Go's own two strategies:

* the bit-state backtracker (:mod:`goregexp_backtrack`) while its visited bitmap
  (``len(program) * (len(text) + 1)`` bits) stays small, and
* the Pike VM (:mod:`goregexp_pike`) beyond, whose memory does not grow with the text.

Both visit each (instruction, position) pair at most once per search, so their work is
bounded by ``len(program) * (len(text) + 1)``.

Python's ``re`` is a backtracking engine and can take exponential or quadratic time, so it
is used only for patterns where that cannot happen: patterns without any repetition
(``*``, ``+``, ``?``, ``{n,m}``) whose alternatives multiply to at most
:data:`MAX_RE_PATHS` ways through the pattern. For those, ``re`` tries a bounded number
of paths, each no longer than the pattern, at every start position, so its time is
linear in the text; and without loops there are no empty iterations, the only place where
``re`` and Go pick different matches. Literal searches (``regexReplaceAll "-"``) and
alternations of words keep ``re``'s speed that way.

Both kinds of matcher report a match the same way, as a flat list of group start and end
offsets (``-1`` for a group that did not take part). ``regexMatch`` only asks whether there
is a match; that question is answered by a lazily built DFA (:mod:`goregexp_dfa`), also
linear, and much faster than finding positions.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from mittnite.gotemplate.goregexp_parser import ParsedRegexp
from mittnite.gotemplate.goregexp_syntax import Alternate, Capture, Concat, Node, Repeat

__all__ = ["MAX_RE_PATHS", "GoMatcher", "Matcher", "build_matcher", "go_view", "runs_on_re"]

MAX_RE_PATHS = 64
"""Most ways through a repetition-free pattern that Python's ``re`` may explore."""

_SURROGATES = re.compile("[\\ud800-\\udfff]")
_SHALLOW_TREE = 100
"""Trees up to this height compile within Python's default recursion limit."""
_FRAMES_PER_LEVEL = 8
_deep_compile_lock = threading.Lock()


class Matcher(Protocol):
    """Finds the leftmost match at or after ``position``: offsets of every group, -1 if unset."""

    def search(self, text: str, position: int) -> list[int] | None: ...

    def matches(self, text: str, position: int) -> bool:
        """Whether there is a match at or after ``position`` (no positions needed)."""
        ...


class _PythonMatcher:
    """Runs the translated pattern on Python's ``re`` (only for patterns it runs linearly)."""

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled

    def search(self, text: str, position: int) -> list[int] | None:
        found = self.compiled.search(text, position)
        if found is None:
            return None
        return [offset for span in found.regs for offset in span]

    def matches(self, text: str, position: int) -> bool:
        return self.compiled.search(text, position) is not None


class GoMatcher:
    """Go's matching strategy: backtrack while the visited bitmap is small, else Pike VM.

    ``steps`` is the work counter of the matcher used by the last search."""

    __slots__ = ("_backtrack", "_dfa", "_pike", "steps")

    def __init__(self, parsed: ParsedRegexp) -> None:
        from mittnite.gotemplate.goregexp_backtrack import BacktrackMatcher
        from mittnite.gotemplate.goregexp_dfa import MatchDFA
        from mittnite.gotemplate.goregexp_pike import PikeMatcher
        from mittnite.gotemplate.goregexp_program import compile_program

        program = compile_program(parsed.tree, len(parsed.capture_names) - 1)
        self._backtrack = BacktrackMatcher(program)
        self._pike = PikeMatcher(program)
        self._dfa = MatchDFA(program)
        self.steps = 0

    @property
    def program_size(self) -> int:
        return len(self._backtrack.program)

    def search(self, text: str, position: int) -> list[int] | None:
        if self._backtrack.fits(text, position):
            found = self._backtrack.search(text, position)
            self.steps = self._backtrack.steps
        else:
            found = self._pike.search(text, position)
            self.steps = self._pike.steps
        return found

    def matches(self, text: str, position: int) -> bool:
        """Whether the pattern matches at all: the DFA answers in one pass, no captures."""
        found = self._dfa.search(text, position)
        self.steps = self._dfa.steps
        return found


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

    Python's own ``re`` compiler and our program compiler recurse once per nesting level,
    so a pattern Go accepts could otherwise fail with ``RecursionError``. The limit is
    raised only for such trees, under a lock so that concurrent compiles do not undo
    each other's limit.
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


def _paths(node: Node, limit: int) -> int:
    """How many ways a backtracking engine can walk through ``node`` (``limit + 1`` once
    it exceeds ``limit``, or when ``node`` repeats anything)."""
    match node:
        case Repeat():
            return limit + 1
        case Capture():
            return _paths(node.sub, limit)
        case Concat():
            total = 1
            for sub in node.subs:
                total *= _paths(sub, limit)
                if total > limit:
                    return limit + 1
            return total
        case Alternate():
            total = 0
            for sub in node.subs:
                total += _paths(sub, limit)
                if total > limit:
                    return limit + 1
            return total
        case _:
            return 1


def runs_on_re(parsed: ParsedRegexp) -> bool:
    """Whether ``parsed`` is in the class Python's ``re`` matches in linear time (and with
    Go's results): no repetition at all and at most :data:`MAX_RE_PATHS` paths."""
    return _paths(parsed.tree, MAX_RE_PATHS) <= MAX_RE_PATHS


def _choose_matcher(parsed: ParsedRegexp) -> Matcher:
    if runs_on_re(parsed):
        from mittnite.gotemplate.goregexp_translate import to_python_pattern

        try:
            return _PythonMatcher(re.compile(to_python_pattern(parsed.tree)))
        except re.error:  # pragma: no cover - a translation gap; Go's semantics still hold
            pass
    return GoMatcher(parsed)


def build_matcher(parsed: ParsedRegexp) -> Matcher:
    """The matcher for ``parsed``, compiled with enough recursion room for deep trees."""
    with _recursion_room(parsed.tree.height):
        return _choose_matcher(parsed)

"""Go's ``regexp`` package for templates: RE2 syntax, Go's results, Go's linear time.

Sprig's ``regex*`` functions hand their patterns to Go's ``regexp``; configuration files
written for the original mittnite therefore use RE2 syntax and expect Go's answers, and
rely on Go's guarantee that matching takes time linear in the text. This module parses
patterns with Go's rules and error messages (:mod:`goregexp_parser`), compiles them to
Go's program and runs it with Go's own strategies, a bit-state backtracker and a Pike VM
(:mod:`goregexp_engine`), and implements the ``Regexp`` methods sprig calls with Go's
exact rules for empty matches, splitting and ``$`` expansion.

Positions are counted in characters rather than Go's bytes; every result sprig exposes
is a substring, so that difference never shows. Bytes that are not UTF-8 arrive as
``surrogateescape`` characters, one per byte, and behave as in Go: a pattern holding one
is rejected with ``invalid UTF-8``, and in a subject each counts as U+FFFD.

Known difference from Go 1.19: Go 1.19 mis-factors alternatives that start with the same
letter once with and once without case folding: ``A(?i)s|a`` does not match ``a``
(golang/go#59007, fixed upstream in 2024). The intended meaning is implemented here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Protocol

from mittnite.gotemplate.goregexp_engine import build_matcher, go_view
from mittnite.gotemplate.goregexp_errors import ErrorCode, GoRegexpError
from mittnite.gotemplate.goregexp_expand import expand
from mittnite.gotemplate.goregexp_panic import must_compile_message
from mittnite.gotemplate.goregexp_parser import ParsedRegexp, parse

__all__ = [
    "ErrorCode",
    "GoRegexp",
    "GoRegexpError",
    "compile",
    "must_compile_message",
    "quote_meta",
]

_SPECIAL_CHARS = frozenset("\\.+*?()|[]{}^$")


def quote_meta(text: str) -> str:
    """Go's ``regexp.QuoteMeta``: backslash every character RE2 treats specially."""
    return "".join("\\" + char if char in _SPECIAL_CHARS else char for char in text)


class GoRegexp:
    """A compiled Go regular expression with the methods of Go's ``*regexp.Regexp``.

    Where Go returns a ``nil`` slice of strings (no match, ``n == 0``) the methods return
    an empty list, which templates print the same (``[]``); the ``*_index`` methods
    return ``None`` for Go's ``nil`` offsets.
    """

    __slots__ = ("_matcher", "capture_names", "pattern")

    def __init__(self, pattern: str, parsed: ParsedRegexp) -> None:
        self.pattern = pattern
        self.capture_names = parsed.capture_names
        self._matcher = build_matcher(parsed)

    def __repr__(self) -> str:
        return f"GoRegexp({self.pattern!r})"

    def __str__(self) -> str:
        return self.pattern

    @property
    def num_subexp(self) -> int:
        """Number of capturing groups (Go's ``NumSubexp``)."""
        return len(self.capture_names) - 1

    @property
    def subexp_names(self) -> list[str]:
        """Group names by number, ``""`` for the whole match and unnamed groups."""
        return list(self.capture_names)

    # -- single match ------------------------------------------------------------------

    def match_string(self, text: str) -> bool:
        """Go's ``MatchString``: whether the pattern matches anywhere in ``text``."""
        return self._matcher.matches(go_view(text), 0)

    def find_string_index(self, text: str) -> tuple[int, int] | None:
        """Start and end of the leftmost match, or ``None``."""
        captures = self._matcher.search(go_view(text), 0)
        return None if captures is None else (captures[0], captures[1])

    def find_string(self, text: str) -> str:
        """Go's ``FindString``: the leftmost match, ``""`` if there is none."""
        captures = self._matcher.search(go_view(text), 0)
        return "" if captures is None else text[captures[0] : captures[1]]

    def find_string_submatch(self, text: str) -> list[str]:
        """Go's ``FindStringSubmatch``: the match and each group (``""`` if unset)."""
        captures = self._matcher.search(go_view(text), 0)
        if captures is None:
            return []
        return _group_texts(text, captures)

    def find_string_submatch_index(self, text: str) -> list[int] | None:
        """Go's ``FindStringSubmatchIndex``: start/end pairs of the match and each group."""
        return self._matcher.search(go_view(text), 0)

    # -- all matches -------------------------------------------------------------------

    def _all_matches(self, text: str, limit: int) -> Iterator[list[int]]:
        """Successive matches as Go's ``allMatches`` finds them.

        An empty match right where the previous match ended is skipped, which is why
        ``a*`` finds ``["", "aa", ""]``-style results that differ from Python's.
        """
        if limit < 0:
            limit = len(text) + 1
        view = go_view(text)
        position = 0
        delivered = 0
        previous_end = -1
        while delivered < limit and position <= len(text):
            captures = self._matcher.search(view, position)
            if captures is None:
                return
            accept = True
            if captures[1] == position:
                if captures[0] == previous_end:
                    accept = False
                position += 1
            else:
                position = captures[1]
            previous_end = captures[1]
            if accept:
                delivered += 1
                yield captures

    def find_all_string(self, text: str, n: int) -> list[str]:
        """Go's ``FindAllString``: up to ``n`` matches (all if ``n < 0``)."""
        return [text[found[0] : found[1]] for found in self._all_matches(text, n)]

    def find_all_string_index(self, text: str, n: int) -> list[tuple[int, int]]:
        """Go's ``FindAllStringIndex`` in character offsets."""
        return [(found[0], found[1]) for found in self._all_matches(text, n)]

    def find_all_string_submatch(self, text: str, n: int) -> list[list[str]]:
        """Go's ``FindAllStringSubmatch``."""
        return [_group_texts(text, found) for found in self._all_matches(text, n)]

    def find_all_string_submatch_index(self, text: str, n: int) -> list[list[int]]:
        """Go's ``FindAllStringSubmatchIndex`` in character offsets."""
        return list(self._all_matches(text, n))

    def split(self, text: str, n: int) -> list[str]:
        """Go's ``Regexp.Split``: at most ``n`` pieces (all if ``n < 0``, none if 0)."""
        if n == 0:
            return []
        if self.pattern and text == "":
            return [""]
        pieces: list[str] = []
        begin = 0
        end = 0
        for start, stop in self.find_all_string_index(text, n):
            if n > 0 and len(pieces) >= n - 1:
                break
            end = start
            if stop != 0:
                pieces.append(text[begin:end])
            begin = stop
        if end != len(text):
            pieces.append(text[begin:])
        return pieces

    # -- replacing ---------------------------------------------------------------------

    def _replace_all(self, source: str, replacement: _Replacement) -> str:
        """Go's ``replaceAll`` loop, including its rule against doubled empty matches."""
        pieces: list[str] = []
        view = go_view(source)
        last_match_end = 0
        search_position = 0
        while search_position <= len(source):
            captures = self._matcher.search(view, search_position)
            if captures is None:
                break
            pieces.append(source[last_match_end : captures[0]])
            if captures[1] > last_match_end or captures[0] == 0:
                pieces.append(replacement(captures))
            last_match_end = captures[1]
            width = 1 if search_position < len(source) else 0
            if search_position + width > captures[1]:
                search_position += width
            elif search_position + 1 > captures[1]:
                search_position += 1
            else:
                search_position = captures[1]
        pieces.append(source[last_match_end:])
        return "".join(pieces)

    def replace_all_string(self, source: str, template: str) -> str:
        """Go's ``ReplaceAllString``: ``$1``, ``${name}``, ``$$`` ... are expanded."""
        names = self.capture_names
        return self._replace_all(source, lambda captures: expand(template, source, captures, names))

    def replace_all_literal_string(self, source: str, replacement: str) -> str:
        """Go's ``ReplaceAllLiteralString``: ``replacement`` is inserted verbatim."""
        return self._replace_all(source, lambda _captures: replacement)

    def expand_string(self, template: str, text: str, captures: list[int]) -> str:
        """Go's ``ExpandString`` for capture positions returned by this regexp."""
        return expand(template, text, captures, self.capture_names)


class _Replacement(Protocol):
    def __call__(self, captures: list[int], /) -> str: ...


def _group_texts(text: str, captures: list[int]) -> list[str]:
    return [
        text[captures[index] : captures[index + 1]] if captures[index] >= 0 else ""
        for index in range(0, len(captures), 2)
    ]


@lru_cache(maxsize=512)
def compile(pattern: str) -> GoRegexp:
    """Go's ``regexp.Compile``; raises :class:`GoRegexpError` with Go's message.

    Results are cached: templates often call ``regexMatch`` with the same pattern in a
    loop, and parsing plus ``re`` compilation is the expensive part.
    """
    return GoRegexp(pattern, parse(pattern))

"""sprig's regular-expression functions, with Go's RE2 syntax and semantics.

Patterns are Go regular expressions (see :mod:`mittnite.gotemplate.goregexp`). sprig has
three ways of failing on a bad pattern, reproduced here: ``regexMatch``
quietly answers false, the other plain functions panic the way Go's
``regexp.MustCompile`` does (``regexp: Compile(`(`): error parsing regexp:
...``), and the ``must*`` variants return the parse error. Results that Go leaves nil
(no match, a zero limit) are nil ``[]string`` slices, and results carry the spare capacity
Go's appends leave (sprig's ``slice`` can reach into it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.values import TypedSlice

from ._collections import grow_capacity, with_capacity

if TYPE_CHECKING:  # the regexp engine is imported when a pattern is first compiled
    from mittnite.gotemplate.goregexp import GoRegexp

__all__ = ["FUNCS"]

_FIND_ALL_START = 10  # the capacity Go's FindAllString allocates for its first match


def _nil_strings() -> TypedSlice:
    """A nil ``[]string`` (``FindAllString`` without a match, ``Split`` with ``n == 0``)."""
    return TypedSlice((), "[]string", is_nil=True)


def _grown(capacity: int, length: int) -> int:
    """The capacity after appending up to ``length`` elements to a ``[]string`` of
    ``capacity``."""
    while capacity < length:
        capacity = grow_capacity(capacity, capacity + 1)
    return capacity


def _find_all(regexp: GoRegexp, text: str, limit: int) -> list[Any]:
    """Go's ``FindAllString``: nil without a match, else appended to a 10-element buffer."""
    matches = regexp.find_all_string(text, limit)
    if not matches:
        return _nil_strings()
    return with_capacity(matches, _grown(_FIND_ALL_START, len(matches)), "string")


def _split(regexp: GoRegexp, text: str, limit: int) -> list[Any]:
    """Go's ``Regexp.Split``, with the capacity its result has (one slot per match,
    grown when the text after the last match is appended)."""
    if limit == 0:
        return _nil_strings()
    if regexp.pattern and text == "":
        return with_capacity([""], 1, "string")
    matches = regexp.find_all_string_index(text, limit)
    pieces: list[str] = []
    begin = 0
    end = 0
    for start, stop in matches:
        if limit > 0 and len(pieces) == limit - 1:
            break
        end = start
        if stop != 0:
            pieces.append(text[begin:end])
        begin = stop
    if end != len(text):
        pieces.append(text[begin:])
    return with_capacity(pieces, _grown(len(matches), len(pieces)), "string")


def _must_compile(expr: str) -> GoRegexp:
    """Go's ``regexp.MustCompile``: a bad pattern is a panic."""
    from mittnite.gotemplate.goregexp import GoRegexpError, compile, must_compile_message

    try:
        return compile(expr)
    except GoRegexpError as error:
        raise GoPanic(must_compile_message(expr, error)) from None


def _compile(expr: str) -> GoRegexp:
    """Go's ``regexp.Compile``: a bad pattern is a returned error."""
    from mittnite.gotemplate.goregexp import GoRegexpError, compile

    try:
        return compile(expr)
    except GoRegexpError as error:
        raise GoError(str(error)) from None


def _joined(text: str) -> str:
    """Re-decode a replacement result: invalid bytes that meet may form a valid rune."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")


@gofunc("string", "string", result="bool")
def regex_match(regex: str, text: str) -> bool:
    """Whether ``regex`` matches ``text``; false for a bad pattern."""
    from mittnite.gotemplate.goregexp import GoRegexpError, compile

    try:
        return compile(regex).match_string(text)
    except GoRegexpError:
        return False


@gofunc("string", "string", result="bool", error=True)
def must_regex_match(regex: str, text: str) -> bool:
    return _compile(regex).match_string(text)


@gofunc("string", "string", "int", result="[]string")
def regex_find_all(regex: str, text: str, limit: int) -> list[Any]:
    """Up to ``limit`` matches (all if negative)."""
    return _find_all(_must_compile(regex), text, limit)


@gofunc("string", "string", "int", result="[]string", error=True)
def must_regex_find_all(regex: str, text: str, limit: int) -> list[Any]:
    return _find_all(_compile(regex), text, limit)


@gofunc("string", "string", result="string")
def regex_find(regex: str, text: str) -> str:
    """The leftmost match, "" if none."""
    return _must_compile(regex).find_string(text)


@gofunc("string", "string", result="string", error=True)
def must_regex_find(regex: str, text: str) -> str:
    return _compile(regex).find_string(text)


@gofunc("string", "string", "string", result="string")
def regex_replace_all(regex: str, text: str, replacement: str) -> str:
    """Replace every match, expanding ``$1``, ``${1}``, ``$name``, ``${name}``."""
    return _joined(_must_compile(regex).replace_all_string(text, replacement))


@gofunc("string", "string", "string", result="string", error=True)
def must_regex_replace_all(regex: str, text: str, replacement: str) -> str:
    return _joined(_compile(regex).replace_all_string(text, replacement))


@gofunc("string", "string", "string", result="string")
def regex_replace_all_literal(regex: str, text: str, replacement: str) -> str:
    """Replace every match with ``replacement`` as it is."""
    return _joined(_must_compile(regex).replace_all_literal_string(text, replacement))


@gofunc("string", "string", "string", result="string", error=True)
def must_regex_replace_all_literal(regex: str, text: str, replacement: str) -> str:
    return _joined(_compile(regex).replace_all_literal_string(text, replacement))


@gofunc("string", "string", "int", result="[]string")
def regex_split(regex: str, text: str, limit: int) -> list[Any]:
    """The text between matches, at most ``limit`` pieces (all if negative; none if 0)."""
    return _split(_must_compile(regex), text, limit)


@gofunc("string", "string", "int", result="[]string", error=True)
def must_regex_split(regex: str, text: str, limit: int) -> list[Any]:
    return _split(_compile(regex), text, limit)


@gofunc("string", result="string")
def regex_quote_meta(text: str) -> str:
    """Escape every regular-expression metacharacter."""
    from mittnite.gotemplate.goregexp import quote_meta

    return quote_meta(text)


FUNCS: FuncMap = {
    "regexMatch": regex_match,
    "mustRegexMatch": must_regex_match,
    "regexFindAll": regex_find_all,
    "mustRegexFindAll": must_regex_find_all,
    "regexFind": regex_find,
    "mustRegexFind": must_regex_find,
    "regexReplaceAll": regex_replace_all,
    "mustRegexReplaceAll": must_regex_replace_all,
    "regexReplaceAllLiteral": regex_replace_all_literal,
    "mustRegexReplaceAllLiteral": must_regex_replace_all_literal,
    "regexSplit": regex_split,
    "mustRegexSplit": must_regex_split,
    "regexQuoteMeta": regex_quote_meta,
}

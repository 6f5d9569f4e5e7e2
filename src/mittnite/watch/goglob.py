"""Go's ``path/filepath`` ``Match`` and ``Glob``, byte for byte, on Unix.

Why not :mod:`fnmatch` or :mod:`glob`: a ``watch "<glob>"`` written for the
Go original must select exactly the same files here. Python's matchers differ
in every corner that matters: ``*`` crosses ``/`` in :mod:`fnmatch`, hidden
files are skipped by :mod:`glob`, ``[!a]`` negates there but is a plain ``!``
in Go, and malformed patterns are silently taken literally instead of being
rejected with Go's ``syntax error in pattern``.

Go's rules, as implemented here:

* ``*`` matches any run of bytes without ``/``; ``?`` one UTF-8 character
  other than ``/`` (an invalid byte counts as one character);
* ``[...]`` one character out of a set of characters and ``lo-hi`` ranges,
  ``[^...]`` the complement; the set is never empty, ``-`` and ``]`` must be
  escaped inside it, and it may match ``/``;
* ``\\`` makes the next byte literal, everywhere;
* no ``**``, no braces, nothing special about leading dots;
* a malformed pattern is an error only where matching reaches the broken
  part (a "chunk" between stars is checked as a whole, the chunks after a
  mismatch are not looked at): ``Match("a*[", "b")`` is false, not an
  error. That is Go's behaviour, verified against Go's own results;
  :func:`validate` offers the strict check for configuration validation;
* matching is greedy-free and never backtracks into an earlier ``*``: each
  chunk after a star takes the leftmost place where it fits, as Go does.

Names and patterns are handled as bytes (``str`` arguments are encoded the
way :func:`os.fsencode` does), because Go works on bytes and file names need
not be UTF-8.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    # A token of a compiled chunk: a literal byte (0..255), ANY for ``?``, or a
    # character class as (negated, ((lo, hi), ...)) over code points.
    Token: TypeAlias = "int | tuple[bool, tuple[tuple[int, int], ...]]"

__all__ = [
    "ErrBadPattern",
    "glob",
    "glob_base_dirs",
    "has_meta",
    "match",
    "validate",
]

ANY = -1  # the ``?`` token
RUNE_ERROR = 0xFFFD
_SLASH = 0x2F
_STAR = 0x2A
_BACKSLASH = 0x5C
_OPEN = 0x5B
_CLOSE = 0x5D
_CARET = 0x5E
_DASH = 0x2D
_QUESTION = 0x3F
_META = frozenset("*?[\\")


class ErrBadPattern(ValueError):
    """Go's ``filepath.ErrBadPattern``; its text is what the original logs."""

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


def _decode_rune(data: bytes, pos: int) -> tuple[int, int]:
    """Go's ``utf8.DecodeRune``: (code point, size); invalid input is (U+FFFD, 1)."""
    lead = data[pos]
    if lead < 0x80:
        return lead, 1
    if 0xC2 <= lead <= 0xDF:
        size = 2
    elif 0xE0 <= lead <= 0xEF:
        size = 3
    elif 0xF0 <= lead <= 0xF4:
        size = 4
    else:
        return RUNE_ERROR, 1
    try:
        # The strict decoder rejects overlong forms, surrogates and values past
        # U+10FFFF, exactly the sequences Go also treats as invalid.
        text = data[pos : pos + size].decode("utf-8")
    except UnicodeDecodeError:
        return RUNE_ERROR, 1
    return ord(text), size


# ---- compiling ------------------------------------------------------------------


def _chunk_end(pattern: bytes, start: int) -> int:
    """Where the chunk starting at ``start`` ends: at the next ``*`` outside brackets.

    Go finds chunk boundaries with this rough bracket tracking before it
    parses the chunk, and the boundary decides how stars group, so it is
    reproduced as is (a ``[`` inside a class re-opens, any ``]`` closes).
    """
    in_class = False
    pos = start
    size = len(pattern)
    while pos < size:
        byte = pattern[pos]
        if byte == _BACKSLASH:
            if pos + 1 < size:
                pos += 1
        elif byte == _OPEN:
            in_class = True
        elif byte == _CLOSE:
            in_class = False
        elif byte == _STAR and not in_class:
            break
        pos += 1
    return pos


def _class_char(chunk: bytes, pos: int) -> tuple[int, int]:
    """One (possibly escaped) character of a class; returns (code point, next pos)."""
    if pos >= len(chunk) or chunk[pos] in (_DASH, _CLOSE):
        raise ErrBadPattern()
    if chunk[pos] == _BACKSLASH:
        pos += 1
        if pos >= len(chunk):
            raise ErrBadPattern()
    rune, size = _decode_rune(chunk, pos)
    if rune == RUNE_ERROR and size == 1:
        raise ErrBadPattern()
    pos += size
    if pos >= len(chunk):  # a class must be closed within its chunk
        raise ErrBadPattern()
    return rune, pos


def _compile_chunk(chunk: bytes) -> tuple[Token, ...]:
    tokens: list[Token] = []
    pos = 0
    size = len(chunk)
    while pos < size:
        byte = chunk[pos]
        if byte == _OPEN:
            pos += 1
            negated = pos < size and chunk[pos] == _CARET
            if negated:
                pos += 1
            ranges: list[tuple[int, int]] = []
            while not (pos < size and chunk[pos] == _CLOSE and ranges):
                low, pos = _class_char(chunk, pos)
                high = low
                if chunk[pos] == _DASH:
                    high, pos = _class_char(chunk, pos + 1)
                ranges.append((low, high))
            pos += 1  # the closing bracket
            tokens.append((negated, tuple(ranges)))
        elif byte == _QUESTION:
            tokens.append(ANY)
            pos += 1
        elif byte == _BACKSLASH:
            if pos + 1 >= size:
                raise ErrBadPattern()
            tokens.append(chunk[pos + 1])
            pos += 2
        else:
            tokens.append(byte)
            pos += 1
    return tuple(tokens)


_chunk_cache: dict[bytes, tuple[Token, ...] | ErrBadPattern] = {}
_split_cache: dict[bytes, tuple[tuple[bool, bytes], ...]] = {}


def _tokens(chunk: bytes) -> tuple[Token, ...]:
    """The compiled chunk; raises ErrBadPattern. Cached: the watch code matches
    the same few patterns against every directory entry on every evaluation."""
    cached = _chunk_cache.get(chunk)
    if cached is None:
        try:
            cached = _compile_chunk(chunk)
        except ErrBadPattern as error:
            cached = error
        if len(_chunk_cache) > 512:
            _chunk_cache.clear()
        _chunk_cache[chunk] = cached
    if isinstance(cached, ErrBadPattern):
        raise ErrBadPattern()
    return cached


def _chunks(pattern: bytes) -> tuple[tuple[bool, bytes], ...]:
    """The pattern as (star before it, raw chunk) pairs; never fails."""
    cached = _split_cache.get(pattern)
    if cached is None:
        chunks: list[tuple[bool, bytes]] = []
        pos = 0
        size = len(pattern)
        while pos < size:
            star = False
            while pos < size and pattern[pos] == _STAR:
                star = True
                pos += 1
            end = _chunk_end(pattern, pos)
            chunks.append((star, pattern[pos:end]))
            pos = end
        cached = tuple(chunks)
        if len(_split_cache) > 256:
            _split_cache.clear()
        _split_cache[pattern] = cached
    return cached


# ---- matching -------------------------------------------------------------------


def _match_chunk(tokens: tuple[Token, ...], name: bytes, pos: int) -> int:
    """Match ``tokens`` at ``name[pos:]``; the position after them, or -1."""
    size = len(name)
    for token in tokens:
        if pos >= size:
            return -1
        if isinstance(token, int):
            if token == ANY:
                if name[pos] == _SLASH:
                    return -1
                pos += _decode_rune(name, pos)[1]
            elif name[pos] != token:
                return -1
            else:
                pos += 1
        else:
            negated, ranges = token
            rune, width = _decode_rune(name, pos)
            hit = any(low <= rune <= high for low, high in ranges)
            if hit == negated:
                return -1
            pos += width
    return pos


def _match_chunks(chunks: tuple[tuple[bool, bytes], ...], name: bytes) -> bool:
    """Go's matching loop; a malformed chunk raises only once matching reaches it."""
    pos = 0
    size = len(name)
    last = len(chunks) - 1
    for index, (star, raw) in enumerate(chunks):
        if star and not raw:  # only ever the final chunk: a trailing star
            return _SLASH not in name[pos:]
        tokens = _tokens(raw)
        end = _match_chunk(tokens, name, pos)
        # The final chunk must use up the name; earlier ones take the first fit.
        if end >= 0 and (end == size or index < last):
            pos = end
            continue
        if not star:
            return False
        skip = pos
        while skip < size and name[skip] != _SLASH:
            end = _match_chunk(tokens, name, skip + 1)
            if end >= 0 and (end == size or index < last):
                break
            skip += 1
        else:
            return False
        pos = end
    return pos == size


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else os.fsencode(value)


def match(pattern: str | bytes, name: str | bytes) -> bool:
    """Go's ``filepath.Match(pattern, name)``; raises :class:`ErrBadPattern`.

    Like Go, a malformed chunk is reported only when matching reaches it:
    ``match("a*[", "b")`` is simply False, ``match("a*[", "ab")`` raises.
    """
    return _match_chunks(_chunks(_as_bytes(pattern)), _as_bytes(name))


def validate(pattern: str | bytes) -> None:
    """Raise :class:`ErrBadPattern` unless every part of ``pattern`` is well-formed.

    Stricter than Go, which only reports the malformed part it happens to
    reach (see :func:`match`); meant for configuration checks, so that a
    ``watch "/etc/app*["`` is flagged before it silently matches nothing.
    """
    for _star, raw in _chunks(_as_bytes(pattern)):
        _tokens(raw)


def has_meta(path: str) -> bool:
    """Whether ``path`` needs matching at all (Go: any of ``*?[\\``)."""
    return any(ch in _META for ch in path)


# ---- paths as Go's path/filepath sees them --------------------------------------


def go_clean(path: str) -> str:
    """Go's ``filepath.Clean`` (lexical; unlike :func:`os.path.normpath`, ``//a`` is ``/a``)."""
    cleaned = os.path.normpath(path) if path else "."
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def _split(path: str) -> tuple[str, str]:
    """Go's ``filepath.Split``: the directory keeps its trailing slash."""
    cut = path.rfind("/") + 1
    return path[:cut], path[cut:]


def _glob_dir(directory: str) -> str:
    """The directory part of a split pattern as Go's Glob uses it."""
    if directory == "":
        return "."
    if directory == "/":
        return directory
    return directory[:-1]


def _parent(path: str) -> str:
    """Go's ``filepath.Dir``."""
    directory = _split(path)[0]
    return go_clean(directory) if directory else "."


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _entries(directory: str, pattern: str, found: list[str]) -> None:
    """Add the entries of ``directory`` matching ``pattern`` (Go's sorted order)."""
    if not _is_dir(directory):
        return
    try:
        names = os.listdir(directory)
    except (OSError, ValueError):
        return  # Go ignores I/O errors while globbing
    chunks = _chunks(_as_bytes(pattern))
    for name in sorted(names, key=os.fsencode):
        if _match_chunks(chunks, os.fsencode(name)):
            found.append(go_clean(directory + "/" + name))


def glob(pattern: str) -> list[str]:
    """Go's ``filepath.Glob``: the matching paths, sorted per directory.

    A pattern without meta characters is returned as is if ``lstat`` finds it
    (so a dangling symlink matches); otherwise matches are cleaned joins.
    I/O errors are ignored. :class:`ErrBadPattern` is raised when Go's Glob
    fails: its up-front ``Match(pattern, "")`` check, or a malformed part that
    matching reaches for some directory entry.
    """
    match(pattern, "")
    if not has_meta(pattern):
        try:
            os.lstat(pattern)
        except (OSError, ValueError):
            return []
        return [pattern]
    head, tail = _split(pattern)
    directory = _glob_dir(head)
    found: list[str] = []
    if not has_meta(directory):
        _entries(directory, tail, found)
        return found
    if directory == pattern:  # cannot happen on Unix; Go guards against it too
        raise ErrBadPattern()
    for parent in glob(directory):
        _entries(parent, tail, found)
    return found


# ---- what to watch so that every new match is seen -------------------------------


def _deepest_existing(directory: str) -> str:
    """``directory`` itself, or the nearest ancestor that exists (where it will appear)."""
    current = directory
    while not _is_dir(current):
        parent = _parent(current)
        if parent == current:
            break
        current = parent
    return current


def _symlink_parents(directory: str) -> list[str]:
    """Parents of symlinks on the way to ``directory``.

    A symlinked component (Kubernetes' ``..data``) can be swapped atomically;
    that shows up only as a rename in its parent, never inside the directory
    it used to point to, so the parent must be watched too.
    """
    parents = []
    current = directory
    while True:
        parent = _parent(current)
        if os.path.islink(current):
            parents.append(parent)
        if parent == current or current in (".", ".."):
            break
        current = parent
    return parents


def glob_base_dirs(pattern: str) -> list[str]:
    """The directories to watch so that any new or vanished match of ``pattern`` is seen.

    For a literal directory part this is that directory - or, while it does
    not exist yet, its deepest existing ancestor, where it will be created -
    plus the parents of symlinks along the way. For wildcards in directory
    components it is every directory that matches a prefix of the pattern,
    level by level, so a new ``conf.d`` in any matching service directory is
    noticed. The answer depends on the file system: recompute it after every
    change. Only existing directories are returned (no duplicates, in order).
    Raises :class:`ErrBadPattern` where :func:`glob` would.
    """
    match(pattern, "")
    result: list[str] = []
    for directory in _base_dirs(pattern):
        if directory not in result:
            result.append(directory)
    return result


def _base_dirs(pattern: str) -> list[str]:
    directory = _glob_dir(_split(pattern)[0])
    if not has_meta(directory):
        base = _deepest_existing(directory)
        return [base, *_symlink_parents(base)] if _is_dir(base) else []
    dirs = _base_dirs(directory)
    dirs.extend(found for found in glob(directory) if _is_dir(found))
    return dirs

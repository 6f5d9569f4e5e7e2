"""sprig's string functions (sprig v3.3.0 with its helper libraries' behaviour).

Templates written for mittnite rely on the exact bytes these functions
produce, including their quirks: Go strings are byte strings, so ``trunc``,
``substr`` and ``abbrev`` count bytes and may cut a UTF-8 sequence (such
bytes are kept as surrogate escapes, see :mod:`mittnite.gotemplate.values`);
``nospace`` and ``initials`` look at single bytes as if they were Latin-1 runes; functions
that walk runes turn invalid bytes into U+FFFD; case mappings are Go's
simple one-to-one mappings (``upper "ß"`` stays ``ß``); the case
conversions (``snakecase``...) split words the way the ``xstrings`` library
does, including its special treatment of CJK ideographs. Everything was
checked against Go with sprig.

Unicode properties come from :mod:`unicodedata`, imported only when a function
needs one (the case functions on ASCII text do not). ``sortAlpha``, defined next to
these in sprig's sources, is a list function (see ``lists.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.limits import MAX_VALUE_BYTES, check_size
from mittnite.gotemplate.values import SLICE_OF_STRING, TypedSlice, map_of, slice_of

__all__ = ["FUNCS", "strslice", "strval"]

# ---- Go strings and runes -------------------------------------------------------------


def _bytes(text: str) -> bytes:
    """The Go bytes of a template string."""
    return text.encode("utf-8", "surrogateescape")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _is_invalid(char: str) -> bool:
    """An invalid UTF-8 byte (kept as a surrogate escape)."""
    return "\udc80" <= char <= "\udcff"


def _joined(text: str) -> str:
    """Re-decode a concatenation: invalid bytes that meet may now form a valid rune."""
    return text if text.isascii() else _text(_bytes(text))


def _rune(char: str) -> str:
    """The rune Go decodes: U+FFFD for an invalid byte."""
    return "\ufffd" if _is_invalid(char) else char


# unicode.IsSpace
_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CHARS = "".join(sorted(_SPACES))
_SPACE_BYTES = frozenset(b"\t\n\v\f\r \x85\xa0")  # bytes that are spaces as Latin-1 runes


def _category(char: str) -> str:
    import unicodedata

    return unicodedata.category(char)


def _is_upper(char: str) -> bool:
    if char < "\x80":
        return "A" <= char <= "Z"
    return _category(char) == "Lu"


def _is_lower(char: str) -> bool:
    if char < "\x80":
        return "a" <= char <= "z"
    return _category(char) == "Ll"


def _is_title(char: str) -> bool:
    return char >= "\x80" and _category(char) == "Lt"


def _is_letter(char: str) -> bool:
    if char < "\x80":
        return char.isalpha()
    return _category(char)[0] == "L"


def _is_digit(char: str) -> bool:
    if char < "\x80":
        return char.isdigit()
    return _category(char) == "Nd"


def _is_number(char: str) -> bool:
    if char < "\x80":
        return char.isdigit()
    return _category(char)[0] == "N"


def _is_punct(char: str) -> bool:
    return _category(char)[0] == "P"


def _to_upper(char: str) -> str:
    """``unicode.ToUpper``: the simple (one rune) mapping."""
    mapped = char.upper()
    if len(mapped) == 1:
        return mapped
    mapped = char.title()  # e.g. U+1F80: full upper is two runes, simple is U+1F88
    return mapped if len(mapped) == 1 else char


def _to_lower(char: str) -> str:
    """``unicode.ToLower``: the simple (one rune) mapping."""
    if char == "\u0130":  # İ: the full mapping adds a combining dot
        return "i"
    mapped = char.lower()
    return mapped if len(mapped) == 1 else char


def _to_title(char: str) -> str:
    """``unicode.ToTitle``: the simple (one rune) mapping."""
    mapped = char.title()
    return mapped if len(mapped) == 1 else char


def _map_runes(text: str, mapping: Callable[[str], str]) -> str:
    """Go's ``strings.Map``: invalid bytes come out as U+FFFD."""
    return "".join(mapping(_rune(char)) for char in text)


# ---- slicing with Go's bounds checks ----------------------------------------------------


def _go_slice(data: bytes, low: int, high: int | None) -> bytes:
    """``s[low:high]`` (``high`` None: ``s[low:]``), panicking like Go's runtime."""
    length = len(data)
    if high is not None:
        if high < 0:
            raise GoPanic(f"runtime error: slice bounds out of range [:{high}]")
        if high > length:
            raise GoPanic(
                f"runtime error: slice bounds out of range [:{high}] with length {length}"
            )
    end = length if high is None else high
    if low < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [{low}:]")
    if low > end:
        raise GoPanic(f"runtime error: slice bounds out of range [{low}:{end}]")
    return data[low:end]


def _go_repeat(text: str, count: int) -> str:
    """``strings.Repeat`` with Go 1.19's panics, within mittnite's size limit.

    Go checks the count, then whether ``len * count`` wrapped around, then allocates; an
    allocation of 2**48 bytes or more panics (``makeslice: cap out of range``), anything
    smaller that would exceed mittnite's limit is refused before it is built."""
    if count == 0:
        return ""
    if count < 0:
        raise GoPanic("strings: negative Repeat count")
    size = len(_bytes(text))
    product = _wrap_int64(size * count)
    quotient = abs(product) // count  # Go's division truncates toward zero
    if (-quotient if product < 0 else quotient) != size:
        raise GoPanic("strings: Repeat count causes overflow")
    if product >= _MAX_ALLOC:
        raise GoPanic("runtime error: makeslice: cap out of range")
    check_size(product)
    return _joined(text * count)


_MAX_ALLOC = 1 << 48  # Go's largest allocation on 64-bit platforms


def _wrap_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


# ---- Go's fmt view of values ------------------------------------------------------------


def strval(value: Any) -> str:
    """sprig's ``strval``: strings as they are, ``[]byte`` as text, else ``%v``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return _text(value)
    return _sprint(value)


def _sprint(value: Any) -> str:
    """``fmt.Sprint`` of one value (``%v``)."""
    from mittnite.gotemplate.gofmt import sprint_value

    return sprint_value(value)


def strslice(value: Any) -> list[Any]:
    """sprig's ``strslice``: a ``[]string`` from any value.

    A ``[]string`` is returned as it is (the same slice); other slices give their non-nil
    elements as strings in a new slice whose capacity is the source's length; nil gives an
    empty (non-nil) slice and any other value a one-element slice.
    """
    if isinstance(value, TypedSlice) and value.go_type is SLICE_OF_STRING:
        return value
    if isinstance(value, bytes):
        return slice_of("string", [str(byte) for byte in value])
    if isinstance(value, list):
        from ._collections import with_capacity

        items = [strval(item) for item in value if item is not None]
        return with_capacity(items, len(value), "string")
    if value is None:
        return slice_of("string")
    return slice_of("string", [strval(value)])


# ---- simple functions ---------------------------------------------------------------------


@gofunc(result="string")
def hello() -> str:
    """sprig's test function."""
    return "Hello!"


@gofunc("string", result="string")
def trim(text: str) -> str:
    """``strings.TrimSpace`` (Unicode white space; invalid bytes are not space)."""
    return text.strip(_SPACE_CHARS)


def _trim_cutset(text: str, cutset: str) -> str:
    """``strings.Trim``: invalid bytes match a cutset holding U+FFFD or an invalid byte."""
    members = {_rune(char) for char in cutset}
    start = 0
    end = len(text)
    while start < end and _rune(text[start]) in members:
        start += 1
    while end > start and _rune(text[end - 1]) in members:
        end -= 1
    return text[start:end]


@gofunc("string", "string", result="string")
def trim_all(cutset: str, text: str) -> str:
    """``strings.Trim(text, cutset)``."""
    return _trim_cutset(text, cutset)


@gofunc("string", "string", result="string")
def trim_prefix(prefix: str, text: str) -> str:
    return _text(_bytes(text).removeprefix(_bytes(prefix)))


@gofunc("string", "string", result="string")
def trim_suffix(suffix: str, text: str) -> str:
    return _text(_bytes(text).removesuffix(_bytes(suffix)))


@gofunc("string", result="string")
def upper(text: str) -> str:
    """``strings.ToUpper``."""
    if text.isascii():
        return text.upper()
    return _map_runes(text, _to_upper)


@gofunc("string", result="string")
def lower(text: str) -> str:
    """``strings.ToLower``."""
    if text.isascii():
        return text.lower()
    return _map_runes(text, _to_lower)


def _title_separator(char: str) -> bool:
    """Whether ``char`` ends a word for ``strings.Title``."""
    if char < "\x80":
        return not (char.isalnum() or char == "_")
    if _is_letter(char) or _is_digit(char):
        return False
    return char in _SPACES


@gofunc("string", result="string")
def title(text: str) -> str:
    """``strings.Title``: title-case the first letter of each word."""
    out = []
    previous = " "
    for char in text:
        rune = _rune(char)
        out.append(_to_title(rune) if _title_separator(previous) else rune)
        previous = rune
    return "".join(out)


@gofunc("string", result="string")
def untitle(text: str) -> str:
    """Lower-case the first letter of each white-space separated word."""
    out = []
    after_space = True
    for char in text:
        rune = _rune(char)
        if rune in _SPACES:
            after_space = True
            out.append(rune)
        elif after_space:
            after_space = False
            out.append(_to_lower(rune))
        else:
            out.append(rune)
    return "".join(out)


@gofunc("string", result="string")
def swapcase(text: str) -> str:
    """Swap cases; a lower-case letter after white space becomes title case."""
    out = []
    after_space = True
    for char in text:
        rune = _rune(char)
        if _is_upper(rune) or _is_title(rune):
            out.append(_to_lower(rune))
            after_space = False
        elif _is_lower(rune):
            out.append(_to_title(rune) if after_space else _to_upper(rune))
            after_space = False
        else:
            out.append(rune)
            after_space = rune in _SPACES
    return "".join(out)


@gofunc("string", result="string")
def nospace(text: str) -> str:
    """Remove white space, looking at single bytes.

    The helper sprig uses inspects each byte as a Latin-1 rune; when it
    removes something it rebuilds the string from those runes, so other
    non-ASCII bytes come out re-encoded as Latin-1 characters.
    """
    data = _bytes(text)
    if not any(byte in _SPACE_BYTES for byte in data):
        return text
    return "".join(chr(byte) for byte in data if byte not in _SPACE_BYTES)


@gofunc("string", result="string")
def initials(text: str) -> str:
    """The first byte (as a Latin-1 rune) of every white-space separated word."""
    out = []
    after_space = True
    for byte in _bytes(text):
        if byte in _SPACE_BYTES:
            after_space = True
        elif after_space:
            out.append(chr(byte))
            after_space = False
    return "".join(out)


@gofunc("int", "string", result="string")
def trunc(count: int, text: str) -> str:
    """The first ``count`` bytes, or the last ``-count`` bytes."""
    data = _bytes(text)
    if count < 0 and len(data) + count > 0:
        return _text(data[len(data) + count :])
    if count >= 0 and len(data) > count:
        return _text(data[:count])
    return text


@gofunc("int", "int", "string", result="string")
def substr(start: int, end: int, text: str) -> str:
    """Bytes ``start`` to ``end`` (a negative bound means "from the start"/"to the end")."""
    data = _bytes(text)
    if start < 0:
        return _text(_go_slice(data, 0, end))
    if end < 0 or end > len(data):
        return _text(_go_slice(data, start, None))
    return _text(_go_slice(data, start, end))


@gofunc("int", "string", result="string")
def repeat(count: int, text: str) -> str:
    return _go_repeat(text, count)


def _abbreviate(data: bytes, offset: int, width: int) -> bytes | None:
    """Abbreviate to ``width`` bytes with ``...`` markers; None where it refuses."""
    if not data:
        return data
    if width < 4:
        return None
    if len(data) <= width:
        return data
    offset = min(offset, len(data))
    if len(data) - offset < width - 3:
        offset = len(data) - (width - 3)
    if offset <= 4:
        return data[: width - 3] + b"..."
    if width < 7:
        return None
    if offset + width - 3 < len(data):
        return b"..." + (_abbreviate(data[offset:], 0, width - 3) or b"")
    return b"..." + data[len(data) - (width - 3) :]


@gofunc("int", "string", result="string")
def abbrev(width: int, text: str) -> str:
    """Shorten to ``width`` bytes ending in ``...``."""
    if width < 4:
        return text
    return _text(_abbreviate(_bytes(text), 0, width) or b"")


@gofunc("int", "int", "string", result="string")
def abbrevboth(left: int, right: int, text: str) -> str:
    """Shorten around byte offset ``left`` to ``right`` bytes, ``...`` on both sides."""
    if right < 4 or (left > 0 and right < 7):
        return text
    return _text(_abbreviate(_bytes(text), left, right) or b"")


def _wrap(text: str, width: int, newline: str, wrap_long_words: bool) -> str:
    """Word-wrap at spaces to lines of at most ``width`` bytes."""
    data = _bytes(text)
    if not data:
        return ""
    separator = _bytes(newline) or b"\n"
    width = max(width, 1)
    out: list[bytes] = []
    offset = 0
    size = len(data)
    while len(data) - offset > width:
        size += len(separator)
        if size > MAX_VALUE_BYTES:
            check_size(size)
        if data[offset] == 0x20:
            offset += 1
            continue
        space = data.rfind(b" ", 0, width + offset + 1)
        if space >= offset:
            out += [data[offset:space], separator]
            offset = space + 1
        elif wrap_long_words:
            out += [data[offset : offset + width], separator]
            offset += width
        else:
            space = data.find(b" ", width + offset)
            if space < 0:
                out.append(data[offset:])
                offset = len(data)
            else:
                out += [data[offset:space], separator]
                offset = space + 1
    out.append(data[offset:])
    return _text(b"".join(out))


@gofunc("int", "string", result="string")
def wrap(width: int, text: str) -> str:
    """Wrap at ``width`` bytes with newlines; longer words are left whole."""
    return _wrap(text, width, "", False)


@gofunc("int", "string", "string", result="string")
def wrap_with(width: int, separator: str, text: str) -> str:
    """Wrap at ``width`` bytes with ``separator``; longer words are cut."""
    return _wrap(text, width, separator, True)


@gofunc("string", "string", result="bool")
def contains(needle: str, text: str) -> bool:
    return _bytes(needle) in _bytes(text)


@gofunc("string", "string", result="bool")
def has_prefix(prefix: str, text: str) -> bool:
    return _bytes(text).startswith(_bytes(prefix))


@gofunc("string", "string", result="bool")
def has_suffix(suffix: str, text: str) -> bool:
    return _bytes(text).endswith(_bytes(suffix))


@gofunc("...interface {}", result="string")
def quote(*values: Any) -> str:
    """Go-quote (``%q``) every non-nil value, space separated."""
    from mittnite.gotemplate.gofmt import quote as go_quote

    return " ".join(go_quote(strval(value)) for value in values if value is not None)


@gofunc("...interface {}", result="string")
def squote(*values: Any) -> str:
    """Single-quote every non-nil value (no escaping), space separated."""
    return " ".join(f"'{strval(value)}'" for value in values if value is not None)


@gofunc("...interface {}", result="string")
def cat(*values: Any) -> str:
    """The non-nil values printed with ``%v``, space separated."""
    parts = [_sprint(value) for value in values if value is not None]
    check_size(sum(map(len, parts)) + len(parts))
    return _joined(" ".join(parts))


@gofunc("int", "string", result="string")
def indent(spaces: int, text: str) -> str:
    """Prefix every line with ``spaces`` spaces."""
    pad = _go_repeat(" ", spaces)
    check_size(len(text) + (text.count("\n") + 1) * len(pad))
    return pad + text.replace("\n", "\n" + pad)


@gofunc("int", "string", result="string")
def nindent(spaces: int, text: str) -> str:
    """``indent`` after a leading newline."""
    pad = _go_repeat(" ", spaces)
    check_size(1 + len(text) + (text.count("\n") + 1) * len(pad))
    return "\n" + pad + text.replace("\n", "\n" + pad)


@gofunc("string", "string", "string", result="string")
def replace(old: str, new: str, text: str) -> str:
    """``strings.Replace(text, old, new, -1)``."""
    if not old:
        # Go inserts ``new`` around every rune (an invalid byte counts as one)
        check_size(len(text) + (len(text) + 1) * len(new))
        return _joined(new + "".join(char + new for char in text))
    data, old_bytes, new_bytes = _bytes(text), _bytes(old), _bytes(new)
    if len(new_bytes) > len(old_bytes):
        check_size(len(data) + data.count(old_bytes) * (len(new_bytes) - len(old_bytes)))
    return _text(data.replace(old_bytes, new_bytes))


@gofunc("string", "string", "int", result="string")
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@gofunc("interface {}", result="string")
def to_string(value: Any) -> str:
    return strval(value)


@gofunc("interface {}", result="[]string")
def to_strings(value: Any) -> list[Any]:
    return strslice(value)


@gofunc("string", "interface {}", result="string")
def join(separator: str, value: Any) -> str:
    parts = strslice(value)
    check_size(sum(map(len, parts)) + len(separator) * max(len(parts) - 1, 0))
    return _joined(separator.join(parts))


def _go_split(text: str, separator: str, limit: int) -> list[str]:
    """``strings.SplitN`` (``limit`` < 0: all pieces; 0: none)."""
    if limit == 0:
        return []
    if not separator:
        # One piece per rune, the last one taking the rest as it is; in the
        # other pieces an invalid byte is a rune of its own, turned into U+FFFD.
        count = len(text) if limit < 0 or limit > len(text) else limit
        if count == 0:
            return []
        return [*(_rune(char) for char in text[: count - 1]), text[count - 1 :]]
    pieces = _bytes(text).split(_bytes(separator), limit - 1 if limit > 0 else -1)
    return [_text(piece) for piece in pieces]


def _numbered(pieces: list[str]) -> dict[Any, Any]:
    return map_of("string", "string", {f"_{index}": piece for index, piece in enumerate(pieces)})


@gofunc("string", "string", result="map[string]string")
def split(separator: str, text: str) -> dict[Any, Any]:
    """The pieces as a map ``_0``, ``_1``... (for ``.`` access in templates)."""
    return _numbered(_go_split(text, separator, -1))


@gofunc("string", "string", result="[]string")
def split_list(separator: str, text: str) -> list[Any]:
    return slice_of("string", _go_split(text, separator, -1))


@gofunc("string", "int", "string", result="map[string]string")
def splitn(separator: str, limit: int, text: str) -> dict[Any, Any]:
    return _numbered(_go_split(text, separator, limit))


# ---- random strings -----------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_ASCII = "".join(chr(code) for code in range(32, 127))


def _random_string(count: int, alphabet: str) -> str:
    """``count`` characters from ``alphabet`` (cryptographic randomness; "" if count < 0)."""
    import secrets

    check_size(count)
    return "".join(secrets.choice(alphabet) for _ in range(max(count, 0)))


@gofunc("int", result="string")
def rand_alpha_num(count: int) -> str:
    return _random_string(count, _DIGITS + _LETTERS)


@gofunc("int", result="string")
def rand_alpha(count: int) -> str:
    return _random_string(count, _LETTERS)


@gofunc("int", result="string")
def rand_numeric(count: int) -> str:
    return _random_string(count, _DIGITS)


@gofunc("int", result="string")
def rand_ascii(count: int) -> str:
    return _random_string(count, _ASCII)


@gofunc("string", result="string")
def shuffle(text: str) -> str:
    """The runes in random order (invalid bytes become U+FFFD)."""
    import random

    runes = [_rune(char) for char in text]
    random.SystemRandom().shuffle(runes)
    return "".join(runes)


# ---- snakecase, kebabcase, camelcase ----------------------------------------------------
#
# Words are runs of one kind: connectors ("-", "_", white space), punctuation,
# an upper-case run ("HTTP" in "HTTPServer") or a capitalized word ("Server"),
# a lower-case word, a number, or anything else. Invalid bytes belong to the
# word of the next valid rune. CJK ideographs of the older Unicode blocks do
# not count as letters (an xstrings peculiarity).

_CJK_RANGES = (
    (0x3400, 0x4D85),
    (0x4E00, 0x9FCC),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
)
_CONNECTOR, _PUNCT, _UPPER, _LOWER, _NUMBER, _OTHER, _INVALID = range(7)


def _is_connector(char: str) -> bool:
    return char in "-_" or char in _SPACES


def _is_alphabet(char: str) -> bool:
    if not _is_letter(char):
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _CJK_RANGES)


def _is_lower_alphabet(char: str) -> bool:
    return _is_alphabet(char) and not _is_upper(char)


def _is_other(char: str) -> bool:
    return not (_is_connector(char) or _is_alphabet(char) or _is_number(char) or _is_punct(char))


def _next_valid(text: str, index: int, previous: str) -> tuple[str, int]:
    """The next valid rune at or after ``index`` and the index after it.

    U+FFFD counts as invalid too (xstrings compares with ``utf8.RuneError``).
    Without one, ``previous`` stands in and the index is the end.
    """
    for position in range(index, len(text)):
        if _rune(text[position]) != "\ufffd":
            return text[position], position + 1
    return previous, len(text)


def _words(text: str) -> list[tuple[int, str]]:
    """Split ``text`` into (kind, word) pairs."""
    words: list[tuple[int, str]] = []
    end = len(text)
    start = 0

    def run(position: int, char: str, accept: Callable[[str], bool]) -> int:
        while position < end:
            char, after = _next_valid(text, position, char)
            if not accept(char):
                break
            position = after
        return position

    while start < end:
        char, stop = _next_valid(text, start, "")
        if not char:
            words.append((_INVALID, text[start:]))
            break
        if _is_connector(char):
            kind, stop = _CONNECTOR, run(stop, char, _is_connector)
        elif _is_punct(char):
            kind, stop = _PUNCT, run(stop, char, _is_punct)
        elif _is_upper(char):
            kind = _UPPER
            if stop < end:
                second, after = _next_valid(text, stop, char)
                if _is_upper(second):
                    # an upper-case run, minus its last letter if a lower-case one follows
                    last_start = stop
                    stop = after
                    current = second
                    while stop < end:
                        current, after = _next_valid(text, stop, current)
                        if not _is_upper(current):
                            break
                        last_start = stop
                        stop = after
                    if stop < end and _is_alphabet(current):
                        stop = last_start
                elif _is_alphabet(second):
                    stop = run(after, second, _is_lower_alphabet)
        elif _is_alphabet(char):
            kind, stop = _LOWER, run(stop, char, _is_lower_alphabet)
        elif _is_number(char):
            kind, stop = _NUMBER, run(stop, char, _is_number)
        else:
            kind, stop = _OTHER, run(stop, char, _is_other)
        words.append((kind, text[start:stop]))
        start = stop
    return words


def _lower_word(kind: int, word: str, connector: str) -> str:
    """Upper-case words are lowered rune by rune and connectors replaced; others stay."""
    if kind not in (_UPPER, _CONNECTOR):
        return word
    out = []
    for char in word:
        rune = _rune(char)
        if _is_connector(rune):
            out.append(connector)
        elif _is_upper(rune):
            out.append(_to_lower(rune))
        else:
            out.append(rune)
    return "".join(out)


_QUIET = (_CONNECTOR, _PUNCT, _INVALID)  # kinds that never get a connector next to them


def _delimit(text: str, connector: str) -> str:
    """Lower-case words joined by ``connector`` (``snakecase``/``kebabcase``)."""
    words = _words(text)
    out: list[str] = []
    index = 0
    while index < len(words):
        kind, word = words[index]
        out.append(_lower_word(kind, word, connector))
        index += 1
        if index == len(words):
            break
        following = words[index][0]
        if kind == _NUMBER:
            # lower-case words and numbers stick to a number: "1st", "2x3y"
            while index < len(words) and words[index][0] in (_LOWER, _NUMBER):
                out.append(words[index][1])
                index += 1
            if index < len(words) and words[index][0] not in _QUIET:
                out.append(connector)
            continue
        if kind in _QUIET or following in _QUIET:
            continue
        if following == _NUMBER:
            after = words[index + 1][0] if index + 1 < len(words) else None
            if after != _LOWER:
                # the number ends this word: "Bld4Floor" -> bld4_floor
                out.append(words[index][1])
                index += 1
                if after is not None and after not in _QUIET:
                    out.append(connector)
                continue
        out.append(connector)
    return "".join(out)


@gofunc("string", result="string")
def snakecase(text: str) -> str:
    return _delimit(text, "_")


@gofunc("string", result="string")
def kebabcase(text: str) -> str:
    return _delimit(text, "-")


@gofunc("string", result="string")
def camelcase(text: str) -> str:
    """xstrings 1.5's ``ToPascalCase``: connectors go, the rune after each is upper-cased,
    and a word that starts upper-case has its following upper-case runes lowered until
    its first non-upper-case rune (``FOO_BAR`` -> ``FooBar``, ``fooBar`` -> ``FooBar``).

    Leading connectors stay; a run of connectors keeps all but its last rune; a string
    of connectors only gets its last rune doubled (as in xstrings).
    """
    runes = [_rune(char) for char in text]
    out: list[str] = []
    index = 0
    current = ""
    word_upper = False  # the current word started upper-case and is still all upper-case
    while index < len(runes):
        current = runes[index]
        index += 1
        if not _is_connector(current):
            word_upper = _is_upper(current)
            current = _to_upper(current)
            break
        out.append(current)
    if index == len(runes):
        if current:
            out.append(current)
        return "".join(out)
    for char in runes[index:]:
        previous, current = current, char
        if _is_connector(current) and _is_connector(previous):
            out.append(previous)
            continue
        if _is_connector(previous):
            word_upper = _is_upper(current)
            current = _to_upper(current)
            continue
        if word_upper:
            if _is_upper(current):
                current = _to_lower(current)
            else:
                word_upper = False
        out.append(previous)
    out.append(current)
    return "".join(out)


FUNCS: FuncMap = {
    "hello": hello,
    "trim": trim,
    "trimAll": trim_all,
    "trimall": trim_all,  # sprig's older spelling (same function)
    "trimPrefix": trim_prefix,
    "trimSuffix": trim_suffix,
    "upper": upper,
    "lower": lower,
    "title": title,
    "untitle": untitle,
    "swapcase": swapcase,
    "nospace": nospace,
    "initials": initials,
    "trunc": trunc,
    "substr": substr,
    "repeat": repeat,
    "abbrev": abbrev,
    "abbrevboth": abbrevboth,
    "wrap": wrap,
    "wrapWith": wrap_with,
    "contains": contains,
    "hasPrefix": has_prefix,
    "hasSuffix": has_suffix,
    "quote": quote,
    "squote": squote,
    "cat": cat,
    "indent": indent,
    "nindent": nindent,
    "replace": replace,
    "plural": plural,
    "toString": to_string,
    "toStrings": to_strings,
    "join": join,
    "split": split,
    "splitList": split_list,
    "splitn": splitn,
    "randAlphaNum": rand_alpha_num,
    "randAlpha": rand_alpha,
    "randNumeric": rand_numeric,
    "randAscii": rand_ascii,
    "shuffle": shuffle,
    "snakecase": snakecase,
    "kebabcase": kebabcase,
    "camelcase": camelcase,
}

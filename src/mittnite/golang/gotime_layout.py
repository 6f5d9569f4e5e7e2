"""Go reference-time layouts: the named constants and how a layout splits into elements.

Go layouts are written as the reference time ``Mon Jan 2 15:04:05 MST 2006``. Go scans a
layout left to right and, at each position, recognises the first element that starts
there (``January`` before ``Jan``, ``Jan`` only if no lower-case letter follows, any ``1``
that is not ``15`` is the month, ``.000`` only if no other digit follows, ...); everything
else is literal text. Formatting and parsing share this split, so it lives here once and is
cached per layout string.
"""

from __future__ import annotations

__all__ = [
    "ANSIC",
    "DATE_ONLY",
    "DATE_TIME",
    "KITCHEN",
    "LAYOUT",
    "NAMED_LAYOUTS",
    "RFC822",
    "RFC822Z",
    "RFC850",
    "RFC1123",
    "RFC1123Z",
    "RFC3339",
    "RFC3339_NANO",
    "RUBY_DATE",
    "STAMP",
    "STAMP_MICRO",
    "STAMP_MILLI",
    "STAMP_NANO",
    "TIME_ONLY",
    "UNIX_DATE",
    "LayoutElement",
    "Std",
    "named_layout",
    "split_layout",
]

LAYOUT = "01/02 03:04:05PM '06 -0700"
ANSIC = "Mon Jan _2 15:04:05 2006"
UNIX_DATE = "Mon Jan _2 15:04:05 MST 2006"
RUBY_DATE = "Mon Jan 02 15:04:05 -0700 2006"
RFC822 = "02 Jan 06 15:04 MST"
RFC822Z = "02 Jan 06 15:04 -0700"
RFC850 = "Monday, 02-Jan-06 15:04:05 MST"
RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST"
RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700"
RFC3339 = "2006-01-02T15:04:05Z07:00"
RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
KITCHEN = "3:04PM"
STAMP = "Jan _2 15:04:05"
STAMP_MILLI = "Jan _2 15:04:05.000"
STAMP_MICRO = "Jan _2 15:04:05.000000"
STAMP_NANO = "Jan _2 15:04:05.000000000"
DATE_TIME = "2006-01-02 15:04:05"
DATE_ONLY = "2006-01-02"
TIME_ONLY = "15:04:05"

NAMED_LAYOUTS = {
    "Layout": LAYOUT,
    "ANSIC": ANSIC,
    "UnixDate": UNIX_DATE,
    "RubyDate": RUBY_DATE,
    "RFC822": RFC822,
    "RFC822Z": RFC822Z,
    "RFC850": RFC850,
    "RFC1123": RFC1123,
    "RFC1123Z": RFC1123Z,
    "RFC3339": RFC3339,
    "RFC3339Nano": RFC3339_NANO,
    "Kitchen": KITCHEN,
    "Stamp": STAMP,
    "StampMilli": STAMP_MILLI,
    "StampMicro": STAMP_MICRO,
    "StampNano": STAMP_NANO,
    "DateTime": DATE_TIME,
    "DateOnly": DATE_ONLY,
    "TimeOnly": TIME_ONLY,
}
"""Every layout constant of Go's time package, by its Go name."""

# mittnite's ``timestampFormat`` knows all of them except these two (it falls back to RFC3339
# with a warning for them, exactly as for unknown names).
_NOT_TIMESTAMP_FORMATS = frozenset({"Layout", "RFC850"})


def named_layout(name: str) -> str | None:
    """The layout mittnite uses for ``timestampFormat = name``, or ``None`` if it has none."""
    if name in _NOT_TIMESTAMP_FORMATS:
        return None
    return NAMED_LAYOUTS.get(name)


class Std:
    """Kinds of layout elements (Go's ``std*`` constants), as plain ints."""

    LONG_MONTH = 1  # January
    MONTH = 2  # Jan
    NUM_MONTH = 3  # 1
    ZERO_MONTH = 4  # 01
    LONG_WEEKDAY = 5  # Monday
    WEEKDAY = 6  # Mon
    DAY = 7  # 2
    UNDER_DAY = 8  # _2
    ZERO_DAY = 9  # 02
    UNDER_YEAR_DAY = 10  # __2
    ZERO_YEAR_DAY = 11  # 002
    HOUR = 12  # 15
    HOUR12 = 13  # 3
    ZERO_HOUR12 = 14  # 03
    MINUTE = 15  # 4
    ZERO_MINUTE = 16  # 04
    SECOND = 17  # 5
    ZERO_SECOND = 18  # 05
    LONG_YEAR = 19  # 2006
    YEAR = 20  # 06
    PM = 21  # PM
    LOWER_PM = 22  # pm
    TZ = 23  # MST
    ISO8601_TZ = 24  # Z0700
    ISO8601_SECONDS_TZ = 25  # Z070000
    ISO8601_SHORT_TZ = 26  # Z07
    ISO8601_COLON_TZ = 27  # Z07:00
    ISO8601_COLON_SECONDS_TZ = 28  # Z07:00:00
    NUM_TZ = 29  # -0700
    NUM_SECONDS_TZ = 30  # -070000
    NUM_SHORT_TZ = 31  # -07
    NUM_COLON_TZ = 32  # -07:00
    NUM_COLON_SECONDS_TZ = 33  # -07:00:00
    FRAC_SECOND0 = 34  # .000 (any number of zeros): digits kept
    FRAC_SECOND9 = 35  # .999 (any number of nines): trailing zeros dropped


class LayoutElement:
    """One recognised element: its kind, its text in the layout and, for fractions, details."""

    __slots__ = ("digits", "separator", "std", "text")

    def __init__(self, std: int, text: str, digits: int = 0, separator: str = ".") -> None:
        self.std = std
        self.text = text
        self.digits = digits  # fractional seconds: digit count (Go keeps it modulo 4096)
        self.separator = separator  # fractional seconds: "." or ","

    def __repr__(self) -> str:
        return f"LayoutElement({self.std}, {self.text!r})"


_ZERO_PREFIXED = {"1": Std.ZERO_MONTH, "2": Std.ZERO_DAY, "3": Std.ZERO_HOUR12,
                  "4": Std.ZERO_MINUTE, "5": Std.ZERO_SECOND, "6": Std.YEAR}  # fmt: skip
_SINGLE_DIGITS = {"3": Std.HOUR12, "4": Std.MINUTE, "5": Std.SECOND}
# Longest first, as Go tries them.
_NUMERIC_ZONES = (("-070000", Std.NUM_SECONDS_TZ), ("-07:00:00", Std.NUM_COLON_SECONDS_TZ),
                  ("-0700", Std.NUM_TZ), ("-07:00", Std.NUM_COLON_TZ), ("-07", Std.NUM_SHORT_TZ))  # fmt: skip
_ISO_ZONES = (("Z070000", Std.ISO8601_SECONDS_TZ), ("Z07:00:00", Std.ISO8601_COLON_SECONDS_TZ),
              ("Z0700", Std.ISO8601_TZ), ("Z07:00", Std.ISO8601_COLON_TZ), ("Z07", Std.ISO8601_SHORT_TZ))  # fmt: skip
_ELEMENT_STARTS = frozenset("JM012_345Pp-Z.,")


def _lower_at(text: str, index: int) -> bool:
    return index < len(text) and "a" <= text[index] <= "z"


def _digit_at(text: str, index: int) -> bool:
    return index < len(text) and "0" <= text[index] <= "9"


def _element_at(layout: str, index: int) -> tuple[int, int] | None:
    """(kind, end) of the element Go recognises at ``index``, or ``None`` for literal text."""
    char = layout[index]
    if char == "J":
        if layout.startswith("January", index):
            return Std.LONG_MONTH, index + 7
        if layout.startswith("Jan", index) and not _lower_at(layout, index + 3):
            return Std.MONTH, index + 3
    elif char == "M":
        if layout.startswith("Monday", index):
            return Std.LONG_WEEKDAY, index + 6
        if layout.startswith("Mon", index) and not _lower_at(layout, index + 3):
            return Std.WEEKDAY, index + 3
        if layout.startswith("MST", index):
            return Std.TZ, index + 3
    elif char == "0":
        following = layout[index + 1 : index + 2]
        if following in _ZERO_PREFIXED:
            return _ZERO_PREFIXED[following], index + 2
        if layout.startswith("002", index):
            return Std.ZERO_YEAR_DAY, index + 3
    elif char == "1":
        if layout.startswith("15", index):
            return Std.HOUR, index + 2
        return Std.NUM_MONTH, index + 1
    elif char == "2":
        if layout.startswith("2006", index):
            return Std.LONG_YEAR, index + 4
        return Std.DAY, index + 1
    elif char == "_":
        # "_2006" is a literal underscore and then the year, found one position later.
        if layout.startswith("_2", index) and not layout.startswith("_2006", index):
            return Std.UNDER_DAY, index + 2
        if layout.startswith("__2", index):
            return Std.UNDER_YEAR_DAY, index + 3
    elif char in _SINGLE_DIGITS:
        return _SINGLE_DIGITS[char], index + 1
    elif char in "Pp":
        if layout.startswith("PM" if char == "P" else "pm", index):
            return (Std.PM if char == "P" else Std.LOWER_PM), index + 2
    elif char in "-Z":
        for text, std in _NUMERIC_ZONES if char == "-" else _ISO_ZONES:
            if layout.startswith(text, index):
                return std, index + len(text)
    else:  # "." or ","
        repeated = layout[index + 1 : index + 2]
        if repeated in ("0", "9"):
            end = index + 1
            while end < len(layout) and layout[end] == repeated:
                end += 1
            # Only a fraction if the run of 0s or 9s is not followed by another digit.
            if not _digit_at(layout, end):
                kind = Std.FRAC_SECOND0 if repeated == "0" else Std.FRAC_SECOND9
                return kind, end
    return None


def _scan(layout: str) -> tuple[tuple[str, LayoutElement | None], ...]:
    pieces: list[tuple[str, LayoutElement | None]] = []
    literal_start = 0
    index = 0
    while index < len(layout):
        if layout[index] in _ELEMENT_STARTS:
            found = _element_at(layout, index)
            if found is not None:
                std, end = found
                text = layout[index:end]
                if std in (Std.FRAC_SECOND0, Std.FRAC_SECOND9):
                    element = LayoutElement(std, text, (end - index - 1) & 0xFFF, text[0])
                else:
                    element = LayoutElement(std, text)
                pieces.append((layout[literal_start:index], element))
                literal_start = index = end
                continue
        index += 1
    pieces.append((layout[literal_start:], None))
    return tuple(pieces)


_split_cache: dict[str, tuple[tuple[str, LayoutElement | None], ...]] = {}


def split_layout(layout: str) -> tuple[tuple[str, LayoutElement | None], ...]:
    """Split ``layout`` into (literal prefix, element) pairs (cached per layout string).

    The last pair holds the trailing literal text and ``None``; a layout without elements is
    a single such pair.
    """
    pieces = _split_cache.get(layout)
    if pieces is None:
        if len(_split_cache) >= 256:
            _split_cache.clear()
        pieces = _split_cache[layout] = _scan(layout)
    return pieces

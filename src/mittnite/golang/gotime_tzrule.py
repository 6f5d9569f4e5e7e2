"""POSIX TZ rule strings (``CET-1CEST,M3.5.0,M10.5.0/3``), evaluated the way Go does.

A TZif file lists explicit transitions up to some year and then ends with such a rule that
describes every later year. Go evaluates the rule with its own ``tzset`` logic: the year is
taken from the UTC instant, transition moments are computed per year, and "southern
hemisphere" rules (DST spanning New Year) are handled by swapping the two periods. Matching
those details, rather than a textbook TZ implementation, is what makes far-future timestamps
print the same abbreviation and offset as the original.
"""

from __future__ import annotations

from mittnite.golang.gotime_calendar import (
    DAYS_BEFORE_MONTH,
    SECONDS_PER_DAY,
    civil_from_days,
    days_from_civil,
    days_in_month,
    go_rem,
    is_leap,
)

__all__ = ["PosixZoneRule", "parse_posix_rule"]

_JULIAN = 0  # Jn: day n of 1-365, February 29th never counted
_DAY_OF_YEAR = 1  # n: day n of 0-365, February 29th counted
_MONTH_WEEK_DAY = 2  # Mm.w.d: weekday d of week w (5 = last) of month m


class _TransitionRule:
    """When in the year a change between standard and daylight time happens."""

    __slots__ = ("day", "kind", "month", "seconds", "week")

    def __init__(self, kind: int, day: int, week: int, month: int, seconds: int) -> None:
        self.kind = kind
        self.day = day
        self.week = week
        self.month = month
        self.seconds = seconds  # local wall-clock time of the change, seconds after midnight

    def seconds_into_year(self, year: int, offset: int) -> int:
        """UTC seconds after the start of ``year`` at which this change happens."""
        if self.kind == _JULIAN:
            day = self.day - 1
            if is_leap(year) and self.day >= 60:
                day += 1
        elif self.kind == _DAY_OF_YEAR:
            day = self.day
        else:
            first_weekday = (days_from_civil(year, self.month, 1) + 4) % 7
            day = (self.day - first_weekday) % 7
            for _ in range(1, self.week):
                if day + 7 >= days_in_month(self.month, year):
                    break
                day += 7
            day += DAYS_BEFORE_MONTH[self.month - 1]
            if is_leap(year) and self.month > 2:
                day += 1
        return day * SECONDS_PER_DAY + self.seconds - offset


class PosixZoneRule:
    """A parsed rule: a standard zone and, optionally, a daylight zone with its two changes."""

    __slots__ = ("dst_end", "dst_name", "dst_offset", "dst_start", "std_name", "std_offset")

    def __init__(
        self,
        std_name: str,
        std_offset: int,
        dst_name: str,
        dst_offset: int,
        dst_start: _TransitionRule | None,
        dst_end: _TransitionRule | None,
    ) -> None:
        self.std_name = std_name
        self.std_offset = std_offset  # seconds east of UTC, as Go counts
        self.dst_name = dst_name
        self.dst_offset = dst_offset
        self.dst_start = dst_start
        self.dst_end = dst_end

    def lookup(self, unix_seconds: int) -> tuple[str, int, bool]:
        """(abbreviation, offset east of UTC, is DST) in effect at ``unix_seconds``."""
        if self.dst_start is None or self.dst_end is None:
            return self.std_name, self.std_offset, False
        days = unix_seconds // SECONDS_PER_DAY
        year, _, _ = civil_from_days(days)
        # Go mixes a floored day count with a truncated remainder here; keep its arithmetic.
        seconds_into_year = (days - days_from_civil(year, 1, 1)) * SECONDS_PER_DAY + go_rem(
            unix_seconds, SECONDS_PER_DAY
        )
        start = self.dst_start.seconds_into_year(year, self.std_offset)
        end = self.dst_end.seconds_into_year(year, self.dst_offset)
        outside = (self.std_name, self.std_offset, False)
        inside = (self.dst_name, self.dst_offset, True)
        if end < start:  # daylight time spans New Year: the roles of the periods swap
            start, end = end, start
            outside, inside = inside, outside
        if start <= seconds_into_year < end:
            return inside
        return outside


class _Cursor:
    """The unparsed rest of a rule string; ``None`` results signal a syntax error."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def peek(self) -> str:
        return self.text[:1]

    def advance(self, count: int = 1) -> None:
        self.text = self.text[count:]

    def name(self) -> str | None:
        text = self.text
        if text == "":
            return None
        if text[0] == "<":
            close = text.find(">")
            if close < 0:
                return None
            self.text = text[close + 1 :]
            return text[1:close]
        # Go measures the three-character minimum in bytes of UTF-8.
        for index, char in enumerate(text):
            if char in "0123456789,-+":
                if len(text[:index].encode("utf-8", "surrogateescape")) < 3:
                    return None
                self.text = text[index:]
                return text[:index]
        if len(text.encode("utf-8", "surrogateescape")) < 3:
            return None
        self.text = ""
        return text

    def number(self, low: int, high: int) -> int | None:
        text = self.text
        value = 0
        index = 0
        while index < len(text) and "0" <= text[index] <= "9":
            value = value * 10 + ord(text[index]) - 48
            if value > high:
                return None
            index += 1
        if index == 0 or value < low:
            return None
        self.text = text[index:]
        return value

    def offset(self) -> int | None:
        """``[+-]hh[:mm[:ss]]`` in seconds, sign as written (POSIX: west is positive)."""
        negative = False
        if self.peek() in ("+", "-"):
            negative = self.peek() == "-"
            self.advance()
        hours = self.number(0, 24 * 7)
        if hours is None:
            return None
        total = hours * 3600
        for unit in (60, 1):
            if self.peek() != ":":
                break
            self.advance()
            part = self.number(0, 59)
            if part is None:
                return None
            total += part * unit
        return -total if negative else total

    def transition(self) -> _TransitionRule | None:
        lead = self.peek()
        week = month = 0
        if lead == "J":
            self.advance()
            kind, day = _JULIAN, self.number(1, 365)
        elif lead == "M":
            self.advance()
            kind = _MONTH_WEEK_DAY
            parts = []
            for low, high, last in ((1, 12, False), (1, 5, False), (0, 6, True)):
                part = self.number(low, high)
                if part is None or (not last and self.peek() != "."):
                    return None
                if not last:
                    self.advance()
                parts.append(part)
            month, week, day = parts
        else:
            kind, day = _DAY_OF_YEAR, self.number(0, 365)
        if day is None:
            return None
        if self.peek() != "/":
            return _TransitionRule(kind, day, week, month, 2 * 3600)  # 02:00 by default
        self.advance()
        seconds = self.offset()
        if seconds is None:
            return None
        return _TransitionRule(kind, day, week, month, seconds)


def parse_posix_rule(text: str) -> PosixZoneRule | None:
    """Parse a TZ rule string; ``None`` where Go's ``tzset`` would report failure."""
    cursor = _Cursor(text)
    std_name = cursor.name()
    std_offset = cursor.offset() if std_name is not None else None
    if std_name is None or std_offset is None:
        return None
    std_offset = -std_offset  # POSIX counts west of Greenwich as positive; Go the reverse
    if cursor.peek() in ("", ","):
        return PosixZoneRule(std_name, std_offset, "", 0, None, None)
    dst_name = cursor.name()
    if dst_name is None:
        return None
    if cursor.peek() in ("", ","):
        dst_offset = std_offset + 3600
    else:
        written = cursor.offset()
        if written is None:
            return None
        dst_offset = -written
    if cursor.text == "":
        cursor.text = ",M3.2.0,M11.1.0"  # tzcode's default (US) rules
    if cursor.peek() not in (",", ";"):
        return None
    cursor.advance()
    start = cursor.transition()
    if start is None or cursor.peek() != ",":
        return None
    cursor.advance()
    end = cursor.transition()
    if end is None or cursor.text != "":
        return None
    return PosixZoneRule(std_name, std_offset, dst_name, dst_offset, start, end)

"""Proleptic Gregorian calendar arithmetic on plain integers, as Go's ``time`` does it.

Go's dates run far beyond Python's ``datetime`` (year 0, negative years, years past 9999) and
carry nanoseconds, so all conversions here work on Python integers (seconds or days since the
Unix epoch) instead of ``datetime`` objects. Nothing here knows about time zones.
"""

from __future__ import annotations

__all__ = [
    "DAYS_BEFORE_MONTH",
    "LONG_DAY_NAMES",
    "LONG_MONTH_NAMES",
    "NANOS_PER_SECOND",
    "SECONDS_PER_DAY",
    "civil_from_days",
    "days_from_civil",
    "days_in_month",
    "go_div",
    "go_rem",
    "is_leap",
    "leading_uint",
    "normalize",
    "wall_seconds",
    "weekday_from_days",
    "year_day",
]

NANOS_PER_SECOND = 1_000_000_000
SECONDS_PER_DAY = 86_400

LONG_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
LONG_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

# Days before the first of each month in a non-leap year (index 0 = January); index 12 is the
# length of the year, which lets day-of-year code look one month ahead without a special case.
DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)

_DAYS_PER_400_YEARS = 146_097
_DAYS_PER_100_YEARS = 36_524
_DAYS_PER_4_YEARS = 1_461


def is_leap(year: int) -> bool:
    """Gregorian leap-year rule, valid for year 0 and negative years too."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(month: int, year: int) -> int:
    """Length of ``month`` (1-12) in ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return DAYS_BEFORE_MONTH[month] - DAYS_BEFORE_MONTH[month - 1]


def _days_before_year(year: int) -> int:
    """Days from 0001-01-01 to January 1st of ``year`` (negative before year 1).

    Floor division keeps the leap-year count right for years <= 0 as well.
    """
    previous = year - 1
    return 365 * previous + previous // 4 - previous // 100 + previous // 400


_EPOCH_DAYS = _days_before_year(1970)


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a date; ``month`` must be 1-12, ``day`` may overflow."""
    days = _days_before_year(year) - _EPOCH_DAYS + DAYS_BEFORE_MONTH[month - 1] + day - 1
    if month > 2 and is_leap(year):
        days += 1
    return days


# Day number (since 1970-01-01) of 0000-03-01: counting years from March puts the leap day
# at the very end of each year, which makes the cycle arithmetic below uniform.
_MARCH_EPOCH = days_from_civil(0, 3, 1)


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of the day ``days`` after 1970-01-01."""
    cycle, day_in_cycle = divmod(days - _MARCH_EPOCH, _DAYS_PER_400_YEARS)
    # A 400-year cycle has four centuries of 36524 days, the last one a day longer.
    century = min(day_in_cycle // _DAYS_PER_100_YEARS, 3)
    day_in_century = day_in_cycle - century * _DAYS_PER_100_YEARS
    olympiad, day_in_olympiad = divmod(day_in_century, _DAYS_PER_4_YEARS)
    # Four years of 365 days, the last one (ending with February 29th) a day longer.
    year_in_olympiad = min(day_in_olympiad // 365, 3)
    day_of_march_year = day_in_olympiad - year_in_olympiad * 365
    march_year = cycle * 400 + century * 100 + olympiad * 4 + year_in_olympiad
    # Months from March have lengths 31,30,31,30,31 repeating: 153 days per five months.
    month_from_march = (5 * day_of_march_year + 2) // 153
    day = day_of_march_year - (153 * month_from_march + 2) // 5 + 1
    if month_from_march < 10:
        return march_year, month_from_march + 3, day
    return march_year + 1, month_from_march - 9, day


def weekday_from_days(days: int) -> int:
    """Go weekday number (0 = Sunday) of the day ``days`` after 1970-01-01 (a Thursday)."""
    return (days + 4) % 7


def year_day(year: int, month: int, day: int) -> int:
    """Day of the year, 1-366."""
    result = DAYS_BEFORE_MONTH[month - 1] + day
    if month > 2 and is_leap(year):
        result += 1
    return result


def go_div(numerator: int, denominator: int) -> int:
    """Go's integer division, which truncates toward zero (Python's ``//`` floors)."""
    quotient = abs(numerator) // abs(denominator)
    return -quotient if (numerator < 0) != (denominator < 0) else quotient


def go_rem(numerator: int, denominator: int) -> int:
    """Go's ``%``: the remainder takes the sign of the numerator."""
    return numerator - denominator * go_div(numerator, denominator)


_UINT64_SIGN_BIT = 1 << 63


def leading_uint(text: str) -> tuple[int, str] | None:
    """Leading decimal digits of ``text`` and the rest; ``None`` past 2**63 (Go's leadingInt).

    Both Go's time parser and its duration parser read numbers with this helper, so they
    share its overflow limit.
    """
    value = 0
    index = 0
    while index < len(text) and "0" <= text[index] <= "9":
        if value > _UINT64_SIGN_BIT // 10:
            return None
        value = value * 10 + ord(text[index]) - 48
        if value > _UINT64_SIGN_BIT:
            return None
        index += 1
    return value, text[index:]


def normalize(high: int, low: int, base: int) -> tuple[int, int]:
    """Carry ``low`` into ``high`` so that 0 <= low < base (Go's ``norm``)."""
    carry, low = divmod(low, base)
    return high + carry, low


def wall_seconds(
    year: int, month: int, day: int, hour: int, minute: int, second: int, nanosecond: int
) -> tuple[int, int]:
    """Seconds since the epoch of a wall-clock reading taken as UTC, plus the nanoseconds.

    Every field may be out of range and is normalised the way Go's ``time.Date`` does:
    October 32 is November 1, a month of 13 is January of the next year, and so on.
    """
    year, month0 = normalize(year, month - 1, 12)
    second, nanosecond = normalize(second, nanosecond, NANOS_PER_SECOND)
    minute, second = normalize(minute, second, 60)
    hour, minute = normalize(hour, minute, 60)
    day, hour = normalize(day, hour, 24)
    days = days_from_civil(year, month0 + 1, day)
    return days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second, nanosecond

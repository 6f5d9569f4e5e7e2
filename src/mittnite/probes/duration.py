"""Go's ``time.ParseDuration``, because probe timeouts are written in Go syntax.

``300ms``, ``1.5h``, ``2h45m``; units ns, us (µs, μs), ms, s, m, h; a sign is
allowed; a bare number is only valid as ``0``. Error texts are Go's, since the
http probe reports them as the original does (``invalid timeout duration:
time: invalid duration "5x"``).
"""

from __future__ import annotations

from ..logs.logger import go_quote

_UNIT_NANOSECONDS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_MAX_NANOSECONDS = (1 << 63) - 1
_DIGITS = "0123456789"


def parse_duration(text: str) -> float:
    """Seconds in the Go duration ``text``; :class:`ValueError` with Go's message otherwise."""
    return parse_duration_ns(text) / 1e9


def parse_duration_ns(text: str) -> int:
    """Nanoseconds in the Go duration ``text`` (exact, as Go computes them)."""
    invalid = ValueError(f"time: invalid duration {go_quote(text)}")
    rest = text
    negative = False
    if rest[:1] in ("-", "+"):
        negative = rest[0] == "-"
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        if rest[0] != "." and rest[0] not in _DIGITS:
            raise invalid
        whole, rest = _leading(rest, _DIGITS)
        fraction = ""
        if rest[:1] == ".":
            fraction, rest = _leading(rest[1:], _DIGITS)
        if not whole and not fraction:
            raise invalid
        unit, rest = _leading(rest, None)
        if not unit:
            raise ValueError(f"time: missing unit in duration {go_quote(text)}")
        scale = _UNIT_NANOSECONDS.get(unit)
        if scale is None:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}")
        value = int(whole or "0") * scale
        if fraction:
            value += int(fraction) * scale // 10 ** len(fraction)
        total += value
        if total > _MAX_NANOSECONDS + (1 if negative else 0):
            raise invalid
    if not negative and total > _MAX_NANOSECONDS:
        raise invalid
    return -total if negative else total


def _leading(text: str, allowed: str | None) -> tuple[str, str]:
    """Split off the longest prefix of ``allowed`` characters (``None``: up to a digit or dot)."""
    index = 0
    while index < len(text):
        char = text[index]
        is_number_char = char == "." or char in _DIGITS
        if (allowed is None and is_number_char) or (allowed is not None and char not in allowed):
            break
        index += 1
    return text[:index], text[index:]

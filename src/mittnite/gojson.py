"""JSON and timestamps exactly as Go's ``encoding/json`` and ``time`` print them.

Clients written against the original compare bytes (scripts with ``grep``,
golden files), so documents keep Go's key order, compact separators, Go's
HTML-safe escaping of ``<``, ``>`` and ``&`` (``\\u003c``...) and of
U+2028/U+2029, and replace invalid UTF-8 by U+FFFD as Go does. Go's key order
depends on what was encoded: a struct's fields come in declaration order (the
control API's status document: insertion order here), a map's keys sorted
(the probe server's documents: ``sort_keys=True``). Pure functions, no I/O.

``json`` is imported on the first :func:`encode`, not with this module: the
probe server imports it at start-up and may never be asked for JSON.
"""

from __future__ import annotations

import time

_GO_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

ZERO_TIME = "0001-01-01T00:00:00Z"


def encode(value: object, *, sort_keys: bool = False) -> str:
    """Compact JSON escaped like Go's ``json.Marshal``; keys sorted for a Go map."""
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    text = _valid_utf8(text)
    for char, escape in _GO_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def _valid_utf8(text: str) -> str:
    """Replace lone surrogates (undecodable bytes of argv/env) by U+FFFD, as Go does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")  # the original bytes
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return text


def rfc3339_nano(seconds: float) -> str:
    """``time.Time.Format(time.RFC3339Nano)`` of a wall-clock instant in the local zone.

    ``0`` stands for Go's zero time (a phase that never changed). Fractional
    seconds are printed with trailing zeros removed, ``Z`` stands for UTC.
    """
    if seconds <= 0:
        return ZERO_TIME
    whole = int(seconds)
    fraction = round((seconds - whole) * 1e9)  # exact subtraction: no error from the epoch
    if fraction >= 1_000_000_000:
        whole, fraction = whole + 1, fraction - 1_000_000_000
    moment = time.localtime(whole)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", moment)
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + _zone(moment.tm_gmtoff)


def _zone(offset: int | None) -> str:
    if not offset:
        return "Z"
    sign = "+" if offset > 0 else "-"
    hours, rest = divmod(abs(offset), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"

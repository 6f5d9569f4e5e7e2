"""The ``/status`` answer: run every probe at once, bounded, and encode it as Go would.

The original's handler started one shared 1 s timer and, after it had
fired once, waited without limit on later requests; here every request is
bounded. Probes still running at the deadline are reported as
``{"ok":false,"message":"timed out"}`` (their attempt goes on and is shared
with the next caller).

The body is byte-for-byte what Go's ``json.Encoder`` writes: keys sorted,
``message`` left out when empty, ``<``, ``>``, ``&``, U+2028 and U+2029
escaped as ``\\u003c`` etc., invalid UTF-8 replaced, and a trailing newline.
"""

from __future__ import annotations

import asyncio

from ..logs.logger import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..logs.logger import Logger
    from .base import Probe

STATUS_TIMEOUT = 1.0
TIMED_OUT = "timed out"

_GO_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


async def collect(
    probes: Mapping[str, Probe],
    *,
    timeout: float = STATUS_TIMEOUT,
    logger: Logger | None = None,
) -> dict[str, str | None]:
    """Each probe's error text (``None`` when ready), after at most ``timeout`` seconds."""
    if not probes:
        return {}
    tasks = {name: asyncio.ensure_future(probe.result()) for name, probe in probes.items()}
    try:
        await asyncio.wait(tasks.values(), timeout=timeout)
    finally:
        for task in tasks.values():
            task.cancel()  # only our wait for the shared attempt; the attempt goes on
    results: dict[str, str | None] = {}
    late = []
    for name, task in tasks.items():
        if task.done() and not task.cancelled():
            results[name] = task.result()
        else:
            results[name] = TIMED_OUT
            late.append(name)
    if late:
        (logger if logger is not None else get_logger()).error(
            "timed out", kind="probe", probes=", ".join(late)
        )
    return results


def status_body(results: Mapping[str, str | None]) -> bytes:
    """The JSON document (with newline) for probe results from :func:`collect`."""
    probes: dict[str, dict[str, object]] = {}
    for name, error in results.items():
        entry: dict[str, object] = {"ok": error is None}
        if error:
            entry["message"] = error
        probes[name] = entry
    return (go_json({"probes": probes}) + "\n").encode("utf-8")


def all_ok(results: Mapping[str, str | None]) -> bool:
    return all(error is None for error in results.values())


def go_json(value: object) -> str:
    """Compact JSON with sorted keys, escaped like Go's ``encoding/json``."""
    import json  # only when a request asks for JSON

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = _valid_utf8(text)
    for char, escape in _GO_ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    return text


def _valid_utf8(text: str) -> str:
    """Replace what cannot be UTF-8 (lone surrogates) by U+FFFD, as Go does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        errors = "surrogateescape" if _only_escapes(text) else "surrogatepass"
        return text.encode("utf-8", errors).decode("utf-8", "replace")
    return text


def _only_escapes(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)

"""The ``/status`` answer: run every probe at once, bounded, and encode it as Go would.

The original's handler started one shared 1 s timer and, after it had
fired once, waited without limit on later requests; here every request is
bounded. Probes still running at the deadline are reported as
``{"ok":false,"message":"timed out"}`` (their attempt goes on and is shared
with the next caller).

The body is byte-for-byte what Go's ``json.Encoder`` writes for the
original's types: probe names (a Go map) sorted, each entry a struct with
``ok`` before ``message`` (``message`` left out when empty), ``<``, ``>``,
``&``, U+2028 and U+2029 escaped as ``\\u003c`` etc., invalid UTF-8
replaced, and a trailing newline. Messages are the original's Go texts for
the common failures (see :mod:`.gotext`).
"""

from __future__ import annotations

import asyncio

from ..gojson import encode
from ..logs.logger import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..logs.logger import Logger
    from .base import Probe

STATUS_TIMEOUT = 1.0
TIMED_OUT = "timed out"


async def collect(
    probes: Mapping[str, Probe],
    *,
    timeout: float = STATUS_TIMEOUT,
    logger: Logger | None = None,
) -> dict[str, str | None]:
    """Each probe's error text (``None`` when ready), after at most ``timeout`` seconds."""
    if not probes:
        return {}
    tasks = {name: asyncio.ensure_future(probe.status_text()) for name, probe in probes.items()}
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
    for name in sorted(results):  # a Go map: keys sorted; the entries are structs
        error = results[name]
        entry: dict[str, object] = {"ok": error is None}
        if error:
            entry["message"] = error
        probes[name] = entry
    return (encode({"probes": probes}) + "\n").encode("utf-8")


def all_ok(results: Mapping[str, str | None]) -> bool:
    return all(error is None for error in results.values())

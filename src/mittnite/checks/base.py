"""The interface every check kind implements, and running one attempt safely.

A check answers "does it pass right now?" by returning, or by raising
:class:`CheckFailed` with a message meant for a person. :func:`run_check` adds what
every caller needs: a hard time limit, no exception ever escaping (a bug in a check
must not take the init down), and the attempt's duration.

The interface matches the probes' ``Checker`` (``kind``, ``target``, ``check()``,
``timeout_message()``, ``aclose()``), so phase 2 can let probes run on these checks,
with ``ProbeError`` becoming a subclass of (or alias for) :class:`CheckFailed`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Check", "CheckFailed", "CheckOutcome", "format_seconds", "run_check"]


class CheckFailed(Exception):
    """The check did not pass; ``message`` says why, in plain words.

    ``unreachable`` marks failures where nothing answers at all yet (connection
    refused), which a caller may watch for cheaply.
    """

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unreachable = unreachable

    def __str__(self) -> str:
        return self.message


class Check(Protocol):
    """One configured check of one kind."""

    kind: str
    """``http``, ``tcp``, ``exec`` or ``notify``."""
    target: str
    """What is checked, for people (a URL, ``host:port``, a command)."""

    async def check(self) -> None:
        """Return when the check passes; raise :class:`CheckFailed` otherwise."""
        ...

    async def aclose(self) -> None:
        """Release what the check keeps between attempts."""
        ...


@dataclass(frozen=True)
class CheckOutcome:
    """The result of one attempt: ``ok``, the failure text and how long it took."""

    ok: bool
    message: str
    duration: float
    timed_out: bool = False

    @property
    def result(self) -> str:
        """``success``/``failure``/``timeout``: the label of the checks counter."""
        if self.ok:
            return "success"
        return "timeout" if self.timed_out else "failure"


async def run_check(check: Check, timeout: float) -> CheckOutcome:
    """One attempt within ``timeout`` seconds; never raises (except cancellation)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            await check.check()
    except CheckFailed as failure:
        return CheckOutcome(False, failure.message, time.monotonic() - started)
    except TimeoutError:
        message = f"{check.kind}: no answer from {check.target} within {format_seconds(timeout)}"
        return CheckOutcome(False, message, time.monotonic() - started, timed_out=True)
    except Exception as error:  # a check's bug must never take the init down
        message = f"{check.kind}: unexpected {type(error).__name__}: {error}"
        return CheckOutcome(False, message, time.monotonic() - started)
    return CheckOutcome(True, "", time.monotonic() - started)


def format_seconds(seconds: float) -> str:
    """A short duration as Go prints it: ``1s``, ``1.5s``, ``250ms``."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return f"{text}s"

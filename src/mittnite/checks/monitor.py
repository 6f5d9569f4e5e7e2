"""Runs a :class:`~mittnite.core.health.HealthMachine` on the event loop.

The thin adapter between the pure machine and the world: it runs the check when the
machine asks (bounded by the machine's timeout, via :func:`.base.run_check`), keeps the
machine's named timers as ``loop.call_later`` handles, and reports verdicts through
``on_verdict(healthy, message)`` synchronously, the moment they happen — that is what
lets a dependent start within milliseconds of its dependency becoming ready.
``on_outcome`` sees every attempt (for ``mittnite_probe_checks_total``-style counters).

Fed sources (notify) call :meth:`observed`, :meth:`watchdog_ping`,
:meth:`set_watchdog` and :meth:`watchdog_trigger` directly.

Wiring (:mod:`mittnite.supervisor.health`): one monitor per readiness block and one per liveness block of a job,
created with the job; ``start()`` on spawn (liveness: on the job's first readiness),
``stop()`` on exit; ``aclose()`` at shutdown. ``on_verdict`` feeds the dependency
machine (readiness) or restarts the job (liveness).
"""

from __future__ import annotations

import asyncio
import contextlib

from ..core.health import HealthMachine, Healthy, RunCheck, Unhealthy
from ..core.job import CancelTimer, StartTimer
from ..runtime.timers import NamedTimers
from .base import CheckOutcome, run_check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..core.job import Action
    from .base import Check

__all__ = ["HealthMonitor"]


class HealthMonitor:
    """Drives one machine with one check (``None`` for a fed-only notify source)."""

    def __init__(
        self,
        machine: HealthMachine,
        check: Check | None,
        *,
        on_verdict: Callable[[bool, str], None],
        on_outcome: Callable[[CheckOutcome], None] | None = None,
    ) -> None:
        if machine.polled and check is None:
            raise ValueError("a polled health machine needs a check")
        self.machine = machine
        self.check = check
        self._on_verdict = on_verdict
        self._on_outcome = on_outcome
        self._timers: NamedTimers[str] = NamedTimers(
            lambda name: self._apply(self.machine.timer_fired(name))
        )
        self._attempt: asyncio.Task[CheckOutcome] | None = None
        self.last_outcome: CheckOutcome | None = None

    @property
    def healthy(self) -> bool | None:
        return self.machine.healthy

    # -- commands ------------------------------------------------------------------------------
    def start(self) -> None:
        self._cancel_attempt()
        self._apply(self.machine.start())

    def stop(self) -> None:
        self._cancel_attempt()
        self._apply(self.machine.stop())

    def observed(self, ok: bool, message: str = "") -> None:
        self._apply(self.machine.observed(ok, message))

    def watchdog_ping(self) -> None:
        self._apply(self.machine.watchdog_ping())

    def set_watchdog(self, seconds: float | None) -> None:
        self._apply(self.machine.set_watchdog(seconds))

    def watchdog_trigger(self) -> None:
        self._apply(self.machine.watchdog_trigger())

    async def aclose(self) -> None:
        """Stop, wait for a running attempt to unwind, release the check."""
        attempt = self._attempt
        self.stop()
        if attempt is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await attempt
        if self.check is not None:
            await self.check.aclose()

    # -- carrying out actions ----------------------------------------------------------------------
    def _apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, RunCheck):
                self._run()
            elif isinstance(action, StartTimer):
                self._timers.start(action.name, action.delay)
            elif isinstance(action, CancelTimer):
                self._timers.cancel(action.name)
            elif isinstance(action, Healthy):
                self._on_verdict(True, "")
            elif isinstance(action, Unhealthy):
                self._on_verdict(False, action.message)

    def _run(self) -> None:
        assert self.check is not None
        task = asyncio.get_running_loop().create_task(run_check(self.check, self.machine.timeout))
        self._attempt = task
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[CheckOutcome]) -> None:
        if task is self._attempt:
            self._attempt = None
        if task.cancelled():
            return
        outcome = task.result()
        self.last_outcome = outcome
        if self._on_outcome is not None:
            self._on_outcome(outcome)
        self._apply(self.machine.checked(outcome.ok, outcome.message))

    def _cancel_attempt(self) -> None:
        attempt, self._attempt = self._attempt, None
        if attempt is not None and not attempt.done():
            attempt.cancel()

"""The readiness wait: block startup until every ``wait = true`` probe succeeds.

Differences from the original, all in the direction of "ready sooner, say
more, stop promptly":

* probes are checked at once (no initial 1 s pause) and concurrently, so a
  slow probe neither delays the others nor signal handling;
* a failing probe is retried every second (the original's interval); when it
  failed because nothing answers yet (connection refused, missing
  directory), a cheap watch (a TCP connect or a ``stat`` every 50 ms) starts
  the next attempt the moment the service appears, at most once per interval;
* ``not ready yet`` warnings keep the original's text and fields (``err``
  is the original's Go error text, see :mod:`.gotext`; a ``reason`` field
  says the same in plain words) but are rate limited per probe - the first failure, a changed error, then at most
  every 10 s - and every 10 s one line says which probes are still pending;
* a missing filesystem path keeps waiting (the original declared readiness);
* cancelling :meth:`ReadinessWait.run` returns at once (blocking drivers are
  left to finish in daemon threads).

There is no overall time limit, as in the original; the supervisor may wrap
:meth:`~ReadinessWait.run` in one.
"""

from __future__ import annotations

import asyncio
import time

from ..logs.logger import get_logger
from .base import ProbeError, format_seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..logs.logger import Logger
    from .base import Probe, ProbeState

RETRY_INTERVAL = 1.0
REPORT_INTERVAL = 10.0
WATCH_INTERVAL = 0.05


class _Notice:
    """What was last said about one probe, for rate limiting."""

    __slots__ = ("failures", "logged_at", "text")

    def __init__(self) -> None:
        self.failures = 0
        self.logged_at: float | None = None
        self.text = ""


class ReadinessWait:
    """Waits for the ``wait = true`` probes among ``probes`` and tells how it goes."""

    def __init__(
        self,
        probes: Iterable[Probe],
        *,
        logger: Logger | None = None,
        retry_interval: float = RETRY_INTERVAL,
        report_interval: float = REPORT_INTERVAL,
        watch_interval: float = WATCH_INTERVAL,
    ) -> None:
        self.probes = [probe for probe in probes if probe.wait]
        self._logger = logger if logger is not None else get_logger()
        self._retry_interval = retry_interval
        self._report_interval = report_interval
        self._watch_interval = watch_interval
        self._ready: set[str] = set()
        self.started_at: float | None = None
        """Monotonic time :meth:`run` began (``None`` before)."""
        self.finished_at: float | None = None
        """Monotonic time all wait probes had succeeded (``None`` until then)."""

    @property
    def done(self) -> bool:
        """Whether every wait probe has succeeded."""
        return self.finished_at is not None

    def pending(self) -> list[Probe]:
        """Wait probes that have not succeeded yet."""
        return [probe for probe in self.probes if probe.name not in self._ready]

    def states(self) -> dict[str, ProbeState]:
        """The live state of every wait probe (ok, last error, since when)."""
        return {probe.name: probe.state for probe in self.probes}

    def missing(self) -> list[str]:
        """What still blocks readiness, one line per probe (for ``/readyz``)."""
        return [
            f"probe {probe.name}: {probe.state.error or 'not checked yet'}"
            for probe in self.pending()
        ]

    def waited(self) -> float:
        """Seconds spent waiting so far (or in total, once done)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at if self.finished_at is not None else time.monotonic()
        return end - self.started_at

    async def run(self) -> None:
        """Return once every wait probe has succeeded; cancel to give up."""
        self._logger.info("waiting for probe readiness")
        self.started_at = time.monotonic()
        reporter = asyncio.get_running_loop().create_task(self._report_pending())
        try:
            async with asyncio.TaskGroup() as group:
                for probe in self.probes:
                    group.create_task(self._wait_for(probe))
        finally:
            reporter.cancel()
            await asyncio.gather(reporter, return_exceptions=True)
        self.finished_at = time.monotonic()

    async def _wait_for(self, probe: Probe) -> None:
        notice = _Notice()
        last_early_retry = -self._retry_interval
        while True:
            started = time.monotonic()
            try:
                await probe.check()
            except ProbeError as failure:
                self._tell_failure(probe, failure, notice)
                next_attempt = started + self._retry_interval
                may_retry_early = time.monotonic() - last_early_retry >= self._retry_interval
                if (
                    failure.unreachable
                    and may_retry_early
                    and await self._watch(probe, next_attempt)
                ):
                    last_early_retry = time.monotonic()
                    continue
                await asyncio.sleep(max(0.0, next_attempt - time.monotonic()))
                continue
            self._ready.add(probe.name)
            if notice.failures:
                self._logger.info(
                    "probe is ready",
                    kind="probe",
                    name=probe.name,
                    waited=format_seconds(self.waited()),
                )
            return

    async def _watch(self, probe: Probe, until: float) -> bool:
        """Whether the probe's service appeared before ``until`` (cheap polling)."""
        while time.monotonic() < until:
            appeared = await probe.reachable()
            if appeared is None:
                return False
            if appeared:
                return True
            await asyncio.sleep(min(self._watch_interval, max(0.0, until - time.monotonic())))
        return False

    def _tell_failure(self, probe: Probe, failure: ProbeError, notice: _Notice) -> None:
        now = time.monotonic()
        notice.failures += 1
        quiet = (
            notice.logged_at is not None
            and notice.text == failure.message
            and now - notice.logged_at < self._report_interval
        )
        if quiet:
            return
        notice.logged_at = now
        notice.text = failure.message
        # err: the original's (Go) text, as greps and alerts expect; reason: in plain words
        fields = {"err": failure.go_text, "kind": "probe", "name": probe.name}
        if failure.message != failure.go_text:
            fields["reason"] = failure.message
        self._logger.warning("not ready yet", **fields)

    async def _report_pending(self) -> None:
        while True:
            await asyncio.sleep(self._report_interval)
            pending = self.pending()
            if pending:
                self._logger.info(
                    "still waiting for probe readiness",
                    pending=", ".join(probe.name for probe in pending),
                    waited=format_seconds(round(self.waited())),
                )


async def wait_for_readiness(probes: Iterable[Probe], *, logger: Logger | None = None) -> None:
    """Wait for the ``wait = true`` probes with the default intervals."""
    await ReadinessWait(probes, logger=logger).run()

"""A job's ``readiness`` and ``liveness`` at run time: its checks, its notify socket.

One :class:`JobHealth` per job that has a ``readiness`` or ``liveness`` block. It builds
the checks of :mod:`mittnite.checks` from the typed config, runs each block's pure
:class:`~mittnite.core.health.HealthMachine` through a
:class:`~mittnite.checks.monitor.HealthMonitor`, and owns the job's ``NOTIFY_SOCKET``
when a block says ``notify = true``. It decides nothing about the job itself: verdicts
go to the owner through two callbacks,

* ``on_ready(ok, message)``: the readiness verdict changed (ready / not ready, why);
* ``on_unhealthy(message)``: the liveness check failed ``failures`` times in a row;

and counts every polled attempt in :attr:`JobHealth.attempts` (by ``readiness`` or
``liveness`` and result), for the metrics.

When checks run: readiness from each spawn on (at once, then every ``interval``);
liveness from the job's first readiness on (without a readiness block: from the spawn),
so a slow start is never mistaken for a hang. Both stop when the process exits.

Notify: the socket is bound when the job is created (an abstract unix datagram socket,
so nothing appears on disk) and its address is added to the job's environment as
``NOTIFY_SOCKET``; a notify liveness also sets ``WATCHDOG_USEC`` to its ``interval`` (in
microseconds), so libraries that honour it ping in time. Only processes of the current
run of the job are heard (see :class:`~mittnite.runtime.notify.ProcessFamily`); others
are dropped and logged at debug level, at most one line per
:data:`REJECT_LOG_INTERVAL` seconds.
"""

from __future__ import annotations

import time

from ..checks.monitor import HealthMonitor
from ..core.health import HealthMachine

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..checks.base import Check, CheckOutcome
    from ..checks.notify import NotifyState
    from ..config.model import HealthCheck, JobConfig
    from ..logs.logger import BoundLogger
    from ..runtime.notify import NotifySocket
    from .context import RunContext

__all__ = ["REJECT_LOG_INTERVAL", "JobHealth"]

REJECT_LOG_INTERVAL = 10.0
"""Seconds between two debug lines about notify datagrams from strangers."""


class JobHealth:
    """The readiness and liveness monitors of one job, and its notify socket."""

    def __init__(
        self,
        config: JobConfig,
        context: RunContext,
        log: BoundLogger,
        *,
        on_ready: Callable[[bool, str], None],
        on_unhealthy: Callable[[str], None],
    ) -> None:
        self.name = config.name
        self.log = log
        self._on_ready = on_ready
        self._on_unhealthy = on_unhealthy
        self.attempts: dict[tuple[str, str], int] = {}
        """Polled attempts so far by (``readiness``/``liveness``, result)."""
        self.socket: NotifySocket | None = None
        self.notify: NotifyState | None = None
        self._rejected_logged_at = -REJECT_LOG_INTERVAL
        self._rejected_since_log = 0
        if config.uses_notify:
            from ..checks.notify import NotifyState
            from ..runtime.notify import NotifySocket

            self.socket = NotifySocket.open(config.name)
            self.notify = NotifyState()
        self.readiness = self._monitor(config, config.readiness, context, "readiness")
        self.liveness = self._monitor(config, config.liveness, context, "liveness")
        self.watchdog: float | None = None
        """The configured notify watchdog (seconds): a job's ``WATCHDOG_USEC=`` lasts one run."""
        if self.notify is not None:
            if config.readiness is not None and config.readiness.notify:
                self.notify.readiness = self.readiness
            if config.liveness is not None and config.liveness.notify:
                self.notify.liveness = self.liveness
                self.watchdog = config.liveness.interval.seconds

    # -- building ----------------------------------------------------------------------------
    def _monitor(
        self, config: JobConfig, block: HealthCheck | None, context: RunContext, what: str
    ) -> HealthMonitor | None:
        if block is None:
            return None
        interval = block.interval.seconds
        machine = HealthMachine(
            clock=context.clock,
            interval=interval,
            timeout=block.timeout.seconds,
            failures=block.failures,
            polled=not block.notify,
            watchdog=interval if block.notify and what == "liveness" else None,
        )
        check = None if block.notify else _check(config, block, context)
        if what == "readiness":
            return HealthMonitor(
                machine,
                check,
                on_verdict=self._ready_verdict,
                on_outcome=lambda outcome: self._attempted("readiness", outcome),
            )
        return HealthMonitor(
            machine,
            check,
            on_verdict=self._live_verdict,
            on_outcome=lambda outcome: self._attempted("liveness", outcome),
        )

    # -- what the job adds to its environment --------------------------------------------------
    def environment(self) -> tuple[str, ...]:
        """``NOTIFY_SOCKET`` (and ``WATCHDOG_USEC``) entries for the job's environment."""
        if self.socket is None:
            return ()
        entries = [f"NOTIFY_SOCKET={self.socket.address}"]
        if self.watchdog is not None:
            entries.append(f"WATCHDOG_USEC={round(self.watchdog * 1_000_000)}")
        return tuple(entries)

    # -- lifecycle ------------------------------------------------------------------------------
    def open(self) -> None:
        """Start receiving notify datagrams (needs the running loop)."""
        if self.socket is not None and self.notify is not None:
            self.socket.start(self.notify.apply, self._rejected)

    def spawned(self, pid: int, pgid: int) -> None:
        """A new process of the job runs: forget the old one, start checking."""
        if self.socket is not None and self.notify is not None:
            from ..runtime.notify import ProcessFamily

            self.socket.family = ProcessFamily(pid, pgid)
            self.notify.reset()
        if self.liveness is not None and self.watchdog is not None:
            self.liveness.machine.watchdog = self.watchdog
        if self.readiness is not None:
            self.readiness.start()
        elif self.liveness is not None:
            self.liveness.start()

    def became_ready(self) -> None:
        """The job passed its readiness check: liveness checking begins (once per run)."""
        if self.liveness is not None and not self.liveness.machine.active:
            self.liveness.start()

    def exited(self) -> None:
        """The process is gone: no more checks until the next spawn."""
        for monitor in (self.readiness, self.liveness):
            if monitor is not None:
                monitor.stop()

    async def close(self) -> None:
        """Stop everything and release the socket (mittnite shuts down)."""
        for monitor in (self.readiness, self.liveness):
            if monitor is not None:
                await monitor.aclose()
        if self.socket is not None:
            self.socket.close()

    # -- status --------------------------------------------------------------------------------
    @property
    def ready(self) -> bool | None:
        """The readiness verdict of the current run (``None``: none yet, or no check)."""
        return None if self.readiness is None else self.readiness.healthy

    @property
    def message(self) -> str:
        """Why the job is not ready (the last failed attempt), or ``""``."""
        return "" if self.readiness is None else self.readiness.machine.message

    # -- callbacks -----------------------------------------------------------------------------
    def _ready_verdict(self, ok: bool, message: str) -> None:
        if ok:
            self.became_ready()
        self._on_ready(ok, message)

    def _live_verdict(self, ok: bool, message: str) -> None:
        if not ok:
            self._on_unhealthy(message)

    def _attempted(self, what: str, outcome: CheckOutcome) -> None:
        key = (what, outcome.result)
        self.attempts[key] = self.attempts.get(key, 0) + 1

    def _rejected(self, pid: int, reason: str) -> None:
        """A datagram nobody of this job sent: note it, without flooding the log."""
        self._rejected_since_log += 1
        now = time.monotonic()
        if now - self._rejected_logged_at < REJECT_LOG_INTERVAL:
            return
        self.log.debug(
            "ignored notify message",
            pid=pid,
            reason=reason,
            count=self._rejected_since_log,
        )
        self._rejected_logged_at = now
        self._rejected_since_log = 0


def _check(config: JobConfig, block: HealthCheck, context: RunContext) -> Check:
    """The polled check a block names (http, tcp or exec); built once per job."""
    timeout = block.timeout.seconds
    if block.http:
        from ..checks.http import HttpCheck

        return HttpCheck(block.http, timeout=timeout)
    if block.tcp is not None:
        from ..checks.tcp import TcpCheck

        return TcpCheck(block.tcp.host, block.tcp.port, timeout=timeout)
    assert block.exec is not None, "validate makes sure a block names one check"
    from ..checks.exec import ExecCheck

    return ExecCheck(
        [block.exec.command, *block.exec.args],
        reaper=context.reaper,
        env=context.environment(config.env),
        cwd=config.working_directory or None,
    )

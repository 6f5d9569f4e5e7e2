"""When is a job ready, and is it still alive? One pure machine for both questions.

A job's ``readiness`` and ``liveness`` blocks each get a :class:`HealthMachine`. It
decides *when* to run the check, counts consecutive failures against a threshold and
announces verdicts; it never runs anything itself. Two sources feed it:

* **polled** checks (http, tcp, exec): the machine asks for an attempt
  (:class:`RunCheck`), the adapter runs it with :attr:`HealthMachine.timeout` and reports
  ``checked(ok, message)``; the next attempt starts ``interval`` after the previous one
  started (at once when the attempt took longer);
* **fed** checks (notify): nothing is polled; ``observed(ok, message)`` reports
  ``READY=1`` (ok) and ``RELOADING=1``/``STOPPING=1`` (not ok) as they arrive, and a
  watchdog deadline (``WATCHDOG_USEC``) makes every interval without ``WATCHDOG=1`` a
  failure, ``WATCHDOG=trigger`` an immediate verdict.

Verdicts are transitions only: :class:`Healthy` when the first success follows an
unknown or unhealthy state, :class:`Unhealthy` when ``failures`` consecutive failures
are reached (a success resets the count). For readiness that means ready/not ready;
for liveness, :class:`Unhealthy` means "restart the job" (that restart counts as an
attempt of the job's restart policy).

Wiring (:mod:`mittnite.supervisor.health`): on each spawn the supervisor calls ``start()`` (readiness: at once;
liveness: when the job becomes ready, so a slow start is not mistaken for a hang; the
grace after that is ``interval × failures``); on exit ``stop()``. Actions: RunCheck →
run the :mod:`mittnite.checks` check and report ``checked``; StartTimer/CancelTimer as
for the job machine; Healthy/Unhealthy → ``DependencyMachine.ready/not_ready`` for
readiness, ``JobMachine.unhealthy()`` plus a restart count for liveness. The adapter in
:mod:`mittnite.checks.monitor` does all of that but the last step.
"""

from __future__ import annotations

from .job import Action, CancelTimer, StartTimer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .clock import Clock

__all__ = [
    "CHECK_TIMER",
    "DEFAULT_INTERVAL",
    "DEFAULT_TIMEOUT",
    "WATCHDOG_TIMER",
    "HealthMachine",
    "Healthy",
    "RunCheck",
    "Unhealthy",
]

CHECK_TIMER = "check"
WATCHDOG_TIMER = "watchdog"
DEFAULT_INTERVAL = 1.0
DEFAULT_TIMEOUT = 1.0


class RunCheck(Action):
    """Run one attempt of the check now; report it with ``checked(ok, message)``."""

    __slots__ = ()


class Healthy(Action):
    """The check passes again (readiness: the job is ready)."""

    __slots__ = ()


class Unhealthy(Action):
    """``failures`` consecutive failures; ``message`` is the last one, for people."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class HealthMachine:
    """Schedules checks and turns results into verdicts. One event at a time; no I/O."""

    def __init__(
        self,
        *,
        clock: Clock,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        failures: int = 1,
        polled: bool = True,
        watchdog: float | None = None,
    ) -> None:
        if interval <= 0 or timeout <= 0:
            raise ValueError("interval and timeout must be positive")
        if failures < 1:
            raise ValueError("failures must be at least 1")
        self.clock = clock
        self.interval = interval
        self.timeout = timeout
        self.failure_threshold = failures
        self.polled = polled
        self.watchdog = watchdog
        """Seconds allowed between two ``WATCHDOG=1`` pings (``None``: no watchdog)."""
        self.active = False
        self.healthy: bool | None = None
        """``None`` until a verdict; then the last one."""
        self.consecutive_failures = 0
        self.message = ""
        """The last failure's text (empty after a success)."""
        self.since = 0.0
        """Wall time of the last verdict change (0: never)."""
        self.checks = 0
        self._attempt_started: float | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> list[Action]:
        """A new process is there: forget the old verdict, check at once, arm the watchdog."""
        self.active = True
        self.healthy = None
        self.consecutive_failures = 0
        self.message = ""
        actions: list[Action] = []
        if self.watchdog is not None:
            actions.append(StartTimer(WATCHDOG_TIMER, self.watchdog))
        if self.polled:
            self._attempt_started = self.clock.monotonic()
            actions.append(RunCheck())
        return actions

    def stop(self) -> list[Action]:
        """The process is gone (or being restarted): no more checks, verdict unknown."""
        self.active = False
        self.healthy = None
        self._attempt_started = None
        return [CancelTimer(CHECK_TIMER), CancelTimer(WATCHDOG_TIMER)]

    # -- results -------------------------------------------------------------------------------
    def checked(self, ok: bool, message: str = "") -> list[Action]:
        """A polled attempt finished; schedules the next one."""
        if not self.active or self._attempt_started is None:
            return []
        elapsed = self.clock.monotonic() - self._attempt_started
        self._attempt_started = None
        actions = self._verdict(ok, message)
        actions.append(StartTimer(CHECK_TIMER, max(0.0, self.interval - elapsed)))
        return actions

    def observed(self, ok: bool, message: str = "") -> list[Action]:
        """A fed result (``READY=1`` ok; ``RELOADING=1``/``STOPPING=1`` not ok)."""
        if not self.active:
            return []
        if not ok:
            # An explicit "not ready" from the job is not a flaky check: no threshold.
            self.consecutive_failures = self.failure_threshold - 1
        return self._verdict(ok, message)

    def set_watchdog(self, seconds: float | None) -> list[Action]:
        """``WATCHDOG_USEC=`` from the job: a new deadline, counted from now (0: off)."""
        if seconds is not None and seconds <= 0:
            seconds = None
        self.watchdog = seconds
        if not self.active:
            return []
        if seconds is None:
            return [CancelTimer(WATCHDOG_TIMER)]
        return [StartTimer(WATCHDOG_TIMER, seconds)]

    def watchdog_ping(self) -> list[Action]:
        """``WATCHDOG=1``: alive; the deadline starts again."""
        if not self.active or self.watchdog is None:
            return []
        return [*self._verdict(True, ""), StartTimer(WATCHDOG_TIMER, self.watchdog)]

    def watchdog_trigger(
        self, message: str = "the job asked for it (WATCHDOG=trigger)"
    ) -> list[Action]:
        """``WATCHDOG=trigger``: unhealthy now, whatever the threshold."""
        if not self.active:
            return []
        self.consecutive_failures = self.failure_threshold - 1
        return self._verdict(False, message)

    def timer_fired(self, name: str) -> list[Action]:
        if not self.active:
            return []
        if name == CHECK_TIMER and self.polled and self._attempt_started is None:
            self._attempt_started = self.clock.monotonic()
            return [RunCheck()]
        if name == WATCHDOG_TIMER and self.watchdog is not None:
            message = f"no WATCHDOG=1 within {_seconds(self.watchdog)}"
            return [*self._verdict(False, message), StartTimer(WATCHDOG_TIMER, self.watchdog)]
        return []

    # -- internals -----------------------------------------------------------------------------
    def _verdict(self, ok: bool, message: str) -> list[Action]:
        self.checks += 1
        if ok:
            self.consecutive_failures = 0
            self.message = ""
            if self.healthy is not True:
                self._change(True)
                return [Healthy()]
            return []
        self.consecutive_failures += 1
        self.message = message
        if self.consecutive_failures >= self.failure_threshold and self.healthy is not False:
            self._change(False)
            return [Unhealthy(message)]
        return []

    def _change(self, healthy: bool) -> None:
        self.healthy = healthy
        self.since = self.clock.wall()


def _seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return f"{text}s"

"""``notify = true``: the job itself says when it is ready (sd_notify).

Nothing is polled. Messages accepted by the job's
:class:`~mittnite.runtime.notify.NotifySocket` are applied to a :class:`NotifyState`,
which keeps what the API shows (``STATUS=`` text, ``MAINPID``, ready/reloading/
stopping) and forwards the health-relevant parts to the job's monitors:

* readiness: ``READY=1`` → ready; ``RELOADING=1`` → not ready until the next
  ``READY=1``; ``STOPPING=1`` → not ready;
* liveness: ``WATCHDOG=1`` → alive, deadline restarts; ``WATCHDOG_USEC=<n>`` → a new
  deadline; ``WATCHDOG=trigger`` → unhealthy now.

:class:`NotifyCheck` offers the same state through the polled
:class:`~mittnite.checks.base.Check` interface, for callers that only know that one.

Wiring (:mod:`mittnite.supervisor.health`): create one ``NotifyState`` per job with a notify socket, call
``reset()`` on each spawn, ``socket.start(state.apply)``; give the readiness monitor
(``HealthMachine(polled=False)``) and the liveness monitor (``HealthMachine(polled=False,
watchdog=interval)``) to the state. The API's job status adds ``state.status`` and
``state.describe()``; ``mittnitectl job status`` prints them.
"""

from __future__ import annotations

from .base import CheckFailed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..runtime.notify import NotifyMessage
    from .monitor import HealthMonitor

__all__ = ["NotifyCheck", "NotifyState"]


class NotifyState:
    """What a job last told mittnite about itself."""

    def __init__(
        self,
        *,
        readiness: HealthMonitor | None = None,
        liveness: HealthMonitor | None = None,
    ) -> None:
        self.readiness = readiness
        self.liveness = liveness
        self.ready = False
        self.reloading = False
        self.stopping = False
        self.status = ""
        """The last ``STATUS=`` text (kept across READY/RELOADING, as systemd does)."""
        self.main_pid: int | None = None
        self.errno: int | None = None
        self.messages = 0

    def reset(self) -> None:
        """A new process starts: nothing it said before counts any more."""
        self.ready = self.reloading = self.stopping = False
        self.status = ""
        self.main_pid = None
        self.errno = None

    def describe(self) -> str:
        """``ready``, ``reloading``, ``stopping`` or ``starting``, for the API."""
        if self.stopping:
            return "stopping"
        if self.reloading:
            return "reloading"
        return "ready" if self.ready else "starting"

    def apply(self, message: NotifyMessage) -> None:
        """Take in one accepted datagram (the socket's ``on_message``)."""
        self.messages += 1
        if message.status is not None:
            self.status = message.status
        if message.main_pid is not None:
            self.main_pid = message.main_pid
        if message.errno is not None:
            self.errno = message.errno
        self._apply_readiness(message)
        self._apply_liveness(message)

    def _apply_readiness(self, message: NotifyMessage) -> None:
        verdict: tuple[bool, str] | None = None
        if message.stopping:
            self.stopping, self.ready = True, False
            verdict = (False, "stopping (STOPPING=1)")
        elif message.reloading and not message.ready:
            self.reloading, self.ready = True, False
            verdict = (False, "reloading (RELOADING=1)")
        elif message.ready:
            self.reloading, self.ready = False, True
            verdict = (True, "")
        if verdict is not None and self.readiness is not None:
            self.readiness.observed(*verdict)

    def _apply_liveness(self, message: NotifyMessage) -> None:
        monitor = self.liveness
        if monitor is None:
            return
        usec = message.watchdog_usec
        if usec is not None:
            monitor.set_watchdog(usec / 1e6 if usec else None)
        if message.watchdog_trigger:
            monitor.watchdog_trigger()
        elif message.watchdog_ping:
            monitor.watchdog_ping()


class NotifyCheck:
    """The notify state seen through the polled interface: passes once ``READY=1``."""

    kind = "notify"

    def __init__(self, state: NotifyState, address: str) -> None:
        self.state = state
        self.target = address

    async def check(self) -> None:
        if not self.state.ready:
            status = f" (STATUS={self.state.status})" if self.state.status else ""
            raise CheckFailed(f"notify: no READY=1 yet, {self.state.describe()}{status}")

    async def aclose(self) -> None:
        """The socket belongs to the job, not to the check."""

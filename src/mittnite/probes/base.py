"""What every probe shares: the error type, the live state and the attempt runner.

A *checker* knows one protocol (redis, mysql, ...) and answers "is it ready
right now?" by returning or raising :class:`ProbeError`. A :class:`Probe`
wraps a checker with what the readiness wait and the status server both
need: a hard time limit per attempt, one shared attempt for concurrent
callers (a status poller and the readiness wait never double the load on a
database), and the last result with the time it last changed.
"""

from __future__ import annotations

import asyncio
import time

from ..config.record import record
from ..logs.logger import MASK, get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..logs.logger import Logger

DEFAULT_TIMEOUT = 5.0
"""Seconds one attempt may take unless the kind says otherwise (go-redis' dial timeout)."""


class ProbeError(Exception):
    """A probe is not ready; the message is meant for a person and never holds a password.

    ``go_text`` is the same failure as the original's Go code worded it
    (``dial tcp 127.0.0.1:6379: connect: connection refused``); ``/status``
    shows it, so dashboards matching the original's messages keep working
    (see :mod:`.gotext`). Without one, ``/status`` shows the message.

    ``unreachable`` marks failures where nothing answers yet (connection
    refused, missing directory); the readiness wait watches those cheaply so
    it notices the moment the service appears instead of at the next retry.
    """

    def __init__(
        self, message: str, *, unreachable: bool = False, go_text: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.unreachable = unreachable
        self.go_text = go_text or message

    def __str__(self) -> str:
        return self.message


@record
class ProbeState:
    """The last known result of a probe, as the servers and the API show it.

    ``ok`` is ``None`` until the first attempt finished. ``since`` is the wall
    time at which ``ok`` last changed (or the probe was built), ``checked_at``
    the wall time of the last finished attempt.
    """

    ok: bool | None
    error: str
    since: float
    checked_at: float | None = None
    duration: float | None = None


class Checker:
    """One protocol's readiness check; subclasses override :meth:`check`."""

    kind = ""
    target = ""
    """What is checked, for people: ``host:port``, a URL or a path (never a password)."""
    timeout = DEFAULT_TIMEOUT
    secrets: tuple[str, ...] = ()
    """Passwords this checker knows; masked in every error it reports, as a last line of defence."""

    async def check(self) -> None:
        """Return when ready; raise :class:`ProbeError` otherwise."""
        raise NotImplementedError

    def timeout_message(self) -> str:
        """The error shown when an attempt exceeds :attr:`timeout`."""
        return f"{self.kind}: no answer from {self.target} within {format_seconds(self.timeout)}"

    def timeout_go_text(self) -> str:
        """The same for ``/status`` (the original's text for a probe that took too long)."""
        return "timed out"

    async def reachable(self) -> bool | None:
        """A cheap "has something appeared?" test (``None``: this kind has none)."""
        return None

    async def aclose(self) -> None:
        """Release what the checker keeps between attempts (clients, threads)."""

    def alive_fields(self) -> dict[str, str]:
        """Fields of the original's debug line for a successful check (empty: no line)."""
        return {"host": self.target, "kind": "probe", "name": self.kind, "status": "alive"}


class Probe:
    """A named, configured probe: runs attempts and remembers the outcome."""

    def __init__(
        self,
        name: str,
        checker: Checker,
        *,
        wait: bool = False,
        logger: Logger | None = None,
    ) -> None:
        self.name = name
        self.checker = checker
        self.wait = wait
        self._logger = logger if logger is not None else get_logger()
        self._inflight: asyncio.Task[ProbeError | None] | None = None
        self.state = ProbeState(ok=None, error="", since=time.time())
        self.attempts: dict[str, int] = {}
        """Attempts so far by result (``success``, ``failure``, ``timeout``): the metrics."""

    @property
    def kind(self) -> str:
        return self.checker.kind

    @property
    def target(self) -> str:
        return self.checker.target

    def __repr__(self) -> str:
        return f"Probe({self.name!r}, kind={self.kind!r}, target={self.target!r})"

    async def check(self) -> None:
        """Run one attempt, or join the one already running; raise :class:`ProbeError`.

        Cancelling the caller does not cancel a shared attempt: other callers
        may still wait for it, and it ends by itself within the time limit.
        """
        task = self._inflight
        if task is None or task.done():
            task = asyncio.get_running_loop().create_task(self._attempt())
            task.add_done_callback(_consume_outcome)
            self._inflight = task
        failure = await asyncio.shield(task)
        if failure is not None:
            raise ProbeError(
                failure.message, unreachable=failure.unreachable, go_text=failure.go_text
            )

    async def result(self) -> str | None:
        """Like :meth:`check`, but returns the error text (``None`` when ready)."""
        try:
            await self.check()
        except ProbeError as error:
            return error.message
        return None

    async def status_text(self) -> str | None:
        """Like :meth:`result`, but the error as ``/status`` shows it (the original's Go text)."""
        try:
            await self.check()
        except ProbeError as error:
            return error.go_text
        return None

    async def reachable(self) -> bool | None:
        """Ask the checker's cheap test; never raises."""
        try:
            return await self.checker.reachable()
        except Exception:
            return False

    async def aclose(self) -> None:
        """Cancel a running attempt and release the checker's resources."""
        task = self._inflight
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.checker.aclose()

    async def _attempt(self) -> ProbeError | None:
        started = time.monotonic()
        failure: ProbeError | None
        result = "failure"
        try:
            async with asyncio.timeout(self.checker.timeout):
                await self.checker.check()
        except ProbeError as error:
            failure = error
        except TimeoutError:
            failure = ProbeError(
                self.checker.timeout_message(), go_text=self.checker.timeout_go_text()
            )
            result = "timeout"
        except Exception as error:  # a driver bug must never take the init down
            failure = ProbeError(f"{self.kind}: unexpected {type(error).__name__}: {error}")
        else:
            failure = None
            result = "success"
        if failure is not None:
            failure = _masked(failure, self.checker.secrets)
        self.attempts[result] = self.attempts.get(result, 0) + 1
        self._record(None if failure is None else failure.message, time.monotonic() - started)
        if failure is None:
            fields = self.checker.alive_fields()
            if fields:
                self._logger.debug("", **fields)
        return failure

    def _record(self, error: str | None, duration: float) -> None:
        now = time.time()
        ok = error is None
        since = self.state.since if self.state.ok is ok else now
        self.state = ProbeState(
            ok=ok, error=error or "", since=since, checked_at=now, duration=duration
        )


def _masked(failure: ProbeError, secrets: tuple[str, ...]) -> ProbeError:
    message, go_text = failure.message, failure.go_text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            message = message.replace(secret, MASK)
            go_text = go_text.replace(secret, MASK)
    if message == failure.message and go_text == failure.go_text:
        return failure
    return ProbeError(message, unreachable=failure.unreachable, go_text=go_text)


def _consume_outcome(task: asyncio.Task[ProbeError | None]) -> None:
    """Mark the task's outcome as seen, so an abandoned attempt logs no asyncio warning."""
    if not task.cancelled():
        task.exception()


def format_seconds(seconds: float) -> str:
    """A duration the way Go prints short ones: ``5s``, ``1.5s``, ``300ms``, ``2m0s``."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    if seconds < 60:
        text = f"{seconds:.3f}".rstrip("0").rstrip(".")
        return f"{text}s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s"


class BrokenChecker(Checker):
    """A probe whose configuration cannot work (bad port, bad timeout, bad URL).

    Like the original with a bad http timeout, it stays in place and reports
    the same error on every attempt, so ``/status`` and the readiness wait show
    the reason instead of the probe silently vanishing.
    """

    def __init__(self, kind: str, target: str, message: str, go_text: str | None = None) -> None:
        self.kind = kind
        self.target = target
        self.message = message
        self.go_text = go_text

    async def check(self) -> None:
        raise ProbeError(self.message, go_text=self.go_text)

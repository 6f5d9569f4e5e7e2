"""The lifecycle of one supervised job, as a pure state machine.

The machine receives events (start/stop/restart requests, "process spawned",
"process exited", "timer fired", shutdown) and answers with actions (spawn,
signal the process group, start or cancel a timer, log a line, report that
supervision ended). The asyncio adapter in :mod:`mittnite.supervisor.job`
carries the actions out. Phases are the original's (they appear in the API's
status JSON): ``awaitingReadiness``, ``unknown``, ``started``,
``crashLooping``, ``failed``, ``stopped``, ``completed``.

Fixes over the original, all by construction here:

* one supervisor per job: a start or restart during crash-loop back-off
  cancels the wait and starts once, it never runs a second loop (#123);
* stop and restart escalate to SIGKILL after the grace time;
* shutdown interrupts back-off waits and never respawns a process;
* a job that is stopped during back-off is reported ``stopped``, not left
  ``crashLooping``.
"""

from __future__ import annotations

import signal

from .restart import RestartPolicy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .clock import Clock


class Phase:
    """Reasons shown in the API's ``phase.reason``."""

    AWAITING_READINESS = "awaitingReadiness"
    UNKNOWN = "unknown"
    STARTED = "started"
    CRASH_LOOPING = "crashLooping"
    FAILED = "failed"
    STOPPED = "stopped"
    COMPLETED = "completed"


class State:
    """Internal states (what the machine is waiting for)."""

    IDLE = "idle"  # nothing running, nothing scheduled
    STARTING = "starting"  # spawn requested, waiting for spawned/spawn_failed
    RUNNING = "running"
    STOPPING = "stopping"  # signal sent, waiting for the exit
    BACKOFF = "backoff"  # waiting before the next attempt
    RELAUNCH = "relaunch"  # keep-running: failed, will start again later


# ---- actions ---------------------------------------------------------------------


class Action:
    """Base of the actions the adapter carries out (value equality for tests)."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(
            getattr(self, s) == getattr(other, s) for s in self.__slots__
        )

    def __repr__(self) -> str:
        values = ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__)
        return f"{type(self).__name__}({values})"


class Spawn(Action):
    """Start the job's process now; report back with spawned() or spawn_failed()."""

    __slots__ = ()


class SignalGroup(Action):
    """Send ``signum`` to the job's process group (missing processes are fine)."""

    __slots__ = ("signum",)

    def __init__(self, signum: int) -> None:
        self.signum = signum


class StartTimer(Action):
    """Call timer_fired(name) after ``delay`` seconds, replacing a timer of that name."""

    __slots__ = ("delay", "name")

    def __init__(self, name: str, delay: float) -> None:
        self.name = name
        self.delay = delay


class CancelTimer(Action):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Log(Action):
    """A log line in the original's wording; ``job.name`` is added by the adapter."""

    __slots__ = ("fields", "level", "msg")

    def __init__(self, level: str, msg: str, fields: dict[str, Any] | None = None) -> None:
        self.level = level
        self.msg = msg
        self.fields = fields or {}


class Finished(Action):
    """Supervision ended: ``outcome`` is completed, stopped, failed or shutdown.

    ``error`` is set when the job failed and may not fail (mittnite must stop).
    """

    __slots__ = ("error", "outcome")

    def __init__(self, outcome: str, error: str | None = None) -> None:
        self.outcome = outcome
        self.error = error


# ---- the machine -------------------------------------------------------------------

KILL_TIMER = "kill"
BACKOFF_TIMER = "backoff"
RELAUNCH_TIMER = "relaunch"
RELAUNCH_DELAY = 5.0  # the original's runner tick relaunches failed jobs with -k


def go_seconds(seconds: float) -> str:
    """Go's ``Duration.String()`` for whole seconds: ``2s``, ``1m4s``, ``5m0s``."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


class JobMachine:
    """Lifecycle of one (non-lazy) job. Not thread-safe; one event at a time."""

    def __init__(
        self,
        name: str,
        *,
        clock: Clock,
        max_attempts: int,
        can_fail: bool = False,
        one_time: bool = False,
        stop_signal: int = signal.SIGTERM,
        stop_timeout: float = 10.0,
        keep_running: bool = False,
    ) -> None:
        self.name = name
        self.clock = clock
        self.policy = RestartPolicy(max_attempts)
        self.can_fail = can_fail
        self.one_time = one_time
        self.stop_signal = stop_signal
        self.stop_timeout = stop_timeout
        self.keep_running = keep_running
        self.state = State.IDLE
        self.phase = Phase.AWAITING_READINESS
        self.phase_changed_at = 0.0  # wall clock; 0 means "never" (Go's zero time)
        self.pid: int | None = None
        self.started_at = 0.0
        self.stop_requested = False
        self.restart_requested = False
        self.shutting_down = False
        self.last_error = ""
        self.runs = 0
        self.unhealthy_reason: str | None = None
        """Set while a liveness failure is stopping the process (its exit is a failure)."""

    # -- helpers ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether a process of this job is alive (the API's ``running``)."""
        return self.state in (State.RUNNING, State.STOPPING) and self.pid is not None

    @property
    def supervising(self) -> bool:
        """Whether supervision is active (a process runs or a retry is scheduled)."""
        return self.state not in (State.IDLE, State.RELAUNCH)

    def _set_phase(self, reason: str) -> None:
        if reason != self.phase:
            self.phase = reason
            self.phase_changed_at = self.clock.wall()

    def _spawn(self) -> list[Action]:
        self.state = State.STARTING
        self.unhealthy_reason = None
        return [Log("info", "starting job"), Spawn()]

    def _signal_and_wait(self, signum: int) -> list[Action]:
        self.state = State.STOPPING
        return [
            Log("info", f"sending signal {signum} to process group"),
            SignalGroup(signum),
            StartTimer(KILL_TIMER, self.stop_timeout),
        ]

    # -- requests -------------------------------------------------------------------------
    def start(self) -> list[Action]:
        """Start supervising (runner at boot, API start, keep-running relaunch)."""
        if self.shutting_down:
            return []
        if self.state in (State.IDLE, State.RELAUNCH):
            actions: list[Action] = []
            if self.state == State.RELAUNCH:
                actions.append(CancelTimer(RELAUNCH_TIMER))
            self.policy.reset()
            self.stop_requested = self.restart_requested = False
            self._set_phase(Phase.UNKNOWN)
            return actions + self._spawn()
        if self.state == State.BACKOFF:
            # One supervisor per job: skip the rest of the wait instead of a second loop.
            return [CancelTimer(BACKOFF_TIMER), *self._spawn()]
        if self.state == State.STOPPING and self.stop_requested:
            # Stopped and started again before the old process is gone: start when it is.
            self.stop_requested = False
            self.restart_requested = True
        if self.state == State.STARTING and self.stop_requested:
            self.stop_requested = False
        return []

    def stop(self) -> list[Action]:
        """Stop the job (API stop); it stays stopped until started again."""
        if self.state == State.RUNNING:
            self.stop_requested = True
            return self._signal_and_wait(self.stop_signal)
        if self.state == State.STARTING:
            self.stop_requested = True
            self.restart_requested = False
            return []
        if self.state == State.STOPPING:
            self.stop_requested = True
            self.restart_requested = False
            return []
        if self.state in (State.BACKOFF, State.RELAUNCH):
            timer = BACKOFF_TIMER if self.state == State.BACKOFF else RELAUNCH_TIMER
            self.state = State.IDLE
            self._set_phase(Phase.STOPPED)
            return [CancelTimer(timer), Log("info", "job stopped"), Finished("stopped")]
        # the original's words: its process object outlived an exited process
        why = "no such process" if self.pid is not None else "job is not running"
        return [
            Log("warning", f"failed to send signal {self.stop_signal} to job {self.name}: {why}")
        ]

    def restart(self) -> list[Action]:
        """Restart the job (API restart); starts it if it is not running."""
        if self.state == State.RUNNING:
            self.restart_requested = True
            return self._signal_and_wait(self.stop_signal)
        if self.state in (State.STARTING, State.STOPPING):
            self.restart_requested = True
            self.stop_requested = False
            return []
        return self.start()

    def watch_triggered(self, signum: int, restart: bool) -> list[Action]:
        """A watched file changed: signal the job, or restart it with that signal."""
        if self.state != State.RUNNING:
            if self.state == State.STOPPING:
                return []
            return [
                Log(
                    "warning",
                    f"failed to send signal {signum} to job {self.name}: job is not running",
                )
            ]
        if restart:
            self.restart_requested = True
            return self._signal_and_wait(signum or self.stop_signal)
        if signum == 0:
            return []
        return [Log("info", f"sending signal {signum} to process group"), SignalGroup(signum)]

    def shutdown(self) -> list[Action]:
        """mittnite is stopping: end this job for good (bounded by the stop timeout)."""
        self.shutting_down = True
        if self.state == State.RUNNING:
            self.stop_requested = True
            actions = self._signal_and_wait(self.stop_signal)
            if self.stop_signal == signal.SIGTERM:
                actions.append(Log("info", "sent SIGTERM to job's process group"))
            return actions
        if self.state in (State.STARTING, State.STOPPING):
            self.stop_requested = True
            self.restart_requested = False
            return []
        if self.state in (State.BACKOFF, State.RELAUNCH):
            timer = BACKOFF_TIMER if self.state == State.BACKOFF else RELAUNCH_TIMER
            self.state = State.IDLE
            return [CancelTimer(timer), Finished("shutdown")]
        return []

    def fail(self, message: str) -> list[Action]:
        """The job will not start at all (a job it runs after failed): ``message`` says why.

        Only a job that is not running can be failed this way; it ends like a job that
        gave up (fatal for mittnite unless ``canFail``). The dependency machine logs the
        message, so nothing is logged here.
        """
        if self.shutting_down or self.state not in (State.IDLE, State.RELAUNCH):
            return []
        actions: list[Action] = []
        if self.state == State.RELAUNCH:
            actions.append(CancelTimer(RELAUNCH_TIMER))
        self.state = State.IDLE
        self.last_error = message
        self._set_phase(Phase.FAILED)
        return [*actions, Finished("failed", error=None if self.can_fail else message)]

    def unhealthy(self, message: str) -> list[Action]:
        """The liveness check failed: stop the process; its exit counts as a failed attempt.

        What follows is what follows any failure: back-off and a new attempt, or giving
        up once ``maxAttempts`` is used up. A stop or restart requested meanwhile wins.
        """
        if self.state != State.RUNNING or self.shutting_down:
            return []
        self.unhealthy_reason = message
        return [
            Log("error", "liveness check failed; restarting job", {"error": message}),
            *self._signal_and_wait(self.stop_signal),
        ]

    # -- reports from the adapter -----------------------------------------------------------
    def spawned(self, pid: int) -> list[Action]:
        """The process exists now."""
        self.pid = pid
        self.runs += 1
        self.started_at = self.clock.monotonic()
        self.state = State.RUNNING
        self._set_phase(Phase.STARTED)
        if self.stop_requested or self.restart_requested:
            return self._signal_and_wait(self.stop_signal)
        return []

    def spawn_failed(self, error: str) -> list[Action]:
        """The process could not be started (exec error, missing directory...)."""
        self.pid = None
        self.started_at = self.clock.monotonic()
        message = f"failed to start job {self.name}: {error}"
        if self.stop_requested:
            return self._ended_by_request()
        self.restart_requested = False
        # Not "job exited with error": nothing ran (the original logs no line here at all,
        # and shows the reason only once attempts run out).
        failure = Log("error", "job could not be started", {"error": message})
        return [failure, *self._failed(message)]

    def exited(self, success: bool, description: str) -> list[Action]:
        """The main process ended; ``description`` is Go's text (``exit status 3``)."""
        actions: list[Action] = [CancelTimer(KILL_TIMER), SignalGroup(signal.SIGTERM)]
        unhealthy, self.unhealthy_reason = self.unhealthy_reason, None
        if self.stop_requested:
            return actions + self._ended_by_request()
        if self.restart_requested:
            self.restart_requested = False
            return [
                *actions,
                Log("info", "job stopped for restart"),
                Log("info", "restart process"),
                *self._spawn(),
            ]
        if unhealthy is not None:
            description = f"liveness check failed: {unhealthy}"
            actions.append(Log("error", "job exited with error", {"error": description}))
            return actions + self._failed(description)
        if success and self.one_time:
            self.state = State.IDLE
            self._set_phase(Phase.COMPLETED)
            return [
                *actions,
                Log("info", "one-time job has ended successfully"),
                Finished("completed"),
            ]
        if success:
            actions.append(Log("warning", "job exited without errors"))
            description = "exit status 0 (jobs are restarted unless oneTime = true)"
        else:
            actions.append(Log("error", "job exited with error", {"error": description}))
        return actions + self._failed(description)

    def timer_fired(self, name: str) -> list[Action]:
        if name == KILL_TIMER and self.state == State.STOPPING:
            return [Log("error", "forcefully killed job"), SignalGroup(signal.SIGKILL)]
        if name == BACKOFF_TIMER and self.state == State.BACKOFF:
            return self._spawn()
        if name == RELAUNCH_TIMER and self.state == State.RELAUNCH:
            return self.start()
        return []

    # -- outcomes ---------------------------------------------------------------------------
    def _ended_by_request(self) -> list[Action]:
        self.state = State.IDLE
        self.stop_requested = False
        self._set_phase(Phase.STOPPED)
        stopped = [Log("info", "job stopped"), Log("info", "stop process")]
        if self.shutting_down:
            return [*stopped, Finished("shutdown")]
        return [*stopped, Finished("stopped")]

    def _failed(self, error: str) -> list[Action]:
        self.last_error = error
        if self.shutting_down:
            self.state = State.IDLE
            return [Finished("shutdown")]
        delay = self.policy.after_failure(self.clock.monotonic() - self.started_at)
        if delay is not None:
            self.state = State.BACKOFF
            self._set_phase(Phase.CRASH_LOOPING)
            return [
                Log(
                    "info",
                    "remaining attempts",
                    {
                        "job.maxAttempts": self.policy.max_attempts,
                        "job.usedAttempts": self.policy.attempts,
                        "job.nextRestartIn": go_seconds(delay),
                    },
                ),
                StartTimer(BACKOFF_TIMER, delay),
            ]
        self._set_phase(Phase.FAILED)
        if self.can_fail:
            actions: list[Action] = [
                Log("warning", "reached max retries", {"job.maxAttempts": self.policy.max_attempts})
            ]
            if self.keep_running:
                self.state = State.RELAUNCH
                return [*actions, StartTimer(RELAUNCH_TIMER, RELAUNCH_DELAY), Finished("failed")]
            self.state = State.IDLE
            return [*actions, Finished("failed")]
        self.state = State.IDLE
        # logged once, by whoever ends the run (as the original: error, then the fatal line)
        message = f"reached max retries for job {self.name}; last error: {error}"
        return [Finished("failed", error=message)]

"""Socket activation and scale-to-zero of one lazy job, as a pure state machine.

Events in: a connection opened or closed, a connection needs the process, the process
started / failed to start / exited (for any reason), the cool-down timer fired,
shutdown. Actions out: start or stop the process, arm or cancel the cool-down timer, log
lines. The asyncio adapter (:mod:`mittnite.supervisor.lazy`) carries them out.

Semantics (the original's, with its timing fixed):

* nothing runs at boot (``holding off starting job <name> until first request``);
* the first connection that needs the process starts it; connections arriving while it
  starts wait for that same start, there is never a second spawn;
* a process that exits on its own (not stopped by mittnite) fails the connections still
  waiting to reach it at once (``AbortDials``), instead of letting them dial until
  ``spinUpTimeout``;
* back-off, as for jobs: a process that fails to start, or ends before any connection
  reached it and within the current back-off time of its start, holds off new starts for
  that time (1 s, 2 s, 4 s, ...
  up to 5 min); connections arriving meanwhile are refused at once (``Refuse``) instead of
  each spawning a process that dies again. A run longer than the back-off ends the streak,
  so a job that works again is started on the next connection. An explicit start or
  restart (API) is never held off. The original re-spawned per connection, with no
  back-off, and let every client wait the full ``spinUpTimeout``;
* cool-down is exact: the timer is armed for ``cool_down`` when the last active
  connection closes (re-armed on every such close) and cancelled when one opens, so the
  process is stopped after precisely ``cool_down`` of idleness. The original checked once
  a minute, so its idle time was rounded up to the next minute tick (§7);
* stopping is the adapter's job: SIGTERM to the process group, SIGKILL after the stop
  timeout (the original sent SIGTERM to the main process only, and never escalated).

Activated sockets (``listen { activate = true }``) need no event of their own: the adapter
reports a connection waiting in their accept queue as ``process_needed`` (a ``Refuse`` then
means: close what is queued), and their sampled activity while the process runs as one
connection, opened while busy and closed when idle, so the same cool-down applies.
"""

from __future__ import annotations

import math
import signal

from .job import Action, CancelTimer, Log, StartTimer, go_seconds
from .restart import INITIAL_BACKOFF, next_backoff

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .clock import Clock

__all__ = [
    "COOLDOWN_TIMER",
    "DEFAULT_COOL_DOWN",
    "DEFAULT_SPIN_UP",
    "AbortDials",
    "LazyMachine",
    "LazyState",
    "Refuse",
    "StartProcess",
    "StopProcess",
]

COOLDOWN_TIMER = "cooldown"
DEFAULT_SPIN_UP = 5.0  # seconds; ``lazy.spinUpTimeout``
DEFAULT_COOL_DOWN = 15 * 60.0  # seconds; ``lazy.coolDownTimeout``


class StartProcess(Action):
    """Spawn the job's process; report back with started() or start_failed()."""

    __slots__ = ()


class StopProcess(Action):
    """Stop the process (group SIGTERM, SIGKILL after the stop timeout); exited() follows."""

    __slots__ = ()


class AbortDials(Action):
    """The process ended on its own: fail every connection still dialling it, now."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class Refuse(Action):
    """Close the connection that asked for the process at once (start-up back-off)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class LazyState:
    IDLE = "idle"  # no process
    STARTING = "starting"  # StartProcess issued, waiting for started()/start_failed()
    RUNNING = "running"
    STOPPING = "stopping"  # StopProcess issued, waiting for exited()


class LazyMachine:
    """Activation and cool-down of one lazy job. One event at a time; no I/O."""

    def __init__(
        self,
        name: str,
        *,
        clock: Clock,
        cool_down: float = DEFAULT_COOL_DOWN,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.name = name
        self.clock = clock
        self.cool_down = cool_down
        self.stop_signal = stop_signal
        self.state = LazyState.IDLE
        self.active = 0
        """Connections accepted and not yet closed."""
        self.last_closed: float | None = None
        """When the active count last dropped to zero (monotonic), None if never."""
        self.timer_armed = False
        self.start_after_stop = False
        """A connection arrived while stopping: start again once the old process is gone."""
        self.cooling_down = False
        """The stop under way is a cool-down (its exit is logged like a crash, as the original)."""
        self.stop_after_start = False
        """Cool-down or shutdown came while starting: stop as soon as it exists."""
        self.shutting_down = False
        self.starts = 0
        """Processes started so far (diagnostics, tests)."""
        self.started_at: float | None = None
        """When the current (or last) process was started (monotonic)."""
        self.backoff = INITIAL_BACKOFF
        """The hold-off after the next quick failure."""
        self.failures = 0
        """Quick failures in a row (start errors, exits within the back-off time)."""
        self.hold_until: float | None = None
        """No new start on a connection before this time (monotonic)."""
        self.reached = False
        """A connection reached the current process (it serves: its exit is no failure)."""

    @property
    def running(self) -> bool:
        """Whether a process exists (the API's and the runner's ``running``)."""
        return self.state in (LazyState.RUNNING, LazyState.STOPPING)

    @property
    def holding_off(self) -> bool:
        """Whether connections are refused now because of failed starts."""
        return self.hold_until is not None and self.clock.monotonic() < self.hold_until

    # -- events ------------------------------------------------------------------------------
    def boot(self) -> list[Action]:
        """The job is started by the runner: listeners open, the process waits."""
        return [Log("info", f"holding off starting job {self.name} until first request")]

    def connection_opened(self) -> list[Action]:
        self.active += 1
        return self._disarm()

    def connection_closed(self) -> list[Action]:
        if self.active > 0:
            self.active -= 1
        if self.active:
            return []
        self.last_closed = self.clock.monotonic()
        if self.state == LazyState.RUNNING and not self.shutting_down:
            return self._arm(self.cool_down)
        return []

    def process_needed(self) -> list[Action]:
        """A connection is about to dial the upstream; start the process if none exists.

        The adapter waits for ``started()`` while the state is STARTING or STOPPING.
        """
        if self.shutting_down:
            return []
        if self.state == LazyState.RUNNING:
            return [Log("debug", "process already running")]
        if self.state == LazyState.IDLE:
            if self.holding_off:
                assert self.hold_until is not None
                wait = go_seconds(math.ceil(self.hold_until - self.clock.monotonic()))
                reason = f"job {self.name} failed right after its start; next start in {wait}"
                return [Log("debug", "connection refused during back-off"), Refuse(reason)]
            return self._start()
        if self.state == LazyState.STOPPING:
            self.start_after_stop = True
        return []  # STARTING: wait for the start already under way

    def started(self) -> list[Action]:
        """The process exists now (it may not accept connections yet)."""
        if self.state != LazyState.STARTING:
            return []
        self.state = LazyState.RUNNING
        self.started_at = self.clock.monotonic()
        self.reached = False
        if self.stop_after_start or self.shutting_down:
            self.stop_after_start = False
            return self._stop()
        if self.active == 0:
            # Every client gave up during the start: idle time counts from the last close.
            idle = self.clock.monotonic() - (self.last_closed or self.clock.monotonic())
            return self._arm(max(self.cool_down - idle, 0.0))
        return []

    def start_failed(self, error: str) -> list[Action]:
        """The process could not be spawned; waiting connections fail, the next one retries."""
        if self.state != LazyState.STARTING:
            return []
        self.state = LazyState.IDLE
        self.stop_after_start = False
        actions: list[Action] = [
            Log(
                "error",
                "process terminated with error",
                {"error": f"failed to start job {self.name}: {error}"},
            )
        ]
        if not self.shutting_down:
            actions.extend(self._quick_failure())
        return actions

    def exited(self, success: bool, description: str) -> list[Action]:
        """The process is gone, for any reason (crash, clean exit, our stop).

        Also accepted while STARTING (a process that died before its start was
        reported); the late ``started()`` is then ignored.
        """
        if self.state == LazyState.IDLE:
            return []
        stopped_by_us = self.state == LazyState.STOPPING
        cooled_down, self.cooling_down = self.cooling_down, False
        self.state = LazyState.IDLE
        self.stop_after_start = False
        actions = self._disarm()
        if not success and not self.shutting_down and (cooled_down or not stopped_by_us):
            # a cool-down stop too: the original logs its SIGTERM exit like a crash
            actions.append(Log("error", "job exited with error", {"error": description}))
            actions.append(Log("error", "process terminated with error", {"error": description}))
        actions.append(Log("info", "process terminated"))
        if not stopped_by_us and not self.shutting_down:
            actions.append(AbortDials(f"job {self.name} terminated: {description}"))
            now = self.clock.monotonic()
            ran_for = now - (self.started_at if self.started_at is not None else now)
            if self.reached or ran_for > self.backoff:
                self._reset_backoff()  # it served, or ran for a while: a new streak
            else:
                actions.extend(self._quick_failure())
        if self.start_after_stop and not self.shutting_down:
            self.start_after_stop = False
            actions.extend(self._start())
        self.start_after_stop = False
        return actions

    def upstream_reached(self) -> list[Action]:
        """A connection was forwarded to the running process: it works."""
        if self.state == LazyState.RUNNING:
            self.reached = True
        return []

    def timer_fired(self, name: str) -> list[Action]:
        if name != COOLDOWN_TIMER or not self.timer_armed:
            return []
        self.timer_armed = False
        if self.active or self.shutting_down:
            return []
        if self.state == LazyState.RUNNING:
            self.cooling_down = True
            return self._stop()
        return []

    def activate(self) -> list[Action]:
        """Start the process now (API start); it cools down like after a connection.

        An explicit start is never held off by the back-off.
        """
        if self.shutting_down:
            return []
        self.hold_until = None
        if self.state == LazyState.IDLE:
            return self._start()
        if self.state == LazyState.STOPPING:
            self.start_after_stop = True
        self.stop_after_start = False
        return []

    def deactivate(self) -> list[Action]:
        """Stop the process now (API stop); the next connection starts it again."""
        self.start_after_stop = False
        if self.state == LazyState.RUNNING:
            return self._stop()
        if self.state == LazyState.STARTING:
            self.stop_after_start = True
        return []

    def restart(self) -> list[Action]:
        """Stop the process and start a new one (API restart); starts it if none runs."""
        if self.state == LazyState.RUNNING and not self.shutting_down:
            actions = self._stop()
            self.start_after_stop = True
            return actions
        return self.activate()

    def shutdown(self) -> list[Action]:
        """mittnite stops: stop the process if there is one; never start another."""
        self.shutting_down = True
        self.start_after_stop = False
        actions = self._disarm()
        if self.state == LazyState.RUNNING:
            actions.extend(self._stop())
        elif self.state == LazyState.STARTING:
            self.stop_after_start = True
        return actions

    # -- helpers --------------------------------------------------------------------------------
    def _quick_failure(self) -> list[Action]:
        """The process failed to start or ended right away: hold off new starts."""
        self.failures += 1
        delay = self.backoff
        self.hold_until = self.clock.monotonic() + delay
        self.backoff = next_backoff(delay)
        return [
            Log(
                "warning",
                "lazy job failed right after its start; holding off new starts",
                {"job.nextRestartIn": go_seconds(delay), "job.usedAttempts": self.failures},
            )
        ]

    def _reset_backoff(self) -> None:
        self.backoff = INITIAL_BACKOFF
        self.failures = 0
        self.hold_until = None

    def _start(self) -> list[Action]:
        self.state = LazyState.STARTING
        self.starts += 1
        return [Log("info", "starting job"), StartProcess()]

    def _stop(self) -> list[Action]:
        self.state = LazyState.STOPPING
        actions = self._disarm()
        actions.append(Log("info", f"sending signal {self.stop_signal} to process group"))
        actions.append(StopProcess())
        return actions

    def _arm(self, delay: float) -> list[Action]:
        self.timer_armed = True
        return [StartTimer(COOLDOWN_TIMER, delay)]

    def _disarm(self) -> list[Action]:
        if not self.timer_armed:
            return []
        self.timer_armed = False
        return [CancelTimer(COOLDOWN_TIMER)]

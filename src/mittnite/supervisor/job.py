"""One supervised job: carries out what its :class:`~mittnite.core.job.JobMachine` decides.

This adapter owns the job's process (spawned through :mod:`mittnite.runtime`),
its output plumbing (:mod:`.output`), its timers (``loop.call_later``), its
in-memory log ring and, when configured, its readiness and liveness checks
(:mod:`.health`). It feeds the machine events and executes the actions;
all decisions live in the machine. What happens to the process is reported to
the run's :class:`JobEvents` (the job set: ordering) and counted here (restarts, the
last exit code), for the metrics, which read the counts when scraped.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

from ..core.job import (
    CancelTimer,
    Finished,
    JobMachine,
    Log,
    SignalGroup,
    Spawn,
    StartTimer,
)
from ..logs.ring import LogRing
from ..runtime.spawn import SpawnError, spawn
from ..runtime.timers import NamedTimers
from .output import output_error, prepare_output

__all__ = [
    "DRAIN_TIMEOUT",
    "ProcessRun",
    "SupervisedJob",
    "drain_readers",
    "prepare_output",
    "run_watch_command",
    "start_file_watcher",
    "stop_signal_number",
    "stop_timeout_seconds",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Protocol

    from ..config.model import Duration, JobConfig, Signal, Watch, WatchCommand
    from ..core.job import Action
    from ..logs.logger import BoundLogger
    from ..runtime.activation import ActivatedSockets
    from ..runtime.exitstatus import ExitStatus
    from ..runtime.pipes import OutputReader
    from ..runtime.spawn import Child
    from .context import RunContext
    from .health import JobHealth
    from .lazy import JobListeners
    from .watch import Change, FileWatcher

    class JobEvents(Protocol):
        """What the run is told about a job's process (:class:`.jobs.JobSet`)."""

        def job_spawned(self, job: SupervisedJob, child: Child) -> None: ...

        def job_exited(self, job: SupervisedJob, status: ExitStatus) -> None: ...

        def job_ready(self, job: SupervisedJob, ready: bool, message: str) -> None: ...

        def job_start_requested(self, job: SupervisedJob) -> None: ...

# How long to keep reading a finished job's pipes for output still in flight
# (a grandchild may keep them open; the process group is signalled meanwhile).
DRAIN_TIMEOUT = 2.0
LISTEN_RETRY_FIRST = 1.0  # a forwarding listen block that cannot be opened is tried again
LISTEN_RETRY_LONGEST = 30.0


def stop_signal_number(signal_: Signal | None) -> int:
    """The configured ``stopSignal`` (parsed at load time), SIGTERM by default."""
    return int(signal.SIGTERM) if signal_ is None else signal_.number


def stop_timeout_seconds(timeout: Duration | None, default: float) -> float:
    """The configured ``stopTimeout`` (parsed at load time), ``--stop-timeout`` by default."""
    return default if timeout is None else timeout.seconds


class ProcessRun:
    """One run of a job's process: the child and the readers of its output."""

    def __init__(self, child: Child, readers: list[OutputReader]) -> None:
        self.child = child
        self.readers = readers

    async def drain(self) -> None:
        """Wait until the output of this run is read to its end (:func:`drain_readers`)."""
        await drain_readers(self.readers)


async def drain_readers(readers: list[OutputReader], timeout: float = DRAIN_TIMEOUT) -> None:
    """Wait for ``readers`` to reach EOF, then let go of them.

    A reader still active after ``timeout`` reads for a grandchild that keeps the
    pipe open: it is closed. A reader paused because its destination is blocked is
    left to finish on its own once the destination takes data again, so the run's
    last lines are not lost; the run is over either way.
    """
    waiting = [reader.closed for reader in readers if not reader.closed.done()]
    if waiting:
        await asyncio.wait(waiting, timeout=timeout)
    for reader in readers:
        if not reader.paused:
            reader.close()


async def run_watch_command(
    command: WatchCommand, context: RunContext, stop_timeout: float
) -> str | None:
    """Run a pre/post watch command to completion; its error text or None.

    mittnite's environment plus the command's ``env``, PATH lookup, output to
    mittnite's stdout/stderr, stdin from /dev/null; stopped if the watcher is.
    """
    try:
        child = spawn(
            [command.command, *(command.args or ())],
            env=context.environment(command.env),
            stdin=subprocess.DEVNULL,
            stdout=context.stdout_fd,
            stderr=context.stderr_fd,
            reaper=context.reaper,
        )
    except SpawnError as exc:
        return str(exc)
    try:
        status = await asyncio.shield(child.exited)
    except asyncio.CancelledError:
        await child.terminate(stop_timeout)
        raise
    return None if status.success else status.describe()


def start_file_watcher(
    name: str,
    watches: tuple[Watch, ...],
    context: RunContext,
    on_trigger: Callable[[Watch, list[Change]], Awaitable[None]],
    stop_timeout: float,
    log: BoundLogger,
) -> FileWatcher:
    """Watch a job's files; one inotify descriptor is shared by all jobs."""
    from .watch import FileWatcher

    async def run_command(command: WatchCommand) -> str | None:
        return await run_watch_command(command, context, stop_timeout)

    watcher = FileWatcher(
        name,
        watches,
        on_trigger=on_trigger,
        run_command=run_command,
        logger=log,
        hub=context.watch_hub(),
    )
    watcher.start()
    return watcher


class SupervisedJob:
    """A ``job`` block at run time (not lazy)."""

    lazy = False

    def __init__(
        self,
        config: JobConfig,
        context: RunContext,
        on_finished: Callable[[SupervisedJob, Finished], None],
        events: JobEvents | None = None,
    ) -> None:
        self.config = config
        self.name = config.name
        self.context = context
        self.log = context.logger.with_fields(**{"job.name": config.name})
        self.ring = LogRing(context.log_buffer_bytes)
        self.machine = JobMachine(
            config.name,
            clock=context.clock,
            max_attempts=config.effective_max_attempts,
            can_fail=config.can_fail,
            one_time=config.one_time,
            stop_signal=stop_signal_number(config.stop_signal),
            stop_timeout=stop_timeout_seconds(config.stop_timeout, context.stop_timeout),
            keep_running=context.keep_running,
        )
        self._on_finished = on_finished
        self._timers: NamedTimers[str] = NamedTimers(
            lambda name: self._apply(self.machine.timer_fired(name))
        )
        self._run: ProcessRun | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.outcome: str | None = None
        self._watcher: FileWatcher | None = None
        self._listeners: JobListeners | None = None
        self._listen_retry: asyncio.Task[None] | None = None
        self._events = events
        self.liveness_restart = False
        """The coming respawn follows a liveness failure."""
        self.restarts = 0
        """Processes started after an earlier one of this job ran (``runs`` minus one)."""
        self.liveness_restarts = 0
        """Of those, the ones that followed a liveness failure."""
        self.last_exit_code: int | None = None
        """``ExitStatus.returncode`` of the last process (minus the signal if killed)."""
        self.health: JobHealth | None = None
        if config.readiness is not None or config.liveness is not None:
            from .health import JobHealth

            self.health = JobHealth(
                config,
                context,
                self.log,
                on_ready=self._ready_verdict,
                on_unhealthy=self.unhealthy,
            )
        self._activated: ActivatedSockets | None = None

    # -- listen blocks without lazy ---------------------------------------------------------
    def open_listeners(self, *, announce: bool = True) -> None:
        """Open the ``listen`` blocks, before the first start.

        Forwarded blocks forward to the (already running) upstream: the README documents
        ``listen`` for every job; the original ignores it unless the job is lazy.
        Activated blocks (``activate = true``) are handed to every process of the job
        (:meth:`_spawn`); they stay open across restarts, so connections arriving
        meanwhile wait in the accept queue instead of being refused.
        """
        if not self.config.listeners or self._listeners is not None:
            return
        from .lazy import JobListeners, listener_specs

        listeners = JobListeners(
            self.name, listener_specs(self.config.listeners, self.name), logger=self.log
        )
        listeners.open(announce=announce)  # on failure nothing stays open; a retry starts afresh
        self._listeners = listeners
        self._activated = listeners.activated

    @property
    def needs_its_sockets(self) -> bool:
        """Whether the job cannot run without its ``listen`` blocks: it is handed the
        sockets themselves (``activate``). Forwarding blocks only add a way in."""
        return any(listener.activate for listener in self.config.listeners or ())

    def listen_later(
        self,
        error: Exception,
        first_delay: float = LISTEN_RETRY_FIRST,
        longest_delay: float = LISTEN_RETRY_LONGEST,
    ) -> None:
        """A forwarding ``listen`` block could not be opened: the job runs without it.

        The original ignores ``listen`` blocks of jobs that are not lazy, so a port that
        is taken (by the job itself, or by a neighbour) must not stop the container.
        The error is logged, and opening is retried in the background (after 1 s, 2 s,
        4 s, ... every 30 s at most) until it works or the job is stopped.
        """
        from ..runtime.listen import ListenError

        self.log.error("listener stopped with error", error=str(error))
        self.log.warning("the job runs without its listen blocks; mittnite keeps trying to listen")

        async def retry() -> None:
            delay = first_delay
            while True:
                await asyncio.sleep(delay)
                try:
                    self.open_listeners(announce=False)
                except (ListenError, OSError) as again:
                    self.log.debug("listener still cannot listen", error=str(again))
                    delay = min(delay * 2, longest_delay)
                    continue
                for spec in self._listeners.specs if self._listeners is not None else ():
                    self.log.info("starting TCP listener", address=spec.label)
                return

        self._listen_retry = asyncio.get_running_loop().create_task(retry())

    @property
    def listeners(self) -> JobListeners | None:
        """The open ``listen`` blocks (``None`` before they are opened and after)."""
        return self._listeners

    async def close_listeners(self) -> None:
        """Close the forwarders; activated sockets stay until :meth:`shutdown` (a
        restart may still be due, and needs them)."""
        retry, self._listen_retry = self._listen_retry, None
        if retry is not None and not retry.done():
            retry.cancel()
            await asyncio.gather(retry, return_exceptions=True)
        if self._listeners is not None:
            await self._listeners.close_forwarders()

    def _close_activated(self) -> None:
        """No process of this job will start again: release the activated sockets (a
        running process keeps its own copies until it stops)."""
        activated, self._activated = self._activated, None
        if activated is not None:
            activated.close()

    # -- watches ----------------------------------------------------------------------------
    def start_watching(self) -> None:
        """Begin watching the job's files (after rendering, so startup never triggers)."""
        if not self.config.watches or self._watcher is not None:
            return
        self._watcher = start_file_watcher(
            self.name,
            self.config.watches,
            self.context,
            self._watch_fired,
            self.machine.stop_timeout,
            self.log,
        )

    async def stop_watching(self) -> None:
        if self._watcher is not None:
            watcher, self._watcher = self._watcher, None
            await watcher.stop()

    async def _watch_fired(self, watch: Watch, changes: list[Change]) -> None:
        self.watch_triggered(watch.signal, watch.restart)

    # -- requests (API, runner, watches) ------------------------------------------------
    def start(self) -> None:
        """A start request (API): the run starts the job once what it runs after is ready."""
        if self._events is not None and not self.machine.supervising:
            self._events.job_start_requested(self)
            return
        self.start_now()

    def start_now(self) -> None:
        """Start supervising now (the run decided the job may start)."""
        self.outcome = None
        self._apply(self.machine.start())

    def stop(self) -> None:
        self._apply(self.machine.stop())

    def restart(self) -> None:
        if not self.machine.supervising:
            self.start()  # nothing runs: a restart is a start, and waits like one
            return
        self.outcome = None
        self._apply(self.machine.restart())

    def fail(self, message: str) -> None:
        """The job will not start: a job it runs after failed (``message`` says which)."""
        self._apply(self.machine.fail(message))

    def unhealthy(self, message: str) -> None:
        """The liveness check failed: stop the process; it is started again as after a crash."""
        actions = self.machine.unhealthy(message)
        if actions:
            self.liveness_restart = True
        self._apply(actions)

    def shutdown(self) -> None:
        self._apply(self.machine.shutdown())
        self._close_activated()

    def watch_triggered(self, signum: int, restart: bool) -> None:
        self._apply(self.machine.watch_triggered(signum, restart))

    def forward_signal(self, signum: int) -> None:
        """Pass a signal mittnite received on to this job's process group."""
        if self._run is not None and self.machine.running:
            self._run.child.signal_group(signum)

    # -- status for the API ------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self.machine.pid if self.machine.running else None

    @property
    def running(self) -> bool:
        return self.machine.running

    @property
    def ready(self) -> bool:
        """Running and ready: readiness passed (without a readiness block: running)."""
        if not self.machine.running:
            return False
        if self.health is None or self.health.readiness is None:
            return True
        return self.health.ready is True

    async def wait_idle(self) -> None:
        """Wait until no process of this job runs and its output is drained."""
        while self._tasks:
            await asyncio.gather(*tuple(self._tasks), return_exceptions=True)

    # -- carrying out actions ------------------------------------------------------------------
    def _apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Spawn):
                self._spawn()
            elif isinstance(action, SignalGroup):
                if self._run is not None:
                    self._run.child.signal_group(action.signum)
            elif isinstance(action, StartTimer):
                self._timers.start(action.name, action.delay)
            elif isinstance(action, CancelTimer):
                self._timers.cancel(action.name)
            elif isinstance(action, Log):
                self.log.log(action.level, action.msg, action.fields)
            elif isinstance(action, Finished):
                self.outcome = action.outcome
                self._on_finished(self, action)

    def _spawn(self) -> None:
        config = self.config
        try:
            plan = prepare_output(config, self.context, self.ring)
        except OSError as exc:
            self._apply(self.machine.spawn_failed(output_error(exc)))
            return
        handoff = None
        if self._listeners is not None and self._listeners.activated is not None:
            if self._activated is None:  # closed at shutdown: no process may start now
                plan.close_all()
                self._apply(self.machine.spawn_failed("its listening sockets are closed"))
                return
            handoff = self._activated.handoff()
        try:
            child = spawn(
                [config.command, *(config.args or ())],
                env=self.context.environment(self._environment_entries()),
                cwd=config.working_directory or None,
                stdin=subprocess.DEVNULL,
                stdout=plan.child_fds["stdout"],
                stderr=plan.child_fds["stderr"],
                reaper=self.context.reaper,
                label=config.name,
                handoff=handoff,
            )
        except SpawnError as exc:
            plan.close_all()
            self._apply(self.machine.spawn_failed(str(exc)))
            return
        for fd in plan.pipe_write_ends:
            os.close(fd)  # the child holds them now; EOF reaches us when it is done
        readers = plan.start_readers()
        run = ProcessRun(child, readers)
        self._run = run
        self._process_started(child)
        task = asyncio.get_running_loop().create_task(self._watch_exit(run))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch_exit(self, run: ProcessRun) -> None:
        status = await run.child.exited
        self._process_ended(status)
        await run.drain()
        if self._run is run:
            self._run = None

    # -- the process's life, reported to the machine, the checks and the run ----------------------
    def _environment_entries(self) -> tuple[str, ...] | None:
        """The job's ``env``, plus ``NOTIFY_SOCKET``/``WATCHDOG_USEC`` when it has notify."""
        extra = self.health.environment() if self.health is not None else ()
        if not extra:
            return self.config.env
        return (*(self.config.env or ()), *extra)

    def _process_started(self, child: Child) -> None:
        actions = self.machine.spawned(child.pid)
        if self.machine.runs > 1:
            self.restarts += 1
            self.liveness_restarts += self.liveness_restart
        if self.health is not None:
            self.health.spawned(child.pid, child.pgid)
        if self._events is not None:
            self._events.job_spawned(self, child)
        self.liveness_restart = False
        self._apply(actions)

    def _process_ended(self, status: ExitStatus) -> None:
        self.last_exit_code = status.returncode
        if self.health is not None:
            self.health.exited()
        if self._events is not None:
            self._events.job_exited(self, status)
        self._apply(self.machine.exited(status.success, status.describe()))

    def _ready_verdict(self, ready: bool, message: str) -> None:
        if self._events is not None:
            self._events.job_ready(self, ready, message)


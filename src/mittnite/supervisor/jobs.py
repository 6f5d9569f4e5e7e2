"""All jobs of a run: starting them in order, knowing when the run is over, shutting down.

When does ``mittnite up`` end (the original's rules, with its bugs fixed)?

* every job has ended on its own — one-time jobs completed, jobs that may fail
  gave up — and ``--keep-running`` is not set and there are no lazy jobs:
  exit 0;
* a job that may not fail gave up: everything is stopped, exit 1 (the
  original exits 0 and leaves the other jobs running);
* SIGTERM/SIGINT: everything is stopped gracefully, exit 0.

A job stopped through the API does not count as "ended": it may be started
again, so mittnite keeps running (the original exits when the last job is
stopped through the API).

Order (ours, ``after = [...]``): one :class:`~mittnite.core.deps.DependencyMachine`
decides when each job may start, and in which order jobs stop at shutdown
(dependents first). This module only carries out its actions and feeds it what
happens: a process was spawned (``started``), a readiness verdict (``ready`` /
``not_ready``), an exit, a one-time job that completed, a job that gave up or was
stopped. A job without ``after`` and without anybody waiting for it starts at once
and stops with everything else, as before. Every transition is an event; nothing
here polls.

Metrics: the jobs, checks, probes and listeners count what happens to them as it
happens; ``/metrics`` reads those counts when scraped (:mod:`.observe`), so a run
nobody scrapes never loads the metrics code.
"""

from __future__ import annotations

import asyncio
from collections import deque

from ..core.deps import DependencyMachine, Fail, NodeKind, NodeState, Start, Stop
from ..core.job import CancelTimer, Finished, Log, Phase, StartTimer
from ..runtime.timers import NamedTimers
from .job import SupervisedJob, stop_timeout_seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..config.model import Ignition, Watch
    from ..core.job import Action
    from ..probes import Probe
    from ..runtime.exitstatus import ExitStatus
    from ..runtime.spawn import Child
    from .context import RunContext
    from .lazy import LazyJob
    from .watch import Change, FileWatcher

EXIT_OK = 0
EXIT_FAILURE = 1


class JobSet:
    """The run's jobs, in configuration order (first definition of a name wins)."""

    def __init__(self, ignition: Ignition, context: RunContext) -> None:
        from ..config.validate import dependency_nodes

        self.context = context
        self.jobs: list[SupervisedJob] = []
        self.lazy_jobs: list[LazyJob] = []
        for config in ignition.unique_jobs:
            if config.is_lazy:
                from .lazy_process import make_lazy_job

                self.lazy_jobs.append(make_lazy_job(config, context))
            else:
                self.jobs.append(SupervisedJob(config, context, self._finished, self))
        self.order = [config.name for config in ignition.unique_jobs]
        self._by_name: dict[str, SupervisedJob | LazyJob] = {job.name: job for job in self.jobs}
        self._by_name.update((lazy.name, lazy) for lazy in self.lazy_jobs)
        self._lazy_watchers: list[FileWatcher] = []
        self.started = False
        self.exit_status: int | None = None
        self._done = asyncio.Event()
        self.fatal_error: str | None = None
        # ordering
        self.deps = DependencyMachine(dependency_nodes(ignition), clock=context.clock)
        self.dependencies = {name for job in ignition.unique_jobs for name in job.after}
        """Names somebody runs after (their status shows readiness)."""
        self._timers: NamedTimers[str] = NamedTimers(
            lambda name: self._apply(self.deps.timer_fired(name))
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._starting_up = False
        self._startup_error: Exception | None = None
        self._lazy_starts: set[asyncio.Task[None]] = set()
        self._shutting_down = False
        self._stopped_all = asyncio.Event()
        self._shut_lazy: set[str] = set()
        self.ready: dict[str, bool] = {}
        """Whether each job is ready (running and passing its check; a lazy job: listening)."""
        self.ready_since: dict[str, float] = {}
        """When each job last became ready or not ready (wall clock), for the API."""
        self._last_error_logged: str | None = None
        """The dependency machine's last error line: its ``Fail`` follows at once and may
        end the run with that very text, which is then not said twice."""
        self._queue: deque[Action] = deque()
        self._applying = False
        self.ignition = ignition
        self.probes: dict[str, Probe] = {}
        """The run's probes (set by the probe server), for the metrics."""
        from .observe import Observer

        self.observer = Observer(self)

    # -- registry (API) -----------------------------------------------------------------------
    def all(self) -> list[SupervisedJob | LazyJob]:
        """Every job in configuration order, lazy ones included."""
        return [self._by_name[name] for name in self.order]

    def find(self, name: str) -> SupervisedJob | LazyJob | None:
        return self._by_name.get(name)

    # -- lifecycle --------------------------------------------------------------------------
    def boot_finished(self, failures: dict[str, str]) -> None:
        """Boot jobs are done: those in ``failures`` (allowed to fail) failed, with why."""
        for name in self.deps.names:
            if self.deps.node(name).kind == NodeKind.BOOT:
                if name in failures:
                    self._apply(self.deps.failed(name, failures[name]))
                else:
                    self._apply(self.deps.completed(name))

    async def start(self) -> None:
        """Start every job whose dependencies allow it; the others when they do.

        Lazy jobs open their listeners first (as before ``after`` existed). Raises
        ``ListenError`` when a listener of a job started now cannot be opened (the run
        fails); a job started later with such a listener ends the run the same way.
        """
        self.started = True
        for job in self.jobs:
            if job.health is not None:
                job.health.open()
        actions = self.deps.begin()
        lazy_first: list[Action] = [
            a for a in actions if isinstance(a, Start) and self._is_lazy(a.name)
        ]
        self._starting_up = True
        try:
            self._apply(lazy_first)
            await self._settled()
            self._apply([a for a in actions if a not in lazy_first])
            await self._settled()
        finally:
            self._starting_up = False
        self._check_all_ended()

    async def _settled(self) -> None:
        """Wait for the lazy starts under way; raise the first listener error of start-up."""
        while self._lazy_starts:
            await asyncio.gather(*tuple(self._lazy_starts), return_exceptions=True)
        if self._startup_error is not None:
            raise self._startup_error

    def _is_lazy(self, name: str) -> bool:
        job = self._by_name.get(name)
        return job is not None and job.lazy

    def _start(self, name: str) -> None:
        """The dependency machine lets ``name`` start now."""
        from ..runtime.listen import ListenError

        job = self._by_name.get(name)
        if job is None:
            return
        if job.lazy:
            task = asyncio.get_running_loop().create_task(self._start_lazy(job))  # type: ignore[arg-type]
            self._lazy_starts.add(task)
            task.add_done_callback(self._lazy_starts.discard)
            return
        try:
            job.open_listeners()  # type: ignore[union-attr]
        except ListenError as exc:
            if job.needs_its_sockets:  # type: ignore[union-attr]
                self._listen_failed(exc)
                return
            job.listen_later(exc)  # type: ignore[union-attr]
        job.start_watching()  # type: ignore[union-attr]
        job.start_now()  # type: ignore[union-attr]

    async def _start_lazy(self, lazy: LazyJob) -> None:
        from ..runtime.listen import ListenError

        try:
            await lazy.start()
        except ListenError as exc:
            self._listen_failed(exc)
            return
        self._watch_lazy(lazy)
        self._mark_ready(lazy.name, True)
        self._apply(self.deps.started(lazy.name))

    def _listen_failed(self, error: Exception) -> None:
        """A job's listener cannot be opened: the run fails (start-up reports it itself)."""
        if self._starting_up:
            if self._startup_error is None:
                self._startup_error = error
            return
        self._end_with_error(f"listener stopped with error: {error}")

    def _watch_lazy(self, lazy: LazyJob) -> None:
        """Watches of a lazy job signal (or restart) its process while one runs."""
        if lazy.config is None or not lazy.config.watches:
            return
        from .job import start_file_watcher

        async def fired(watch: Watch, changes: list[Change]) -> None:
            if not lazy.running:
                log.warning(
                    f"failed to send signal {watch.signal} to job {lazy.name}: job is not running"
                )
            elif watch.restart:
                lazy.restart_process()
            else:
                lazy.forward_signal(watch.signal)

        log = self.context.logger.with_fields(**{"job.name": lazy.name})
        timeout = stop_timeout_seconds(lazy.config.stop_timeout, self.context.stop_timeout)
        watcher = start_file_watcher(
            lazy.name, lazy.config.watches, self.context, fired, timeout, log
        )
        self._lazy_watchers.append(watcher)

    # -- what the jobs report (JobEvents) ------------------------------------------------------
    def job_start_requested(self, job: SupervisedJob) -> None:
        """API start of a job that is not running: it waits for its dependencies."""
        if not self.started:
            return
        self._apply(self.deps.request_start(job.name))

    def job_spawned(self, job: SupervisedJob, child: Child) -> None:
        without_check = job.health is None or job.health.readiness is None
        if without_check:
            self._mark_ready(job.name, True)
        self._apply(self.deps.started(job.name))

    def job_exited(self, job: SupervisedJob, status: ExitStatus) -> None:
        self._mark_ready(job.name, False)
        self._apply(self.deps.not_ready(job.name, status.describe()))

    def job_ready(self, job: SupervisedJob, ready: bool, message: str) -> None:
        """A readiness verdict: the job is ready now, or no longer (``message``: why)."""
        self._mark_ready(job.name, ready)
        if ready:
            job.log.info("job is ready")
            self._apply(self.deps.ready(job.name))
        else:
            self._apply(self.deps.not_ready(job.name, message))

    def _mark_ready(self, name: str, ready: bool) -> None:
        if ready != self.ready.get(name, False):
            self.ready_since[name] = self.context.clock.wall()
        self.ready[name] = ready

    def _finished(self, job: SupervisedJob, event: Finished) -> None:
        name = job.name
        if event.outcome == "completed":
            self._apply(self.deps.completed(name))
        elif event.outcome == "failed":
            if self.deps.state(name) != NodeState.FAILED:
                self._apply(self.deps.failed(name, job.machine.last_error))
        else:
            self._apply(self.deps.stopped(name))
        if event.error is not None and self.fatal_error is None and not job.machine.shutting_down:
            self._end_with_error(event.error)
            return
        self._check_all_ended()

    def _end_with_error(self, error: str) -> None:
        if self.fatal_error is not None or self._shutting_down:
            return
        self.fatal_error = error
        if error != self._last_error_logged:
            self.context.logger.error(error)
        self.exit_status = EXIT_FAILURE
        self._done.set()

    def _check_all_ended(self) -> None:
        if not self.started or self.context.keep_running or self.lazy_jobs:
            return
        for job in self.jobs:
            if job.machine.supervising or job.machine.phase == Phase.STOPPED:
                return
            if self.deps.is_waiting(job.name) or self.deps.state(job.name) == NodeState.STARTING:
                return
        if self.exit_status is None:
            self.exit_status = EXIT_OK
        self._done.set()

    # -- carrying out the dependency machine's actions -------------------------------------------
    def _apply(self, actions: list[Action]) -> None:
        """Carry out actions in order; those caused meanwhile wait for their turn.

        Starting a job can report back at once (spawned → ``started`` → a dependent's
        ``Start``): queueing keeps every batch in the machine's order.
        """
        self._queue.extend(actions)
        if self._applying:
            return
        self._applying = True
        try:
            while self._queue:
                self._carry_out(self._queue.popleft())
        finally:
            self._applying = False
            self._queue.clear()
        if self._shutting_down and not self._active():
            self._stopped_all.set()

    def _carry_out(self, action: Action) -> None:
        if isinstance(action, Start):
            self._start(action.name)
        elif isinstance(action, Stop):
            self._stop(action.name)
        elif isinstance(action, Fail):
            self._fail(action.name, action.message)
        elif isinstance(action, StartTimer):
            self._timers.start(action.name, action.delay)
        elif isinstance(action, CancelTimer):
            self._timers.cancel(action.name)
        elif isinstance(action, Log):
            self.context.logger.log(action.level, action.msg, action.fields)
            if action.level == "error":
                self._last_error_logged = action.msg

    def _fatal_fail(self, name: str) -> bool:
        job = self._by_name.get(name)
        return job is not None and job.config is not None and not job.config.can_fail

    def _fail(self, name: str, message: str) -> None:
        job = self._by_name[name]
        if job.lazy:
            job.phase = Phase.FAILED  # type: ignore[union-attr]
            if self._fatal_fail(name):
                self._end_with_error(message)
            return
        job.fail(message)  # type: ignore[union-attr]

    # -- the end -----------------------------------------------------------------------------------
    async def wait(self) -> int:
        """Wait until the run is over by the rules above; returns the exit status."""
        await self._done.wait()
        return self.exit_status if self.exit_status is not None else EXIT_OK

    def request_end(self, status: int) -> None:
        """End the run (signal received)."""
        if self.exit_status is None:
            self.exit_status = status
        self._done.set()

    def forward_signal(self, signum: int) -> None:
        for job in self.jobs:
            job.forward_signal(signum)
        for lazy in self.lazy_jobs:
            lazy.forward_signal(signum)

    def _active(self) -> bool:
        return any(self.deps.state(name) in NodeState.ACTIVE for name in self.deps.names)

    def _stop(self, name: str) -> None:
        """Shutdown: stop ``name`` now (everything that runs after it is gone)."""
        job = self._by_name.get(name)
        if job is None:  # a boot job: nothing runs any more
            self._apply(self.deps.stopped(name))
            return
        if job.lazy:
            self._spawn_task(self._stop_lazy(job))  # type: ignore[arg-type]
            return
        self._spawn_task(self._stop_job(job))  # type: ignore[arg-type]

    async def _stop_job(self, job: SupervisedJob) -> None:
        await job.close_listeners()
        job.shutdown()
        still_active = self.deps.state(job.name) in NodeState.ACTIVE
        if still_active and not job.machine.supervising:  # nothing runs: no Finished follows
            self._apply(self.deps.stopped(job.name))

    async def _stop_lazy(self, lazy: LazyJob) -> None:
        if lazy.name in self._shut_lazy:
            return
        self._shut_lazy.add(lazy.name)
        await lazy.shutdown()
        self._mark_ready(lazy.name, False)
        self._apply(self.deps.stopped(lazy.name))

    def _stop_everything(self) -> None:
        """The overall guard: whatever is still waiting for its turn is stopped now."""
        self.context.logger.warning(
            "stopping the remaining jobs at once: the ordered shutdown takes too long"
        )
        for job in self.jobs:
            if self.deps.state(job.name) in NodeState.ACTIVE:
                self._spawn_task(self._stop_job(job))
        for lazy in self.lazy_jobs:
            if lazy.name not in self._shut_lazy:
                self._spawn_task(self._stop_lazy(lazy))

    def _spawn_task(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.context.logger.error(f"error while stopping a job: {task.exception()}")

    def _guard_delay(self) -> float:
        """How long the ordered stop may take before everything left is stopped at once."""
        timeouts = [self.context.stop_timeout]
        for job in self.all():
            if job.config is not None and job.config.stop_timeout is not None:
                timeouts.append(job.config.stop_timeout.seconds)
        return max(timeouts)

    async def shutdown(self) -> None:
        """Stop every job gracefully, dependents first, then every other process below mittnite.

        A job gets its stop signal (in its process group) once every job that runs after it
        has stopped; jobs without such relations all get it at once. If the ordered stop
        has not finished within the longest stop timeout, everything still running gets its
        stop signal at once (each then SIGKILLed after its own stop timeout), so the whole
        shutdown stays bounded. Orphans that left their job's group (``setsid`` daemons
        re-parented to mittnite) get SIGTERM at the start. Processes whose parent still
        lives are left to that parent at first (a database stops its own workers in its own
        order); whatever is still below mittnite once the jobs are gone gets SIGTERM too,
        and SIGKILL after ``--stop-timeout``. Nothing is left running, whether mittnite is
        PID 1 or not.
        """
        from ..runtime.descendants import Sweep

        sweep = Sweep(on_signal=self._swept)
        managed = self.context.reaper.watched_pids
        sweep.terminate(
            info
            for info in sweep.living()
            if info.ppid == sweep.root and info.pid not in managed and info.pgid not in managed
        )
        for watcher in self._lazy_watchers:
            await watcher.stop()
        for job in self.jobs:
            await job.stop_watching()
        self._shutting_down = True
        self._apply(self.deps.shutdown())
        if self._active():
            guard = asyncio.get_running_loop().call_later(
                self._guard_delay(), self._stop_everything
            )
            try:
                await self._stopped_all.wait()
            finally:
                guard.cancel()
        # What the graph did not cover: jobs that never started, listeners never opened.
        for job in self.jobs:
            await job.close_listeners()
            job.shutdown()
        await asyncio.gather(
            *(self._stop_lazy(lazy) for lazy in self.lazy_jobs),
            *(job.wait_idle() for job in self.jobs),
        )
        while self._tasks:
            await asyncio.gather(*tuple(self._tasks), return_exceptions=True)
        self._timers.cancel_all()
        for job in self.jobs:
            if job.health is not None:
                await job.health.close()
        await sweep.finish(self.context.stop_timeout)
        self.context.close()

    def _swept(self, signum: int, pid: int) -> None:
        """Log a signal sent to a process outside every job's process group."""
        from ..runtime.descendants import read_process

        fields: dict[str, object] = {"pid": pid, "signal": signum}
        name = None
        info = read_process(pid)
        for _depth in range(64):  # the job of the nearest ancestor that still tells
            if info is None or name is not None:
                break
            name = self.context.reaper.label_of(info.pgid, info.sid)
            info = read_process(info.ppid)
        if name is not None:
            fields["job.name"] = name
        if signum == 9:
            self.context.logger.error("forcefully killed process that left its job", **fields)
        else:
            self.context.logger.info("stopping process that left its job", **fields)

    # -- what the API and the probe server show (see :mod:`.observe`) ----------------------------
    def readiness_gaps(self) -> list[str]:
        """Jobs that keep the run from being ready, with why (``/readyz``)."""
        return self.observer.readiness_gaps()

    def waiting_for(self, name: str) -> list[str]:
        """What ``name`` still waits for before it may start (``[]``: it does not wait)."""
        return self.deps.waiting_for(name) if self.deps.is_waiting(name) else []

    def status_extras(self, name: str) -> dict[str, Any]:
        """Our keys of a job's API status (only for jobs using ``after``, readiness, notify)."""
        return self.observer.status_extras(name)

    def render_metrics(self) -> bytes:
        """``/metrics``: the event-fed series plus what the runtime counts, read now."""
        return self.observer.render_metrics()

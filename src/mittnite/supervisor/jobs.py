"""All jobs of a run: starting them, knowing when the run is over, shutting down.

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
"""

from __future__ import annotations

import asyncio

from ..core.job import Finished, Phase
from .job import SupervisedJob

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.model import Ignition, Watch
    from .context import RunContext
    from .lazy import LazyJob
    from .watch import Change, FileWatcher

EXIT_OK = 0
EXIT_FAILURE = 1


class JobSet:
    """The run's jobs, in configuration order (first definition of a name wins)."""

    def __init__(self, ignition: Ignition, context: RunContext) -> None:
        self.context = context
        self.jobs: list[SupervisedJob] = []
        self.lazy_jobs: list[LazyJob] = []
        for config in ignition.unique_jobs:
            if config.is_lazy:
                from .lazy_process import make_lazy_job

                self.lazy_jobs.append(make_lazy_job(config, context))
            else:
                self.jobs.append(SupervisedJob(config, context, self._finished))
        self.order = [config.name for config in ignition.unique_jobs]
        self._lazy_watchers: list[FileWatcher] = []
        self.started = False
        self.exit_status: int | None = None
        self._done = asyncio.Event()
        self.fatal_error: str | None = None

    # -- registry (API) -----------------------------------------------------------------------
    def all(self) -> list[SupervisedJob | LazyJob]:
        """Every job in configuration order, lazy ones included."""
        ordered: list[SupervisedJob | LazyJob] = [*self.jobs, *self.lazy_jobs]
        position = {name: index for index, name in enumerate(self.order)}
        return sorted(ordered, key=lambda job: position[job.name])

    def find(self, name: str) -> SupervisedJob | LazyJob | None:
        for job in self.all():
            if job.name == name:
                return job
        return None

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        """Start every job; lazy jobs and ``listen`` blocks open their listeners.

        Raises ``ListenError`` when a listener cannot be opened (the run fails).
        """
        self.started = True
        for lazy in self.lazy_jobs:
            await lazy.start()
            self._watch_lazy(lazy)
        for job in self.jobs:
            job.open_listeners()
            job.start_watching()
            job.start()
        self._check_all_ended()

    def _watch_lazy(self, lazy: LazyJob) -> None:
        """Watches of a lazy job signal (or restart) its process while one runs."""
        if lazy.config is None or not lazy.config.watches:
            return
        from .job import start_file_watcher, stop_timeout_seconds

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

    def _finished(self, job: SupervisedJob, event: Finished) -> None:
        if event.error is not None and self.fatal_error is None and not job.machine.shutting_down:
            self.fatal_error = event.error
            self.context.logger.error(event.error)
            self.exit_status = EXIT_FAILURE
            self._done.set()
            return
        self._check_all_ended()

    def _check_all_ended(self) -> None:
        if not self.started or self.context.keep_running or self.lazy_jobs:
            return
        for job in self.jobs:
            if job.machine.supervising or job.machine.phase == Phase.STOPPED:
                return
        if self.exit_status is None:
            self.exit_status = EXIT_OK
        self._done.set()

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

    async def shutdown(self) -> None:
        """Stop every job gracefully, then every other process below mittnite.

        Jobs get their stop signal in their process group. Orphans that left their job's
        group (``setsid`` daemons re-parented to mittnite) get SIGTERM at the same moment.
        Processes whose parent still lives are left to that parent at first (a database
        stops its own workers in its own order); whatever is still below mittnite once
        the jobs are gone gets SIGTERM too, and SIGKILL after ``--stop-timeout``. Nothing
        is left running, whether mittnite is PID 1 or not.
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
            await job.close_listeners()
            job.shutdown()
        await asyncio.gather(
            *(lazy.shutdown() for lazy in self.lazy_jobs),
            *(job.wait_idle() for job in self.jobs),
        )
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

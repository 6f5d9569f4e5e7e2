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
    from collections.abc import Sequence

    from ..config.model import Ignition, JobConfig
    from .context import RunContext

EXIT_OK = 0
EXIT_FAILURE = 1


class JobSet:
    """The run's jobs, in configuration order (first definition of a name wins)."""

    def __init__(self, ignition: Ignition, context: RunContext) -> None:
        self.context = context
        self.jobs: list[SupervisedJob] = []
        self.lazy_jobs: list[object] = []
        for config in ignition.unique_jobs:
            if config.is_lazy:
                self.lazy_jobs.append(self._lazy(config))
            else:
                self.jobs.append(SupervisedJob(config, context, self._finished))
        self.started = False
        self.exit_status: int | None = None
        self._done = asyncio.Event()
        self.fatal_error: str | None = None

    def _lazy(self, config: JobConfig) -> object:
        from .lazy_glue import make_lazy_job

        return make_lazy_job(config, self.context)

    # -- registry (API) -----------------------------------------------------------------------
    def all(self) -> Sequence[object]:
        return [*self.jobs, *self.lazy_jobs]

    def find(self, name: str) -> object | None:
        for job in self.all():
            if getattr(job, "name", None) == name:
                return job
        return None

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        """Start every job (lazy jobs open their listeners)."""
        self.started = True
        for job in self.jobs:
            job.start_watching()
            job.start()
        for lazy in self.lazy_jobs:
            await lazy.start()  # type: ignore[attr-defined]
        self._check_all_ended()

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
            forward = getattr(lazy, "forward_signal", None)
            if forward is not None:
                forward(signum)

    async def shutdown(self) -> None:
        """Stop every job gracefully and wait until all are gone."""
        for job in self.jobs:
            await job.stop_watching()
            job.shutdown()
        for lazy in self.lazy_jobs:
            await lazy.shutdown()  # type: ignore[attr-defined]
        await asyncio.gather(*(job.wait_idle() for job in self.jobs))
        self.context.close()

"""The process of a lazy job: spawned, stopped and reaped for :class:`~.lazy.LazyJob`.

It implements the ``ProcessControl`` contract of :mod:`.lazy` with the same
plumbing as ordinary jobs (output, in-memory log ring, process group, stop
signal and timeout with SIGKILL escalation).
"""

from __future__ import annotations

import asyncio
import os
import subprocess

from ..logs.ring import LogRing
from ..runtime.spawn import SpawnError, spawn
from .job import ProcessRun, prepare_output, stop_signal_number, stop_timeout_seconds
from .output import output_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..config.model import JobConfig
    from ..runtime.activation import Handoff
    from .context import RunContext
    from .lazy import LazyJob


class LazyProcess:
    """One lazy job's process; at most one runs at a time."""

    def __init__(self, config: JobConfig, context: RunContext, ring: LogRing) -> None:
        self.config = config
        self.context = context
        self.ring = ring
        self.stop_signal = stop_signal_number(config.stop_signal)
        self.stop_timeout = stop_timeout_seconds(config.stop_timeout, context.stop_timeout)
        self.log = context.logger.with_fields(**{"job.name": config.name})
        self._run: ProcessRun | None = None
        self._on_exit: Callable[[bool, str], None] = lambda _success, _text: None
        self._tasks: set[asyncio.Task[None]] = set()
        self.pid: int | None = None

    @property
    def running(self) -> bool:
        return self._run is not None

    def set_exit_handler(self, handler: Callable[[bool, str], None]) -> None:
        self._on_exit = handler

    async def start(self, handoff: Handoff | None = None) -> None:
        """Spawn the process; raises with Go's error text if that is impossible.

        ``handoff``: the job's activated sockets, given to the process at 3.. with
        ``LISTEN_*`` (socket activation).
        """
        config = self.config
        try:
            plan = prepare_output(config, self.context, self.ring)
        except OSError as exc:  # its log file cannot be opened: said as Go says it
            raise SpawnError(output_error(exc)) from exc
        try:
            child = spawn(
                [config.command, *(config.args or ())],
                env=self.context.environment(config.env),
                cwd=config.working_directory or None,
                stdin=subprocess.DEVNULL,
                stdout=plan.child_fds["stdout"],
                stderr=plan.child_fds["stderr"],
                reaper=self.context.reaper,
                label=config.name,
                handoff=handoff,
            )
        except Exception:
            plan.close_all()
            raise
        for fd in plan.pipe_write_ends:
            os.close(fd)
        run = ProcessRun(child, plan.start_readers())
        self._run = run
        self.pid = child.pid
        task = asyncio.get_running_loop().create_task(self._watch(run))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self, run: ProcessRun) -> None:
        status = await run.child.exited
        run.child.signal_group(15)  # leftovers of the group, as for every job
        if self._run is run:
            self._run = None
            self.pid = None
        self._on_exit(status.success, status.describe())
        await run.drain()

    async def stop(self) -> None:
        """Stop signal to the group, SIGKILL after the stop timeout; wait until gone."""
        run = self._run
        if run is None:
            return
        status = await run.child.terminate(self.stop_timeout, self.stop_signal)
        if status.term_signal == 9 and self.stop_signal != 9:
            self.log.error("forcefully killed job")
        while self._tasks:
            await asyncio.gather(*tuple(self._tasks), return_exceptions=True)

    def signal(self, signum: int) -> None:
        if self._run is not None:
            self._run.child.signal_group(signum)


def make_lazy_job(config: JobConfig, context: RunContext) -> LazyJob:
    """A lazy job ready to open its listeners."""
    from .lazy import LazyJob

    ring = LogRing(context.log_buffer_bytes)
    process = LazyProcess(config, context, ring)
    return LazyJob.from_config(
        config,
        process,
        logger=context.logger,
        clock=context.clock,
        stop_signal=process.stop_signal,
        ring=ring,
    )

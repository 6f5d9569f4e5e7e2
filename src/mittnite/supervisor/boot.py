"""Boot jobs: run once, concurrently, each bounded by its timeout, before any job starts.

Differences from the original, as the README promises: all boot jobs must
have completed before jobs start, a failure or timeout aborts start-up unless
the boot job has ``canFail = true``, a hung boot job killed after its timeout
counts as failed (not as success), and boot jobs' output goes where a job's
goes (mittnite's stdout/stderr or their log files, see :mod:`.output`; the
original closes their stdout/stderr). A log file that cannot be opened fails
the boot job like a command that cannot be started.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

from ..runtime.spawn import SpawnError, spawn
from .job import drain_readers, prepare_output, stop_signal_number, stop_timeout_seconds
from .output import output_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.model import BootJobConfig
    from .context import RunContext


class BootFailure(Exception):
    """A boot job that may not fail did fail; the message says how."""


async def run_boot_job(config: BootJobConfig, context: RunContext) -> str | None:
    """Run one boot job; returns ``None`` on success or the reason it failed."""
    log = context.logger.with_fields(**{"job.name": config.name})
    timeout = config.timeout.seconds if config.timeout.nanoseconds > 0 else None
    try:
        plan = prepare_output(config, context, None)
    except OSError as exc:  # its log file cannot be opened: it cannot start
        failure = f"failed to start job {config.name}: {output_error(exc)}"
        log.error("job could not be started", error=failure)
        return failure
    log.info("starting job")
    try:
        child = spawn(
            [config.command, *(config.args or ())],
            env=context.environment(config.env),
            cwd=config.working_directory or None,
            stdin=subprocess.DEVNULL,
            stdout=plan.child_fds["stdout"],
            stderr=plan.child_fds["stderr"],
            reaper=context.reaper,
            label=config.name,
        )
    except SpawnError as exc:
        plan.close_all()
        failure = f"failed to start job {config.name}: {exc}"
        log.error("job could not be started", error=failure)
        return failure
    for fd in plan.pipe_write_ends:
        os.close(fd)
    readers = plan.start_readers()
    try:
        try:
            status = await asyncio.wait_for(asyncio.shield(child.exited), timeout)
            reason = None if status.success else status.describe()
            if reason is not None:
                log.error("job exited with error", error=reason)
        except TimeoutError:
            grace = stop_timeout_seconds(config.stop_timeout, context.stop_timeout)
            log.error(f"boot job did not finish within {config.timeout}; stopping it")
            stop_signal = stop_signal_number(config.stop_signal)
            if stop_signal == signal.SIGTERM:
                log.info("sent SIGTERM to job's process group")
            status = await child.terminate(grace, stop_signal)
            reason = status.describe()
        except asyncio.CancelledError:
            await child.terminate(
                stop_timeout_seconds(config.stop_timeout, context.stop_timeout),
                stop_signal_number(config.stop_signal),
            )
            raise
    finally:
        await drain_readers(readers)
    return reason


async def run_boot_jobs(
    configs: tuple[BootJobConfig, ...],
    context: RunContext,
    failures: dict[str, str] | None = None,
) -> None:
    """Run all boot jobs concurrently; raise :class:`BootFailure` if one may not fail.

    On the first failure the remaining boot jobs are stopped (there is no
    point in finishing a start-up that is aborted). Boot jobs that may fail and
    did are recorded in ``failures`` (name: why), for jobs that run after them.
    """
    if not configs:
        return

    async def outcome(config: BootJobConfig) -> tuple[BootJobConfig, str | None]:
        return config, await run_boot_job(config, context)

    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(outcome(config)) for config in configs]
    try:
        for finished in asyncio.as_completed(tasks):
            config, reason = await finished
            if reason is None:
                continue
            log = context.logger.with_fields(**{"job.name": config.name})
            if config.can_fail:
                log.warning("job failed, but is allowed to fail", error=reason)
                if failures is not None:
                    failures.setdefault(config.name, reason)
                continue
            log.error(f"boot job error occurred: {reason}")
            raise BootFailure(reason)  # the original's error field; the lines above name the job
    finally:
        pending = [t for t in tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

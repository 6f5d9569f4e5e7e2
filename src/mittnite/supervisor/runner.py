"""``mittnite up`` from start to exit: the phases of one run, and their order.

1. pidfile (first, as the original); 2. configuration; 3. render files;
4. reaper, signal handlers, output routing, probe server, control API;
5. wait for probes (without a deadline: it ends when they pass or mittnite is
stopped); 6. boot jobs; 7. jobs, until the run ends (see :mod:`.jobs`);
8. teardown, newest first: control API and probe server closed, jobs stopped
in order (bounded, :meth:`.jobs.JobSet.shutdown`), output flushed (bounded),
signal handlers and reaper removed, pidfile released.

Exit statuses: 0 when everything ended cleanly or mittnite was asked to stop;
1 when the configuration, a template, a boot job or a job that may not fail
went wrong (the original exits 0 in all of these cases).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

from ..runtime.signals import SHUTDOWN_SIGNALS
from .jobs import EXIT_FAILURE, EXIT_OK, JobSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from ..config.model import Ignition
    from ..logs.logger import Logger
    from ..runtime.reaper import Orphan
    from .context import RunContext
    from .output import OutputRouting
    from .pidfile import PidFile
    from .servers import Probes


class UpOptions:
    """Flags of ``mittnite up`` (see cli/main.py for their help texts)."""

    def __init__(
        self,
        *,
        config_dir: str = "/etc/mittnite.d",
        probe_listen_port: int = 9102,
        pidfile: str = "",
        api: bool = False,
        api_listen_address: str = "unix:///var/run/mittnite.sock",
        api_allow_remote: bool = False,
        keep_running: bool = False,
        stop_timeout: float = 10.0,
        prefix_output: bool = False,
    ) -> None:
        self.config_dir = config_dir.rstrip("/") or "/"
        self.probe_listen_port = probe_listen_port
        self.pidfile = pidfile
        self.api = api
        self.api_listen_address = api_listen_address
        self.api_allow_remote = api_allow_remote
        self.keep_running = keep_running
        self.stop_timeout = stop_timeout
        self.prefix_output = prefix_output


class Run:
    """State of one ``mittnite up``: what to tear down, and how it ended."""

    def __init__(self, options: UpOptions, logger: Logger) -> None:
        self.options = options
        self.logger = logger
        self.jobs: JobSet | None = None
        self.output: OutputRouting | None = None
        self.shutdown_requested = asyncio.Event()
        self.cleanups: list[Callable[[], Awaitable[None]]] = []
        self.pidfile: PidFile | None = None

    def interrupted(self, signum: int) -> int:
        """A shutdown signal cut the start-up short: nothing was (or will be) started."""
        from ..runtime.exitstatus import signal_name

        self.logger.info(f"received event {signal_name(signum)}")
        self.logger.info("start-up interrupted; no job was started")
        return EXIT_OK

    async def clean_up(self) -> None:
        """Tear down what was set up, newest first; then release the pidfile."""
        while self.cleanups:
            cleanup = self.cleanups.pop()
            try:
                await cleanup()
            except Exception as exc:  # a failing cleanup must not hide the others
                self.logger.error(f"error during shutdown: {exc}")
        if self.jobs is not None and self.jobs.started and self.shutdown_requested.is_set():
            self.logger.info("service runner shut down gracefully")  # the original's newer line
        if self.pidfile is not None:
            self.pidfile.release()
            self.pidfile = None

    def on_signal(self, signum: int) -> None:
        from ..runtime.exitstatus import signal_name

        self.logger.info(f"received event {signal_name(signum)}")
        if signum in SHUTDOWN_SIGNALS:
            self.shutdown_requested.set()
            if self.jobs is not None:
                self.jobs.request_end(EXIT_OK)
        elif self.jobs is not None:
            if signum == signal.SIGWINCH and self.output is not None:
                self.output.resize_terminals()  # the jobs' terminals first, then the signal
            self.jobs.forward_signal(signum)

    async def until_shutdown(self, work: Awaitable[Any]) -> tuple[bool, Any]:
        """Run ``work`` unless a shutdown is requested first; (finished, result)."""
        task = asyncio.ensure_future(work)
        stopper = asyncio.ensure_future(self.shutdown_requested.wait())
        await asyncio.wait((task, stopper), return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            stopper.cancel()
            return True, task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False, None


async def run_up(options: UpOptions, logger: Logger) -> int:
    """The whole of ``mittnite up``; returns the process exit status.

    Shutdown signals are handled from the first line on: while the configuration is
    loaded and files are rendered, a SIGTERM/SIGINT cuts the work short at once (nothing
    is started, exit status 0); from the moment the event loop listens it starts the
    orderly shutdown; between those phases it is recorded and acted on right after.
    """
    from ..runtime.signals import StartupInterrupted, defer_signals

    asyncio.get_running_loop().set_exception_handler(last_resort_handler(logger))
    run = Run(options, logger)
    defer_signals()
    try:
        return await _run(run)
    except StartupInterrupted as stop:
        return run.interrupted(stop.signum)
    finally:
        await run.clean_up()


async def _run(run: Run) -> int:
    from ..config.load import load
    from ..config.problems import ConfigError
    from ..runtime.signals import signals_interrupt
    from .pidfile import PidFile, PidFileError

    options, logger = run.options, run.logger
    if options.pidfile:
        pidfile = PidFile(options.pidfile, logger.info)
        try:
            pidfile.acquire()
        except PidFileError as exc:
            logger.fatal(str(exc))
            return EXIT_FAILURE
        run.pidfile = pidfile
    try:
        with signals_interrupt():
            ignition, warnings = load(options.config_dir, log=logger.info)
    except ConfigError as exc:
        for problem in exc.problems:
            logger.log(problem.severity, str(problem))
        from ..logs.messages import config_failure_up

        logger.fatal(config_failure_up(options.config_dir, exc))
        return EXIT_FAILURE
    for problem in warnings:
        logger.warning(str(problem))
    _register_secrets(ignition, logger)
    return await _run_loaded(run, ignition)


def orphan_logger(logger: Logger) -> Callable[[Orphan], None]:
    """Log each re-parented orphan the reaper collected, with the job it came from."""

    def log(orphan: Orphan) -> None:
        status = orphan.status
        code = status.exit_code if status.exit_code is not None else -1  # Go's ExitCode()
        fields: dict[str, object] = {"exit.code": code, "pid": orphan.pid}
        if orphan.label is not None:
            fields["job.name"] = orphan.label
        if status.term_signal is not None:
            fields["signal"] = status.term_signal
        logger.info("reaped orphaned process", **fields)

    return log


def last_resort_handler(
    logger: Logger,
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """The event loop's exception handler: one log line, never a traceback.

    asyncio reports here what nobody else caught (a callback that raised, a task whose
    exception was never retrieved). That is a bug in mittnite; the line starts with
    ``internal error`` so tests can assert it never appears. With
    ``MITTNITE_TRACEBACK=1`` the traceback is printed too, for debugging.
    """

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exception = context.get("exception")
        message = str(context.get("message", "")) or "unhandled error in the event loop"
        detail = f"{type(exception).__name__}: {exception}" if exception is not None else ""
        logger.error(f"internal error: {message}", error=detail)
        if exception is not None:
            print_traceback_if_asked(exception)

    return handle


def print_traceback_if_asked(exception: BaseException) -> None:
    """Print ``exception``'s traceback to stderr if ``MITTNITE_TRACEBACK=1`` (debugging)."""
    import os

    if os.environ.get("MITTNITE_TRACEBACK") == "1":
        import sys
        import traceback

        traceback.print_exception(exception, file=sys.stderr)


def _register_secrets(ignition: Ignition, logger: Logger) -> None:
    """Mask every password of the configuration in all log lines."""
    for probe in ignition.probes:
        for kind in (probe.mysql, probe.mongodb, probe.amqp):
            if kind is not None:
                logger.add_secret(kind.credentials.password)
        if probe.redis is not None:
            logger.add_secret(probe.redis.password)
        if probe.mongodb is not None and "@" in probe.mongodb.url:
            userinfo = probe.mongodb.url.partition("//")[2].partition("@")[0]
            if ":" in userinfo:
                logger.add_secret(userinfo.partition(":")[2])


async def _run_loaded(run: Run, ignition: Ignition) -> int:
    from ..core.clock import SystemClock
    from ..runtime.cleanslate import prepare_process_for_supervision
    from ..runtime.reaper import Reaper
    from ..runtime.signals import early_signal, install_signal_handlers, signals_interrupt
    from .context import RunContext
    from .render_phase import render_files
    from .timestamps import timestamp_factory

    options, logger = run.options, run.logger
    if options.api:  # before rendering: a second mittnite must not touch watched files
        from ..api.precheck import api_unavailable

        problem = api_unavailable(options.api_listen_address, options.api_allow_remote)
        if problem is not None:
            logger.fatal(f"error while starting API: {problem}")
            return EXIT_FAILURE
    with signals_interrupt():
        if not render_files(ignition, logger):
            return EXIT_FAILURE

    loop = asyncio.get_running_loop()
    prepare_process_for_supervision()
    reaper = Reaper(on_orphan_reaped=orphan_logger(logger))
    reaper.start()
    run.cleanups.append(_async(reaper.close))
    subscription = install_signal_handlers(loop, run.on_signal)
    run.cleanups.append(_async(subscription.remove))
    pending = early_signal()
    if pending is not None:  # arrived between rendering and now
        return run.interrupted(pending)
    # Job output and mittnite's own log lines never block the loop (see output.py);
    # closed after the jobs, so their last lines get out.
    from .output import OutputRouting

    output = OutputRouting()
    output.attach_logger(logger)
    run.output = output
    run.cleanups.append(output.close)

    context = RunContext(
        logger=logger,
        reaper=reaper,
        clock=SystemClock(),
        stop_timeout=options.stop_timeout,
        keep_running=options.keep_running,
        prefix_output=options.prefix_output,
        timestamp_factory=timestamp_factory(logger),
        output=output,
    )
    jobs = JobSet(ignition, context)
    run.jobs = jobs
    run.cleanups.append(jobs.shutdown)

    from .servers import Probes

    probes = Probes(ignition, logger)
    status = await _start_servers(run, probes, jobs)
    if status is not None:
        return status

    finished, _ = await run.until_shutdown(probes.wait_until_ready())
    if not finished:
        logger.info("readiness wait interrupted")
        return EXIT_OK

    boot_failures: dict[str, str] = {}
    finished, boot_error = await run.until_shutdown(_boot(ignition, context, boot_failures))
    if not finished:
        logger.info("shutdown requested during boot")
        return EXIT_OK
    if boot_error is not None:
        logger.fatal("runner error'ed during initialization", error=boot_error)
        return EXIT_FAILURE
    logger.info("initialization complete")
    jobs.boot_finished(boot_failures)

    if run.shutdown_requested.is_set():
        return EXIT_OK
    from ..runtime.listen import ListenError

    try:
        await jobs.start()
    except ListenError as exc:
        logger.fatal("listener stopped with error", error=str(exc))
        return EXIT_FAILURE
    status = await jobs.wait()
    if jobs.fatal_error is None and status == EXIT_OK and not run.shutdown_requested.is_set():
        logger.info("service runner stopped without error")
    elif jobs.fatal_error is not None:
        logger.fatal("service runner stopped with error", error=jobs.fatal_error)
    return status


async def _boot(
    ignition: Ignition, context: RunContext, failures: dict[str, str]
) -> str | None:
    from .boot import BootFailure, run_boot_jobs

    try:
        await run_boot_jobs(ignition.boot_jobs, context, failures)
    except BootFailure as exc:
        return str(exc)
    return None


async def _start_servers(run: Run, probes: Probes, jobs: JobSet) -> int | None:
    """Probe status server and control API; an exit status if the API cannot start.

    The probe server never fails the start: a port in use is retried in the background
    (see :func:`.servers.start_probe_server`). The API does: ``--api`` asks for a control
    channel, and one that is silently missing (or served by another mittnite on the same
    socket) would have ``mittnitectl`` talk to nobody, or to the wrong instance.
    """
    from .servers import start_api, start_probe_server

    run.cleanups.append(await start_probe_server(run.options, probes, jobs, run.logger))
    if run.options.api:
        try:
            stop_api = await start_api(run.options, jobs, run.logger)
        except (OSError, ValueError) as exc:
            from ..api.precheck import os_error_text

            run.logger.fatal(f"error while starting API: {os_error_text(exc)}")
            return EXIT_FAILURE
        run.cleanups.append(stop_api)
    return None


def _async(function: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        function()

    return call

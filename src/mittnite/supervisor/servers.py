"""The probes and network servers of ``up``: probe status server and control API."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..config.model import Ignition
    from ..logs.logger import Logger
    from ..probes import Probe, ReadinessWait
    from .jobs import JobSet
    from .runner import UpOptions

    Cleanup = Callable[[], Awaitable[None]]


class Probes:
    """The configured probes, built once, and the readiness wait over them.

    Without probes nothing of the probe machinery is imported (an idle init
    should not carry code it never runs).
    """

    def __init__(self, ignition: Ignition, logger: Logger) -> None:
        self.by_name: dict[str, Probe] = {}
        self.wait: ReadinessWait | None = None
        if ignition.probes:
            from ..probes import ReadinessWait, build_probes

            self.by_name = build_probes(ignition.probes, logger=logger)
            self.wait = ReadinessWait(self.by_name.values(), logger=logger)
        self.logger = logger

    async def wait_until_ready(self) -> None:
        """Return when every ``wait = true`` probe succeeded."""
        if self.wait is not None:
            await self.wait.run()
        else:
            self.logger.info("waiting for probe readiness")

    def missing(self) -> list[str]:
        return [] if self.wait is None else list(self.wait.missing())

    async def close(self) -> None:
        if self.by_name:
            from ..probes import close_probes

            await close_probes(self.by_name)


def readiness_gaps(probes: Probes, jobs: JobSet) -> list[str]:
    """What keeps ``/readyz`` from answering 200: pending probes, jobs not ready.

    A job is ready when it runs and passes its readiness check (without one: when it
    runs), a lazy job when it listens, a one-time job when it completed; each line
    says why not (``job db: not ready: http: ... connection refused``, ``job app:
    waiting for db (not ready: ...)``).
    """
    return [*probes.missing(), *jobs.readiness_gaps()]


PROBE_RETRY_FIRST = 1.0
PROBE_RETRY_LONGEST = 30.0


async def start_probe_server(
    options: UpOptions,
    probes: Probes,
    jobs: JobSet,
    logger: Logger,
    *,
    retry_first: float = PROBE_RETRY_FIRST,
    retry_longest: float = PROBE_RETRY_LONGEST,
) -> Cleanup:
    """Start the probe status server; returns how to stop it.

    If the port cannot be had (typically two containers of one pod both on 9102), the
    error is logged and mittnite runs on, as the original does, but the server is not
    given up: binding is retried in the background (after 1 s, 2 s, 4 s, ... every 30 s
    at most) until it works or mittnite stops.
    """
    import asyncio

    from ..probes import ListenError, ProbeServer

    jobs.probes = probes.by_name  # for the metrics
    server = ProbeServer(
        probes.by_name,
        port=options.probe_listen_port,
        readiness=lambda: readiness_gaps(probes, jobs),
        metrics=jobs.render_metrics,
        logger=logger,
    )
    retrying: asyncio.Task[None] | None = None
    try:
        await server.start()
    except ListenError as exc:
        logger.error(f"probe server stopped with error: {exc}")
        logger.warning("the probe server will keep trying to listen in the background")

        async def retry() -> None:
            delay = retry_first
            while True:
                await asyncio.sleep(delay)
                try:
                    await server.start()
                except ListenError as again:
                    logger.debug(f"probe server still cannot listen: {again}")
                    delay = min(delay * 2, retry_longest)
                    continue
                return

        retrying = asyncio.get_running_loop().create_task(retry())

    async def stop() -> None:
        if retrying is not None and not retrying.done():
            retrying.cancel()
            await asyncio.gather(retrying, return_exceptions=True)
        await server.stop()
        logger.info("probe server stopped without error")
        await probes.close()

    return stop


async def start_api(options: UpOptions, jobs: JobSet, logger: Logger) -> Cleanup:
    """Start the control API (``--api``); returns how to stop it.

    Raises ``OSError`` (cannot listen: socket in use, permissions) or
    ``ValueError`` (bad address, remote address without ``--api-allow-remote``);
    the runner reports either and stops. The API package (h11, wsproto) is
    imported only here, so a run without ``--api`` never loads it.
    """
    from ..api.server import ApiServer

    server = ApiServer(
        options.api_listen_address,
        jobs,
        allow_remote=options.api_allow_remote,
        logger=logger,
        secrets=logger.secrets,
        hub=jobs.context.watch_hub,  # created only when a log follower needs it
    )
    await server.start()
    return server.stop

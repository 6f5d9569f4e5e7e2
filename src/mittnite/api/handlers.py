"""What each route answers: the glue between routing, the registry and the wire.

``GET /v1/metrics`` (ours) answers the run's metrics as ``/metrics`` on the probe
port does (OpenMetrics text), so ``mittnitectl metrics`` needs only the API socket.

Answers the original's clients rely on: ``200`` with an empty body for
actions (they return at once and do not wait for the state change);
``application/json`` bodies for lists and status; Go ``http.Error`` texts
for errors. Ours: an unknown or non-controllable job is ``404 job "<name>"
not found or is not controllable`` (the original: 400 for unknown names);
an action before the jobs started is ``503`` with a message saying why (the
original's handler crashed).
"""

from __future__ import annotations

import asyncio

from ..runtime.httpserve import Response, Upgrade, error_response
from .logs import parse_query, plan_for, stream_file, stream_ring
from .registry import NotReady
from .routes import Match, route, split_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..runtime.httpserve import Request
    from ..runtime.inotify import WatchHub
    from .registry import Job, JobRegistry
    from .websocket import WebSocket

JSON = {"Content-Type": "application/json"}
END_OF_LOGS = "EOF"


class Api:
    """Request handler of the control API (one per server)."""

    def __init__(self, registry: JobRegistry, hub: Callable[[], WatchHub] | None = None) -> None:
        self.registry = registry
        self._hub = hub
        self.sessions: set[asyncio.Task[None]] = set()

    def hub(self) -> WatchHub | None:
        """The run's inotify hub, created on first use (only ``follow`` on files needs it)."""
        return self._hub() if self._hub is not None else None

    async def handle(self, request: Request) -> Response | Upgrade:
        path, query = split_target(request.target)
        found = route(request.method, path)
        if not isinstance(found, Match):
            if found.status == 301:
                location = found.location + (f"?{query}" if query else "")
                return Response(301, headers={"Location": location})
            if found.status == 405:
                return Response(405)
            return error_response(404, "404 page not found")
        if found.action == "list":
            return Response(200, self.registry_names(), JSON)
        if found.action == "metrics":
            return self._metrics()
        job = self.registry.resolve(found.job)
        if job is None:
            return error_response(404, f'job "{found.job}" not found or is not controllable')
        if found.action == "status":
            return Response(200, self.registry.status(job), JSON)
        if found.action == "logs":
            return self._logs(request, job, query)
        try:
            getattr(self.registry, found.action)(job)
        except NotReady as exc:
            return error_response(503, f'job "{found.job}" cannot be controlled yet: {exc}')
        return Response(200)

    def _metrics(self) -> Response:
        text = self.registry.metrics()
        if text is None:
            return error_response(404, "404 page not found")
        from ..metrics.openmetrics import CONTENT_TYPE

        return Response(200, text, {"Content-Type": CONTENT_TYPE})

    def registry_names(self) -> bytes:
        from .status import encode_job_names

        return encode_job_names(self.registry.names())

    def _logs(self, request: Request, job: Job, query: str) -> Response | Upgrade:
        # wsproto costs about 1.5 MB of RSS: loaded on the first logs request only.
        from .websocket import WebSocket, accept_headers, handshake_error

        refused = handshake_error(request)
        if refused is not None:
            return refused
        follow, taillen = parse_query(query)

        async def run(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trailing: bytes
        ) -> None:
            await self._stream_logs(WebSocket(reader, writer, trailing), job, follow, taillen)

        return Upgrade(accept_headers(request), run)

    async def _stream_logs(self, ws: WebSocket, job: Job, follow: bool, taillen: int) -> None:
        """Send the job's lines, one text frame each; non-follow ends with 1000 ``EOF``."""
        config = job.config
        assert config is not None
        plan = plan_for(config)

        async def emit(line: bytes) -> None:
            await ws.send_text(line.decode("utf-8", "replace"))

        receiver = asyncio.ensure_future(ws.receive_until_closed())
        sources: list[asyncio.Future[Any]] = []
        ring_task: asyncio.Future[bool] | None = None
        try:
            for path in plan.files:
                file_task = asyncio.ensure_future(
                    stream_file(path, taillen, follow, emit, self.hub() if follow else None)
                )
                sources.append(file_task)
                if not follow:
                    await file_task
            if plan.ring_streams:
                ring_task = asyncio.ensure_future(
                    stream_ring(job.ring, plan.ring_streams, taillen, follow, emit)
                )
                sources.append(ring_task)
                if not follow:
                    await ring_task
            await ws.flush()
            if not follow:
                await ws.close(1000, END_OF_LOGS)
                return
            # Frames are written as they come (asyncio sends at once when it can);
            # the session ends when the client leaves.
            await asyncio.wait([receiver, *sources], return_when=asyncio.FIRST_COMPLETED)
            if _overflowed(ring_task):
                await ws.send_text("mittnite: this client fell too far behind; lines were lost")
                await ws.flush()
                await ws.close(1011, "too slow")
        except (OSError, RuntimeError):
            pass  # the client went away
        finally:
            for task in sources:
                task.cancel()
            receiver.cancel()
            await asyncio.gather(*sources, receiver, return_exceptions=True)


def _overflowed(task: asyncio.Future[bool] | None) -> bool:
    """Whether the ring follower ended because the client could not keep up."""
    if task is None or not task.done() or task.cancelled() or task.exception() is not None:
        return False
    return task.result() is False

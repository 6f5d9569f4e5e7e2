"""The probe status server (``--probe-listen-port``, default 9102, all interfaces).

Routes, for any method (as the original's gorilla/mux router):

* ``/status`` - every probe, run concurrently with a 1 s limit per request;
  200 with ``{"probes":{...}}`` when all are ok (also when there are none),
  503 otherwise (see :mod:`.status` for the exact body);
* ``/healthz`` - ``200 ok``: answered by mittnite's own event loop, so an
  answer proves the loop is alive (ours, not the original's);
* ``/readyz`` - 200 when the supervisor's readiness callback reports nothing
  missing, else 503 with ``{"missing":[...],"ready":false}`` (ours);
* ``/metrics`` - the supervisor's metrics in the OpenMetrics text format, with
  its content type (ours; 404 when the server was given no metrics);
* anything else - ``404 page not found`` (Go's wording); a path that is not
  clean (``//status``, ``/a/../status``) is redirected with 301, as mux does.

It listens on IPv4 and, where available, IPv6. A bind failure is raised as
:class:`ListenError` with Go's wording (``listen tcp :9102: bind: address
already in use``); what to do about it is the supervisor's decision.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
from urllib.parse import unquote, urlsplit

from ..gojson import encode
from ..logs.logger import get_logger
from ..runtime.httpserve import Connections, Policy, Response, error_response, text_response
from .status import STATUS_TIMEOUT, all_ok, collect, status_body

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..logs.logger import Logger
    from ..runtime.httpserve import Request
    from .base import Probe

    Readiness = Callable[[], Sequence[str]]
    Metrics = Callable[[], bytes]

DEFAULT_PORT = 9102
_NO_IPV6 = (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT)
# Tighter limits than the API's: nothing legitimate sends a probe server slow or
# large requests (a request head must arrive within 10 s, idle keep-alive
# connections are closed after 10 s, at most 256 connections at once). The body is drained after answering, at most what Go's server
# drains of an unread body; HEAD and malformed requests are answered as Go does.
POLICY = Policy(
    idle_timeout=10.0,
    request_timeout=10.0,
    max_body=256 * 1024,
    body_first=False,
    internal_error="500 Internal Server Error: ",
)
MAX_CONNECTIONS = 256


class ListenError(Exception):
    """The server cannot listen; ``str()`` is Go's message, ``errno`` the cause."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.errno = code


class ProbeServer:
    """Serves ``/status``, ``/healthz``, ``/readyz`` and ``/metrics`` until :meth:`stop`."""

    def __init__(
        self,
        probes: Mapping[str, Probe],
        *,
        port: int = DEFAULT_PORT,
        host: str | None = None,
        readiness: Readiness | None = None,
        metrics: Metrics | None = None,
        logger: Logger | None = None,
        status_timeout: float = STATUS_TIMEOUT,
    ) -> None:
        self.probes = probes
        self.requested_port = port
        self.host = host
        self._readiness = readiness if readiness is not None else self._wait_probes_missing
        self._metrics = metrics
        self._logger = logger if logger is not None else get_logger()
        self._status_timeout = status_timeout
        self._servers: list[asyncio.Server] = []
        self.connections = Connections(self._handle, POLICY, MAX_CONNECTIONS)

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """The bound addresses (host, port), once started."""
        found = []
        for server in self._servers:
            for sock in server.sockets:
                name = sock.getsockname()
                found.append((str(name[0]), int(name[1])))
        return found

    @property
    def port(self) -> int:
        """The port listened on (useful when started with port 0)."""
        return self.addresses[0][1] if self._servers else self.requested_port

    async def start(self) -> None:
        """Bind and start answering; :class:`ListenError` if the port cannot be had."""
        for sock in self._bind():
            server = await asyncio.start_server(self.connections.serve, sock=sock)
            self._servers.append(server)
        self._logger.info(f"probeServer listens on port {self.port}")

    async def stop(self) -> None:
        """Stop listening, end open connections and running handlers."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        await self.connections.close()
        for server in servers:
            await server.wait_closed()

    async def _handle(self, request: Request) -> Response:
        path, query = _split_target(request.target)
        if path is None:
            return text_response(400, "400 Bad Request")  # no newline, unlike http.Error
        cleaned = clean_path(path)
        if cleaned != path:
            location = cleaned + (f"?{query}" if query else "")
            return Response(301, headers={"Location": location})
        if path == "/status":
            results = await collect(self.probes, timeout=self._status_timeout, logger=self._logger)
            return Response(
                200 if all_ok(results) else 503,
                status_body(results),
                {"Content-Type": "application/json"},
            )
        if path == "/healthz":
            return Response(200, b"ok\n", {"Content-Type": "text/plain; charset=utf-8"})
        if path == "/readyz":
            missing = list(self._readiness())
            body = encode({"missing": missing, "ready": not missing}, sort_keys=True) + "\n"
            return Response(
                503 if missing else 200, body.encode("utf-8"), {"Content-Type": "application/json"}
            )
        if path == "/metrics" and self._metrics is not None:
            from ..metrics.openmetrics import CONTENT_TYPE

            return Response(200, self._metrics(), {"Content-Type": CONTENT_TYPE})
        return error_response(404, "404 page not found")

    def _wait_probes_missing(self) -> list[str]:
        """Default readiness: every ``wait = true`` probe's last attempt succeeded."""
        return [
            f"probe {probe.name}: {probe.state.error or 'not checked yet'}"
            for probe in self.probes.values()
            if probe.wait and probe.state.ok is not True
        ]

    def _bind(self) -> list[socket.socket]:
        port = self.requested_port
        shown_host = "" if self.host is None else self.host
        shown = f"[{shown_host}]:{port}" if ":" in shown_host else f"{shown_host}:{port}"
        candidates = self._candidates()
        sockets: list[socket.socket] = []
        try:
            for family, address in candidates:
                optional = self.host is None and family == socket.AF_INET6
                try:
                    sock = socket.socket(family, socket.SOCK_STREAM)
                except OSError as error:
                    if optional:
                        continue
                    raise ListenError(
                        f"listen tcp {shown}: socket: {_reason(error)}", error.errno
                    ) from None
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    if family == socket.AF_INET6:
                        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    sock.bind((address, port))
                    sock.listen(128)
                    sock.setblocking(False)
                except OSError as error:
                    sock.close()
                    if optional and error.errno in _NO_IPV6:
                        continue
                    raise ListenError(
                        f"listen tcp {shown}: bind: {_reason(error)}", error.errno
                    ) from None
                port = sock.getsockname()[1]  # with port 0, every family gets the same port
                sockets.append(sock)
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        return sockets

    def _candidates(self) -> list[tuple[int, str]]:
        if self.host is None:
            return [(socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")]
        try:
            infos = socket.getaddrinfo(
                self.host, self.requested_port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )
        except socket.gaierror as error:
            raise ListenError(
                f"listen tcp {self.host}:{self.requested_port}: lookup {self.host}: {error.strerror}"
            ) from None
        seen: list[tuple[int, str]] = []
        for family, _type, _proto, _name, sockaddr in infos:
            entry = (int(family), str(sockaddr[0]))
            if entry not in seen:
                seen.append(entry)
        return seen


def _reason(error: OSError) -> str:
    text = os.strerror(error.errno) if error.errno else str(error)
    return text[:1].lower() + text[1:]


def _split_target(target: str) -> tuple[str | None, str]:
    """The decoded path and raw query of a request target (``None``: unusable)."""
    if target.startswith("/"):
        raw_path, _, query = target.partition("?")
    elif "://" in target:
        parts = urlsplit(target)
        raw_path, query = parts.path or "/", parts.query
    else:
        return None, ""
    return unquote(raw_path), query


def clean_path(path: str) -> str:
    """Go's ``path.Clean`` as mux applies it: keeps a trailing slash, always absolute."""
    if not path:
        return "/"
    if not path.startswith("/"):
        path = "/" + path
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        parts.append(segment)
    cleaned = "/" + "/".join(parts)
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned

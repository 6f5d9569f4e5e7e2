"""``http { scheme host {...} path timeout }``: ready when a GET answers 200-399.

Behaves like the original's Go client: redirects (301, 302, 303, 307, 308)
are followed up to 10 times, the whole exchange must finish within
``timeout`` (Go duration, default ``5s``; an unparsable value is an error on
every attempt, ``invalid timeout duration: ...``), a path without a leading
``/`` gets one, and the path is escaped like Go's ``url.URL.Path`` (so a
``?`` in it is sent as ``%3F``, exactly as the original did). The
``User-Agent`` is Go's, so access-log filters written for the original keep
working. Unlike the original, the response body is never read and the
connection is closed right away (the original leaked it). ``/status`` shows
the original's texts (``http service 'URL' returned status code 500``,
``Get "URL": dial tcp ...``).

HTTP/1.1 framing is h11's; only the status line and headers are awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urljoin, urlsplit

import h11

from ..config.model import EnvRef
from ..golang.gotime import parse_duration
from .base import BrokenChecker, Checker, ProbeError
from .connect import can_connect, open_tcp
from .gotext import escape_path
from .resolve import hostname_or_local, join_host_port, parse_port, resolve_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from collections.abc import Mapping

    from ..config.model import HttpProbe
    from ..logs.logger import Logger

DEFAULT_SCHEME = "http"
DEFAULT_TIMEOUT = "5s"
MAX_REDIRECTS = 10
USER_AGENT = "Go-http-client/1.1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class HttpChecker(Checker):
    kind = "http"

    def __init__(self, url: str, timeout: float, timeout_text: str) -> None:
        self.url = url
        self.target = url
        self.timeout = timeout
        self._timeout_text = timeout_text
        self._ssl_context: ssl.SSLContext | None = None
        parts = urlsplit(url)
        self._host = parts.hostname or "localhost"
        self._port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)

    def timeout_message(self) -> str:
        return f"http: GET {self.url}: no response within {self._timeout_text}"

    def timeout_go_text(self) -> str:
        return (
            f'Get "{self.url}": context deadline exceeded '
            "(Client.Timeout exceeded while awaiting headers)"
        )

    async def reachable(self) -> bool:
        return await can_connect(self._host, self._port)

    async def check(self) -> None:
        url = self.url
        for hop in range(MAX_REDIRECTS + 1):
            status, location = await self._get(url)
            if status in _REDIRECTS and location:
                if hop == MAX_REDIRECTS:
                    raise ProbeError(
                        f"http: GET {self.url}: stopped after {MAX_REDIRECTS} redirects"
                    )
                url = urljoin(url, location)
                continue
            if 200 <= status < 400:
                return
            where = "" if url == self.url else f" (redirected to {url})"
            raise ProbeError(
                f"http: GET {self.url} returned {status}{where}",
                go_text=f"http service '{self.url}' returned status code {status}",
            )
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns

    async def _get(self, url: str) -> tuple[int, str]:
        """Status and ``Location`` of one GET; the body is never read."""
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise ProbeError(
                f"http: GET {url}: unsupported protocol scheme {parts.scheme!r}",
                go_text=f'Get "{url}": unsupported protocol scheme "{parts.scheme}"',
            )
        try:
            port = parts.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise ProbeError(f"http: GET {url}: invalid port") from None
        host = parts.hostname or "localhost"
        context = self._tls_context() if parts.scheme == "https" else None
        try:
            reader, writer = await open_tcp(self.kind, host, port, ssl_context=context)
        except ProbeError as error:  # Go's client wraps it: Get "URL": dial tcp ...
            raise ProbeError(
                error.message, unreachable=error.unreachable, go_text=f'Get "{url}": {error.go_text}'
            ) from None
        connection = h11.Connection(our_role=h11.CLIENT)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            request = h11.Request(
                method="GET",
                target=target,
                headers=[
                    ("Host", parts.netloc.rpartition("@")[2] or host),
                    ("User-Agent", USER_AGENT),
                    ("Connection", "close"),
                ],
            )
            writer.write(
                (connection.send(request) or b"") + (connection.send(h11.EndOfMessage()) or b"")
            )
            return await self._response(connection, reader, url)
        except h11.LocalProtocolError as error:
            raise ProbeError(f"http: GET {url}: cannot send the request: {error}") from None
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _response(
        self, connection: h11.Connection, reader: asyncio.StreamReader, url: str
    ) -> tuple[int, str]:
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError as error:
                raise ProbeError(f"http: GET {url}: invalid HTTP response ({error})") from None
            if event is h11.NEED_DATA:
                try:
                    data = await reader.read(65536)
                except OSError as error:
                    raise ProbeError(f"http: GET {url}: connection failed: {error}") from None
                if not data and connection.their_state is h11.SEND_RESPONSE:
                    raise ProbeError(
                        f"http: GET {url}: the server closed the connection without a response"
                    )
                connection.receive_data(data)
            elif isinstance(event, h11.Response):
                location = ""
                for name, value in event.headers:
                    if name == b"location":
                        location = value.decode("latin-1")
                return event.status_code, location
            elif isinstance(event, h11.ConnectionClosed):
                raise ProbeError(
                    f"http: GET {url}: the server closed the connection without a response"
                )
            # InformationalResponse (1xx): keep reading for the final response

    def _tls_context(self) -> ssl.SSLContext:
        """Built once per probe: loading the system CA store costs milliseconds."""
        if self._ssl_context is None:
            import ssl

            self._ssl_context = ssl.create_default_context()
        return self._ssl_context


def build(config: HttpProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    scheme = resolve_env(config.scheme, environ) or DEFAULT_SCHEME
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    port = config.host.port  # a number checked at load time, or ENV:NAME
    if isinstance(port, int):
        port_text = str(port)
    else:
        port_text = "" if port is None else environ.get(port.name, "")
    path = escape_path(resolve_env(config.path, environ))
    authority = join_host_port(host, port_text) if port_text else _bracketed(host)
    url = f"{scheme}://{authority}{path}"
    configured = config.timeout
    if configured is not None and not isinstance(configured, EnvRef):
        timeout, timeout_text = configured.seconds, str(configured)
    else:
        timeout_text = (environ.get(configured.name, "") if configured else "") or DEFAULT_TIMEOUT
        try:
            timeout = parse_duration(timeout_text) / 1e9
        except ValueError as error:
            return BrokenChecker("http", url, f"http: invalid timeout duration: {error}")
    if port_text and not isinstance(port, int):
        try:
            parse_port(port_text)
        except ValueError as error:
            return BrokenChecker("http", url, f"http: {error}")
    if timeout <= 0:
        # Go reads a zero or negative client timeout as "no limit"; a readiness
        # check that may never return helps nobody, so the default applies.
        timeout, timeout_text = parse_duration(DEFAULT_TIMEOUT) / 1e9, DEFAULT_TIMEOUT
    return HttpChecker(url, timeout, timeout_text)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host

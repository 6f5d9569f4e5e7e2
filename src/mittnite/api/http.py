"""One HTTP/1.1 server connection on asyncio streams, framed by ``h11``.

It reads whole requests (bodies are read and dropped: the API ignores them,
and the connection stays reusable), asks the handler for a :class:`Response`
or an :class:`Upgrade`, and writes the answer the way Go's ``net/http`` does:
the handler's headers sorted by name, then ``Date`` and ``Content-Length``
(``Connection: close`` last when the connection ends). Keep-alive,
pipelining, ``Connection: close`` and HTTP/1.0 are h11's business. An upgrade
answers ``101 Switching Protocols`` and hands the raw streams, plus any bytes
already read past the request, to the upgrade's runner.

Timeouts keep an idle or slow client from holding a connection forever; a
handler error answers 500 instead of dropping the client (the original's
handler panics closed the connection without an answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import h11

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    Handler = Callable[["Request"], Awaitable["Response | Upgrade"]]
    Runner = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[None]]

IDLE_TIMEOUT = 300.0
REQUEST_TIMEOUT = 30.0
MAX_BODY = 1024 * 1024
READ_SIZE = 65536

REASONS = {
    101: "Switching Protocols",
    200: "OK",
    301: "Moved Permanently",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Request:
    """A request as the handler sees it; header names are lower case."""

    __slots__ = ("headers", "method", "target")

    def __init__(self, method: str, target: str, headers: dict[str, str]) -> None:
        self.method = method
        self.target = target
        self.headers = headers


class Response:
    """A complete answer: status, the handler's own headers and the body."""

    __slots__ = ("body", "headers", "status")

    def __init__(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}


class Upgrade:
    """Switch protocols: ``101`` with ``headers``, then ``run`` owns the streams."""

    __slots__ = ("headers", "run")

    def __init__(self, headers: list[tuple[str, str]], run: Runner) -> None:
        self.headers = headers
        self.run = run


def error_response(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
    """What Go's ``http.Error`` writes: the message plus a newline, as plain text."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}
    headers.update(extra or {})
    return Response(status, (message + "\n").encode("utf-8"), headers)


def http_date(now: float | None = None) -> str:
    """``Mon, 02 Jan 2006 15:04:05 GMT``, independent of the C locale."""
    moment = time.gmtime(now)
    return (
        f"{_DAYS[moment.tm_wday]}, {moment.tm_mday:02d} {_MONTHS[moment.tm_mon - 1]} "
        f"{moment.tm_year} {moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d} GMT"
    )


def response_head(response: Response, now: float | None = None) -> list[tuple[str, str]]:
    """Header lines in Go's order: handler headers sorted, then Date, Content-Length."""
    headers = sorted(response.headers.items())
    headers.append(("Date", http_date(now)))
    headers.append(("Content-Length", str(len(response.body))))
    return headers


class _Closed(Exception):
    """The peer went away or broke the protocol: stop serving this connection."""


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    handle: Handler,
    *,
    idle_timeout: float = IDLE_TIMEOUT,
    request_timeout: float = REQUEST_TIMEOUT,
) -> None:
    """Serve requests on one connection until it closes; never raises but cancellation."""
    connection = h11.Connection(our_role=h11.SERVER)
    try:
        while True:
            try:
                async with asyncio.timeout(idle_timeout):
                    event = await _next_event(connection, reader)
                if not isinstance(event, h11.Request):
                    return  # the client closed the connection between requests
                async with asyncio.timeout(request_timeout):
                    await _read_body(connection, reader)
            except h11.RemoteProtocolError as error:
                await _send_bad_request(connection, writer, error.error_status_hint)
                return
            request = Request(
                event.method.decode("ascii", "replace"),
                event.target.decode("ascii", "replace"),
                _headers(event.headers),
            )
            try:
                answer = await handle(request)
            except Exception as error:  # a handler bug must not leave the client hanging
                answer = error_response(500, f"internal error: {type(error).__name__}")
            if isinstance(answer, Upgrade):
                switching = h11.MIGHT_SWITCH_PROTOCOL  # type: ignore[attr-defined]
                if connection.their_state is switching:
                    await _switch(connection, writer, answer, reader)
                    return
                answer = error_response(400, "Bad Request")
            async with asyncio.timeout(request_timeout):
                await _send(connection, writer, answer)
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                return
            connection.start_next_cycle()
    except (_Closed, TimeoutError, OSError, h11.ProtocolError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-case names; repeated headers joined with ``, `` (one list per name)."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("ascii", "replace").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


async def _next_event(connection: h11.Connection, reader: asyncio.StreamReader) -> object:
    while True:
        event = connection.next_event()
        if event is not h11.NEED_DATA:
            return event
        connection.receive_data(await reader.read(READ_SIZE))


async def _read_body(connection: h11.Connection, reader: asyncio.StreamReader) -> None:
    """Read and drop the request body (bounded), up to the end of the request."""
    received = 0
    while True:
        event = await _next_event(connection, reader)
        if isinstance(event, h11.Data):
            received += len(event.data)
            if received > MAX_BODY:
                raise _Closed
        elif isinstance(event, h11.EndOfMessage):
            return
        elif isinstance(event, h11.ConnectionClosed):
            raise _Closed


async def _send(
    connection: h11.Connection, writer: asyncio.StreamWriter, response: Response
) -> None:
    head = h11.Response(
        status_code=response.status,
        headers=response_head(response),
        reason=REASONS.get(response.status, ""),
    )
    chunks = [connection.send(head) or b""]
    if response.body:
        chunks.append(connection.send(h11.Data(data=response.body)) or b"")
    chunks.append(connection.send(h11.EndOfMessage()) or b"")
    writer.write(b"".join(chunks))
    await writer.drain()


async def _switch(
    connection: h11.Connection,
    writer: asyncio.StreamWriter,
    upgrade: Upgrade,
    reader: asyncio.StreamReader,
) -> None:
    head = h11.InformationalResponse(status_code=101, headers=upgrade.headers, reason=REASONS[101])
    writer.write(connection.send(head) or b"")
    await writer.drain()
    trailing, _closed = connection.trailing_data
    await upgrade.run(reader, writer, bytes(trailing))


async def _send_bad_request(
    connection: h11.Connection, writer: asyncio.StreamWriter, status: int
) -> None:
    """Answer a malformed request as Go does, if an answer is still possible."""
    if connection.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
        return
    status = status if status in REASONS else 400
    body = f"{status} {REASONS[status]}".encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Connection", "close"),
        ("Content-Length", str(len(body))),
    ]
    try:
        data = connection.send(h11.Response(status_code=status, headers=headers))
        data = (data or b"") + (connection.send(h11.Data(data=body)) or b"")
        data += connection.send(h11.EndOfMessage()) or b""
    except h11.LocalProtocolError:
        return
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(REQUEST_TIMEOUT):
            writer.write(data)
            await writer.drain()

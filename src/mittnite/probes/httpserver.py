"""A minimal HTTP/1.1 server connection on asyncio streams, framed by h11.

It serves one connection: reads requests (keep-alive, pipelining, HTTP/1.0),
hands method and target to a handler, writes the handler's :class:`Reply`.
Each connection is its own task, so a slow client only ever delays itself;
idle and per-request time limits make sure it cannot hold the connection
forever either. Replies carry Go's ``Date`` and ``Content-Length`` headers
after the handler's own (sorted) ones, as Go's ``net/http`` writes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import h11

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    Handler = Callable[[str, str], Awaitable["Reply"]]

IDLE_TIMEOUT = 60.0
REQUEST_TIMEOUT = 10.0
MAX_DISCARDED_BODY = 256 * 1024  # Go's server also drains at most this much of an unread body

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    400: "Bad Request",
    404: "Not Found",
    413: "Request Entity Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Reply:
    """A complete response: status, extra headers and body."""

    __slots__ = ("body", "headers", "status")

    def __init__(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}


def text_reply(status: int, text: str, extra: dict[str, str] | None = None) -> Reply:
    """A ``text/plain`` reply as Go's ``http.Error`` writes it."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}
    headers.update(extra or {})
    return Reply(status, text.encode("utf-8"), headers)


def http_date(now: float | None = None) -> str:
    """``Mon, 02 Jan 2006 15:04:05 GMT`` (independent of the C locale)."""
    moment = time.gmtime(now)
    return (
        f"{_DAYS[moment.tm_wday]}, {moment.tm_mday:02d} {_MONTHS[moment.tm_mon - 1]} "
        f"{moment.tm_year} {moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d} GMT"
    )


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
    """Serve requests on one connection until it closes; never raises (except cancellation)."""
    import h11  # on first use: an idle server pays nothing for it
    connection = h11.Connection(our_role=h11.SERVER)
    try:
        while True:
            try:
                async with asyncio.timeout(idle_timeout):
                    event = await _next_event(connection, reader)
            except h11.RemoteProtocolError as error:
                await _send_error(connection, writer, error.error_status_hint, request_timeout)
                return
            if not isinstance(event, h11.Request):
                return  # ConnectionClosed or nothing more to do
            method = event.method.decode("ascii", "replace")
            target = event.target.decode("ascii", "replace")
            try:
                reply = await handle(method, target)
            except Exception as error:  # a handler bug answers 500 instead of dropping the client
                reply = text_reply(500, f"500 Internal Server Error: {type(error).__name__}\n")
            async with asyncio.timeout(request_timeout):
                await _send(connection, writer, reply, head_only=method == "HEAD")
                await _discard_body(connection, reader)
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                return
            connection.start_next_cycle()
    except (_Closed, TimeoutError, OSError, h11.ProtocolError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _next_event(connection: h11.Connection, reader: asyncio.StreamReader) -> object:
    import h11
    while True:
        event = connection.next_event()
        if event is not h11.NEED_DATA:
            return event
        data = await reader.read(65536)
        connection.receive_data(data)


async def _discard_body(connection: h11.Connection, reader: asyncio.StreamReader) -> None:
    """Read and drop what is left of the request, so the connection can be reused."""
    import h11
    discarded = 0
    while connection.their_state is h11.SEND_BODY:
        try:
            event = await _next_event(connection, reader)
        except h11.RemoteProtocolError:
            raise _Closed from None
        if isinstance(event, h11.Data):
            discarded += len(event.data)
            if discarded > MAX_DISCARDED_BODY:
                raise _Closed
        elif isinstance(event, h11.ConnectionClosed):
            raise _Closed


async def _send(
    connection: h11.Connection, writer: asyncio.StreamWriter, reply: Reply, *, head_only: bool
) -> None:
    import h11
    headers = sorted(reply.headers.items())
    headers.append(("Date", http_date()))
    headers.append(("Content-Length", str(len(reply.body))))
    reason = REASONS.get(reply.status, "")
    data = connection.send(h11.Response(status_code=reply.status, headers=headers, reason=reason))
    chunks = [data or b""]
    if reply.body and not head_only:
        chunks.append(connection.send(h11.Data(data=reply.body)) or b"")
    chunks.append(connection.send(h11.EndOfMessage()) or b"")
    writer.write(b"".join(chunks))
    await writer.drain()


async def _send_error(
    connection: h11.Connection, writer: asyncio.StreamWriter, status: int, timeout: float
) -> None:
    """Answer a malformed request like Go does (``400 Bad Request``), if still possible."""
    import h11
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
        head = connection.send(
            h11.Response(status_code=status, headers=headers, reason=REASONS[status])
        )
        data = connection.send(h11.Data(data=body))
        end = connection.send(h11.EndOfMessage())
    except h11.LocalProtocolError:
        return
    async with asyncio.timeout(timeout):
        writer.write((head or b"") + (data or b"") + (end or b""))
        await writer.drain()

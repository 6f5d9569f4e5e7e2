"""One HTTP/1.1 server connection on asyncio streams, framed by ``h11``.

Shared by the probe status server and the control API, which both answer
the way Go's ``net/http`` does, so that clients and scripts written against
the original see the same bytes: the handler's headers sorted by name, then
``Date`` and ``Content-Length`` (h11 adds ``Connection: close`` last when the
connection ends), Go's plain-text error bodies, and Go's answer to a
malformed request. Keep-alive, pipelining, ``Connection: close`` and
HTTP/1.0 are h11's business. An :class:`Upgrade` answers ``101 Switching
Protocols`` and hands the raw streams, plus any bytes already read past the
request, to the upgrade's runner.

Each connection is its own task, so a slow client only ever delays itself;
idle and per-request time limits make sure it cannot hold the connection
forever either. A handler error answers 500 instead of dropping the client.
:class:`Connections` bounds how many connections a server keeps (the oldest
one that is not in the middle of a request makes room for a new one) and ends
them all quietly when the server stops: nothing a client does or fails to do,
and no shutdown, ever ends in a traceback. h11 bounds a request head to 16 KiB.

Where the two servers were written to behave differently, a
:class:`Policy` says which way; see its attributes.

``h11`` is imported on the first connection, not with this module: an init
whose probe server nobody asks pays nothing for it.
"""

from __future__ import annotations

import asyncio
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    import h11

    Handler = Callable[["Request"], Awaitable["Response | Upgrade"]]
    Runner = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[None]]

READ_SIZE = 65536
CLOSE_TIMEOUT = 5.0
"""How long a closing connection may take to flush what is left for a slow reader."""

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
_PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}


class Policy:
    """How one server treats its connections.

    ``idle_timeout`` bounds the wait for a request's head, ``request_timeout``
    reading its body and writing the answer. ``max_body`` is how much body is
    read and dropped (handlers never see bodies); a longer one ends the
    connection.

    The rest keeps each server's own answers byte for byte:

    * ``body_first``: read the whole body before calling the handler (the
      API: a malformed body is answered ``400``, an over-long one closes the
      connection unanswered) rather than answering first and draining the body
      afterwards, as Go's server does (the probe server);
    * ``internal_error``: the start of the 500 body when a handler raises
      (the exception's type name and a newline follow).

    Both servers answer a malformed request with ``400 Bad Request`` and ``HEAD``
    with the headers of the ``GET`` answer and no body, as Go's server does.
    """

    __slots__ = (
        "body_first",
        "idle_timeout",
        "internal_error",
        "max_body",
        "request_timeout",
    )

    def __init__(
        self,
        *,
        idle_timeout: float,
        request_timeout: float,
        max_body: int,
        body_first: bool,
        internal_error: str,
    ) -> None:
        self.idle_timeout = idle_timeout
        self.request_timeout = request_timeout
        self.max_body = max_body
        self.body_first = body_first
        self.internal_error = internal_error


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


def text_response(status: int, text: str, extra: dict[str, str] | None = None) -> Response:
    """``text`` as the body, with the headers of Go's ``http.Error``."""
    headers = dict(_PLAIN_TEXT)
    headers.update(extra or {})
    return Response(status, text.encode("utf-8"), headers)


def error_response(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
    """What Go's ``http.Error`` writes: the message plus a newline, as plain text."""
    return text_response(status, message + "\n", extra)


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


class Slot:
    """What a server knows about one of its connections."""

    __slots__ = ("idle",)

    def __init__(self) -> None:
        self.idle = True
        """Waiting for (the rest of) a request head: nothing is lost by closing it."""


class Connections:
    """The open connections of one server: bounded in number, ended together.

    Use :meth:`serve` as the ``client_connected_cb`` of ``asyncio.start_server``. At
    ``limit`` open connections, a new one is accepted only if the oldest idle one (no
    request in progress: keep-alive, or a head trickling in) can be closed for it;
    otherwise the new one is closed at once. ``close()`` ends every connection.
    """

    def __init__(self, handle: Handler, policy: Policy, limit: int) -> None:
        self.handle = handle
        self.policy = policy
        self.limit = limit
        self._open: dict[asyncio.Task[None], Slot] = {}
        self.refused = 0
        """Connections closed at once because every slot was busy."""
        self.evicted = 0
        """Idle connections closed to make room for a new one."""

    def __len__(self) -> int:
        return len(self._open)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one accepted connection until it ends; never raises."""
        task = asyncio.current_task()
        assert task is not None
        if len(self._open) >= self.limit and not self._evict_idle():
            self.refused += 1
            writer.close()
            return
        slot = Slot()
        self._open[task] = slot
        try:
            await serve_connection(reader, writer, self.handle, self.policy, slot)
        except asyncio.CancelledError:
            # Ended by close() or for a newer connection. Finishing normally matters:
            # asyncio 3.11 reports a cancelled client_connected_cb task as an error.
            return
        finally:
            if self._open.get(task) is slot:
                del self._open[task]

    def _evict_idle(self) -> bool:
        for task, slot in self._open.items():
            if slot.idle:
                del self._open[task]
                task.cancel()
                self.evicted += 1
                return True
        return False

    async def close(self) -> None:
        """End every connection (log followers and requests in progress included)."""
        tasks = list(self._open)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    handle: Handler,
    policy: Policy,
    slot: Slot | None = None,
) -> None:
    """Serve requests on one connection until it closes; never raises but cancellation."""
    import h11  # on first use: an idle server pays nothing for it

    connection = h11.Connection(our_role=h11.SERVER)
    slot = slot if slot is not None else Slot()
    try:
        while True:
            slot.idle = True
            try:
                async with asyncio.timeout(policy.idle_timeout):
                    event = await _next_event(connection, reader)
                if not isinstance(event, h11.Request):
                    return  # the client closed the connection between requests
                slot.idle = False
                if policy.body_first:
                    async with asyncio.timeout(policy.request_timeout):
                        await _drain_body(connection, reader, policy.max_body)
            except h11.RemoteProtocolError as error:
                await _send_error(connection, writer, error.error_status_hint, policy)
                return
            request = Request(
                event.method.decode("ascii", "replace"),
                event.target.decode("ascii", "replace"),
                _headers(event.headers),
            )
            try:
                answer = await handle(request)
            except Exception as error:  # a handler bug must not leave the client hanging
                answer = error_response(500, policy.internal_error + type(error).__name__)
            if isinstance(answer, Upgrade):
                switching = h11.MIGHT_SWITCH_PROTOCOL  # type: ignore[attr-defined]
                if connection.their_state is switching:
                    await _switch(connection, writer, answer, reader)
                    return
                answer = error_response(400, "Bad Request")
            head_only = request.method == "HEAD"
            async with asyncio.timeout(policy.request_timeout):
                await _send(connection, writer, answer, head_only=head_only)
                # a body not read yet is drained now, so the connection can be reused
                await _drain_body(connection, reader, policy.max_body)
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                return
            connection.start_next_cycle()
    except (_Closed, TimeoutError, OSError, h11.ProtocolError):
        pass
    finally:
        writer.close()
        try:  # a peer that reads nothing would keep a closing transport flushing forever
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await writer.wait_closed()
        except Exception:
            writer.transport.abort()


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-case names; repeated headers joined with ``, `` (one list per name)."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("ascii", "replace").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


async def _next_event(connection: h11.Connection, reader: asyncio.StreamReader) -> object:
    import h11

    while True:
        event = connection.next_event()
        if event is not h11.NEED_DATA:
            return event
        connection.receive_data(await reader.read(READ_SIZE))


async def _drain_body(connection: h11.Connection, reader: asyncio.StreamReader, limit: int) -> None:
    """Read and drop what is left of the request body, at most ``limit`` bytes of it."""
    import h11

    received = 0
    while connection.their_state is h11.SEND_BODY:
        event = await _next_event(connection, reader)
        if isinstance(event, h11.Data):
            received += len(event.data)
            if received > limit:
                raise _Closed
        elif isinstance(event, h11.ConnectionClosed):
            raise _Closed


async def _send(
    connection: h11.Connection, writer: asyncio.StreamWriter, response: Response, *, head_only: bool
) -> None:
    import h11

    head = h11.Response(
        status_code=response.status,
        headers=response_head(response),
        reason=REASONS.get(response.status, ""),
    )
    chunks = [connection.send(head) or b""]
    if response.body and not head_only:
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
    import h11

    head = h11.InformationalResponse(status_code=101, headers=upgrade.headers, reason=REASONS[101])
    writer.write(connection.send(head) or b"")
    await writer.drain()
    trailing, _closed = connection.trailing_data
    await upgrade.run(reader, writer, bytes(trailing))


async def _send_error(
    connection: h11.Connection, writer: asyncio.StreamWriter, status: int, policy: Policy
) -> None:
    """Answer a malformed request as Go's server does, if an answer is still possible."""
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
    reason = REASONS[status]
    try:
        data = connection.send(h11.Response(status_code=status, headers=headers, reason=reason))
        data = (data or b"") + (connection.send(h11.Data(data=body)) or b"")
        data += connection.send(h11.EndOfMessage()) or b""
    except h11.LocalProtocolError:
        return
    async with asyncio.timeout(policy.request_timeout):
        writer.write(data)
        await writer.drain()

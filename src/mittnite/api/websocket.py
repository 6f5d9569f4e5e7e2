"""A server-side WebSocket on asyncio streams, framed by ``wsproto``.

The handshake is checked as gorilla/websocket's ``Upgrader`` checks it (the
original's server), so that clients which work against the original work
here: ``GET``, ``Connection: upgrade``, ``Upgrade: websocket``,
``Sec-WebSocket-Version: 13``, a ``Sec-WebSocket-Key``, and an ``Origin``, if
sent, naming the same host (protection against cross-site WebSocket
hijacking from a browser when the API listens on TCP). A refused handshake is
answered like the original: status text, then ``failed to upgrade
connection``.

After the ``101``, :class:`WebSocket` sends text frames, answers pings,
notices the client's close frame or disconnect, and closes with a code and
reason (the original ends a finished log stream with 1000 ``EOF``).

Memory per client is bounded at the transport too: frames are written with
back-pressure (every :data:`FLUSH_BYTES` the sender waits until the
transport's buffer is below its high-water mark, at the client's pace), and
where the session must end (the last frames, the close frame, a client cut
off for falling behind) a client that takes nothing for :data:`SEND_GRACE`
seconds is disconnected outright, dropping what it did not take.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Ping, TextMessage
from wsproto.utilities import generate_accept_token

from ..runtime.httpserve import REASONS, Response, error_response

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..runtime.httpserve import Request

CLOSE_WAIT = 1.0  # how long to wait for the client's answer to our close frame
SEND_GRACE = 5.0  # how long a client may take nothing while the session is ending
READ_SIZE = 65536
FLUSH_BYTES = 64 * 1024


def _tokens(value: str) -> set[str]:
    return {token.strip().lower() for token in value.split(",") if token.strip()}


def handshake_error(request: Request) -> Response | None:
    """Why ``request`` cannot be upgraded (as an HTTP answer), or None if it can."""
    headers = request.headers
    status = 0
    if "upgrade" not in _tokens(headers.get("connection", "")) or "websocket" not in _tokens(
        headers.get("upgrade", "")
    ):
        status = 400
    elif request.method != "GET":
        status = 405
    elif headers.get("sec-websocket-version", "").strip() != "13":
        status = 400
    elif not _origin_allowed(headers):
        status = 403
    elif not headers.get("sec-websocket-key", "").strip():
        status = 400
    if not status:
        return None
    return error_response(
        status,
        f"{REASONS[status]}\nfailed to upgrade connection",
        {"Sec-Websocket-Version": "13"},
    )


def _origin_allowed(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True
    try:
        origin_host = urlsplit(origin).netloc
    except ValueError:
        return False
    return origin_host.lower() == headers.get("host", "").lower()


def accept_headers(request: Request) -> list[tuple[str, str]]:
    """The ``101`` headers for an accepted handshake (gorilla's order)."""
    key = request.headers["sec-websocket-key"].strip()
    return [
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Accept", generate_accept_token(key.encode("latin-1")).decode("ascii")),
    ]


class WebSocket:
    """An accepted WebSocket connection (server side)."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trailing: bytes = b""
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.protocol = Connection(ConnectionType.SERVER)
        self.closed = asyncio.Event()
        """Set when the client closed (close frame or disconnect)."""
        self._trailing = trailing
        self._pending = 0

    async def send_text(self, text: str) -> None:
        """One text frame; waits (at the client's pace) every ``FLUSH_BYTES`` sent."""
        if self.closed.is_set():
            raise ConnectionResetError("websocket closed by the client")
        data = self.protocol.send(TextMessage(data=text))
        self.writer.write(data)
        self._pending += len(data)
        if self._pending >= FLUSH_BYTES:
            self._pending = 0
            await self.writer.drain()

    async def flush(self) -> None:
        """Wait until the transport took what was sent; cut the client off after ``SEND_GRACE``."""
        self._pending = 0
        try:
            await asyncio.wait_for(self.writer.drain(), SEND_GRACE)
        except TimeoutError:
            self.abort()
            raise ConnectionResetError("the client took nothing for too long") from None

    def abort(self) -> None:
        """Disconnect now, dropping whatever the client has not taken yet."""
        self.closed.set()
        self.writer.transport.abort()

    async def receive_until_closed(self) -> None:
        """Read the client's frames (pings, close) until it closes or disconnects."""
        try:
            if self._trailing:
                self.protocol.receive_data(self._trailing)
                self._trailing = b""
                await self._handle_events()
            while not self.closed.is_set():
                data = await self.reader.read(READ_SIZE)
                self.protocol.receive_data(data or None)
                await self._handle_events()
                if not data:
                    break
        except (OSError, RuntimeError):
            pass
        finally:
            self.closed.set()

    async def _handle_events(self) -> None:
        for event in self.protocol.events():
            if isinstance(event, Ping):
                self.writer.write(self.protocol.send(event.response()))
                await self.writer.drain()
            elif isinstance(event, CloseConnection):
                if self.protocol.state is ConnectionState.REMOTE_CLOSING:
                    self.writer.write(self.protocol.send(event.response()))
                    with contextlib.suppress(OSError):
                        await self.writer.drain()
                self.closed.set()
            elif isinstance(event, TextMessage | BytesMessage):
                pass  # the API expects nothing from the client

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Send a close frame and give the client a moment to answer it.

        A client that does not take the close frame within ``SEND_GRACE``, or
        leaves data untaken after ``CLOSE_WAIT``, is disconnected outright.
        """
        if self.protocol.state is ConnectionState.OPEN:
            try:
                self.writer.write(self.protocol.send(CloseConnection(code=code, reason=reason)))
                await self.flush()
            except OSError:
                return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closed.wait(), CLOSE_WAIT)
        if self.writer.transport.get_write_buffer_size():
            self.abort()

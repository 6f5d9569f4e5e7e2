"""A blocking WebSocket client for the log stream, framed by ``wsproto``.

The API streams a job's log as one text frame per line. The original client
ends quietly on a normal close (1000) or a dropped connection (1006); any other
close code, and a refused handshake, is an error. A refused handshake here
shows the server's own answer (``job "x" not found or is not controllable``,
with the hint ``job status`` gives) where the original only said
``websocket: bad handshake``.
"""

from __future__ import annotations

import contextlib

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    RejectData,
    Request,
    TextMessage,
)

from .errors import CtlError
from .transport import connect

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _socket import socket
    from collections.abc import Iterator

    from .address import Endpoint

READ_SIZE = 65536
QUIET_CLOSE_CODES = (1000, 1006)


class LogStream:
    """One WebSocket session; iterate it for the text messages the server sends."""

    def __init__(self, endpoint: Endpoint, path: str) -> None:
        self.endpoint = endpoint
        self.path = path
        self.sock: socket | None = None
        self.ws = WSConnection(ConnectionType.CLIENT)

    def _send(self, data: bytes) -> None:
        if self.sock is not None and data:
            self.sock.sendall(data)

    def __iter__(self) -> Iterator[str]:
        self.sock = connect(self.endpoint, timeout=None)
        url = self.endpoint.url(self.path, scheme="ws")
        try:
            self._send(
                self.ws.send(
                    Request(host=self.endpoint.host_header, target=self.endpoint.target(self.path))
                )
            )
            yield from self._events(url)
        except OSError as exc:
            raise CtlError(f"failed to read logs from {url}: {exc.strerror or exc}") from None
        finally:
            self.close()

    def _events(self, url: str) -> Iterator[str]:
        parts: list[str] = []
        rejected: RejectConnection | None = None
        body = bytearray()
        assert self.sock is not None
        while True:
            data = self.sock.recv(READ_SIZE)
            self.ws.receive_data(data or None)
            for event in self.ws.events():
                if isinstance(event, AcceptConnection):
                    continue
                if isinstance(event, RejectConnection):
                    rejected = event
                    if not event.has_body:
                        raise CtlError(_refusal(url, event.status_code, ""))
                elif isinstance(event, RejectData):
                    body += event.data
                    if event.body_finished and rejected is not None:
                        raise CtlError(_refusal(url, rejected.status_code, bytes(body)))
                elif isinstance(event, TextMessage):
                    parts.append(event.data)
                    if event.message_finished:
                        yield "".join(parts)
                        parts.clear()
                elif isinstance(event, Ping):
                    self._send(self.ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    self._answer_close(event)
                    if event.code not in QUIET_CLOSE_CODES:
                        reason = f": {event.reason}" if event.reason else ""
                        raise CtlError(
                            f"the log stream ended abnormally (close code {event.code}{reason})"
                        )
                    return
            if not data:
                if rejected is not None:
                    raise CtlError(_refusal(url, rejected.status_code, bytes(body)))
                return

    def _answer_close(self, event: CloseConnection) -> None:
        with contextlib.suppress(Exception):
            self._send(self.ws.send(event.response()))

    def close(self) -> None:
        """Say goodbye (close code 1000) if the session is still open, then disconnect."""
        if self.sock is None:
            return
        from wsproto.connection import ConnectionState

        if self.ws.state is ConnectionState.OPEN:
            with contextlib.suppress(Exception):
                self._send(self.ws.send(CloseConnection(code=1000)))
        self.sock.close()
        self.sock = None


def _refusal(url: str, status: int, body: bytes | str) -> str:
    """The error for a refused handshake: the server's text body, with the same hint as
    ``job status`` for a job that is not controllable (the URL only when nothing was said).
    """
    from .client import NOT_CONTROLLABLE_HINT

    text = body.decode("utf-8", "replace").strip() if isinstance(body, bytes) else body
    if not text:
        return f"error dialing to {url}: HTTP status {status}"
    if status == 404 and "not controllable" in text:
        text += f"\n{NOT_CONTROLLABLE_HINT}"
    return text

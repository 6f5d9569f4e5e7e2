"""One HTTP/1.1 request per connection, framed by ``h11`` over a blocking socket.

A CLI makes one to a few requests and exits, so a blocking socket is the
cheapest correct choice; ``h11`` does the parsing (chunked bodies, framing,
malformed responses) so that no hand-written protocol code is needed.
"""

from __future__ import annotations

import h11

from .errors import CtlError
from .transport import connect

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .address import Endpoint

READ_SIZE = 65536
REQUEST_TIMEOUT = 10.0
USER_AGENT = "mittnitectl"


class Reply:
    """A complete response: status, lower-cased headers and the whole body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def text(self) -> str:
        """The body as text, trimmed (Go's ``http.Error`` bodies end with a newline)."""
        return self.body.decode("utf-8", "replace").strip()


def request(endpoint: Endpoint, method: str, path: str, timeout: float = REQUEST_TIMEOUT) -> Reply:
    """Send ``method path`` to the API and read the whole response."""
    headers = [("Host", endpoint.host_header), ("User-Agent", USER_AGENT)]
    if method == "POST":
        # As the original client: a JSON content type and no body.
        headers += [("Content-Type", "application/json"), ("Content-Length", "0")]
    connection = h11.Connection(h11.CLIENT)
    sock = connect(endpoint, timeout)
    try:
        sock.sendall(
            connection.send(
                h11.Request(method=method, target=endpoint.target(path), headers=headers)
            )
            + connection.send(h11.EndOfMessage())
        )
        return _read_reply(connection, sock.recv, endpoint, path)
    except TimeoutError:
        raise CtlError(
            f"{method} {endpoint.url(path)}: mittnite's API did not answer within {timeout:g}s"
        ) from None
    except OSError as exc:
        raise CtlError(f"{method} {endpoint.url(path)}: {exc.strerror or exc}") from None
    finally:
        sock.close()


def _read_reply(
    connection: h11.Connection, recv: Callable[[int], bytes], endpoint: Endpoint, path: str
) -> Reply:
    """Feed received bytes to ``h11`` until the response is complete."""
    status = 0
    headers: dict[str, str] = {}
    body = bytearray()
    while True:
        try:
            event = connection.next_event()
        except h11.RemoteProtocolError as exc:
            raise CtlError(
                f"{endpoint.url(path)}: malformed response from the API: {exc}"
            ) from None
        if event is h11.NEED_DATA:
            connection.receive_data(recv(READ_SIZE))
            continue
        if isinstance(event, h11.Response):
            status = event.status_code
            headers = {
                name.decode().lower(): value.decode("latin-1") for name, value in event.headers
            }
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            if not status:
                raise CtlError(
                    f"{endpoint.url(path)}: the API closed the connection without answering"
                )
            return Reply(status, headers, bytes(body))

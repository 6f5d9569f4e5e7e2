"""Connecting to an upstream that may not be accepting yet.

A lazily started process needs a moment before it listens. The original dials every
20 ms, first attempt after 20 ms, so every forwarded connection paid at least 20 ms.
Here the first attempt is immediate, and the pause before each retry is a tenth of the
time spent dialling so far, between 1 ms and 50 ms. So a ready upstream costs nothing
extra, a process that starts listening after *t* is reached at most about *t*/10 later
(4 ms for a 40 ms start, never more than 50 ms), and one that takes seconds is tried
20 times a second, not hammered: a refused loopback connect costs microseconds. The
caller bounds the whole thing with its own deadline (``asyncio.timeout_at``).
"""

from __future__ import annotations

import asyncio
import socket

from mittnite.runtime.goerrors import errno_text
from mittnite.runtime.listen import format_address, resolve, unix_sockaddr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mittnite.runtime.listen import Sockaddr, SocketAddress

__all__ = ["LAST_RETRY", "RETRY_FRACTION", "SHORTEST_RETRY", "Dialer"]

SHORTEST_RETRY = 0.001
LAST_RETRY = 0.05
RETRY_FRACTION = 0.1  # pause = this share of the time spent dialling so far


class Dialer:
    """Dials one configured upstream address, retrying until cancelled."""

    __slots__ = ("_candidates", "host", "is_tcp", "network", "path", "port", "text")

    def __init__(self, address: SocketAddress) -> None:
        self.network = address.family
        self.host = address.host
        self.port = address.port
        self.path = address.path
        self.is_tcp = not address.family.startswith("unix")
        self.text = format_address(address)
        self._candidates: list[tuple[int, Sockaddr]] | None = None

    def _targets(self) -> list[tuple[int, Sockaddr]]:
        """Where to connect; a host name is looked up once and then remembered."""
        if not self.is_tcp:
            return [(socket.AF_UNIX, unix_sockaddr(self.path))]
        if self._candidates is None:
            found = resolve(self.network, self.host, self.port, passive=False)
            self._candidates = found
        return self._candidates

    async def connect_once(self) -> socket.socket:
        """One attempt over all candidate addresses; raises the last ``OSError``."""
        loop = asyncio.get_running_loop()
        last: OSError | None = None
        kind = socket.SOCK_SEQPACKET if self.network == "unixpacket" else socket.SOCK_STREAM
        for family, sockaddr in self._targets():
            sock = socket.socket(family, kind)
            try:
                sock.setblocking(False)
                await loop.sock_connect(sock, sockaddr)
            except OSError as error:
                sock.close()
                last = error
                continue
            except BaseException:
                sock.close()
                raise
            if self.is_tcp:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        raise last if last is not None else OSError("no address to dial")

    async def connect(self) -> socket.socket:
        """Dial until it works; the caller's timeout or cancellation ends the attempts."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        while True:
            try:
                return await self.connect_once()
            except OSError:
                pass
            waited = loop.time() - began
            await asyncio.sleep(min(max(waited * RETRY_FRACTION, SHORTEST_RETRY), LAST_RETRY))

    def describe_error(self, error: OSError) -> str:
        """Go's ``dial tcp 127.0.0.1:80: connect: connection refused``."""
        reason = errno_text(error.errno) if error.errno else str(error)
        return f"dial {self.network} {self.text}: connect: {reason}"

"""``tcp = "<host>:<port>"``: passes when a TCP connection is accepted.

Nothing is sent; the connection is closed at once. Host names are resolved without
blocking the event loop, and every address is tried in turn, so ``localhost`` works
whether the service listens on ``::1`` or ``127.0.0.1``. Connection and error wording
are the probes' (``tcp: connection refused at 127.0.0.1:5432``).
"""

from __future__ import annotations

import contextlib

from ..probes.base import ProbeError
from ..probes.connect import open_tcp
from ..probes.resolve import join_host_port
from .base import CheckFailed

__all__ = ["TcpCheck"]


class TcpCheck:
    """Connect to ``host:port`` within ``timeout`` seconds."""

    kind = "tcp"

    def __init__(self, host: str, port: int, *, timeout: float = 1.0) -> None:
        if not 0 < port < 65536:
            raise ValueError(f"tcp check: port {port} is out of range")
        self.host = host or "localhost"
        self.port = port
        self.timeout = timeout
        self.target = join_host_port(self.host, port)

    async def check(self) -> None:
        try:
            _reader, writer = await open_tcp("tcp", self.host, self.port, timeout=self.timeout)
        except ProbeError as error:
            raise CheckFailed(error.message, unreachable=error.unreachable) from None
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()

    async def aclose(self) -> None:
        """Nothing is kept between attempts."""

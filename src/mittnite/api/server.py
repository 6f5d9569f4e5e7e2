"""The control API server: listener, connections, shutdown.

Started by the supervisor before the readiness wait (so it answers while
probes and boot jobs run) and stopped first at shutdown: it stops accepting,
ends open connections (log followers included) and removes its unix socket.
"""

from __future__ import annotations

import asyncio
import os

from ..runtime.httpserve import Connections, Policy
from .address import parse_address
from .handlers import Api
from .listener import open_listener, remove_socket_file
from .registry import JobRegistry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..logs.logger import Logger
    from ..runtime.inotify import WatchHub
    from .address import ApiAddress
    from .registry import Jobs


# The API ignores bodies but reads them before answering (up to 1 MiB), so a
# malformed one is answered 400.
POLICY = Policy(
    idle_timeout=300.0,
    request_timeout=30.0,
    max_body=1024 * 1024,
    body_first=True,
    internal_error="internal error: ",
)
MAX_CONNECTIONS = 256
"""Open connections at most (log followers included); see ``runtime.httpserve.Connections``."""


class RemoteNotAllowed(ValueError):
    """A non-loopback TCP address without ``--api-allow-remote``."""


class ApiServer:
    """Serves the control API on one address until :meth:`stop`."""

    def __init__(
        self,
        address: str,
        jobs: Jobs,
        *,
        allow_remote: bool = False,
        logger: Logger | None = None,
        secrets: Sequence[str] = (),
        hub: Callable[[], WatchHub] | None = None,
    ) -> None:
        self.address: ApiAddress = parse_address(address)
        if not self.address.is_loopback and not allow_remote:
            raise RemoteNotAllowed(
                f"api listen address {address!r} is reachable from other machines and the "
                "api has no authentication; use a unix socket or a loopback address, or "
                "pass --api-allow-remote"
            )
        self.api = Api(JobRegistry(jobs, secrets), hub)
        self.logger = logger
        self._server: asyncio.Server | None = None
        self.connections = Connections(self.api.handle, POLICY, MAX_CONNECTIONS)
        self._inode: int | None = None

    async def start(self) -> None:
        """Bind and start accepting (raises OSError with a message a person can act on)."""
        sock = open_listener(self.address)
        if self.address.is_unix:
            self._inode = os.stat(self.address.path).st_ino
            self._server = await asyncio.start_unix_server(self.connections.serve, sock=sock)
        else:
            self._server = await asyncio.start_server(self.connections.serve, sock=sock)
        if self.logger is not None:
            self.logger.info(f"remote api listens on {self.address.text}")
            if not self.address.is_loopback:
                self.logger.warning(
                    "the remote api listens on a non-loopback address without authentication: "
                    "anyone who can reach it can control the jobs",
                    address=self.address.text,
                )

    @property
    def bound(self) -> str:
        """The bound address (the real port when ``:0`` was asked for)."""
        if self._server is None or not self._server.sockets:
            return ""
        name = self._server.sockets[0].getsockname()
        return name if isinstance(name, str) else f"{name[0]}:{name[1]}"

    async def stop(self) -> None:
        """Stop accepting, end every connection, remove the socket file."""
        if self.logger is not None:
            self.logger.info("shutting down remote api")
        if self._server is not None:
            self._server.close()
        await self.connections.close()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        if self.address.is_unix:
            remove_socket_file(self.address.path, self._inode)

"""Layer-4 forwarding for one ``listen "ADDR" { forward = "ADDR" }`` block.

A :class:`Forwarder` accepts connections on its listening socket and joins each one to
a fresh connection to the upstream (``runtime.pump``). Before dialling it awaits the
owner's ``ensure_upstream()`` hook: a lazy job starts its process there. The dial then
retries briefly (``runtime.dial``) so a connection to a process that is still starting
is *held*, not refused, and forwarded as soon as the process accepts. All of it
(starting, dialling) is bounded by the spin-up deadline; past it the client is closed and
the original's error is logged (``error while dialling upstream``,
``error="job <name> did not start after <timeout>"``).

Hooks ``on_connection_opened``/``on_connection_closed`` are called exactly once per
accepted connection, whatever happens to it, so the owner can count active
connections for its cool-down. Every socket is closed on every path: client gone, upstream
refusing or dying, deadline, cancellation, ``close()``.

With :meth:`Forwarder.send_proxy_header` (version 1 or 2) the forwarder writes a PROXY protocol header
(``runtime.proxyproto``) describing the client's connection to each upstream connection
right after dialling and before the pump starts, so it precedes every client byte. The
header is built at accept time from the accepted socket; connections without the option
pay nothing (one attribute test per connection).

Differences from the original, on purpose: ``accepted connection`` is logged at debug
level (one info line per connection is a known complaint, §17.19); the first dial is
immediate instead of after 20 ms; accept errors such as "too many open files" pause
accepting for a moment instead of ending the listener.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket

from mittnite.runtime.dial import Dialer
from mittnite.runtime.listen import Listening, open_listener
from mittnite.runtime.proxyproto import header_for
from mittnite.runtime.pump import Pair

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping
    from typing import Any, Protocol

    from mittnite.runtime.listen import SocketAddress

    class LogSink(Protocol):
        """What the forwarder needs of a logger (``logs.logger.BoundLogger``)."""

        def log(self, level: str, msg: str, fields: Mapping[str, Any] | None = None) -> None: ...


__all__ = ["Forwarder"]

_ACCEPTS_PER_WAKEUP = 64  # accept in batches, but let established connections run too
_ACCEPT_PAUSE = 0.1  # out of descriptors or memory: retry accepting after this long
_RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


def _noop() -> None:
    return None


def peer_text(sock: socket.socket, name: object) -> str:
    """A peer address as Go prints it: ``1.2.3.4:5``, ``[::1]:5``, ``@`` for unix."""
    if isinstance(name, tuple) and sock.family in (socket.AF_INET, socket.AF_INET6):
        host = str(name[0])
        return f"[{host}]:{name[1]}" if ":" in host else f"{host}:{name[1]}"
    if isinstance(name, str | bytes) and name:
        return os.fsdecode(name) if isinstance(name, bytes) else name
    return "@"


class _Held:
    """A connection between accept and the pump (while the upstream is prepared)."""

    __slots__ = ("client", "handed_over", "header", "upstream")

    def __init__(self, client: socket.socket, header: bytes | None) -> None:
        self.client = client
        self.header = header
        self.upstream: socket.socket | None = None
        self.handed_over = False


class Forwarder:
    """Listens on one address and forwards every connection to one upstream address."""

    def __init__(
        self,
        listen: SocketAddress,
        forward: SocketAddress,
        *,
        logger: LogSink,
        spin_up_timeout: float,
        timeout_error: str,
        ensure_upstream: Callable[[], Awaitable[None]] | None = None,
        on_connection_opened: Callable[[], None] = _noop,
        on_connection_closed: Callable[[], None] = _noop,
        use_splice: bool = False,
    ) -> None:
        """``timeout_error`` is the text logged when ``spin_up_timeout`` (seconds) passes.

        ``ensure_upstream`` is awaited before each dial (None: the upstream is always
        there); it may raise, which closes that client with the exception's text logged.
        """
        self.listen_address = listen
        self.dialer = Dialer(forward)
        self.log = logger
        self.spin_up_timeout = spin_up_timeout
        self.timeout_error = timeout_error
        self.ensure_upstream = ensure_upstream
        self.on_connection_opened = on_connection_opened
        self.on_connection_closed = on_connection_closed
        self.use_splice = use_splice
        self.proxy_protocol = 0
        """PROXY protocol version sent to the upstream (0: none); see :meth:`send_proxy_header`."""
        self.listening: Listening | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self._pairs: set[Pair] = set()
        self._resume: asyncio.TimerHandle | None = None
        self._is_tcp = not listen.family.startswith("unix")
        self.accepted = 0
        """Connections accepted so far (diagnostics, metrics)."""
        self._moved_closed = [0, 0]
        """Bytes forwarded by connections already closed: client→upstream, upstream→client."""

    def send_proxy_header(self, version: int) -> None:
        """Write a PROXY protocol header of ``version`` (1 or 2; 0: none) to each upstream.

        Applies to connections accepted from now on.
        """
        if version not in (0, 1, 2):
            raise ValueError(f"PROXY protocol version must be 0, 1 or 2, not {version!r}")
        self.proxy_protocol = version

    # -- life cycle ----------------------------------------------------------------------------
    def open(self) -> None:
        """Bind and start accepting; raises ``listen.ListenError`` with Go's text."""
        if self.listening is not None:
            return
        self._loop = asyncio.get_running_loop()
        self.listening = open_listener(self.listen_address)
        self._loop.add_reader(self.listening.sock.fileno(), self._accept)

    @property
    def address(self) -> str:
        """The bound address (with the real port if port 0 was asked for)."""
        if self.listening is None:
            raise RuntimeError("forwarder is not open")
        return self.listening.bound_address

    @property
    def active(self) -> int:
        """Connections accepted and not yet closed (dialling or forwarding)."""
        return len(self._pending) + len(self._pairs)

    def stop_accepting(self) -> None:
        """Close the listening socket (and its file); established connections go on."""
        if self._resume is not None:
            self._resume.cancel()
            self._resume = None
        listening, self.listening = self.listening, None
        if listening is None:
            return
        if self._loop is not None and listening.sock.fileno() >= 0:
            self._loop.remove_reader(listening.sock.fileno())
        listening.close()

    async def close(self) -> None:
        """Stop accepting, end every connection and wait until all hooks have run."""
        self.stop_accepting()
        for pair in tuple(self._pairs):
            pair.abort(None, None)
        tasks = tuple(self._pending)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- accepting -------------------------------------------------------------------------------
    def _accept(self) -> None:
        listening = self.listening
        if listening is None:
            return
        for _ in range(_ACCEPTS_PER_WAKEUP):
            try:
                client, name = listening.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                if error.errno in _RESOURCE_ERRORS:
                    self._pause_accepting(error)
                    return
                continue  # ECONNABORTED and friends: that client is gone, serve the next
            self._connection(client, name)

    def _pause_accepting(self, error: OSError) -> None:
        """Without this the listener would be reported readable again at once, forever."""
        listening = self.listening
        assert listening is not None and self._loop is not None
        self._loop.remove_reader(listening.sock.fileno())
        self.log.log("warning", "cannot accept connections for now", {"error": str(error)})
        self._resume = self._loop.call_later(_ACCEPT_PAUSE, self._resume_accepting)

    def _resume_accepting(self) -> None:
        self._resume = None
        if self.listening is not None and self._loop is not None:
            self._loop.add_reader(self.listening.sock.fileno(), self._accept)
            self._accept()

    def _connection(self, client: socket.socket, name: object) -> None:
        self.accepted += 1
        header: bytes | None = None
        try:
            client.setblocking(False)
            if self._is_tcp:
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.proxy_protocol:
                header = header_for(self.proxy_protocol, client, name)
        except (OSError, ValueError):  # the client is gone already, or has no address
            client.close()
            return
        self.log.log("debug", "accepted connection", {"client.addr": peer_text(client, name)})
        self.on_connection_opened()
        assert self._loop is not None
        held = _Held(client, header)
        task = self._loop.create_task(self._serve(held))
        self._pending.add(task)
        task.add_done_callback(lambda done: self._served(done, held))

    # -- one connection ----------------------------------------------------------------------------
    async def _serve(self, held: _Held) -> None:
        """Start the upstream, dial it and hand both sockets to a pump."""
        assert self._loop is not None
        deadline = self._loop.time() + self.spin_up_timeout
        try:
            async with asyncio.timeout_at(deadline):
                if self.ensure_upstream is not None:
                    await self.ensure_upstream()
                held.upstream = await self.dialer.connect()
                if held.header is not None:
                    await self._send_header(held.upstream, held.header)
        except TimeoutError:
            self._dial_failed(self.timeout_error)
            return
        except Exception as error:  # the hook could not start the process
            self._dial_failed(str(error) or type(error).__name__)
            return
        pair = Pair(held.client, held.upstream, self._pair_closed, use_splice=self.use_splice)
        self._pairs.add(pair)
        held.handed_over = True
        pair.start()

    async def _send_header(self, upstream: socket.socket, header: bytes) -> None:
        """Write the PROXY header at once: a fresh connection's send buffer takes it whole."""
        try:
            sent = upstream.send(header)
        except (BlockingIOError, InterruptedError):
            sent = 0
        if sent < len(header):
            assert self._loop is not None
            await self._loop.sock_sendall(upstream, header[sent:])

    def _served(self, task: asyncio.Task[None], held: _Held) -> None:
        """Clean up a connection that never reached the pump, however its task ended.

        A done-callback rather than ``finally``: a task cancelled before its first step
        never runs its body, and its client must still be closed and reported.
        """
        self._pending.discard(task)
        if held.handed_over:
            return
        if held.upstream is not None:
            held.upstream.close()
        held.client.close()
        self.on_connection_closed()

    def _dial_failed(self, text: str) -> None:
        self.log.log("error", "error while dialling upstream", {"error": text})

    def bytes_forwarded(self) -> tuple[int, int]:
        """Bytes forwarded so far (client→upstream, upstream→client), open connections too."""
        moved_in, moved_out = self._moved_closed
        for pair in self._pairs:
            moved_in += pair.directions[0].moved
            moved_out += pair.directions[1].moved
        return moved_in, moved_out

    def _pair_closed(self, pair: Pair, error: OSError | None) -> None:
        self._pairs.discard(pair)
        self._moved_closed[0] += pair.directions[0].moved
        self._moved_closed[1] += pair.directions[1].moved
        self.on_connection_closed()

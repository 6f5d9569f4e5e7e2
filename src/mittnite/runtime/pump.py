"""Copying bytes both ways between two connected stream sockets.

Why callbacks and not coroutines: a forwarded byte stream is the hottest path in
mittnite. Readiness callbacks (``add_reader``/``add_writer``) move a chunk with two
system calls and no future, task or wake-up per chunk; awaiting ``sock_recv`` and
``sock_sendall`` would allocate several objects per chunk.

How bytes move (measured with ``bench/proxy.py``, 1 GiB over loopback on two cores):

* default: ``recv_into``/``send`` through 1 MiB buffers from a small pool. A direction
  holds a buffer only while its destination is behind, so idle and flowing connections
  share one buffer and cost no extra descriptors. Large chunks matter: 64 KiB chunks
  reached 0.37x of a direct transfer, 1 MiB chunks 0.6x.
* ``use_splice=True``: socket → pipe → socket inside the kernel with ``splice``; no
  byte passes through Python, but each direction holds a pipe (two descriptors) and the
  page-sized fragments it sends make a receiver work harder, so end to end it was
  slower (0.6-0.66x). Kept as an option for receivers where that does not hold.

Rules every direction keeps:

* back-pressure: the buffer is bounded (one chunk, or the pipe's capacity); while it is
  full the direction stops reading and waits for the destination to drain;
* half-close: end of stream from the source is passed on as ``shutdown(SHUT_WR)`` once
  everything before it is delivered; the pair closes when both directions ended;
* errors (reset, broken pipe) abort the pair: both sockets are closed and the side that
  did not fail is reset (``SO_LINGER`` 0), so a client learns that its stream broke
  instead of seeing a clean end;
* fairness: one callback moves at most a few chunks, then yields to other connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import socket
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["CHUNK", "Pair", "splice_supported"]

CHUNK = 1 << 20  # copy buffer size and requested pipe capacity
_ROUNDS = 16  # chunks per callback before yielding to other connections
_POOL_KEEP = 2  # idle copy buffers kept for reuse
_SPLICE = getattr(os, "splice", None)
_SPLICE_FLAGS = getattr(os, "SPLICE_F_MOVE", 1) | getattr(os, "SPLICE_F_NONBLOCK", 2)
_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST
_FATAL_PIPE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOMEM)


def splice_supported() -> bool:
    """Whether this Python and platform offer ``os.splice``."""
    return _SPLICE is not None


class _BufferPool:
    """Copy buffers for directions without ``splice``.

    A direction holds a buffer only while data waits for a slow destination; every other
    direction borrows one for the duration of a callback and gives it straight back. So a
    thousand idle or flowing connections share one buffer, and memory grows only with the
    number of destinations that are actually behind (one chunk each, at most).
    """

    __slots__ = ("free",)

    def __init__(self) -> None:
        self.free: list[tuple[bytearray, memoryview]] = []

    def take(self) -> tuple[bytearray, memoryview]:
        if self.free:
            return self.free.pop()
        buffer = bytearray(CHUNK)
        return buffer, memoryview(buffer)

    def give(self, buffer: bytearray, view: memoryview) -> None:
        if len(self.free) < _POOL_KEEP and len(buffer) == CHUNK:
            self.free.append((buffer, view))
        else:
            view.release()


_POOL = _BufferPool()


class _Direction:
    """Bytes from ``src`` to ``dst``; owned by a :class:`Pair`.

    With ``splice`` the pipe is a bounded queue: the direction keeps reading while the
    pipe has room, even when ``dst`` is momentarily full, so reading and writing overlap;
    it stops reading when the pipe is full. ``splice`` answers EAGAIN both for "no data"
    and for "pipe full", so an EAGAIN with data queued pauses reading until a write made
    room (otherwise a readable socket and a full pipe would spin the loop).
    """

    __slots__ = (
        "blocked",
        "buffer",
        "capacity",
        "done",
        "dst",
        "dst_fd",
        "eof",
        "loop",
        "moved",
        "offset",
        "pair",
        "pending",
        "pipe_r",
        "pipe_w",
        "reading",
        "src",
        "src_fd",
        "use_splice",
        "view",
        "writing",
    )

    def __init__(
        self, pair: Pair, src: socket.socket, dst: socket.socket, use_splice: bool
    ) -> None:
        self.pair = pair
        self.loop = pair.loop
        self.src = src
        self.dst = dst
        self.src_fd = src.fileno()
        self.dst_fd = dst.fileno()
        self.use_splice = use_splice
        self.pipe_r = -1
        self.pipe_w = -1
        self.capacity = 0
        self.buffer: bytearray | None = None
        self.view: memoryview | None = None
        self.offset = 0
        self.pending = 0  # bytes read from src, not yet written to dst
        self.moved = 0  # bytes written to dst so far (for the metrics)
        self.eof = False  # src ended; shut dst down once pending is delivered
        self.done = False
        self.reading = False  # reader registered on src
        self.writing = False  # writer registered on dst
        self.blocked = False  # the last write left data behind: wait for the writer

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        self.loop.add_reader(self.src_fd, self.on_readable)
        self.reading = True

    def stop(self) -> None:
        """Unhook from the loop and release the buffer (the pair closes the sockets)."""
        self._pause_reading()
        if self.writing:
            self.loop.remove_writer(self.dst_fd)
            self.writing = False
        self.done = True
        self._release()

    def _pause_reading(self) -> None:
        if self.reading:
            self.loop.remove_reader(self.src_fd)
            self.reading = False

    def _release(self) -> None:
        if self.pipe_r >= 0:
            os.close(self.pipe_r)
            os.close(self.pipe_w)
            self.pipe_r = self.pipe_w = -1
        self._give_back()

    def _give_back(self) -> None:
        """Return the copy buffer to the pool (it is only held while data waits)."""
        if self.buffer is not None:
            assert self.view is not None
            _POOL.give(self.buffer, self.view)
            self.view = self.buffer = None

    def _ensure_buffer(self) -> None:
        if self.use_splice and self.pipe_r < 0:
            try:
                self.pipe_r, self.pipe_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError as error:
                if error.errno not in _FATAL_PIPE_ERRORS:
                    raise
                self.use_splice = False  # short of descriptors: copy instead
            else:
                try:
                    self.capacity = fcntl.fcntl(self.pipe_w, fcntl.F_SETPIPE_SZ, CHUNK)
                except OSError:  # over the unprivileged pipe quota: the default size
                    self.capacity = fcntl.fcntl(self.pipe_w, fcntl.F_GETPIPE_SZ)
        if not self.use_splice and self.buffer is None:
            self.buffer, self.view = _POOL.take()

    # -- moving data ---------------------------------------------------------------------------
    def _room(self) -> int:
        if self.use_splice:
            return self.capacity - self.pending
        return 0 if self.pending else CHUNK

    def _fill(self, room: int) -> int:
        """Read up to ``room`` bytes; 0 at end of stream; BlockingIOError when none fit."""
        if self.use_splice:
            assert _SPLICE is not None
            try:
                count: int = _SPLICE(self.src_fd, self.pipe_w, room, flags=_SPLICE_FLAGS)
                return count
            except OSError as error:
                if error.errno != errno.EINVAL or self.pending:
                    raise
                self._release()  # this socket type cannot be spliced: copy from now on
                self.use_splice = False
                self._ensure_buffer()
        assert self.buffer is not None
        self.offset = 0
        return self.src.recv_into(self.buffer)

    def _flush(self) -> None:
        """Write as much as dst takes now (maybe nothing); real errors raise."""
        try:
            if self.use_splice:
                assert _SPLICE is not None
                sent = _SPLICE(self.pipe_r, self.dst_fd, self.pending, flags=_SPLICE_FLAGS)
            else:
                assert self.view is not None
                sent = self.dst.send(self.view[self.offset : self.offset + self.pending])
                self.offset += sent
        except (BlockingIOError, InterruptedError):
            self.blocked = True
            return
        self.pending -= sent
        self.moved += sent
        self.blocked = self.pending > 0

    def on_readable(self) -> None:
        try:
            self._ensure_buffer()
            for _ in range(_ROUNDS):
                room = self._room()
                if room <= 0:
                    self._pause_reading()
                    break
                try:
                    count = self._fill(room)
                except (BlockingIOError, InterruptedError):
                    if self.pending:
                        self._pause_reading()  # maybe the pipe is full: wait for a write
                    break
                if count == 0:
                    self.eof = True
                    self._pause_reading()
                    break
                self.pending += count
                if not self.blocked:
                    self._flush()
            if not self.pending and not self.use_splice:
                self._give_back()
            self._settle()
        except OSError as error:
            self.pair.abort(self, error)

    def on_writable(self) -> None:
        try:
            self._flush()
        except OSError as error:
            self.pair.abort(self, error)
            return
        if not self.pending and not self.use_splice:
            self._give_back()
        if not self.reading and not self.eof and self._room() > 0:
            self.loop.add_reader(self.src_fd, self.on_readable)
            self.reading = True
        self._settle()

    def _settle(self) -> None:
        """Register for writability while data waits; finish once src ended and all is out."""
        if self.pending:
            if not self.writing:
                self.loop.add_writer(self.dst_fd, self.on_writable)
                self.writing = True
            return
        if self.writing:
            self.loop.remove_writer(self.dst_fd)
            self.writing = False
        if self.eof and not self.done:
            self._end_of_stream()

    def _end_of_stream(self) -> None:
        self.done = True
        self._release()
        # The peer may be gone already (ENOTCONN); the other direction will notice.
        with contextlib.suppress(OSError):
            self.dst.shutdown(socket.SHUT_WR)
        self.pair.direction_done()


class Pair:
    """A client socket and an upstream socket joined until both directions end."""

    __slots__ = ("_on_closed", "client", "closed", "directions", "loop", "upstream")

    def __init__(
        self,
        client: socket.socket,
        upstream: socket.socket,
        on_closed: Callable[[Pair, OSError | None], None],
        *,
        use_splice: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.loop = loop or asyncio.get_running_loop()
        self.client = client
        self.upstream = upstream
        self._on_closed = on_closed
        self.closed = False
        zero_copy = bool(use_splice) and splice_supported()
        self.directions = (
            _Direction(self, client, upstream, zero_copy),
            _Direction(self, upstream, client, zero_copy),
        )

    def start(self) -> None:
        for direction in self.directions:
            direction.start()

    def direction_done(self) -> None:
        if all(direction.done for direction in self.directions):
            self._close(None, reset=None)

    def abort(self, failed: _Direction | None, error: OSError | None) -> None:
        """End the pair now; the side that did not fail gets a reset."""
        if self.closed:
            return
        if failed is None:
            reset = None
        else:
            # A failed read blames the reading direction's source; a failed write its dst.
            broken = failed.dst if failed.pending else failed.src
            reset = self.upstream if broken is self.client else self.client
        self._close(error, reset=reset)

    def _close(self, error: OSError | None, *, reset: socket.socket | None) -> None:
        if self.closed:
            return
        self.closed = True
        for direction in self.directions:
            direction.stop()
        for sock in (self.client, self.upstream):
            if sock is reset:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
            sock.close()
        self._on_closed(self, error)

"""Writing to a destination that may stall, without ever blocking the event loop.

A :class:`Sink` is one destination (mittnite's stdout, its stderr, a job's
log file) with a bounded buffer. Writes that the destination cannot take now
are buffered and written when it becomes writable (``loop.add_writer``).
Producers ask :meth:`Sink.has_room` before they read more and wait with
:meth:`Sink.when_room` while the buffer holds :data:`HIGH_WATER` bytes or more:
that is how back-pressure reaches the jobs (their pipes are not read, so they
block in their own ``write``), while reaping, signals and servers go on.

Non-blocking without touching anybody else's descriptor. ``O_NONBLOCK`` is a
flag of the *open file description*, which fd 1 shares with mittnite's parent
(a shell, ``docker``), with its own stderr after ``2>&1`` and with every child
that inherited it: setting it there would hand them ``EAGAIN`` errors. So:

* pipes, FIFOs, terminals and other character devices are opened again
  through ``/proc/self/fd/N``: a new open file description of the same pipe
  or terminal, private to mittnite, made non-blocking;
* sockets cannot be reopened: each ``send`` passes ``MSG_DONTWAIT`` instead;
* regular files and block devices are written directly: a write to them
  never waits for a reader;
* if reopening is impossible (no ``/proc``, no permission), a writer thread
  does the blocking writes and the loop only hands it buffers
  (:class:`~mittnite.runtime.sink_thread.ThreadedSink`), with the same limits.

A destination that fails (``EPIPE``: the reader is gone; ``EIO``: the
terminal hung up) is *broken*: from then on its data is discarded and
counted in :attr:`Sink.discarded` (and reported once through
:attr:`Sink.on_break`); producers are never blocked by it, so a job is never
taken down because nobody reads mittnite's output.

mittnite's own log lines (:meth:`Sink.write_log`) cannot be held back: they
may exceed the limit by :data:`LOG_ALLOWANCE`, beyond that they are dropped,
counted, and a note saying how many bytes were dropped is written once the
destination accepts data again.

After :meth:`Sink.close` (mittnite is exiting) every write is attempted once,
without waiting, and what the destination does not take is discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
from collections import deque

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from collections.abc import Callable

HIGH_WATER = 1 << 20  # bytes buffered per destination before its producers pause
LOW_WATER = 256 << 10  # producers resume once the buffer is down to this
LOG_ALLOWANCE = 256 << 10  # extra room for mittnite's own log lines, then they are dropped
PIPE_CAPACITY = 1 << 20  # requested capacity of a pipe that mittnite's output goes into
_F_SETPIPE_SZ, _F_GETPIPE_SZ = 1031, 1032
_BATCH_BYTES = 1 << 20  # at most this much per writev
_BATCH_PARTS = 64
_OPEN, _BROKEN, _CLOSED = "open", "broken", "closed"
LOG_WRITER = object()
"""The ``owner`` of mittnite's own log lines (see :attr:`Sink.last_writer`)."""


class _FdOutput:
    """Writes to a descriptor that is non-blocking (ours) or never waits (a regular file)."""

    def __init__(self, fd: int, *, owned: bool, pollable: bool = True) -> None:
        self.fd = fd
        self.owned = owned
        self.pollable = pollable
        """False for regular files and block devices: the loop cannot wait for them to take
        more (epoll refuses them), and a short write means a limit (disk full), not a wait."""

    def write(self, data: bytes | memoryview) -> int:
        try:
            return os.write(self.fd, data)
        except (BlockingIOError, InterruptedError):
            return 0

    def writev(self, parts: list[bytes | memoryview]) -> int:
        try:
            return os.writev(self.fd, parts)
        except (BlockingIOError, InterruptedError):
            return 0

    def close(self) -> None:
        if self.owned:
            with contextlib.suppress(OSError):
                os.close(self.fd)


class _SocketOutput:
    """Writes to a socket without waiting (``MSG_DONTWAIT``), whatever its flags say."""

    def __init__(self, sock: socket.socket) -> None:
        import socket as socket_module

        self.sock = sock
        self.fd = sock.fileno()
        self.pollable = True
        self._flags = socket_module.MSG_DONTWAIT | socket_module.MSG_NOSIGNAL

    def write(self, data: bytes | memoryview) -> int:
        try:
            return self.sock.send(data, self._flags)
        except (BlockingIOError, InterruptedError):
            return 0

    def writev(self, parts: list[bytes | memoryview]) -> int:
        try:
            return self.sock.sendmsg(parts, (), self._flags)
        except (BlockingIOError, InterruptedError):
            return 0

    def close(self) -> None:
        self.sock.close()


class _PendingSplice:
    """The rest of a block being moved from a job's pipe by ``splice`` (``runtime.splice``).

    Holds its own descriptor of the job's pipe, so the move can finish even if the
    job's reader lets go of the pipe meanwhile.
    """

    __slots__ = ("fd", "on_done", "remaining")

    def __init__(self, fd: int, remaining: int, on_done: Callable[[], None]) -> None:
        self.fd = os.dup(fd)
        self.remaining = remaining
        self.on_done = on_done

    def finish(self, *, discard: bool = False) -> None:
        if discard and self.remaining:
            from .splice import discard as throw_away

            throw_away(self.fd, self.remaining)
        self.remaining = 0
        os.close(self.fd)
        self.on_done()


class Sink:
    """One destination with a bounded buffer; never blocks the loop (see the module doc)."""

    def __init__(
        self,
        output: _FdOutput | _SocketOutput,
        *,
        high_water: int = HIGH_WATER,
        low_water: int = LOW_WATER,
    ) -> None:
        self._output = output
        self.high_water = high_water
        self.low_water = min(low_water, high_water)
        self._buffer: deque[bytes | memoryview | _PendingSplice] = deque()
        self.buffered = 0
        """Bytes accepted but not yet written."""
        self.discarded = 0
        """Bytes accepted but never written (the destination broke, or mittnite exited)."""
        self.log_dropped = 0
        """Bytes of mittnite's own log lines dropped (not yet reported in a note)."""
        self.error: OSError | None = None
        self.on_break: Callable[[OSError], None] | None = None
        """Told once, on a later turn of the loop, that the destination broke (to log it)."""
        self.last_writer: object = None
        """Who wrote last (a framer continues a shown partial line only if it was itself)."""
        self._state = _OPEN
        self._writing = False
        self._waiters: list[Callable[[], None]] = []
        self._drained: list[asyncio.Future[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def fileno(self) -> int:
        return self._output.fd

    @property
    def broken(self) -> bool:
        return self._state == _BROKEN

    @property
    def idle(self) -> bool:
        """Open with nothing queued: a block may be moved to it directly (``splice_from``)."""
        return self._state == _OPEN and not self._buffer

    @property
    def can_splice(self) -> bool:
        """Whether the destination is a pipe that ``splice`` can move job output into."""
        if not isinstance(self._output, _FdOutput):
            return False
        try:
            return stat.S_ISFIFO(os.fstat(self._output.fd).st_mode)
        except OSError:
            return False

    def splice_from(self, fd: int, count: int, owner: object, on_done: Callable[[], None]) -> bool:
        """Move ``count`` bytes waiting in pipe ``fd`` here inside the kernel (when idle).

        True when done; False when the rest is queued, in order with later writes:
        ``on_done`` is called once it is moved (or discarded), and until then the
        producer must not read ``fd``.
        """
        from .splice import SPLICE_F_NONBLOCK, discard

        self.last_writer = owner
        moved = 0
        try:
            moved = os.splice(fd, self._output.fd, count, flags=SPLICE_F_NONBLOCK)
        except BlockingIOError:
            pass
        except OSError as error:
            if self._state == _OPEN:
                self._break(error, 0)
        if moved == count:
            return True
        if self._state != _OPEN:  # broken, or exiting: tried once, the rest is thrown away
            discard(fd, count - moved)
            self.discarded += count - moved
            return True
        self._buffer.append(_PendingSplice(fd, count - moved, on_done))
        self.buffered += count - moved
        self._want_writable()
        return False

    # -- producers ---------------------------------------------------------------------------
    def has_room(self) -> bool:
        """Whether producers may read more (always, once broken or closed)."""
        return self.buffered < self.high_water or self._state != _OPEN

    def when_room(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the buffer is down to the low-water mark."""
        self._waiters.append(callback)
        if self.buffered <= self.low_water or self._state != _OPEN:
            self._wake()

    def write(self, data: bytes | memoryview, owner: object = None) -> None:
        """Accept ``data``: written now as far as possible, the rest buffered."""
        size = len(data)
        if not size:
            return
        self.last_writer = owner
        if self._state != _OPEN:
            self._write_once(data)
            return
        if self._buffer:
            self._buffer.append(data if isinstance(data, bytes) else bytes(data))
            self.buffered += size
            return
        try:
            written = self._output.write(data)
        except OSError as error:
            self._break(error, size)
            return
        if written < size:
            rest = data[written:]
            if not self._output.pollable:
                self._write_through(rest)
                return
            self._buffer.append(rest if isinstance(rest, bytes) else bytes(rest))
            self.buffered += size - written
            self._want_writable()

    def _write_through(self, rest: bytes | memoryview) -> None:
        """A regular file took part of a write: the rest is tried once more now.

        Nothing can be waited for (the file is as writable as it will get); the second
        attempt reports the limit that cut the first short (``ENOSPC``, ``EFBIG``), which
        breaks the sink. A second short write discards the rest.
        """
        try:
            written = self._output.write(rest)
        except OSError as error:
            self._break(error, len(rest))
            return
        self.discarded += len(rest) - written

    def write_log(self, data: bytes) -> None:
        """mittnite's own log line: never held back; dropped (and counted) beyond the allowance."""
        if self._state == _OPEN and self.buffered + len(data) > self.high_water + LOG_ALLOWANCE:
            self.log_dropped += len(data)
            return
        if self.log_dropped and self.buffered <= self.low_water:
            note = (
                f"mittnite: {self.log_dropped} bytes of mittnite's log lines were dropped "
                "while this output was blocked\n"
            )
            self.log_dropped = 0
            self.write(note.encode(), LOG_WRITER)
        self.write(data, LOG_WRITER)

    # -- the loop side -------------------------------------------------------------------------
    def _want_writable(self) -> None:
        if self._writing:
            return
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (any more): nobody could wait for the rest
                self.close()
                return
        self._loop.add_writer(self._output.fd, self._on_writable)
        self._writing = True

    def _stop_writing(self) -> None:
        if self._writing and self._loop is not None and not self._loop.is_closed():
            self._loop.remove_writer(self._output.fd)
        self._writing = False

    def _on_writable(self) -> None:
        if not self._buffer:
            self._stop_writing()
            return
        first = self._buffer[0]
        try:
            if isinstance(first, _PendingSplice):
                written = self._splice_more(first)
            else:
                written = self._write_more()
        except OSError as error:
            self._break(error, 0)
            return
        self.buffered -= written
        if not self._buffer:
            self._stop_writing()
            self._settle_drained()
        if self.buffered <= self.low_water:
            self._wake()

    def _write_more(self) -> int:
        parts: list[bytes | memoryview] = []
        total = 0
        for part in self._buffer:
            if isinstance(part, _PendingSplice):
                break
            parts.append(part)
            total += len(part)
            if total >= _BATCH_BYTES or len(parts) >= _BATCH_PARTS:
                break
        written = self._output.writev(parts) if len(parts) > 1 else self._output.write(parts[0])
        buffer = self._buffer
        left = written
        while left:
            head = buffer[0]
            assert not isinstance(head, _PendingSplice)
            if left >= len(head):
                left -= len(head)
                buffer.popleft()
            else:
                buffer[0] = memoryview(head)[left:]
                left = 0
        return written

    def _splice_more(self, pending: _PendingSplice) -> int:
        from .splice import SPLICE_F_NONBLOCK

        try:
            moved = os.splice(
                pending.fd, self._output.fd, pending.remaining, flags=SPLICE_F_NONBLOCK
            )
        except BlockingIOError:
            return 0
        pending.remaining -= moved
        if not pending.remaining:
            self._buffer.popleft()
            pending.finish()
        return moved

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for callback in waiters:
            callback()

    def _break(self, error: OSError, unwritten: int) -> None:
        self._mark_broken(error)
        self._drop_buffer(unwritten)

    def _mark_broken(self, error: OSError) -> None:
        """From now on everything is discarded; ``on_break`` hears of it once.

        The report is deferred to the loop: the write that failed may be a log line,
        and logging from inside the logger's own write must not happen.
        """
        self.error = error
        self._state = _BROKEN
        if self.on_break is None:
            return
        try:
            loop = self._loop or asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: exiting, nobody left to tell
        if not loop.is_closed():
            loop.call_soon(self.on_break, error)

    def _drop_buffer(self, unwritten: int = 0) -> None:
        self.discarded += self.buffered + unwritten
        pending = [item for item in self._buffer if isinstance(item, _PendingSplice)]
        self._buffer.clear()
        self.buffered = 0
        self._stop_writing()
        for item in pending:
            item.finish(discard=True)
        self._settle_drained()
        self._wake()

    def _settle_drained(self) -> None:
        waiting, self._drained = self._drained, []
        for future in waiting:
            if not future.done():
                future.set_result(None)

    def _write_once(self, data: bytes | memoryview) -> None:
        """Broken or closed: one attempt without waiting; what is not taken is discarded."""
        if self._state == _BROKEN:
            self.discarded += len(data)
            return
        try:
            written = self._output.write(data)
        except OSError:
            written = 0
        self.discarded += len(data) - written

    # -- the end ---------------------------------------------------------------------------
    async def drain(self, timeout: float) -> bool:
        """Wait until everything accepted is written (True) or ``timeout`` passed (False)."""
        if not self._buffer:
            return True
        future = asyncio.get_running_loop().create_future()
        self._drained.append(future)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, timeout)
        return not self._buffer

    def close(self) -> None:
        """mittnite is exiting: discard what is still buffered; later writes are tried once."""
        if self._state == _OPEN:
            self._state = _CLOSED
        self._drop_buffer()

    def release(self) -> None:
        """Close the descriptor if the sink owns it (a job's log file, after its run)."""
        self.close()
        self._output.close()


def open_sink(fd: int, *, owned: bool = False, allow_thread: bool = True) -> Sink:
    """A sink for ``fd``, made non-blocking without affecting anybody else (module doc).

    ``owned``: the descriptor was opened by mittnite for this sink alone (a
    job's log file), so its own flags may be changed and it is closed by
    :meth:`Sink.release`.
    """
    try:
        info = os.fstat(fd)
    except OSError as error:  # e.g. mittnite was started with its stdout closed
        sink = Sink(_FdOutput(fd, owned=False))
        sink.error, sink._state = error, _BROKEN
        return sink
    if stat.S_ISREG(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return Sink(_FdOutput(fd, owned=owned, pollable=False))
    if stat.S_ISSOCK(info.st_mode):
        import socket

        sock = socket.socket(fileno=fd if owned else os.dup(fd))
        return Sink(_SocketOutput(sock))
    if owned:
        os.set_blocking(fd, False)
        return Sink(_FdOutput(fd, owned=True))
    try:
        private = os.open(
            f"/proc/self/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        )
    except OSError:
        if not allow_thread:
            raise
        from .sink_thread import ThreadedSink

        return ThreadedSink(fd)
    if stat.S_ISFIFO(info.st_mode):
        _grow_pipe(private, PIPE_CAPACITY)
    return Sink(_FdOutput(private, owned=True))


def _grow_pipe(fd: int, capacity: int) -> None:
    """Ask for a larger pipe (never a smaller one): fewer wake-ups for writer and reader.

    The capacity belongs to the pipe, not to a descriptor, so the reader sees it too;
    nothing else changes for anybody (atomic writes stay atomic up to ``PIPE_BUF``).
    Refused silently where limits do not allow it.
    """
    import fcntl

    with contextlib.suppress(OSError):
        if fcntl.fcntl(fd, _F_GETPIPE_SZ) < capacity:
            fcntl.fcntl(fd, _F_SETPIPE_SZ, capacity)


def same_destination(first: int, second: int) -> bool:
    """Whether two descriptors lead to the same pipe, terminal or socket.

    Such destinations get one sink, so mittnite's writes to them stay whole
    lines in one order. Regular files are never merged (two descriptions of a
    file have offsets of their own).
    """
    try:
        one, two = os.fstat(first), os.fstat(second)
    except OSError:
        return False
    if stat.S_ISREG(one.st_mode):
        return False
    return (one.st_dev, one.st_ino, one.st_rdev) == (two.st_dev, two.st_ino, two.st_rdev)

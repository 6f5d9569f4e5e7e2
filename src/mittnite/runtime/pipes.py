"""Reading a child's output (a pipe, or a pseudo-terminal's master) on the event loop.

Upstream lost output in two ways (spec §9.4): it closed the pipes when the process was
reaped, before the copiers had read everything, and its copier gave up on lines over
64 KiB, after which the child blocked on a full pipe. Here the reader owns the read end
until EOF, which the kernel only signals once every writer (the child and any grandchild
sharing its stdout) has closed it, so awaiting ``closed`` after ``exited`` loses nothing.
(A terminal's master reports the end with ``EIO`` instead, after the last data.)

What the reader does with the bytes is its consumer's business (a framer, see
:mod:`mittnite.logs.framing`); the reader adds the three things that need the loop:

* back-pressure: before each read it asks its gate (the destination's sink) for room;
  without room it stops watching the descriptor until the gate calls back. The child
  then blocks in its own ``write`` once the pipe is full: nothing is lost, memory stays
  bounded, and the loop goes on with everything else;
* fairness: one callback does one read of at most ``read_size`` bytes, so a flooding job
  gets its turn like everybody else, and other jobs, probes and the API are not starved;
* partial lines: an unfinished line that nothing completes for ``partial_delay`` seconds
  (a prompt, a progress bar) is shown anyway (``consumer.show_partial()``).

An optional ``mover`` (:mod:`mittnite.runtime.splice`) may take a turn instead of a read,
moving a block without reading it; while the sink finishes such a move the reader waits.

No threads and no polling: ``loop.add_reader`` wakes us when the non-blocking fd has data.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class Consumer(Protocol):
        """What receives the bytes (a framer)."""

        @property
        def partial(self) -> bool: ...

        @property
        def completed(self) -> int: ...

        def feed(self, data: bytes) -> None: ...

        def show_partial(self) -> None: ...

        def finish(self) -> None: ...

    class Gate(Protocol):
        """Where the bytes go, as far as back-pressure is concerned (a sink)."""

        def has_room(self) -> bool: ...

        def when_room(self, callback: Callable[[], None]) -> None: ...

    class Mover(Protocol):
        """Moves bytes without reading them (``runtime.splice.BulkMover``)."""

        def move(self, on_done: Callable[[], None]) -> bool | None: ...


READ_SIZE = 128 * 1024
PIPE_SIZE = 256 * 1024  # requested capacity of a job's output pipe (best effort)
PARTIAL_DELAY = 0.05  # seconds an unfinished line waits for its newline before it is shown
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class OutputPipe(tuple[int, int]):
    """A pipe (or terminal) for a child's stdout or stderr.

    Both ends are close-on-exec, so no other child inherits them; the spawner duplicates
    ``write_fd`` onto the child's fd 1 or 2, which makes it inheritable in that child only.
    The parent must close ``write_fd`` right after spawning, or EOF never comes.
    """

    __slots__ = ()

    def __new__(cls, read_fd: int, write_fd: int) -> OutputPipe:
        return super().__new__(cls, (read_fd, write_fd))

    @property
    def read_fd(self) -> int:
        return self[0]

    @property
    def write_fd(self) -> int:
        return self[1]


def open_output_pipe(capacity: int = PIPE_SIZE) -> OutputPipe:
    """Create a pipe whose read end is non-blocking and whose write end stays blocking.

    The write end must block: a child whose stdout returned EAGAIN would see write errors.
    ``O_NONBLOCK`` belongs to each end's open file description, so the ends differ. A
    larger capacity than the default 64 KiB means fewer wake-ups for a busy writer; it is
    only a request (the system's ``pipe-max-size`` and per-user limits may refuse it).
    """
    read_fd, write_fd = os.pipe2(os.O_CLOEXEC)
    os.set_blocking(read_fd, False)
    if capacity:
        with contextlib.suppress(OSError):
            fcntl.fcntl(read_fd, _F_SETPIPE_SZ, capacity)
    return OutputPipe(read_fd, write_fd)


class OutputReader:
    """Reads ``fd`` until EOF and feeds ``consumer``, pausing while ``gate`` has no room.

    The reader owns ``fd`` (made non-blocking, closed at the end). ``closed`` resolves
    once reading has ended; ``error`` tells whether a read error, rather than EOF,
    ended it; ``paused`` whether it is waiting for its destination right now (for
    room, or for a move to finish).
    """

    def __init__(
        self,
        fd: int,
        consumer: Consumer,
        gate: Gate,
        *,
        terminal: bool = False,
        read_size: int = READ_SIZE,
        partial_delay: float = PARTIAL_DELAY,
        mover: Mover | None = None,
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._fd = fd
        self._consumer = consumer
        self._gate = gate
        self._terminal = terminal
        self._read_size = read_size
        self._partial_delay = partial_delay
        self._partial_since: float | None = None
        self._completed = consumer.completed
        self._timer: asyncio.TimerHandle | None = None
        self._mover = mover
        self.paused = False
        self.error: OSError | None = None
        self.closed: asyncio.Future[None] = self._loop.create_future()
        os.set_blocking(fd, False)
        self._loop.add_reader(fd, self._on_readable)

    def close(self) -> None:
        """Stop reading now; an unfinished line is handed on, the fd is closed."""
        self._finish()

    def _on_readable(self) -> None:
        if not self._gate.has_room():
            self._pause()
            return
        if self._mover is not None:
            moved = self._mover.move(self._resume)
            if moved is not None:
                if moved is False:  # the sink finishes the move, then calls _resume
                    self._pause(wait_for_room=False)
                self._track_partial()
                return
        try:
            data = os.read(self._fd, self._read_size)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            if not (self._terminal and error.errno == errno.EIO):
                self.error = error  # a terminal's master says EIO once the child side closed
            self._finish()
            return
        if not data:
            self._finish()
            return
        self._consumer.feed(data)
        self._track_partial()

    def _track_partial(self) -> None:
        """Time the unfinished line: since when has it been waiting for its newline?"""
        consumer = self._consumer
        if not consumer.partial:
            self._partial_since = None
        elif self._partial_since is None or consumer.completed != self._completed:
            self._partial_since = self._loop.time()
            if self._timer is None:
                self._timer = self._loop.call_at(
                    self._partial_since + self._partial_delay, self._partial_due
                )
        self._completed = consumer.completed

    def _partial_due(self) -> None:
        self._timer = None
        since = self._partial_since
        if since is None or not self._consumer.partial or self.closed.done():
            return
        now = self._loop.time()
        if now < since + self._partial_delay:
            self._timer = self._loop.call_at(since + self._partial_delay, self._partial_due)
        elif not self._gate.has_room():
            self._timer = self._loop.call_at(now + self._partial_delay, self._partial_due)
        else:
            self._partial_since = None
            self._consumer.show_partial()

    def _pause(self, *, wait_for_room: bool = True) -> None:
        if self.paused or self.closed.done():
            return
        self.paused = True
        self._loop.remove_reader(self._fd)
        if wait_for_room:
            self._gate.when_room(self._resume)

    def _resume(self) -> None:
        if not self.paused or self.closed.done():
            return
        self.paused = False
        self._loop.add_reader(self._fd, self._on_readable)

    def _finish(self) -> None:
        if self.closed.done():
            return
        if not self.paused:
            self._loop.remove_reader(self._fd)
        self.paused = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        os.close(self._fd)
        try:
            self._consumer.finish()
        finally:
            self.closed.set_result(None)

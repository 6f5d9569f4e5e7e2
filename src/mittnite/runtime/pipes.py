"""Reading a child's output pipe line by line on the event loop.

Upstream lost output in two ways (spec §9.4): it closed the pipes when the process was
reaped, before the copiers had read everything, and its copier gave up on lines over
64 KiB, after which the child blocked on a full pipe. Here the reader owns the read end
until EOF, which the kernel only signals once every writer (the child and any grandchild
sharing its stdout) has closed it, so awaiting ``closed`` after ``exited`` loses nothing.
Over-long lines are cut into chunks instead of stopping the reader.

No threads and no polling: ``loop.add_reader`` wakes us when the non-blocking fd has data.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

DEFAULT_MAX_LINE = 64 * 1024
_READ_SIZE = 64 * 1024


class OutputPipe(tuple[int, int]):
    """A pipe for a child's stdout or stderr.

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


def open_output_pipe() -> OutputPipe:
    """Create a pipe whose read end is non-blocking and whose write end stays blocking.

    The write end must block: a child whose stdout returned EAGAIN would see write errors.
    ``O_NONBLOCK`` belongs to each end's open file description, so the ends differ.
    """
    read_fd, write_fd = os.pipe2(os.O_CLOEXEC)
    os.set_blocking(read_fd, False)
    return OutputPipe(read_fd, write_fd)


class LineReader:
    """Feeds ``on_line(line)`` with each line read from ``fd`` until EOF.

    Lines are split at ``\\n`` (removed); a trailing ``\\r`` is removed too when
    ``strip_cr`` is set, as Go's line scanner does. A final line without newline is still
    delivered at EOF. Lines longer than ``max_line`` bytes arrive as consecutive chunks of
    at most ``max_line`` bytes, so memory stays bounded and the child never blocks.

    The reader takes ownership of ``fd`` (it is made non-blocking and closed at EOF or on
    ``close()``). ``closed`` resolves once reading has ended; ``error`` tells whether a read
    error, rather than EOF, ended it.
    """

    def __init__(
        self,
        fd: int,
        on_line: Callable[[bytes], None],
        *,
        max_line: int = DEFAULT_MAX_LINE,
        strip_cr: bool = True,
    ) -> None:
        if max_line < 1:
            raise ValueError("max_line must be positive")
        self._loop = asyncio.get_running_loop()
        self._fd = fd
        self._on_line = on_line
        self._max_line = max_line
        self._strip_cr = strip_cr
        self._pending = b""
        self.error: OSError | None = None
        self.closed: asyncio.Future[None] = self._loop.create_future()
        os.set_blocking(fd, False)
        self._loop.add_reader(fd, self._on_readable)

    def close(self) -> None:
        """Stop reading now; a pending partial line is delivered, the fd is closed."""
        self._finish()

    def _on_readable(self) -> None:
        try:
            data = os.read(self._fd, _READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            self.error = error
            self._finish()
            return
        if not data:
            self._finish()
            return
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        lines = (self._pending + data).split(b"\n")
        self._pending = lines.pop()
        for line in lines:
            self._emit(self._without_cr(line))
        self._flush_overlong()

    def _without_cr(self, line: bytes) -> bytes:
        return line[:-1] if self._strip_cr and line.endswith(b"\r") else line

    def _emit(self, line: bytes) -> None:
        limit = self._max_line
        if len(line) <= limit:
            self._on_line(line)
            return
        for start in range(0, len(line), limit):
            self._on_line(line[start : start + limit])

    def _flush_overlong(self) -> None:
        """Hand out full chunks of an unfinished line so the buffer stays bounded.

        One byte more is held back when it is a ``\\r`` that may belong to a ``\\r\\n``,
        so a line's chunks never depend on how the data happened to arrive.
        """
        limit = self._max_line
        pending = self._pending
        start = 0
        while len(pending) - start > limit:
            rest = len(pending) - start
            if self._strip_cr and rest == limit + 1 and pending.endswith(b"\r"):
                break
            self._on_line(pending[start : start + limit])
            start += limit
        if start:
            self._pending = pending[start:]

    def _finish(self) -> None:
        if self.closed.done():
            return
        self._loop.remove_reader(self._fd)
        os.close(self._fd)
        pending, self._pending = self._pending, b""
        try:
            if pending:
                # Like Go's scanner, a lone final "\r" still yields an (empty) line.
                self._emit(self._without_cr(pending))
        finally:
            self.closed.set_result(None)

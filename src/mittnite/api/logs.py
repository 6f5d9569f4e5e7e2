"""Where a job's output lines come from, for the logs WebSocket, and how they are read.

Every line of both streams is served (the original showed only the stdout
file, dropped lines under load, and busy-looped at 100 % CPU to follow):

* a stream with a log file (``stdout``/``stderr``) is read from that file;
  a file named for both streams is read once;
* a stream without a file is read from the job's in-memory ring
  (:class:`~mittnite.logs.ring.LogRing`), which records exactly those streams.

``taillen`` (the original's parameter) applies to each source: ``< 0`` all
lines (for the ring: all it still holds), ``0`` none, ``N`` the last N.
``follow`` then keeps streaming new lines: ring followers are woken per block;
files are re-read when inotify reports a change in their directory (with a
slow safety re-check), or polled every 100 ms where inotify is unavailable. A
file that is truncated is read again from the start; one that is replaced
(rotation) is finished and the new one read from its start; one that does not
exist yet is picked up when it appears.

Lines are handed on with back-pressure (``await emit(line)``): a slow client
slows only its own reading. Files wait for it; the ring does not (it is fed
by the job): a ring follower whose backlog exceeds 10,000 lines or 4 MiB
(:mod:`mittnite.logs.ring`) is cut off, and the session tells the client
and disconnects it with close code 1011.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..config.model import JobConfig
    from ..logs.ring import LogRing
    from ..runtime.inotify import WatchHub

    Emit = Callable[[bytes], Awaitable[None]]

READ_CHUNK = 64 * 1024
MAX_LINE = 1024 * 1024  # a longer "line" is handed on in pieces of this size
POLL_INTERVAL = 0.1  # follow without inotify
SAFETY_INTERVAL = 1.0  # follow with inotify: re-check anyway (events can be missed on NFS)


class LogPlan:
    """The sources of one job's output: log files, and ring streams without a file."""

    __slots__ = ("files", "ring_streams")

    def __init__(self, files: list[str], ring_streams: frozenset[str]) -> None:
        self.files = files
        self.ring_streams = ring_streams

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LogPlan) and (self.files, self.ring_streams) == (
            other.files,
            other.ring_streams,
        )

    def __repr__(self) -> str:
        return f"LogPlan({self.files!r}, {sorted(self.ring_streams)!r})"


def plan_for(config: JobConfig) -> LogPlan:
    """Which sources hold the output of a job configured as ``config``."""
    files: list[str] = []
    ring: set[str] = set()
    for stream, path in (("stdout", config.stdout), ("stderr", config.stderr)):
        if not path:
            ring.add(stream)
        elif path not in files:
            files.append(path)
    return LogPlan(files, frozenset(ring))


def parse_query(query: str) -> tuple[bool, int]:
    """``follow`` (case-insensitive ``true``) and ``taillen`` (invalid or missing: -1)."""
    from urllib.parse import parse_qs

    values = parse_qs(query, keep_blank_values=True)
    follow = values.get("follow", [""])[0].lower() == "true"
    try:
        taillen = int(values.get("taillen", ["-1"])[0])
    except ValueError:
        taillen = -1
    return follow, taillen


def split_lines(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Complete lines (newline and a trailing CR removed, as Go's scanner) and the rest."""
    lines = buffer.split(b"\n")
    rest = lines.pop()
    result = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    while len(rest) > MAX_LINE:
        result.append(rest[:MAX_LINE])
        rest = rest[MAX_LINE:]
    return result, rest


def tail_offset(fd: int, size: int, count: int) -> int:
    """Where the last ``count`` lines of the file start (reading backwards in blocks)."""
    if count < 0:
        return 0
    if count == 0:
        return size
    position = size
    newlines = 0
    # A final newline ends the last line; it does not start another one.
    if size and os.pread(fd, 1, size - 1) == b"\n":
        position -= 1
    while position > 0:
        start = max(0, position - READ_CHUNK)
        block = os.pread(fd, position - start, start)
        index = len(block)
        while True:
            index = block.rfind(b"\n", 0, index)
            if index < 0:
                break
            newlines += 1
            if newlines == count:
                return start + index + 1
        position = start
    return 0


class FileChanges:
    """Wakes a follower when the file's directory changes (inotify), or on a timer."""

    def __init__(self, path: str, hub: WatchHub | None) -> None:
        self.path = os.path.abspath(path)
        self.directory, self.name = os.path.split(self.path)
        self._event = asyncio.Event()
        self._subscription = None
        self.interval = POLL_INTERVAL
        if hub is not None and not hub.closed and hub.mode == "inotify":
            self._subscription = hub.subscribe(self._changed)
            self._subscription.set_directories([self.directory])
            if self.directory in self._subscription.directories:
                self.interval = SAFETY_INTERVAL

    def _changed(self, directory: str, name: str | None) -> None:
        if name is None or name == self.name:
            self._event.set()

    async def wait(self) -> None:
        if self._subscription is not None:
            self._subscription.set_directories([self.directory])  # re-attach if recreated
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), self.interval)
        self._event.clear()

    def close(self) -> None:
        if self._subscription is not None:
            self._subscription.close()


class FileTail:
    """Reads one log file from a starting point on, following truncation and rotation."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None
        self.inode: tuple[int, int] | None = None
        self.offset = 0
        self.partial = b""

    def open(self, taillen: int) -> None:
        """Open the file (if it exists) and position at the last ``taillen`` lines."""
        self._open()
        if self.fd is not None:
            self.offset = tail_offset(self.fd, os.fstat(self.fd).st_size, taillen)

    def _open(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return False
        info = os.fstat(fd)
        self.fd, self.inode, self.offset, self.partial = fd, (info.st_dev, info.st_ino), 0, b""
        return True

    def read(self, budget: int = 16 * READ_CHUNK) -> tuple[list[bytes], bool]:
        """Complete lines available now, and whether more data is waiting."""
        if self.fd is None:
            return [], False
        data = os.pread(self.fd, budget, self.offset)
        self.offset += len(data)
        lines, self.partial = split_lines(self.partial + data)
        return lines, len(data) == budget

    def check_file(self) -> list[bytes]:
        """Follow mode: handle truncation and replacement; lines of a finished old file."""
        try:
            info = os.stat(self.path)
        except OSError:
            return []
        if self.fd is None:
            self._open()
            return []
        if (info.st_dev, info.st_ino) != self.inode:
            rest = self.drain()
            self.close()
            self._open()
            return rest
        if info.st_size < self.offset:
            self.offset, self.partial = 0, b""  # truncated: the file starts anew
        return []

    def drain(self) -> list[bytes]:
        """Everything left, the unterminated last line included (end of stream)."""
        lines: list[bytes] = []
        more = True
        while more:
            chunk, more = self.read()
            lines.extend(chunk)
        if self.partial:
            lines.append(self.partial)
            self.partial = b""
        return lines

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


async def stream_file(
    path: str, taillen: int, follow: bool, emit: Emit, hub: WatchHub | None = None
) -> None:
    """Hand every line of the file (from the tail point) to ``emit``; follow if asked."""
    tail = FileTail(path)
    changes = FileChanges(path, hub) if follow else None
    try:
        tail.open(taillen)
        if not follow:
            more = True
            while more:
                lines, more = tail.read()
                for line in lines:
                    await emit(line)
            if tail.partial:
                await emit(tail.partial)
            return
        assert changes is not None
        while True:
            lines, more = tail.read()
            for line in lines:
                await emit(line)
            if more:
                continue
            await changes.wait()
            for line in tail.check_file():
                await emit(line)
    finally:
        tail.close()
        if changes is not None:
            changes.close()


async def stream_ring(
    ring: LogRing, streams: frozenset[str], taillen: int, follow: bool, emit: Emit
) -> bool:
    """Lines of ``streams`` from the ring (tail, then live); False if the follower overflowed.

    A follower is cut off as soon as its backlog overflows, even while ``emit`` is
    waiting for a client that does not read: the sending is cancelled then, and
    the caller tells the client and disconnects it.
    """
    from ..logs.ring import split_block

    overflow = asyncio.Event()
    follower = ring.follow(overflow.set) if follow else None  # subscribe first: no gap
    try:
        kept = [line for stream, line in ring.tail() if stream in streams]
        if taillen >= 0:
            kept = kept[-taillen:] if taillen else []
        for line in kept:
            await emit(line)
        if follower is None:
            return True

        async def send_followed() -> None:
            async for stream, block in follower:
                if stream in streams:
                    for line in split_block(block):
                        await emit(line)

        sender = asyncio.ensure_future(send_followed())
        watcher = asyncio.ensure_future(overflow.wait())
        try:
            await asyncio.wait((sender, watcher), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sender, watcher):
                task.cancel()
            await asyncio.gather(sender, watcher, return_exceptions=True)
        if sender.done() and not sender.cancelled():
            sender.result()  # the client went away: its error goes to the caller
        return not follower.overflowed
    finally:
        if follower is not None:
            follower.close()

"""Moving a busy job's whole lines to mittnite's output pipe inside the kernel.

Plain passthrough (no timestamps, no prefix) only needs to know where the last
newline of what is waiting in the job's pipe is, and the ring only keeps the
last 64 KiB. So, when a lot is waiting (``FIONREAD``) and mittnite's output is
a pipe with nothing queued before it:

1. ``tee`` duplicates the job pipe's content into a scratch pipe (no copy:
   pipe buffers are shared, nothing is consumed);
2. all but the last :data:`TAIL` bytes of the scratch pipe are spliced to
   ``/dev/null``, the tail is read: it holds the last newline and the lines
   the ring keeps;
3. ``splice`` moves everything up to that newline from the job's pipe to the
   output pipe, again without copying. What the output pipe cannot take now
   stays queued in the sink (as a splice to finish, in order), and the reader
   waits for it, so lines stay whole and back-pressure works as on the copying
   path.

The unfinished line after the newline stays in the job's pipe for the next
round. Whenever a condition does not hold (few bytes waiting, a partial line
held in memory, data queued in the sink, followers of the ring that want every
line, a line longer than the tail) the reader copies as usual. ``tee`` is not
in :mod:`os`; it is called through :mod:`ctypes`, loaded only when the first
job output is large enough to use this path.
"""

from __future__ import annotations

import array
import contextlib
import errno
import fcntl
import os
import termios

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class LineState(Protocol):
        """What the mover needs from the plain framer."""

        def spliceable(self) -> bool: ...

        def feed(self, data: bytes) -> None: ...

        def moved(self, lines: bytes, gap: bool) -> None: ...

    class SpliceTarget(Protocol):
        """What the mover needs from the sink."""

        @property
        def idle(self) -> bool: ...

        def splice_from(
            self, fd: int, count: int, owner: object, on_done: Callable[[], None]
        ) -> bool: ...


THRESHOLD = 128 * 1024  # bytes waiting in the job's pipe before splicing pays
TAIL = 128 * 1024  # bytes read back to find the last newline (>= the ring's budget)
SCRATCH_SIZE = 1 << 20
SPLICE_F_NONBLOCK = 2

_tee: Callable[[int, int, int, int], int] | None = None
_scratch: tuple[int, int] | None = None
_null = -1
_unavailable = False


def _setup() -> bool:
    """Load ``tee`` and open the shared scratch pipe and ``/dev/null`` (once)."""
    global _tee, _scratch, _null, _unavailable
    if _tee is not None:
        return True
    if _unavailable or not hasattr(os, "splice"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.tee
        function.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_size_t, ctypes.c_uint]
        function.restype = ctypes.c_ssize_t
        read_end, write_end = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, 1031, SCRATCH_SIZE)  # F_SETPIPE_SZ
        _null = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
    except (OSError, AttributeError, ImportError):
        _unavailable = True
        return False
    _scratch = (read_end, write_end)

    def tee(source: int, target: int, count: int, flags: int) -> int:
        result = int(function(source, target, count, flags))
        if result < 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))
        return result

    _tee = tee
    return True


def waiting(fd: int) -> int:
    """Bytes waiting in a pipe (``FIONREAD``)."""
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


def discard(fd: int, count: int) -> None:
    """Throw away ``count`` bytes that are waiting in pipe ``fd``, without copying them."""
    while count > 0:
        try:
            moved = os.splice(fd, _null, count, flags=SPLICE_F_NONBLOCK)
        except BlockingIOError:
            return
        if not moved:
            return
        count -= moved


def _peek(fd: int, limit: int) -> tuple[int, bytes]:
    """How many bytes of pipe ``fd`` were duplicated, and the last ``TAIL`` of them."""
    assert _tee is not None and _scratch is not None
    scratch_read, scratch_write = _scratch
    try:
        count = _tee(fd, scratch_write, limit, SPLICE_F_NONBLOCK)
    except OSError:
        return 0, b""
    keep = min(count, TAIL)
    discard(scratch_read, count - keep)
    pieces = []
    while keep > 0:
        try:
            piece = os.read(scratch_read, keep)
        except BlockingIOError:
            break
        if not piece:
            break
        pieces.append(piece)
        keep -= len(piece)
    return count, b"".join(pieces)


class BulkMover:
    """Moves whole-line blocks from ``fd`` (a job's pipe) to ``sink`` inside the kernel."""

    def __init__(self, fd: int, lines: LineState, sink: SpliceTarget) -> None:
        self.fd = fd
        self.lines = lines
        self.sink = sink
        self.moved_bytes = 0
        """Bytes moved without passing through mittnite (for tests and benchmarks)."""

    def move(self, on_done: Callable[[], None]) -> bool | None:
        """Try to move a block now: None if the reader should read as usual instead,
        True if moved, False if moving goes on in the sink (``on_done`` is called then)."""
        if not self.sink.idle or waiting(self.fd) < THRESHOLD or not _setup():
            return None
        if not self.lines.spliceable():
            return self._align()
        count, tail = _peek(self.fd, SCRATCH_SIZE)
        last = tail.rfind(b"\n")
        if last < 0:
            return None  # no newline near the end (a very long line): copy as usual
        skipped = count - len(tail)
        start = 0 if not skipped else tail.find(b"\n") + 1
        block = skipped + last + 1
        self.lines.moved(tail[start : last + 1], gap=skipped + start > 0)
        self.moved_bytes += block
        return self.sink.splice_from(self.fd, block, self.lines, on_done)

    def _align(self) -> bool | None:
        """A partial line is held in memory: read just up to its end, then splice again."""
        _, head = _peek(self.fd, TAIL)  # TAIL >= what was duplicated: this is the head
        end = head.find(b"\n")
        if end < 0:
            return None
        try:
            data = os.read(self.fd, end + 1)
        except OSError as error:
            if error.errno == errno.EAGAIN:
                return None
            raise
        self.lines.feed(data)
        return True

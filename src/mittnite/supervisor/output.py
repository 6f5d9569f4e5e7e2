"""Where a job's stdout and stderr go, and how each line is written.

Per stream (stdout, stderr) of one run of a job:

* configured file and no timestamps: the child writes to the file directly
  (append mode), as in the original - no copying through mittnite;
* otherwise the child writes into a pipe that mittnite reads line by line;
  each line goes, with an optional ``[timestamp] `` and ``name | `` prefix, to
  the configured file or to mittnite's own stdout/stderr, and into the job's
  in-memory ring (what the API's logs endpoint serves).

Lines are written whole with one ``write`` each from the event-loop thread,
so two jobs' output never interleaves mid-line.
"""

from __future__ import annotations

import errno
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..logs.ring import LogRing


def open_log_file(path: str) -> int:
    """Open ``path`` for appending, creating parent directories (0755) like the original."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, mode=0o755, exist_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o666)


def write_all(fd: int, data: bytes) -> None:
    """Write everything (retrying short writes); a broken destination is ignored.

    A job must never be taken down because nobody reads mittnite's stdout.
    """
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except InterruptedError:
            continue
        except BlockingIOError:
            import select

            select.select([], [fd], [], 1.0)
            continue
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.EBADF, errno.EIO, errno.ENOSPC):
                return
            raise
        view = view[written:]


class LineWriter:
    """Formats and writes the lines of one stream of one job."""

    def __init__(
        self,
        stream: str,
        destination_fd: int,
        ring: LogRing | None,
        *,
        prefix: bytes = b"",
        timestamp: Callable[[], str] | None = None,
    ) -> None:
        self.stream = stream
        self.fd = destination_fd
        self.ring = ring
        self.prefix = prefix
        self.timestamp = timestamp

    def __call__(self, line: bytes) -> None:
        if self.ring is not None:
            self.ring.append(self.stream, line)
        head = self.prefix
        if self.timestamp is not None:
            head = b"[" + self.timestamp().encode() + b"] " + head
        write_all(self.fd, head + line + b"\n")

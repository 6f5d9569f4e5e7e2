"""Where a job's stdout and stderr go, and how they get there.

Per stream (stdout, stderr) of one run of a job:

* configured file and no timestamps/prefix: the child writes to the file
  directly (append mode), as in the original - no copying through mittnite;
* otherwise the child writes into a pipe (or, when that stream goes to
  mittnite's terminal, into a pseudo-terminal of its own, so it still sees a
  terminal as under the original) that mittnite reads (``runtime.pipes``),
  frames into whole lines with optional ``[timestamp] `` and ``name | ``
  (``logs.framing``) and writes to the configured file or to mittnite's own
  stdout/stderr (``runtime.sink``), recording the lines in the job's
  in-memory ring (what the API's logs endpoint serves). Plain passthrough
  into a pipe moves big whole-line blocks inside the kernel instead
  (``runtime.splice``).

Back-pressure, the policy: every destination has a bounded buffer (1 MiB).
While it is full, mittnite stops reading the pipes of the jobs writing there;
they block in their own ``write`` once their pipe is full, exactly as they
would writing to a stalled stdout directly under the original. No byte is
lost and memory stays bounded, while reaping, signals, probes, the API and
jobs writing elsewhere go on. A destination that is gone (no reader left) is
written to no more; its data is discarded and jobs keep running.

:class:`OutputRouting` holds the run's sinks for mittnite's stdout and
stderr (one sink when both lead to the same pipe or terminal, so lines stay
whole), routes mittnite's own log lines through the stderr sink (a stalled
stderr must not freeze the init either), and at exit gives blocked
destinations a bounded time before discarding what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os

from ..logs.framing import DecoratedFramer, PlainFramer
from ..runtime.pipes import OutputReader, open_output_pipe
from ..runtime.sink import open_sink, same_destination

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..config.model import BaseJob
    from ..logs.framing import Record
    from ..logs.logger import Logger
    from ..logs.ring import LogRing
    from ..runtime.pipes import OutputPipe
    from ..runtime.sink import Sink
    from .context import RunContext

EXIT_FLUSH_TIMEOUT = 2.0  # at exit, how long a blocked destination gets to take what is left
FILE_DRAIN_TIMEOUT = 2.0  # how long a job's non-regular log file gets after its run


class LogDirectoryError(OSError):
    """A log file's directory could not be created (Go's ``os.MkdirAll`` says ``mkdir``)."""


def open_log_file(path: str) -> int:
    """Open ``path`` for appending, creating parent directories (0755) like the original."""
    directory = os.path.dirname(path)
    if directory:
        from ..golang.osfs import mkdir_all

        try:
            mkdir_all(directory, 0o755)
        except OSError as exc:
            raise LogDirectoryError(exc.errno, exc.strerror, exc.filename) from exc
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o666)


def output_error(error: OSError) -> str:
    """Why a run's output could not be set up, in Go's words.

    ``open /var/log/app/out.log: permission denied`` for a log file that cannot be had,
    ``mkdir /var/log/app: permission denied`` for its directory; the bare errno text
    otherwise (no pipe: too many open files).
    """
    from ..runtime.goerrors import errno_text

    reason = errno_text(error.errno) if error.errno else (error.strerror or str(error))
    if error.filename is not None:
        operation = "mkdir" if isinstance(error, LogDirectoryError) else "open"
        return f"{operation} {error.filename}: {reason}"
    return reason


class LogStream:
    """A text stream for mittnite's logger that writes into a sink and never blocks."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def write(self, text: str) -> int:
        self.sink.write_log(text.encode("utf-8", "replace"))
        return len(text)

    def flush(self) -> None:
        """Nothing to do: the sink writes at once or as soon as the destination allows."""

    def isatty(self) -> bool:
        return os.isatty(self.sink.fileno)


class OutputRouting:
    """mittnite's stdout and stderr as destinations of job output, for one run."""

    def __init__(self, stdout_fd: int = 1, stderr_fd: int = 2) -> None:
        self.stdout_fd = stdout_fd
        self.stderr_fd = stderr_fd
        self._sinks: dict[int, Sink] = {}
        self._terminal: dict[int, bool] = {}
        self.readers: set[OutputReader] = set()
        self.terminals: dict[int, int] = {}
        """Live pseudo-terminal masters of jobs, with the terminal whose size they copy."""
        self._tasks: set[asyncio.Task[None]] = set()
        self.logger: Logger | None = None

    def report_broken(self, destination: str, job: str | None = None) -> Callable[[OSError], None]:
        """What a sink calls once its destination broke: one warning (there may be no
        other sign that output is being thrown away, e.g. a full disk or a gone reader)."""

        def report(error: OSError) -> None:
            if self.logger is None:
                return
            fields = {"job.name": job} if job is not None else {}
            self.logger.warning(
                f"could not write job output to {destination}, discarding it from now on",
                error=output_error(error),
                **fields,
            )

        return report

    def sink(self, fd: int) -> Sink:
        """The sink writing to mittnite's ``fd`` (shared with an fd leading to the same place)."""
        found = self._sinks.get(fd)
        if found is not None:
            return found
        for other, sink in self._sinks.items():
            if same_destination(fd, other):
                self._sinks[fd] = sink
                return sink
        sink = open_sink(fd)
        names = {self.stdout_fd: "stdout", self.stderr_fd: "stderr"}
        sink.on_break = self.report_broken(names.get(fd, f"file descriptor {fd}"))
        self._sinks[fd] = sink
        return sink

    def is_terminal(self, fd: int) -> bool:
        if fd not in self._terminal:
            self._terminal[fd] = os.isatty(fd)
        return self._terminal[fd]

    def attach_logger(self, logger: Logger) -> None:
        """Route mittnite's own log lines through the stderr sink (never blocking the loop)."""
        from typing import IO, cast

        self.logger = logger
        logger.stream = cast("IO[str]", LogStream(self.sink(self.stderr_fd)))

    def track(self, reader: OutputReader, terminal: tuple[int, int] | None = None) -> None:
        """Keep ``reader`` (and its terminal, for resizing) until it has finished."""
        self.readers.add(reader)
        if terminal is not None:
            self.terminals[terminal[0]] = terminal[1]

        def finished(_: object) -> None:
            self.readers.discard(reader)
            if terminal is not None:
                self.terminals.pop(terminal[0], None)

        reader.closed.add_done_callback(finished)

    def resize_terminals(self) -> None:
        """mittnite's terminal changed size (SIGWINCH): pass it on to the jobs' terminals."""
        from ..runtime.ptys import copy_window_size

        for master, source in tuple(self.terminals.items()):
            copy_window_size(source, master)

    def release_later(self, sink: Sink, readers: list[OutputReader]) -> None:
        """Close a job's log file once its readers are done and its data is written."""

        async def release() -> None:
            await asyncio.gather(*(reader.closed for reader in readers))
            await sink.drain(FILE_DRAIN_TIMEOUT)
            sink.release()

        task = asyncio.get_running_loop().create_task(release())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self, timeout: float = EXIT_FLUSH_TIMEOUT) -> None:
        """mittnite is exiting: let output still in flight through, within ``timeout``.

        Readers still running (output of finished jobs held back by a blocked
        destination, or grandchildren holding a pipe) and buffered data get
        ``timeout`` seconds together; then what is left is discarded, and
        later writes (mittnite's last log lines) are tried once each.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        waiting = [reader.closed for reader in self.readers]
        if waiting:
            await asyncio.wait(waiting, timeout=timeout)
        for reader in tuple(self.readers):
            reader.close()
        for task in tuple(self._tasks):
            task.cancel()
        sinks = list({id(sink): sink for sink in self._sinks.values()}.values())
        for sink in sinks:
            await sink.drain(max(0.0, deadline - loop.time()))
            sink.close()


class OutputPlan:
    """Where one run's output goes.

    ``child_fds`` are handed to the child as stdout/stderr; ``pipe_write_ends``
    (the child's ends of pipes and terminals, and log files it writes itself)
    are closed in the parent right after the spawn; ``copies`` are what
    mittnite reads and where it writes it. Log files that mittnite writes
    belong to their sinks (``file_sinks``) and are closed once the run's
    output is written.
    """

    def __init__(self, routing: OutputRouting) -> None:
        self.routing = routing
        self.child_fds: dict[str, int | None] = {"stdout": None, "stderr": None}
        self.pipe_write_ends: list[int] = []
        self.copies: list[Copy] = []
        self.file_sinks: list[Sink] = []

    def start_readers(self) -> list[OutputReader]:
        """Begin copying (after the spawn, once the child holds its ends)."""
        readers: list[OutputReader] = []
        for copy in self.copies:
            mover = None
            if isinstance(copy.framer, PlainFramer) and not copy.terminal and copy.sink.can_splice:
                from ..runtime.splice import BulkMover

                mover = BulkMover(copy.read_fd, copy.framer, copy.sink)
            reader = OutputReader(
                copy.read_fd, copy.framer, copy.sink, terminal=copy.terminal, mover=mover
            )
            self.routing.track(reader, (copy.read_fd, copy.like) if copy.terminal else None)
            readers.append(reader)
        for sink in self.file_sinks:
            users = [r for r, c in zip(readers, self.copies, strict=True) if c.sink is sink]
            self.routing.release_later(sink, users)
        return readers

    def close_all(self) -> None:
        """Release everything (the spawn failed)."""
        for fd in (*self.pipe_write_ends, *(copy.read_fd for copy in self.copies)):
            with contextlib.suppress(OSError):
                os.close(fd)
        for sink in self.file_sinks:
            sink.release()


class Copy:
    """One descriptor mittnite reads for a run, and what it does with the bytes."""

    __slots__ = ("framer", "like", "read_fd", "sink", "terminal")

    def __init__(
        self,
        read_fd: int,
        framer: PlainFramer | DecoratedFramer,
        sink: Sink,
        *,
        terminal: bool = False,
        like: int = -1,
    ) -> None:
        self.read_fd = read_fd
        self.framer = framer
        self.sink = sink
        self.terminal = terminal
        self.like = like


def head_maker(prefix: bytes, timestamp: Callable[[], str] | None) -> Callable[[], bytes] | None:
    """What goes in front of each line: ``[time] `` and/or ``name | ``, or nothing."""
    if timestamp is None:
        return (lambda: prefix) if prefix else None
    return lambda: b"[" + timestamp().encode() + b"] " + prefix


def make_framer(
    sink: Sink,
    ring: tuple[LogRing, str] | None,
    head: Callable[[], bytes] | None,
    strip_cr: bool,
) -> PlainFramer | DecoratedFramer:
    """The framer for one stream; ``ring`` is where (and as which stream) lines are kept."""
    record: Record | None = None
    if ring is not None:
        record = functools.partial(ring[0].append_block, ring[1])
    if head is None:
        wants_every_line = None
        if ring is not None:
            log = ring[0]
            wants_every_line = lambda: log.has_followers  # noqa: E731
        return PlainFramer(sink, record, wants_every_line=wants_every_line)
    return DecoratedFramer(sink, record, head, strip_cr=strip_cr)


def prepare_output(job: BaseJob, context: RunContext, ring: LogRing | None) -> OutputPlan:
    """Decide per stream where the child writes and what mittnite copies where."""
    routing = context.output()
    plan = OutputPlan(routing)
    prefix = f"{job.name} | ".encode() if context.prefix_output else b""
    timestamp: Callable[[], str] | None = None
    if job.enable_timestamps and context.timestamp_factory is not None:
        timestamp = context.timestamp_factory(job.timestamp_format, job.custom_timestamp_format)
    head = head_maker(prefix, timestamp)
    strip_cr = timestamp is not None  # Go's scanner, which only the timestamp copier used
    files: dict[str, Sink | int] = {}
    terminals: dict[int, OutputPipe] = {}
    try:
        for stream, path, own_fd in (
            ("stdout", job.stdout, context.stdout_fd),
            ("stderr", job.stderr, context.stderr_fd),
        ):
            keep: tuple[LogRing, str] | None = None
            terminal = False
            if path:
                if path not in files:
                    fd = open_log_file(path)
                    if head is None:
                        plan.pipe_write_ends.append(fd)
                        files[path] = fd
                    else:
                        try:
                            files[path] = file_sink = open_sink(fd, owned=True)
                        except OSError:
                            os.close(fd)
                            raise
                        file_sink.on_break = routing.report_broken(path, job.name)
                        plan.file_sinks.append(files[path])  # type: ignore[arg-type]
                target = files[path]
                if isinstance(target, int):
                    plan.child_fds[stream] = target  # the child appends to the file itself
                    continue
                sink = target
                pipe = open_output_pipe()
            else:
                sink = routing.sink(own_fd)
                if ring is not None:
                    keep = (ring, stream)
                if routing.is_terminal(own_fd):
                    shared = terminals.get(id(sink))
                    if shared is not None:  # one terminal for both streams, as with docker -t
                        plan.child_fds[stream] = shared.write_fd
                        continue
                    pipe, terminal = _terminal_or_pipe(own_fd)
                    if terminal:
                        terminals[id(sink)] = pipe
                else:
                    pipe = open_output_pipe()
            plan.child_fds[stream] = pipe.write_fd
            plan.pipe_write_ends.append(pipe.write_fd)
            framer = make_framer(sink, keep, head, strip_cr)
            plan.copies.append(Copy(pipe.read_fd, framer, sink, terminal=terminal, like=own_fd))
    except OSError:
        plan.close_all()
        raise
    return plan


def _terminal_or_pipe(like: int) -> tuple[OutputPipe, bool]:
    """A pseudo-terminal for output going to terminal ``like``; a pipe if none can be had."""
    from ..runtime.ptys import open_terminal

    try:
        return open_terminal(like), True
    except OSError:
        return open_output_pipe(), False

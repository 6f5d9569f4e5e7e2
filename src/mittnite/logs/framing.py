"""Turning a child's raw output into what its destination and its log ring receive.

Pure code (no I/O, no clock): the reader feeds it what ``read`` returned, a
timer asks it to show a partial line, the end of the stream finishes it. Two
framers share the line bookkeeping:

* :class:`PlainFramer` (no timestamps, no prefix): the destination receives
  the child's bytes unchanged, moved in blocks up to the last newline, so a
  line is written whole and lines of two jobs never interleave mid-line;
* :class:`DecoratedFramer` (``enableTimestamps`` and/or ``--prefix-output``):
  every line gets ``[timestamp] `` and/or ``name | `` in front, and with
  timestamps a trailing ``\\r`` is removed (Go's line scanner does that). The
  head is inserted with one ``bytes.replace`` per block, not per line; the
  lines of one block share the time at which they were read.

Where lines end early:

* a line longer than ``max_line`` (64 KiB) is handed on in pieces of
  ``max_line`` bytes: plain output passes the bytes on unchanged, decorated
  output and the ring treat each piece as a line of its own;
* :meth:`show_partial` (called when no newline followed for a moment: a
  prompt, a progress bar) writes the unfinished line to the destination
  now. Its continuation follows without a new head if nothing else was
  written to the destination meanwhile, else with one. The ring keeps line
  semantics: it records the line once it is complete;
* at the end of the stream an unfinished line is recorded as a line; decorated
  output ends it with a newline (as Go's scanner), plain output does not add
  one (the child's bytes pass unchanged).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class Destination(Protocol):
        """Where formatted output goes (a :class:`~mittnite.runtime.sink.Sink`)."""

        last_writer: object

        def write(self, data: bytes | memoryview, owner: object = None) -> None: ...

    class Record(Protocol):
        """Where complete lines are recorded (a job's :class:`~mittnite.logs.ring.LogRing`)."""

        def __call__(self, block: bytes | memoryview, *, restart: bool = False) -> None: ...


DEFAULT_MAX_LINE = 64 * 1024
NEWLINE = b"\n"


def has_long_line(block: bytes | memoryview, max_line: int) -> bool:
    """Whether a line of ``block`` (complete lines) is longer than ``max_line``.

    Jumps from the last newline inside each window of ``max_line + 1`` bytes,
    so a block of short lines costs a few C-level searches, not one per line.
    """
    if len(block) <= max_line + 1:
        return False
    data = block if isinstance(block, bytes) else bytes(block)
    position, end = 0, len(data)
    while end - position > max_line + 1:
        newline = data.rfind(NEWLINE, position, position + max_line + 1)
        if newline < 0:
            return True
        position = newline + 1
    return False


def chunk_lines(block: bytes, max_line: int) -> list[bytes]:
    """The lines of ``block`` (newlines removed), long ones cut into ``max_line`` pieces."""
    pieces: list[bytes] = []
    for line in block[:-1].split(NEWLINE):
        if len(line) <= max_line:
            pieces.append(line)
        else:
            pieces.extend(line[start : start + max_line] for start in range(0, len(line), max_line))
    return pieces


def _decorate(block: bytes, head: bytes) -> bytes | memoryview:
    """``head`` in front of every line of ``block`` (complete lines), in two C-level copies."""
    joined = head + block.replace(NEWLINE, NEWLINE + head)
    return memoryview(joined)[: len(joined) - len(head)] if head else joined


class _Framer:
    """Bookkeeping shared by both framers: the unfinished line and how much of it is shown."""

    def __init__(
        self, destination: Destination, record: Record | None, *, max_line: int, strip_cr: bool
    ) -> None:
        if max_line < 1:
            raise ValueError("max_line must be positive")
        self.destination = destination
        self.record = record
        self.max_line = max_line
        self.strip_cr = strip_cr
        self.line = b""
        """The unfinished last line (at most ``max_line`` bytes, or one more for a CR)."""
        self.shown = 0
        """How many bytes of :attr:`line` the destination has received already."""
        self.completed = 0
        """Blocks of complete lines seen so far (the reader times partial lines by it)."""

    @property
    def partial(self) -> bool:
        """Whether an unfinished line waits that the destination has not fully received."""
        return len(self.line) > self.shown

    def feed(self, data: bytes) -> None:
        """Hand on everything ``data`` completes; keep the unfinished rest."""
        end = data.rfind(NEWLINE)
        if end < 0:
            self._extend(data)
            return
        self.completed += 1
        if end + 1 == len(data):
            block: bytes | memoryview = self.line + data if self.line else data
            rest = b""
        else:
            view = memoryview(data)
            block = self.line + view[: end + 1] if self.line else view[: end + 1]
            rest = data[end + 1 :]
        shown, self.line, self.shown = self.shown, b"", 0
        self._lines(block, shown)
        if rest:
            self._extend(rest)

    def _extend(self, data: bytes) -> None:
        line = self.line + data
        limit = self.max_line
        start = 0
        while len(line) - start > limit:
            if self.strip_cr and len(line) - start == limit + 1 and line.endswith(b"\r"):
                break  # the CR may belong to a CRLF: a line's pieces never depend on timing
            self._piece(line[start : start + limit])
            start += limit
        self.line = line[start:] if start else line

    def _piece(self, piece: bytes) -> None:
        """A ``max_line`` piece of an over-long line, ended as if it were a line."""
        raise NotImplementedError

    def _lines(self, block: bytes | memoryview, shown: int) -> None:
        """Complete lines (``block`` ends in a newline; ``shown`` bytes already written)."""
        raise NotImplementedError

    def show_partial(self) -> None:
        """Write the unfinished line to the destination now (nothing followed it for a while)."""
        raise NotImplementedError

    def finish(self) -> None:
        """The stream ended: hand on the unfinished line."""
        raise NotImplementedError

    def _record_lines(self, block: bytes | memoryview) -> None:
        if self.record is None:
            return
        if has_long_line(block, self.max_line):
            pieces = chunk_lines(bytes(block), self.max_line)
            self.record(NEWLINE.join(pieces) + NEWLINE)
        else:
            self.record(block)


class PlainFramer(_Framer):
    """Passes the child's bytes on unchanged, in whole-line blocks.

    Blocks may also bypass it (``runtime.splice``): :meth:`spliceable` says
    when that is allowed, :meth:`moved` records what was moved.
    """

    def __init__(
        self,
        destination: Destination,
        record: Record | None = None,
        *,
        max_line: int = DEFAULT_MAX_LINE,
        wants_every_line: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(destination, record, max_line=max_line, strip_cr=False)
        self.wants_every_line = wants_every_line

    def spliceable(self) -> bool:
        """Whether the next bytes may bypass mittnite: at a line start, nobody wants them all."""
        if self.line:
            return False
        return self.wants_every_line is None or not self.wants_every_line()

    def moved(self, lines: bytes, gap: bool) -> None:
        """Complete lines passed by inside the kernel; ``lines`` are the last of them."""
        self.completed += 1
        if self.record is None:
            return
        if has_long_line(lines, self.max_line):
            lines = NEWLINE.join(chunk_lines(lines, self.max_line)) + NEWLINE
        self.record(lines, restart=gap)

    def _lines(self, block: bytes | memoryview, shown: int) -> None:
        self.destination.write(memoryview(block)[shown:] if shown else block, self)
        self._record_lines(block)

    def _piece(self, piece: bytes) -> None:
        shown, self.shown = self.shown, 0
        self.destination.write(piece[shown:] if shown else piece, self)
        if self.record is not None:
            self.record(piece + NEWLINE)

    def show_partial(self) -> None:
        if self.partial:
            self.destination.write(self.line[self.shown :], self)
            self.shown = len(self.line)

    def finish(self) -> None:
        self.show_partial()
        if self.line and self.record is not None:
            self.record(self.line + NEWLINE)
        self.line, self.shown = b"", 0


class DecoratedFramer(_Framer):
    """Puts ``head()`` (timestamp and/or prefix) in front of every line."""

    def __init__(
        self,
        destination: Destination,
        record: Record | None,
        head: Callable[[], bytes],
        *,
        max_line: int = DEFAULT_MAX_LINE,
        strip_cr: bool = False,
    ) -> None:
        super().__init__(destination, record, max_line=max_line, strip_cr=strip_cr)
        self.head = head

    def _continues(self, shown: int) -> bool:
        """Whether a shown partial line can be continued without a new head."""
        return shown > 0 and self.destination.last_writer is self

    def _lines(self, block: bytes | memoryview, shown: int) -> None:
        data = bytes(block)
        if self.strip_cr:
            data = data.replace(b"\r\n", NEWLINE)
        head = self.head()
        if has_long_line(data, self.max_line):
            self._write_lines(chunk_lines(data, self.max_line), head, shown)
            if self.record is not None:
                self.record(NEWLINE.join(chunk_lines(data, self.max_line)) + NEWLINE)
            return
        out: bytes | memoryview
        if shown:
            first_end = data.find(NEWLINE) + 1
            first = data[shown:first_end]
            rest = data[first_end:]
            lead = first if self._continues(shown) else head + first
            out = lead + _decorate(rest, head) if rest else lead
        else:
            out = _decorate(data, head)
        self.destination.write(out, self)
        if self.record is not None:
            self.record(data)

    def _write_lines(self, lines: list[bytes], head: bytes, shown: int) -> None:
        parts: list[bytes] = []
        for index, line in enumerate(lines):
            if index == 0 and shown:
                parts.append(line[shown:] if self._continues(shown) else head + line[shown:])
            else:
                parts.append(head + line)
        self.destination.write(NEWLINE.join(parts) + NEWLINE, self)

    def _piece(self, piece: bytes) -> None:
        shown, self.shown = self.shown, 0
        self._write_lines([piece], self.head(), shown)
        if self.record is not None:
            self.record(piece + NEWLINE)

    def _visible(self) -> bytes:
        """The unfinished line as far as it may be shown (a last CR may start a CRLF)."""
        line = self.line
        return line[:-1] if self.strip_cr and line.endswith(b"\r") else line

    def show_partial(self) -> None:
        visible = self._visible()
        if len(visible) <= self.shown:
            return
        fresh = visible[self.shown :]
        if not self._continues(self.shown):
            fresh = self.head() + fresh
        self.destination.write(fresh, self)
        self.shown = len(visible)

    def finish(self) -> None:
        line, shown = self.line, self.shown
        if not line:
            return
        if self.strip_cr and line.endswith(b"\r"):
            line = line[:-1]
        self.line, self.shown = b"", 0
        self._write_lines([line], self.head(), shown)
        if self.record is not None:
            self.record(line + NEWLINE)

"""The last output lines of a job, kept in memory, plus live followers.

The API serves logs for every job, also for jobs without log files (the
original can't). Each job keeps its most recent output up to a byte budget;
followers (``logs -f``) receive every line after they subscribed, in order.

Output arrives in *blocks*: runs of complete lines, each ending in ``\\n``
(the output path moves whole blocks, never line by line). The ring stores
blocks as they come and splits them into lines only when somebody asks for a
tail; a block larger than the budget is cut to its last whole lines first.

Followers are bounded: a follower whose unsent backlog would exceed
:data:`FOLLOWER_BACKLOG` lines or :data:`FOLLOWER_BYTES` bytes is cut off at
once: its backlog is released, it ends after the lines it already received,
``overflowed`` is set and ``on_overflow`` fires, so the session can tell the
client and disconnect it (close code 1011) instead of feeding it gaps or
buffering without limit.
"""

from __future__ import annotations

import asyncio
from collections import deque

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_CAPACITY = 64 * 1024
FOLLOWER_BACKLOG = 10_000  # lines queued for one follower before it is cut off
FOLLOWER_BYTES = 4 << 20  # bytes queued for one follower before it is cut off

Block = tuple[str, bytes]


def split_block(block: bytes) -> list[bytes]:
    """The lines of a block (every line ends in ``\\n``; the newlines are removed)."""
    return block[:-1].split(b"\n") if block else []


def last_lines(block: bytes | memoryview, budget: int) -> bytes:
    """The longest run of whole lines at the end of ``block`` within ``budget`` bytes.

    At least the last line is kept, however long it is. Only the end of the
    block is copied.
    """
    if len(block) <= budget:
        return bytes(block)
    window = bytes(block[-budget - 1 :])  # the byte before a line start is a newline
    start = window.find(b"\n", 0, len(window) - 1) + 1
    if start > 0:
        return window[start:]
    whole = bytes(block)  # the last line alone exceeds the budget: keep it whole
    return whole[whole.rfind(b"\n", 0, len(whole) - 1) + 1 :]


class Follower:
    """A subscription: iterate with ``async for`` to get ``(stream, block)`` pairs.

    Each block holds one or more complete lines, each ending in ``\\n``.
    """

    def __init__(self, ring: LogRing, on_overflow: Callable[[], None] | None = None) -> None:
        self._ring = ring
        self._blocks: deque[Block] = deque()
        self.backlog_lines = 0
        self.backlog_bytes = 0
        self._wakeup: asyncio.Future[None] | None = None
        self._ended = False
        self.overflowed = False
        self.on_overflow = on_overflow

    def _push(self, stream: str, block: bytes) -> None:
        if self._ended:
            return
        lines = block.count(b"\n")
        if (
            self.backlog_lines + lines > FOLLOWER_BACKLOG
            or self.backlog_bytes + len(block) > FOLLOWER_BYTES
        ):
            self.overflowed = True
            self._end()
            if self.on_overflow is not None:
                self.on_overflow()
            return
        self._blocks.append((stream, block))
        self.backlog_lines += lines
        self.backlog_bytes += len(block)
        self._wake()

    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    def _end(self) -> None:
        """Stop receiving; the backlog is released at once (memory goes back)."""
        self._ended = True
        self._ring._followers.discard(self)
        if self.overflowed:
            self._blocks.clear()
            self.backlog_lines = self.backlog_bytes = 0
        self._wake()

    def close(self) -> None:
        """Stop following (also ends a pending ``async for`` once the backlog is read)."""
        self._end()

    def __aiter__(self) -> Follower:
        return self

    async def __anext__(self) -> Block:
        while not self._blocks:
            if self._ended:
                raise StopAsyncIteration
            self._wakeup = asyncio.get_running_loop().create_future()
            try:
                await self._wakeup
            finally:
                self._wakeup = None
        stream, block = self._blocks.popleft()
        self.backlog_lines -= block.count(b"\n")
        self.backlog_bytes -= len(block)
        return stream, block


class LogRing:
    """Recent output blocks of one job within ``capacity`` bytes."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._blocks: deque[Block] = deque()
        self._size = 0
        self._followers: set[Follower] = set()

    def append(self, stream: str, line: bytes) -> None:
        """Record one line (without its newline) of ``stream`` (stdout/stderr)."""
        self.append_block(stream, line + b"\n")

    @property
    def has_followers(self) -> bool:
        return bool(self._followers)

    def append_block(
        self, stream: str, block: bytes | memoryview, *, restart: bool = False
    ) -> None:
        """Record complete lines of ``stream``: ``block`` ends in ``\\n``.

        Only what the budget keeps is copied; followers get the whole block.
        ``restart``: lines before ``block`` were not recorded (they passed by
        unseen), so older lines are forgotten rather than shown next to it.
        """
        if restart:
            self._blocks.clear()
            self._size = 0
        if not block:
            return
        if self._followers:
            whole = bytes(block)
            for follower in tuple(self._followers):
                follower._push(stream, whole)
            block = whole
        if len(block) >= self.capacity:
            kept = last_lines(block, self.capacity)
            self._blocks.clear()
            self._blocks.append((stream, kept))
            self._size = len(kept)
            return
        self._blocks.append((stream, bytes(block)))
        self._size += len(block)
        while self._size > self.capacity:
            old_stream, old = self._blocks[0]
            excess = self._size - self.capacity
            if excess >= len(old):
                self._blocks.popleft()
                self._size -= len(old)
                continue
            start = old.find(b"\n", excess - 1) + 1  # the first line start at or after excess
            self._blocks[0] = (old_stream, old[start:])
            self._size -= start
            if start == len(old):
                self._blocks.popleft()
            break

    def tail(self, count: int = -1) -> list[tuple[str, bytes]]:
        """The last ``count`` lines (all kept lines when ``count < 0``)."""
        if count == 0:
            return []
        result: list[tuple[str, bytes]] = []
        for stream, block in reversed(self._blocks):
            lines = split_block(block)
            result.extend((stream, line) for line in reversed(lines))
            if 0 <= count <= len(result):
                break
        if count >= 0:
            del result[count:]
        result.reverse()
        return result

    def follow(self, on_overflow: Callable[[], None] | None = None) -> Follower:
        """Subscribe to lines appended from now on."""
        follower = Follower(self, on_overflow)
        self._followers.add(follower)
        return follower

    def close_followers(self) -> None:
        """End every subscription (shutdown)."""
        for follower in tuple(self._followers):
            follower.close()

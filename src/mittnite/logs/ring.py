"""The last output lines of a job, kept in memory, plus live followers.

The API serves logs for every job, also for jobs without log files (the
original can't). Each job keeps its most recent output up to a byte budget;
followers (``logs -f``) receive every line after they subscribed, in order,
with no drops: a follower that falls too far behind is cut off with a note
instead of silently losing lines.
"""

from __future__ import annotations

import asyncio
from collections import deque

DEFAULT_CAPACITY = 64 * 1024
FOLLOWER_BACKLOG = 10_000  # lines queued for one follower before it is cut off


class Follower:
    """A subscription: iterate with ``async for`` to get ``(stream, line)`` pairs."""

    def __init__(self, ring: LogRing) -> None:
        self._ring = ring
        self._queue: asyncio.Queue[tuple[str, bytes] | None] = asyncio.Queue()
        self.overflowed = False

    def _push(self, item: tuple[str, bytes]) -> None:
        if self._queue.qsize() >= FOLLOWER_BACKLOG:
            if not self.overflowed:
                self.overflowed = True
                self._queue.put_nowait(None)
            return
        self._queue.put_nowait(item)

    def close(self) -> None:
        """Stop following (also ends a pending ``async for``)."""
        self._ring._followers.discard(self)
        self._queue.put_nowait(None)

    def __aiter__(self) -> Follower:
        return self

    async def __anext__(self) -> tuple[str, bytes]:
        item = await self._queue.get()
        if item is None:
            self._ring._followers.discard(self)
            raise StopAsyncIteration
        return item


class LogRing:
    """Recent ``(stream, line)`` entries of one job within ``capacity`` bytes."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._lines: deque[tuple[str, bytes]] = deque()
        self._size = 0
        self._followers: set[Follower] = set()

    def append(self, stream: str, line: bytes) -> None:
        """Record one line (without its newline) of ``stream`` (stdout/stderr)."""
        self._lines.append((stream, line))
        self._size += len(line) + 1
        while self._size > self.capacity and len(self._lines) > 1:
            _, old = self._lines.popleft()
            self._size -= len(old) + 1
        for follower in tuple(self._followers):
            follower._push((stream, line))

    def tail(self, count: int = -1) -> list[tuple[str, bytes]]:
        """The last ``count`` lines (all kept lines when ``count < 0``)."""
        if count < 0 or count >= len(self._lines):
            return list(self._lines)
        if count == 0:
            return []
        return list(self._lines)[-count:]

    def follow(self) -> Follower:
        """Subscribe to lines appended from now on."""
        follower = Follower(self)
        self._followers.add(follower)
        return follower

    def close_followers(self) -> None:
        """End every subscription (shutdown)."""
        for follower in tuple(self._followers):
            follower.close()

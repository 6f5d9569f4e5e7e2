"""Time sources for the state machines: the real one and a fake for tests."""

from __future__ import annotations

import time


class SystemClock:
    """Monotonic time for durations, wall time for timestamps shown to people."""

    __slots__ = ()

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that only moves when told to (tests)."""

    __slots__ = ("now", "wall_offset")

    def __init__(self, start: float = 1000.0, wall_offset: float = 1_790_000_000.0) -> None:
        self.now = start
        self.wall_offset = wall_offset

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now + self.wall_offset

    def advance(self, seconds: float) -> None:
        self.now += seconds


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Clock(Protocol):
        def monotonic(self) -> float: ...

        def wall(self) -> float: ...

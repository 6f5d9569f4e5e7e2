"""Named one-shot timers on the event loop, as pure machines ask for them.

The machines in :mod:`mittnite.core` (job lifecycle, lazy activation, dependencies,
health, watch debounce) never touch a clock's callbacks: they return "start timer X in
N seconds" and "cancel timer X" actions and expect ``timer_fired(X)`` back. Every adapter
carries those out the same way, so it is done once here: starting a timer that runs
replaces it, cancelling one that does not run is a no-op, and a fired timer is forgotten
before its callback runs (the callback may start it again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class NamedTimers(Generic[Key]):
    """One ``loop.call_later`` handle per name; ``on_fire(name)`` when one expires."""

    def __init__(self, on_fire: Callable[[Key], None]) -> None:
        self._on_fire = on_fire
        self._handles: dict[Key, asyncio.TimerHandle] = {}

    def start(self, name: Key, delay: float) -> None:
        """(Re)start ``name`` to fire after ``delay`` seconds; needs a running loop."""
        self.cancel(name)
        loop = asyncio.get_running_loop()
        self._handles[name] = loop.call_later(delay, self._fire, name)

    def cancel(self, name: Key) -> None:
        handle = self._handles.pop(name, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()

    def __contains__(self, name: object) -> bool:
        return name in self._handles

    def __len__(self) -> int:
        return len(self._handles)

    def _fire(self, name: Key) -> None:
        self._handles.pop(name, None)
        self._on_fire(name)

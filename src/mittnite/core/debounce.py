"""Debouncing of file-watch events, as a pure state machine.

A single logical change arrives as a burst of raw events: an editor writes a
swap file, renames it over the original and fixes the mode; kubelet writes a
new directory, swaps a ``..data`` symlink and deletes the old directory; a
program appends in 100 small writes. Acting on every raw event would signal
the job many times for one change, and in the middle of the change. So every
key (one per ``watch`` block) is evaluated once, after the burst has been
quiet for ``quiet`` seconds; a stream that never pauses is still evaluated at
least every ``max_delay`` seconds so it cannot starve the watch.

An evaluation (and the signal and commands it may trigger) can take long.
While it runs, the key is *busy*: new events are remembered and lead to one
more evaluation after it is reported :meth:`done`, never to a second,
overlapping one. That keeps pre command, signal and post command of one
watch block strictly in sequence.

Like :mod:`.job`, the machine only answers with actions; the asyncio adapter
(:mod:`mittnite.supervisor.watch`) runs the timers and the evaluations.
"""

from __future__ import annotations

from .job import Action

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Hashable

    from .clock import Clock

DEFAULT_QUIET = 0.03
DEFAULT_MAX_DELAY = 1.0


class StartTimer(Action):
    """Call timer_fired(key) after ``delay`` seconds, replacing the key's timer."""

    __slots__ = ("delay", "key")

    def __init__(self, key: Hashable, delay: float) -> None:
        self.key = key
        self.delay = delay


class CancelTimer(Action):
    """Drop the key's timer, if any."""

    __slots__ = ("key",)

    def __init__(self, key: Hashable) -> None:
        self.key = key


class Evaluate(Action):
    """Look at the files of ``key`` now; report back with done(key) when finished."""

    __slots__ = ("key",)

    def __init__(self, key: Hashable) -> None:
        self.key = key


class _Burst:
    """When the events of the current burst started and when the last one came."""

    __slots__ = ("first", "last")

    def __init__(self, now: float) -> None:
        self.first = now
        self.last = now


class DebounceMachine:
    """Per-key debouncing; keys are arbitrary hashables (watch block indices).

    Per key the state is one of: idle (absent from both maps), pending
    (a burst in ``_pending``, a timer running), busy (in ``_busy``; the value
    is the burst seen while busy, or None).
    """

    def __init__(
        self,
        *,
        clock: Clock,
        quiet: float = DEFAULT_QUIET,
        max_delay: float = DEFAULT_MAX_DELAY,
    ) -> None:
        if quiet <= 0 or max_delay < quiet:
            raise ValueError("need 0 < quiet <= max_delay")
        self.clock = clock
        self.quiet = quiet
        self.max_delay = max_delay
        self._pending: dict[Hashable, _Burst] = {}
        self._busy: dict[Hashable, _Burst | None] = {}

    def _due(self, burst: _Burst) -> float:
        """When the burst should be evaluated: after the quiet time, at the latest max_delay."""
        return min(burst.last + self.quiet, burst.first + self.max_delay)

    def pending(self, key: Hashable) -> bool:
        """Whether an evaluation of ``key`` is scheduled (tests, status)."""
        return key in self._pending

    def busy(self, key: Hashable) -> bool:
        return key in self._busy

    # -- events ---------------------------------------------------------------------
    def changed(self, key: Hashable) -> list[Action]:
        """Something that may concern ``key`` happened on disk."""
        now = self.clock.monotonic()
        if key in self._busy:
            burst = self._busy[key]
            if burst is None:
                self._busy[key] = _Burst(now)
            else:
                burst.last = now
            return []
        burst = self._pending.get(key)
        if burst is not None:
            # The running timer is not moved on every event (100 writes would
            # mean 100 timer replacements); timer_fired re-arms if needed.
            burst.last = now
            return []
        self._pending[key] = _Burst(now)
        return [StartTimer(key, self.quiet)]

    def timer_fired(self, key: Hashable) -> list[Action]:
        burst = self._pending.get(key)
        if burst is None:
            return []  # a stale timer (cancelled key)
        now = self.clock.monotonic()
        due = self._due(burst)
        if now < due:
            return [StartTimer(key, due - now)]
        del self._pending[key]
        self._busy[key] = None
        return [Evaluate(key)]

    def done(self, key: Hashable) -> list[Action]:
        """The evaluation of ``key`` (and whatever it triggered) has finished."""
        if key not in self._busy:
            return []
        burst = self._busy.pop(key)
        if burst is None:
            return []
        # Changes arrived meanwhile: evaluate them as a burst of their own,
        # with the burst's age counting towards max_delay.
        self._pending[key] = burst
        return [StartTimer(key, max(0.0, self._due(burst) - self.clock.monotonic()))]

    def forget(self, key: Hashable) -> list[Action]:
        """Stop tracking ``key`` (its watch was removed or the watcher stops)."""
        self._busy.pop(key, None)
        if self._pending.pop(key, None) is not None:
            return [CancelTimer(key)]
        return []

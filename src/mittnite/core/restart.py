"""Crash-loop back-off and attempt counting, exactly as the original counts them.

Per failure streak: the first retry waits 1 s, then 2 s, 4 s, ... doubling
(truncated to whole seconds) up to 300 s. ``maxAttempts`` is the total number
of runs in a streak (3 means: run, retry, retry, give up); -1 is unlimited.
A run that lasted longer than the current back-off ends the streak: counters
reset, so a job that crashes after running for a while is retried again.
"""

from __future__ import annotations

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 300.0


def next_backoff(current: float) -> float:
    """The delay after ``current``: 1 s → 2 s, else double (whole seconds), capped."""
    if current <= INITIAL_BACKOFF:
        return 2.0
    return min(float(int(current * 2)), MAX_BACKOFF)


class RestartPolicy:
    """Decides, after each failed run, whether and when to try again."""

    __slots__ = ("attempts", "backoff", "max_attempts")

    def __init__(self, max_attempts: int) -> None:
        self.max_attempts = max_attempts
        self.backoff = INITIAL_BACKOFF
        self.attempts = 0

    def reset(self) -> None:
        """Start a fresh streak (a new supervisor start)."""
        self.backoff = INITIAL_BACKOFF
        self.attempts = 0

    def after_failure(self, ran_for: float) -> float | None:
        """Seconds to wait before the next run, or ``None`` to give up."""
        if ran_for > self.backoff:
            self.reset()
        self.attempts += 1
        if self.max_attempts < 0 or self.attempts < self.max_attempts:
            delay = self.backoff
            self.backoff = next_backoff(self.backoff)
            return delay
        return None

"""Undo the signal state mittnite inherited, so its children start from a clean slate.

A process inherits its signal mask and its *ignored* signals from its parent, and both
survive ``exec``. Whatever started mittnite (a shell that ran it in the background, nohup,
a container runtime with odd defaults) would otherwise pass those on to every job, and a
job that cannot be stopped with SIGINT or never sees SIGHUP is a baffling bug.

Ignored signals are not reset to the default in mittnite itself: that would change what
mittnite does when such a signal arrives (``SIGHUP`` would suddenly kill it). They get a
do-nothing handler instead. mittnite keeps ignoring them in effect, and because ``exec``
resets caught signals to the default, children start with default dispositions.

``SIGPIPE`` and ``SIGXFSZ`` stay ignored: CPython ignores them on purpose (so writes fail
with an error instead of killing the interpreter), and the spawner restores them to the
default in each child (``restore_signals=True``). Where mittnite replaces itself with
another program (``renderfiles COMMAND``), :func:`interpreter_signals_restored` does the
same around the ``exec``.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from types import FrameType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

# CPython ignores these itself; the spawner restores them in every child.
_INTERPRETER_IGNORED = frozenset({signal.SIGPIPE, signal.SIGXFSZ})
_UNCATCHABLE = frozenset({signal.SIGKILL, signal.SIGSTOP})


class CleanSlateReport:
    """What ``prepare_process_for_supervision`` changed; worth a debug log line at startup.

    ``unblocked``: signals that were blocked in the calling thread's mask;
    ``unignored``: signals that were ignored and now have a do-nothing handler.
    """

    __slots__ = ("unblocked", "unignored")

    def __init__(self, unblocked: frozenset[int], unignored: frozenset[int]) -> None:
        self.unblocked = unblocked
        self.unignored = unignored

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, CleanSlateReport)
            and other.unblocked == self.unblocked
            and other.unignored == self.unignored
        )

    def __hash__(self) -> int:
        return hash((self.unblocked, self.unignored))

    def __repr__(self) -> str:
        return f"CleanSlateReport(unblocked={self.unblocked!r}, unignored={self.unignored!r})"


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """A handler that does nothing: mittnite still ignores the signal, children do not."""


def prepare_process_for_supervision() -> CleanSlateReport:
    """Clear the calling thread's signal mask and replace inherited ``SIG_IGN`` dispositions.

    Call it once at startup, on the main thread, before starting any other thread (threads
    copy the mask of their creator) and before installing mittnite's own handlers.
    """
    blocked = signal.pthread_sigmask(signal.SIG_SETMASK, ())
    unignored: set[int] = set()
    for signum in signal.valid_signals():
        if signum in _UNCATCHABLE or signum in _INTERPRETER_IGNORED:
            continue
        try:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                continue
            signal.signal(signum, _ignore)
        except (OSError, ValueError):  # signals reserved by the C library
            continue
        unignored.add(int(signum))
    return CleanSlateReport(
        unblocked=frozenset(int(signum) for signum in blocked),
        unignored=frozenset(unignored),
    )


@contextmanager
def interpreter_signals_restored() -> Iterator[None]:
    """Around an ``exec`` of mittnite itself: ``SIGPIPE``/``SIGXFSZ`` at their default.

    An ignored signal stays ignored across ``exec``, so without this the program that
    replaces mittnite would inherit CPython's choice (a ``yes | head`` in it would print
    ``Broken pipe`` errors instead of ending quietly). The original, a Go program, passes
    them on at their default. If the ``exec`` fails, they are ignored again.
    """
    previous = {signum: signal.signal(signum, signal.SIG_DFL) for signum in _INTERPRETER_IGNORED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

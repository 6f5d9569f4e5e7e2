"""Signals as event-loop events, and signals sent to whole process groups.

Which signals mittnite catches, and why:

* ``SIGTERM`` and ``SIGINT`` start the shutdown (``docker stop``, Ctrl-C).
* ``SIGHUP``, ``SIGUSR1``, ``SIGUSR2``, ``SIGQUIT`` and ``SIGWINCH`` are what people send to
  a container to talk to the service inside it (reload, reopen logs, nginx's graceful quit
  and graceful worker stop); they are forwarded to the jobs. Upstream died on ``SIGHUP``
  and silently dropped the others (spec §9.7, §17 item 13).

Deliberately *not* caught: ``SIGCHLD`` (the reaper owns it); the fault signals
(``SEGV``, ``BUS``, ``FPE``, ``ILL``, ``TRAP``, ``SYS``, ``ABRT``) and the resource or timer
signals (``PIPE``, ``XFSZ``, ``XCPU``, ``ALRM``, ``VTALRM``, ``PROF``, ``IO``, ``URG``) which
describe mittnite's own condition and would mean nothing to a job; the job-control signals
(``TSTP``, ``TTIN``, ``TTOU``, ``CONT``), since mittnite has no terminal to manage;
``SIGKILL``/``SIGSTOP`` cannot be caught.

Before the event loop runs (and after it stopped) the shutdown signals are caught by
:func:`install_early_handlers`, installed as mittnite's first action. Without it a SIGTERM
would be dropped by the kernel while mittnite is PID 1 (no handler: the jobs would start
anyway) or kill it without cleanup otherwise, and SIGINT would end in a traceback.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:  # asyncio is not imported here: deferred_ssl must come first (cli/up.py)
    import asyncio
    from collections.abc import Callable, Iterable, Iterator
    from types import FrameType

SHUTDOWN_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)
FORWARDED_SIGNALS: tuple[signal.Signals, ...] = (
    signal.SIGHUP,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGQUIT,
    signal.SIGWINCH,
)
HANDLED_SIGNALS: tuple[signal.Signals, ...] = SHUTDOWN_SIGNALS + FORWARDED_SIGNALS


class SignalSubscription:
    """Handlers installed by ``install_signal_handlers``; ``remove()`` takes them away."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        signals: tuple[int, ...],
        previous: dict[int, object] | None = None,
    ) -> None:
        self._loop = loop
        self.signals = signals
        self._previous = previous or {}

    def remove(self) -> None:
        """Put back the handlers that were there before (asyncio would set the defaults).

        So a signal arriving after the loop stopped listening still meets the early
        handler (recorded, no traceback, no sudden death during the last cleanup).
        """
        for signum in self.signals:
            self._loop.remove_signal_handler(signum)
            previous = self._previous.get(signum)
            if callable(previous) or previous in (signal.SIG_IGN, signal.SIG_DFL):
                signal.signal(signum, previous)  # type: ignore[arg-type]
        self.signals = ()


def install_signal_handlers(
    loop: asyncio.AbstractEventLoop,
    on_signal: Callable[[int], None],
    signals: Iterable[int] = HANDLED_SIGNALS,
) -> SignalSubscription:
    """Deliver each of ``signals`` to ``on_signal(signum)`` as a callback on ``loop``.

    Handlers run in the loop, not in a C signal context, so they may touch any state.
    Must be called on the main thread (an asyncio rule). A caught signal is reset to the
    default by ``exec``, so children never inherit these handlers.
    """
    chosen = tuple(int(signum) for signum in signals)
    previous: dict[int, object] = {}
    for signum in chosen:
        if signum == signal.SIGCHLD:
            raise ValueError("SIGCHLD belongs to the reaper")
        previous[signum] = signal.getsignal(signum)
        loop.add_signal_handler(signum, on_signal, signum)
    return SignalSubscription(loop, chosen, previous)


def kill_group(pgid: int, signum: int) -> bool:
    """Send ``signum`` to every process in group ``pgid``; False if the group is gone.

    "No such process" is an expected outcome (the group emptied itself), not an error.
    """
    if pgid <= 1:
        # kill(-1) would hit every process we may signal, kill(0) our own group.
        raise ValueError(f"refusing to signal process group {pgid}")
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    return True


# -- before and after the event loop ----------------------------------------------------------


class StartupInterrupted(BaseException):
    """SIGTERM or SIGINT arrived during a start-up phase that may be cut short.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that ``except Exception`` in the
    interrupted code does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Early:
    received: int | None = None
    """The first shutdown signal caught by the early handler, if any."""
    raising = True
    """Raise ``StartupInterrupted`` at once (else only record the signal)."""


def _early_handler(signum: int, _frame: FrameType | None) -> None:
    if _Early.received is None:
        _Early.received = signum
    if _Early.raising:
        raise StartupInterrupted(signum)


def install_early_handlers() -> None:
    """Catch SIGTERM and SIGINT from now on, until the event loop takes them over.

    By default a signal interrupts the program at once (``StartupInterrupted``); inside
    :func:`signals_deferred` it is only recorded (:func:`early_signal`) for the code to
    act on at a safe point. Must run on the main thread.
    """
    for signum in SHUTDOWN_SIGNALS:
        signal.signal(signum, _early_handler)


def early_signal() -> int | None:
    """The shutdown signal caught before the event loop listened, if any."""
    return _Early.received


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Only record shutdown signals: the code checks :func:`early_signal` itself."""
    before, _Early.raising = _Early.raising, False
    try:
        yield
    finally:
        _Early.raising = before


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """A phase that a shutdown signal may cut short (loading, rendering): raise at once.

    Raises ``StartupInterrupted`` on entry if a signal is already pending.
    """
    before, _Early.raising = _Early.raising, True
    try:
        if _Early.received is not None:
            raise StartupInterrupted(_Early.received)
        yield
    finally:
        _Early.raising = before


def forget_early_signal() -> None:
    """Reset the record (tests)."""
    _Early.received = None
    _Early.raising = True

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

import contextlib
import os
import signal

TYPE_CHECKING = False
if TYPE_CHECKING:  # asyncio is not imported here: deferred_ssl must come first (cli/up.py)
    import asyncio
    from collections.abc import Callable, Iterable
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

    def __init__(self, signals: tuple[int, ...], previous: dict[int, object]) -> None:
        self.signals = signals
        self._previous = previous

    def remove(self) -> None:
        """Put back the handlers that were there before.

        So a signal arriving after the loop stopped listening still meets the early
        handler (recorded, no traceback, no sudden death during the last cleanup).
        """
        for signum in self.signals:
            previous = self._previous.get(signum)
            if callable(previous) or previous in (signal.SIG_IGN, signal.SIG_DFL):
                signal.signal(signum, previous)  # type: ignore[arg-type]
            else:  # installed from C code: the default is the best we can do
                signal.signal(signum, signal.SIG_DFL)
        self.signals = ()


def install_signal_handlers(
    loop: asyncio.AbstractEventLoop,
    on_signal: Callable[[int], None],
    signals: Iterable[int] = HANDLED_SIGNALS,
) -> SignalSubscription:
    """Deliver each of ``signals`` to ``on_signal(signum)`` as a callback on ``loop``.

    Callbacks run in the loop, not in a signal context, so they may touch any state.
    Must be called on the main thread, the loop's. A caught signal is reset to the
    default by ``exec``, so children never inherit these handlers.

    Not ``loop.add_signal_handler``: asyncio learns of a signal from one byte per signal
    in its wake-up pipe, and when a burst of SIGCHLDs fills that pipe while the loop is
    busy, further bytes are dropped; a SIGTERM among them would be lost. A Python-level
    handler runs for every signal that arrives (CPython keeps a flag per signal), and
    schedules the callback directly.
    """
    chosen = tuple(int(signum) for signum in signals)
    previous: dict[int, object] = {}

    def handler(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody listens any more
            loop.call_soon_threadsafe(on_signal, signum)

    for signum in chosen:
        if signum == signal.SIGCHLD:
            raise ValueError("SIGCHLD belongs to the reaper")
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, handler)
        signal.siginterrupt(signum, False)  # restart interrupted system calls, as asyncio does
    return SignalSubscription(chosen, previous)


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


# -- before and after the event loop: see earlysignals (kept apart for start-up time) ----------
from mittnite.runtime.earlysignals import (  # noqa: E402
    StartupInterrupted,
    defer_signals,
    early_signal,
    install_early_handlers,
    signals_deferred,
    signals_interrupt,
)

__all__ = [
    "FORWARDED_SIGNALS",
    "HANDLED_SIGNALS",
    "SHUTDOWN_SIGNALS",
    "SignalSubscription",
    "StartupInterrupted",
    "defer_signals",
    "early_signal",
    "install_early_handlers",
    "install_signal_handlers",
    "kill_group",
    "signals_deferred",
    "signals_interrupt",
]

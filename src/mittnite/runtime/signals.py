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
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterable

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

    def __init__(self, loop: asyncio.AbstractEventLoop, signals: tuple[int, ...]) -> None:
        self._loop = loop
        self.signals = signals

    def remove(self) -> None:
        """Restore the default dispositions (asyncio's rule) for every subscribed signal."""
        for signum in self.signals:
            self._loop.remove_signal_handler(signum)
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
    for signum in chosen:
        if signum == signal.SIGCHLD:
            raise ValueError("SIGCHLD belongs to the reaper")
        loop.add_signal_handler(signum, on_signal, signum)
    return SignalSubscription(loop, chosen)


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

"""SIGTERM and SIGINT from mittnite's first instruction until the event loop listens.

Without a handler a SIGTERM is dropped by the kernel while mittnite is PID 1 (the jobs
would start anyway) or kills it without cleanup otherwise, and SIGINT ends in a
traceback. :func:`install_early_handlers` is the first thing every entry point does.
Once the event loop handles the signals (:mod:`.signals`), these handlers rest; they are
put back when the loop stops listening, so a late signal is recorded, never fatal.

Only the C module ``_signal`` is used (the ``signal`` module adds enums, and with them
milliseconds to every start of ``mittnite``, ``--help`` included).
"""

from __future__ import annotations

from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal as _sig  # the same functions, typed
    from collections.abc import Iterator
    from types import FrameType
else:
    try:
        import _signal as _sig
    except ImportError:  # not CPython
        import signal as _sig

__all__ = [
    "StartupInterrupted",
    "defer_signals",
    "early_signal",
    "install_early_handlers",
    "signals_deferred",
    "signals_interrupt",
]

_SHUTDOWN = (_sig.SIGTERM, _sig.SIGINT)


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
    for signum in _SHUTDOWN:
        _sig.signal(signum, _early_handler)


def early_signal() -> int | None:
    """The shutdown signal caught before the event loop listened, if any."""
    return _Early.received


def defer_signals() -> None:
    """From now on only record shutdown signals (outside :func:`signals_interrupt`).

    For ``up``, whose event loop acts on the record; unlike :func:`signals_deferred` it
    stays so until the process exits, so a late signal during the interpreter's own
    teardown cannot change the exit status.
    """
    _Early.raising = False


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

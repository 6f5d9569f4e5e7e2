"""Pseudo-terminals for jobs whose output goes to mittnite's terminal.

Under the original a job writes straight to mittnite's stdout, so with
``docker run -t`` it sees a terminal (``isatty(1)``: colours, progress bars,
line buffering). Ours reads the job's output to keep lines whole and to serve
the API's logs, so such a job gets a pseudo-terminal of its own: the job holds
the terminal side (as its stdout and/or stderr), mittnite reads the master
side like a pipe and writes to its own terminal.

The job's terminal does no output processing (``OPOST`` off): bytes pass
unchanged, and mittnite's real terminal turns ``\\n`` into ``\\r\\n`` once, as it
would for a job writing to it directly. The window size is copied from
mittnite's terminal at start and on every ``SIGWINCH``. The job does not get a
controlling terminal (it stays in mittnite's session, as under the original).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import termios

from .pipes import OutputPipe

_WINSIZE = b"\0" * 8


def open_terminal(like: int | None = None) -> OutputPipe:
    """A pseudo-terminal as ``(master, terminal)``; settings and size taken from ``like``.

    The master is non-blocking; both ends are close-on-exec (the spawner hands the
    terminal side to the child). Raises ``OSError`` if no pseudo-terminal is available.
    """
    master, terminal = os.openpty()
    try:
        attributes = termios.tcgetattr(terminal)
        if like is not None:
            with contextlib.suppress(termios.error, OSError):
                attributes = termios.tcgetattr(like)
        attributes[1] &= ~termios.OPOST
        termios.tcsetattr(terminal, termios.TCSANOW, attributes)
        if like is not None:
            copy_window_size(like, master)
        os.set_blocking(master, False)
    except BaseException:
        os.close(master)
        os.close(terminal)
        raise
    return OutputPipe(master, terminal)


def copy_window_size(source: int, target: int) -> bool:
    """Give terminal ``target`` the window size of terminal ``source``; False if impossible."""
    try:
        size = fcntl.ioctl(source, termios.TIOCGWINSZ, _WINSIZE)
        fcntl.ioctl(target, termios.TIOCSWINSZ, size)
    except OSError:
        return False
    return True

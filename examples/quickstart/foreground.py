"""Run a command as the terminal's foreground job, so Ctrl-C reaches it alone.

``make demo`` runs the demo under ``make``. On Ctrl-C the terminal sends
SIGINT to its whole foreground process group - ``make`` included - and make,
interrupted, reports ``*** [demo] Interrupt`` and status 130, even though
mittnite shut down cleanly and exited 0. A shell with job control avoids
this by giving each job its own process group; this does the same for one
command: it starts the command in a new process group, hands that group the
terminal, waits, takes the terminal back and exits with the command's
status. Without a terminal it simply runs the command.

    python3 foreground.py COMMAND [ARGS...]
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write("usage: foreground.py COMMAND [ARGS...]\n")
        return 2
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | os.O_CLOEXEC)
        os.tcgetpgrp(terminal)
    except OSError:
        os.execvp(argv[0], argv)  # no controlling terminal: nothing to hand over
    ours = os.getpgrp()
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        os.execvp(argv[0], argv)
    with contextlib.suppress(PermissionError):  # the child did it already and exec'd
        os.setpgid(child, child)  # also here: whichever of the two runs first
    # As a background process we must not be stopped for touching the terminal.
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's business
    os.tcsetpgrp(terminal, child)
    try:
        while True:
            _, status = os.waitpid(child, os.WUNTRACED)
            if not os.WIFSTOPPED(status):
                break
            # Ctrl-Z stopped the command: stop with it (and make), as a shell's job would;
            # when continued (fg), hand the terminal back and continue it too.
            os.tcsetpgrp(terminal, ours)
            os.killpg(ours, signal.SIGTSTP)
            os.tcsetpgrp(terminal, child)
            os.killpg(child, signal.SIGCONT)
    finally:
        os.tcsetpgrp(terminal, ours)
        os.close(terminal)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code  # killed by a signal: as a shell reports it


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Decoded wait statuses and Go's words for them.

mittnite logs a finished job with the text of Go's ``*exec.ExitError`` (``exit status 3``,
``signal: terminated``), and its users grep for those strings, so the port must produce them
byte for byte. The raw wait status is kept as well: upstream printed it (``status=768``) and
a faithful log line may still want it.
"""

from __future__ import annotations

import os

# Go's ``syscall.Signal.String()`` for Linux, signals 1..31. Every other number (the real-time
# signals included) prints as ``signal N``.
GO_SIGNAL_NAMES: dict[int, str] = {
    1: "hangup",
    2: "interrupt",
    3: "quit",
    4: "illegal instruction",
    5: "trace/breakpoint trap",
    6: "aborted",
    7: "bus error",
    8: "floating point exception",
    9: "killed",
    10: "user defined signal 1",
    11: "segmentation fault",
    12: "user defined signal 2",
    13: "broken pipe",
    14: "alarm clock",
    15: "terminated",
    16: "stack fault",
    17: "child exited",
    18: "continued",
    19: "stopped (signal)",
    20: "stopped",
    21: "stopped (tty input)",
    22: "stopped (tty output)",
    23: "urgent I/O condition",
    24: "CPU time limit exceeded",
    25: "file size limit exceeded",
    26: "virtual timer expired",
    27: "profiling timer expired",
    28: "window changed",
    29: "I/O possible",
    30: "power failure",
    31: "bad system call",
}

_CORE_DUMP_FLAG = 0x80


def signal_name(signum: int) -> str:
    """Return the name Go gives a signal, e.g. ``"terminated"`` for 15.

    mittnite's log lines (``received event terminated``) and exit texts use these words,
    which differ from both the C ``strsignal`` texts and Python's ``SIGTERM`` enum names.
    """
    return GO_SIGNAL_NAMES.get(signum, f"signal {signum}")


class ExitStatus:
    """How a child ended, decoded from the raw status ``waitpid`` returned.

    The reaper is the only place that learns about exits, so everything downstream (restart
    decisions, log texts, the API) works from this one immutable value. (A plain slotted
    class: :mod:`dataclasses` costs an init 20 ms of start-up.)
    """

    __slots__ = ("raw",)
    raw: int

    def __init__(self, raw: int) -> None:
        object.__setattr__(self, "raw", raw)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ExitStatus is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExitStatus) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)

    def __repr__(self) -> str:
        return f"ExitStatus(raw={self.raw})"

    @classmethod
    def exited(cls, code: int) -> ExitStatus:
        """Build the status of a normal exit; handy for tests and state machines."""
        if not 0 <= code <= 255:
            raise ValueError(f"exit code out of range: {code}")
        return cls(code << 8)

    @classmethod
    def killed_by(cls, signum: int, *, core_dumped: bool = False) -> ExitStatus:
        """Build the status of a death by signal; handy for tests and state machines."""
        if not 1 <= signum <= 0x7F:
            raise ValueError(f"signal number out of range: {signum}")
        return cls(signum | (_CORE_DUMP_FLAG if core_dumped else 0))

    @property
    def exit_code(self) -> int | None:
        """The code passed to ``exit``, or ``None`` when a signal ended the process."""
        return os.WEXITSTATUS(self.raw) if os.WIFEXITED(self.raw) else None

    @property
    def term_signal(self) -> int | None:
        """The signal that ended the process, or ``None`` after a normal exit."""
        return os.WTERMSIG(self.raw) if os.WIFSIGNALED(self.raw) else None

    @property
    def core_dumped(self) -> bool:
        """Whether the kernel wrote a core file; Go appends `` (core dumped)`` then."""
        return os.WIFSIGNALED(self.raw) and os.WCOREDUMP(self.raw)

    @property
    def success(self) -> bool:
        """True only for ``exit 0``, the single outcome Go reports without an error."""
        return self.exit_code == 0

    @property
    def returncode(self) -> int:
        """The ``subprocess`` convention: the exit code, or minus the signal number."""
        if os.WIFEXITED(self.raw):
            return os.WEXITSTATUS(self.raw)
        if os.WIFSIGNALED(self.raw):
            return -os.WTERMSIG(self.raw)
        if os.WIFSTOPPED(self.raw):
            return -os.WSTOPSIG(self.raw)
        return 0

    def describe(self) -> str:
        """Go's ``ProcessState.String()``: ``exit status 3``, ``signal: killed``, ..."""
        if os.WIFEXITED(self.raw):
            text = f"exit status {os.WEXITSTATUS(self.raw)}"
        elif os.WIFSIGNALED(self.raw):
            text = f"signal: {signal_name(os.WTERMSIG(self.raw))}"
        elif os.WIFSTOPPED(self.raw):
            text = f"stop signal: {signal_name(os.WSTOPSIG(self.raw))}"
        elif os.WIFCONTINUED(self.raw):
            text = "continued"
        else:
            text = ""
        if self.core_dumped:
            text += " (core dumped)"
        return text

    def __str__(self) -> str:
        return self.describe()

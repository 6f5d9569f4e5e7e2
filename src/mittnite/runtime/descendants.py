"""Every process below mittnite, and stopping them all at shutdown.

Jobs run in process groups of their own, and a job is stopped by signalling its group. A
process that left the group (``setsid``, a daemon's double fork, ``setpgid``) is not
reached that way: it is an *escapee*. Because mittnite is PID 1 or a child subreaper, an
escapee whose parent died is re-parented to mittnite, and one whose parent lives is still
below mittnite: the process tree under mittnite's pid holds them all. It is read from
``/proc`` when needed (only at shutdown), so nothing has to be tracked while jobs run.

Signals go through pidfds where the kernel has them (Linux 5.3): the pidfd is opened and
the process's start time is checked against the one read from ``/proc``, so a signal never
reaches a process that merely reuses the pid of a descendant that has exited meanwhile.
The SIGKILL after the grace time goes to the same pidfd.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["ProcessInfo", "Sweep", "descendants", "process_table", "read_process"]

POLL_INTERVAL = 0.05
"""How often the tree is looked at while waiting for processes to end (shutdown only)."""
KILL_ROUNDS = 20
"""SIGKILL rounds at most (a process may fork while being killed); 0.05 s apart."""


class ProcessInfo:
    """One line of ``/proc/<pid>/stat``, the fields that matter here."""

    __slots__ = ("pgid", "pid", "ppid", "sid", "start_time", "state")

    def __init__(
        self, pid: int, state: str, ppid: int, pgid: int, sid: int, start_time: int
    ) -> None:
        self.pid = pid
        self.state = state
        self.ppid = ppid
        self.pgid = pgid
        self.sid = sid
        self.start_time = start_time

    @property
    def alive(self) -> bool:
        """Not a zombie (``Z``) or dead (``X``): it can still act, and be signalled."""
        return self.state not in ("Z", "X")

    def __repr__(self) -> str:
        return (
            f"ProcessInfo(pid={self.pid}, ppid={self.ppid}, pgid={self.pgid}, state={self.state})"
        )


def parse_stat(pid: int, text: bytes) -> ProcessInfo:
    """Parse ``/proc/<pid>/stat`` (the command name may hold spaces and parentheses)."""
    fields = text[text.rindex(b")") + 2 :].split()
    return ProcessInfo(
        pid,
        fields[0].decode("ascii", "replace"),
        int(fields[1]),
        int(fields[2]),
        int(fields[3]),
        int(fields[19]),
    )


def read_process(pid: int) -> ProcessInfo | None:
    """The process ``pid`` now, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return parse_stat(pid, handle.read())
    except (OSError, ValueError, IndexError):
        return None


def process_table() -> dict[int, ProcessInfo]:
    """Every process visible in ``/proc``."""
    table: dict[int, ProcessInfo] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if name.isdigit():
            info = read_process(int(name))
            if info is not None:
                table[info.pid] = info
    return table


def descendants(
    root: int | None = None, table: dict[int, ProcessInfo] | None = None
) -> list[ProcessInfo]:
    """Every process below ``root`` (default: this process), parents before children."""
    root = os.getpid() if root is None else root
    table = process_table() if table is None else table
    children: dict[int, list[ProcessInfo]] = {}
    for info in table.values():
        children.setdefault(info.ppid, []).append(info)
    found: list[ProcessInfo] = []
    queue = [root]
    while queue:
        parent = queue.pop(0)
        for child in children.get(parent, ()):
            if child.pid != root:
                found.append(child)
                queue.append(child.pid)
    return found


class _Target:
    """A process being stopped: how to signal exactly it."""

    __slots__ = ("info", "pidfd")

    def __init__(self, info: ProcessInfo) -> None:
        self.info = info
        self.pidfd: int | None = None
        opener = getattr(os, "pidfd_open", None)
        if opener is not None:
            try:
                fd: int = opener(info.pid)
            except ProcessLookupError:
                self.pidfd = -1  # gone already
                return
            except OSError:  # no pidfds in this kernel: plain kill(2)
                return
            now = read_process(info.pid)
            if now is None or now.start_time != info.start_time:
                os.close(fd)  # the pid belongs to somebody else already
                self.pidfd = -1
                return
            self.pidfd = fd

    def send(self, signum: int) -> bool:
        """Deliver ``signum``; False if the process is gone."""
        if self.pidfd == -1:
            return False
        sender = getattr(signal, "pidfd_send_signal", None)
        try:
            if self.pidfd is not None and sender is not None:
                sender(self.pidfd, signum)
            else:
                os.kill(self.info.pid, signum)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def close(self) -> None:
        if self.pidfd is not None and self.pidfd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
        self.pidfd = None


class Sweep:
    """Stops processes below mittnite: SIGTERM first, SIGKILL after the grace time.

    ``terminate()`` signals a set of processes now (those the jobs' group signals do not
    reach); ``finish()`` is called once the jobs are stopped: it SIGTERMs every descendant
    not signalled yet, waits until the deadline for all of them to end, then SIGKILLs the
    rest (again and again while new ones appear, a bounded number of times).
    ``on_signal(signum, pid)`` lets the owner log each signal sent.
    """

    def __init__(
        self,
        *,
        root: int | None = None,
        on_signal: Callable[[int, int], None] | None = None,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.root = os.getpid() if root is None else root
        self._on_signal = on_signal
        self._poll = poll_interval
        self._targets: dict[tuple[int, int], _Target] = {}
        self._last_sigterm: float | None = None
        self.terminated: list[int] = []
        """Pids that got SIGTERM from the sweep."""
        self.killed: list[int] = []
        """Pids that got SIGKILL from the sweep."""

    def living(self) -> list[ProcessInfo]:
        """The descendants that are still alive (zombies are as good as gone)."""
        return [info for info in descendants(self.root) if info.alive]

    def terminate(self, processes: Iterable[ProcessInfo], *, report: bool = True) -> None:
        """SIGTERM each process now (once per process); ``report`` calls ``on_signal``."""
        for info in processes:
            key = (info.pid, info.start_time)
            if key in self._targets:
                continue
            target = _Target(info)
            self._targets[key] = target
            if target.send(signal.SIGTERM):
                self._last_sigterm = asyncio.get_running_loop().time()
                self.terminated.append(info.pid)
                if report and self._on_signal is not None:
                    self._on_signal(signal.SIGTERM, info.pid)

    async def finish(self, grace: float) -> None:
        """SIGTERM whatever is left, give it ``grace`` seconds, then SIGKILL the rest.

        The grace time runs from the last SIGTERM sent before or by this call; processes
        that appear while waiting get a SIGTERM too, but do not extend the wait.
        """
        loop = asyncio.get_running_loop()
        try:
            left = self.living()
            self.terminate(left)
            deadline = (self._last_sigterm or loop.time()) + grace
            while left and loop.time() < deadline:
                await asyncio.sleep(min(self._poll, max(deadline - loop.time(), 0.0)))
                left = self.living()
                # started since (a loop forking away): SIGTERM as well, without a log line each
                self.terminate(left, report=False)
            killed: set[tuple[int, int]] = set()
            for _round in range(KILL_ROUNDS):
                if not left:
                    break
                for info in left:
                    key = (info.pid, info.start_time)
                    if key in killed:
                        continue  # SIGKILL cannot be ignored; it is on its way out
                    killed.add(key)
                    target = self._targets.get(key) or _Target(info)
                    self._targets[key] = target
                    if target.send(signal.SIGKILL):
                        self.killed.append(info.pid)
                        if self._on_signal is not None:
                            self._on_signal(signal.SIGKILL, info.pid)
                await asyncio.sleep(self._poll)
                left = self.living()
        finally:
            for target in self._targets.values():
                target.close()
            self._targets.clear()

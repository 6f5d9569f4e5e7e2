"""The one place in mittnite that collects exit statuses.

Upstream mittnite lost exit codes because two waiters raced for every child: a blocking
``wait4(-1)`` reaper and Go's per-process ``Wait`` (spec §9.6). Here there is exactly one
waiter. SIGCHLD wakes the event loop, the reaper drains ``waitpid(-1, WNOHANG)`` until
nothing is left, and each status goes to whoever registered that pid. Statuses nobody
registered belong to orphans the kernel re-parented to us; they are reaped and counted.

For this to hold, nothing else in the process may wait for children: no asyncio subprocess
API or child watcher, no ``Popen.wait``/``poll``/``communicate``, no ``subprocess.run``
while a reaper is running (it would steal, or be robbed of, statuses).

Signals coalesce (many exits can arrive as one SIGCHLD), which is why every wake-up drains
in a loop instead of reaping one child.

Each exited child is first *peeked at* (``waitid`` with ``WNOWAIT``): while it is a zombie
its ``/proc`` entry still tells its process group and session, which is how an orphan is
attributed to the job it came from (the label given to :meth:`Reaper.watch` for the
group leader). Then it is reaped with ``waitpid`` for that pid only.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable

from mittnite.runtime.descendants import read_process
from mittnite.runtime.exitstatus import ExitStatus

_PR_SET_CHILD_SUBREAPER = 36
_PR_GET_CHILD_SUBREAPER = 37

OrphanCallback = Callable[[int, ExitStatus], None]
ReapedHook = Callable[[ExitStatus], None]

_REMEMBERED_GROUPS = 4096
"""Labels of this many process groups are kept for attributing orphans (oldest dropped)."""


class Orphan:
    """A reaped child nobody had registered: a re-parented orphan, and where it came from."""

    __slots__ = ("label", "pgid", "pid", "sid", "status")

    def __init__(
        self, pid: int, status: ExitStatus, pgid: int | None, sid: int | None, label: str | None
    ) -> None:
        self.pid = pid
        self.status = status
        self.pgid = pgid
        self.sid = sid
        self.label = label
        """The label of the watched process whose group or session it was in, if any."""

    def __repr__(self) -> str:
        return f"Orphan(pid={self.pid}, status={self.status!r}, label={self.label!r})"


def _group_and_session(pid: int) -> tuple[int | None, int | None]:
    """Process group and session of ``pid`` (a zombie of ours), from ``/proc``."""
    info = read_process(pid)
    return (None, None) if info is None else (info.pgid, info.sid)


class ReaperClosedError(RuntimeError):
    """The reaper stopped before the watched child was reaped; its status is unknown."""


def _prctl(option: int, argument: int) -> int:
    """Call Linux ``prctl`` through libc; ctypes is imported only when actually needed."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    result: int = libc.prctl(option, argument, 0, 0, 0)
    if result == -1:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result


def become_child_subreaper() -> None:
    """Ask the kernel to re-parent our orphaned descendants to us instead of to PID 1.

    Without it, a mittnite that is not PID 1 (tests, ``docker run --init``) would never see
    the exits of a job's double-forked children, and they would linger as zombies of
    whatever the real init is.
    """
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def is_child_subreaper() -> bool:
    """Report whether this process currently is a child subreaper."""
    import ctypes

    flag = ctypes.c_int(0)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(flag), 0, 0, 0) == -1:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return flag.value != 0


def _quiet_wakeup_fd() -> None:
    """Let the loop's wake-up pipe drop bytes silently when it is full.

    Every SIGCHLD writes a byte to it; a burst of exits while the loop is busy fills it,
    and CPython would then print ``Exception ignored ... BlockingIOError`` for each
    further signal. Losing those bytes is harmless: the pipe is full of SIGCHLD bytes,
    each wakes a drain that collects every exited child. (Shutdown signals do not depend
    on the pipe, see ``signals.install_signal_handlers``.)
    """
    fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(fd, warn_on_full_buffer=False)


class _Watch:
    """A registered child: the future its owner awaits and an optional synchronous hook."""

    __slots__ = ("future", "on_reaped")

    def __init__(self, future: asyncio.Future[ExitStatus], on_reaped: ReapedHook | None) -> None:
        self.future = future
        self.on_reaped = on_reaped


class Reaper:
    """Reaps every child of this process from the event loop and routes the statuses.

    Use it as ``async with Reaper() as reaper:`` or call ``start()``/``close()`` from
    inside the running loop, on the main thread (``loop.add_signal_handler`` requires it).
    """

    def __init__(
        self,
        *,
        on_orphan: OrphanCallback | None = None,
        on_orphan_reaped: Callable[[Orphan], None] | None = None,
        become_subreaper: bool = True,
    ) -> None:
        self._on_orphan = on_orphan
        self._on_orphan_reaped = on_orphan_reaped
        self._become_subreaper = become_subreaper
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watches: dict[int, _Watch] = {}
        self._labels: dict[int, str] = {}
        self.orphans_reaped = 0
        """How many children nobody had registered (re-parented orphans) were reaped."""
        self.subreaper = False
        """Whether ``start()`` made this process a child subreaper."""

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``close()``."""
        return self._loop is not None

    @property
    def watched_pids(self) -> frozenset[int]:
        """Pids registered and not yet reaped; useful for diagnostics and tests."""
        return frozenset(self._watches)

    def start(self) -> None:
        """Begin reaping: become a subreaper if not PID 1, hook SIGCHLD, drain once.

        The first drain collects children that exited before the handler existed, whose
        SIGCHLD was therefore lost.
        """
        if self._loop is not None:
            raise RuntimeError("reaper already started")
        loop = asyncio.get_running_loop()
        if self._become_subreaper and os.getpid() != 1:
            become_child_subreaper()
            self.subreaper = True
        loop.add_signal_handler(signal.SIGCHLD, self.reap)
        _quiet_wakeup_fd()
        self._loop = loop
        self.reap()

    def close(self) -> None:
        """Stop reaping. A last drain runs first; children still alive then are failed.

        Their futures get ``ReaperClosedError`` rather than being cancelled, so an awaiting
        task is not mistaken for a cancelled one.
        """
        loop = self._loop
        if loop is None:
            return
        self.reap()
        loop.remove_signal_handler(signal.SIGCHLD)
        self._loop = None
        watches, self._watches = self._watches, {}
        for pid, watch in watches.items():
            if not watch.future.done():
                watch.future.set_exception(
                    ReaperClosedError(f"reaper closed before pid {pid} exited")
                )

    async def __aenter__(self) -> Reaper:
        self.start()
        return self

    async def __aexit__(self, *_exc_info: object) -> None:
        self.close()

    def watch(
        self, pid: int, on_reaped: ReapedHook | None = None, *, label: str | None = None
    ) -> asyncio.Future[ExitStatus]:
        """Register ``pid``; the returned future resolves with its status once reaped.

        Must be called on the loop's thread, synchronously after the fork, before control
        returns to the loop: the reaper only runs as a loop callback, so a child that has
        already exited stays a zombie until then and cannot be mistaken for an orphan.
        ``on_reaped`` runs synchronously at reap time, before the future's callbacks; the
        spawner uses it to tell ``subprocess.Popen`` the pid is gone. ``label`` names
        what the process belongs to (a job); orphans from its process group or session are
        reported with it.
        """
        loop = self._loop
        if loop is None:
            raise RuntimeError("reaper is not running")
        if asyncio.get_running_loop() is not loop:
            raise RuntimeError("Reaper.watch() must be called from the reaper's event loop")
        if pid in self._watches:
            raise RuntimeError(f"pid {pid} is already watched")
        future: asyncio.Future[ExitStatus] = loop.create_future()
        self._watches[pid] = _Watch(future, on_reaped)
        if label is not None:
            self._labels.pop(pid, None)
            self._labels[pid] = label
            if len(self._labels) > _REMEMBERED_GROUPS:
                del self._labels[next(iter(self._labels))]
        return future

    def label_of(self, pgid: int | None, sid: int | None = None) -> str | None:
        """The label of the watched process that led group ``pgid`` (or session ``sid``)."""
        for key in (pgid, sid):
            if key is not None and key in self._labels:
                return self._labels[key]
        return None

    def reap(self) -> int:
        """Collect every exited child now; return how many were reaped.

        Called on each SIGCHLD; public so a supervisor can force a sweep (e.g. at shutdown).
        """
        reaped = 0
        while True:
            try:
                peeked = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                break
            if peeked is None or peeked.si_pid == 0:
                break
            pid = peeked.si_pid
            group = (None, None) if pid in self._watches else _group_and_session(pid)
            try:
                reaped_pid, raw = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # reaped behind our back (must not happen)
                break
            if reaped_pid == 0:
                break
            reaped += 1
            self._deliver(pid, ExitStatus(raw), *group)
        return reaped

    def _deliver(
        self, pid: int, status: ExitStatus, pgid: int | None = None, sid: int | None = None
    ) -> None:
        watch = self._watches.pop(pid, None)
        if watch is None:
            self.orphans_reaped += 1
            if self._on_orphan is not None:
                self._guarded(self._on_orphan, pid, status)
            if self._on_orphan_reaped is not None:
                orphan = Orphan(pid, status, pgid, sid, self.label_of(pgid, sid))
                self._guarded(self._on_orphan_reaped, orphan)
            return
        if watch.on_reaped is not None:
            self._guarded(watch.on_reaped, status)
        if not watch.future.done():
            watch.future.set_result(status)

    def _guarded(self, callback: Callable[..., None], *args: object) -> None:
        """Run a callback without letting its bug stop the drain (zombies would pile up)."""
        try:
            callback(*args)
        except Exception as error:  # the loop's handler reports it; reaping must go on
            if self._loop is not None:
                self._loop.call_exception_handler(
                    {"message": "exception in reaper callback", "exception": error}
                )
            else:
                raise

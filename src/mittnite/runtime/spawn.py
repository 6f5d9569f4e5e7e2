"""Starting a job's process, and the handle the supervisor keeps for it.

``subprocess.Popen`` is used only as the fork/exec primitive: it brings vfork speed,
reliable exec-error reporting, ``cwd``, ``close_fds``, ``process_group`` and
``restore_signals``. It never waits for the child; the ``Reaper`` does. Why that is safe,
checked against CPython 3.11's ``subprocess.py``:

* With ``close_fds=True`` and ``process_group=0`` Popen always takes the ``_fork_exec``
  path (never ``posix_spawn``) and returns only after the child has exec'd or failed.
* If exec (or the child's ``chdir``) fails, Popen itself calls ``waitpid(pid, 0)`` for that
  pid before raising. The reaper only runs as a callback of the event loop, and the loop is
  busy inside Popen, so the two cannot race; the pid is never registered.
* On success, ``spawn`` registers the pid with the reaper synchronously, with no ``await``
  in between, so even a child that is already a zombie is still waiting to be reaped when
  the reaper next runs, and is delivered to its owner, never counted as an orphan.
* Popen calls ``waitpid`` on its own only from ``poll``/``wait``/``communicate`` (never
  used here), from ``__del__`` and from the module's ``_cleanup`` of objects ``__del__``
  parked in ``_active``, and only while ``returncode is None``. ``Child`` keeps its Popen
  alive and the reaper's synchronous hook sets ``returncode`` at reap time, before the pid
  can be recycled, so Popen never waits for (or steals the status of) a recycled pid.

Signal hygiene: the child gets its own process group (pgid = pid), default dispositions
(exec resets caught signals; ``restore_signals`` undoes CPython's ``SIGPIPE``/``SIGXFSZ``
ignores) and an empty signal mask (the fork copies the spawning thread's mask, so it is
cleared around the fork if needed). ``cleanslate.prepare_process_for_supervision`` takes
care of dispositions ignored by mittnite's own parent.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from mittnite.runtime.exitstatus import ExitStatus
from mittnite.runtime.goerrors import SpawnError, no_command_error, start_error
from mittnite.runtime.lookpath import resolve_command
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.signals import kill_group

__all__ = ["Child", "SpawnError", "spawn"]

# Module-level names: inside ``Child`` the method ``signal`` shadows the module.
_SIGTERM = signal.SIGTERM
_SIGKILL = signal.SIGKILL


class Child:
    """A running (or finished) job process, as the supervisor sees it."""

    def __init__(
        self,
        popen: subprocess.Popen[bytes],
        reaper: Reaper,
        argv: tuple[str, ...],
        path: str,
    ) -> None:
        self._popen = popen
        self.pid: int = popen.pid
        self.pgid: int = popen.pid
        self.argv = argv
        self.path = path
        """The executable that was started (``argv[0]`` after Go's path lookup)."""
        self.exited: asyncio.Future[ExitStatus] = reaper.watch(self.pid, self._reaped)
        """Resolves with the exit status once the reaper collected the process."""

    def _reaped(self, status: ExitStatus) -> None:
        # Runs synchronously inside the reaper: from here on Popen believes the child is
        # waited for and will never call waitpid on this (soon recyclable) pid.
        self._popen.returncode = status.returncode

    @property
    def status(self) -> ExitStatus | None:
        """The exit status if the process has been reaped, else ``None``."""
        if self.exited.done() and not self.exited.cancelled() and self.exited.exception() is None:
            return self.exited.result()
        return None

    def signal(self, signum: int) -> bool:
        """Send ``signum`` to the main process only; False if it already exited.

        Safe against pid reuse: until the reaper resolves ``exited`` the pid is at least a
        zombie of ours and cannot belong to anybody else.
        """
        if self.exited.done():
            return False
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            return False
        return True

    def signal_group(self, signum: int) -> bool:
        """Send ``signum`` to the whole process group; False if the group is empty.

        Still useful after the main process exited (upstream SIGTERMs the group then, to
        take down left-over grandchildren). Once the leader is reaped and the group is
        empty, the pgid could in theory be recycled; the kernel keeps it reserved while any
        member is alive.
        """
        return kill_group(self.pgid, signum)

    async def terminate(self, grace: float, signum: int = _SIGTERM) -> ExitStatus:
        """Stop the process: ``signum`` to the group, then SIGKILL after ``grace`` seconds.

        Returns the exit status. Members of the group that outlive a leader which did exit
        in time are not waited for (they got ``signum`` too); a process that moved itself
        out of its group is still reached through its pid.
        """
        if not self.exited.done():
            if not self.signal_group(signum):
                self.signal(signum)
            try:
                return await asyncio.wait_for(asyncio.shield(self.exited), grace)
            except TimeoutError:
                self.signal_group(_SIGKILL)
                self.signal(_SIGKILL)
        return await asyncio.shield(self.exited)


@contextmanager
def _empty_signal_mask() -> Iterator[None]:
    """Fork with an empty mask: the child inherits the spawning thread's mask as it is."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    if not blocked:
        yield
        return
    signal.pthread_sigmask(signal.SIG_SETMASK, ())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _check_stdio(name: str, fd: int | None) -> None:
    if fd is None or fd >= 0 or fd == subprocess.DEVNULL:
        return
    raise ValueError(f"{name} must be a file descriptor, subprocess.DEVNULL or None")


def spawn(
    argv: Sequence[str],
    *,
    reaper: Reaper,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
) -> Child:
    """Start ``argv`` as a child in its own process group and register it with ``reaper``.

    ``argv[0]`` is looked up with Go's rules in mittnite's ``$PATH`` at this moment;
    ``env=None`` inherits mittnite's environment. ``stdin``/``stdout``/``stderr`` are file
    descriptors (duplicated into the child, left open here), ``subprocess.DEVNULL`` or
    ``None`` to inherit. All other descriptors are closed in the child.

    Must be called from the reaper's event loop thread. Raises ``SpawnError`` with Go's
    text when the command cannot be started.
    """
    if not argv or argv[0] == "":
        raise no_command_error()
    for name, fd in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
        _check_stdio(name, fd)
    if not reaper.running:
        raise RuntimeError("spawn() needs a running reaper")
    arguments = tuple(argv)
    path = resolve_command(arguments[0])
    empty_stdin = _empty_input() if stdin == subprocess.DEVNULL else None
    if empty_stdin is not None:
        stdin = empty_stdin
    try:
        with _empty_signal_mask():
            popen = subprocess.Popen(
                arguments,
                executable=path,
                env=env,
                cwd=cwd,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                close_fds=True,
                process_group=0,
                restore_signals=True,
            )
    except OSError as error:
        number = error.errno if error.errno is not None else errno.EIO
        failed_in_cwd = cwd is not None and error.filename == cwd and cwd != path
        raise start_error(path, number, working_directory=cwd if failed_in_cwd else None) from error
    except ValueError as error:  # NUL bytes or '=' in names: the kernel would say EINVAL
        raise start_error(path, errno.EINVAL) from error
    finally:
        if empty_stdin is not None:
            os.close(empty_stdin)
    return Child(popen, reaper, arguments, path)


def _empty_input() -> int | None:
    """None while /dev/null exists; else a pipe's read end with no writer, which reads as
    end of file like /dev/null (an empty root, e.g. ``chroot`` without /dev)."""
    if os.path.exists(os.devnull):
        return None
    read_end, write_end = os.pipe()
    os.close(write_end)
    return read_end

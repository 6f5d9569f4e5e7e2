"""Starting a job's process, and the handle the supervisor keeps for it.

The fork/exec primitive is :func:`mittnite.runtime.forkexec.fork_exec` (the C helper
behind ``subprocess.Popen``, called with the environment as a list of entries, so a job's
``env`` reaches the child exactly as Go's ``os/exec`` would pass it). On an interpreter
where that helper cannot be used, ``subprocess.Popen`` is the fallback; the environment is
then passed as a mapping (entries without ``=`` are lost). Either way the primitive
returns only after the child has exec'd or failed, and never waits for the child; the
``Reaper`` does. Why that is safe:

* If exec (or the child's ``chdir``) fails, the primitive itself calls ``waitpid(pid, 0)``
  for that pid before raising. The reaper only runs as a callback of the event loop, and
  the loop is busy inside the call, so the two cannot race; the pid is never registered.
* On success, ``spawn`` registers the pid with the reaper synchronously, with no ``await``
  in between, so even a child that is already a zombie is still waiting to be reaped when
  the reaper next runs, and is delivered to its owner, never counted as an orphan.
* Popen (fallback only) calls ``waitpid`` on its own only from ``poll``/``wait``/
  ``communicate`` (never used here), from ``__del__`` and from the module's ``_cleanup``,
  and only while ``returncode is None``. ``Child`` keeps its Popen alive and the reaper's
  synchronous hook sets ``returncode`` at reap time, before the pid can be recycled.

With a ``handoff`` (socket activation, :class:`mittnite.runtime.activation.Handoff`) the
listening sockets are moved to descriptors 3.. in the child and ``LISTEN_PID`` is set to
the child's pid before its exec: ``handoff.prepare`` builds everything before the fork
and returns the ``preexec_fn`` that does it; ``handoff.finish(pid)`` runs right after the
primitive returned, before the pid is registered, with no ``await`` in between. If the
exec failed, ``finish`` has reaped the child already and raises ``OSError``, which is
reported like any start error; the pid is never registered.

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

from mittnite.runtime import forkexec
from mittnite.runtime.environ import as_mapping
from mittnite.runtime.exitstatus import ExitStatus
from mittnite.runtime.goerrors import SpawnError, no_command_error, start_error
from mittnite.runtime.lookpath import resolve_command
from mittnite.runtime.reaper import ReapedHook, Reaper
from mittnite.runtime.signals import kill_group

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mittnite.runtime.activation import Handoff

__all__ = ["NUL_IN_ENVIRONMENT", "Child", "SpawnError", "spawn"]

# Module-level names: inside ``Child`` the method ``signal`` shadows the module.
_SIGTERM = signal.SIGTERM
_SIGKILL = signal.SIGKILL

NUL_IN_ENVIRONMENT = "exec: environment variable contains NUL"
"""Go's ``os/exec`` error for an environment entry holding a NUL byte."""

Environment = Sequence[bytes] | Mapping[str, str]


class Child:
    """A running (or finished) job process, as the supervisor sees it."""

    def __init__(
        self,
        pid: int,
        reaper: Reaper,
        argv: tuple[str, ...],
        path: str,
        on_reaped: ReapedHook | None = None,
        label: str | None = None,
    ) -> None:
        self.pid: int = pid
        self.pgid: int = pid
        self.argv = argv
        self.path = path
        """The executable that was started (``argv[0]`` after Go's path lookup)."""
        self.exited: asyncio.Future[ExitStatus] = reaper.watch(self.pid, on_reaped, label=label)
        """Resolves with the exit status once the reaper collected the process."""

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


def _entries(env: Environment | None) -> list[bytes] | None:
    if env is None:
        return None
    if isinstance(env, Mapping):
        return [os.fsencode(name) + b"=" + os.fsencode(value) for name, value in env.items()]
    return [entry if isinstance(entry, bytes) else os.fsencode(entry) for entry in env]


def spawn(
    argv: Sequence[str],
    *,
    reaper: Reaper,
    env: Environment | None = None,
    cwd: str | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
    label: str | None = None,
    handoff: Handoff | None = None,
) -> Child:
    """Start ``argv`` as a child in its own process group and register it with ``reaper``.

    ``argv[0]`` is looked up with Go's rules in mittnite's ``$PATH`` at this moment.
    ``env`` is the child's whole environment: a list of ``bytes`` entries passed as they
    are (see :func:`mittnite.runtime.environ.child_environment`), a mapping, or ``None``
    to inherit mittnite's. ``stdin``/``stdout``/``stderr`` are file descriptors
    (duplicated into the child, left open here), ``subprocess.DEVNULL`` or ``None`` to
    inherit. All other descriptors are closed in the child. ``label`` (a job's name) is
    what orphans from this process's group or session are attributed to. ``handoff``
    gives the child listening sockets at descriptors 3.. with systemd's ``LISTEN_*``
    variables (socket activation).

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
    entries = _entries(env)
    if entries is not None and any(b"\0" in entry for entry in entries):
        raise SpawnError(NUL_IN_ENVIRONMENT, path=path)
    empty_stdin = _empty_input() if stdin == subprocess.DEVNULL else None
    if empty_stdin is not None:
        stdin = empty_stdin
    try:
        preexec: Callable[[], None] | None = None
        if handoff is not None:
            own = entries if entries is not None else _own_environment()
            preexec = handoff.prepare(path, arguments, own)
        with _empty_signal_mask():
            if forkexec.supported():
                start = _start_direct
            else:
                start = _start_with_popen
            pid, hook = start(
                arguments, path, entries, cwd, stdin, stdout, stderr, preexec, handoff
            )
    except OSError as error:
        number = error.errno if error.errno is not None else errno.EIO
        failed_in_cwd = cwd is not None and error.filename == cwd and cwd != path
        raise start_error(path, number, working_directory=cwd if failed_in_cwd else None) from error
    except ValueError as error:  # NUL bytes in arguments: the kernel would say EINVAL
        raise start_error(path, errno.EINVAL) from error
    finally:
        if empty_stdin is not None:
            os.close(empty_stdin)
    return Child(pid, reaper, arguments, path, hook, label)


def _empty_input() -> int | None:
    """None while /dev/null exists; else a pipe's read end with no writer, which reads as
    end of file like /dev/null (an empty root, e.g. ``chroot`` without /dev)."""
    if os.path.exists(os.devnull):
        return None
    read_end, write_end = os.pipe()
    os.close(write_end)
    return read_end


def _own_environment() -> list[bytes]:
    """mittnite's environment as entries (what a child inherits without ``env``)."""
    return [name + b"=" + value for name, value in os.environb.items()]


def _start_direct(
    arguments: tuple[str, ...],
    path: str,
    entries: list[bytes] | None,
    cwd: str | None,
    stdin: int | None,
    stdout: int | None,
    stderr: int | None,
    preexec: Callable[[], None] | None = None,
    handoff: Handoff | None = None,
) -> tuple[int, ReapedHook | None]:
    opened: list[int] = []

    def descriptor(fd: int | None, flags: int) -> int:
        if fd is None:
            return -1
        if fd == subprocess.DEVNULL:
            opened.append(os.open(os.devnull, flags | os.O_CLOEXEC))
            return opened[-1]
        return fd

    pid: int | None = None
    try:
        pid = forkexec.fork_exec(
            [os.fsencode(argument) for argument in arguments],
            os.fsencode(path),
            env=entries,
            cwd=cwd,
            stdin=descriptor(stdin, os.O_RDONLY),
            stdout=descriptor(stdout, os.O_WRONLY),
            stderr=descriptor(stderr, os.O_WRONLY),
            preexec_fn=preexec,
        )
    finally:
        for fd in opened:
            os.close(fd)
        if handoff is not None:
            # No pid: the fork failed, or the child failed before the handoff and
            # fork_exec reaped it. Otherwise this learns whether the exec worked.
            handoff.finish(pid)
    assert pid is not None
    return pid, None


def _start_with_popen(
    arguments: tuple[str, ...],
    path: str,
    entries: list[bytes] | None,
    cwd: str | None,
    stdin: int | None,
    stdout: int | None,
    stderr: int | None,
    preexec: Callable[[], None] | None = None,
    handoff: Handoff | None = None,
) -> tuple[int, ReapedHook | None]:
    try:
        popen = subprocess.Popen(
            arguments,
            executable=path,
            env=None if entries is None else as_mapping(entries),
            cwd=cwd,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            close_fds=True,
            process_group=0,
            restore_signals=True,
            preexec_fn=preexec,
        )
    except BaseException:
        if handoff is not None:
            handoff.finish(None)
        raise
    if handoff is not None:
        try:
            handoff.finish(popen.pid)
        except OSError:
            popen.returncode = 127  # reaped by finish(); Popen must never wait for it
            raise

    def reaped(status: ExitStatus) -> None:
        # Runs synchronously inside the reaper: from here on Popen believes the child is
        # waited for and will never call waitpid on this (soon recyclable) pid.
        popen.returncode = status.returncode

    return popen.pid, reaped

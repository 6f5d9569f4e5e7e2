"""Socket activation: mittnite binds, the job accepts (systemd's ``LISTEN_FDS`` protocol).

``listen "0.0.0.0:8080" { activate = true }`` hands the listening socket itself to the
job instead of forwarding: the job accepts its clients directly, sees their real
addresses, and no byte passes through mittnite. Four parts live here:

* :class:`ActivatedSockets` opens a job's activated ``listen`` blocks, in order, with the
  same rules as forwarded ones (``runtime.listen``: dual-stack ``:port``, unix paths,
  abstract ``@names``, stale socket files). The sockets stay open for the life of the job
  *definition*, across process restarts, so connections that arrive while no process
  runs wait in the kernel's accept queue instead of being refused.
* Waiting for the first connection without taking it: :meth:`ActivatedSockets.watch`
  registers the listening sockets for readability (a listening socket is readable while
  its accept queue is not empty) and calls back once, then unregisters, since while the
  job runs mittnite must not watch (it never accepts, so the socket would stay readable
  and wake the loop forever). :meth:`ActivatedSockets.drain` accepts and closes what is
  queued when no process will come to serve it (the start failed).
* The child's side, :class:`Handoff`: the job gets the sockets as descriptors 3, 4, ...
  in ``listen`` order, with ``LISTEN_FDS=<count>``, ``LISTEN_FDNAMES=<a:b:...>`` and
  ``LISTEN_PID=<its own pid>``, as systemd's ``sd_listen_fds(3)`` expects.
  :func:`spawn_activated` is the spawn path that uses it until ``runtime.spawn`` does.
* Idleness, :class:`ActivityMonitor`: while the job runs, its sockets are sampled
  (``runtime.sockdiag``: connections queued, connections the job holds) and busy/idle
  edges reported, which the lazy machine turns into its cool-down.

The sockets are left in *blocking* mode: ``O_NONBLOCK`` belongs to the open file
description, which the job shares, and a job that calls a plain blocking ``accept()``
(most do, and systemd passes blocking sockets) would otherwise get ``EAGAIN``. mittnite
itself only waits for readability and never blocks on them (``drain`` switches to
non-blocking for the moment it accepts).

Why the child needs code of its own, and how it is made safe
------------------------------------------------------------

``LISTEN_PID`` must be the job's pid, known only after ``fork``; the descriptors must be
renumbered to 3.. in the child. ``subprocess``/``_posixsubprocess`` can do neither, so
the handoff runs as a ``preexec_fn`` *that ends in its own* ``execve``:

1. copy each socket above the target range (``F_DUPFD_CLOEXEC``) so no ``dup2`` overwrites
   a socket still to be moved, then ``dup2`` them onto 3.. (inheritable);
2. close every other descriptor from 3+n up, as ``close_fds=True`` would have done (the
   spawner's own close step comes after ``preexec_fn`` and never runs here), except the
   handoff's error pipe;
3. ``execve`` with the prepared environment plus ``LISTEN_PID=<getpid()>``;
4. if ``execve`` fails: write its errno to the error pipe and ``_exit(127)``.

The handoff reports exec errors through a pipe of its own because the spawner's error
pipe is at an unknown descriptor number that step 1 may overwrite (then the spawner
sees end-of-file early and believes the exec succeeded; it is the handoff's pipe that
tells). The parent reads the handoff pipe until end-of-file: empty means the exec
succeeded (the pipe is close-on-exec), four bytes are the errno of a failure, after which
the parent reaps the child itself (as Popen does; the reaper never saw that pid) and
raises ``OSError`` with that errno, so the caller reports Go's ``fork/exec`` text.

Fork safety: a ``preexec_fn`` makes CPython use ``fork`` (not ``vfork``) and run Python
in the child. CPython takes its own locks (import lock, allocator, GIL) across the fork
(``PyOS_BeforeFork``/``PyOS_AfterFork_Child``), so the interpreter is consistent in the
child; what could deadlock is a lock held by another thread inside a C library at fork
time. The child code therefore only makes system calls through ``os``/``fcntl`` on
values prepared in the parent (argv, environment, descriptor numbers, all built before
the fork), allocates nothing beyond small ints and bytes, and imports nothing. The cost
of ``fork`` over ``vfork`` is a page-table copy of mittnite (~1 ms), paid only by jobs
with activated sockets.

The environment is given to ``execve`` as a mapping built from the ``k=v`` entries in
order (a later duplicate wins, as Go's ``os/exec`` dedups); an entry without ``=``, which
Go passes through as is, cannot be expressed through ``os.execve`` and is dropped.
Inherited ``LISTEN_*`` variables are always replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import resource
import select
import signal
import socket
import struct
import subprocess
from collections import abc

from mittnite.runtime.listen import Listening, open_listener

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from mittnite.runtime.listen import SocketAddress
    from mittnite.runtime.reaper import Reaper
    from mittnite.runtime.sockdiag import Activity
    from mittnite.runtime.spawn import Child

__all__ = [
    "FIRST_FD",
    "ActivatedSockets",
    "ActivityMonitor",
    "Handoff",
    "fd_name_problem",
    "spawn_activated",
]

FIRST_FD = 3  # SD_LISTEN_FDS_START
_LISTEN_KEYS = (b"LISTEN_FDS", b"LISTEN_PID", b"LISTEN_FDNAMES")
_ERRNO = struct.Struct("=i")
_FDNAME_MAX = 255
_EIO = errno.EIO
_EINVAL = errno.EINVAL


def fd_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a ``LISTEN_FDNAMES`` entry, or None if it can.

    systemd's rule (``fdname_is_valid``): printable ASCII without ``:`` (the separator),
    at most 255 characters. An empty name is refused too: it says nothing to the job.
    """
    if not name:
        return "must not be empty"
    if len(name) > _FDNAME_MAX:
        return f"is longer than {_FDNAME_MAX} characters"
    for char in name:
        if char == ":":
            return "must not contain ':' (it separates the names in LISTEN_FDNAMES)"
        if not " " <= char <= "~":
            return f"may only contain printable ASCII characters, not {char!r}"
    return None


class ActivatedSockets:
    """The activated ``listen`` blocks of one job, as listening sockets in ``listen`` order."""

    def __init__(self, blocks: Sequence[tuple[SocketAddress, str]]) -> None:
        """``blocks``: (address, name) per ``listen`` block; names are already valid."""
        self.blocks = tuple(blocks)
        self.listening: list[Listening] = []
        self._watched: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- life cycle ----------------------------------------------------------------------------
    def open(self) -> None:
        """Bind every socket in order; if one fails, close the others and raise ``ListenError``."""
        if self.listening:
            return
        opened: list[Listening] = []
        try:
            for address, _name in self.blocks:
                listening = open_listener(address)
                opened.append(listening)
                listening.sock.setblocking(True)  # shared with the job: see module docstring
        except BaseException:
            for listening in opened:
                listening.close()
            raise
        self.listening = opened

    def close(self) -> None:
        """Stop watching, close the sockets and remove their socket files (idempotent)."""
        self.unwatch()
        for listening in self.listening:
            listening.close()
        self.listening = []

    @property
    def sockets(self) -> list[socket.socket]:
        return [listening.sock for listening in self.listening]

    @property
    def addresses(self) -> list[str]:
        """Where each socket is bound (the real port when ``:0`` was asked for)."""
        return [listening.bound_address for listening in self.listening]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for _address, name in self.blocks)

    def handoff(self) -> Handoff:
        """What a child needs to receive these sockets (open them first)."""
        if not self.listening:
            raise RuntimeError("the activated sockets are not open")
        return Handoff(tuple(sock.fileno() for sock in self.sockets), self.names)

    # -- waiting for the first connection ------------------------------------------------------
    def watch(self, on_pending: Callable[[int], None]) -> None:
        """Call ``on_pending(index)`` once a connection waits on any socket, then stop watching.

        Nothing is accepted: the connection stays queued for the job. Calling ``watch``
        while already watching replaces the callback.
        """
        self.unwatch()
        loop = asyncio.get_running_loop()
        self._loop = loop
        for index, sock in enumerate(self.sockets):
            fd = sock.fileno()
            loop.add_reader(fd, self._readable, index, on_pending)
            self._watched.append(fd)

    def unwatch(self) -> None:
        """Stop watching (while the job runs: it accepts, mittnite must not spin)."""
        if self._loop is not None:
            for fd in self._watched:
                self._loop.remove_reader(fd)
        self._watched = []

    @property
    def watching(self) -> bool:
        return bool(self._watched)

    def _readable(self, index: int, on_pending: Callable[[int], None]) -> None:
        self.unwatch()
        on_pending(index)

    def pending(self) -> bool:
        """Whether a connection waits on any socket right now (no accept, no blocking)."""
        poller = select.poll()
        for sock in self.sockets:
            poller.register(sock.fileno(), select.POLLIN)
        return bool(poller.poll(0))

    def drain(self) -> int:
        """Accept and close every queued connection; returns how many.

        For when no process will serve them (its start failed): the clients learn at
        once instead of waiting for their own timeouts. ``O_NONBLOCK`` is set only for the
        moment of accepting: another holder of the socket (a left-over process of the
        job) may have taken the connection after the readability check.
        """
        closed = 0
        for sock in self.sockets:
            sock.setblocking(False)
            try:
                while True:
                    try:
                        client, _ = sock.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        continue  # that client is gone already (ECONNABORTED)
                    client.close()
                    closed += 1
            finally:
                sock.setblocking(True)
        return closed


def _environment_map(entries: Sequence[bytes]) -> dict[bytes, bytes]:
    """``k=v`` entries as ``os.execve`` takes them, without any ``LISTEN_*`` variable."""
    result: dict[bytes, bytes] = {}
    for entry in entries:
        key, equals, value = entry.partition(b"=")
        if not equals or not key or key in _LISTEN_KEYS:
            continue
        result.pop(key, None)  # a later duplicate wins and moves to its position
        result[key] = value
    return result


def environment_entries(env: Mapping[str, str] | Sequence[bytes] | None) -> list[bytes]:
    """A job environment as raw ``k=v`` bytes (``None``: mittnite's own environment)."""
    if env is None:
        return [key + b"=" + value for key, value in os.environb.items()]
    if isinstance(env, abc.Mapping):
        return [os.fsencode(key) + b"=" + os.fsencode(value) for key, value in env.items()]
    return [bytes(entry) for entry in env]


class Handoff:
    """Gives a job its sockets at descriptors 3.. with systemd's ``LISTEN_*`` variables.

    Use: ``hook = handoff.prepare(path, argv, env)`` before the fork, pass ``hook`` as the
    spawner's ``preexec_fn``, then ``handoff.finish(pid)`` right after the fork returned
    (it raises ``OSError`` with the errno if the exec failed, the child already reaped).
    One ``prepare``/``finish`` pair per spawn; see the module docstring for the why.
    """

    def __init__(self, fds: Sequence[int], names: Sequence[str]) -> None:
        if len(fds) != len(names) or not fds:
            raise ValueError("a handoff needs one name per descriptor, and at least one")
        self.fds = tuple(fds)
        self.names = tuple(names)
        self._pipe: tuple[int, int] | None = None

    def environment(self, entries: Sequence[bytes]) -> dict[bytes, bytes]:
        """The job's environment for ``execve``; only ``LISTEN_PID`` is added in the child."""
        env = _environment_map(entries)
        env[b"LISTEN_FDS"] = str(len(self.fds)).encode()
        env[b"LISTEN_FDNAMES"] = ":".join(self.names).encode()
        return env

    def prepare(
        self, path: str | bytes, argv: Sequence[str | bytes], env: Sequence[bytes]
    ) -> Callable[[], None]:
        """Everything the child needs, computed now; returns the child's ``preexec_fn``."""
        if self._pipe is not None:
            raise RuntimeError("prepare() called twice without finish()")
        count = len(self.fds)
        limit = FIRST_FD + count
        read_end, write_end = os.pipe2(os.O_CLOEXEC)
        try:
            # The error pipe must sit above 3..3+n-1, where the sockets are moved to.
            if write_end < limit:
                moved = fcntl.fcntl(write_end, fcntl.F_DUPFD_CLOEXEC, limit)
                os.close(write_end)
                write_end = moved
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        self._pipe = (read_end, write_end)
        top = _descriptor_ceiling(write_end)
        sources = self.fds
        executable = os.fsencode(path)
        arguments = [os.fsencode(arg) for arg in argv]
        environment = self.environment(env)
        report_to = write_end
        dupfd = fcntl.F_DUPFD_CLOEXEC
        pack = _ERRNO.pack
        set_wakeup_fd = signal.set_wakeup_fd

        def exec_with_sockets() -> None:
            # Runs in the forked child: system calls on prepared values only (see above).
            try:
                # The loop's signal wake-up socket is shared with mittnite: a signal that
                # reaches this child before the exec must not be reported to mittnite.
                with contextlib.suppress(ValueError):  # not the main thread: none is set
                    set_wakeup_fd(-1)
                copies = [fcntl.fcntl(fd, dupfd, limit) for fd in sources]
                for index, fd in enumerate(copies):
                    os.dup2(fd, FIRST_FD + index, inheritable=True)
                os.closerange(limit, report_to)
                os.closerange(report_to + 1, top)
                environment[b"LISTEN_PID"] = str(os.getpid()).encode()
                os.execve(executable, arguments, environment)
            except OSError as error:
                number = error.errno or _EIO  # never report 0, which would read as success
            except ValueError:  # a NUL byte in argv or the environment
                number = _EINVAL
            except BaseException:
                number = _EIO
            try:
                os.write(report_to, pack(number))
            finally:
                os._exit(127)

        return exec_with_sockets

    def finish(self, pid: int | None) -> None:
        """After the fork: close our end, learn whether the exec worked.

        ``pid`` is the child's (None if the fork itself failed: just clean up). On an exec
        failure the child is reaped here and ``OSError(errno)`` raised.
        """
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return
        read_end, write_end = pipe
        os.close(write_end)
        try:
            data = b""
            if pid is not None:
                while len(data) < _ERRNO.size:
                    chunk = os.read(read_end, _ERRNO.size - len(data))
                    if not chunk:
                        break
                    data += chunk
        finally:
            os.close(read_end)
        if len(data) < _ERRNO.size:
            return  # end of file: the exec closed the pipe, the job runs
        assert pid is not None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        (number,) = _ERRNO.unpack(data)
        raise OSError(number, os.strerror(number))


def _descriptor_ceiling(at_least: int) -> int:
    """One above the highest descriptor number the child could have open."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = soft if soft != resource.RLIM_INFINITY else hard
    if limit == resource.RLIM_INFINITY or limit > 1 << 20:
        limit = 1 << 20
    return max(int(limit), at_least + 1)


def spawn_activated(
    argv: Sequence[str],
    handoff: Handoff,
    *,
    reaper: Reaper,
    env: Mapping[str, str] | Sequence[bytes] | None = None,
    cwd: str | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
) -> Child:
    """Start ``argv`` like ``runtime.spawn.spawn`` does, with ``handoff``'s sockets.

    Temporary: this is the spawn path of the tests and of ``bench/proxy.py`` until
    ``runtime.spawn.spawn`` takes a ``handoff`` argument (phase 2: there it is the same
    three lines, ``prepare`` before the fork, ``preexec_fn=hook``, ``finish`` after).
    Raises ``SpawnError`` with Go's text when the command cannot be started.
    """
    from mittnite.runtime.goerrors import no_command_error, start_error
    from mittnite.runtime.lookpath import resolve_command
    from mittnite.runtime.spawn import Child, _empty_signal_mask

    if not argv or argv[0] == "":
        raise no_command_error()
    if not reaper.running:
        raise RuntimeError("spawn_activated() needs a running reaper")
    arguments = tuple(argv)
    path = resolve_command(arguments[0])
    hook = handoff.prepare(path, arguments, environment_entries(env))
    popen: subprocess.Popen[bytes] | None = None
    try:
        with _empty_signal_mask():
            popen = subprocess.Popen(
                arguments,
                executable=path,
                cwd=cwd,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                close_fds=True,
                process_group=0,
                restore_signals=True,
                preexec_fn=hook,
            )
        handoff.finish(popen.pid)
    except ValueError as error:  # NUL bytes in argv: refused before any fork
        handoff.finish(None)
        raise start_error(path, errno.EINVAL) from error
    except OSError as error:
        if popen is not None:
            popen.returncode = 127  # reaped by finish(); Popen must never wait for it
        else:
            handoff.finish(None)
        number = error.errno if error.errno is not None else errno.EIO
        failed_in_cwd = cwd is not None and error.filename == cwd and cwd != path
        raise start_error(path, number, working_directory=cwd if failed_in_cwd else None) from error
    return Child(popen, reaper, arguments, path)


class ActivityMonitor:
    """Reports when an activated job becomes busy or idle, sampling its sockets' activity.

    While the job's process runs, every ``interval`` seconds it takes one
    :class:`~mittnite.runtime.sockdiag.Activity` sample per socket (queued connections,
    connections the job holds) and calls ``on_idle()``
    when the sum turns idle and ``on_busy()`` when it turns busy again. It starts busy:
    the connection that started the job is waiting for it. A socket that cannot be
    sampled at all counts as busy, so a job is never stopped because mittnite is blind.

    The edges feed the lazy machine as one virtual connection: ``on_busy`` is "a
    connection opened", ``on_idle`` "it closed" (which arms the cool-down timer). So the
    job stops ``coolDownTimeout`` after the last observed activity, observed to within
    one ``interval``.
    """

    def __init__(
        self,
        sockets: Sequence[socket.socket],
        *,
        interval: float,
        on_busy: Callable[[], None],
        on_idle: Callable[[], None],
        use_netlink: bool | None = None,
    ) -> None:
        from mittnite.runtime.sockdiag import ListenerDiag

        if interval <= 0:
            raise ValueError("the sampling interval must be positive")
        self.interval = interval
        self.on_busy = on_busy
        self.on_idle = on_idle
        self._sockets = tuple(sockets)
        self._diags = [ListenerDiag(sock, use_netlink=use_netlink) for sock in self._sockets]
        self._timer: asyncio.TimerHandle | None = None
        self.busy = True
        self.samples = 0
        """Samples taken so far (diagnostics, tests)."""

    def start(self) -> None:
        """Begin sampling (busy until a sample says otherwise); restarts cleanly."""
        self.stop()
        self.busy = True
        self._timer = asyncio.get_running_loop().call_later(self.interval, self._tick)

    def stop(self) -> None:
        """Stop sampling (idempotent)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def sample(self) -> Activity:
        """The job's activity now, summed over its sockets."""
        from mittnite.runtime.sockdiag import Activity

        total = Activity(0, 0)
        for diag in self._diags:
            try:
                total = total + diag.sample()
            except OSError:
                total = total + Activity(0, 1)  # cannot see: assume in use
        self.samples += 1
        return total

    def _tick(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self.interval, self._tick)
        busy = not self.sample().idle
        if busy == self.busy:
            return
        self.busy = busy
        (self.on_busy if busy else self.on_idle)()

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
  ``LISTEN_PID=<its own pid>``, as systemd's ``sd_listen_fds(3)`` expects;
  ``runtime.spawn.spawn(..., handoff=...)`` uses it.
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

Before step 1 the child blocks every signal and gives the ones mittnite handles in Python
their default action back; it unblocks them right before the ``execve``. So a signal that
reaches the new process before its exec (mittnite stopping the job at once) never runs
one of mittnite's handlers in the child; it acts as it would on the job (SIGTERM ends it).

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

The environment keeps Go's ``os/exec`` semantics, as for every other job: the spawner's
list of entries (``runtime.environ``: the last of duplicate names wins, entries without
``=`` pass verbatim) goes to the job unchanged, minus inherited ``LISTEN_*`` variables,
plus ours. ``os.execve`` cannot do that (it takes a mapping and rebuilds every entry as
``name=value``), so the child calls libc's ``execve`` through ctypes on ``argv``/``envp``
arrays built in the parent (:class:`_RawExec`); the only value written in the child is
its pid, into a buffer reserved for ``LISTEN_PID``. Where ctypes cannot reach libc's
``execve`` (an interpreter without ctypes, a static executable built without the
symbol), ``os.execve`` with a mapping is the fallback and entries without ``=`` are lost.
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

from mittnite.runtime.listen import Listening, open_listener

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mittnite.runtime.listen import SocketAddress
    from mittnite.runtime.sockdiag import Activity

__all__ = [
    "FIRST_FD",
    "ActivatedSockets",
    "ActivityMonitor",
    "Handoff",
    "fd_name_problem",
    "job_environment",
]

FIRST_FD = 3  # SD_LISTEN_FDS_START
_LISTEN_KEYS = (b"LISTEN_FDS", b"LISTEN_PID", b"LISTEN_FDNAMES")
_ERRNO = struct.Struct("=i")
_FDNAME_MAX = 255
_EIO = errno.EIO
_DRAIN_LIMIT = 4096
_GONE_ALREADY = frozenset({errno.ECONNABORTED, errno.EPROTO, errno.ECONNRESET, errno.EPERM})


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
        try:
            while not self.is_open:
                self.open_next()
        except BaseException:
            self.close()
            raise

    def open_next(self) -> str:
        """Bind the next socket in ``listen`` order; returns its bound address.

        For callers that open a job's forwarded and activated blocks interleaved, in
        configuration order. Raises ``ListenError``; sockets opened before stay open.
        """
        if self.is_open:
            raise RuntimeError("every activated socket is open already")
        address, _name = self.blocks[len(self.listening)]
        listening = open_listener(address)
        listening.sock.setblocking(True)  # shared with the job: see module docstring
        self.listening.append(listening)
        return listening.bound_address

    @property
    def is_open(self) -> bool:
        return len(self.listening) == len(self.blocks)

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
        if not self.is_open or not self.listening:
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
        """Accept and close the queued connections; returns how many.

        At most a bounded number per socket and call, and it stops at an error other
        than a client that is gone already (``EMFILE``...): callers check
        :meth:`pending` afterwards and retry later instead of spinning.

        For when no process will serve them (its start failed): the clients learn at
        once instead of waiting for their own timeouts. ``O_NONBLOCK`` is set only for the
        moment of accepting: another holder of the socket (a left-over process of the
        job) may have taken the connection after the readability check.
        """
        closed = 0
        for sock in self.sockets:
            sock.setblocking(False)
            try:
                for _ in range(_DRAIN_LIMIT):
                    try:
                        client, _ = sock.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError as error:
                        if error.errno in _GONE_ALREADY:
                            continue  # that client is gone already: take the next
                        break  # out of descriptors or memory: pending() stays true
                    client.close()
                    closed += 1
            finally:
                sock.setblocking(True)
        return closed


def _variable_name(entry: bytes) -> bytes:
    """The name an environment entry defines (the whole entry when it has no ``=``)."""
    return entry.partition(b"=")[0]


def job_environment(entries: Sequence[bytes], fds: int, names: Sequence[str]) -> list[bytes]:
    """The job's environment entries: its own, minus inherited ``LISTEN_*``, plus ours.

    Entries are kept as they are and in order (Go's ``os/exec`` semantics, which
    ``runtime.environ`` already applied: no entry is rebuilt, one without ``=`` stays).
    ``LISTEN_FDS`` and ``LISTEN_FDNAMES`` are appended here; ``LISTEN_PID`` is appended
    in the child, once its pid is known.
    """
    kept = [bytes(entry) for entry in entries if _variable_name(entry) not in _LISTEN_KEYS]
    kept.append(b"LISTEN_FDS=%d" % fds)
    kept.append(b"LISTEN_FDNAMES=" + ":".join(names).encode())
    return kept


class _RawExec:
    """``execve(2)`` on C arrays built before the fork, so every entry reaches the job as is.

    ``os.execve`` takes the environment as a mapping and rebuilds each entry as
    ``name=value``: an entry without ``=`` (which Go passes verbatim) cannot be expressed.
    Here the ``argv`` and ``envp`` arrays are ctypes arrays made in the parent; the child
    only writes its pid into a buffer reserved for ``LISTEN_PID`` and calls ``execve``
    through the libc function looked up in the parent (:mod:`mittnite.native`), which
    allocates nothing.
    """

    def __init__(self, executable: bytes, argv: Sequence[bytes], env: Sequence[bytes]) -> None:
        import ctypes

        from mittnite.native.loader import libc

        prototype = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, use_errno=True
        )
        self._execve = prototype(("execve", libc()))  # AttributeError/OSError: not available
        self._get_errno = ctypes.get_errno
        self._executable = executable
        self._argv = (ctypes.c_char_p * (len(argv) + 1))(*argv, None)
        # "LISTEN_PID=" + up to 20 digits + NUL, filled in by the child
        self._pid_entry = ctypes.create_string_buffer(b"LISTEN_PID=", len(b"LISTEN_PID=") + 21)
        self._envp = (ctypes.c_char_p * (len(env) + 2))(*env, None, None)
        self._envp[len(env)] = ctypes.cast(self._pid_entry, ctypes.c_char_p)
        self._argv_address = ctypes.addressof(self._argv)
        self._envp_address = ctypes.addressof(self._envp)

    def __call__(self, pid: int) -> int:
        """In the child: exec; returns the errno only if ``execve`` failed."""
        self._pid_entry.value = b"LISTEN_PID=%d" % pid
        self._execve(self._executable, self._argv_address, self._envp_address)
        return self._get_errno() or _EIO


class _MappingExec:
    """Fallback where libc cannot be reached through ctypes: ``os.execve`` with a mapping.

    Entries without ``=`` cannot be expressed and are left out (a later duplicate wins,
    as Go's deduplication already decided).
    """

    def __init__(self, executable: bytes, argv: Sequence[bytes], env: Sequence[bytes]) -> None:
        self._executable = executable
        self._argv = list(argv)
        self._env: dict[bytes, bytes] = {}
        for entry in env:
            key, equals, value = entry.partition(b"=")
            if equals and key:
                self._env.pop(key, None)
                self._env[key] = value

    def __call__(self, pid: int) -> int:
        self._env[b"LISTEN_PID"] = b"%d" % pid
        try:
            os.execve(self._executable, self._argv, self._env)
        except OSError as error:
            return error.errno or _EIO
        return _EIO  # not reached: execve returns only by raising


def _exec_for(executable: bytes, argv: Sequence[bytes], env: Sequence[bytes]) -> Callable[[int], int]:
    try:
        return _RawExec(executable, argv, env)
    except (ImportError, AttributeError, OSError):
        return _MappingExec(executable, argv, env)


class Handoff:
    """Gives a job its sockets at descriptors 3.. with systemd's ``LISTEN_*`` variables.

    Use (``runtime.spawn.spawn(..., handoff=...)`` does): ``hook = handoff.prepare(path,
    argv, env)`` before the fork, pass ``hook`` as the spawner's ``preexec_fn``, then
    ``handoff.finish(pid)`` right after the fork returned (it raises ``OSError`` with the
    errno if the exec failed, the child already reaped), or ``handoff.finish(None)`` if
    the fork did not happen or failed. One ``prepare``/``finish`` pair per spawn; see the
    module docstring for the why.
    """

    def __init__(self, fds: Sequence[int], names: Sequence[str]) -> None:
        if len(fds) != len(names) or not fds:
            raise ValueError("a handoff needs one name per descriptor, and at least one")
        self.fds = tuple(fds)
        self.names = tuple(names)
        self._pipe: tuple[int, int] | None = None

    def environment(self, entries: Sequence[bytes]) -> list[bytes]:
        """The job's environment entries (``LISTEN_PID`` is added in the child)."""
        return job_environment(entries, len(self.fds), self.names)

    def prepare(
        self, path: str | bytes, argv: Sequence[str | bytes], env: Sequence[bytes]
    ) -> Callable[[], None]:
        """Everything the child needs, computed now; returns the child's ``preexec_fn``.

        Raises ``ValueError`` for a NUL byte in the path, an argument or an entry (the
        spawner reports it as Go does); nothing is left open then.
        """
        if self._pipe is not None:
            raise RuntimeError("prepare() called twice without finish()")
        executable = os.fsencode(path)
        arguments = [os.fsencode(arg) for arg in argv]
        environment = self.environment(env)
        if any(b"\0" in item for item in (executable, *arguments, *environment)):
            raise ValueError("embedded null byte")
        run_exec = _exec_for(executable, arguments, environment)
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
        report_to = write_end
        dupfd = fcntl.F_DUPFD_CLOEXEC
        pack = _ERRNO.pack
        every_signal = signal.valid_signals()
        caught = _signals_with_python_handlers()
        default = signal.SIG_DFL
        block, set_mask = signal.SIG_BLOCK, signal.SIG_SETMASK
        sigmask = signal.pthread_sigmask
        set_wakeup_fd = signal.set_wakeup_fd
        set_handler = signal.signal

        def exec_with_sockets() -> None:
            # Runs in the forked child: system calls on prepared values only (see above).
            number = _EIO
            try:
                # Until the exec, no signal may run one of mittnite's Python handlers
                # here: block them all, give the caught ones back their default action,
                # and unblock just before the exec, so a signal sent to the new job
                # meanwhile acts as it would on the job itself.
                sigmask(block, every_signal)
                with contextlib.suppress(ValueError):  # not the main thread: none is set
                    set_wakeup_fd(-1)  # shared with mittnite: not to be written from here
                for signum in caught:
                    set_handler(signum, default)
                copies = [fcntl.fcntl(fd, dupfd, limit) for fd in sources]
                for index, fd in enumerate(copies):
                    os.dup2(fd, FIRST_FD + index, inheritable=True)
                os.closerange(limit, report_to)
                os.closerange(report_to + 1, top)
                pid = os.getpid()
                sigmask(set_mask, ())  # the job starts with an empty mask, as spawn's
                number = run_exec(pid)
            except OSError as error:
                number = error.errno or _EIO  # never report 0, which would read as success
            except BaseException:
                number = _EIO
            try:
                os.write(report_to, pack(number))
            finally:
                os._exit(127)

        return exec_with_sockets

    def finish(self, pid: int | None) -> None:
        """After the fork: close our end, learn whether the exec worked.

        ``pid`` is the child's (None if the fork itself failed, or the spawner already
        reaped a child that failed before reaching the handoff: just clean up). On an
        exec failure the child is reaped here and ``OSError(errno)`` raised.
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


def _signals_with_python_handlers() -> tuple[int, ...]:
    """Signals mittnite catches in Python (``signal.signal``, ``loop.add_signal_handler``)."""
    caught = []
    for signum in signal.valid_signals():
        try:
            handler = signal.getsignal(signum)
        except (OSError, ValueError):
            continue
        if callable(handler):
            caught.append(int(signum))
    return tuple(caught)


def _descriptor_ceiling(at_least: int) -> int:
    """One above the highest descriptor number the child could have open."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = soft if soft != resource.RLIM_INFINITY else hard
    if limit == resource.RLIM_INFINITY or limit > 1 << 20:
        limit = 1 << 20
    return max(int(limit), at_least + 1)


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
        self.served = False
        """A sample saw the job hold a connection (it accepts: it works)."""
        self.samples = 0
        """Samples taken so far (diagnostics, tests)."""

    def start(self) -> None:
        """Begin sampling (busy until a sample says otherwise); restarts cleanly."""
        self.stop()
        self.busy = True
        self.served = False
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
                seen = diag.sample()
            except OSError:
                total = total + Activity(0, 1)  # cannot see: assume in use
                continue
            if seen.held:
                self.served = True
            total = total + seen
        self.samples += 1
        return total

    def _tick(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self.interval, self._tick)
        busy = not self.sample().idle
        if busy == self.busy:
            return
        self.busy = busy
        (self.on_busy if busy else self.on_idle)()

"""A job's ``NOTIFY_SOCKET``: the sd_notify protocol, received on the event loop.

Each job with ``notify`` gets its own unix datagram socket; its address goes into the
job's environment as ``NOTIFY_SOCKET`` (``@name`` for the abstract namespace, the
default, or a file path). Programs written for systemd (``sd_notify(3)``,
``systemd-notify``, the Python/Go/Rust client libraries) then report to mittnite:

* one datagram holds newline-separated ``KEY=VALUE`` assignments; unknown keys are
  kept but mean nothing here, lines without ``=`` are ignored; the last assignment
  of a key wins;
* ``READY=1``, ``RELOADING=1``, ``STOPPING=1``, ``STATUS=<text>``, ``WATCHDOG=1``,
  ``WATCHDOG=trigger``, ``WATCHDOG_USEC=<n>``, ``MAINPID=<pid>`` and ``ERRNO=<n>`` are
  parsed into :class:`NotifyMessage`;
* a datagram is at most :data:`MAX_DATAGRAM` bytes (systemd's limit); a longer one is
  dropped whole, never half-read;
* descriptors passed along (``BARRIER=1`` sends a pipe, ``FDSTORE=1`` sockets) are
  closed after the datagram was handled: for a barrier that close *is* the answer
  (``systemd-notify`` waits for it by default), and no descriptor store is offered.

Who may speak for the job? The kernel attaches the sender's credentials to every
datagram (``SO_PASSCRED``); the pid is checked against the job's process family
(:class:`ProcessFamily`): the main process, anything still in the job's process group
(every job gets its own group, and helpers such as ``systemd-notify`` run in it), any
descendant of the main process (daemons that ``setsid`` away from the group), and a
``MAINPID`` the job declared. Everything else is ignored and counted: the abstract
namespace is shared by every process in the network namespace. A sender that exited
before its datagram is read can no longer be placed and is ignored too (systemd has
the same race; a barrier, as ``systemd-notify`` sends by default, avoids it).

Wiring (:mod:`mittnite.supervisor.health`): the supervisor opens one :class:`NotifySocket` per job with
``notify`` (readiness or liveness), adds :meth:`NotifySocket.environment` to the job's
environment (plus ``WATCHDOG_USEC`` for a notify liveness), sets
``socket.family = ProcessFamily(child.pid, child.pgid)`` on every spawn, and hands
accepted messages to :func:`mittnite.checks.notify.NotifyState.apply`.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import os
import socket
import struct
from dataclasses import dataclass, field

from mittnite.runtime.descendants import read_process

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "MAX_DATAGRAM",
    "NotifyMessage",
    "NotifySocket",
    "ProcessFamily",
    "parse_notify",
]

MAX_DATAGRAM = 4096
"""Longest datagram accepted, in bytes (systemd's ``NOTIFY_BUFFER_MAX``)."""
MAX_FDS = 16
"""Descriptors accepted with one datagram (all are closed again)."""
BATCH = 64
"""Datagrams handled per wake-up, so a flooding job cannot starve the loop."""

_UCRED = struct.Struct("3i")  # pid, uid, gid


@dataclass(frozen=True)
class NotifyMessage:
    """One accepted datagram: who sent it, and what it says."""

    pid: int
    uid: int
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return self.fields.get("READY") == "1"

    @property
    def reloading(self) -> bool:
        return self.fields.get("RELOADING") == "1"

    @property
    def stopping(self) -> bool:
        return self.fields.get("STOPPING") == "1"

    @property
    def status(self) -> str | None:
        """``STATUS=`` text (``None`` when the datagram has none)."""
        return self.fields.get("STATUS")

    @property
    def watchdog_ping(self) -> bool:
        return self.fields.get("WATCHDOG") == "1"

    @property
    def watchdog_trigger(self) -> bool:
        return self.fields.get("WATCHDOG") == "trigger"

    @property
    def watchdog_usec(self) -> int | None:
        """``WATCHDOG_USEC=`` as microseconds (``None``: absent or not a number)."""
        return _non_negative(self.fields.get("WATCHDOG_USEC"))

    @property
    def main_pid(self) -> int | None:
        pid = _non_negative(self.fields.get("MAINPID"))
        return pid if pid else None

    @property
    def errno(self) -> int | None:
        return _non_negative(self.fields.get("ERRNO"))


def _non_negative(text: str | None) -> int | None:
    if text is None or not text.isdigit():
        return None
    return int(text)


def parse_notify(data: bytes) -> dict[str, str]:
    """The assignments of one datagram, in order; the last one of a key wins.

    Invalid UTF-8 is replaced rather than rejected: a status line with a stray byte is
    still worth showing.
    """
    fields: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").split("\n"):
        key, equals, value = line.partition("=")
        if not equals or not key:
            continue
        fields.pop(key, None)
        fields[key] = value
    return fields


class ProcessFamily:
    """The processes allowed to notify for one run of a job (see the module doc)."""

    def __init__(self, main_pid: int, pgid: int) -> None:
        self.main_pid = main_pid
        self.pgid = pgid
        self.declared_main: int | None = None
        """A ``MAINPID=`` the job sent; that process may speak for the job too."""

    def contains(self, pid: int) -> bool:
        if pid <= 0:
            return False
        if pid in (self.main_pid, self.declared_main):
            return True
        try:
            if os.getpgid(pid) == self.pgid:
                return True
        except OSError:
            return False
        return _descends_from(pid, self.main_pid)


def _descends_from(pid: int, ancestor: int) -> bool:
    """Walk the parent chain through ``/proc`` (bounded: pids can be recycled into loops)."""
    current = pid
    for _ in range(64):
        parent = _parent_of(current)
        if parent is None or parent <= 1:
            return False
        if parent == ancestor:
            return True
        current = parent
    return False


def _parent_of(pid: int) -> int | None:
    info = read_process(pid)
    return None if info is None else info.ppid


def _abstract_name(hint: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in hint)[:40]
    return f"mittnite/{os.getpid()}/{safe}/{os.urandom(6).hex()}"


class NotifySocket:
    """A bound notify socket; :meth:`start` delivers accepted messages on the loop."""

    def __init__(
        self,
        sock: socket.socket,
        address: str,
        *,
        path: str | None = None,
    ) -> None:
        self.sock = sock
        self.address = address
        """The value of ``NOTIFY_SOCKET`` (``@...`` for an abstract socket)."""
        self.path = path
        self.family: ProcessFamily | None = None
        """Who may speak for the job; ``None`` (no process yet) rejects everything."""
        self.accepted = 0
        self.rejected = 0
        self.oversized = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_message: Callable[[NotifyMessage], None] | None = None
        self._on_rejected: Callable[[int, str], None] | None = None

    @classmethod
    def open(cls, hint: str, *, path: str | None = None, mode: int = 0o600) -> NotifySocket:
        """Bind a new socket: abstract (named after ``hint``) unless ``path`` is given.

        A stale socket file at ``path`` (from a crashed run) is replaced; any other
        file there is an error. ``mode`` applies to a path socket: the job must be
        allowed to write to it (``0o666`` for jobs that drop privileges).
        """
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        try:
            if path is None:
                name = _abstract_name(hint)
                sock.bind("\0" + name)
                address = "@" + name
            else:
                _remove_stale_socket(path)
                sock.bind(path)
                os.chmod(path, mode)
                address = path
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        return cls(sock, address, path=path)

    def environment(self) -> dict[str, str]:
        """What the job's environment needs to find this socket."""
        return {"NOTIFY_SOCKET": self.address}

    def start(
        self,
        on_message: Callable[[NotifyMessage], None],
        on_rejected: Callable[[int, str], None] | None = None,
    ) -> None:
        """Deliver accepted messages to ``on_message`` from the running loop."""
        if self._loop is not None:
            raise RuntimeError("notify socket already started")
        self._loop = asyncio.get_running_loop()
        self._on_message = on_message
        self._on_rejected = on_rejected
        self._loop.add_reader(self.sock.fileno(), self._drain)

    def close(self) -> None:
        """Stop receiving and release the socket (and its file, for a path socket)."""
        if self._loop is not None:
            self._loop.remove_reader(self.sock.fileno())
            self._loop = None
        self.sock.close()
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def _drain(self) -> None:
        for _ in range(BATCH):
            try:
                data, ancillary, flags, _address = self.sock.recvmsg(
                    MAX_DATAGRAM,
                    socket.CMSG_SPACE(_UCRED.size) + socket.CMSG_SPACE(MAX_FDS * 4),
                )
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            pid, uid, fds = _ancillary(ancillary)
            try:
                self._handle(data, flags, pid, uid)
            finally:
                for fd in fds:  # closing a barrier's pipe tells the sender we are done
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def _handle(self, data: bytes, flags: int, pid: int | None, uid: int) -> None:
        if flags & socket.MSG_TRUNC:
            self.oversized += 1
            self._reject(pid or 0, f"datagram longer than {MAX_DATAGRAM} bytes")
            return
        if pid is None:
            self._reject(0, "no sender credentials")
            return
        family = self.family
        if family is None or not family.contains(pid):
            self._reject(pid, "sender is not a process of this job")
            return
        fields = parse_notify(data)
        if not fields:
            return
        message = NotifyMessage(pid, uid, fields)
        if message.main_pid is not None and family.contains(message.main_pid):
            family.declared_main = message.main_pid
        self.accepted += 1
        if self._on_message is not None:
            self._on_message(message)

    def _reject(self, pid: int, reason: str) -> None:
        self.rejected += 1
        if self._on_rejected is not None:
            self._on_rejected(pid, reason)


def _ancillary(ancillary: list[tuple[int, int, bytes]]) -> tuple[int | None, int, list[int]]:
    """Sender pid and uid (from ``SCM_CREDENTIALS``) and every descriptor received."""
    pid: int | None = None
    uid = -1
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level != socket.SOL_SOCKET:
            continue
        if kind == socket.SCM_CREDENTIALS and len(payload) >= _UCRED.size:
            pid, uid, _gid = _UCRED.unpack_from(payload)
        elif kind == socket.SCM_RIGHTS:
            usable = len(payload) - len(payload) % 4
            fds.extend(array.array("i", payload[:usable]))
    return pid, uid, fds


def _remove_stale_socket(path: str) -> None:
    import stat

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise FileExistsError(f"notify socket {path}: a file that is not a socket is in the way")
    os.unlink(path)

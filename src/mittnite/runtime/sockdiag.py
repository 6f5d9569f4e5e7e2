"""Is anyone using an activated socket? A cheap sample for the cool-down of its job.

With socket activation the job accepts its own connections, so mittnite no longer sees
them open and close. It asks the kernel instead, about the listening socket it keeps:

* ``pending``: connections in the accept queue, not yet taken by the job;
* ``held``: connections accepted from this socket that are still open in some process
  (the job, or a child it handed them to).

Both come from ``NETLINK_SOCK_DIAG`` (what ``ss`` uses): for TCP one ``inet_diag`` dump,
filtered in the kernel by local port (bytecode ``S_GE``/``S_LE``), so it costs the same
on a host with many sockets; for unix sockets one ``unix_diag`` dump. The listening
socket is recognised by its inode: for it the kernel reports the accept queue length as
``rqueue``. A connection counts as held when its local address is the listener's (port,
and the IP unless the listener is bound to a wildcard; for unix the socket name, which
accepted sockets inherit from the listener) and it still has an inode: a socket closed
by every process that had it (an orphan finishing its FIN exchange), a ``TIME_WAIT``
entry and a connection still in the accept queue have none. Where netlink is not
available (seccomp, old kernels), ``/proc/net/tcp``, ``tcp6`` and ``unix`` give the same
figures (for unix, queued connections are the entries with the listener's name and no
inode yet).

What a sample cannot see: a connection that arrives, is served and closes entirely
between two samples. The kernel keeps no per-listener count of accepted connections
(``TCP_INFO`` of a listener stops at the queue lengths), and readiness is no substitute:
epoll re-checks readiness when it reports, so a connection the job accepted before
mittnite looked leaves no event. The consequence is bounded: a job that only ever serves
connections shorter than the sampling interval may be stopped ``coolDownTimeout`` after
the last one a sample saw, and the next connection starts it again (it waits in the
accept queue meanwhile, nothing is refused). Sampling every second, anything that stays
open for a second or more, keep-alive connections included, is always seen.

A sample is a few system calls on one netlink socket; once a second costs nothing
measurable.
"""

from __future__ import annotations

import errno
import os
import socket
import struct
from dataclasses import dataclass

__all__ = ["Activity", "ListenerDiag", "netlink_available"]

_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLM_F_REQUEST = 0x1
_NLM_F_DUMP = 0x300
_NLMSG_ERROR = 2
_NLMSG_DONE = 3
_NLMSG_HEADER = struct.Struct("=IHHII")
_NLATTR = struct.Struct("=HH")

# inet_diag
_INET_DIAG_REQ_BYTECODE = 1
_BC_S_GE = 2
_BC_S_LE = 3
_INET_REQ = struct.Struct("=BBBBI48s")  # family, protocol, ext, pad, states, inet_diag_sockid
_INET_MSG = struct.Struct("=BBBBHH16s16sI8sIIIII")
_BC_OP = struct.Struct("=BBH")

# TCP states (include/net/tcp_states.h)
_TCP_ESTABLISHED = 1
_TCP_FIN_WAIT1 = 4
_TCP_FIN_WAIT2 = 5
_TCP_CLOSE_WAIT = 8
_TCP_LAST_ACK = 9
_TCP_LISTEN = 10
_TCP_CLOSING = 11
_HELD_STATES = frozenset(
    {_TCP_ESTABLISHED, _TCP_FIN_WAIT1, _TCP_FIN_WAIT2, _TCP_CLOSE_WAIT, _TCP_LAST_ACK, _TCP_CLOSING}
)
_STATE_MASK = sum(1 << state for state in (*_HELD_STATES, _TCP_LISTEN))

# unix_diag
_UNIX_REQ = struct.Struct("=BBHIII8s")  # family, protocol, pad, states, ino, show, cookie
_UNIX_MSG = struct.Struct("=BBBBI8s")
_UDIAG_SHOW_NAME = 0x01
_UDIAG_SHOW_RQLEN = 0x10
_UNIX_DIAG_NAME = 0
_UNIX_DIAG_RQLEN = 4

_RECV_BUFFER = 1 << 16


@dataclass(frozen=True, slots=True)
class Activity:
    """One sample of activated sockets: connections queued, connections held open."""

    pending: int
    held: int

    @property
    def idle(self) -> bool:
        """Nothing waiting to be accepted, nothing accepted still open."""
        return not (self.pending or self.held)

    def __add__(self, other: Activity) -> Activity:
        return Activity(self.pending + other.pending, self.held + other.held)


def netlink_available() -> bool:
    """Whether this process may open a ``NETLINK_SOCK_DIAG`` socket."""
    try:
        probe = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, _NETLINK_SOCK_DIAG)
    except OSError:
        return False
    probe.close()
    return True


def _netlink_dump(payload: bytes) -> list[bytes]:
    """Send one SOCK_DIAG_BY_FAMILY dump request; the payload of every answer message."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, _NETLINK_SOCK_DIAG) as nl:
        header = _NLMSG_HEADER.pack(
            _NLMSG_HEADER.size + len(payload),
            _SOCK_DIAG_BY_FAMILY,
            _NLM_F_REQUEST | _NLM_F_DUMP,
            1,
            0,
        )
        nl.sendto(header + payload, (0, 0))
        messages: list[bytes] = []
        while True:
            data = nl.recv(_RECV_BUFFER)
            offset = 0
            while offset + _NLMSG_HEADER.size <= len(data):
                length, kind, _flags, _seq, _pid = _NLMSG_HEADER.unpack_from(data, offset)
                if length < _NLMSG_HEADER.size:
                    raise OSError(errno.EPROTO, "malformed netlink message")
                body = data[offset + _NLMSG_HEADER.size : offset + length]
                if kind == _NLMSG_DONE:
                    return messages
                if kind == _NLMSG_ERROR:
                    (code,) = struct.unpack_from("=i", body)
                    if code:
                        raise OSError(-code, os.strerror(-code))
                    return messages
                messages.append(body)
                offset += (length + 3) & ~3
            if not data:
                return messages


def _port_filter(port: int) -> bytes:
    """inet_diag bytecode: accept sockets whose local port is exactly ``port``.

    Two comparisons, each an op followed by an op holding the port in ``no``. A jump to
    the end accepts, a jump 4 bytes past it rejects.
    """
    return (
        _BC_OP.pack(_BC_S_GE, 8, 20)
        + _BC_OP.pack(0, 0, port)
        + _BC_OP.pack(_BC_S_LE, 8, 12)
        + _BC_OP.pack(0, 0, port)
    )


def _attributes(data: bytes, offset: int) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    while offset + _NLATTR.size <= len(data):
        length, kind = _NLATTR.unpack_from(data, offset)
        if length < _NLATTR.size:
            break
        found[kind & 0x3FFF] = data[offset + _NLATTR.size : offset + length]
        offset += (length + 3) & ~3
    return found


def _unix_name(raw: bytes) -> bytes:
    """Path names end at their NUL; abstract names (leading NUL) are taken whole."""
    if raw.startswith(b"\0"):
        return raw
    return raw.split(b"\0", 1)[0]


class ListenerDiag:
    """Samples ``pending`` and ``held`` for one listening socket (TCP or unix stream)."""

    def __init__(self, sock: socket.socket, *, use_netlink: bool | None = None) -> None:
        """``use_netlink``: None picks netlink when available, False forces ``/proc``."""
        self.family = sock.family
        self.kind = sock.type
        self.inode = os.fstat(sock.fileno()).st_ino
        self.port = 0
        self.address = b""  # packed local IP; empty for a wildcard
        if self.family in (socket.AF_INET, socket.AF_INET6):
            name = sock.getsockname()
            self.port = name[1]
            packed = socket.inet_pton(self.family, name[0])
            self.address = b"" if not any(packed) else packed
        elif self.family != socket.AF_UNIX:
            raise ValueError(f"cannot diagnose sockets of family {self.family}")
        self.use_netlink = netlink_available() if use_netlink is None else use_netlink

    def sample(self) -> Activity:
        """Count now; falls back to ``/proc`` for good if netlink answers with an error."""
        if self.use_netlink:
            try:
                return self._netlink()
            except OSError:
                self.use_netlink = False
        return self._procfs()

    # -- netlink ---------------------------------------------------------------------------------
    def _netlink(self) -> Activity:
        if self.family == socket.AF_UNIX:
            return self._netlink_unix()
        bytecode = _port_filter(self.port)
        attribute = _NLATTR.pack(_NLATTR.size + len(bytecode), _INET_DIAG_REQ_BYTECODE)
        request = _INET_REQ.pack(self.family, socket.IPPROTO_TCP, 0, 0, _STATE_MASK, b"")
        pending = held = 0
        for body in _netlink_dump(request + attribute + bytecode):
            if len(body) < _INET_MSG.size:
                continue
            (_f, state, _t, _r, raw_port, _dport, source, _dst, _if, _cookie, _expires,
             rqueue, _wqueue, _uid, inode) = _INET_MSG.unpack_from(body)
            if inode == self.inode:
                pending = rqueue
            elif (
                state in _HELD_STATES
                and inode
                and socket.ntohs(raw_port) == self.port
                and self._address_matches(source)
            ):
                held += 1
        return Activity(pending, held)

    def _address_matches(self, source: bytes) -> bool:
        if not self.address:
            return True
        return source[: len(self.address)] == self.address

    def _netlink_unix(self) -> Activity:
        request = _UNIX_REQ.pack(
            socket.AF_UNIX, 0, 0, 0xFFFFFFFF, 0, _UDIAG_SHOW_NAME | _UDIAG_SHOW_RQLEN, b""
        )
        listener_name: bytes | None = None
        pending = 0
        named: list[tuple[bytes, int, int]] = []  # (name, inode, state) of other sockets
        for body in _netlink_dump(request):
            if len(body) < _UNIX_MSG.size:
                continue
            _family, kind, state, _pad, inode, _cookie = _UNIX_MSG.unpack_from(body)
            if kind != self.kind:
                continue
            attributes = _attributes(body, _UNIX_MSG.size)
            name = attributes.get(_UNIX_DIAG_NAME)
            if inode == self.inode:
                listener_name = _unix_name(name) if name is not None else None
                rqlen = attributes.get(_UNIX_DIAG_RQLEN)
                if rqlen is not None and len(rqlen) >= 4:
                    (pending,) = struct.unpack_from("=I", rqlen)
            elif name is not None and inode and state != _TCP_LISTEN:
                named.append((_unix_name(name), inode, state))
        if listener_name is None:
            return Activity(pending, 0)
        held = sum(1 for name, _inode, _state in named if name == listener_name)
        return Activity(pending, held)

    # -- /proc -----------------------------------------------------------------------------------
    def _procfs(self) -> Activity:
        if self.family == socket.AF_UNIX:
            return self._procfs_unix()
        table = "/proc/net/tcp6" if self.family == socket.AF_INET6 else "/proc/net/tcp"
        pending = held = 0
        with open(table, "rb") as handle:
            next(handle, None)
            for line in handle:
                fields = line.split()
                if len(fields) < 10:
                    continue
                local_hex, _, port_hex = fields[1].partition(b":")
                state = int(fields[3], 16)
                inode = int(fields[9])
                if inode == self.inode:
                    pending = int(fields[4].partition(b":")[2], 16)
                elif (
                    state in _HELD_STATES
                    and inode
                    and int(port_hex, 16) == self.port
                    and self._address_matches(_proc_address(local_hex))
                ):
                    held += 1
        return Activity(pending, held)

    def _procfs_unix(self) -> Activity:
        rows: list[tuple[int, bytes]] = []
        listener_path: bytes | None = None
        with open("/proc/net/unix", "rb") as handle:
            next(handle, None)
            for line in handle:
                fields = line.rstrip(b"\n").split(None, 7)
                if len(fields) < 8:
                    continue  # unnamed sockets have no path column
                kind, inode, path = int(fields[4], 16), int(fields[6]), fields[7]
                if kind != self.kind:
                    continue
                if inode == self.inode:
                    listener_path = path
                else:
                    rows.append((inode, path))
        if listener_path is None:
            return Activity(0, 0)
        pending = sum(1 for inode, path in rows if path == listener_path and not inode)
        held = sum(1 for inode, path in rows if path == listener_path and inode)
        return Activity(pending, held)


def _proc_address(text: bytes) -> bytes:
    """``/proc/net/tcp*`` prints each 32-bit word of the address in host byte order."""
    raw = bytes.fromhex(text.decode("ascii"))
    words = struct.unpack(f"={len(raw) // 4}I", raw)
    return struct.pack(f"!{len(words)}I", *words) if _LITTLE_ENDIAN else raw


_LITTLE_ENDIAN = struct.pack("=I", 1)[0] == 1

"""Opening listening sockets the way Go's ``net.Listen`` does, minus its traps.

Addresses arrive already parsed (``family``, ``host``, ``port``, ``path``), so this
module only decides which socket to create:

* ``tcp`` with an empty host (``:8080``) or ``::`` listens on every interface, IPv4 and
  IPv6, through one dual-stack socket, as Go does; without IPv6 support it falls back to
  ``0.0.0.0``. ``tcp4``/``tcp6`` restrict the family.
* ``unix`` binds a path (a leading ``@`` names a Linux abstract socket, as in Go).
  A socket file left behind by a crashed run is *stale*: nothing accepts on it, so it is
  replaced. A socket file something still accepts on is *live*: replacing it would
  silently steal another server's address, so that is an error. Any other kind of file
  is never deleted. On close the file is removed only if it is still the one we bound.

Errors carry Go's wording (``listen tcp :80: bind: address already in use``) because the
original logs them and people grep for them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat

from mittnite.runtime.goerrors import errno_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    Sockaddr = tuple[Any, ...] | str | bytes

    class SocketAddress(Protocol):
        """A parsed ``listen``/``forward`` address (``config.addresses.Address``)."""

        @property
        def family(self) -> str: ...

        @property
        def host(self) -> str: ...

        @property
        def port(self) -> int: ...

        @property
        def path(self) -> str: ...


__all__ = ["ListenError", "Listening", "format_address", "open_listener", "resolve"]

# The kernel caps the backlog at net.core.somaxconn; asking for the maximum gets that cap,
# which is what Go asks for too. Python's default (128) drops bursts of new connections.
_BACKLOG = 65535


class ListenError(OSError):
    """A listening socket could not be opened; ``str()`` is Go's text."""

    def __init__(self, message: str, number: int | None = None) -> None:
        super().__init__(number or errno.EINVAL, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def format_address(address: SocketAddress) -> str:
    """``host:port`` (IPv6 in brackets) or the socket path, as Go prints addresses."""
    if address.family.startswith("unix"):
        return address.path
    host = f"[{address.host}]" if ":" in address.host else address.host
    return f"{host}:{address.port}"


def unix_sockaddr(path: str) -> Sockaddr:
    """The ``sockaddr`` for a unix path; ``@name`` is an abstract socket on Linux."""
    if path.startswith("@"):
        return b"\0" + os.fsencode(path[1:])
    return path


def _ip_family(host: str) -> int | None:
    """AF_INET/AF_INET6 for an IP literal, None for a name."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host.partition("%")[0])
        except OSError:
            continue
        return family
    return None


def _has_ipv6() -> bool:
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    except OSError:
        return False
    probe.close()
    return True


def resolve(network: str, host: str, port: int, *, passive: bool) -> list[tuple[int, Sockaddr]]:
    """Candidate ``(family, sockaddr)`` pairs for a TCP address, best first.

    IP literals never touch the resolver. Names are looked up synchronously: listeners are
    resolved once at start-up and dial targets once per forwarder (see ``dial``), so the
    event loop is not blocked per connection. ``tcp`` prefers IPv4 like Go's listener.
    """
    wanted = {"tcp4": socket.AF_INET, "tcp6": socket.AF_INET6}.get(network, socket.AF_UNSPEC)
    if not host or (passive and host == "::" and network == "tcp"):
        if passive:
            if wanted == socket.AF_INET or (wanted == socket.AF_UNSPEC and not _has_ipv6()):
                return [(socket.AF_INET, ("0.0.0.0", port))]
            return [(socket.AF_INET6, ("::", port, 0, 0))]
        host = "::1" if wanted == socket.AF_INET6 else "127.0.0.1"
    literal = _ip_family(host)
    if literal is not None:
        if wanted not in (socket.AF_UNSPEC, literal):
            raise socket.gaierror(errno.EAFNOSUPPORT, "address family mismatch")
        if literal == socket.AF_INET:
            return [(literal, (host, port))]
        return [(literal, (host, port, 0, 0))]
    infos = socket.getaddrinfo(host, port, wanted, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    results: list[tuple[int, Sockaddr]] = [(info[0], info[4]) for info in infos]
    results.sort(key=lambda item: 0 if item[0] == socket.AF_INET else 1)
    return results


class Listening:
    """An open, non-blocking listening socket; ``close()`` releases it and its file."""

    __slots__ = ("_unix_identity", "address", "network", "sock")

    def __init__(
        self,
        sock: socket.socket,
        network: str,
        address: str,
        unix_identity: tuple[str, int, int] | None = None,
    ) -> None:
        self.sock = sock
        self.network = network
        self.address = address
        self._unix_identity = unix_identity

    @property
    def bound_address(self) -> str:
        """Where we actually listen (the real port when ``:0`` was asked for)."""
        name = self.sock.getsockname()
        if isinstance(name, tuple):
            host = f"[{name[0]}]" if ":" in name[0] else name[0]
            return f"{host}:{name[1]}"
        if isinstance(name, bytes):
            return "@" + os.fsdecode(name[1:])
        return str(name)

    def close(self) -> None:
        """Close the socket and remove its file if it is still ours (idempotent)."""
        if self.sock.fileno() >= 0:
            self.sock.close()
        identity, self._unix_identity = self._unix_identity, None
        if identity is None:
            return
        path, device, inode = identity
        try:
            info = os.lstat(path)
        except OSError:
            return
        if stat.S_ISSOCK(info.st_mode) and (info.st_dev, info.st_ino) == (device, inode):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def open_listener(address: SocketAddress) -> Listening:
    """Bind and listen on ``address``; raises :class:`ListenError` with Go's text."""
    if address.family.startswith("unix"):
        return _listen_unix(address.family, address.path)
    return _listen_tcp(address.family, address.host, address.port, format_address(address))


def _listen_tcp(network: str, host: str, port: int, text: str) -> Listening:
    prefix = f"listen {network} {text}"
    try:
        candidates = resolve(network, host, port, passive=True)
    except socket.gaierror as error:
        raise ListenError(f"{prefix}: lookup {host}: no such host", error.errno) from error
    if not candidates:
        raise ListenError(f"{prefix}: lookup {host}: no such host", errno.ENOENT)
    family, sockaddr = candidates[0]
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as error:
        raise ListenError(f"{prefix}: socket: {_reason(error)}", error.errno) from error
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            v6only = 1 if network == "tcp6" else 0
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
        try:
            sock.bind(sockaddr)
        except OSError as error:
            raise ListenError(f"{prefix}: bind: {_reason(error)}", error.errno) from error
        try:
            sock.listen(_BACKLOG)
        except OSError as error:
            raise ListenError(f"{prefix}: listen: {_reason(error)}", error.errno) from error
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return Listening(sock, network, text)


def _listen_unix(network: str, path: str) -> Listening:
    prefix = f"listen {network} {path}"
    kind = socket.SOCK_SEQPACKET if network == "unixpacket" else socket.SOCK_STREAM
    abstract = path.startswith("@")
    if not abstract:
        _remove_stale_socket(path, kind, prefix)
    sock = socket.socket(socket.AF_UNIX, kind)
    try:
        try:
            sock.bind(unix_sockaddr(path))
        except OSError as error:
            raise ListenError(f"{prefix}: bind: {_reason(error)}", error.errno) from error
        identity: tuple[str, int, int] | None = None
        if not abstract:
            info = os.lstat(path)
            identity = (path, info.st_dev, info.st_ino)
        listening = Listening(sock, network, path, identity)
        try:
            sock.listen(_BACKLOG)
        except OSError as error:
            listening.close()
            raise ListenError(f"{prefix}: listen: {_reason(error)}", error.errno) from error
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return listening


def _remove_stale_socket(path: str, kind: int, prefix: str) -> None:
    """Delete a socket file nobody accepts on; refuse to touch a live one."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise ListenError(f"{prefix}: bind: {_reason(error)}", error.errno) from error
    if not stat.S_ISSOCK(info.st_mode):
        return  # bind reports "address already in use", as Go does; we delete no files
    probe = socket.socket(socket.AF_UNIX, kind)
    probe.setblocking(False)
    try:
        probe.connect(path)
    except (BlockingIOError, InterruptedError):
        live = True  # a full backlog: something is listening, just busy
    except ConnectionRefusedError:
        live = False
    except FileNotFoundError:
        return
    except OSError:
        live = True  # cannot tell (permissions...): leave it to bind to complain
    else:
        live = True
    finally:
        probe.close()
    if live:
        raise ListenError(
            f"{prefix}: bind: {errno_text(errno.EADDRINUSE)} (another process accepts on it)",
            errno.EADDRINUSE,
        )
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _reason(error: OSError) -> str:
    return errno_text(error.errno) if error.errno else str(error)

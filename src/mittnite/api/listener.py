"""The API's listening socket, created safely.

Unix sockets (the default):

* the parent directory is created owner-only (0700) when mittnite creates it
  (the original: 0755);
* the socket is owner-only (0600; the original: whatever the umask gives),
  because whoever can connect controls the jobs;
* a socket file left over by a crashed run (nobody accepts on it) is replaced;
  a live one (another mittnite answers) is refused with an error that says so,
  and so is a path that is not a socket at all. The original fails to bind in
  both cases and runs on without an API, logging one line.

TCP: see :mod:`.address` for the loopback rule.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .address import ApiAddress

BACKLOG = 128


class SocketInUse(OSError):
    """The unix socket path is served by a live process or is not a socket."""


def open_listener(address: ApiAddress) -> socket.socket:
    """A bound, listening, non-blocking socket for ``address`` (raises OSError)."""
    if address.is_unix:
        return _unix_listener(address.path)
    return _tcp_listener(address.host, address.port)


def _unix_listener(path: str) -> socket.socket:
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        os.makedirs(parent, mode=0o700, exist_ok=True)
        os.chmod(parent, 0o700)  # independent of the umask
    _remove_stale(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        previous = os.umask(0o177)  # the socket file is created 0600 from the start
        try:
            sock.bind(path)
        finally:
            os.umask(previous)
        os.chmod(path, 0o600)
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _remove_stale(path: str) -> None:
    """Unlink a socket nobody listens on; refuse a live one or a non-socket."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise SocketInUse(
            errno.EEXIST, f"{path} exists and is not a socket; remove it or choose another path"
        )
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # stale: left behind by a run that did not shut down
        return
    except OSError:
        pass  # e.g. a timeout: somebody holds it, treat it as live
    finally:
        probe.close()
    raise SocketInUse(
        errno.EADDRINUSE,
        f"{path} is in use by another running process (is another mittnite serving its API "
        "there?); stop it or choose another --api-listen-address",
    )


def _tcp_listener(host: str, port: int) -> socket.socket:
    """Bind a TCP address; an empty host means all interfaces (dual-stack where possible)."""
    if host:
        candidates = [(socket.AF_INET6 if ":" in host else socket.AF_INET, host)]
    else:
        candidates = [(socket.AF_INET6, "::"), (socket.AF_INET, "0.0.0.0")]
    error: OSError | None = None
    for family, bind_host in candidates:
        try:
            sock = socket.socket(family, socket.SOCK_STREAM)
        except OSError as exc:  # no IPv6 in this kernel/namespace
            error = exc
            continue
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and not host:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.bind((bind_host, port))
            sock.listen(BACKLOG)
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        return sock
    assert error is not None
    raise OSError(error.errno, f"listen tcp {host}:{port}: bind: {error.strerror}") from None


def remove_socket_file(path: str, inode: int | None) -> None:
    """Remove our socket file on shutdown (only if it is still ours)."""
    with contextlib.suppress(OSError):
        if inode is None or os.lstat(path).st_ino == inode:
            os.unlink(path)

"""Open a connection to the API, turning socket errors into advice.

Go's client reports ``dial unix /x.sock: connect: no such file or directory``;
correct, but it leaves the reader to work out that mittnite is not running
with ``--api`` or listens elsewhere. Each error here says which of those it is
and what to check.
"""

from __future__ import annotations

import errno

from .errors import CtlError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _socket import socket as Socket

    from .address import Endpoint

CONNECT_TIMEOUT = 5.0


def _start_hint(endpoint: Endpoint) -> str:
    listen = endpoint.text if endpoint.is_unix else f"{endpoint.host}:{endpoint.port}"
    return (
        "Is mittnite running with its API enabled? Start it as\n"
        f"    mittnite up --api --api-listen-address {listen}\n"
        "or point mittnitectl at the address it listens on with --api-address."
    )


def describe_os_error(endpoint: Endpoint, exc: OSError) -> str:
    """A message for a failed connect to ``endpoint`` (pure; used by tests)."""
    if endpoint.is_unix:
        where = f"the socket {endpoint.socket_path}"
        if isinstance(exc, FileNotFoundError):
            return (
                f"cannot connect to mittnite's API: the socket path {endpoint.socket_path} "
                f"does not exist.\n{_start_hint(endpoint)}"
            )
        if isinstance(exc, PermissionError):
            return (
                f"cannot connect to mittnite's API: permission denied on {where}.\n"
                "The socket is owner-only; run mittnitectl as the user mittnite runs as "
                "(usually root)."
            )
        if isinstance(exc, ConnectionRefusedError):
            return (
                f"cannot connect to mittnite's API: nothing is listening on {where} "
                f"(a leftover from a mittnite that has stopped?).\n{_start_hint(endpoint)}"
            )
        if exc.errno in (errno.ENOTSOCK, errno.ENOTDIR):
            return (
                f"cannot connect to mittnite's API: {endpoint.socket_path} is not a socket.\n"
                f"{_start_hint(endpoint)}"
            )
    where = f"{endpoint.host}:{endpoint.port}" if not endpoint.is_unix else endpoint.socket_path
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"cannot connect to mittnite's API: connection to {where} refused.\n"
            f"{_start_hint(endpoint)}"
        )
    if type(exc).__name__ == "gaierror":
        return f"cannot connect to mittnite's API: cannot resolve host {endpoint.host!r}: {exc}"
    if isinstance(exc, TimeoutError):
        return f"cannot connect to mittnite's API at {where}: timed out"
    reason = exc.strerror or str(exc)
    return f"cannot connect to mittnite's API at {where}: {reason}"


def connect(endpoint: Endpoint, timeout: float | None = CONNECT_TIMEOUT) -> Socket:
    """A connected, blocking socket to the API (``timeout`` applies to later reads).

    Unix sockets use the C module ``_socket`` directly: the ``socket`` wrapper
    module costs about 3 ms of start-up (its enum set-up), a noticeable share
    of a 40 ms status call, and adds nothing needed here. TCP keeps
    ``socket.create_connection`` for its address resolution.
    """
    try:
        if endpoint.is_unix:
            import _socket

            sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                sock.settimeout(CONNECT_TIMEOUT)
                sock.connect(endpoint.socket_path)
            except BaseException:
                sock.close()
                raise
        else:
            import socket

            sock = socket.create_connection((endpoint.host, endpoint.port), CONNECT_TIMEOUT)
    except OSError as exc:
        raise CtlError(describe_os_error(endpoint, exc)) from None
    sock.settimeout(timeout)
    return sock

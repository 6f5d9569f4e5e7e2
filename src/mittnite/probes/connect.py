"""TCP connections for the probes, with errors worded for people.

asyncio's own ``open_connection`` merges the failures of several addresses
(``localhost`` is usually ``::1`` and ``127.0.0.1``) into one
``Multiple exceptions`` error without an errno, which cannot be turned into
"connection refused at localhost:6379". So addresses are resolved and tried
here one by one, and the most telling failure is reported.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket

from .base import ProbeError
from .gotext import dial_lookup_text, dial_text, host_port
from .resolve import join_host_port

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl

CONNECT_TIMEOUT = 5.0
QUICK_TIMEOUT = 0.5

_REFUSED = (errno.ECONNREFUSED,)
_UNREACHABLE = (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN)


async def open_tcp(
    kind: str,
    host: str,
    port: int,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to ``host:port`` (TLS if a context is given) or raise :class:`ProbeError`."""
    address = join_host_port(host, port)
    addresses = await _resolve(kind, host, port)
    failures: list[BaseException] = []
    dialed = ""
    per_address = max(timeout / len(addresses), 1.0)
    for family, sockaddr in addresses:
        dialed = host_port(sockaddr[0], sockaddr[1])
        try:
            async with asyncio.timeout(per_address):
                return await asyncio.open_connection(
                    sockaddr[0],
                    sockaddr[1],
                    family=family,
                    ssl=ssl_context,
                    server_hostname=host if ssl_context is not None else None,
                )
        except (OSError, TimeoutError) as error:
            if _is_tls_error(error):
                raise ProbeError(
                    f"{kind}: TLS handshake with {address} failed: {_tls_reason(error)}"
                ) from None
            failures.append(error)
    raise describe_connect_failure(kind, address, failures, dialed)


async def can_connect(host: str, port: int) -> bool:
    """Whether something accepts TCP connections at ``host:port`` (a cheap watch)."""
    try:
        addresses = await _resolve("", host, port)
    except ProbeError:
        return False
    for family, sockaddr in addresses:
        try:
            async with asyncio.timeout(QUICK_TIMEOUT):
                _, writer = await asyncio.open_connection(sockaddr[0], sockaddr[1], family=family)
        except (OSError, TimeoutError):
            continue
        writer.close()
        return True
    return False


async def _resolve(kind: str, host: str, port: int) -> list[tuple[int, tuple[str, int]]]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise resolve_failure(kind, host, error) from None
    seen: list[tuple[int, tuple[str, int]]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        entry = (int(family), (str(sockaddr[0]), int(sockaddr[1])))
        if entry not in seen:
            seen.append(entry)
    if not seen:
        raise ProbeError(f"{kind}: cannot resolve host {host!r}")
    return seen


def resolve_failure(kind: str, host: str, error: socket.gaierror) -> ProbeError:
    """``host`` has no address: plain words for the log, Go's resolver text for ``/status``."""
    return ProbeError(
        f"{kind}: cannot resolve host {host!r} ({_gai_reason(error)})",
        go_text=dial_lookup_text(host, error),
    )


def describe_connect_failure(
    kind: str, address: str, failures: list[BaseException], dialed: str = ""
) -> ProbeError:
    """The most telling of several connect failures, as one :class:`ProbeError`.

    ``dialed`` is the resolved address last tried (Go names it in its text);
    ``address`` as configured when unknown.
    """
    codes = [getattr(failure, "errno", None) for failure in failures]
    dialed = dialed or address
    for failure in failures:
        code = getattr(failure, "errno", None)
        # a resolver failure, maybe re-raised by a driver as a plain OSError (EAI_* < 0)
        if isinstance(failure, socket.gaierror) or (isinstance(code, int) and code < 0):
            host = address.rpartition(":")[0].strip("[]")
            return resolve_failure(kind, host, socket.gaierror(code, str(failure)))
    if any(code in _REFUSED for code in codes):
        refused = next(f for f in failures if getattr(f, "errno", None) in _REFUSED)
        return ProbeError(
            f"{kind}: connection refused at {address}",
            unreachable=True,
            go_text=dial_text(dialed, refused),
        )
    if any(isinstance(failure, TimeoutError) for failure in failures):
        return ProbeError(
            f"{kind}: timed out connecting to {address}",
            go_text=dial_text(dialed, TimeoutError()),
        )
    if any(code in _UNREACHABLE for code in codes):
        unreachable = next(f for f in failures if getattr(f, "errno", None) in _UNREACHABLE)
        return ProbeError(
            f"{kind}: {address} is unreachable (no route to host)",
            go_text=dial_text(dialed, unreachable),
        )
    last = failures[-1] if failures else None
    return ProbeError(
        f"{kind}: cannot connect to {address}: {os_reason(last)}",
        go_text=None if last is None else dial_text(dialed, last),
    )


def os_reason(error: BaseException | None) -> str:
    """An OS error in Go's lower-case style: ``connection reset by peer``."""
    if error is None:
        return "unknown error"
    if isinstance(error, TimeoutError):
        return "timed out"
    code = getattr(error, "errno", None)
    if isinstance(code, int) and code > 0:
        text = os.strerror(code)
    else:
        text = str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


def _gai_reason(error: socket.gaierror) -> str:
    if error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
        return "no such host"
    if error.errno == socket.EAI_AGAIN:
        return "temporary failure in name resolution"
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def _is_tls_error(error: BaseException) -> bool:
    return type(error).__module__ == "ssl"


def _tls_reason(error: BaseException) -> str:
    reason = getattr(error, "verify_message", None) or getattr(error, "reason", None)
    return str(reason or error).lower()

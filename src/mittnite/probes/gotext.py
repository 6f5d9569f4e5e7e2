"""Go's error texts for the common probe failures, as the original's ``/status`` shows them.

Dashboards and alert rules match the ``message`` of ``/status`` entries, so
for the failures people meet every day - connection refused, timeouts,
unknown hosts, wrong passwords, HTTP errors, missing directories - the text
is the one Go's ``net`` package and the original's drivers produce::

    dial tcp 127.0.0.1:6379: connect: connection refused
    dial tcp: lookup db.internal on 10.0.0.2:53: no such host
    Get "http://web:8080/health": dial tcp 10.1.2.3:8080: connect: connection refused

The log lines keep the plain-words form (``redis: connection refused at
127.0.0.1:6379``); both are built from the same failure. Pure functions,
apart from reading ``/etc/resolv.conf`` for the name server Go names.
"""

from __future__ import annotations

import errno
import socket

from ..runtime.goerrors import errno_text

RESOLV_CONF = "/etc/resolv.conf"
_PATH_SAFE = "/$&+,:;=@"  # Go leaves these unescaped in a URL path
_TIMEOUT_ERRNOS = (errno.ETIMEDOUT,)


def escape_path(path: str) -> str:
    """A path as Go's ``url.URL`` writes it: leading ``/``, the rest percent-escaped."""
    from urllib.parse import quote

    if path and not path.startswith("/"):
        path = "/" + path
    return quote(path, safe=_PATH_SAFE)


def host_port(host: str, port: int | str) -> str:
    """Go's ``net.JoinHostPort``: IPv6 literals in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def dial_text(address: str, error: BaseException) -> str:
    """``dial tcp ADDRESS: ...`` for a failed connect to the resolved ``address``."""
    if isinstance(error, TimeoutError) or getattr(error, "errno", None) in _TIMEOUT_ERRNOS:
        return f"dial tcp {address}: i/o timeout"
    code = getattr(error, "errno", None)
    if isinstance(code, int) and code > 0:
        return f"dial tcp {address}: connect: {errno_text(code)}"
    return f"dial tcp {address}: {error}"


def nameserver(path: str = RESOLV_CONF) -> str:
    """The first name server as Go's resolver names it (``10.0.0.2:53``)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 2 and fields[0] == "nameserver":
                    return host_port(fields[1].split("%")[0], 53)
    except OSError:
        pass
    return "127.0.0.1:53"  # Go's default when resolv.conf names none


def lookup_text(host: str, error: BaseException) -> str:
    """Go's resolver error for ``host`` (``lookup HOST on NS:53: no such host``)."""
    code = getattr(error, "errno", None)
    if code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
        reason = "no such host"
    elif code == socket.EAI_AGAIN:
        reason = "server misbehaving"
    else:
        return f"lookup {host}: {error}"
    return f"lookup {host} on {nameserver()}: {reason}"


def dial_lookup_text(host: str, error: BaseException) -> str:
    """A dial that failed resolving the name: ``dial tcp: lookup ...``."""
    return f"dial tcp: {lookup_text(host, error)}"


def fs_text(operation: str, path: str, error: OSError) -> str:
    """``open /x: no such file or directory`` (Go's ``*PathError``)."""
    code = error.errno if isinstance(error.errno, int) else 0
    return f"{operation} {path}: {errno_text(code) if code else error}"

"""Can the control API listen where it is asked to? Asked before anything else happens.

A second ``mittnite up`` pointed at a live API socket used to render the
configured files first - rewriting files the running instance watches, which
then signalled or restarted its jobs - and only then fail to bind. ``up``
asks this module right after loading the configuration, before rendering,
and stops with one clear line if the answer is no. Nothing is created or
removed here: the listener itself (``listener.py``) still replaces a stale
socket when it binds.

The texts keep Go's wording where the original had one (``listen tcp
127.0.0.1:8080: bind: address already in use``) and never show Python's
``[Errno 98]``.
"""

from __future__ import annotations

import errno
import os
import socket
import stat

from ..runtime.goerrors import errno_text
from .address import AddressError, parse_address


def os_error_text(error: BaseException) -> str:
    """An error for a log line: an ``OSError``'s text without Python's ``[Errno N]``."""
    if isinstance(error, OSError) and error.strerror:
        if error.filename is not None:
            return f"{error.filename}: {error.strerror}"
        return str(error.strerror)
    return str(error)


def api_unavailable(text: str, allow_remote: bool = False) -> str | None:
    """Why the API cannot listen on ``text`` (None: it can, as far as can be told now)."""
    try:
        address = parse_address(text)
    except AddressError as error:
        return str(error)
    if address.is_unix:
        return _unix_problem(address.path)
    if not address.is_loopback and not allow_remote:
        return (
            f"api listen address {text!r} is reachable from other machines and the api has no "
            "authentication; use a unix socket or a loopback address, or pass --api-allow-remote"
        )
    return _tcp_problem(address.host, address.port)


def _unix_problem(path: str) -> str | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{path}: {errno_text(error.errno or 0)}"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{path} exists and is not a socket; remove it or choose another --api-listen-address"
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        return None  # stale: the listener replaces it
    except OSError:
        pass  # held by somebody who does not accept quickly: live
    finally:
        probe.close()
    return (
        f"{path} is in use by another running process (is another mittnite serving its API "
        "there?); stop it or choose another --api-listen-address"
    )


def _tcp_problem(host: str, port: int) -> str | None:
    if port == 0:
        return None  # any free port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError:
        return None  # let the listener report it
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host or ("::" if family == socket.AF_INET6 else "0.0.0.0"), port))
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            return f"listen tcp {host}:{port}: bind: {errno_text(error.errno)}"
        return None
    finally:
        sock.close()
    return None

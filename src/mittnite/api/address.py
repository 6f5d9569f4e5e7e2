"""What ``--api-listen-address`` means: a unix socket path or a TCP listen address.

As the original: a value containing ``unix://`` names the socket path after
the first ``unix://``; anything else is a Go TCP listen address
(``127.0.0.1:8080``, ``[::1]:8080``, ``:8080``, ``localhost:8080``).

Ours: the API has no authentication, so a TCP address that is not loopback
(an empty host means all interfaces) is refused unless ``--api-allow-remote``
is given, and then logged with a warning.
"""

from __future__ import annotations

import ipaddress

UNIX_SCHEME = "unix://"


class AddressError(ValueError):
    """The address cannot be used; the text says why and what to do."""


class ApiAddress:
    """A parsed listen address: ``path`` for unix sockets, else ``host``/``port``."""

    __slots__ = ("host", "path", "port", "text")

    def __init__(self, text: str, *, path: str = "", host: str = "", port: int = 0) -> None:
        self.text = text
        self.path = path
        self.host = host
        self.port = port

    @property
    def is_unix(self) -> bool:
        return bool(self.path)

    @property
    def is_loopback(self) -> bool:
        """Unix sockets and TCP addresses only this machine can reach."""
        if self.is_unix:
            return True
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False  # an empty host (all interfaces) or a name that may resolve anywhere


def parse_address(text: str) -> ApiAddress:
    """Parse ``--api-listen-address``; raises :class:`AddressError`."""
    if UNIX_SCHEME in text:
        path = text.split(UNIX_SCHEME, 1)[1]
        if not path:
            raise AddressError(f"api listen address {text!r}: empty unix socket path")
        return ApiAddress(text, path=path)
    host, sep, port_text = text.rpartition(":")
    if not sep:
        raise AddressError(f"listen tcp {text}: address {text}: missing port in address")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        port = int(port_text)
        if not 0 <= port <= 65535:
            raise ValueError(port_text)
    except ValueError:
        raise AddressError(f"listen tcp {text}: address {port_text}: invalid port") from None
    return ApiAddress(text, host=host, port=port)

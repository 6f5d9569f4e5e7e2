"""Network addresses as the original writes them (Go ``net`` conventions).

``host:port``, ``:port`` (all interfaces), ``[::1]:port``; for the ``unix``
family a filesystem path. Parsing happens at load time so a typo is a
configuration error naming file and line, not a failure minutes later.
"""

from __future__ import annotations

from .record import record

STREAM_PROTOCOLS = ("tcp", "tcp4", "tcp6", "unix")
KNOWN_PROTOCOLS = (*STREAM_PROTOCOLS, "unixpacket")
UNIX_SCHEME = "unix://"
"""``unix:///run/app.sock``: a socket path written as the control API's address is."""


@record
class Address:
    """A parsed address: ``family`` is ``tcp``/``tcp4``/``tcp6``/``unix``."""

    family: str
    host: str = ""
    port: int = 0
    path: str = ""

    def __str__(self) -> str:
        if self.family.startswith("unix"):
            return self.path
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


class AddressError(ValueError):
    """An address that cannot be used; the message says why in plain words, ``hint`` how
    to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def split_host_port(text: str) -> tuple[str, str]:
    """Go's ``net.SplitHostPort`` (``[v6]:port``, ``host:port``, ``:port``)."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise AddressError(f"address {text}: missing ']'")
        host = text[1:end]
        rest = text[end + 1 :]
        if not rest.startswith(":"):
            raise AddressError(f"address {text}: missing port after ']'", "write [::1]:8080")
        return host, rest[1:]
    if text.count(":") == 0:
        raise AddressError(f"address {text}: missing port", "write host:port or :port")
    if text.count(":") > 1:
        raise AddressError(
            f"address {text}: too many colons", "put IPv6 hosts in brackets: [::1]:8080"
        )
    host, _, port = text.partition(":")
    return host, port


def parse_port(text: str, address: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise AddressError(
            f"address {address}: port {text!r} is not a number", "use a number from 0 to 65535"
        )
    if len(text.lstrip("0")) > 5 or int(text) > 65535:
        shown = text if len(text) <= 12 else text[:9] + "..."
        raise AddressError(
            f"address {address}: port {shown} is out of range", "use a number from 0 to 65535"
        )
    return int(text)


def parse_address(text: str, protocol: str = "tcp") -> Address:
    """Parse ``text`` for the given Go network name."""
    protocol = protocol or "tcp"
    if protocol not in KNOWN_PROTOCOLS:
        raise AddressError(
            f"unknown protocol {protocol!r}", f"use one of: {', '.join(KNOWN_PROTOCOLS)}"
        )
    if protocol.startswith("unix"):
        if text.startswith(UNIX_SCHEME):
            text = text[len(UNIX_SCHEME) :]
        if not text:
            raise AddressError("a unix socket address needs a path", "write /run/app.sock")
        return Address(protocol, path=text)
    host, port = split_host_port(text)
    return Address(protocol, host=host, port=parse_port(port, text))

"""The HAProxy PROXY protocol header (versions 1 and 2), sender side.

A forwarder that joins a client to an upstream hides the client: the upstream sees a
connection from mittnite. With ``proxyProtocol`` the forwarder first sends one header
naming the client's connection (source = the client, destination = the address the
client connected to), and only then any client byte. nginx (``listen ... proxy_protocol``),
HAProxy (``accept-proxy``), Envoy, Traefik and many servers read it.

Encoding follows haproxy's ``doc/proxy-protocol.txt``:

* v1 is one text line ``PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\\r\\n``: decimal dotted
  IPv4, IPv6 as colon-separated hex groups with at most one ``::`` replacing the longest
  run of zero groups (never the dotted ``::ffff:1.2.3.4`` form, which the grammar does not
  allow), ports in decimal without leading zeros. Connections that are not TCP (a client
  of a unix socket) are ``PROXY UNKNOWN\\r\\n``: the short form the spec allows, telling
  the receiver to use the real connection's addresses.
* v2 is binary: the 12-byte signature, ``0x21`` (version 2, command PROXY), the family
  and transport byte (``0x11`` TCP over IPv4, ``0x21`` TCP over IPv6, ``0x31`` unix
  stream), the length of the address block in network byte order, then the addresses:
  4+4+2+2, 16+16+2+2 or 108+108 bytes (unix paths NUL-padded; an unnamed client is all
  zeros; an abstract name keeps its leading NUL). No TLVs are sent. A unix
  ``SOCK_SEQPACKET`` connection has no transport code in the spec and is sent as
  ``AF_UNSPEC``/``UNSPEC`` with no address block.

One choice the spec leaves open: a dual-stack listener (``:8080``) sees IPv4 clients as
IPv4-mapped IPv6 addresses (``::ffff:10.0.0.7``). When both ends are mapped the header
says TCP4 with the plain IPv4 addresses, which is what the client really used and what
Go (and so the original mittnite) prints for such a peer. Should only one end be mapped
(not seen on Linux), both are sent as TCP6.

The header is at most 232 bytes, below any MSS, and is written before the first client
byte in one ``send`` on a fresh connection, so it leaves as one segment as the spec asks.
"""

from __future__ import annotations

import os
import socket
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Sockaddr = tuple[Any, ...] | str | bytes

__all__ = [
    "SIGNATURE_V2",
    "VERSIONS",
    "HeaderError",
    "format_ipv6",
    "header",
    "header_for",
    "parse_version",
]

SIGNATURE_V2 = b"\r\n\r\n\x00\r\nQUIT\n"
VERSIONS = {"v1": 1, "v2": 2}
"""The configuration spellings of ``proxyProtocol`` and their version numbers."""

_V2_PROXY = 0x21  # version 2 in the high nibble, command PROXY (1) in the low nibble
_V2_TCP4 = 0x11
_V2_TCP6 = 0x21
_V2_UNIX_STREAM = 0x31
_V2_UNSPEC = 0x00
_UNIX_ADDRESS_BYTES = 108
_MAPPED_PREFIX = b"\0" * 10 + b"\xff\xff"
_V1_UNKNOWN = b"PROXY UNKNOWN\r\n"


class HeaderError(ValueError):
    """Addresses that cannot be described (an unknown family, a malformed address)."""


def parse_version(text: str) -> int:
    """``"v1"`` → 1, ``"v2"`` → 2; anything else raises ``ValueError`` saying what is allowed."""
    try:
        return VERSIONS[text]
    except KeyError:
        raise ValueError(f'proxyProtocol must be "v1" or "v2", not {text!r}') from None


def format_ipv6(packed: bytes) -> str:
    """Sixteen bytes as v1 wants them: hex groups, the longest zero run (of 2+) as ``::``.

    ``socket.inet_ntop`` would print mapped and compatible addresses in dotted form,
    which the v1 grammar (hex groups only) does not allow.
    """
    groups = struct.unpack("!8H", packed)
    best_start, best_length = -1, 1
    start = -1
    for index, group in enumerate((*groups, 1)):
        if group == 0:
            if start < 0:
                start = index
        elif start >= 0:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = -1
    texts = [f"{group:x}" for group in groups]
    if best_start < 0:
        return ":".join(texts)
    head = ":".join(texts[:best_start])
    tail = ":".join(texts[best_start + best_length :])
    return f"{head}::{tail}"


def _packed(family: int, host: str) -> bytes:
    try:
        return socket.inet_pton(family, host.partition("%")[0])
    except (OSError, ValueError) as error:
        raise HeaderError(f"not an IP address: {host!r}") from error


def _port(value: object) -> int:
    if not isinstance(value, int) or not 0 <= value <= 65535:
        raise HeaderError(f"not a port: {value!r}")
    return value


def _unix_bytes(name: Sockaddr) -> bytes:
    """A unix socket name as the 108 bytes of ``sun_path`` (NUL-padded)."""
    if isinstance(name, str):
        raw = os.fsencode(name)
    elif isinstance(name, bytes):
        raw = name
    else:
        raise HeaderError(f"not a unix socket name: {name!r}")
    if len(raw) > _UNIX_ADDRESS_BYTES:
        raise HeaderError(f"unix socket name longer than {_UNIX_ADDRESS_BYTES} bytes")
    return raw.ljust(_UNIX_ADDRESS_BYTES, b"\0")


def _inet(
    family: int, source: Sockaddr, destination: Sockaddr
) -> tuple[int, bytes, bytes, int, int]:
    """(4 or 6, packed source, packed destination, source port, destination port)."""
    if not isinstance(source, tuple) or not isinstance(destination, tuple):
        raise HeaderError("IP socket addresses must be (host, port, ...) tuples")
    source_port, destination_port = _port(source[1]), _port(destination[1])
    if family == socket.AF_INET:
        src, dst = _packed(family, source[0]), _packed(family, destination[0])
        return 4, src, dst, source_port, destination_port
    src, dst = _packed(family, source[0]), _packed(family, destination[0])
    if src.startswith(_MAPPED_PREFIX) and dst.startswith(_MAPPED_PREFIX):
        return 4, src[12:], dst[12:], source_port, destination_port
    return 6, src, dst, source_port, destination_port


def header(
    version: int,
    family: int,
    source: Sockaddr,
    destination: Sockaddr,
    *,
    kind: int = socket.SOCK_STREAM,
) -> bytes:
    """The PROXY header for a connection from ``source`` to ``destination``.

    ``family`` and ``kind`` are the accepted socket's (``AF_INET``/``AF_INET6``/``AF_UNIX``,
    ``SOCK_STREAM``/``SOCK_SEQPACKET``); the addresses are as Python's ``accept()`` and
    ``getsockname()`` return them. Raises :class:`HeaderError` for anything else.
    """
    if version not in (1, 2):
        raise HeaderError(f"unknown PROXY protocol version {version!r}")
    if family in (socket.AF_INET, socket.AF_INET6):
        ip, src, dst, sport, dport = _inet(family, source, destination)
        if version == 1:
            if ip == 4:
                src_text, dst_text = socket.inet_ntoa(src), socket.inet_ntoa(dst)
            else:
                src_text, dst_text = format_ipv6(src), format_ipv6(dst)
            return f"PROXY TCP{ip} {src_text} {dst_text} {sport} {dport}\r\n".encode("ascii")
        block = src + dst + struct.pack("!HH", sport, dport)
        code = _V2_TCP4 if ip == 4 else _V2_TCP6
        return SIGNATURE_V2 + struct.pack("!BBH", _V2_PROXY, code, len(block)) + block
    if family == socket.AF_UNIX:
        if version == 1:
            return _V1_UNKNOWN
        if kind != socket.SOCK_STREAM:
            return SIGNATURE_V2 + struct.pack("!BBH", _V2_PROXY, _V2_UNSPEC, 0)
        block = _unix_bytes(source) + _unix_bytes(destination)
        return SIGNATURE_V2 + struct.pack("!BBH", _V2_PROXY, _V2_UNIX_STREAM, len(block)) + block
    raise HeaderError(f"no PROXY protocol encoding for address family {family}")


def header_for(version: int, client: socket.socket, peer: object = None) -> bytes:
    """The header for an accepted ``client`` socket (``peer``: what ``accept()`` returned).

    The destination is ``getsockname()`` of the accepted socket: the address the client
    actually reached, with the concrete IP even when the listener is bound to ``0.0.0.0``.
    """
    source = peer if isinstance(peer, tuple | str | bytes) else client.getpeername()
    return header(version, client.family, source, client.getsockname(), kind=client.type)

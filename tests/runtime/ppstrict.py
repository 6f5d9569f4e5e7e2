"""A strict PROXY protocol reader written from haproxy's ``doc/proxy-protocol.txt``.

Independent of ``mittnite.runtime.proxyproto`` (it shares no code with it) and stricter
than the ``proxy-protocol`` library the tests also use: it rejects everything the spec
says a receiver must reject (leading zeros, a lone CR or LF, dotted IPv6, a line longer
than 107 bytes, a v2 length that does not match its family, unknown commands).

``read(data)`` returns ``(Parsed, rest)``: the decoded header and the bytes after it.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

SIGNATURE = bytes([0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A])
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,4}")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,4}")


class Invalid(ValueError):
    """The bytes are not a valid PROXY header."""


@dataclass(frozen=True)
class Parsed:
    version: int
    family: str  # "TCP4", "TCP6", "UNIX", "UNKNOWN", "UNSPEC"
    source: str | bytes | None = None
    destination: str | bytes | None = None
    source_port: int | None = None
    destination_port: int | None = None


def _ipv4(text: str) -> str:
    parts = text.split(".")
    if len(parts) != 4 or not all(_DECIMAL.fullmatch(part) for part in parts):
        raise Invalid(f"bad IPv4 address {text!r}")
    if any(int(part) > 255 for part in parts):
        raise Invalid(f"IPv4 byte out of range in {text!r}")
    return text


def _ipv6(text: str) -> str:
    """Hex groups with at most one ``::``, 128 bits exactly; returns 8 groups as ints joined."""
    if text.count("::") > 1 or ":::" in text:
        raise Invalid(f"bad IPv6 address {text!r}")
    if "::" in text:
        head, tail = text.split("::")
        left = head.split(":") if head else []
        right = tail.split(":") if tail else []
        if len(left) + len(right) > 7:
            raise Invalid(f"'::' replaces nothing in {text!r}")
        groups = [*left, *(["0"] * (8 - len(left) - len(right))), *right]
    else:
        groups = text.split(":")
        if len(groups) != 8:
            raise Invalid(f"IPv6 address without 8 groups: {text!r}")
    for group in groups:
        if not _HEX_GROUP.fullmatch(group):
            raise Invalid(f"bad IPv6 group {group!r} in {text!r}")
    return ":".join(f"{int(group, 16):x}" for group in groups)


def _port(text: str) -> int:
    if not _DECIMAL.fullmatch(text) or int(text) > 65535:
        raise Invalid(f"bad port {text!r}")
    return int(text)


def read_v1(data: bytes) -> tuple[Parsed, bytes]:
    end = data.find(b"\r\n")
    if end < 0 or end + 2 > 107:
        raise Invalid("no CRLF within 107 bytes")
    line = data[:end]
    if b"\r" in line or b"\n" in line:
        raise Invalid("lone CR or LF in the header line")
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError as error:
        raise Invalid("not US-ASCII") from error
    if not text.startswith("PROXY "):
        raise Invalid("no 'PROXY ' prefix")
    fields = text[6:].split(" ")
    if fields[0] == "UNKNOWN":
        return Parsed(1, "UNKNOWN"), data[end + 2 :]
    if len(fields) != 5:
        raise Invalid(f"expected 5 fields after PROXY, got {len(fields)}")
    family, source, destination, sport, dport = fields
    if family == "TCP4":
        source, destination = _ipv4(source), _ipv4(destination)
    elif family == "TCP6":
        source, destination = _ipv6(source), _ipv6(destination)
    else:
        raise Invalid(f"unknown family {family!r}")
    parsed = Parsed(1, family, source, destination, _port(sport), _port(dport))
    return parsed, data[end + 2 :]


def read_v2(data: bytes) -> tuple[Parsed, bytes]:
    if len(data) < 16 or data[:12] != SIGNATURE:
        raise Invalid("no v2 signature")
    version_command, family_transport, length = struct.unpack("!BBH", data[12:16])
    if version_command >> 4 != 2:
        raise Invalid(f"version {version_command >> 4} in a v2 header")
    if version_command & 0x0F != 1:
        raise Invalid(f"command {version_command & 0x0F} (mittnite must send PROXY)")
    if len(data) < 16 + length:
        raise Invalid("partial header")
    block, rest = data[16 : 16 + length], data[16 + length :]
    if family_transport == 0x00:
        if length != 0:
            raise Invalid("UNSPEC with an address block")
        return Parsed(2, "UNSPEC"), rest
    sizes = {0x11: 12, 0x21: 36, 0x31: 216}
    if family_transport not in sizes:
        raise Invalid(f"family/transport 0x{family_transport:02x} not expected")
    if length != sizes[family_transport]:
        raise Invalid(f"length {length} for family 0x{family_transport:02x}")
    if family_transport == 0x11:
        src, dst, sport, dport = struct.unpack("!4s4sHH", block)
        return Parsed(2, "TCP4", ".".join(map(str, src)), ".".join(map(str, dst)), sport, dport), rest
    if family_transport == 0x21:
        src6, dst6, sport, dport = struct.unpack("!16s16sHH", block)
        source = ":".join(f"{g:x}" for g in struct.unpack("!8H", src6))
        destination = ":".join(f"{g:x}" for g in struct.unpack("!8H", dst6))
        return Parsed(2, "TCP6", source, destination, sport, dport), rest
    return Parsed(2, "UNIX", block[:108], block[108:]), rest


def read(data: bytes) -> tuple[Parsed, bytes]:
    """Either version, told apart as section 2.2 of the spec describes."""
    if len(data) >= 16 and data[:12] == SIGNATURE and data[12] >> 4 == 2:
        return read_v2(data)
    if data.startswith(b"PROXY"):
        return read_v1(data)
    raise Invalid("neither a v1 nor a v2 header")


def expand_ipv6(text: str) -> str:
    """Any IPv6 text as the 8 lower-case groups without leading zeros (for comparisons)."""
    import ipaddress

    packed = ipaddress.IPv6Address(text).packed
    return ":".join(f"{g:x}" for g in struct.unpack("!8H", packed))

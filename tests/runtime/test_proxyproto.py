"""PROXY protocol headers, checked against the spec's examples and two independent readers.

The readers: ``ppstrict`` (written from the spec for these tests, strict about every
rule) and the ``proxy-protocol`` library from PyPI (another implementation altogether).
"""

from __future__ import annotations

import ipaddress
import socket
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from proxyprotocol.result import (
    ProxyResultIPv4,
    ProxyResultIPv6,
    ProxyResultUnix,
    ProxyResultUnknown,
)
from proxyprotocol.v1 import ProxyProtocolV1
from proxyprotocol.v2 import ProxyProtocolV2

from mittnite.runtime.proxyproto import (
    SIGNATURE_V2,
    HeaderError,
    format_ipv6,
    header,
    parse_version,
)

from . import ppstrict

ports = st.integers(0, 65535)
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).filter(lambda a: a.ipv4_mapped is None).map(str)


def library(version: int, data: bytes) -> object:
    reader = ProxyProtocolV1() if version == 1 else ProxyProtocolV2()
    return reader.unpack(data)


def test_v1_matches_the_spec_example_byte_for_byte() -> None:
    line = header(1, socket.AF_INET, ("192.168.0.1", 56324), ("192.168.0.11", 443))
    assert line == b"PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"


def test_v2_ipv4_layout_byte_for_byte() -> None:
    data = header(2, socket.AF_INET, ("10.1.2.3", 4000), ("192.168.0.11", 443))
    assert data == (
        b"\r\n\r\n\x00\r\nQUIT\n"  # signature
        + b"\x21"  # version 2, PROXY
        + b"\x11"  # AF_INET, STREAM
        + b"\x00\x0c"  # 12 address bytes
        + bytes([10, 1, 2, 3, 192, 168, 0, 11])
        + struct.pack("!HH", 4000, 443)
    )


@given(ipv4, ipv4, ports, ports)
def test_tcp4_round_trips_through_both_readers(src: str, dst: str, sp: int, dp: int) -> None:
    for version in (1, 2):
        data = header(version, socket.AF_INET, (src, sp), (dst, dp))
        parsed, rest = ppstrict.read(data + b"GET")
        assert rest == b"GET"
        assert (parsed.version, parsed.family) == (version, "TCP4")
        assert (parsed.source, parsed.destination) == (src, dst)
        assert (parsed.source_port, parsed.destination_port) == (sp, dp)
        result = library(version, data)
        assert isinstance(result, ProxyResultIPv4)
        assert result.peername == (src, sp)
        assert result.sockname == (dst, dp)


@given(ipv6, ipv6, ports, ports)
def test_tcp6_round_trips_through_both_readers(src: str, dst: str, sp: int, dp: int) -> None:
    for version in (1, 2):
        data = header(version, socket.AF_INET6, (src, sp, 0, 0), (dst, dp, 0, 0))
        parsed, rest = ppstrict.read(data)
        assert rest == b""
        assert (parsed.version, parsed.family) == (version, "TCP6")
        assert parsed.source == ppstrict.expand_ipv6(src)
        assert parsed.destination == ppstrict.expand_ipv6(dst)
        assert (parsed.source_port, parsed.destination_port) == (sp, dp)
        result = library(version, data)
        assert isinstance(result, ProxyResultIPv6)
        assert ipaddress.IPv6Address(result.peername[0]) == ipaddress.IPv6Address(src)
        assert ipaddress.IPv6Address(result.sockname[0]) == ipaddress.IPv6Address(dst)
        assert (result.peername[1], result.sockname[1]) == (sp, dp)


@given(st.binary(min_size=16, max_size=16))
def test_ipv6_text_is_hex_groups_with_the_longest_zero_run_compressed(packed: bytes) -> None:
    text = format_ipv6(packed)
    assert "." not in text  # never the dotted form, even for mapped/compatible addresses
    assert ipaddress.IPv6Address(text).packed == packed
    assert ppstrict.expand_ipv6(text) == ppstrict._ipv6(text)
    groups = struct.unpack("!8H", packed)
    runs = [j - i for i in range(8) for j in range(i + 1, 9) if not any(groups[i:j])]
    longest = max(runs, default=0)
    if longest >= 2:
        head, _, tail = text.partition("::")
        written = [group for group in (*head.split(":"), *tail.split(":")) if group]
        assert len(written) == 8 - longest  # exactly the longest zero run is left out
    else:
        assert "::" not in text and text.count(":") == 7


def test_ipv6_text_examples() -> None:
    def text(address: str) -> str:
        return format_ipv6(ipaddress.IPv6Address(address).packed)

    assert text("::") == "::"
    assert text("::1") == "::1"
    assert text("2001:db8::1") == "2001:db8::1"
    assert text("2001:db8:0:1:0:0:0:1") == "2001:db8:0:1::1"  # the longer run wins
    assert text("2001:0:0:1:0:0:2:3") == "2001::1:0:0:2:3"  # the first of equal runs
    assert text("2001:db8:1:1:1:1:0:1") == "2001:db8:1:1:1:1:0:1"  # one zero group stays
    assert text("::ffff:1.2.3.4") == "::ffff:102:304"


def test_mapped_addresses_on_a_dual_stack_socket_are_sent_as_tcp4() -> None:
    src = ("::ffff:203.0.113.9", 5000, 0, 0)
    dst = ("::ffff:127.0.0.1", 8080, 0, 0)
    assert header(1, socket.AF_INET6, src, dst) == b"PROXY TCP4 203.0.113.9 127.0.0.1 5000 8080\r\n"
    parsed, _ = ppstrict.read(header(2, socket.AF_INET6, src, dst))
    assert (parsed.family, parsed.source, parsed.destination) == ("TCP4", "203.0.113.9", "127.0.0.1")


def test_one_mapped_end_alone_stays_tcp6() -> None:
    data = header(1, socket.AF_INET6, ("::ffff:1.2.3.4", 1, 0, 0), ("2001:db8::1", 2, 0, 0))
    assert data == b"PROXY TCP6 ::ffff:102:304 2001:db8::1 1 2\r\n"
    ppstrict.read(data)


def test_unix_v1_is_the_short_unknown_form() -> None:
    data = header(1, socket.AF_UNIX, "", "/run/app.sock")
    assert data == b"PROXY UNKNOWN\r\n"
    assert ppstrict.read(data)[0].family == "UNKNOWN"
    assert isinstance(library(1, data), ProxyResultUnknown)


def test_unix_v2_carries_both_names_padded_to_108_bytes() -> None:
    data = header(2, socket.AF_UNIX, "", "/run/app.sock")
    assert len(data) == 16 + 216
    assert data[12:16] == b"\x21\x31\x00\xd8"
    parsed, rest = ppstrict.read(data + b"x")
    assert rest == b"x"
    assert parsed.source == b"\0" * 108  # an unnamed client
    assert parsed.destination == b"/run/app.sock".ljust(108, b"\0")
    result = library(2, data)
    assert isinstance(result, ProxyResultUnix)
    assert result.sockname == "/run/app.sock"


def test_unix_v2_abstract_names_keep_their_leading_nul() -> None:
    data = header(2, socket.AF_UNIX, b"\0client", b"\0server")
    parsed, _ = ppstrict.read(data)
    assert parsed.source == b"\0client".ljust(108, b"\0")
    assert parsed.destination == b"\0server".ljust(108, b"\0")


def test_unix_seqpacket_v2_is_unspec_without_addresses() -> None:
    data = header(2, socket.AF_UNIX, "", "/p", kind=socket.SOCK_SEQPACKET)
    assert data == SIGNATURE_V2 + b"\x21\x00\x00\x00"
    assert ppstrict.read(data)[0].family == "UNSPEC"


def test_worst_case_lengths_fit_the_spec_limits() -> None:
    full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
    line = header(1, socket.AF_INET6, (full, 65535, 0, 0), (full, 65535, 0, 0))
    assert len(line) == 104  # the spec's TCP6 maximum
    v4 = header(1, socket.AF_INET, ("255.255.255.255", 65535), ("255.255.255.255", 65535))
    assert len(v4) == 56
    assert len(header(2, socket.AF_UNIX, "/" + "a" * 107, "/" + "b" * 107)) == 232


def test_scope_ids_are_dropped_from_link_local_addresses() -> None:
    data = header(1, socket.AF_INET6, ("fe80::1%eth0", 1, 0, 2), ("fe80::2%eth0", 2, 0, 2))
    assert data == b"PROXY TCP6 fe80::1 fe80::2 1 2\r\n"


@pytest.mark.parametrize(
    ("version", "family", "source", "destination"),
    [
        (3, socket.AF_INET, ("1.2.3.4", 1), ("1.2.3.4", 2)),
        (1, socket.AF_INET, ("1.2.3", 1), ("1.2.3.4", 2)),
        (2, socket.AF_INET, ("1.2.3.4", 70000), ("1.2.3.4", 2)),
        (2, socket.AF_INET6, "not-a-tuple", ("::1", 2, 0, 0)),
        (2, socket.AF_UNIX, "/" + "x" * 108, "/p"),
        (1, socket.AF_PACKET, ("eth0", 0), ("eth0", 0)),
    ],
)
def test_impossible_addresses_raise_header_error(
    version: int, family: int, source: object, destination: object
) -> None:
    with pytest.raises(HeaderError):
        header(version, family, source, destination)  # type: ignore[arg-type]


def test_configuration_spellings() -> None:
    assert (parse_version("v1"), parse_version("v2")) == (1, 2)
    with pytest.raises(ValueError, match='"v1" or "v2"'):
        parse_version("2")

"""The forwarder's ``proxy_protocol`` option with real processes: a Python upstream that
reads the header with the ``proxy-protocol`` library, and a real nginx (Debian's
``nginx-light``) listening with ``proxy_protocol`` and answering
``$proxy_protocol_addr:$proxy_protocol_port``.

Without nginx these tests skip, except under CI=true where they fail: CI installs it.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mittnite.config.addresses import parse_address
from mittnite.runtime.forward import Forwarder

from ..lazy.helpers import RecordingLogger, connect, free_port, ipv6_available, read_all, run
from .nginx import nginx_binary, nginx_conf

UPSTREAM = str(Path(__file__).with_name("pp_upstream.py"))


class Upstream:
    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().split()
        self.proc.stdout.close()
        assert line[0] == "listening", line
        self.address = line[1]

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def tcp_upstream() -> Iterator[Upstream]:
    upstream = Upstream([sys.executable, UPSTREAM, "tcp", "127.0.0.1:0"])
    yield upstream
    upstream.stop()


def forwarder(
    listen: str, forward: str, version: int, *, listen_protocol: str = "tcp", **kw: object
) -> Forwarder:
    front = Forwarder(
        parse_address(listen, listen_protocol),
        parse_address(forward, "unix" if forward.startswith("/") else "tcp"),
        logger=RecordingLogger(),
        spin_up_timeout=30.0,
        timeout_error="job test did not start after 30s",
        **kw,  # type: ignore[arg-type]
    )
    front.send_proxy_header(version)
    return front


async def ask(client: socket.socket, payload: bytes = b"hello\n") -> dict[str, object]:
    """Send at once (before the upstream connection even exists) and read the report."""
    loop = asyncio.get_running_loop()
    await loop.sock_sendall(client, payload)
    answer = await read_all(client)
    client.close()
    report: dict[str, object] = json.loads(answer)
    return report


@pytest.mark.parametrize("version", [1, 2])
def test_tcp4_client_address_reaches_the_upstream(tcp_upstream: Upstream, version: int) -> None:
    async def scenario() -> None:
        front = forwarder("127.0.0.1:0", tcp_upstream.address, version)
        front.open()
        try:
            client = await connect(front.address)
            me = client.getsockname()
            report = await ask(client)
            assert report["type"] == "IPv4"
            assert report["source"] == [me[0], me[1]]
            assert report["dest"] == ["127.0.0.1", int(front.address.rpartition(":")[2])]
            assert report["first"] == "hello\n"  # the client's bytes follow the header
        finally:
            await front.close()

    run(scenario())


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 on this host")
@pytest.mark.parametrize("version", [1, 2])
def test_dual_stack_listener_reports_ipv4_clients_as_tcp4_and_ipv6_as_tcp6(
    tcp_upstream: Upstream, version: int
) -> None:
    async def scenario() -> None:
        front = forwarder(":0", tcp_upstream.address, version)  # "[::]:port", dual stack
        front.open()
        port = int(front.address.rpartition(":")[2])
        try:
            v4 = await connect(f"127.0.0.1:{port}")
            me4 = v4.getsockname()
            report = await ask(v4)
            assert (report["type"], report["source"]) == ("IPv4", [me4[0], me4[1]])
            assert report["dest"] == ["127.0.0.1", port]
            v6 = await connect(f"[::1]:{port}")
            me6 = v6.getsockname()
            report = await ask(v6)
            assert report["type"] == "IPv6"
            assert report["source"] == ["::1", me6[1], 0, 0]  # the library's sockaddr
            assert report["dest"] == ["::1", port, 0, 0]
        finally:
            await front.close()

    run(scenario())


def test_unix_listener_v2_names_the_socket_and_v1_says_unknown(tcp_upstream: Upstream) -> None:
    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "front.sock")
            for version, expected in ((2, "Unix"), (1, "Unknown")):
                front = forwarder(path, tcp_upstream.address, version, listen_protocol="unix")
                front.open()
                try:
                    report = await ask(await connect(path, unix=True))
                finally:
                    await front.close()
                assert report["type"] == expected
                assert report["first"] == "hello\n"
                if version == 2:
                    assert (report["source"], report["dest"]) == ("", path)

    run(scenario())


def test_header_precedes_bytes_sent_while_the_upstream_was_still_starting() -> None:
    """The client writes before any upstream exists; the header still comes first."""

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "late.sock")
            started: list[Upstream] = []

            async def start_late() -> None:
                if not started:
                    await asyncio.sleep(0.3)
                    started.append(Upstream([sys.executable, UPSTREAM, "unix", path]))

            front = forwarder("127.0.0.1:0", path, 2, ensure_upstream=start_late)
            front.open()
            try:
                client = await connect(front.address)
                me = client.getsockname()
                report = await ask(client, b"early bytes\n")
                assert report["source"] == [me[0], me[1]]
                assert report["first"] == "early bytes\n"
            finally:
                await front.close()
                for upstream in started:
                    upstream.stop()

    run(scenario())


# ---- a real nginx upstream -------------------------------------------------------------------


class Nginx:
    """nginx in the foreground, one process, answering with the PROXY header's client."""

    def __init__(self, binary: str, directory: str) -> None:
        self.port = free_port()
        self.unix_path = os.path.join(directory, "nginx.sock")
        conf = os.path.join(directory, "nginx.conf")
        with open(conf, "w") as handle:
            handle.write(nginx_conf(directory, f"127.0.0.1:{self.port}", f"unix:{self.unix_path}"))
        self.proc = subprocess.Popen(
            [binary, "-p", directory, "-c", conf, "-e", "stderr"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=5).close()
                break
            except OSError as error:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    assert self.proc.stderr is not None
                    stderr = self.proc.stderr.read()
                    raise RuntimeError(f"nginx did not start: {stderr!r}") from error
                time.sleep(0.02)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        assert self.proc.stderr is not None
        self.proc.stderr.close()


@pytest.fixture(scope="module")
def nginx() -> Iterator[Nginx]:
    binary = nginx_binary()
    with tempfile.TemporaryDirectory() as directory:
        server = Nginx(binary, directory)
        yield server
        server.stop()


async def http_get(client: socket.socket) -> bytes:
    loop = asyncio.get_running_loop()
    await loop.sock_sendall(client, b"GET / HTTP/1.0\r\nHost: test\r\n\r\n")
    answer = await read_all(client)
    client.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    return body


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("upstream_kind", ["tcp", "unix"])
def test_nginx_sees_the_client_address(nginx: Nginx, version: int, upstream_kind: str) -> None:
    target = f"127.0.0.1:{nginx.port}" if upstream_kind == "tcp" else nginx.unix_path

    async def scenario() -> None:
        front = forwarder("127.0.0.1:0", target, version)
        front.open()
        try:
            client = await connect(front.address)
            host, port = client.getsockname()
            assert await http_get(client) == f"[{host}]:[{port}]".encode()
        finally:
            await front.close()

    run(scenario())


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 on this host")
@pytest.mark.parametrize("version", [1, 2])
def test_nginx_sees_an_ipv6_client(nginx: Nginx, version: int) -> None:
    async def scenario() -> None:
        front = forwarder("[::1]:0", f"127.0.0.1:{nginx.port}", version)
        front.open()
        try:
            client = await connect(front.address)
            port = client.getsockname()[1]
            assert await http_get(client) == f"[::1]:[{port}]".encode()
        finally:
            await front.close()

    run(scenario())


@pytest.mark.parametrize("version", [1, 2])
def test_nginx_accepts_headers_of_unix_clients(nginx: Nginx, version: int) -> None:
    """v1 ``UNKNOWN`` and v2 ``AF_UNIX`` are both valid to nginx (it shows no address)."""

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "front.sock")
            front = forwarder(path, f"127.0.0.1:{nginx.port}", version, listen_protocol="unix")
            front.open()
            try:
                assert await http_get(await connect(path, unix=True)) == b"[]:[]"
            finally:
                await front.close()

    run(scenario())


def test_only_versions_1_and_2_or_none() -> None:
    front = Forwarder(
        parse_address("127.0.0.1:0"),
        parse_address("127.0.0.1:1"),
        logger=RecordingLogger(),
        spin_up_timeout=1.0,
        timeout_error="",
    )
    assert front.proxy_protocol == 0  # by default nothing is prepended
    with pytest.raises(ValueError, match="0, 1 or 2"):
        front.send_proxy_header(3)
    front.send_proxy_header(2)
    assert front.proxy_protocol == 2

"""Activity of listening sockets from the kernel's tables, with real sockets.

Every scenario runs twice, through netlink (sock_diag) and through /proc, and both must
count the same: queued connections (``pending``) and accepted ones still open (``held``).
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterator

import pytest

from mittnite.runtime.sockdiag import Activity, ListenerDiag, netlink_available

from ..lazy.helpers import ipv6_available

SETTLE = 10.0  # generous bound for the kernel to show a state change (only catches hangs)

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="no /proc/net")


@pytest.fixture(params=["netlink", "proc"])
def via(request: pytest.FixtureRequest) -> bool:
    if request.param == "netlink" and not netlink_available():
        pytest.skip("NETLINK_SOCK_DIAG is not available here")
    return bool(request.param == "netlink")


class Endpoint:
    """A listening socket and a way to connect clients to it."""

    def __init__(self, family: int, address: object, client_target: object) -> None:
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind(address)  # type: ignore[arg-type]
        self.listener.listen(16)
        self.target = client_target
        if isinstance(client_target, tuple) and client_target[1] == 0:
            self.target = (client_target[0], self.listener.getsockname()[1])
        self.client_family = (
            socket.AF_UNIX
            if family == socket.AF_UNIX
            else (socket.AF_INET6 if ":" in str(self.target[0]) else socket.AF_INET)  # type: ignore[index]
        )
        self.clients: list[socket.socket] = []
        self.accepted: list[socket.socket] = []

    def connect(self) -> socket.socket:
        client = socket.socket(self.client_family, socket.SOCK_STREAM)
        client.connect(self.target)  # type: ignore[arg-type]
        self.clients.append(client)
        return client

    def accept(self) -> socket.socket:
        server_side, _ = self.listener.accept()
        self.accepted.append(server_side)
        return server_side

    def close(self) -> None:
        for sock in (*self.clients, *self.accepted, self.listener):
            sock.close()


def endpoints() -> Iterator[tuple[str, Callable[[str], Endpoint]]]:
    yield "tcp4", lambda _d: Endpoint(socket.AF_INET, ("127.0.0.1", 0), ("127.0.0.1", 0))
    yield "tcp4-any", lambda _d: Endpoint(socket.AF_INET, ("0.0.0.0", 0), ("127.0.0.1", 0))
    if ipv6_available():
        yield "tcp6", lambda _d: Endpoint(socket.AF_INET6, ("::1", 0), ("::1", 0))
        yield "dual-stack", lambda _d: Endpoint(socket.AF_INET6, ("::", 0), ("127.0.0.1", 0))
    yield "unix", lambda d: Endpoint(socket.AF_UNIX, f"{d}/l.sock", f"{d}/l.sock")
    name = f"\0mittnite-diag-{os.getpid()}"
    yield "abstract", lambda _d: Endpoint(socket.AF_UNIX, name, name)


ENDPOINTS = dict(endpoints())


def settled(diag: ListenerDiag, expected: Activity) -> Activity:
    """Sample until ``expected`` shows (closing is asynchronous in the kernel)."""
    deadline = time.monotonic() + SETTLE
    while True:
        found = diag.sample()
        if found == expected or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


@pytest.mark.parametrize("kind", list(ENDPOINTS))
def test_pending_then_held_then_nothing(kind: str, via: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        endpoint = ENDPOINTS[kind](directory)
        try:
            diag = ListenerDiag(endpoint.listener, use_netlink=via)
            assert diag.sample() == Activity(0, 0)
            for _ in range(3):
                endpoint.connect()
            assert settled(diag, Activity(3, 0)) == Activity(3, 0)
            endpoint.accept()
            endpoint.accept()
            assert settled(diag, Activity(1, 2)) == Activity(1, 2)
            endpoint.clients[0].close()  # the client leaves; the job still holds its side
            assert settled(diag, Activity(1, 2)) == Activity(1, 2)
            endpoint.accepted[0].close()
            assert settled(diag, Activity(1, 1)) == Activity(1, 1)
            endpoint.accept().close()
            endpoint.accepted[1].close()
            assert settled(diag, Activity(0, 0)) == Activity(0, 0)
            assert diag.use_netlink == via  # no silent fallback happened
        finally:
            endpoint.close()


def test_connections_of_another_listener_on_the_same_port_do_not_count(via: bool) -> None:
    first = Endpoint(socket.AF_INET, ("127.0.0.1", 0), ("127.0.0.1", 0))
    port = first.listener.getsockname()[1]
    try:
        second = Endpoint(socket.AF_INET, ("127.0.0.2", port), ("127.0.0.2", port))
    except OSError:
        first.close()
        pytest.skip("127.0.0.2 is not usable here")
    try:
        second.connect()
        second.accept()
        second.connect()
        diag = ListenerDiag(first.listener, use_netlink=via)
        other = ListenerDiag(second.listener, use_netlink=via)
        assert settled(other, Activity(1, 1)) == Activity(1, 1)
        assert diag.sample() == Activity(0, 0)
        first.connect()
        first.accept()
        assert settled(diag, Activity(0, 1)) == Activity(0, 1)
    finally:
        first.close()
        second.close()


def test_outgoing_connections_of_the_job_do_not_count(via: bool) -> None:
    """A client socket's local port is not the listener's: only accepted sockets count."""
    job_side = Endpoint(socket.AF_INET, ("127.0.0.1", 0), ("127.0.0.1", 0))
    elsewhere = Endpoint(socket.AF_INET, ("127.0.0.1", 0), ("127.0.0.1", 0))
    try:
        elsewhere.connect()
        elsewhere.accept()
        diag = ListenerDiag(job_side.listener, use_netlink=via)
        assert diag.sample() == Activity(0, 0)
    finally:
        job_side.close()
        elsewhere.close()


def test_activity_arithmetic() -> None:
    assert Activity(0, 0).idle
    assert not Activity(1, 0).idle and not Activity(0, 1).idle
    assert Activity(1, 2) + Activity(3, 4) == Activity(4, 6)

"""The layer-4 forwarder with real sockets: bytes, half-closes, failures, descriptors."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import socket
import struct
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from mittnite.config.addresses import parse_address
from mittnite.runtime.forward import Forwarder
from mittnite.runtime.listen import ListenError

from .helpers import (
    RecordingLogger,
    connect,
    fd_count,
    fds_back_to,
    free_port,
    ipv6_available,
    raise_fd_limit,
    read_all,
    run,
    start_upstream,
)


class Hooks:
    """Counts the forwarder's connection hooks."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0

    def open(self) -> None:
        self.opened += 1

    def close(self) -> None:
        self.closed += 1


def make_forwarder(
    listen: str,
    forward: str,
    *,
    listen_protocol: str = "tcp",
    forward_protocol: str = "tcp",
    spin_up: float = 10.0,
    hooks: Hooks | None = None,
    logger: RecordingLogger | None = None,
    use_splice: bool = False,
    ensure: Callable[[], Awaitable[None]] | None = None,
) -> Forwarder:
    hooks = hooks or Hooks()
    return Forwarder(
        parse_address(listen, listen_protocol),
        parse_address(forward, forward_protocol),
        logger=logger or RecordingLogger(),
        spin_up_timeout=spin_up,
        timeout_error=f"job test did not start after {spin_up}s",
        ensure_upstream=ensure,
        on_connection_opened=hooks.open,
        on_connection_closed=hooks.close,
        use_splice=use_splice,
    )


class Server:
    """An in-process TCP/unix server running ``handler`` for each connection."""

    def __init__(
        self, handler: Callable[[socket.socket], Awaitable[None]], unix_path: str | None = None
    ) -> None:
        self.handler = handler
        if unix_path is None:
            self.sock = socket.socket()
            self.sock.bind(("127.0.0.1", 0))
            self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        else:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.bind(unix_path)
            self.address = unix_path
        self.sock.listen(4096)
        self.sock.setblocking(False)
        self.tasks: set[asyncio.Task[None]] = set()
        self.accepter = asyncio.get_running_loop().create_task(self._accept())

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _ = await loop.sock_accept(self.sock)
            client.setblocking(False)
            task = loop.create_task(self._run(client))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _run(self, client: socket.socket) -> None:
        try:
            await self.handler(client)
        finally:
            client.close()

    async def close(self) -> None:
        self.accepter.cancel()
        for task in tuple(self.tasks):
            task.cancel()
        await asyncio.gather(self.accepter, *self.tasks, return_exceptions=True)
        self.sock.close()


async def echo_handler(client: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    buffer = bytearray(1 << 16)
    while True:
        count = await loop.sock_recv_into(client, buffer)
        if not count:
            client.shutdown(socket.SHUT_WR)
            return
        await loop.sock_sendall(client, memoryview(buffer)[:count])


async def transfer_and_verify(sock: socket.socket, total: int) -> None:
    """Send ``total`` pseudo-random bytes, read the echo concurrently, compare digests."""
    loop = asyncio.get_running_loop()
    block = os.urandom(1 << 20)
    sent_hash = hashlib.sha256()
    received_hash = hashlib.sha256()

    async def send() -> None:
        remaining = total
        index = 0
        while remaining:
            piece = struct.pack("!Q", index) + block[8 : min(len(block), remaining)]
            piece = piece[:remaining]
            sent_hash.update(piece)
            await loop.sock_sendall(sock, piece)
            remaining -= len(piece)
            index += 1
        sock.shutdown(socket.SHUT_WR)

    async def receive() -> int:
        buffer = bytearray(1 << 20)
        got = 0
        while True:
            count = await loop.sock_recv_into(sock, buffer)
            if not count:
                return got
            received_hash.update(memoryview(buffer)[:count])
            got += count

    _, got = await asyncio.gather(send(), receive())
    assert got == total
    assert received_hash.hexdigest() == sent_hash.hexdigest()


# ---- bytes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("use_splice", "megabytes"), [(False, 100), (True, 100)])
def test_echo_100_megabytes_byte_exact(use_splice: bool, megabytes: int) -> None:
    async def scenario() -> None:
        upstream = await start_upstream()
        baseline = fd_count()
        try:
            hooks = Hooks()
            forwarder = make_forwarder(
                "127.0.0.1:0", upstream.address, hooks=hooks, use_splice=use_splice
            )
            forwarder.open()
            client = await connect(forwarder.address)
            try:
                await transfer_and_verify(client, megabytes << 20)
            finally:
                client.close()
            assert await fds_back_to(baseline + 1) == baseline + 1  # + the listening socket
            assert (hooks.opened, hooks.closed) == (1, 1)
            await forwarder.close()
            assert await fds_back_to(baseline) == baseline
        finally:
            upstream.stop()

    run(scenario())


def test_many_small_connections_in_sequence_keep_no_descriptors() -> None:
    async def scenario() -> None:
        server = Server(echo_handler)
        baseline = fd_count()
        hooks = Hooks()
        forwarder = make_forwarder("127.0.0.1:0", server.address, hooks=hooks)
        forwarder.open()
        for index in range(200):
            client = await connect(forwarder.address)
            loop = asyncio.get_running_loop()
            await loop.sock_sendall(client, b"ping %d" % index)
            client.shutdown(socket.SHUT_WR)
            assert await read_all(client) == b"ping %d" % index
            client.close()
        assert await fds_back_to(baseline + 1) == baseline + 1
        assert hooks.opened == hooks.closed == 200
        await forwarder.close()
        await server.close()

    run(scenario())


def test_thousand_concurrent_connections() -> None:
    raise_fd_limit(8192)

    async def scenario() -> None:
        upstream = await start_upstream()
        try:
            baseline = fd_count()
            hooks = Hooks()
            forwarder = make_forwarder("127.0.0.1:0", upstream.address, hooks=hooks)
            forwarder.open()
            loop = asyncio.get_running_loop()
            clients = await asyncio.gather(*(connect(forwarder.address) for _ in range(1000)))
            # All are open at the same time before any of them talks.
            assert await _wait(lambda: forwarder.active == 1000)
            assert hooks.opened == 1000

            async def talk(index: int, sock: socket.socket) -> bytes:
                message = b"hello from %d|" % index * 50
                await loop.sock_sendall(sock, message)
                sock.shutdown(socket.SHUT_WR)
                return await read_all(sock)

            answers = await asyncio.gather(*(talk(i, s) for i, s in enumerate(clients)))
            for index, answer in enumerate(answers):
                assert answer == b"hello from %d|" % index * 50
            for sock in clients:
                sock.close()
            assert await _wait(lambda: hooks.closed == 1000)
            assert await fds_back_to(baseline + 1) == baseline + 1
            await forwarder.close()
            assert await fds_back_to(baseline) == baseline
        finally:
            upstream.stop()

    run(scenario())


async def _wait(check: Callable[[], bool], timeout: float = 60.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


# ---- half-close -------------------------------------------------------------------------------


def test_client_half_close_reaches_upstream_and_answer_still_flows() -> None:
    """Client: send request, SHUT_WR. Upstream reads to EOF, then answers and closes."""

    async def handler(client: socket.socket) -> None:
        request = await read_all(client)
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(client, b"got %d bytes: " % len(request) + request[:10])
        client.shutdown(socket.SHUT_WR)

    async def scenario() -> None:
        server = Server(handler)
        forwarder = make_forwarder("127.0.0.1:0", server.address)
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        await loop.sock_sendall(client, b"0123456789" * 1000)
        client.shutdown(socket.SHUT_WR)
        assert await read_all(client) == b"got 10000 bytes: 0123456789"
        client.close()
        await forwarder.close()
        await server.close()

    run(scenario())


def test_upstream_half_close_reaches_client_and_client_can_still_send() -> None:
    """Upstream: greet, SHUT_WR, then read what the client sends after seeing EOF."""
    received: list[bytes] = []

    async def handler(client: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(client, b"hello, then EOF")
        client.shutdown(socket.SHUT_WR)
        received.append(await read_all(client))

    async def scenario() -> None:
        server = Server(handler)
        hooks = Hooks()
        forwarder = make_forwarder("127.0.0.1:0", server.address, hooks=hooks)
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        assert await read_all(client) == b"hello, then EOF"  # EOF arrived, socket still open
        await loop.sock_sendall(client, b"late words " * 10000)
        client.shutdown(socket.SHUT_WR)
        assert await _wait(lambda: len(received) == 1)
        assert received[0] == b"late words " * 10000
        client.close()
        assert await _wait(lambda: hooks.closed == 1)
        await forwarder.close()
        await server.close()

    run(scenario())


# ---- failures ---------------------------------------------------------------------------------


def test_refusing_upstream_holds_then_closes_client_after_deadline() -> None:
    async def scenario() -> None:
        baseline = fd_count()
        logger = RecordingLogger()
        hooks = Hooks()
        dead_port = free_port()
        forwarder = make_forwarder(
            "127.0.0.1:0", f"127.0.0.1:{dead_port}", spin_up=0.4, hooks=hooks, logger=logger
        )
        forwarder.open()
        loop = asyncio.get_running_loop()
        started = loop.time()
        client = await connect(forwarder.address)
        await loop.sock_sendall(client, b"anyone there?")
        assert await read_all(client) == b""  # closed (EOF or reset), never answered
        held = loop.time() - started
        assert held >= 0.35  # held until the deadline, not refused at once
        client.close()
        assert await _wait(lambda: hooks.closed == 1)
        errors = logger.find("error while dialling upstream")
        assert errors == [{"error": "job test did not start after 0.4s"}]
        await forwarder.close()
        assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_upstream_dying_mid_stream_ends_the_client_connection() -> None:
    async def scenario() -> None:
        upstream = await start_upstream()
        baseline = fd_count()
        hooks = Hooks()
        forwarder = make_forwarder("127.0.0.1:0", upstream.address, hooks=hooks)
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        try:
            await loop.sock_sendall(client, b"x" * 100_000)
            echoed = 0
            while echoed < 100_000:
                echoed += len(await loop.sock_recv(client, 1 << 16))
            upstream.proc.send_signal(signal.SIGKILL)

            async def keep_sending() -> None:
                # The stream broke: writes must start failing (reset) or reads see EOF.
                with_error = False
                try:
                    for _ in range(2000):
                        await loop.sock_sendall(client, b"y" * 65536)
                        await asyncio.sleep(0.001)
                except OSError:
                    with_error = True
                assert with_error

            await asyncio.wait_for(keep_sending(), 60)
        finally:
            client.close()
            upstream.stop()
        assert await _wait(lambda: hooks.closed == 1)
        assert await fds_back_to(baseline + 1) == baseline + 1
        await forwarder.close()
        assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_client_vanishing_mid_stream_closes_the_upstream_side() -> None:
    upstream_saw: list[str] = []

    async def handler(client: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                await loop.sock_sendall(client, b"z" * 65536)  # stream forever
        except OSError as error:
            upstream_saw.append(type(error).__name__)

    async def scenario() -> None:
        server = Server(handler)
        baseline = fd_count()
        hooks = Hooks()
        forwarder = make_forwarder("127.0.0.1:0", server.address, hooks=hooks)
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        await loop.sock_recv(client, 1000)  # data flows
        # Vanish abruptly: a reset, as when a client process is killed with data unread.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        assert await _wait(lambda: hooks.closed == 1)
        assert await _wait(lambda: len(upstream_saw) == 1)
        assert upstream_saw[0] in ("ConnectionResetError", "BrokenPipeError")
        assert await fds_back_to(baseline + 1) == baseline + 1
        await forwarder.close()
        await server.close()

    run(scenario())


def test_close_while_connections_wait_for_the_upstream_releases_everything() -> None:
    """Cancellation: clients held in ensure_upstream are closed and reported on close()."""

    async def scenario() -> None:
        baseline = fd_count()
        hooks = Hooks()
        never = asyncio.Event()

        async def ensure() -> None:
            await never.wait()

        forwarder = make_forwarder(
            "127.0.0.1:0", f"127.0.0.1:{free_port()}", hooks=hooks, ensure=ensure
        )
        forwarder.open()
        clients = [await connect(forwarder.address) for _ in range(5)]
        assert await _wait(lambda: hooks.opened == 5)
        await forwarder.close()
        assert hooks.closed == 5
        for client in clients:
            assert await read_all(client) == b""
            client.close()
        assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_close_ends_established_connections() -> None:
    async def scenario() -> None:
        server = Server(echo_handler)
        baseline = fd_count()
        hooks = Hooks()
        forwarder = make_forwarder("127.0.0.1:0", server.address, hooks=hooks)
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        await loop.sock_sendall(client, b"ping")
        assert await loop.sock_recv(client, 10) == b"ping"
        await forwarder.close()
        assert hooks.closed == 1
        assert await read_all(client) == b""
        client.close()
        assert await fds_back_to(baseline) == baseline
        await server.close()

    run(scenario())


def test_ensure_upstream_failure_closes_client_with_logged_error() -> None:
    async def scenario() -> None:
        logger = RecordingLogger()
        hooks = Hooks()

        async def ensure() -> None:
            raise RuntimeError("fork/exec /nope: no such file or directory")

        forwarder = make_forwarder(
            "127.0.0.1:0", f"127.0.0.1:{free_port()}", hooks=hooks, logger=logger, ensure=ensure
        )
        forwarder.open()
        client = await connect(forwarder.address)
        assert await read_all(client) == b""
        client.close()
        assert await _wait(lambda: hooks.closed == 1)
        assert logger.find("error while dialling upstream") == [
            {"error": "fork/exec /nope: no such file or directory"}
        ]
        await forwarder.close()

    run(scenario())


# ---- unix sockets and address forms ------------------------------------------------------------


@pytest.mark.parametrize("use_splice", [False, True])
def test_unix_listen_and_unix_forward(tmp_path: Path, use_splice: bool) -> None:
    async def scenario() -> None:
        server = Server(echo_handler, unix_path=str(tmp_path / "upstream.sock"))
        baseline = fd_count()
        listen_path = str(tmp_path / "front.sock")
        hooks = Hooks()
        forwarder = make_forwarder(
            listen_path,
            server.address,
            listen_protocol="unix",
            forward_protocol="unix",
            hooks=hooks,
            use_splice=use_splice,
        )
        forwarder.open()
        client = await connect(listen_path, unix=True)
        try:
            await transfer_and_verify(client, 8 << 20)
        finally:
            client.close()
        assert await _wait(lambda: hooks.closed == 1)
        await forwarder.close()
        assert not os.path.exists(listen_path)  # the socket file is removed on close
        assert await fds_back_to(baseline) == baseline
        await server.close()

    run(scenario())


def test_unix_half_close_is_passed_on(tmp_path: Path) -> None:
    async def handler(client: socket.socket) -> None:
        request = await read_all(client)
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(client, request.upper())

    async def scenario() -> None:
        server = Server(handler, unix_path=str(tmp_path / "up.sock"))
        forwarder = make_forwarder(
            str(tmp_path / "front.sock"),
            server.address,
            listen_protocol="unix",
            forward_protocol="unix",
        )
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(str(tmp_path / "front.sock"), unix=True)
        await loop.sock_sendall(client, b"shout this")
        client.shutdown(socket.SHUT_WR)
        assert await read_all(client) == b"SHOUT THIS"
        client.close()
        await forwarder.close()
        await server.close()

    run(scenario())


def test_tcp_listen_forwarding_to_unix_upstream(tmp_path: Path) -> None:
    async def scenario() -> None:
        server = Server(echo_handler, unix_path=str(tmp_path / "up.sock"))
        forwarder = make_forwarder("127.0.0.1:0", server.address, forward_protocol="unix")
        forwarder.open()
        client = await connect(forwarder.address)
        await transfer_and_verify(client, 1 << 20)
        client.close()
        await forwarder.close()
        await server.close()

    run(scenario())


def test_stale_unix_socket_file_is_replaced(tmp_path: Path) -> None:
    path = str(tmp_path / "stale.sock")
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(path)
    crashed.close()  # the file stays behind, nobody accepts on it
    assert os.path.exists(path)

    async def scenario() -> None:
        server = Server(echo_handler)
        forwarder = make_forwarder(path, server.address, listen_protocol="unix")
        forwarder.open()
        loop = asyncio.get_running_loop()
        client = await connect(path, unix=True)
        await loop.sock_sendall(client, b"fresh")
        client.shutdown(socket.SHUT_WR)
        assert await read_all(client) == b"fresh"
        client.close()
        await forwarder.close()
        await server.close()
        assert not os.path.exists(path)

    run(scenario())


def test_live_unix_socket_is_an_error_and_left_alone(tmp_path: Path) -> None:
    path = str(tmp_path / "live.sock")
    live = socket.socket(socket.AF_UNIX)
    live.bind(path)
    live.listen(1)
    try:

        async def scenario() -> None:
            forwarder = make_forwarder(path, "127.0.0.1:1", listen_protocol="unix")
            with pytest.raises(ListenError) as caught:
                forwarder.open()
            assert str(caught.value).startswith(f"listen unix {path}: bind: address already in use")

        run(scenario())
        assert os.path.exists(path)  # not deleted
    finally:
        live.close()


def test_regular_file_at_unix_path_is_never_deleted(tmp_path: Path) -> None:
    path = tmp_path / "precious.txt"
    path.write_text("data")

    async def scenario() -> None:
        forwarder = make_forwarder(str(path), "127.0.0.1:1", listen_protocol="unix")
        with pytest.raises(ListenError, match="bind: address already in use"):
            forwarder.open()

    run(scenario())
    assert path.read_text() == "data"


def test_port_in_use_gives_go_error_text() -> None:
    async def scenario() -> None:
        first = make_forwarder("127.0.0.1:0", "127.0.0.1:1")
        first.open()
        port = first.address.rpartition(":")[2]
        second = make_forwarder(f"127.0.0.1:{port}", "127.0.0.1:1")
        with pytest.raises(ListenError) as caught:
            second.open()
        assert str(caught.value) == f"listen tcp 127.0.0.1:{port}: bind: address already in use"
        await first.close()

    run(scenario())


def test_all_interfaces_listener_accepts_ipv4_and_ipv6() -> None:
    async def scenario() -> None:
        server = Server(echo_handler)
        port = free_port()
        forwarder = make_forwarder(f":{port}", server.address)
        forwarder.open()
        loop = asyncio.get_running_loop()
        targets = [f"127.0.0.1:{port}"]
        if ipv6_available():
            targets.append(f"[::1]:{port}")
        for target in targets:
            client = await connect(target)
            await loop.sock_sendall(client, target.encode())
            client.shutdown(socket.SHUT_WR)
            assert await read_all(client) == target.encode()
            client.close()
        await forwarder.close()
        await server.close()

    run(scenario())


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback")
def test_tcp6_listener_on_ipv6_loopback() -> None:
    async def scenario() -> None:
        server = Server(echo_handler)
        forwarder = make_forwarder("[::1]:0", server.address, listen_protocol="tcp6")
        forwarder.open()
        assert forwarder.address.startswith("[::1]:")
        loop = asyncio.get_running_loop()
        client = await connect(forwarder.address)
        await loop.sock_sendall(client, b"v6")
        client.shutdown(socket.SHUT_WR)
        assert await read_all(client) == b"v6"
        client.close()
        await forwarder.close()
        await server.close()

    run(scenario())


def test_accepted_connection_is_logged_at_debug_with_client_address() -> None:
    async def scenario() -> None:
        server = Server(echo_handler)
        logger = RecordingLogger()
        forwarder = make_forwarder("127.0.0.1:0", server.address, logger=logger)
        forwarder.open()
        client = await connect(forwarder.address)
        local = client.getsockname()
        client.close()
        await _wait(lambda: bool(logger.find("accepted connection")))
        assert ("debug", "accepted connection", {"client.addr": f"{local[0]}:{local[1]}"}) in (
            logger.entries
        )
        await forwarder.close()
        await server.close()

    run(scenario())


# ---- back-pressure and resource exhaustion -------------------------------------------------


def test_back_pressure_bounds_what_a_client_can_push_to_a_stalled_upstream() -> None:
    """An upstream that never reads: the client must soon be blocked, not buffered for."""
    release = asyncio.Event()

    async def never_reads(client: socket.socket) -> None:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        await release.wait()

    async def scenario() -> None:
        server = Server(never_reads)
        forwarder = make_forwarder("127.0.0.1:0", server.address)
        forwarder.open()
        client = await connect(forwarder.address)
        block = b"x" * 65536
        pushed = 0
        history = []
        for _ in range(8):
            while pushed < (512 << 20):
                try:
                    pushed += client.send(block)
                except BlockingIOError:
                    break
            history.append(pushed)
            await asyncio.sleep(0.2)
        # Kernel buffers and one 1 MiB chunk: about 10 MiB here; far from 512 MiB.
        assert pushed < 64 << 20, history
        assert history[-1] == history[-2], history  # stalled for good, not just slow
        client.close()
        await forwarder.close()
        release.set()
        await server.close()

    run(scenario())


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_running_out_of_descriptors_pauses_accepting_without_spinning() -> None:
    """EMFILE on accept: warn, pause, resume when descriptors are free again."""

    async def scenario() -> None:
        upstream = await start_upstream()
        helper = Path(__file__).with_name("limited_forwarder.py")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(helper),
            upstream.address,
            "4",
            stdout=asyncio.subprocess.PIPE,
        )
        assert proc.stdout is not None
        try:
            port = int(await asyncio.wait_for(proc.stdout.readline(), 30))
            loop = asyncio.get_running_loop()
            # Two forwarded connections use the four spare descriptors (client + upstream).
            first = [await connect(f"127.0.0.1:{port}") for _ in range(2)]
            for sock in first:
                await loop.sock_sendall(sock, b"ok")
                assert await loop.sock_recv(sock, 2) == b"ok"
            # The third cannot even be accepted; it waits in the backlog.
            third = await connect(f"127.0.0.1:{port}")
            warning = b"warning cannot accept connections for now"
            seen: list[bytes] = []
            while warning not in seen:
                seen.append((await asyncio.wait_for(proc.stdout.readline(), 30)).strip())
            assert not [line for line in seen if line.startswith(b"error")], seen
            before = _cpu_seconds(proc.pid)
            await asyncio.sleep(1.0)
            assert _cpu_seconds(proc.pid) - before < 0.5  # paused, not a busy loop
            for sock in first:
                sock.close()
            await loop.sock_sendall(third, b"late")
            assert await asyncio.wait_for(loop.sock_recv(third, 4), 30) == b"late"
            third.close()
        finally:
            proc.kill()
            await proc.wait()
            upstream.stop()

    run(scenario())

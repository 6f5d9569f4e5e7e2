"""No traceback ever reaches the user: shutdown with clients connected, hostile clients.

mittnite's last-resort handlers turn anything unexpected into one log line starting with
``internal error``; every test here asserts that neither that line nor a traceback
appears, so a path that would have printed one fails the test.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import socket
import struct
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Mittnite
from .wire import Wire, go_get, ws_upgrade

CHATTY = (
    'job "web" {\n command = "/bin/sh"\n'
    ' args = ["-c", "while :; do echo tick; sleep 0.05; done"]\n controllable = true\n}\n'
)


@pytest.fixture
def sock() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="mntb")
    yield os.path.join(directory, "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


def probe_port(run: Mittnite) -> int:
    return int(run.wait_for(r"probeServer listens on port (\d+)").group(1))


def assert_clean(run: Mittnite) -> None:
    log = run.stderr + run.stdout
    assert "Traceback" not in log, log
    assert "internal error" not in log, log


def reset(connection: socket.socket) -> None:
    """Close with a TCP reset instead of an orderly shutdown."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def test_sigterm_with_clients_in_every_state(mittnite: Start, sock: str) -> None:
    run = mittnite({"a.hcl": CHATTY}, "--api", "--api-listen-address", f"unix://{sock}")
    port = probe_port(run)
    run.wait_for("remote api listens on")
    run.wait_for('msg="starting job" job.name=web')
    clients: list[socket.socket] = []
    partial = socket.create_connection(("127.0.0.1", port))
    partial.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n")  # mid-request
    idle = socket.create_connection(("127.0.0.1", port))
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # then keep-alive, idle
    assert idle.recv(4096).startswith(b"HTTP/1.1 200 OK")
    follower = Wire(sock)
    follower.send(ws_upgrade("/v1/job/web/logs?follow=true&taillen=1"))
    head, _ = follower.response()
    assert head.startswith(b"HTTP/1.1 101")
    follower.frame()  # streaming
    api_partial = Wire(sock)
    api_partial.send(b"GET /v1/jobs HTTP/1.1\r\nHost: unix\r\n")
    clients += [partial, idle, follower.sock, api_partial.sock]
    time.sleep(0.3)
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0, run.stderr
    for client in clients:
        client.close()
    assert_clean(run)


def test_resets_garbage_and_oversized_heads(mittnite: Start, sock: str) -> None:
    run = mittnite({"a.hcl": CHATTY}, "--api", "--api-listen-address", f"unix://{sock}")
    port = probe_port(run)
    run.wait_for("remote api listens on")
    # reset right after asking, before the answer is written
    for _ in range(20):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
        reset(client)
    # reset a log follower while lines stream to it
    for _ in range(5):
        follower = Wire(sock)
        follower.send(ws_upgrade("/v1/job/web/logs?follow=true&taillen=-1"))
        follower.response()
        follower.frame()
        reset(follower.sock)
    # garbage (a complete "head": what never completes is a slow client, bounded by time)
    for garbage in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(200) + b"\r\n\r\n",
        b"HELLO\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        os.urandom(4096) + b"\r\n\r\n",
    ):
        client = socket.create_connection(("127.0.0.1", port))
        client.settimeout(15)
        client.sendall(garbage)
        answer = client.recv(4096)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer
        client.close()
        api = Wire(sock)
        api.send(garbage)
        assert api.at_eof() or api.buffer.startswith(b"HTTP/1.1 4"), api.buffer
        api.close()
    # a head growing past the limit is answered 431, not buffered without end
    client = socket.create_connection(("127.0.0.1", port))
    client.settimeout(15)
    with contextlib.suppress(OSError):  # closed while we were still sending: fine too
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000)
    answer = b""
    with contextlib.suppress(OSError):
        answer = client.recv(4096)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431"), answer
    client.close()
    # still serving
    healthy = socket.create_connection(("127.0.0.1", port))
    healthy.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert healthy.recv(4096).startswith(b"HTTP/1.1 200 OK")
    healthy.close()
    api = Wire(sock)
    api.send(go_get("/v1/jobs"))
    assert api.response()[0].startswith(b"HTTP/1.1 200 OK")
    api.close()
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    assert_clean(run)


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_a_thousand_idle_connections_are_bounded(mittnite: Start) -> None:
    """Idle and slowloris connections cannot exhaust mittnite: the oldest make room."""
    run = mittnite({"a.hcl": 'job "s" {\n command = "sleep"\n args = ["1040"]\n}\n'})
    port = probe_port(run)
    run.wait_for('msg="starting job" job.name=s')
    before = open_fds(run.mittnite_pid())
    hogs = []
    for index in range(1000):
        hog = socket.create_connection(("127.0.0.1", port))
        if index % 2:
            hog.sendall(b"GET /hea")  # a head that never completes
        hogs.append(hog)
    # a real client is still answered, and mittnite holds a bounded number of sockets
    client = socket.create_connection(("127.0.0.1", port))
    client.settimeout(30)
    client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert client.recv(4096).startswith(b"HTTP/1.1 200 OK")
    client.close()
    deadline = time.monotonic() + 30
    while open_fds(run.mittnite_pid()) - before > 300 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_fds(run.mittnite_pid()) - before <= 300
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    for hog in hogs:
        hog.close()
    assert_clean(run)


def server_closed(client: socket.socket) -> bool:
    """Whether the server has closed (or reset) this connection, without blocking."""
    readable, _, _ = select.select([client], [], [], 0)
    if not readable:
        return False
    try:
        return client.recv(4096) == b""
    except OSError:
        return True


def test_slowloris_head_is_cut_off(mittnite: Start) -> None:
    """A head trickling in byte by byte is closed after the probe server's 10 s head limit."""
    run = mittnite({"a.hcl": 'job "s" {\n command = "sleep"\n args = ["1041"]\n}\n'})
    port = probe_port(run)
    client = socket.create_connection(("127.0.0.1", port))
    trickle = b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 1000
    closed = False
    for byte in trickle[:200]:  # 200 bytes, 0.2 s apart: 40 s if nothing stopped it
        try:
            client.sendall(bytes([byte]))
        except OSError:
            closed = True
        if closed or server_closed(client):
            closed = True
            break
        time.sleep(0.2)
    client.close()
    assert closed, "the server kept a head that never completes"
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    assert_clean(run)


def test_shutdown_with_a_lazy_connection_in_flight(mittnite: Start, tmp_path: Path) -> None:
    """A client waiting on a lazy job's spin-up when mittnite stops: no traceback."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    config = (
        'job "lazy" {\n command = "sleep"\n args = ["1042"]\n'
        f' lazy {{\n spinUpTimeout = "20s"\n }}\n listen "127.0.0.1:{port}" {{\n'
        '  forward = "127.0.0.1:1"\n }\n}\n'
    )
    run = mittnite({"a.hcl": config})
    run.wait_for("starting TCP listener")
    client = socket.create_connection(("127.0.0.1", port))
    run.wait_for('msg="starting job" job.name=lazy')
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    client.close()
    assert_clean(run)
    assert re.search(r"job stopped|process terminated", run.stderr)

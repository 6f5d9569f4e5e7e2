"""The control API and the probe server under random and malformed input.

A real ``mittnite up --api`` gets a stream of hostile requests on fresh connections:
random bytes, valid request lines with random methods, targets, versions and headers,
lying ``Content-Length`` and broken chunked bodies, and WebSocket upgrades to the logs
route followed by random frames. Whatever it answers, it must keep answering valid
requests, never print a traceback or an ``internal error`` line (the ``mittnite``
fixture checks both), and shut down cleanly afterwards. The probe server gets the same
treatment over TCP.

The case count scales with ``MITTNITE_FUZZ_SCALE`` (see ``tests/fuzz_scale.py``); the
seed is fixed so a failure is reproducible, and ``MITTNITE_FUZZ_SEED`` picks another.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator

import pytest

from ..fuzz_scale import examples
from .conftest import Start
from .wire import go_get, request, ws_upgrade

JOB = (
    'job "web" {\n command = "/bin/sh"\n'
    ' args = ["-c", "while :; do echo tick; sleep 0.2; done"]\n'
    " controllable = true\n}\n"
)

METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "G ET",
           "", "get", "\x00", "GET" * 50]  # fmt: skip
TARGETS = ["/v1/jobs", "/v1/job/web/status", "/v1/job/web/start", "/v1/job/web/stop",
           "/v1/job/web/restart", "/v1/job/web/logs?follow=true&taillen=5", "/v1/job/a%2Fb/status",
           "/v1/job/%zz/status", "/v1/job/web/logs?taillen=-99999999999999999999", "//v1/jobs",
           "/v1/job/../../etc/passwd", "*", "http://unix/v1/jobs", "/status", "/healthz", "/readyz",
           "/metrics", "/" + "a" * 5000, "/v1/job/" + "%" * 100, "/\r\n", "/v1/job/web/logs?follow=TRUE"]  # fmt: skip
VERSIONS = ["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "http/1.1", "", "HTTP/1.1 extra"]
HEADERS = ["Host: unix", "Content-Length: 5", "Content-Length: -1", "Content-Length: 99999999999",
           "Content-Length: 1, 2", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
           "Connection: close", "Connection: Upgrade", "Upgrade: websocket", "Expect: 100-continue",
           "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: AAAA", "X: " + "y" * 20000, "NoColon",
           ": empty-name", "Origin: http://evil", " folded", "Host: a\x00b"]  # fmt: skip


def random_request(rng: random.Random) -> bytes:
    """One hostile request (or garbage) as bytes."""
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(rng.randrange(1, 600))
    if kind == 1:  # a valid request with one byte flipped somewhere
        data = bytearray(go_get(rng.choice(TARGETS)))
        data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 2:  # a WebSocket handshake, then random frames (masked or not)
        frames = b"".join(
            bytes([rng.randrange(256), rng.randrange(256)]) + rng.randbytes(rng.randrange(0, 40))
            for _ in range(rng.randrange(1, 6))
        )
        return ws_upgrade("/v1/job/web/logs?follow=true&taillen=2") + frames
    line = f"{rng.choice(METHODS)} {rng.choice(TARGETS)} {rng.choice(VERSIONS)}"
    headers = rng.sample(HEADERS, rng.randrange(0, 5))
    body = rng.randbytes(rng.randrange(0, 50)) if kind >= 4 else b""
    if kind == 5:  # a chunked body that lies about its sizes
        body = b"5\r\nab\r\nZZ\r\n" + body + b"\r\n0\r\n"
    return (line + "\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode(errors="replace") + body


def throw(connect: Callable[[], socket.socket], data: bytes) -> None:
    """Send ``data`` on a new connection, read what comes back for a short while, close."""
    sock = connect()
    sock.settimeout(0.5)
    try:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # the server sees the end of what we had to say
        while sock.recv(65536):
            pass
    except OSError:
        pass  # reset, timeout, broken pipe: all fine answers to garbage
    finally:
        sock.close()


@pytest.fixture
def sock() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="mnfz")
    yield os.path.join(directory, "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_hostile_requests_never_break_the_api_or_the_probe_server(
    mittnite: Start, sock: str
) -> None:
    port = free_port()
    run = mittnite(
        {"jobs.hcl": JOB}, "--api", "--api-listen-address", f"unix://{sock}", "-p", str(port)
    )
    run.wait_for("remote api listens on")
    run.wait_for("probeServer listens on")
    rng = random.Random(int(os.environ.get("MITTNITE_FUZZ_SEED", "20261206")))

    def api() -> socket.socket:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(sock)
        return client

    def probes() -> socket.socket:
        return socket.create_connection(("127.0.0.1", port), timeout=5)

    def still_answering() -> None:
        head, body = request(sock, go_get("/v1/jobs", close=True))
        assert head.startswith(b"HTTP/1.1 200 OK\r\n") and body == b'["web"]', (head, body)
        with probes() as client:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer

    cases = examples(300)
    for number in range(cases):
        throw(api if number % 3 else probes, random_request(rng))
        if number % 40 == 39:
            still_answering()
    still_answering()
    run.signal()
    assert run.wait() == 0

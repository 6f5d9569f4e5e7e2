"""``mittnite up --api`` end to end: a real run, raw HTTP and WebSocket on its unix socket.

The bytes asserted are the compatibility points with the original's clients
(``mittnitectl``: Go net/http and gorilla/websocket): status lines, headers,
error bodies, JSON shapes, the WebSocket handshake and close frames.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Mittnite
from .wire import Wire, go_get, go_post, request, strip_date, wait_until, ws_upgrade

WEB = (
    'job "web" {\n command = "/bin/sh"\n'
    ' args = ["-c", "echo hello-out; echo hello-err >&2; exec sleep 1000"]\n'
    " controllable = true\n}\n"
)
HIDDEN = 'job "hidden" {\n command = "sleep"\n args = ["1000"]\n}\n'


@pytest.fixture
def sock() -> Iterator[str]:
    """A short socket path (unix socket paths are limited to 107 bytes)."""
    directory = tempfile.mkdtemp(prefix="mnapi")
    yield os.path.join(directory, "run", "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


def up(mittnite: Start, sock: str, config: dict[str, str], *args: str) -> Mittnite:
    run = mittnite(config, "--api", "--api-listen-address", f"unix://{sock}", *args)
    run.wait_for("remote api listens on")
    return run


def status(sock: str, job: str) -> dict[str, object]:
    head, body = request(sock, go_get(f"/v1/job/{job}/status"))
    assert head.startswith(b"HTTP/1.1 200 OK\r\n"), head
    result: dict[str, object] = json.loads(body)
    return result


def test_list_status_and_errors_byte_for_byte(mittnite: Start, sock: str) -> None:
    run = up(mittnite, sock, {"a.hcl": WEB + HIDDEN})
    run.wait_for('msg="starting job" job.name=web')
    head, body = request(sock, go_get("/v1/jobs"))
    assert strip_date(head) == (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: <date>\r\n"
        b"Content-Length: 7\r\n\r\n"
    )
    assert body == b'["web"]'

    wait_until(lambda: status(sock, "web").get("running") is True)
    head, body = request(sock, go_get("/v1/job/web/status"))
    document = json.loads(body)
    assert list(document) == ["pid", "running", "phase", "config"]
    assert document["phase"]["reason"] == "started"
    assert document["phase"]["lastChange"].endswith("Z") or "+" in document["phase"]["lastChange"]
    assert (
        b'"args":["-c","echo hello-out; echo hello-err \\u003e\\u00262; exec sleep 1000"]' in body
    )
    assert not body.endswith(b"\n")

    for name in ("hidden", "nosuchjob"):
        head, body = request(sock, go_get(f"/v1/job/{name}/status"))
        assert strip_date(head) == (
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"X-Content-Type-Options: nosniff\r\nDate: <date>\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        assert body == f'job "{name}" not found or is not controllable\n'.encode()

    head, body = request(sock, go_get("/v1/nothing"))
    assert head.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert body == b"404 page not found\n"

    # wrong methods, as the original's router answers them (checked against its release)
    head, body = request(sock, go_get("/v1/job/web/stop"))
    assert head.startswith(b"HTTP/1.1 404 Not Found\r\n") and body == b"404 page not found\n"
    head, body = request(sock, b"POST /v1/jobs HTTP/1.1\r\nHost: unix\r\nContent-Length: 0\r\n\r\n")
    assert strip_date(head) == (
        b"HTTP/1.1 405 Method Not Allowed\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n"
    )
    assert body == b""


def test_keep_alive_and_connection_close(mittnite: Start, sock: str) -> None:
    up(mittnite, sock, {"a.hcl": WEB})
    wire = Wire(sock)
    try:
        for _ in range(3):  # Go's client reuses the connection
            wire.send(go_get("/v1/jobs"))
            head, body = wire.response()
            assert head.startswith(b"HTTP/1.1 200 OK\r\n") and body == b'["web"]'
            assert b"Connection: close" not in head
        wire.send(go_get("/v1/jobs") + go_get("/v1/job/web/status"))  # pipelined
        assert wire.response()[1] == b'["web"]'
        assert wire.response()[1].startswith(b"{")
        wire.send(go_get("/v1/jobs", close=True))
        head, _ = wire.response()
        assert head.endswith(b"Content-Length: 7\r\nConnection: close\r\n\r\n")
        assert wire.at_eof()
    finally:
        wire.close()


def test_head_and_malformed_requests_are_answered_as_go_does(mittnite: Start, sock: str) -> None:
    up(mittnite, sock, {"a.hcl": WEB})
    wire = Wire(sock)
    try:
        # the routes are GET-only (405 for HEAD, as gorilla/mux); an unknown path's 404
        # has a body, of which HEAD gets the length only
        wire.send(b"HEAD /nope HTTP/1.1\r\nHost: unix\r\n\r\n")
        while b"\r\n\r\n" not in wire.buffer:
            assert wire._fill()
        head, _, rest = wire.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 404 Not Found\r\n"), head
        assert b"Content-Length: 19" in head
        wire.buffer = rest
        wire.send(go_get("/v1/jobs"))  # no body came after the HEAD answer: framing holds
        assert wire.response()[1] == b'["web"]'
    finally:
        wire.close()
    wire = Wire(sock)
    try:
        wire.send(b"GARBAGE\r\n\r\n")
        head, body = wire.response()
        assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n") and body == b"400 Bad Request"
        assert wire.at_eof()
    finally:
        wire.close()


def test_stop_start_restart(mittnite: Start, sock: str) -> None:
    run = up(mittnite, sock, {"a.hcl": WEB})
    wait_until(lambda: status(sock, "web").get("running") is True)
    first_pid = status(sock, "web")["pid"]

    head, _ = request(sock, go_post("/v1/job/web/stop"))
    assert strip_date(head) == b"HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n"
    wait_until(lambda: status(sock, "web")["running"] is False, message="stopped")
    stopped = status(sock, "web")
    assert "pid" not in stopped
    assert stopped["phase"] == {"reason": "stopped", "lastChange": stopped["phase"]["lastChange"]}  # type: ignore[index]
    assert run.process.poll() is None  # stopping the last job does not end mittnite

    assert request(sock, go_post("/v1/job/web/start"))[0].startswith(b"HTTP/1.1 200 OK")
    wait_until(lambda: status(sock, "web")["running"] is True, message="started")
    second_pid = status(sock, "web")["pid"]
    assert second_pid != first_pid

    assert request(sock, go_post("/v1/job/web/restart"))[0].startswith(b"HTTP/1.1 200 OK")
    wait_until(lambda: status(sock, "web").get("pid") not in (None, second_pid), message="restart")
    run.wait_for("job stopped for restart")


def test_stop_escalates_to_sigkill_for_a_job_ignoring_sigterm(mittnite: Start, sock: str) -> None:
    stubborn = (
        'job "stubborn" {\n command = "/bin/sh"\n'
        ' args = ["-c", "trap \\"\\" TERM; while :; do sleep 0.1; done"]\n'
        ' controllable = true\n stopTimeout = "1s"\n}\n'
    )
    run = up(mittnite, sock, {"a.hcl": stubborn})
    wait_until(lambda: status(sock, "stubborn").get("running") is True)
    pid = status(sock, "stubborn")["pid"]
    assert isinstance(pid, int)
    started = time.monotonic()
    request(sock, go_post("/v1/job/stubborn/stop"))
    time.sleep(0.5)
    assert status(sock, "stubborn")["running"] is True  # SIGTERM is ignored
    wait_until(lambda: status(sock, "stubborn")["running"] is False, message="killed")
    assert time.monotonic() - started >= 0.9
    run.wait_for("forcefully killed job")
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


def test_lazy_jobs_are_listed_and_controllable(mittnite: Start, sock: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        front = probe.getsockname()[1]
    lazy = (
        'job "lazy" {\n command = "sleep"\n args = ["1000"]\n controllable = true\n'
        ' lazy {\n  coolDownTimeout = "10m"\n }\n'
        f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:1"\n }}\n}}\n'
    )
    run = up(mittnite, sock, {"a.hcl": WEB + lazy})
    run.wait_for("holding off starting job lazy")
    assert request(sock, go_get("/v1/jobs"))[1] == b'["web","lazy"]'
    document = status(sock, "lazy")
    assert document["running"] is False
    assert document["phase"]["reason"] == "awaitingConnection"  # type: ignore[index]
    assert request(sock, go_post("/v1/job/lazy/start"))[0].startswith(b"HTTP/1.1 200 OK")
    wait_until(lambda: status(sock, "lazy")["running"] is True, message="lazy started")
    assert status(sock, "lazy")["phase"]["reason"] == "started"  # type: ignore[index]
    request(sock, go_post("/v1/job/lazy/stop"))
    wait_until(lambda: status(sock, "lazy")["running"] is False, message="lazy stopped")


def test_requests_before_the_jobs_start_are_answered(mittnite: Start, sock: str) -> None:
    boot = 'boot "slow" {\n command = "sleep"\n args = ["3"]\n}\n'
    run = up(mittnite, sock, {"a.hcl": boot + WEB})
    document = status(sock, "web")
    assert document["running"] is False
    assert document["phase"] == {
        "reason": "awaitingReadiness",
        "lastChange": "0001-01-01T00:00:00Z",
    }
    head, body = request(sock, go_post("/v1/job/web/start"))
    assert head.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert body.startswith(b'job "web" cannot be controlled yet: jobs have not been started yet')
    run.wait_for('msg="starting job" job.name=web', timeout=20)
    wait_until(lambda: status(sock, "web")["running"] is True)


def read_logs(sock: str, target: str) -> tuple[bytes, list[tuple[int, bytes]]]:
    """Upgrade, then read frames up to and including the close frame."""
    key = base64.b64encode(os.urandom(16)).decode()
    wire = Wire(sock)
    try:
        wire.send(ws_upgrade(target, key=key))
        while b"\r\n\r\n" not in wire.buffer:
            assert wire._fill()
        head_bytes, wire.buffer = wire.buffer.split(b"\r\n\r\n", 1)
        accept = base64.b64encode(
            hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
        ).decode()
        assert head_bytes + b"\r\n\r\n" == (
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        frames = []
        while True:
            opcode, payload = wire.frame()
            frames.append((opcode, payload))
            if opcode == 8:
                wire.send_close()
                return head_bytes, frames
    finally:
        wire.close()


def test_a_thousand_line_log_file_streams_complete(
    mittnite: Start, sock: str, tmp_path: Path
) -> None:
    out = tmp_path / "big.out"
    job = (
        'job "big" {\n command = "/bin/sh"\n'
        ' args = ["-c", "i=1; while [ $i -le 1000 ]; do echo line$i; i=$((i+1)); done; '
        'echo to-stderr >&2; exec sleep 1000"]\n'
        f' controllable = true\n stdout = "{out}"\n}}\n'
    )
    run = up(mittnite, sock, {"a.hcl": job})
    wait_until(lambda: out.exists() and out.read_text().count("\n") == 1000)
    wait_until(lambda: status(sock, "big")["running"] is True)
    run.wait_for("to-stderr")
    _, frames = read_logs(sock, "/v1/job/big/logs?taillen=-1")
    texts = [payload.decode() for opcode, payload in frames if opcode == 1]
    assert texts[:1000] == [f"line{i}" for i in range(1, 1001)]
    assert texts[1000:] == ["to-stderr"]  # stderr has no file: served from memory
    assert frames[-1] == (8, b"\x03\xe8EOF")  # close 1000 "EOF"

    _, frames = read_logs(sock, "/v1/job/big/logs?taillen=3")
    assert [p for o, p in frames if o == 1] == [b"line998", b"line999", b"line1000", b"to-stderr"]


def test_in_memory_logs_of_both_streams_and_follow(mittnite: Start, sock: str) -> None:
    run = up(mittnite, sock, {"a.hcl": WEB})
    run.wait_for("hello-err")
    wait_until(lambda: status(sock, "web")["running"] is True)
    _, frames = read_logs(sock, "/v1/job/web/logs")
    assert frames == [(1, b"hello-out"), (1, b"hello-err"), (8, b"\x03\xe8EOF")]


def test_follow_delivers_new_lines(mittnite: Start, sock: str, tmp_path: Path) -> None:
    out = tmp_path / "follow.out"
    trigger = tmp_path / "trigger"
    job = (
        'job "f" {\n command = "/bin/sh"\n'
        f' args = ["-c", "echo first; while [ ! -e {trigger} ]; do sleep 0.02; done; echo second; '
        'echo third >&2; exec sleep 1000"]\n'
        f' controllable = true\n stdout = "{out}"\n}}\n'
    )
    up(mittnite, sock, {"a.hcl": job})
    wait_until(lambda: out.exists() and out.read_text() == "first\n")
    wire = Wire(sock, timeout=10)
    try:
        wire.send(ws_upgrade("/v1/job/f/logs?follow=true&taillen=-1"))
        while b"\r\n\r\n" not in wire.buffer:
            assert wire._fill()
        head, wire.buffer = wire.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101 ")
        assert wire.frame() == (1, b"first")
        trigger.touch()
        received = {wire.frame(), wire.frame()}  # file and memory sources run side by side
        assert received == {(1, b"second"), (1, b"third")}
        wire.send_close()
        assert wire.frame()[0] == 8
    finally:
        wire.close()


def test_websocket_handshake_refusals(mittnite: Start, sock: str) -> None:
    up(mittnite, sock, {"a.hcl": WEB})
    head, body = request(sock, go_get("/v1/job/web/logs"))
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Sec-Websocket-Version: 13\r\n" in head
    assert body == b"Bad Request\nfailed to upgrade connection\n"
    head, body = request(sock, ws_upgrade("/v1/job/web/logs", origin="http://evil.example"))
    assert head.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    head, body = request(sock, ws_upgrade("/v1/job/hidden/logs"))
    assert head.startswith(b"HTTP/1.1 404 Not Found\r\n")


def test_socket_modes_stale_socket_and_removal(mittnite: Start, sock: str) -> None:
    os.makedirs(os.path.dirname(sock), mode=0o755)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(sock)
    stale.close()  # left behind by a crashed run
    run = up(mittnite, sock, {"a.hcl": WEB})
    assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
    assert request(sock, go_get("/v1/jobs"))[1] == b'["web"]'
    run.signal(signal.SIGTERM)
    assert run.wait() == 0
    assert not os.path.exists(sock)
    run.wait_for("shutting down remote api")


def test_live_socket_is_refused_before_anything_is_rendered(
    mittnite: Start, sock: str, tmp_path: Path
) -> None:
    rendered = tmp_path / "watched.conf"
    (tmp_path / "watched.tpl").write_text("from the template\n")
    files = f'file "{rendered}" {{\n from = "{tmp_path / "watched.tpl"}"\n}}\n'
    first = up(mittnite, sock, {"a.hcl": WEB})
    rendered.write_text("the running instance's file\n")
    second = Mittnite(
        {"b.hcl": WEB + files},
        tmp_path / "second",
        "--api",
        "--api-listen-address",
        f"unix://{sock}",
    )
    try:
        assert second.wait(30) == 1
        assert (
            f'level=fatal msg="error while starting API: {sock} is in use by another running '
            "process (is another mittnite serving its API there?); stop it or choose another "
            '--api-listen-address"'
        ) in second.stderr
        assert "[Errno" not in second.stderr
        assert "generating configuration files" not in second.stderr
    finally:
        second.kill()
    assert rendered.read_text() == "the running instance's file\n"  # not re-rendered
    assert first.process.poll() is None
    assert request(sock, go_get("/v1/jobs"))[1] == b'["web"]'


def test_remote_tcp_address_needs_the_flag(mittnite: Start, tmp_path: Path) -> None:
    refused = mittnite({"a.hcl": WEB}, "--api", "--api-listen-address", "0.0.0.0:0")
    assert refused.wait(30) == 1
    assert "--api-allow-remote" in refused.stderr
    other = Mittnite(
        {"a.hcl": WEB},
        tmp_path / "allowed",
        "--api",
        "--api-listen-address",
        "127.0.0.1:0",
    )
    remote = Mittnite(
        {"a.hcl": WEB},
        tmp_path / "remote",
        "--api",
        "--api-listen-address",
        "0.0.0.0:0",
        "--api-allow-remote",
    )
    try:
        other.wait_for("remote api listens on 127.0.0.1:0")
        assert "non-loopback" not in other.stderr
        remote.wait_for("remote api listens on 0.0.0.0:0")
        remote.wait_for("non-loopback address without authentication")
    finally:
        other.kill()
        remote.kill()

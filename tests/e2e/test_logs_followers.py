"""Log followers cost bounded memory and are cut off when they fall behind (issue 15, item 2).

A job floods long lines into its in-memory ring while WebSocket clients follow
its logs. Clients that never read must not make mittnite grow (the issue
measured ~620 MB per such client); they are disconnected. A client that reads
again after falling behind gets the documented notice and close code 1011.
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator

import pytest

from .conftest import Start
from .harness import Mittnite
from .wire import Wire, ws_upgrade

LINE = 60 * 1024
RSS_BOUND_KIB = 80 * 1024  # growth allowed over the idle RSS, whatever the clients do
FLOOD = (
    "import sys, time\n"
    "burst = int(sys.argv[1])\n"
    "i = 0\n"
    "while True:\n"
    "    i += 1\n"
    f"    sys.stdout.write('%08d' % i + 'x' * {LINE - 9} + '\\n')\n"
    "    if i % burst == 0:\n"
    "        sys.stdout.flush(); time.sleep(0.01)\n"
)
NOTICE = b"mittnite: this client fell too far behind; lines were lost"


@pytest.fixture
def sock() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="mnlog")
    yield os.path.join(directory, "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(mittnite: Start, sock: str, burst: int = 16) -> Mittnite:
    """mittnite with a job writing ``burst`` lines of 60 KiB every 10 ms (16: ~100 MB/s)."""
    job_script = os.path.join(os.path.dirname(sock), "flood.py")
    with open(job_script, "w") as handle:
        handle.write(FLOOD)
    config = (
        f'job "flood" {{\n command = "{sys.executable}"\n args = ["{job_script}", "{burst}"]\n'
        " controllable = true\n}\n"
    )
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        run = mittnite(
            {"a.hcl": config}, "--api", "--api-listen-address", f"unix://{sock}", stdout=null
        )
    finally:
        os.close(null)
    run.wait_for("remote api listens on")
    run.wait_for('msg="starting job" job.name=flood')
    return run


def follow(sock: str) -> Wire:
    wire = Wire(sock, timeout=30)
    wire.send(ws_upgrade("/v1/job/flood/logs?follow=true&taillen=0"))
    return wire


def hung_up(wire: Wire) -> bool:
    """Whether the server closed the connection, without reading what it sent."""
    poller = select.poll()
    poller.register(wire.sock, select.POLLRDHUP | select.POLLHUP)
    return any(events & (select.POLLRDHUP | select.POLLHUP) for _, events in poller.poll(0))


def frames_of(wire: Wire, limit: int = 64 << 20) -> list[tuple[int, bytes]]:
    """Everything the server sent: the 101 head, then frames (a last one may be cut short)."""
    wire.sock.settimeout(30)
    data = bytearray(wire.buffer)
    while True:
        piece = wire.sock.recv(1 << 20)
        if not piece:
            break
        data += piece
        assert len(data) < limit, "the server kept sending to a client that fell behind"
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101 ")
    wire.buffer = rest
    frames = []
    while True:
        try:
            frames.append(wire.frame())
        except ConnectionError:
            return frames


def assert_no_gaps(frames: list[tuple[int, bytes]]) -> int:
    """Text frames are consecutive lines of the flood; returns how many there were."""
    numbers = [int(payload[:8]) for opcode, payload in frames if opcode == 1 and payload != NOTICE]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else True
    assert all(len(p) == LINE - 1 for o, p in frames if o == 1 and p != NOTICE)
    return len(numbers)


def test_followers_that_never_read_are_disconnected_and_memory_stays_bounded(
    mittnite: Start, sock: str
) -> None:
    run = start(mittnite, sock)
    pid = run.mittnite_pid()
    time.sleep(0.5)
    idle = rss_kib(pid)
    clients = [follow(sock) for _ in range(3)]
    peak = idle
    deadline = time.monotonic() + 60
    try:
        while not all(hung_up(client) for client in clients):
            peak = max(peak, rss_kib(pid))
            assert peak - idle < RSS_BOUND_KIB, f"RSS grew by {(peak - idle) // 1024} MB"
            assert time.monotonic() < deadline, "stalled followers were never disconnected"
            time.sleep(0.05)
        for _ in range(20):  # the flood goes on: memory does not creep up afterwards
            peak = max(peak, rss_kib(pid))
            time.sleep(0.05)
        assert peak - idle < RSS_BOUND_KIB
        print(f"idle RSS {idle} KiB, peak growth {peak - idle} KiB")
        for client in clients:
            assert_no_gaps(frames_of(client))
    finally:
        for client in clients:
            client.close()


def test_a_follower_that_falls_behind_is_told_and_closed_with_1011(
    mittnite: Start, sock: str
) -> None:
    start(mittnite, sock)
    client = follow(sock)
    try:
        time.sleep(1.5)  # not reading: the flood leaves this client behind
        frames = frames_of(client)
        received = assert_no_gaps(frames)
        assert received > 0
        assert frames[-2] == (1, NOTICE)
        assert frames[-1] == (8, (1011).to_bytes(2, "big") + b"too slow")
    finally:
        client.close()


def test_a_follower_that_keeps_up_stays_connected(mittnite: Start, sock: str) -> None:
    start(mittnite, sock, burst=2)
    client = follow(sock)
    try:
        while b"\r\n\r\n" not in client.buffer:
            assert client._fill()
        client.buffer = client.buffer.split(b"\r\n\r\n", 1)[1]
        frames = [client.frame() for _ in range(100)]  # about 6 MB, read as it comes
        assert_no_gaps(frames)
        assert not hung_up(client)
        client.send_close()
        while client.frame()[0] != 8:
            pass
    finally:
        client.close()

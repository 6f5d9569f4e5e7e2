"""A lazy job whose command exits at once: clients fail fast, starts back off, and it
recovers when the command works again (with ``mittnite up``)."""

from __future__ import annotations

import signal
import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .conftest import Start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_quickly(port: int) -> bool:
    """Connect and wait for the server to close the connection (bounded)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
        try:
            return client.recv(100) == b""
        except OSError:  # reset: closed too
            return True


def test_exits_at_once_then_repaired(mittnite: Start, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("repaired\n")
    broken = tmp_path / "broken"
    broken.touch()
    front, back = free_port(), free_port()
    server = f"python3 -m http.server {back} --bind 127.0.0.1 --directory {tmp_path}"
    config = (
        'job "web" {\n command = "/bin/sh"\n'
        f' args = ["-c", "test -e {broken} && exit 1; exec {server}"]\n'
        ' lazy {\n  spinUpTimeout = "60s"\n }\n'
        f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:{back}"\n }}\n}}\n'
    )
    run = mittnite({"a.hcl": config})
    run.wait_for("holding off starting job web until first request")
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _i: closed_quickly(front), range(8)))
    assert all(results)
    assert time.monotonic() - started < 45  # not the 60 s spin-up timeout
    run.wait_for('msg="lazy job failed right after its start; holding off new starts"')
    # within the back-off window, connections do not spawn processes
    starts = run.stderr.count('msg="starting job" job.name=web')
    assert starts <= 2
    broken.unlink()
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{front}/", timeout=60) as response:
                assert response.read() == b"repaired\n"
                break
        except OSError:
            assert time.monotonic() < deadline, run.stderr
            time.sleep(0.5)
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


def test_log_file_that_cannot_be_opened_fails_the_start_in_gos_words(mittnite: Start) -> None:
    front, back = free_port(), free_port()
    config = (
        'job "web" {\n command = "/bin/true"\n stdout = "/proc/self/no-such-dir/out.log"\n'
        ' lazy {\n  spinUpTimeout = "60s"\n }\n'
        f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:{back}"\n }}\n}}\n'
    )
    run = mittnite({"a.hcl": config})
    run.wait_for("holding off starting job web until first request")
    assert closed_quickly(front)
    run.wait_for("failed to start job web: mkdir /proc/self/no-such-dir: no such file or directory")
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0
    assert "[Errno" not in run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr

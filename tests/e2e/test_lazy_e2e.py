"""Lazy jobs and listeners wired into ``mittnite up``, with a real HTTP upstream."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

from .conftest import Start
from .harness import processes_with


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(directory: Path, port: int) -> str:
    return (
        f' command = "python3"\n'
        f' args = ["-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", "{directory}"]\n'
    )


def get(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        return response.read().decode()


def test_first_connection_starts_the_job_and_idle_stops_it(mittnite: Start, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("hello lazy\n")
    front, back = free_port(), free_port()
    run = mittnite(
        {
            "a.hcl": f'job "web" {{\n{serve(tmp_path, back)}'
            ' lazy {\n  spinUpTimeout = "10s"\n  coolDownTimeout = "1s"\n }\n'
            f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:{back}"\n }}\n}}\n'
        }
    )
    run.wait_for("holding off starting job web until first request")
    assert processes_with(f"http.server {back}") == []
    assert get(front) == "hello lazy\n"
    assert len(processes_with(f"http.server {back}")) == 1
    run.wait_for('msg="process terminated" job.name=web', timeout=15)
    assert processes_with(f"http.server {back}") == []
    assert get(front) == "hello lazy\n"  # activated again
    assert run.stderr.count('msg="starting job" job.name=web') == 2
    run.signal()
    assert run.wait() == 0
    assert processes_with(f"http.server {back}") == []


def test_listen_without_lazy_forwards_to_a_running_job(mittnite: Start, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("always on\n")
    front, back = free_port(), free_port()
    run = mittnite(
        {
            "a.hcl": f'job "web" {{\n{serve(tmp_path, back)}'
            f' listen "127.0.0.1:{front}" {{\n  forward = "127.0.0.1:{back}"\n }}\n}}\n'
        }
    )
    run.wait_for("starting job")
    deadline = time.monotonic() + 15
    while True:
        try:
            assert get(front) == "always on\n"
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    run.signal()
    assert run.wait() == 0


def test_listener_that_cannot_bind_fails_the_run(mittnite: Start, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = mittnite(
            {
                "a.hcl": f'job "web" {{\n command = "sleep"\n args = ["1030"]\n lazy {{}}\n'
                f' listen "127.0.0.1:{port}" {{\n  forward = "127.0.0.1:1"\n }}\n}}\n'
            }
        )
        assert run.wait() == 1
    assert "address already in use" in run.stderr

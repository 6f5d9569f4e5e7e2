"""A stalled reader of mittnite's output never freezes the init (issue 15, item 1).

mittnite runs as PID 1 of a new PID namespace with its stdout in a pipe that
the test does not read (a stuck log shipper, a paused terminal, ``| sleep``).
A job floods that pipe; meanwhile orphans must be reaped, ``/healthz`` must
answer, a job writing to a file must keep going and SIGTERM must end the run.
When the test starts reading again, every byte arrives, in order.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import Start
from .harness import processes_with
from .wire import wait_until

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")

FLOOD_LINES = 3_000_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def zombie_children(pid: int) -> int:
    """Zombies whose parent is ``pid`` (orphans re-parented to mittnite, not reaped yet)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == pid:
            count += 1
    return count


def read_until(fd: int, done: object, timeout: float = 120.0) -> bytes:
    """Read ``fd`` until ``done(data)`` holds (or the writer closed it)."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + timeout
    os.set_blocking(fd, True)
    while time.monotonic() < deadline:
        piece = os.read(fd, 1 << 20)
        if not piece:
            break
        chunks.append(piece)
        size += len(piece)
        if done(size):  # type: ignore[operator]
            break
    return b"".join(chunks)


def config(tmp_path: Path) -> dict[str, str]:
    made = tmp_path / "orphans.made"
    return {
        "a.hcl": (
            f'job "flood" {{\n command = "seq"\n args = ["1", "{FLOOD_LINES}"]\n'
            " oneTime = true\n}\n"
            'job "filer" {\n command = "/bin/sh"\n'
            ' args = ["-c", "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.02; done"]\n'
            f' stdout = "{tmp_path}/filer.log"\n enableTimestamps = true\n}}\n'
            'job "orphans" {\n command = "/bin/sh"\n'
            ' args = ["-c", "i=0; while [ $i -lt 50 ]; do sh -c \'sleep 0.01 &\'; i=$((i+1)); '
            f'done; touch {made}; exec sleep 1000"]\n'
            ' stdout = "/dev/null"\n}\n'
        )
    }


@pytest.mark.parametrize("stderr", ["separate", "same pipe"])
def test_a_stalled_stdout_freezes_nothing_and_loses_nothing(
    mittnite: Start, tmp_path: Path, stderr: str
) -> None:
    read_end, write_end = os.pipe()
    port = free_port()
    try:
        run = mittnite(
            config(tmp_path),
            "-p",
            str(port),
            pid1=True,
            stdout=write_end,
            stderr=write_end if stderr == "same pipe" else None,
        )
        os.close(write_end)
        write_end = -1
        pid = run.mittnite_pid()
        # nobody reads: the flood fills the pipe and mittnite's buffer, then waits
        wait_until(lambda: (tmp_path / "orphans.made").exists(), 30, "orphans made")
        wait_until(lambda: zombie_children(pid) == 0, 30, "orphans reaped while stalled")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
        log = tmp_path / "filer.log"
        wait_until(lambda: log.exists() and log.read_text().count("\n") >= 3, 30, "filer runs")
        before = log.read_text().count("\n")
        wait_until(lambda: log.read_text().count("\n") >= before + 10, 30, "filer goes on")
        assert processes_with(f"seq 1 {FLOOD_LINES}"), "the flood was blocked, not finished"

        expected = b"".join(b"%d\n" % i for i in range(1, FLOOD_LINES + 1))
        if stderr == "separate":
            data = read_until(read_end, lambda size: size >= len(expected))
            assert data == expected  # every byte, in order
        else:
            last = b"\n%d\n" % FLOOD_LINES
            data = b"\n"
            while last not in data[-len(last) - (1 << 20) :]:
                piece = read_until(read_end, lambda size: size > 0)
                assert piece, "mittnite closed its output early"
                data += piece
            lines = data[1:].split(b"\n")
            numbers = [line for line in lines if line.isdigit()]
            others = [line for line in lines if not line.isdigit() and line]
            assert b"\n".join(numbers) + b"\n" == expected
            assert others and all(line.startswith(b'time="') for line in others), others[:5]
        os.set_blocking(read_end, False)
        run.signal(signal.SIGTERM)
        assert run.wait(30) == 0
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


@pytest.mark.parametrize("stderr", ["separate", "same pipe"])
def test_sigterm_ends_the_run_while_stdout_is_stalled(
    mittnite: Start, tmp_path: Path, stderr: str
) -> None:
    read_end, write_end = os.pipe()
    marker = f"stalled-{os.getpid()}-{stderr.replace(' ', '')}"
    try:
        run = mittnite(
            {"a.hcl": f'job "flood" {{\n command = "yes"\n args = ["{marker}"]\n}}\n'},
            pid1=True,
            stdout=write_end,
            stderr=write_end if stderr == "same pipe" else None,
        )
        os.close(write_end)
        write_end = -1
        wait_until(lambda: processes_with(f"yes {marker}"), 30, "flood started")
        time.sleep(0.5)  # the pipe and mittnite's buffer are full by now
        run.signal(signal.SIGTERM)
        assert run.wait(30) == 0  # stop grace + at most 2 s for the blocked output
        assert processes_with(f"yes {marker}") == []
        data = read_until(read_end, lambda size: False, timeout=30)
        lines = data.split(b"\n")[:-1]
        assert lines and all(
            line == marker.encode() or line.startswith(b'time="') for line in lines
        ), [line for line in lines if line != marker.encode()][:5]
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


@pytest.mark.parametrize("destination", ["full disk", "reader gone"])
def test_a_broken_stdout_is_reported_once_and_jobs_go_on(
    mittnite: Start, tmp_path: Path, destination: str
) -> None:
    """Output that cannot be written any more is discarded: one warning says so (there is
    no other sign of it), and the jobs and mittnite carry on."""
    counter = tmp_path / "count"
    job = (
        'job "talk" {\n command = "/bin/sh"\n'
        f' args = ["-c", "i=0; while true; do i=$((i+1)); echo hello$i; echo $i > {counter}; '
        'sleep 0.02; done"]\n}\n'
    )
    if destination == "full disk":
        out = os.open("/dev/full", os.O_WRONLY)
    else:
        read_end, out = os.pipe()
        os.close(read_end)
    try:
        run = mittnite({"a.hcl": job}, pid1=True, stdout=out)
    finally:
        os.close(out)
    run.wait_for("could not write job output to stdout, discarding it from now on")
    assert run.stderr.count("could not write job output to stdout") == 1
    reason = "no space left on device" if destination == "full disk" else "broken pipe"
    assert f'error="{reason}"' in run.stderr
    wait_until(lambda: counter.exists() and int(counter.read_text() or 0) > 0, 30, "job runs")
    seen = int(counter.read_text() or 0)
    wait_until(lambda: int(counter.read_text() or 0) >= seen + 20, 30, "the job goes on")
    assert run.stderr.count("could not write job output to stdout") == 1
    run.signal(signal.SIGTERM)
    assert run.wait(30) == 0

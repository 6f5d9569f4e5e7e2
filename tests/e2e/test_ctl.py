"""``mittnitectl`` end to end against a real ``mittnite up --api`` on a unix socket.

The real client binary drives real jobs: list, status (text and ``--json``),
stop/start/restart with waiting, complete and followed logs, and the errors a
person meets (no socket, permission denied, a job that is not controllable).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Start
from .harness import MITTNITECTL as CTL
from .harness import Mittnite

LINES = 1000


def config(workdir: str) -> dict[str, str]:
    web = (
        'job "web" {\n command = "/bin/sh"\n'
        f' args = ["-c", "seq 1 {LINES}; while true; do if [ -e {workdir}/poke ]; then '
        f'rm {workdir}/poke; echo fresh-line; fi; sleep 0.02; done"]\n'
        f' stdout = "{workdir}/web.out"\n controllable = true\n}}\n'
    )
    hidden = 'job "hidden" {\n command = "sleep"\n args = ["1000"]\n}\n'
    return {"jobs.hcl": web + hidden}


@pytest.fixture
def workdir() -> Iterator[str]:
    """A short directory (unix socket paths are limited to 107 bytes)."""
    directory = tempfile.mkdtemp(prefix="mnctl")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def ctl(sock: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CTL, "--api-address", f"unix://{sock}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def up(mittnite: Start, workdir: str) -> tuple[Mittnite, str]:
    sock = os.path.join(workdir, "run", "api.sock")
    run = mittnite(config(workdir), "--api", "--api-listen-address", f"unix://{sock}")
    run.wait_for("remote api listens on")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if '"running": true' in ctl(sock, "job", "status", "web", "--json").stdout:
            return run, sock
        time.sleep(0.05)
    raise AssertionError(f"web did not start\n{run.stderr}")


def status(sock: str) -> dict[str, object]:
    result = ctl(sock, "job", "status", "--json")  # the only controllable job: name optional
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_list_and_status(mittnite: Start, workdir: str) -> None:
    _, sock = up(mittnite, workdir)
    listed = ctl(sock, "job", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("The following processes are managed, and controllable:\n\n")
    pid = status(sock)["pid"]
    assert f"▶︎ web (running; reason=started; pid={pid})\n" in listed.stdout
    assert "hidden" not in listed.stdout

    as_json = ctl(sock, "job", "list", "--json")
    entries = json.loads(as_json.stdout)
    assert [(e["name"], e["running"], e["pid"]) for e in entries] == [("web", True, pid)]
    assert entries[0]["phase"]["reason"] == "started"

    text = ctl(sock, "job", "status", "web")
    assert text.returncode == 0
    assert text.stdout.startswith(f"▶︎ web (running; reason=started; pid={pid})\n")
    assert f"  stdout log file: {workdir}/web.out\n" in text.stdout
    assert "\x1b[" not in text.stdout

    document = status(sock)
    assert list(document) == ["pid", "running", "phase", "config"]
    assert document["running"] is True

    # starting a running job says so, and changes nothing
    again = ctl(sock, "job", "start", "web")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"▶️  job web is already running (pid {pid})\n"
    assert status(sock)["pid"] == pid


def test_stop_start_restart_wait(mittnite: Start, workdir: str) -> None:
    _, sock = up(mittnite, workdir)
    first_pid = status(sock)["pid"]

    stopped = ctl(sock, "job", "stop", "web")
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.startswith("⏸️  stopping job web\n🕑 waiting for job web to stop\n")
    assert "😵 job web stopped" in stopped.stdout
    assert status(sock)["running"] is False
    assert ctl(sock, "job", "status", "--exit-with-status").returncode == 1
    assert ctl(sock, "job", "status").stdout.startswith("◼︎ web (stopped)\n")

    started = ctl(sock, "job", "start", "web", "--wait-for", "10s")
    assert started.returncode == 0, started.stderr
    assert "🚀 job web started" in started.stdout
    second = status(sock)
    assert second["running"] is True and second["pid"] != first_pid

    restarted = ctl(sock, "job", "restart")
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.startswith(
        "🔄  restarting job web\n🕑 waiting for job web to restart\n"
    )
    third = status(sock)
    assert third["running"] is True and third["pid"] != second["pid"]


def test_logs_complete_and_follow(mittnite: Start, workdir: str) -> None:
    _, sock = up(mittnite, workdir)
    deadline = time.monotonic() + 10
    while Path(workdir, "web.out").read_text().count("\n") < LINES:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    logs = ctl(sock, "job", "logs", "web")
    assert logs.returncode == 0, logs.stderr
    assert logs.stdout == "".join(f"{n}\n" for n in range(1, LINES + 1))
    tail = ctl(sock, "job", "logs", "--tail", "3")
    assert tail.stdout == f"{LINES - 2}\n{LINES - 1}\n{LINES}\n"

    follower = subprocess.Popen(
        [*CTL, "--api-address", f"unix://{sock}", "job", "logs", "web", "-f", "--tail", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline() == f"{LINES}\n"
        Path(workdir, "poke").touch()
        poked = time.monotonic()
        assert follower.stdout.readline() == "fresh-line\n"
        assert time.monotonic() - poked < 2.0
    finally:
        follower.terminate()
        follower.wait(10)


def test_errors(mittnite: Start, workdir: str) -> None:
    missing = os.path.join(workdir, "nothing.sock")
    result = ctl(missing, "job", "status", "web")
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"the socket path {missing} does not exist" in result.stderr
    assert "mittnite up --api --api-listen-address" in result.stderr

    _, sock = up(mittnite, workdir)
    for args in (["job", "status", "hidden"], ["job", "start", "nosuchjob"]):
        result = ctl(sock, *args)
        assert result.returncode == 1
        assert f'job "{args[2]}" not found or is not controllable' in result.stderr
    logs = ctl(sock, "job", "logs", "hidden")
    assert logs.returncode == 1
    assert logs.stderr == ctl(sock, "job", "status", "hidden").stderr.replace(
        "failed to get status of job hidden", "failed to print output"
    )
    assert "ws://" not in logs.stderr and "controllable = true" in logs.stderr


def test_job_name_with_a_slash_and_a_bare_socket_path(mittnite: Start, workdir: str) -> None:
    sock = os.path.join(workdir, "run", "api.sock")
    slashed = (
        'job "a/b" {\n command = "/bin/sh"\n args = ["-c", "echo from-a-b; exec sleep 1000"]\n'
        " controllable = true\n}\n"
    )
    run = mittnite({"a.hcl": slashed}, "--api", "--api-listen-address", f"unix://{sock}")
    run.wait_for('msg="starting job" job.name=a/b')

    def bare(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CTL, "--api-address", sock, *args], capture_output=True, text=True, timeout=30
        )

    listed = bare("job", "list", "--json")  # a bare socket path is unix://PATH
    assert listed.returncode == 0, listed.stderr
    assert [entry["name"] for entry in json.loads(listed.stdout)] == ["a/b"]
    shown = bare("job", "status", "a/b")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("▶︎ a/b (running; reason=started; pid=")
    deadline = time.monotonic() + 10
    while "from-a-b" not in bare("job", "logs", "a/b").stdout:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    stopped = bare("job", "stop", "a/b")
    assert stopped.returncode == 0, stopped.stderr
    assert "😵 job a/b stopped" in stopped.stdout
    run.wait_for('msg="job stopped" job.name=a/b')


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root")
def test_permission_denied(mittnite: Start, workdir: str) -> None:
    _, sock = up(mittnite, workdir)
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *CTL,
         "--api-address", f"unix://{sock}", "job", "list"],
        capture_output=True,
        text=True,
        timeout=30,
    )  # fmt: skip
    if "Permission denied" in result.stderr and "Error:" not in result.stderr:
        pytest.skip("the unprivileged user cannot run this Python")
    assert result.returncode == 1
    assert f"permission denied on the socket {sock}" in result.stderr


ORIGINAL_CTL = Path(
    os.environ.get(
        "MITTNITECTL_ORIGINAL",
        Path(__file__).resolve().parents[3] / "shared" / "reference" / "bin" / "mittnitectl-original",
    )
)


@pytest.mark.skipif(not ORIGINAL_CTL.exists(), reason="the original mittnitectl is not here")
def test_the_original_mittnitectl_works_against_our_api(mittnite: Start, workdir: str) -> None:
    """The original's client (Go net/http + gorilla/websocket) drives our API unchanged."""
    _, sock = up(mittnite, workdir)
    deadline = time.monotonic() + 10
    while Path(workdir, "web.out").read_text().count("\n") < LINES:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    def original(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ORIGINAL_CTL), "--api-address", f"unix://{sock}", *args],
            capture_output=True,
            text=True,
            timeout=30,
        )

    pid = status(sock)["pid"]
    listed = original("job", "list")
    assert listed.returncode == 0 and f"web (running; reason=started; pid={pid})" in listed.stdout
    shown = original("job", "status", "web")
    assert shown.returncode == 0 and f"{workdir}/web.out" in shown.stdout
    logs = original("job", "logs", "web", "--tail", "3")
    assert logs.returncode == 0 and logs.stdout == f"{LINES - 2}\n{LINES - 1}\n{LINES}\n"
    stopped = original("job", "stop", "web")
    assert stopped.returncode == 0 and "job web stopped" in stopped.stdout
    assert status(sock)["running"] is False
    started = original("job", "start", "web")
    assert started.returncode == 0 and "job web started" in started.stdout
    assert status(sock)["running"] is True
    refused = original("job", "status", "hidden")
    words = " ".join(refused.stdout.replace("│", " ").split())  # the original wraps in a box
    assert refused.returncode == 1
    assert 'job "hidden" not found or is not controllable' in words

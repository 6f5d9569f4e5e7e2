"""``mittnite up --api`` through a Go client that talks like the original ``mittnitectl``.

``tests/compat/goclient/main.go`` uses Go's ``net/http`` (unix-socket dialer, requests to
``http://unix/v1/...``, POSTs with ``Content-Type: application/json`` and no body) and
gorilla/websocket (unix-socket ``NetDial``, ``ws://unix/v1/job/<job>/logs?taillen=N``,
``follow=true`` when following): the same libraries, requests and reading loop as the
original client, so what it gets here is what scripts and ``mittnitectl`` get.

The client is built once per session in GOPATH mode against Debian's
``golang-github-gorilla-websocket-dev``. Without ``go`` or that package the tests are
skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Mittnite
from .wire import wait_until

SOURCE = Path(__file__).resolve().parents[1] / "compat" / "goclient" / "main.go"
GOPATH = "/usr/share/gocode"
WEBSOCKET = Path(GOPATH, "src", "github.com", "gorilla", "websocket")
PACKAGES = "golang-go golang-github-gorilla-websocket-dev"

Record = tuple[str, list[object]]


def missing_toolchain() -> str | None:
    if shutil.which("go") is None:
        return "the Go toolchain (`go`) is not installed"
    if not WEBSOCKET.is_dir():
        return f"gorilla/websocket is not installed ({WEBSOCKET} is missing)"
    return None


@pytest.fixture(scope="session")
def goclient(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Go client, built once per session."""
    missing = missing_toolchain()
    if missing is not None:
        hint = f"{missing}; install the Debian packages {PACKAGES} (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Go client compatibility tests cannot run in CI: {hint}", pytrace=False)
        pytest.skip(hint)
    out = tmp_path_factory.mktemp("goclient")
    binary = out / "goclient"
    env = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": GOPATH,
        "CGO_ENABLED": "0",
        "GOFLAGS": "",
    }
    if not os.environ.get("GOCACHE") and not os.environ.get("HOME"):
        env["GOCACHE"] = str(out / "cache")
    built = subprocess.run(
        ["go", "build", "-o", str(binary), str(SOURCE)],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0:
        pytest.fail(f"building {SOURCE} failed:\n{built.stdout}{built.stderr}", pytrace=False)
    return binary


@pytest.fixture
def sock() -> Iterator[str]:
    """A short socket path (unix socket paths are limited to 107 bytes)."""
    directory = tempfile.mkdtemp(prefix="mngo")
    yield os.path.join(directory, "run", "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


def parse_line(line: str) -> Record:
    """``kind value value ...`` with JSON values (strings quoted, numbers bare)."""
    kind, _, rest = line.partition(" ")
    decoder = json.JSONDecoder()
    values: list[object] = []
    rest = rest.strip()
    while rest:
        value, end = decoder.raw_decode(rest)
        values.append(value)
        rest = rest[end:].lstrip()
    return kind, values


def run_client(goclient: Path, sock: str, *args: str, status: int = 0) -> list[Record]:
    done = subprocess.run([str(goclient), sock, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    return [parse_line(line) for line in done.stdout.splitlines()]


def http(goclient: Path, sock: str, *args: str) -> tuple[int, str, str]:
    """(status, content type, body) of one request."""
    records = dict(run_client(goclient, sock, *args))
    code, content_type, body = records["status"][0], records["content-type"][0], records["body"][0]
    assert isinstance(code, int) and isinstance(content_type, str) and isinstance(body, str)
    return code, content_type, body


def job_status(goclient: Path, sock: str, job: str) -> dict[str, object]:
    code, content_type, body = http(goclient, sock, "status", job)
    assert (code, content_type) == (200, "application/json"), body
    document: dict[str, object] = json.loads(body)
    return document


def up(mittnite: Start, sock: str, config: dict[str, str]) -> Mittnite:
    run = mittnite(config, "--api", "--api-listen-address", f"unix://{sock}")
    run.wait_for("remote api listens on")
    return run


def texts(records: list[Record]) -> list[object]:
    return [values[0] for kind, values in records if kind == "text"]


WEB = (
    'job "web" {\n command = "/bin/sh"\n'
    ' args = ["-c", "echo hello-out; echo hello-err >&2; exec sleep 1000"]\n'
    " controllable = true\n}\n"
)
HIDDEN = 'job "hidden" {\n command = "sleep"\n args = ["1000"]\n}\n'


def filed(out: Path) -> str:
    """A controllable job writing 1,000 lines to a stdout file and one line to stderr."""
    return (
        'job "filed" {\n command = "/bin/sh"\n'
        ' args = ["-c", "i=1; while [ $i -le 1000 ]; do echo line$i; i=$((i+1)); done; '
        'echo to-stderr >&2; exec sleep 1000"]\n'
        f' controllable = true\n stdout = "{out}"\n}}\n'
    )


def test_list_and_status(goclient: Path, mittnite: Start, sock: str, tmp_path: Path) -> None:
    out = tmp_path / "filed.out"
    up(mittnite, sock, {"a.hcl": WEB + HIDDEN + filed(out)})
    assert http(goclient, sock, "list") == (200, "application/json", '["web","filed"]')

    wait_until(lambda: job_status(goclient, sock, "web").get("running") is True)
    document = job_status(goclient, sock, "web")
    assert list(document) == ["pid", "running", "phase", "config"]
    assert isinstance(document["pid"], int)
    assert document["phase"]["reason"] == "started"  # type: ignore[index]
    config = document["config"]
    assert isinstance(config, dict)
    assert (config["name"], config["command"], config["controllable"]) == ("web", "/bin/sh", True)
    assert "stdout" not in config

    wait_until(lambda: job_status(goclient, sock, "filed").get("running") is True)
    assert job_status(goclient, sock, "filed")["config"]["stdout"] == str(out)  # type: ignore[index]

    for name in ("hidden", "nosuchjob"):
        assert http(goclient, sock, "status", name) == (
            404,
            "text/plain; charset=utf-8",
            f'job "{name}" not found or is not controllable\n',
        )
        assert http(goclient, sock, "stop", name)[0] == 404


def test_start_stop_restart(goclient: Path, mittnite: Start, sock: str) -> None:
    run = up(mittnite, sock, {"a.hcl": WEB})
    wait_until(lambda: job_status(goclient, sock, "web").get("running") is True)
    first = job_status(goclient, sock, "web")["pid"]

    assert http(goclient, sock, "stop", "web") == (200, "", "")
    wait_until(lambda: job_status(goclient, sock, "web")["running"] is False, message="stop")
    stopped = job_status(goclient, sock, "web")
    assert "pid" not in stopped
    assert stopped["phase"]["reason"] == "stopped"  # type: ignore[index]
    assert run.process.poll() is None

    assert http(goclient, sock, "start", "web") == (200, "", "")
    wait_until(lambda: job_status(goclient, sock, "web")["running"] is True, message="start")
    second = job_status(goclient, sock, "web")["pid"]
    assert second != first
    assert http(goclient, sock, "start", "web") == (200, "", "")  # running: a no-op
    assert job_status(goclient, sock, "web")["pid"] == second

    assert http(goclient, sock, "restart", "web") == (200, "", "")
    wait_until(
        lambda: job_status(goclient, sock, "web").get("pid") not in (None, second),
        message="restart",
    )
    assert job_status(goclient, sock, "web")["running"] is True


def test_logs_of_a_thousand_line_file_are_complete(
    goclient: Path, mittnite: Start, sock: str, tmp_path: Path
) -> None:
    out = tmp_path / "filed.out"
    run = up(mittnite, sock, {"a.hcl": filed(out)})
    wait_until(lambda: out.exists() and out.read_text().count("\n") == 1000)
    run.wait_for("to-stderr")

    records = run_client(goclient, sock, "logs", "filed", "-1", "false")
    assert records[0] == ("handshake", [101])
    lines = [f"line{i}" for i in range(1, 1001)]
    assert texts(records) == [*lines, "to-stderr"]  # stderr has no file: from memory
    assert records[-1] == ("close", [1000, "EOF"])

    records = run_client(goclient, sock, "logs", "filed", "3", "false")
    assert texts(records) == ["line998", "line999", "line1000", "to-stderr"]
    assert records[-1] == ("close", [1000, "EOF"])

    records = run_client(goclient, sock, "logs", "filed", "0", "false")
    assert records == [("handshake", [101]), ("close", [1000, "EOF"])]


def test_logs_without_files_and_refused_handshake(
    goclient: Path, mittnite: Start, sock: str
) -> None:
    run = up(mittnite, sock, {"a.hcl": WEB + HIDDEN})
    run.wait_for("hello-err")
    records = run_client(goclient, sock, "logs", "web", "-1", "false")
    assert records == [
        ("handshake", [101]),
        ("text", ["hello-out"]),
        ("text", ["hello-err"]),
        ("close", [1000, "EOF"]),
    ]
    # what the original mittnitectl reports as "websocket: bad handshake"
    records = run_client(goclient, sock, "logs", "hidden", "-1", "false", status=1)
    assert records[0] == ("handshake", [404])
    assert records[-1] == ("error", ["websocket: bad handshake"])


class Follower:
    """A ``goclient ... logs JOB -1 true`` whose output lines are read as they arrive."""

    def __init__(self, goclient: Path, sock: str, job: str) -> None:
        self.process = subprocess.Popen(
            [str(goclient), sock, "logs", job, "-1", "true"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next(self, timeout: float = 15.0) -> Record:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no output from the Go client in time") from None
        assert line is not None, "the Go client ended its follow early"
        return parse_line(line)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(10)


def test_follow_gets_new_lines(goclient: Path, mittnite: Start, sock: str, tmp_path: Path) -> None:
    out = tmp_path / "follow.out"
    trigger = tmp_path / "trigger"
    job = (
        'job "f" {\n command = "/bin/sh"\n'
        f' args = ["-c", "echo first; while [ ! -e {trigger} ]; do sleep 0.02; done; '
        'echo second; echo third >&2; exec sleep 1000"]\n'
        f' controllable = true\n stdout = "{out}"\n}}\n'
    )
    up(mittnite, sock, {"a.hcl": job})
    wait_until(lambda: out.exists() and out.read_text() == "first\n")
    follower = Follower(goclient, sock, "f")
    try:
        assert follower.next() == ("handshake", [101])
        assert follower.next() == ("text", ["first"])
        trigger.touch()
        # the file and the in-memory stderr are streamed side by side
        assert sorted([follower.next(), follower.next()]) == [
            ("text", ["second"]),
            ("text", ["third"]),
        ]
        with out.open("a") as appended:
            appended.write("appended\n")
        assert follower.next() == ("text", ["appended"])
        assert follower.process.poll() is None  # following: no close frame
    finally:
        follower.stop()

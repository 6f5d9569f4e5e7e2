"""The README's first command, end to end: the quick-start stack of ``examples/quickstart``.

``make demo`` runs ``examples/quickstart/run-demo.sh``; this test runs that same script on a
copy of the example directory (so the repository stays clean) and walks through what the
README suggests trying: the rendered file, the boot job, the lazy HTTP service on port 8080,
``mittnitectl`` over the API socket, editing the watched file, and Ctrl-C for a clean
shutdown. It uses the example's fixed ports (8080, 8081, 9102), as the demo does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .harness import MITTNITE, MITTNITECTL, processes_with

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for(predicate: object, what: str, timeout: float = 20.0) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def demo(tmp_path: Path):  # type: ignore[no-untyped-def]
    for port in (8080, 8081, 9102):
        if not port_is_free(port):
            pytest.fail(f"port {port} (used by the quick-start demo) is taken on this machine")
    copy = tmp_path / "quickstart"
    shutil.copytree(ROOT / "examples" / "quickstart", copy, ignore=shutil.ignore_patterns("run"))
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    process = subprocess.Popen(
        ["sh", str(copy / "run-demo.sh")],
        env={**os.environ, "MITTNITE": MITTNITE[0] if len(MITTNITE) == 1 else str(BIN / "mittnite"), "GREETER_INTERVAL": "0.2"},
        stdin=subprocess.DEVNULL,
        stdout=out.open("wb"),
        stderr=err.open("wb"),
        start_new_session=True,
    )
    try:
        yield copy, process, out, err
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_quickstart_stack_runs_as_the_readme_describes(demo) -> None:  # type: ignore[no-untyped-def]
    workdir, process, out, err = demo
    rendered = workdir / "run" / "greeter.conf"
    socket_path = workdir / "run" / "mittnite.sock"

    def log() -> str:
        return f"--- stdout\n{out.read_text()}\n--- stderr\n{err.read_text()}"

    wait_for(lambda: "greeter: Hello, Mittnite!" in out.read_text(), "the greeter job\n" + log())
    text = rendered.read_text()
    assert "Hello, Containers!" in text and "interval = 0.2" in text
    assert "boot job done" in out.read_text()

    # The lazy web job starts on the first connection to :8080.
    with urllib.request.urlopen("http://127.0.0.1:8080/", timeout=10) as response:
        assert b"served lazily by mittnite" in response.read()

    # mittnitectl over the API socket lists both controllable jobs.
    listed = subprocess.run(
        [*MITTNITECTL, "--api-address", f"unix://{socket_path}", "job", "list",
         "--json"],
        capture_output=True, text=True, timeout=30,
    )
    assert listed.returncode == 0, listed.stderr + log()
    assert {"greeter", "web"} <= {e["name"] for e in __import__("json").loads(listed.stdout)}

    # Editing the watched file makes the greeter reload it (SIGHUP through the watch).
    rendered.write_text("Hi, edited!\ninterval = 0.2\n")
    wait_for(lambda: "greeter: reloaded" in out.read_text(), "the reload\n" + log())
    wait_for(lambda: "greeter: Hi, edited!" in out.read_text(), "the new greeting\n" + log())

    # Ctrl-C: a clean shutdown, exit status 0, nothing left running, socket removed.
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0, log()
    assert processes_with(str(workdir / "run" / "www")) == []
    assert processes_with("greeter.py run/greeter.conf") == []
    assert not socket_path.exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_ends_with_status_0_on_ctrl_c(tmp_path: Path) -> None:
    """The README's promise: Ctrl-C in ``make demo`` stops the stack and make says 0.

    Runs ``make demo`` on a terminal (a pty) in a copy of the Makefile and the example,
    with this checkout's virtualenv, and types Ctrl-C: the terminal's SIGINT must reach
    mittnite alone (run-demo.sh makes it the foreground job), so make is not interrupted.
    """
    import pty
    import select

    for port in (8080, 8081, 9102):
        if not port_is_free(port):
            pytest.fail(f"port {port} (used by the quick-start demo) is taken on this machine")
    venv = BIN.parent
    if not (venv / "bin" / "mittnite").exists():
        pytest.skip("needs the checkout's virtualenv (make test creates it)")
    work = tmp_path / "clone"
    (work / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "Makefile", work)
    shutil.copy(ROOT / "pyproject.toml", work)
    shutil.copytree(
        ROOT / "examples" / "quickstart",
        work / "examples" / "quickstart",
        ignore=shutil.ignore_patterns("run"),
    )
    (work / ".venv").symlink_to(venv)
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make on the pty, the venv taken as installed
        os.chdir(work)
        os.execvp("make", ["make", "-o", ".venv/.installed", "demo"])
    output = b""
    interrupted = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 0.2)
            if ready:
                try:
                    data = os.read(terminal, 65536)
                except OSError:  # the pty closed: make has exited
                    break
                if not data:
                    break
                output += data
            if not interrupted and b"greeter: Hello, Mittnite!" in output:
                os.write(terminal, b"\x03")  # Ctrl-C, as typed
                interrupted = True
        _, status = os.waitpid(pid, 0)
    finally:
        for leftover in processes_with(str(work)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(leftover, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        os.close(terminal)
    text = output.decode(errors="replace")
    assert interrupted, text
    assert "received event interrupt" in text and "service runner shut down gracefully" in text
    assert "Interrupt" not in text.replace("received event interrupt", ""), text
    assert os.waitstatus_to_exitcode(status) == 0, text

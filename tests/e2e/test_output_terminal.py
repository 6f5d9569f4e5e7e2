"""Jobs see a terminal when mittnite's output is one; partial lines show at once (issue 14 §5).

Under the original a job writes straight to mittnite's stdout, so with
``docker run -t`` it sees a terminal. Here mittnite's stdout is a real
pseudo-terminal opened by the test: the job must see ``isatty(1)``, the
window size (also after SIGWINCH), and a prompt without newline must appear
without waiting for the next newline. The API's logs keep working.
"""

from __future__ import annotations

import base64
import fcntl
import os
import pty
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Start
from .wire import Wire, ws_upgrade

JOB = """\
import os, signal, sys, time

def report(*_):
    columns, rows = os.get_terminal_size(1)
    print(f"size={columns}x{rows}", flush=True)

signal.signal(signal.SIGWINCH, report)
print(f"tty={os.isatty(1)} err_tty={os.isatty(2)}", flush=True)
report()
sys.stdout.write("prompt> ")
sys.stdout.flush()
while True:
    time.sleep(1)
"""


@pytest.fixture
def sock() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="mntty")
    yield os.path.join(directory, "api.sock")
    shutil.rmtree(directory, ignore_errors=True)


class Terminal:
    """The test's side of mittnite's terminal."""

    def __init__(self, rows: int, columns: int) -> None:
        self.master, self.slave = pty.openpty()
        self.resize(rows, columns)
        os.set_blocking(self.master, False)
        self.seen = b""

    def resize(self, rows: int, columns: int) -> None:
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def wait_for(self, text: bytes, timeout: float = 20.0) -> bytes:
        """Read until ``text`` was shown (CRLF as LF); a generous timeout only catches hangs."""
        deadline = time.monotonic() + timeout
        while text not in self.seen.replace(b"\r\n", b"\n"):
            assert time.monotonic() < deadline, f"{text!r} not shown; got {self.seen!r}"
            try:
                self.seen += os.read(self.master, 65536)
            except BlockingIOError:
                time.sleep(0.01)
        return self.seen.replace(b"\r\n", b"\n")

    def close(self) -> None:
        for fd in (self.master, self.slave):
            os.close(fd)


def logs(sock: str) -> list[bytes]:
    wire = Wire(sock)
    try:
        key = base64.b64encode(os.urandom(16)).decode()
        wire.send(ws_upgrade("/v1/job/shell/logs", key=key))
        while b"\r\n\r\n" not in wire.buffer:
            assert wire._fill()
        wire.buffer = wire.buffer.split(b"\r\n\r\n", 1)[1]
        lines = []
        while True:
            opcode, payload = wire.frame()
            if opcode == 8:
                return lines
            lines.append(payload)
    finally:
        wire.close()


@pytest.mark.parametrize("stderr_too", [False, True])
def test_a_job_sees_a_terminal_and_its_prompt_shows_at_once(
    mittnite: Start, sock: str, tmp_path: Path, stderr_too: bool
) -> None:
    script = tmp_path / "job.py"
    script.write_text(JOB)
    config = (
        f'job "shell" {{\n command = "{sys.executable}"\n args = ["{script}"]\n'
        " controllable = true\n}\n"
    )
    terminal = Terminal(rows=40, columns=132)
    try:
        run = mittnite(
            {"a.hcl": config},
            "--api",
            "--api-listen-address",
            f"unix://{sock}",
            stdout=terminal.slave,
            stderr=terminal.slave if stderr_too else None,
        )
        seen = terminal.wait_for(b"prompt> ")
        assert f"tty=True err_tty={stderr_too}\nsize=132x40\nprompt> ".encode() in seen
        terminal.resize(rows=50, columns=100)
        run.signal(signal.SIGWINCH)  # as docker does when its terminal is resized
        seen = terminal.wait_for(b"size=100x50\n")
        if not stderr_too:  # (else mittnite's own log line about the signal comes between)
            assert b"prompt> size=100x50\n" in seen
        assert logs(sock) == [
            f"tty=True err_tty={stderr_too}".encode(),
            b"size=132x40",
            b"prompt> size=100x50",
        ]
        run.signal(signal.SIGTERM)
        assert run.wait() == 0
    finally:
        terminal.close()


def test_partial_lines_show_without_a_terminal_too(mittnite: Start, tmp_path: Path) -> None:
    """A progress bar or prompt on a pipe: shown after a moment, not at the next newline."""
    config = (
        'job "bar" {\n command = "/bin/sh"\n'
        ' args = ["-c", "printf \'progress 10%%\'; exec sleep 1000"]\n}\n'
        'job "stamped" {\n command = "/bin/sh"\n'
        ' args = ["-c", "printf \'Password: \'; exec sleep 1000"]\n enableTimestamps = true\n}\n'
    )
    run = mittnite({"a.hcl": config}, "--prefix-output")
    run.wait_for(r"bar \| progress 10%", stream="stdout")
    run.wait_for(r"\[[-0-9T:Z+]+\] stamped \| Password: ", stream="stdout")
    run.signal(signal.SIGTERM)
    assert run.wait() == 0

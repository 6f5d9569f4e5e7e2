"""PID file handling: exclusive create, stale files, our own PID, release."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from mittnite.supervisor.pidfile import PidFile, PidFileError


def test_writes_pid_without_newline_and_releases(tmp_path: Path) -> None:
    messages: list[str] = []
    path = tmp_path / "sub" / "mittnite.pid"
    pidfile = PidFile(str(path), messages.append)
    pidfile.acquire()
    assert path.read_text() == str(os.getpid())
    assert oct(path.stat().st_mode & 0o777) == oct(0o644 & ~_umask())
    pidfile.release()
    assert not path.exists()
    assert messages == [f"acquired pid file {path}", f"released pid file {path}"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_running_process_blocks(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        path = tmp_path / "p.pid"
        path.write_text(str(sleeper.pid))
        with pytest.raises(PidFileError, match="already exists and contains the PID of a running"):
            PidFile(str(path)).acquire()
        assert path.read_text() == str(sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_stale_file_of_dead_process_is_replaced(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    path = tmp_path / "p.pid"
    path.write_text(f"{dead.pid}\n")  # a trailing newline is tolerated
    messages: list[str] = []
    PidFile(str(path), messages.append).acquire()
    assert path.read_text() == str(os.getpid())
    assert "existing pid file contains the PID of a non-running process; removing it" in messages


def test_own_pid_is_stale_after_a_container_restart(tmp_path: Path) -> None:
    path = tmp_path / "p.pid"
    path.write_text(str(os.getpid()))
    PidFile(str(path)).acquire()
    assert path.read_text() == str(os.getpid())


def test_garbage_content_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.pid"
    path.write_text("hello")
    with pytest.raises(PidFileError, match="failed to parse pid file"):
        PidFile(str(path)).acquire()


def test_release_without_acquire_keeps_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "p.pid"
    path.write_text("123")
    PidFile(str(path)).release()
    assert path.exists()

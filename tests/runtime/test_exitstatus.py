"""Exit statuses of real processes, in Go's words."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from mittnite.runtime.exitstatus import ExitStatus, signal_name
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from .procs import run, settle


async def status_of(argv: list[str], cwd: str | None = None) -> ExitStatus:
    async with Reaper() as reaper:
        return await settle(spawn(argv, reaper=reaper, cwd=cwd).exited)


def test_exit_codes_are_decoded_like_go() -> None:
    status = run(status_of(["sh", "-c", "exit 3"]))
    assert status.raw == 768
    assert status.exit_code == 3
    assert status.term_signal is None
    assert not status.success
    assert status.returncode == 3
    assert status.describe() == str(status) == "exit status 3"


def test_success_is_exit_zero_only() -> None:
    status = run(status_of(["true"]))
    assert status.success
    assert status.describe() == "exit status 0"
    assert not run(status_of(["false"])).success


@pytest.mark.parametrize(
    ("signum", "text"),
    [
        (signal.SIGTERM, "signal: terminated"),
        (signal.SIGKILL, "signal: killed"),
        (signal.SIGHUP, "signal: hangup"),
        (signal.SIGUSR1, "signal: user defined signal 1"),
        (signal.SIGINT, "signal: interrupt"),
    ],
)
def test_deaths_by_signal_are_described_like_go(signum: int, text: str) -> None:
    status = run(status_of(["sh", "-c", f"kill -{int(signum)} $$"]))
    assert status.term_signal == signum
    assert status.exit_code is None
    assert status.raw == signum
    assert status.returncode == -signum
    assert not status.success
    assert status.describe() == text


def test_core_dump_is_mentioned(tmp_path: Path) -> None:
    # The core file, if the kernel writes one, lands in the temporary directory.
    status = run(status_of(["sh", "-c", "ulimit -c unlimited; kill -SEGV $$"], cwd=str(tmp_path)))
    assert status.term_signal == signal.SIGSEGV
    if status.core_dumped:
        assert status.describe() == "signal: segmentation fault (core dumped)"
    else:
        assert status.describe() == "signal: segmentation fault"


def test_constructed_statuses_match_raw_encoding() -> None:
    assert ExitStatus.exited(3) == ExitStatus(768)
    assert ExitStatus.killed_by(15) == ExitStatus(15)
    cored = ExitStatus.killed_by(11, core_dumped=True)
    assert cored.raw == 139
    assert cored.describe() == "signal: segmentation fault (core dumped)"
    with pytest.raises(ValueError):
        ExitStatus.exited(256)


def test_signal_names_are_gos() -> None:
    expected = {
        1: "hangup",
        2: "interrupt",
        3: "quit",
        5: "trace/breakpoint trap",
        6: "aborted",
        9: "killed",
        10: "user defined signal 1",
        12: "user defined signal 2",
        13: "broken pipe",
        14: "alarm clock",
        15: "terminated",
        17: "child exited",
        19: "stopped (signal)",
        23: "urgent I/O condition",
        24: "CPU time limit exceeded",
        28: "window changed",
        31: "bad system call",
        32: "signal 32",
        64: "signal 64",
    }
    assert {number: signal_name(number) for number in expected} == expected

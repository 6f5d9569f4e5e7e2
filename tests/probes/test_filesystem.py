"""The filesystem probe: a readable directory, and a missing one keeps the wait waiting."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from mittnite.config.model import ProbeConfig

from .conftest import LogCapture, make_probe, ready_after, run


def fs_probe(path: Path | str) -> ProbeConfig:
    return ProbeConfig("data", wait=True, filesystem=str(path))


def test_directory_is_ready_and_logs_nothing(tmp_path: Path, logs: LogCapture) -> None:
    assert run(make_probe(fs_probe(tmp_path), logs).result()) is None
    assert logs.lines == []


def test_missing_file_and_unreadable(tmp_path: Path, logs: LogCapture) -> None:
    regular = tmp_path / "file"
    regular.write_text("x")
    assert run(make_probe(fs_probe(tmp_path / "nope"), logs).result()) == (
        f"filesystem: {tmp_path / 'nope'} does not exist"
    )
    assert run(make_probe(fs_probe(regular), logs).result()) == (
        f"filesystem: {regular} is not a directory"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a check as another user")
def test_unreadable_directory() -> None:
    """Permission is checked as the user mittnite runs as (here: nobody, in a child)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as scratch:
        Path(scratch).chmod(0o755)
        locked = Path(scratch) / "locked"
        locked.mkdir(mode=0o700)
        # Everything is imported while still root (the interpreter lives under /root),
        # then the child becomes nobody and runs the check.
        script = (
            "import asyncio, io, os\n"
            "from mittnite.config.model import ProbeConfig\n"
            "from mittnite.logs.logger import Logger\n"
            "from mittnite.probes import build_probes\n"
            f"probes = build_probes([ProbeConfig('d', filesystem={str(locked)!r})], environ={{}},"
            " logger=Logger(io.StringIO()))\n"
            "os.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
            "print(asyncio.run(probes['d'].result()))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=False,
            cwd="/",
        )
    assert result.stdout.strip() == f"filesystem: {locked} is not readable (permission denied)", (
        result.stderr
    )


def test_directory_appearing_after_the_wait_started(tmp_path: Path, logs: LogCapture) -> None:
    """The original ended readiness early on a missing path; here the wait goes on."""
    target = tmp_path / "later"
    probe = make_probe(fs_probe(target), logs)

    async def scenario() -> float:
        async def bring_up() -> None:
            await asyncio.to_thread(target.mkdir)

        return await ready_after(probe, bring_up, logs, delay=1.3)

    assert run(scenario()) < 0.5
    # err: the original's Go text; reason: the same in plain words
    assert logs.matching(
        f'err="open {target}: no such file or directory" kind=probe name=data '
        f'reason="filesystem: {target} does not exist"'
    )
    assert not logs.matching("level=fatal")

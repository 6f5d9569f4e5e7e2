"""mittnite as PID 1 of a new PID namespace (``unshare --pid --fork --mount-proc``).

This is how it runs in a container: orphans are re-parented to it, and the
kernel only delivers signals it has handlers for.
"""

from __future__ import annotations

import shutil
import signal
import time

import pytest

from .conftest import Start
from .harness import processes_with

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")

COUNT_ZOMBIES = (
    "z=0; for s in /proc/[0-9]*/stat; do "
    "st=$(cut -d' ' -f3 $s 2>/dev/null); [ \\\"$st\\\" = Z ] && z=$((z+1)); done; echo zombies=$z"
)


def test_orphans_are_reaped_and_never_steal_exit_statuses(mittnite: Start) -> None:
    spawner = (
        "for i in $(seq 100); do sh -c 'sleep 0.2 &'; done; "
        "sleep 1.5; echo pid=$$; "
        f"{COUNT_ZOMBIES}"
    )
    run = mittnite(
        {
            "a.hcl": f'job "spawner" {{\n command = "/bin/sh"\n args = ["-c", "{spawner}"]\n oneTime = true\n}}\n'
            'job "quick" {\n command = "/bin/sh"\n args = ["-c", "exit 0"]\n oneTime = true\n}\n'
        },
        pid1=True,
    )
    assert run.wait() == 0, run.stderr
    assert "zombies=0" in run.stdout, run.stdout
    # exit statuses of managed jobs are never lost to the orphan reaper
    assert 'msg="one-time job has ended successfully" job.name=quick' in run.stderr
    assert 'msg="one-time job has ended successfully" job.name=spawner' in run.stderr


def test_sigterm_as_pid1_stops_the_stack(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "a" {\n command = "sleep"\n args = ["1010"]\n}\n'
            'job "b" {\n command = "/bin/sh"\n args = ["-c", "trap \'\' TERM; echo b up; sleep 1011 & wait"]\n'
            ' stopTimeout = "1s"\n}\n'
        },
        pid1=True,
    )
    run.wait_for("b up", stream="stdout")
    started = time.monotonic()
    run.signal(signal.SIGTERM)
    assert run.wait() == 0
    assert time.monotonic() - started < 6
    assert processes_with("sleep 1010") == [] and processes_with("sleep 1011") == []


def test_failure_exit_status_as_pid1(mittnite: Start) -> None:
    run = mittnite(
        {
            "a.hcl": 'job "bad" {\n command = "/bin/sh"\n args = ["-c", "exit 2"]\n maxAttempts = 1\n}\n'
        },
        pid1=True,
    )
    assert run.wait() == 1


def test_signals_reach_jobs_as_pid1(mittnite: Start) -> None:
    script = "trap 'echo reload' HUP; echo ready; while true; do sleep 0.05; done"
    run = mittnite(
        {"a.hcl": f'job "t" {{\n command = "/bin/sh"\n args = ["-c", "{script}"]\n}}\n'}, pid1=True
    )
    run.wait_for("ready", stream="stdout")
    run.signal(signal.SIGHUP)
    run.wait_for("reload", stream="stdout")
    run.signal(signal.SIGINT)
    assert run.wait() == 0

"""Processes that left their job's process group are stopped at shutdown too.

A daemon that double-forks into a session of its own (``setsid``) is not reached by the
signal to its job's group; mittnite, as PID 1 or as child subreaper, inherits it when its
parent exits. At shutdown every process below mittnite gets SIGTERM, and SIGKILL after
the grace time; nothing is left once mittnite has exited.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from .conftest import Start
from .harness import processes_with

pytestmark = pytest.mark.skipif(shutil.which("setsid") is None, reason="needs setsid")

MODES = {"pid 1": True, "subreaper": False}


def write_scripts(tmp_path: Path, tag: str) -> Path:
    """spawn.sh starts two setsid daemons (one honours SIGTERM, one ignores it) and exits."""
    honouring = tmp_path / "honouring.sh"
    honouring.write_text(
        f"trap 'echo got-term > {tmp_path}/honouring.term; exit 0' TERM\n"
        f"echo $$ > {tmp_path}/honouring.pid\n"
        f"while :; do sleep 0.1; done  # {tag}\n"
    )
    ignoring = tmp_path / "ignoring.sh"
    ignoring.write_text(
        f"trap '' TERM\necho $$ > {tmp_path}/ignoring.pid\nwhile :; do sleep 0.1; done  # {tag}\n"
    )
    spawner = tmp_path / "spawn.sh"
    spawner.write_text(
        f"setsid sh {honouring} {tag} &\n"
        f"(setsid sh {ignoring} {tag} &)\n"  # double fork: re-parented at once
        # an orphan that stays in the job's process group and ends on its own
        f"(trap '' TERM; touch {tmp_path}/orphan.ready; exec sleep 0.5) &\n"
        # the job's group gets SIGTERM when the job ends: wait until both daemons have
        # left it and the orphan ignores SIGTERM
        f"while [ ! -s {tmp_path}/honouring.pid ] || [ ! -s {tmp_path}/ignoring.pid ] "
        f"|| [ ! -e {tmp_path}/orphan.ready ]; do\n"
        "  sleep 0.05\n"
        "done\n"
        "exit 0\n"
    )
    return spawner


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("mode", list(MODES))
def test_escaped_daemons_get_sigterm_then_sigkill(
    mittnite: Start, tmp_path: Path, mode: str
) -> None:
    tag = f"escapee-{os.getpid()}-{mode.replace(' ', '')}"
    spawner = write_scripts(tmp_path, tag)
    config = {
        "a.hcl": f'job "spawner" {{\n command = "/bin/sh"\n args = ["{spawner}"]\n oneTime = true\n}}\n'
        'job "keeper" {\n command = "sleep"\n args = ["1030"]\n}\n'
    }
    run = mittnite(config, "--stop-timeout", "1s", pid1=MODES[mode])
    deadline = time.monotonic() + 30
    while not ((tmp_path / "honouring.pid").exists() and (tmp_path / "ignoring.pid").exists()):
        assert time.monotonic() < deadline, run.stderr
        time.sleep(0.05)
    pids = [int((tmp_path / f"{n}.pid").read_text()) for n in ("honouring", "ignoring")]
    run.wait_for(r'msg="reaped orphaned process" exit.code=0 job.name=spawner pid=\d+')
    run.signal(signal.SIGTERM)
    assert run.wait(60) == 0, run.stderr
    assert (tmp_path / "honouring.term").read_text() == "got-term\n"
    if not MODES[mode]:  # pids from inside a namespace mean nothing out here
        assert not any(alive(pid) for pid in pids)
    assert processes_with(tag) == []
    log = run.stderr
    assert re.search(r'msg="stopping process that left its job" pid=\d+ signal=15', log)
    assert re.search(r'msg="forcefully killed process that left its job" pid=\d+ signal=9', log)
    assert "Traceback" not in log and "internal error" not in log


def test_escapee_of_a_finished_run_is_stopped_when_mittnite_ends(
    mittnite: Start, tmp_path: Path
) -> None:
    """When every job has ended, mittnite exits, and takes the daemons a job left with it."""
    tag = f"escapee-{os.getpid()}-end"
    spawner = write_scripts(tmp_path, tag)
    config = {
        "a.hcl": f'job "spawner" {{\n command = "/bin/sh"\n'
        f' args = ["-c", "sh {spawner}; sleep 1"]\n oneTime = true\n}}\n'
    }
    run = mittnite(config, "--stop-timeout", "1s")
    assert run.wait(60) == 0, run.stderr
    assert (tmp_path / "honouring.term").exists()
    assert processes_with(tag) == []

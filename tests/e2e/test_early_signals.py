"""SIGTERM and SIGINT during start-up, with mittnite as PID 1 of a PID namespace.

As PID 1 the kernel drops a signal that has no handler, so mittnite must catch them from
its first instruction on. Whatever phase a shutdown signal meets (loading a big
configuration, rendering a slow template, waiting for probes, running boot jobs),
mittnite ends cleanly: no job starts, no traceback, exit status 0 (README, "Running
mittnite up").
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from .conftest import Start

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")

SIGNALS = [signal.SIGTERM, signal.SIGINT]


def marker_job(marker: Path) -> str:
    """A job that leaves a file behind if it ever starts."""
    return (
        f'job "marker" {{\n command = "/bin/sh"\n args = ["-c", "touch {marker}; sleep 100"]\n}}\n'
    )


def big_config(tmp_path: Path, marker: Path) -> dict[str, str]:
    """About two seconds of parsing: a file block with 150,000 parameters."""
    template = tmp_path / "small.tpl"
    template.write_text("hello\n")
    params = "".join(f'  k{i} = "value {i}"\n' for i in range(150_000))
    block = (
        f'file "{tmp_path / "big.txt"}" {{\n from = "{template}"\n params = {{\n{params}}}\n}}\n'
    )
    return {"a.hcl": block + marker_job(marker)}


def slow_template(tmp_path: Path, marker: Path) -> dict[str, str]:
    """A template that takes seconds to render (bcrypt is slow by design), well within the
    engine's budgets for list sizes and evaluation steps."""
    template = tmp_path / "slow.tpl"
    template.write_text('{{ range until 100 }}{{ bcrypt "x" }}{{ end }}')
    block = f'file "{tmp_path / "slow.txt"}" {{\n from = "{template}"\n}}\n'
    return {"a.hcl": block + marker_job(marker)}


def probe_wait(tmp_path: Path, marker: Path) -> dict[str, str]:
    """A filesystem probe on a path that never appears."""
    block = f'probe "never" {{\n wait = true\n filesystem = "{tmp_path / "never"}"\n}}\n'
    return {"a.hcl": block + marker_job(marker)}


def boot_job(tmp_path: Path, marker: Path) -> dict[str, str]:
    """A boot job that takes long (and writes when it gets SIGTERM)."""
    stopped = tmp_path / "boot-stopped"
    block = (
        'boot "slow" {\n command = "/bin/sh"\n'
        f' args = ["-c", "trap \'touch {stopped}; exit 0\' TERM; echo boot running; sleep 100 & wait"]\n'
        ' timeout = "5m"\n}\n'
    )
    return {"a.hcl": block + marker_job(marker)}


PHASES = {
    "loading a big configuration": (big_config, "found config file"),
    "rendering a slow template": (slow_template, "creating configuration file"),
    "waiting for probes": (probe_wait, "not ready yet"),
    "running boot jobs": (boot_job, "boot running"),
}


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("phase", list(PHASES))
def test_shutdown_signal_during_start_up(
    mittnite: Start, tmp_path: Path, phase: str, signum: int
) -> None:
    marker = tmp_path / "started"
    build, seen = PHASES[phase]
    run = mittnite(build(tmp_path, marker), pid1=True)
    run.wait_for(seen, timeout=60, stream="stdout" if seen == "boot running" else "stderr")
    run.signal(signum)
    assert run.wait(60) == 0, run.stderr
    name = signal.Signals(signum).name[3:].lower()
    event = {"term": "terminated", "int": "interrupt"}[name]
    assert f'msg="received event {event}"' in run.stderr
    assert not marker.exists(), "a job started after the shutdown signal"
    assert 'msg="starting job" job.name=marker' not in run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    if phase == "running boot jobs":
        assert (tmp_path / "boot-stopped").exists(), "the boot job did not get SIGTERM"

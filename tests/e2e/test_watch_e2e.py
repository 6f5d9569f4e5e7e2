"""File watches wired into ``mittnite up``: signal, restart, pre/post commands."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .conftest import Start


def _job(watch_file: Path, extra: str) -> str:
    script = "trap 'echo got HUP' HUP; echo ready $$; while true; do sleep 0.05; done"
    return (
        f'job "w" {{\n command = "/bin/sh"\n args = ["-c", "{script}"]\n'
        f' watch "{watch_file}" {{\n{extra}\n }}\n}}\n'
    )


def test_change_runs_pre_signal_post_in_order(mittnite: Start, tmp_path: Path) -> None:
    watched = tmp_path / "app.conf"
    watched.write_text("one\n")
    extra = (
        "  signal = 1\n"
        '  preCommand {\n   command = "/bin/sh"\n   args = ["-c", "echo pre $PHASE"]\n   env = ["PHASE=before"]\n  }\n'
        '  postCommand {\n   command = "/bin/sh"\n   args = ["-c", "echo post $PHASE"]\n   env = ["PHASE=after"]\n  }\n'
    )
    run = mittnite({"a.hcl": _job(watched, extra)})
    run.wait_for("ready", stream="stdout")
    time.sleep(0.2)
    watched.write_text("two\n")
    run.wait_for("post after", stream="stdout")
    run.wait_for("got HUP", stream="stdout")
    out = run.stdout
    assert out.index("pre before") < out.index("post after")
    log = run.stderr
    assert log.index("executing watch command") < log.index("sending signal 1 to process group")
    assert "file " + str(watched) + " changed, signalling process w" in run.stderr
    run.signal()
    assert run.wait() == 0


def test_atomic_replace_and_touch(mittnite: Start, tmp_path: Path) -> None:
    watched = tmp_path / "app.conf"
    watched.write_text("one\n")
    run = mittnite({"a.hcl": _job(watched, "  signal = 1\n")})
    run.wait_for("ready", stream="stdout")
    time.sleep(0.2)
    os.chmod(watched, 0o600)  # neither the time nor the content changes: nothing happens
    time.sleep(0.5)
    assert "got HUP" not in run.stdout
    later = watched.stat().st_mtime_ns + 2_000_000_000
    os.utime(watched, ns=(later, later))  # a touch signals, as in the original
    run.wait_for("got HUP", stream="stdout")
    identical = tmp_path / ".app.conf.same"
    identical.write_text("one\n")
    os.replace(identical, watched)  # another file, same bytes: nothing to reload
    time.sleep(0.5)
    assert run.stdout.count("got HUP") == 1
    replacement = tmp_path / ".app.conf.tmp"
    replacement.write_text("two\n")
    os.replace(replacement, watched)
    deadline = time.monotonic() + 10
    while run.stdout.count("got HUP") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert run.stdout.count("got HUP") == 2
    run.signal()
    assert run.wait() == 0


def test_restart_mode_restarts_the_job(mittnite: Start, tmp_path: Path) -> None:
    watched = tmp_path / "app.conf"
    watched.write_text("one\n")
    run = mittnite({"a.hcl": _job(watched, "  signal = 15\n  restart = true\n")})
    first = run.wait_for(r"ready (\d+)", stream="stdout").group(1)
    time.sleep(0.2)
    watched.write_text("two\n")
    run.wait_for("job stopped for restart")
    deadline = time.monotonic() + 10
    while run.stdout.count("ready") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [line.split()[1] for line in run.stdout.splitlines() if line.startswith("ready")]
    assert len(pids) == 2 and pids[0] == first and pids[1] != first
    assert "remaining attempts" not in run.stderr  # a restart is not a failure
    run.signal()
    assert run.wait() == 0


def test_files_rendered_at_start_up_do_not_trigger_watches(mittnite: Start, tmp_path: Path) -> None:
    rendered = tmp_path / "rendered.conf"
    rendered.write_text("stale content from the image\n")
    (tmp_path / "t.tpl").write_text("port={{ .Params.port }}\n")
    config = {
        "a.hcl": f'file "{rendered}" {{\n from = "{tmp_path / "t.tpl"}"\n params = {{ port = 80 }}\n}}\n'
        + _job(rendered, "  signal = 1\n")
    }
    run = mittnite(config)
    run.wait_for("ready", stream="stdout")
    time.sleep(0.7)
    assert rendered.read_text() == "port=80\n"
    assert "got HUP" not in run.stdout
    assert "changed, signalling" not in run.stderr
    rendered.write_text("port=81\n")
    run.wait_for("got HUP", stream="stdout")
    run.signal()
    assert run.wait() == 0

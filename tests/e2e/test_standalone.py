"""The standalone single-file executable (PyInstaller), as PID 1 and without a writable /tmp.

Built once per test session with packaging/build-standalone.sh (about 30 s).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "dist" / "mittnite"

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")


@pytest.fixture(scope="session")
def standalone() -> Iterator[Path]:
    subprocess.run(["sh", str(ROOT / "packaging" / "build-standalone.sh")], check=True, timeout=900)
    assert BINARY.exists()
    yield BINARY


def write_config(directory: Path, text: str) -> Path:
    conf = directory / "conf"
    conf.mkdir()
    (conf / "a.hcl").write_text(text)
    return conf


def test_help_and_ctl_alias(standalone: Path) -> None:
    result = subprocess.run([str(standalone), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Available Commands:" in result.stdout
    ctl = subprocess.run([str(standalone.parent / "mittnitectl"), "--help"], capture_output=True, text=True, timeout=60)
    assert "mittnitectl" in ctl.stdout or "control mittnite" in ctl.stdout


def test_pid1_reaps_orphans_and_stops_on_sigterm(standalone: Path, tmp_path: Path) -> None:
    spawner = (
        "for i in $(seq 50); do sh -c 'sleep 0.2 &'; done; sleep 1.5; "
        "z=0; for s in /proc/[0-9]*/stat; do st=$(cut -d' ' -f3 $s 2>/dev/null); "
        "[ \\\"$st\\\" = Z ] && z=$((z+1)); done; echo zombies=$z; exec sleep 1040"
    )
    conf = write_config(
        tmp_path, f'job "spawner" {{\n command = "/bin/sh"\n args = ["-c", "{spawner}"]\n}}\n'
    )
    # A private mount namespace with a read-only /tmp: the executable must not need it.
    script = (
        "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp && "
        "! touch /tmp/.mittnite-write-probe 2>/dev/null && "
        f"exec unshare --pid --fork --mount-proc {standalone} up -c {conf} -p 0"
    )
    out = tmp_path / "out.log"
    process = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        stdout=out.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while "zombies=" not in out.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "zombies=0" in out.read_text(errors="replace"), out.read_text(errors="replace")
        # SIGTERM to the namespace's PID 1 (the bootloader): forwarded, graceful, exit 0.
        pid1 = _namespace_init(process.pid)
        os.kill(pid1, signal.SIGTERM)
        assert process.wait(30) == 0
        log = out.read_text(errors="replace")
        assert "received event terminated" in log and 'msg="job stopped" job.name=spawner' in log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _namespace_init(root_pid: int) -> int:
    """The pid of the first process of the new PID namespace (child of unshare --fork)."""
    deadline = time.monotonic() + 10
    pid = root_pid
    while time.monotonic() < deadline:
        for candidate in Path("/proc").iterdir():
            if not candidate.name.isdigit():
                continue
            try:
                status = (candidate / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            nspid = fields.get("NSpid", "").split()
            if len(nspid) > 1 and nspid[-1] == "1" and _is_descendant(int(candidate.name), pid):
                return int(candidate.name)
        time.sleep(0.05)
    raise AssertionError("no PID 1 found")


def _is_descendant(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        stat = Path(f"/proc/{pid}/stat").read_text()
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return False

"""Run the real ``mittnite`` binary against a config directory and watch its output.

``MITTNITE_EXE=dist/mittnite pytest tests/e2e tests/cli`` runs the same tests against a
standalone executable (with ``mittnitectl`` beside it) instead of the pip install.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

# The executable under test: MITTNITE_EXE, or the pip install this interpreter runs.
EXECUTABLE = os.environ.get("MITTNITE_EXE", "")
MITTNITE = [str(Path(EXECUTABLE).resolve())] if EXECUTABLE else [sys.executable, "-m", "mittnite"]
_PIP_CTL = Path(sys.executable).parent / "mittnitectl"
MITTNITECTL = (
    [str(Path(EXECUTABLE).resolve().parent / "mittnitectl")]
    if EXECUTABLE
    else [str(_PIP_CTL)]
    if _PIP_CTL.exists()
    else [sys.executable, "-c", "from mittnite.cli.ctl.main import main; main()"]
)


def _terminate_with_parent() -> None:
    """In the child: SIGTERM when pytest dies, so an interrupted test run (a timeout, a
    Ctrl-C) does not leave a mittnite and its jobs running; SIGTERM lets mittnite stop its
    jobs itself."""
    import ctypes

    ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG


class Mittnite:
    """A running ``mittnite up`` (optionally as PID 1 of a new PID namespace)."""

    def __init__(
        self,
        config: dict[str, str],
        workdir: Path,
        *args: str,
        pid1: bool = False,
        env: dict[str, str] | None = None,
        stdout: int | None = None,
        stderr: int | None = None,
    ) -> None:
        self.workdir = workdir
        self.config_dir = workdir / "mittnite.d"
        self.config_dir.mkdir(parents=True, exist_ok=True)
        for name, text in config.items():
            (self.config_dir / name).write_text(text)
        self.out_path = workdir / "stdout.log"
        self.err_path = workdir / "stderr.log"
        argv = [*MITTNITE, "up", "-c", str(self.config_dir), "-p", "0", *args]
        if pid1:
            # --kill-child: mittnite (PID 1 inside) gets SIGTERM when unshare goes away
            argv = ["unshare", "--pid", "--fork", "--kill-child=SIGTERM", "--mount-proc", *argv]
        self.process = subprocess.Popen(
            argv,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=self.out_path.open("wb") if stdout is None else stdout,
            stderr=self.err_path.open("wb") if stderr is None else stderr,
            env={**os.environ, **(env or {})},
            start_new_session=True,
            preexec_fn=_terminate_with_parent,
        )
        self.pid1 = pid1

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(errors="replace") if self.out_path.exists() else ""

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(errors="replace") if self.err_path.exists() else ""

    def wait_for(
        self, pattern: str, timeout: float = 20.0, stream: str = "stderr"
    ) -> re.Match[str]:
        """Wait until ``pattern`` appears in mittnite's stderr (or stdout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stderr if stream == "stderr" else self.stdout
            found = re.search(pattern, text)
            if found:
                return found
            if self.process.poll() is not None:
                text = self.stderr if stream == "stderr" else self.stdout
                found = re.search(pattern, text)
                if found:
                    return found
                break
            time.sleep(0.05)
        raise AssertionError(
            f"{pattern!r} did not appear in {stream}\n--- stdout\n{self.stdout}\n--- stderr\n"
            f"{self.stderr}"
        )

    def mittnite_pid(self) -> int:
        """The pid of mittnite itself (inside a namespace: the child of ``unshare``)."""
        if not self.pid1:
            return self.process.pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            if children.exists():
                pids = children.read_text().split()
                if pids:
                    return int(pids[0])
            time.sleep(0.02)
        raise AssertionError("unshare did not start mittnite")

    def signal(self, signum: int = signal.SIGTERM) -> None:
        os.kill(self.mittnite_pid(), signum)

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"mittnite did not exit within {timeout}s\n--- stderr\n{self.stderr}"
            ) from None

    def kill(self) -> None:
        """Stop mittnite and everything it started (test cleanup).

        Jobs run in process groups of their own, so killing mittnite's group would
        leave them behind: ask mittnite to shut down first (it stops its jobs), and
        kill only what is left after a grace period.
        """
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, AssertionError):
                self.signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(15)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def processes_with(marker: str) -> list[int]:
    """Pids whose command line contains ``marker`` (to prove nothing survived)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline:
            found.append(int(entry.name))
    return found

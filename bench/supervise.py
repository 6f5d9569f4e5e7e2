"""Supervision costs of ``mittnite up`` side by side with tini and supervisord.

    python bench/supervise.py [--idle-seconds 60] [--runs 5]

Figures (each printed with the peers' figure and the ratio ours/peer):

* idle RSS of the init process supervising 2 and 50 ``sleep`` jobs (target:
  <= 18 MB for 2 jobs, i.e. within 1.5x of a 12 MB Go binary); per-job cost;
* time from exec to all jobs spawned, for 1, 10 and 100 jobs;
* CPU time used over an idle period with 10 jobs (target: < 0.1 s per 60 s);
* SIGTERM-to-exit time with 10 jobs that exit promptly (target: < 100 ms).

tini runs exactly one child, so it is compared with a shell that starts the
jobs; supervisord (Debian package) supervises the same jobs as we do.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import rss_kib

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


def marker_sleep(tag: str, index: int) -> list[str]:
    """A ``sleep`` whose command line identifies the run (to count its processes)."""
    return ["sleep", f"{3600 + index}.{tag}"]


def count_marked(tag: str) -> int:
    found = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                if f".{tag}".encode() in handle.read():
                    found += 1
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Stack:
    """One init process (ours or a peer) supervising ``jobs`` sleeps."""

    def __init__(self, kind: str, jobs: int, workdir: Path) -> None:
        self.kind = kind
        self.tag = f"{len(kind)}{jobs}{time.monotonic_ns() % 10**9}"  # digits: sleep parses it
        self.jobs = jobs
        workdir.mkdir(parents=True, exist_ok=True)
        if kind == "mittnite":
            conf = workdir / "mittnite.d"
            conf.mkdir(exist_ok=True)
            text = "".join(
                f'job "j{i}" {{\n command = "sleep"\n args = ["{marker_sleep(self.tag, i)[1]}"]\n}}\n'
                for i in range(jobs)
            )
            (conf / "jobs.hcl").write_text(text)
            self.argv = [sys.executable, "-m", "mittnite", "up", "-c", str(conf), "-p", "0"]
        elif kind == "supervisord":
            ini = workdir / "supervisord.conf"
            programs = "".join(
                f"[program:j{i}]\ncommand=sleep {marker_sleep(self.tag, i)[1]}\n"
                "autorestart=true\nstopwaitsecs=10\nstartsecs=0\n"
                for i in range(jobs)
            )
            ini.write_text(
                f"[supervisord]\nnodaemon=true\nlogfile=/dev/null\npidfile={workdir}/s.pid\n"
                f"logfile_maxbytes=0\n{programs}"
            )
            self.argv = ["supervisord", "-c", str(ini)]
        else:  # tini: one child, a shell starting the sleeps
            sleeps = " ".join(f"sleep {marker_sleep(self.tag, i)[1]} &" for i in range(jobs))
            self.argv = ["tini", "-s", "--", "sh", "-c", f"trap 'kill 0' TERM; {sleeps} wait"]

    def start(self) -> float:
        """Start; returns seconds until every job process exists."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while count_marked(self.tag) < self.jobs:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited early")
            time.sleep(0.0005)
        return time.perf_counter() - started

    def stop(self) -> float:
        """SIGTERM; returns seconds until the init process has exited."""
        started = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)
        elapsed = time.perf_counter() - started
        deadline = time.monotonic() + 10
        while count_marked(self.tag) and time.monotonic() < deadline:
            time.sleep(0.01)
        return elapsed


def peers() -> list[str]:
    return [p for p in ("tini", "supervisord") if shutil.which(p)]


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "mittnite"), quiet=1)
    kinds = ["mittnite", *peers()]
    tmp = Path(tempfile.mkdtemp(prefix="bench-supervise-"))

    print("== idle RSS of the init process (KiB), after 2 s")
    rss: dict[tuple[str, int], int] = {}
    for jobs in (2, 50):
        for kind in kinds:
            stack = Stack(kind, jobs, tmp / f"rss-{kind}-{jobs}")
            stack.start()
            time.sleep(2)
            rss[(kind, jobs)] = rss_kib(stack.process.pid)
            stack.stop()
        line = "  ".join(f"{k}={rss[(k, jobs)]}" for k in kinds)
        comparisons = "  ".join(
            f"mittnite/{k}={ratio(rss[('mittnite', jobs)], rss[(k, jobs)])}" for k in kinds[1:]
        )
        print(f"{jobs:>3} jobs: {line}   {comparisons}")
    per_job = (rss[("mittnite", 50)] - rss[("mittnite", 2)]) / 48
    print(f"mittnite per-job cost: {per_job:.0f} KiB; 2 jobs vs a 12 MB Go binary: "
          f"{rss[('mittnite', 2)] / 12288:.2f}x (target <= 1.5x)")

    print("\n== time from exec to all jobs spawned (median ms)")
    for jobs in (1, 10, 100):
        medians = {}
        for kind in kinds:
            samples = []
            for run in range(options.runs):
                stack = Stack(kind, jobs, tmp / f"spawn-{kind}-{jobs}-{run}")
                samples.append(stack.start())
                stack.stop()
            medians[kind] = statistics.median(samples)
        line = "  ".join(f"{k}={medians[k] * 1000:.1f}" for k in kinds)
        comparisons = "  ".join(
            f"mittnite/{k}={ratio(medians['mittnite'], medians[k])}" for k in kinds[1:]
        )
        print(f"{jobs:>3} jobs: {line}   {comparisons}")

    print(f"\n== CPU seconds used while idle for {options.idle_seconds:.0f} s with 10 jobs")
    stacks = {kind: Stack(kind, 10, tmp / f"idle-{kind}") for kind in kinds}
    for stack in stacks.values():
        stack.start()
    time.sleep(2)
    before = {k: cpu_seconds(s.process.pid) for k, s in stacks.items()}
    time.sleep(options.idle_seconds)
    used = {k: cpu_seconds(s.process.pid) - before[k] for k, s in stacks.items()}
    for stack in stacks.values():
        stack.stop()
    print("  ".join(f"{k}={used[k]:.3f}" for k in kinds), "(target for mittnite: < 0.1 s / 60 s)")

    print("\n== SIGTERM to exit with 10 jobs (median ms)")
    medians = {}
    for kind in kinds:
        samples = []
        for run in range(options.runs):
            stack = Stack(kind, 10, tmp / f"term-{kind}-{run}")
            stack.start()
            time.sleep(0.5)
            samples.append(stack.stop())
        medians[kind] = statistics.median(samples)
    line = "  ".join(f"{k}={medians[k] * 1000:.1f}" for k in kinds)
    comparisons = "  ".join(
        f"mittnite/{k}={ratio(medians['mittnite'], medians[k])}" for k in kinds[1:]
    )
    print(f"{line}   {comparisons}   (target for mittnite: < 100 ms)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The standalone executable (``dist/mittnite``) next to the pip install, with tini as peer.

Images without Python get the PyInstaller single-file build; this prints what that costs:

* file size of ``dist/mittnite`` (and of the peer's static binary, ``tini``),
* start time of ``mittnite version`` (median of N runs): standalone, pip install, ``tini
  --version``; the standalone build unpacks itself to ``/dev/shm`` on every start,
* idle RSS of ``mittnite up`` supervising two ``sleep`` jobs, after 2 s: the standalone build
  counts its bootloader process plus mittnite, the pip install one process; tini runs a shell
  starting the two sleeps (its own RSS only).

    python bench/standalone.py [--runs N] [--build]

Builds ``dist/mittnite`` with ``packaging/build-standalone.sh`` first when it is missing (or
with ``--build``).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import rss_kib

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "dist" / "mittnite"
PIP_MITTNITE = Path(sys.executable).parent / "mittnite"


def median_start(argv: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def idle_rss(argv: list[str], count_child_named: str | None) -> int:
    """RSS (KiB) of the init process after 2 s; plus its child whose command line contains
    ``count_child_named`` (the standalone build's real mittnite behind the bootloader)."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.0)
        if process.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited early")
        total = rss_kib(process.pid)
        if count_child_named is not None:
            for child in children(process.pid):
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                if count_child_named.encode() in cmdline:
                    total += rss_kib(child)
        return total
    finally:
        process.terminate()
        process.wait(30)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--build", action="store_true", help="rebuild dist/mittnite first")
    options = parser.parse_args()
    if options.build or not BINARY.exists():
        subprocess.run(["sh", str(ROOT / "packaging" / "build-standalone.sh")], check=True)
    compileall.compile_dir(str(ROOT / "src" / "mittnite"), quiet=1)
    tini = shutil.which("tini")

    print("== size")
    size = BINARY.stat().st_size
    line = f"dist/mittnite: {size / 2**20:.1f} MiB"
    if tini:
        tini_size = os.stat(tini).st_size
        line += f"; tini: {tini_size / 2**10:.0f} KiB; ratio {ratio(size, tini_size)}"
    print(line)

    print(f"== start time of `version` (median of {options.runs})")
    standalone = median_start([str(BINARY), "version"], options.runs)
    pip = median_start([str(PIP_MITTNITE), "version"], options.runs)
    line = f"standalone {standalone * 1000:.1f} ms  pip install {pip * 1000:.1f} ms"
    if tini:
        peer = median_start([tini, "--version"], options.runs)
        line += f"  tini {peer * 1000:.1f} ms  standalone/tini {ratio(standalone, peer)}"
    print(line + f"  standalone/pip {ratio(standalone, pip)}")

    print("== idle RSS of `up` with two sleep jobs (KiB, after 2 s)")
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "mittnite.d"
        conf.mkdir()
        (conf / "jobs.hcl").write_text(
            'job "a" {\n command = "sleep"\n args = ["3600"]\n}\n'
            'job "b" {\n command = "sleep"\n args = ["3600"]\n}\n'
        )
        up = ["up", "-c", str(conf), "-p", "0"]
        standalone_rss = idle_rss([str(BINARY), *up], "mittnite")
        pip_rss = idle_rss([str(PIP_MITTNITE), *up], None)
        line = f"standalone (bootloader + mittnite) {standalone_rss}  pip install {pip_rss}"
        if tini:
            tini_rss = idle_rss([tini, "-s", "--", "sh", "-c", "sleep 3600 & sleep 3600"], None)
            line += f"  tini {tini_rss}  standalone/tini {ratio(standalone_rss, tini_rss)}"
        print(line + f"  standalone/pip {ratio(standalone_rss, pip_rss)}")


if __name__ == "__main__":
    main()

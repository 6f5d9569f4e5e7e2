"""The static executable (``dist/mittnite``) side by side with the original Go binary.

Images without Python get ``make standalone``'s single static file; the original is one
static Go binary. This prints, for ours, the original (shared/reference) and the pip
install:

* file size, and the size of a release tarball (``mittnite`` + ``mittnitectl`` link,
  gzip -9), the way users download the original;
* start time of ``mittnite version``, median of N runs, interleaved so that both see
  the same machine load;
* idle RSS of ``mittnite up`` supervising two ``sleep`` jobs, after 2 s.

    python bench/standalone.py [--runs N] [--build]

Builds ``dist/mittnite`` with ``packaging/build-standalone.sh`` first when it is missing
(or with ``--build``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from _common import rss_kib

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("MITTNITE_EXE") or ROOT / "dist" / "mittnite")
ORIGINAL = Path(
    os.environ.get("MITTNITE_ORIGINAL")
    or ROOT.parent / "shared" / "reference" / "bin" / "mittnite-original"
)
PIP_MITTNITE = Path(sys.executable).parent / "mittnite"


def start_times(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time per command; the commands take turns in every round."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def idle_rss(argv: list[str]) -> int:
    """RSS (KiB) of the init process after 2 s of supervising."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.0)
        if process.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited early")
        return rss_kib(process.pid)
    finally:
        process.terminate()
        process.wait(30)


def tarball_size(binary: Path) -> int:
    """Size of ``mittnite.tar.gz`` holding the executable and a ``mittnitectl`` link."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w") as archive,
    ):
        archive.add(binary, arcname="mittnite")
        link = tarfile.TarInfo("mittnitectl")
        link.type, link.linkname = tarfile.SYMTYPE, "mittnite"
        archive.addfile(link)
    return len(buffer.getvalue())


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--build", action="store_true", help="rebuild dist/mittnite first")
    options = parser.parse_args()
    if options.build or not BINARY.exists():
        subprocess.run(["sh", str(ROOT / "packaging" / "build-standalone.sh")], check=True)
    peers = {"static": BINARY}
    if ORIGINAL.exists():
        peers["original"] = ORIGINAL
    else:
        print(f"(no original at {ORIGINAL}; set MITTNITE_ORIGINAL)")

    print("== size (MiB): file, release tarball")
    sizes = {name: (path.stat().st_size, tarball_size(path)) for name, path in peers.items()}
    for name, (size, tarball) in sizes.items():
        print(f"{name:9} {size / 2**20:6.1f} {tarball / 2**20:6.1f}")
    if "original" in sizes:
        print(f"static/original: file {ratio(sizes['static'][0], sizes['original'][0])}, "
              f"tarball {ratio(sizes['static'][1], sizes['original'][1])}")  # fmt: skip

    print(f"== start time of `version` (ms, median of {options.runs}, interleaved)")
    commands = {name: [str(path), "version"] for name, path in peers.items()}
    if PIP_MITTNITE.exists():
        commands["pip"] = [str(PIP_MITTNITE), "version"]
    medians = start_times(commands, options.runs)
    print("  ".join(f"{name} {value * 1000:.1f}" for name, value in medians.items()))
    if "original" in medians:
        print(f"static/original {ratio(medians['static'], medians['original'])}")

    print("== idle RSS of `up` with two sleep jobs (KiB, after 2 s)")
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "mittnite.d"
        conf.mkdir()
        (conf / "jobs.hcl").write_text(
            'job "a" {\n command = "sleep"\n args = ["3600"]\n}\n'
            'job "b" {\n command = "sleep"\n args = ["3600"]\n}\n'
        )
        up = ["up", "-c", str(conf), "-p", "0"]
        rss = {name: idle_rss([str(path), *up]) for name, path in peers.items()}
        if PIP_MITTNITE.exists():
            rss["pip"] = idle_rss([str(PIP_MITTNITE), *up])
    print("  ".join(f"{name} {value}" for name, value in rss.items()))
    if "pip" in rss:
        print(f"static/pip {ratio(rss['static'], rss['pip'])}", end="  ")
    if "original" in rss:
        print(f"static/original {ratio(rss['static'], rss['original'])}", end="")
    print()


if __name__ == "__main__":
    main()

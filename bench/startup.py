"""Start-up cost of ``mittnite validate`` and ``mittnite --help`` against the interpreter floor.

An init system's own start-up delays every container start, so the cost of
reaching "configuration loaded" matters. The floor is ``python3 -c pass``
(the same interpreter, no mittnite code), run side by side in the same loop.

    python bench/startup.py [--runs N]

Prints median wall time and peak RSS per command and the ratio to the floor.
The package's bytecode is compiled first, as ``pip install`` does (an editable
install under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise recompile every
module on every start). Peak RSS comes from GNU time (``/usr/bin/time``): the
kernel's rusage of a forked child also counts the parent's pages before exec.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "conformance" / "hcl-configs.json"


GNU_TIME = "/usr/bin/time"


def measure(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of ``argv``."""
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [GNU_TIME, "-q", "-o", report.name, "-f", "%e %M", *argv]
        start = time.perf_counter()
        subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        rss = int(report.read().split()[-1])
    return wall, rss


def write_configs(target: Path) -> list[Path]:
    """Lay out every conformance config directory; returns them."""
    dirs = []
    for case in json.loads(CASES.read_text()):
        root = target / case["name"]
        for name, text in case["files"].items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        dirs.append(root)
    return dirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "mittnite"), quiet=1)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        dirs = write_configs(Path(tmp))
        commands = {
            "python3 -c pass (floor)": [python, "-c", "pass"],
            "argparse --help (reference)": [
                python, "-c", "import argparse; argparse.ArgumentParser().parse_args(['-h'])"
            ],
            "mittnite --help": [python, "-m", "mittnite", "--help"],
        }
        for d in dirs[:: max(1, len(dirs) // 6)]:
            commands[f"mittnite validate ({d.name})"] = [
                python,
                "-m",
                "mittnite",
                "validate",
                "-c",
                str(d),
            ]
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, argv in commands.items():  # interleaved: same machine state for all
                results[name].append(measure(argv))
        all_validate: list[tuple[float, int]] = []
        for d in dirs:
            all_validate.append(measure([python, "-m", "mittnite", "validate", "-c", str(d)]))
    floor_time = statistics.median(t for t, _ in results["python3 -c pass (floor)"])
    floor_rss = statistics.median(r for _, r in results["python3 -c pass (floor)"])
    print(f"{'command':48} {'median ms':>10} {'x floor':>8} {'peak RSS MiB':>13} {'x floor':>8}")
    for name, samples in results.items():
        wall = statistics.median(t for t, _ in samples)
        rss = statistics.median(r for _, r in samples)
        print(
            f"{name:48} {wall * 1000:10.1f} {wall / floor_time:8.2f} "
            f"{rss / 1024:13.1f} {rss / floor_rss:8.2f}"
        )
    wall = statistics.median(t for t, _ in all_validate)
    print(
        f"\nvalidate over all {len(all_validate)} conformance configs: median "
        f"{wall * 1000:.1f} ms ({wall / floor_time:.2f}x floor), max peak RSS "
        f"{max(r for _, r in all_validate) / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()

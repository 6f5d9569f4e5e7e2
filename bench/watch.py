"""File watches: latency from a change to the trigger, and idle cost, against the original's way.

The original checks watched files on its 5 s runner tick, comparing mtimes.
Its approach runs here as a peer, written the same way (same Go-glob
expansion, ``os.stat`` mtimes, a 5 s tick started with the job), side by side
with :class:`mittnite.supervisor.watch.FileWatcher`.

    python bench/watch.py [--changes 50] [--peer-changes 12] [--poll-changes 10] [--idle 60]

Latency: one file is changed ``--changes`` times (alternately written in
place and replaced by an atomic rename, each change a separate burst), and
the time from just before the write to the trigger callback is recorded;
median and p99 are printed. The peer's latency depends on where in its tick
a change falls, so its changes come at random phases; fewer of them, as each
costs 2.5 s on average. Idle cost: three child processes run nothing but a
watcher on 100 files (each its own ``watch`` block) for ``--idle`` seconds;
each reports the CPU time (``resource.getrusage``) it used in that window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mittnite.config.model import Watch  # noqa: E402
from mittnite.logs.logger import Logger  # noqa: E402
from mittnite.supervisor.watch import FileWatcher  # noqa: E402
from mittnite.watch.goglob import glob  # noqa: E402

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    # Starts a watcher that calls the given function on trigger; returns its stop.
    Starter = Callable[[Callable[[], None]], Awaitable[Callable[[], Awaitable[None]]]]

PEER_TICK = 5.0


class MtimePoller:
    """The original's watch loop: every 5 s, glob and compare mtimes (the peer)."""

    def __init__(self, patterns: list[str], on_trigger: Callable[[], None]) -> None:
        self.patterns = patterns
        self.on_trigger = on_trigger
        self.mtimes: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None

    def _check(self) -> bool:
        changed = False
        paths = [path for pattern in self.patterns for path in glob(pattern)]
        for path in paths:
            try:
                mtime = os.stat(path).st_mtime_ns
            except OSError:
                continue
            if self.mtimes.get(path) != mtime:
                self.mtimes[path] = mtime
                changed = True
        for path in list(self.mtimes):
            if not os.path.exists(path):
                del self.mtimes[path]
                changed = True
        return changed

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(PEER_TICK)
            if self._check():
                self.on_trigger()

    def start(self) -> None:
        self._check()  # the initial snapshot
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def change(path: Path, number: int) -> None:
    """Alternate the two common ways a config file changes."""
    text = f"setting = {number}\n"
    if number % 2:
        with open(path, "w") as handle:
            handle.write(text)
    else:
        temp = path.with_name(path.name + ".tmp")
        temp.write_text(text)
        os.replace(temp, path)


async def measure(
    path: Path,
    count: int,
    start: Starter,
    gap: Callable[[], float],
) -> list[float]:
    """Seconds from change to trigger, ``count`` times."""
    fired = asyncio.Event()
    fired_at = [0.0]

    def on_trigger() -> None:
        fired_at[0] = time.perf_counter()
        fired.set()

    stop = await start(on_trigger)
    latencies = []
    for number in range(count):
        await asyncio.sleep(gap())
        fired.clear()
        began = time.perf_counter()
        change(path, number)
        await asyncio.wait_for(fired.wait(), 60)
        latencies.append(fired_at[0] - began)
    await stop()
    return latencies


def ours(path: Path, mode: str = "auto", poll_interval: float = 2.0) -> Starter:
    async def start(on_trigger: Callable[[], None]) -> Callable[[], Awaitable[None]]:
        async def trigger(_watch: Watch, _changes: list[tuple[str, str]]) -> None:
            on_trigger()

        async def no_command(_command: object) -> None:
            return None

        watcher = FileWatcher(
            "bench",
            [Watch(str(path), signal=1)],
            on_trigger=trigger,
            run_command=no_command,
            logger=Logger(open(os.devnull, "w"), fmt="text"),  # noqa: SIM115
            mode=mode,
            poll_interval=poll_interval,
        )
        watcher.start()
        return watcher.stop

    return start


def peer(path: Path) -> Starter:
    async def start(on_trigger: Callable[[], None]) -> Callable[[], Awaitable[None]]:
        poller = MtimePoller([str(path)], on_trigger)
        poller.start()
        return poller.stop

    return start


def summary(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


# ---- idle cost, measured in child processes -------------------------------------------

CHILD = """
import asyncio, json, os, resource, sys, time
sys.path.insert(0, {src!r})
kind, directory, idle = sys.argv[1], sys.argv[2], float(sys.argv[3])

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

async def main():
    files = sorted(os.path.join(directory, name) for name in os.listdir(directory))
    if kind == "peer":
        sys.path.insert(0, {bench!r})
        from watch import MtimePoller
        MtimePoller(files, lambda: None).start()  # one tick for all blocks, as the original
    else:
        from mittnite.config.model import Watch
        from mittnite.logs.logger import Logger
        from mittnite.supervisor.watch import FileWatcher
        async def trigger(watch, changes): pass
        async def command(cmd): return None
        watcher = FileWatcher("idle", [Watch(path, signal=1) for path in files],
                              on_trigger=trigger, run_command=command,
                              logger=Logger(open(os.devnull, "w"), fmt="text"),
                              mode="poll" if kind == "poll" else "inotify")
        watcher.start()
    await asyncio.sleep(2.0)  # settle: start-up work is not idle cost
    before, began = cpu(), time.monotonic()
    await asyncio.sleep(idle)
    print(json.dumps({{"cpu": cpu() - before, "seconds": time.monotonic() - began}}))

asyncio.run(main())
"""


def idle_costs(idle: float) -> dict[str, float]:
    program = CHILD.format(src=str(ROOT / "src"), bench=str(ROOT / "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(100):
            Path(tmp, f"file{index:03}.conf").write_text(f"value = {index}\n")
        kinds = ("inotify", "poll", "peer")
        children = {
            kind: subprocess.Popen(
                [sys.executable, "-c", program, kind, tmp, str(idle)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for kind in kinds
        }
        return {kind: json.loads(child.communicate()[0])["cpu"] for kind, child in children.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--peer-changes", type=int, default=12)
    parser.add_argument("--poll-changes", type=int, default=10)
    parser.add_argument("--idle", type=float, default=60.0)
    options = parser.parse_args()
    rng = random.Random(7)

    async def latencies() -> dict[str, list[float]]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "app.conf")
            path.write_text("setting = start\n")
            results = {}
            results["inotify"] = await measure(
                path, options.changes, ours(path), lambda: rng.uniform(0.05, 0.15)
            )
            results["poll"] = await measure(
                path, options.poll_changes, ours(path, "poll"), lambda: rng.uniform(0.0, 2.0)
            )
            results["peer"] = await measure(
                path, options.peer_changes, peer(path), lambda: rng.uniform(0.0, PEER_TICK)
            )
            return results

    measured = asyncio.run(latencies())
    ours_median, ours_p99 = summary(measured["inotify"])
    poll_median, poll_p99 = summary(measured["poll"])
    peer_median, peer_p99 = summary(measured["peer"])
    print("change -> trigger latency (in-place writes and atomic renames, alternating)")
    print(
        f"  mittnite-py, inotify   n={len(measured['inotify']):3}  "
        f"median {ms(ours_median)}  p99 {ms(ours_p99)}  (target: median < 50 ms)"
    )
    print(
        f"  mittnite-py, poll 2 s  n={len(measured['poll']):3}  "
        f"median {ms(poll_median)}  p99 {ms(poll_p99)}  (fallback without inotify)"
    )
    print(
        f"  original, 5 s mtime    n={len(measured['peer']):3}  "
        f"median {ms(peer_median)}  p99 {ms(peer_p99)}  (peer, same loop, same glob)"
    )
    print(
        f"  ratio original/ours: median {peer_median / ours_median:.0f}x, "
        f"p99 {peer_p99 / ours_p99:.0f}x"
    )
    costs = idle_costs(options.idle)
    print(f"idle CPU with 100 watched files (one watch block each) over {options.idle:.0f} s")
    print(f"  mittnite-py, inotify   {costs['inotify']:.3f} s  (target < 0.05 s)")
    print(f"  mittnite-py, poll 2 s  {costs['poll']:.3f} s")
    print(f"  original, 5 s mtime    {costs['peer']:.3f} s")


if __name__ == "__main__":
    main()

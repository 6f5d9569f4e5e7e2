"""Gate delay: from "the dependency is ready" to "the dependent was started".

    python bench/gate_delay.py [--runs 20]

Issue 17 asks that a dependent starts within 100 ms of its last dependency becoming
ready. Phase 1 has no supervisor wiring yet, so this drives the real components
(dependency machine, notify socket, checks, reaper, spawn) through the test suite's
``tests/checks/gatekit.Gate``, which wires them the way the supervisor will. The moment
"ready" is taken *inside the dependency's process* (``time.monotonic()``, the same
CLOCK_MONOTONIC as ours, written to a file just before it says so), and "started" is
when ``spawn()`` returned for the dependent. Median (and max) of ``--runs``:

* notify: the dependency sends ``READY=1`` (sd_notify) → dependent started;
* oneTime: the dependency exits 0 → dependent started;
* http: the dependency's server starts listening → dependent started, with the default
  1 s readiness interval (so about half the interval on average: polling is the cost);
* verdict → start, over all runs: from mittnite's readiness verdict (or the reaped exit)
  to the dependent's spawn, the part the dependency machine and its wiring add.

Peer, side by side for the http case: the usual shell gate in an entrypoint,
``until curl -fs URL; do sleep 1; done; exec app`` (wait-for-it style), timed from the
same "listening" moment to the moment the gate let the app start.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mittnite.checks.http import HttpCheck  # noqa: E402
from mittnite.core.deps import NodeKind  # noqa: E402
from mittnite.runtime.reaper import Reaper  # noqa: E402
from tests.checks.gatekit import Gate, JobSpec  # noqa: E402

NOTIFY_DEP = """
import os, socket, sys, time
address = os.environ["NOTIFY_SOCKET"]
address = "\\0" + address[1:] if address.startswith("@") else address
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
time.sleep(0.05)
open(sys.argv[1], "w").write(repr(time.monotonic()))
sock.sendto(b"READY=1", address)
time.sleep(60)
"""

ONE_TIME_DEP = """
import sys, time
open(sys.argv[1], "w").write(repr(time.monotonic()))
"""

HTTP_DEP = """
import http.server, sys, time
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
time.sleep(float(sys.argv[3]))
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
open(sys.argv[2], "w").write(repr(time.monotonic()))
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def one_run(kind: str, stamp: str, port: int, delay: float) -> tuple[float, float]:
    """(from the dependency's own ready moment, from mittnite noticing it) to the start."""
    python = sys.executable
    async with Reaper() as reaper:
        if kind == "notify":
            dep = JobSpec("dep", [python, "-c", NOTIFY_DEP, stamp], readiness_notify=True)
        elif kind == "oneTime":
            dep = JobSpec("dep", [python, "-c", ONE_TIME_DEP, stamp], NodeKind.ONE_TIME)
        else:
            url = f"http://127.0.0.1:{port}/"
            dep = JobSpec(
                "dep",
                [python, "-c", HTTP_DEP, str(port), stamp, str(delay)],
                readiness=HttpCheck(url),
                readiness_interval=1.0,
            )
        gate = Gate(reaper, [dep, JobSpec("app", ["sleep", "60"], after=("dep",))])
        gate.begin()
        await gate.until(lambda: gate.when("app", "started"), timeout=60)
        started = gate.when("app", "started")[0]
        noticed = (gate.when("dep", "ready") or gate.when("dep", "exited"))[0]
        await gate.shutdown()
    return started - float(Path(stamp).read_text()), started - noticed


def peer_run(stamp: str, port: int, delay: float) -> float:
    """The shell gate: curl every second until the server answers, then 'start' the app."""
    server = subprocess.Popen([sys.executable, "-c", HTTP_DEP, str(port), stamp, str(delay)])
    try:
        gate = subprocess.run(
            [
                "sh",
                "-c",
                f"until curl -fs -o /dev/null http://127.0.0.1:{port}/; do sleep 1; done",
            ],
            check=True,
        )
        assert gate.returncode == 0
        started = time.monotonic()
    finally:
        server.terminate()
        server.wait()
    return started - float(Path(stamp).read_text())


def summary(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    print(f"{label:<34} median {median * 1000:8.1f} ms   max {max(values) * 1000:8.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, list[float]] = {}
        noticed: list[float] = []
        for kind in ("notify", "oneTime", "http"):
            for run in range(options.runs):
                stamp = os.path.join(tmp, f"{kind}-{run}")
                # Vary when the server comes up, so it does not always sit at the same
                # phase of the 1 s check interval.
                delay = (run % 10) / 10
                total, after_notice = asyncio.run(one_run(kind, stamp, free_port(), delay))
                results.setdefault(kind, []).append(total)
                noticed.append(after_notice)
        peer = []
        for run in range(options.runs):
            peer.append(peer_run(os.path.join(tmp, f"peer-{run}"), free_port(), (run % 10) / 10))
    print(f"gate delay, dependency ready -> dependent started ({options.runs} runs each)")
    summary("mittnite, after a notify job", results["notify"])
    summary("mittnite, after a oneTime job", results["oneTime"])
    ours = summary("mittnite, after http (1 s interval)", results["http"])
    summary("mittnite, verdict -> start (all)", noticed)
    theirs = summary("peer: until curl; sleep 1 loop", peer)
    print(f"http ratio ours/peer: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()

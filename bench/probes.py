"""Readiness latency and memory cost of the probes, against a classic shell waiter.

    python bench/probes.py [--runs N]

1. Latency: a readiness wait starts on a port where nothing listens yet; the
   service comes up at a random moment 0.3-1.3 s later. Measured from the
   moment the port accepts connections to the moment the wait returns
   (target < 250 ms). Side by side, in the same trial, runs the peer every
   "wait-for-it" script uses: ``until redis-cli ping; do sleep 1; done``
   (``until curl -sf URL; ...`` for HTTP). Both are started together.
   Services: a throw-away ``redis-server`` and a stdlib HTTP server.
2. Memory: for each probe kind, a fresh interpreter imports the readiness
   machinery, then builds one probe of that kind and runs its first check;
   the RSS growth of the second step is what configuring that kind costs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mittnite.config.model import Host, HttpProbe, ProbeConfig, RedisProbe  # noqa: E402
from mittnite.logs.logger import Logger  # noqa: E402
from mittnite.probes import ReadinessWait, build_probes  # noqa: E402

PORT_WATCHER = textwrap.dedent(
    """
    import socket, sys, time
    port = int(sys.argv[1])
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.0005)
            continue
        print(time.monotonic(), flush=True)
        break
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


async def one_trial(kind: str, delay: float) -> tuple[float, float]:
    """(ours, peer) seconds from "port accepts" to "waiter done"."""
    port = free_port()
    quiet = Logger(open("/dev/null", "w"), level="info")  # noqa: SIM115 - lives for the trial
    if kind == "redis":
        config = ProbeConfig("svc", wait=True, redis=RedisProbe(Host("127.0.0.1", str(port))))
        peer_check = f"redis-cli -h 127.0.0.1 -p {port} ping"
    else:
        config = ProbeConfig("svc", wait=True, http=HttpProbe("", Host("127.0.0.1", str(port))))
        peer_check = f"curl -sf -o /dev/null http://127.0.0.1:{port}/"
    probes = build_probes([config], environ={}, logger=quiet)
    watcher = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PORT_WATCHER, str(port), stdout=asyncio.subprocess.PIPE
    )
    peer = await asyncio.create_subprocess_exec(
        "bash", "-c", f"until {peer_check} >/dev/null 2>&1; do sleep 1; done"
    )
    wait_task = asyncio.ensure_future(ReadinessWait(probes.values(), logger=quiet).run())
    await asyncio.sleep(delay)
    redis: subprocess.Popen[bytes] | None = None
    http: ThreadingHTTPServer | None = None
    if kind == "redis":
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
    else:
        http = ThreadingHTTPServer(("127.0.0.1", port), _Ok)
        threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        await wait_task
        ours_done = time.monotonic()
        await peer.wait()
        peer_done = time.monotonic()
        output, _ = await watcher.communicate()
        reachable = float(output)
        return ours_done - reachable, peer_done - reachable
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
        if http is not None:
            http.shutdown()
            http.server_close()


def latency(runs: int) -> None:
    print("readiness latency: service reachable -> waiter done (ms)")
    print(f"{'service':8} {'waiter':34} {'median':>8} {'p90':>8} {'max':>8}")
    for kind in ("redis", "http"):
        ours: list[float] = []
        peers: list[float] = []
        for _ in range(runs):
            mine, peer = asyncio.run(one_trial(kind, random.uniform(0.3, 1.3)))
            ours.append(mine)
            peers.append(peer)
        peer_name = (
            "until redis-cli ping; sleep 1" if kind == "redis" else "until curl -sf; sleep 1"
        )
        for name, samples in (("mittnite ReadinessWait", ours), (peer_name, peers)):
            ordered = sorted(samples)
            p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
            print(
                f"{kind:8} {name:34} {statistics.median(samples) * 1000:8.1f} "
                f"{p90 * 1000:8.1f} {max(samples) * 1000:8.1f}"
            )
        ratio = statistics.median(peers) / max(statistics.median(ours), 1e-6)
        print(f"{kind:8} {'peer / mittnite (median)':34} {ratio:8.1f}x")


RSS_SCRIPT = textwrap.dedent(
    """
    import asyncio, io, json, sys, time
    def rss_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    import mittnite.probes.wait, mittnite.probes.build, mittnite.probes.base
    from mittnite.config.model import *
    from mittnite.logs.logger import Logger
    from mittnite.probes import build_probes
    base = rss_kib()
    started = time.perf_counter()
    config = eval(sys.argv[1])
    probes = build_probes([config], environ={}, logger=Logger(io.StringIO()))
    built = time.perf_counter() - started
    async def first_check():
        probe = probes[config.name]
        await probe.result()
        await probe.aclose()
    asyncio.run(first_check())
    print(json.dumps({"base": base, "after": rss_kib(), "build_ms": built * 1000}))
    """
)

KINDS = {
    "filesystem": 'ProbeConfig("p", filesystem="/tmp")',
    "redis": 'ProbeConfig("p", redis=RedisProbe(Host("127.0.0.1", "6379")))',
    "smtp": 'ProbeConfig("p", smtp=SmtpProbe(Host("127.0.0.1", "1")))',
    "http": 'ProbeConfig("p", http=HttpProbe("", Host("127.0.0.1", "1")))',
    "mysql": 'ProbeConfig("p", mysql=MySQLProbe(Credentials("root", ""), Host("127.0.0.1", "3306"), "1"))',
    "amqp": 'ProbeConfig("p", amqp=AmqpProbe(host=Host("127.0.0.1", "5672")))',
    "mongodb": 'ProbeConfig("p", mongodb=MongoDBProbe(url="mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100"))',
}


def memory() -> None:
    import json

    print("\nmemory per probe kind (fresh interpreter; base = asyncio + readiness wait loaded)")
    print(f"{'kind':12} {'base RSS MiB':>13} {'+ kind MiB':>11} {'build ms':>9}")
    for kind, config in KINDS.items():
        result = subprocess.run(
            [sys.executable, "-c", RSS_SCRIPT, config],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{kind:12} {figures['base'] / 1024:13.1f} "
            f"{(figures['after'] - figures['base']) / 1024:11.1f} {figures['build_ms']:9.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    options = parser.parse_args()
    missing = [tool for tool in ("redis-server", "redis-cli", "curl") if not shutil.which(tool)]
    if missing:
        sys.exit(f"bench/probes.py needs {', '.join(missing)}")
    latency(options.runs)
    memory()


if __name__ == "__main__":
    main()

"""Gate delay through ``mittnite up``: from "the dependency is ready" to "the dependent started".

    python bench/gate_delay.py [--runs 20]

Issue 17 asks that a job with ``after = ["dep"]`` starts within 100 ms of ``dep``
becoming ready, with no polling where an event exists. Each run is a real ``mittnite
up`` with two jobs, ``dep`` and ``app`` (``after = ["dep"]``). The moment "ready" is
taken *inside the dependency's process*, just before it says so (wall clock, written to
a file); "started" is the first thing the dependent does (``date +%s.%N``, so the time
to exec ``sh`` and ``date``, a few milliseconds, is counted against us). Median and max
of ``--runs`` for each kind of dependency:

* notify: the dependency sends ``READY=1`` to ``$NOTIFY_SOCKET`` (an event);
* oneTime: the dependency exits 0 (an event: the reaper's SIGCHLD);
* http: the dependency's server starts listening; ``readiness { http = ... }`` polls it
  with the default 1 s interval, so about half the interval on average is polling, by
  the configuration's choice;
* http, 100 ms: the same with ``interval = "100ms"``.

Peer, side by side for the http case: the usual shell gate of an entrypoint,
``until curl -fs URL; do sleep 1; done; exec app`` (wait-for-it style), timed from the
same "listening" moment to the moment the gate let the app start.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MITTNITE = [sys.executable, "-m", "mittnite"]

NOTIFY_DEP = """
import os, socket, sys, time
address = os.environ["NOTIFY_SOCKET"]
address = "\\0" + address[1:] if address.startswith("@") else address
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
time.sleep(float(sys.argv[1]))
with open("dep.stamp", "w") as stamp:
    stamp.write(repr(time.time()))
sock.sendto(b"READY=1", address)
time.sleep(600)
"""

ONE_TIME_DEP = """
import os, sys, time
time.sleep(float(sys.argv[1]))
with open("dep.stamp", "w") as stamp:
    stamp.write(repr(time.time()))
os._exit(0)
"""

HTTP_DEP = """
import http.server, sys, time
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
time.sleep(float(sys.argv[2]))
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
with open("dep.stamp", "w") as stamp:
    stamp.write(repr(time.time()))
server.serve_forever()
"""

APP = 'job "app" {\n  command = "/bin/sh"\n  args = ["-c", "date +%s.%N > app.stamp; exec sleep 600"]\n  after = ["dep"]\n}\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dep_job(script: str, args: list[str], extra: str) -> str:
    quoted = ", ".join(json.dumps(a) for a in ["-c", script, *args])
    return f'job "dep" {{\n  command = "{sys.executable}"\n  args = [{quoted}]\n{extra}}}\n'


def config_for(kind: str, delay: float, port: int) -> str:
    if kind == "notify":
        return dep_job(NOTIFY_DEP, [str(delay)], "  readiness { notify = true }\n")
    if kind == "oneTime":
        return dep_job(ONE_TIME_DEP, [str(delay)], "  oneTime = true\n")
    interval = '\n    interval = "100ms"' if kind == "http100" else ""
    check = f'  readiness {{\n    http = "http://127.0.0.1:{port}/"{interval}\n  }}\n'
    return dep_job(HTTP_DEP, [str(port), str(delay)], check)


def wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text().strip()
            if text:
                return text
        if process.poll() is not None:
            raise RuntimeError(f"mittnite exited with {process.returncode}")
        time.sleep(0.01)
    raise RuntimeError(f"{path} did not appear")


def one_run(kind: str, delay: float) -> float:
    """Seconds from the dependency's ready moment to the dependent's first instruction."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "mittnite.d").mkdir()
        config = config_for(kind, delay, free_port()) + APP
        (work / "mittnite.d" / "jobs.hcl").write_text(config)
        process = subprocess.Popen(
            [*MITTNITE, "up", "-c", "mittnite.d", "-p", "0"],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            started = float(wait_for(work / "app.stamp", process))
            ready = float(wait_for(work / "dep.stamp", process))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return started - ready


def peer_run(delay: float) -> float:
    """The shell gate: curl every second until the server answers, then 'start' the app."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, "-c", HTTP_DEP, str(port), str(delay)], cwd=tmp
        )
        try:
            subprocess.run(
                [
                    "sh",
                    "-c",
                    f"until curl -fs -o /dev/null http://127.0.0.1:{port}/; do sleep 1; done; "
                    "date +%s.%N > app.stamp",
                ],
                cwd=tmp,
                check=True,
            )
            started = float((Path(tmp) / "app.stamp").read_text())
            ready = float((Path(tmp) / "dep.stamp").read_text())
        finally:
            server.terminate()
            server.wait()
    return started - ready


def summary(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    print(f"{label:<38} median {median * 1000:8.1f} ms   max {max(values) * 1000:8.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    results: dict[str, list[float]] = {}
    peer: list[float] = []
    for run in range(options.runs):
        # Vary when the dependency becomes ready, so it does not always sit at the same
        # phase of a check interval (neither of 1 s nor of 100 ms).
        delay = 0.3 + (run * 0.137) % 1.0
        for kind in ("notify", "oneTime", "http", "http100"):
            results.setdefault(kind, []).append(one_run(kind, delay))
        peer.append(peer_run(delay))
    print(f"gate delay through mittnite up, dependency ready -> dependent started ({options.runs} runs each)")
    summary("after a notify job (READY=1)", results["notify"])
    summary("after a oneTime job (exit 0)", results["oneTime"])
    ours = summary("after http readiness, 1 s interval", results["http"])
    summary("after http readiness, 100 ms interval", results["http100"])
    theirs = summary("peer: until curl; sleep 1 loop", peer)
    print(f"http (1 s) ratio ours/peer: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()

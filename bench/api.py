"""Control API throughput and cost, side by side with supervisord's XML-RPC.

    python bench/api.py [--requests 2000] [--cli-runs 10]

Figures (ours and the peer's, with the ratio ours/peer):

* requests/second for ``GET /v1/job/x/status`` over the unix socket, on one
  kept-alive connection and with a new connection per request; the peer
  answers ``supervisor.getProcessInfo("x")`` over its unix socket (the same
  client code drives both: ``http.client`` on an AF_UNIX socket);
* wall time of one status call from the command line: ``mittnitectl job
  status x`` versus ``supervisorctl status x`` (median of --cli-runs);
* RSS of ``mittnite up`` with ``--api`` versus without (idle, and after the
  request loops above).

supervisord is the Debian package; if it is missing, only our figures are
printed. The original's figures for reference (from the issue): its client
needs about 10 ms per call, its server thousands of requests per second.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import rss_kib

ROOT = Path(__file__).resolve().parent.parent
XMLRPC_BODY = (
    b"<?xml version='1.0'?><methodCall><methodName>supervisor.getProcessInfo</methodName>"
    b"<params><param><value><string>x</string></value></param></params></methodCall>"
)


class UnixHTTPConnection(http.client.HTTPConnection):
    """``http.client`` over a unix socket (host is only the Host header)."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def wait_for_socket(path: str, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(path)
                    return
            except OSError:
                pass
        if process.poll() is not None:
            raise RuntimeError(f"server exited early ({process.returncode})")
        time.sleep(0.02)
    raise RuntimeError(f"no socket at {path}")


class Server:
    """``mittnite up`` (with or without --api) or supervisord, one ``sleep`` job named x."""

    def __init__(self, kind: str, workdir: Path, api: bool = True) -> None:
        self.kind = kind
        workdir.mkdir(parents=True, exist_ok=True)
        self.sock = str(workdir / f"{kind}.sock")
        if kind == "mittnite":
            conf = workdir / "mittnite.d"
            conf.mkdir(exist_ok=True)
            (conf / "x.hcl").write_text(
                'job "x" {\n command = "sleep"\n args = ["3600"]\n controllable = true\n}\n'
            )
            self.argv = [sys.executable, "-m", "mittnite", "up", "-c", str(conf), "-p", "0"]
            if api:
                self.argv += ["--api", "--api-listen-address", f"unix://{self.sock}"]
        else:
            self.ini = workdir / "supervisord.conf"
            self.ini.write_text(
                f"[supervisord]\nnodaemon=true\nlogfile=/dev/null\nlogfile_maxbytes=0\n"
                f"pidfile={workdir}/s.pid\n"
                f"[unix_http_server]\nfile={self.sock}\nchmod=0700\n"
                "[rpcinterface:supervisor]\n"
                "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n"
                f"[supervisorctl]\nserverurl=unix://{self.sock}\n"
                "[program:x]\ncommand=sleep 3600\nstartsecs=0\n"
            )
            self.argv = ["supervisord", "-c", str(self.ini)]
        self.api = api

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if self.api:
            wait_for_socket(self.sock, self.process)
        else:
            time.sleep(1.0)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)

    def call(self, connection: http.client.HTTPConnection) -> None:
        if self.kind == "mittnite":
            connection.request("GET", "/v1/job/x/status")
        else:
            connection.request("POST", "/RPC2", XMLRPC_BODY, {"Content-Type": "text/xml"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200 or not body:
            raise RuntimeError(f"{self.kind}: {response.status} {body[:200]!r}")

    def keep_alive_rate(self, count: int) -> float:
        connection = UnixHTTPConnection(self.sock)
        self.call(connection)  # warm up
        started = time.perf_counter()
        for _ in range(count):
            self.call(connection)
        elapsed = time.perf_counter() - started
        connection.close()
        return count / elapsed

    def new_connection_rate(self, count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            connection = UnixHTTPConnection(self.sock)
            self.call(connection)
            connection.close()
        return count / (time.perf_counter() - started)

    def cli_argv(self) -> list[str]:
        if self.kind == "mittnite":
            return [
                sys.executable,
                "-m",
                "mittnite.cli.ctl.main",
                "--api-address",
                f"unix://{self.sock}",
                "job",
                "status",
                "x",
            ]
        return ["supervisorctl", "-c", str(self.ini), "status", "x"]

    def cli_wall_ms(self, runs: int) -> float | None:
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(self.cli_argv(), capture_output=True, check=False)
            samples.append((time.perf_counter() - started) * 1000)
            if done.returncode not in (0, 3) or b"x" not in done.stdout:
                return None  # failed, or a client that does not work yet
        return statistics.median(samples)


def ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}x" if ours and theirs else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--cli-runs", type=int, default=10)
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    kinds = ["mittnite"] + (["supervisord"] if shutil.which("supervisord") else [])
    if len(kinds) == 1:
        print("supervisord not installed: no peer figures")
    servers = {kind: Server(kind, tmp / kind) for kind in kinds}
    for server in servers.values():
        server.start()
    time.sleep(1.0)
    try:
        rates: dict[str, dict[str, float]] = {}
        for kind, server in servers.items():
            rates[kind] = {
                "keep-alive": server.keep_alive_rate(options.requests),
                "new connection": server.new_connection_rate(options.requests // 2),
            }
        print(f"== status requests/second over the unix socket ({options.requests} requests)")
        for mode in ("keep-alive", "new connection"):
            line = "  ".join(f"{k}={rates[k][mode]:.0f}/s" for k in kinds)
            comparison = "  ".join(
                f"mittnite/{k}={ratio(rates['mittnite'][mode], rates[k][mode])}" for k in kinds[1:]
            )
            per_request = 1000 / rates["mittnite"][mode]
            print(f"{mode:>15}: {line}   {comparison}   (mittnite {per_request:.2f} ms/request)")

        print(f"\n== one status call from the command line (median of {options.cli_runs}, ms)")
        walls = {kind: server.cli_wall_ms(options.cli_runs) for kind, server in servers.items()}
        line = "  ".join(
            f"{k}={walls[k]:.1f}" if walls[k] is not None else f"{k}=n/a" for k in kinds
        )
        comparison = "  ".join(
            f"mittnite/{k}={ratio(walls['mittnite'], walls[k])}" for k in kinds[1:]
        )
        print(f"{line}   {comparison}   (target for mittnite: < 60 ms; original ~10 ms)")
        api_rss_after = rss_kib(servers["mittnite"].process.pid)
    finally:
        for server in servers.values():
            server.stop()

    print("\n== RSS of mittnite up (KiB), 2 s after start")
    idle: dict[bool, int] = {}
    for api in (False, True):
        server = Server("mittnite", tmp / f"rss-{api}", api=api)
        server.start()
        time.sleep(2.0)
        idle[api] = rss_kib(server.process.pid)
        server.stop()
    print(
        f"without --api={idle[False]}  with --api={idle[True]}  "
        f"increase={idle[True] - idle[False]} KiB idle, "
        f"{api_rss_after - idle[False]} KiB after the request loops"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

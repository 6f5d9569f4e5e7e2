"""The components together with real processes: ordering, notify, liveness, shutdown.

:mod:`.gatekit` wires the dependency machine, the runtime, the checks and the metrics the
way :mod:`mittnite.supervisor.jobs` does (the end-to-end versions, through
``mittnite up``, are in ``tests/e2e/test_dependencies.py``); these tests show the pieces are enough for issue 17's
scenarios. No timing asserts: orders of events and counts only.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

from mittnite.checks.http import HttpCheck
from mittnite.checks.tcp import TcpCheck
from mittnite.core.deps import NodeKind
from mittnite.runtime.reaper import Reaper

from .gatekit import Gate, JobSpec

T = TypeVar("T")

LATE_HTTP = """
import http.server, sys, time
time.sleep(float(sys.argv[2]))
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""

# First run: listens but never answers (hung). Later runs: a working HTTP server.
HANGS_ONCE = """
import os, socket, sys, time
port, marker = int(sys.argv[1]), sys.argv[2]
if not os.path.exists(marker):
    open(marker, "w").close()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    time.sleep(600)
""" + LATE_HTTP.replace("time.sleep(float(sys.argv[2]))", "")


def run(coroutine: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, 120)

    return asyncio.run(bounded())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def py(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def test_app_waits_for_a_late_http_server_and_a_one_time_job() -> None:
    port = free_port()

    async def scenario() -> Gate:
        async with Reaper() as reaper:
            gate = Gate(
                reaper,
                [
                    JobSpec(
                        "db",
                        py(LATE_HTTP, str(port), "0.5"),
                        readiness=HttpCheck(f"http://127.0.0.1:{port}/health"),
                    ),
                    JobSpec("migrate", ["sh", "-c", "sleep 0.2"], NodeKind.ONE_TIME, after=("db",)),
                    JobSpec("app", ["sleep", "60"], after=("db", "migrate")),
                ],
            )
            gate.begin()
            await gate.until(lambda: gate.when("app", "started"))
            await gate.shutdown()
            return gate

    gate = run(scenario())
    db_ready = gate.when("db", "ready")[0]
    migrate_start, migrate_exit = (
        gate.when("migrate", "started")[0],
        gate.when("migrate", "exited")[0],
    )
    app_start = gate.when("app", "started")[0]
    assert gate.when("db", "started")[0] < db_ready <= migrate_start < migrate_exit <= app_start
    assert (
        "waiting for dependencies",
        {"job.name": "app", "pending": "db (starting), migrate (waiting itself)"},
    ) in gate.logs
    assert gate.failures == {}


def test_app_waits_for_a_notify_job() -> None:
    script = "sleep 0.3; systemd-notify --ready --status='accepting connections'; exec sleep 60"

    async def scenario() -> Gate:
        async with Reaper() as reaper:
            gate = Gate(
                reaper,
                [
                    JobSpec("db", ["sh", "-c", script], readiness_notify=True),
                    JobSpec("app", ["sleep", "60"], after=("db",)),
                ],
            )
            gate.begin()
            await gate.until(lambda: gate.when("app", "started"))
            status = gate.jobs["db"].state
            assert status is not None and status.status == "accepting connections"
            await gate.shutdown()
            return gate

    gate = run(scenario())
    assert (
        gate.when("db", "started")[0]
        < gate.when("db", "ready")[0]
        <= gate.when("app", "started")[0]
    )


def test_failed_one_time_job_fails_its_dependent() -> None:
    async def scenario() -> Gate:
        async with Reaper() as reaper:
            gate = Gate(
                reaper,
                [
                    JobSpec("migrate", ["sh", "-c", "exit 3"], NodeKind.ONE_TIME),
                    JobSpec("app", ["sleep", "60"], after=("migrate",)),
                ],
            )
            gate.begin()
            await gate.until(lambda: "app" in gate.failures)
            await gate.shutdown()
            return gate

    gate = run(scenario())
    assert gate.failures["app"] == (
        'job "app" will not start: it runs after "migrate", which failed: exit status 3'
    )
    assert gate.when("app", "started") == []


def test_liveness_failure_restarts_a_hung_job_and_shows_in_metrics(tmp_path: Path) -> None:
    port = free_port()
    marker = str(tmp_path / "hung-once")

    async def scenario() -> tuple[Gate, bytes]:
        async with Reaper() as reaper:
            spec = JobSpec(
                "api",
                py(HANGS_ONCE, str(port), marker),
                readiness=TcpCheck("127.0.0.1", port),
                liveness=HttpCheck(f"http://127.0.0.1:{port}/"),
                liveness_interval=0.2,
                liveness_failures=2,
            )
            gate = Gate(reaper, [spec])
            gate.begin()
            await gate.until(lambda: len(gate.when("api", "ready")) >= 2)
            # Healthy now: a few more liveness rounds pass without another restart.
            await gate.until(
                lambda: gate.metrics.probe_checks.value("api-liveness", "success") >= 3
            )
            text = gate.metrics.render()
            await gate.shutdown()
            return gate, text

    gate, text = run(scenario())
    assert len(gate.when("api", "unhealthy")) == 1
    assert len(gate.when("api", "started")) == 2
    body = text.decode()
    assert 'mittnite_job_restarts_total{job="api"} 1\n' in body
    assert 'mittnite_job_liveness_failures_total{job="api"} 1\n' in body
    assert 'mittnite_job_starts_total{job="api"} 2\n' in body
    assert 'mittnite_job_last_exit_code{job="api"} -9\n' in body
    assert 'mittnite_job_up{job="api"} 1\n' in body
    assert os.path.exists(marker)


def test_shutdown_stops_dependents_first() -> None:
    async def scenario() -> Gate:
        async with Reaper() as reaper:
            gate = Gate(
                reaper,
                [
                    JobSpec("db", ["sleep", "60"]),
                    JobSpec("app", ["sleep", "60"], after=("db",)),
                    JobSpec("web", ["sleep", "60"], after=("app",)),
                    JobSpec("side", ["sleep", "60"]),
                ],
            )
            gate.begin()
            await gate.until(lambda: all(gate.when(n, "started") for n in gate.jobs))
            await gate.shutdown()
            return gate

    gate = run(scenario())
    first = {name: gate.when(name, "stop")[0] for name in gate.jobs}
    gone = {name: gate.when(name, "exited")[0] for name in gate.jobs}
    assert gone["web"] <= first["app"] and gone["app"] <= first["db"]
    assert first["side"] <= first["app"]  # independent jobs stop at once, in parallel

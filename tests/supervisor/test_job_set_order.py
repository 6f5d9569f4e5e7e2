"""The job set with ``after``, readiness and liveness: real processes, in-process supervisor.

What the end-to-end tests (``tests/e2e/test_dependencies.py``) cannot easily reach: API
start/stop of jobs that wait, the overall shutdown guard, a notify watchdog, strangers on
a notify socket, and the traffic counters read at scrape time. No timing asserts.
"""

from __future__ import annotations

import asyncio
import io
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from mittnite.config.load import load
from mittnite.core.clock import SystemClock
from mittnite.logs.logger import Logger
from mittnite.runtime.reaper import Reaper
from mittnite.supervisor.context import RunContext
from mittnite.supervisor.job import SupervisedJob
from mittnite.supervisor.jobs import JobSet
from tests.runtime.procs import children_of, eventually, run

PY = sys.executable


def write_config(tmp_path: Path, text: str) -> str:
    directory = tmp_path / "mittnite.d"
    directory.mkdir(exist_ok=True)
    (directory / "jobs.hcl").write_text(text)
    return str(directory)


def py_job(name: str, code: str, extra: str = "") -> str:
    escaped = code.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'job "{name}" {{\n command = "{PY}"\n args = ["-c", "{escaped}"]\n{extra}}}\n'


def with_job_set(
    tmp_path: Path,
    config: str,
    scenario: Callable[[JobSet, io.StringIO], Awaitable[None]],
    *,
    stop_timeout: float = 5.0,
) -> str:
    """Run ``scenario`` against a started job set, then shut it down; the log text."""
    ignition, _ = load(write_config(tmp_path, config))
    log = io.StringIO()
    devnull = os.open(os.devnull, os.O_WRONLY)

    async def main() -> None:
        async with Reaper() as reaper:
            context = RunContext(
                logger=Logger(log, level="debug", fmt="text"),
                reaper=reaper,
                clock=SystemClock(),
                stop_timeout=stop_timeout,
                stdout_fd=devnull,
                stderr_fd=devnull,
            )
            jobs = JobSet(ignition, context)
            try:
                jobs.boot_finished({})
                await jobs.start()
                await scenario(jobs, log)
            finally:
                jobs.request_end(0)
                await jobs.shutdown()
            # Grandchildren of killed jobs come home to this process: collect them here.
            await eventually(lambda: not children_of(os.getpid()))

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        run(main())
    finally:
        os.chdir(cwd)
        os.close(devnull)
    return log.getvalue()


def job_of(jobs: JobSet, name: str) -> SupervisedJob:
    job = jobs.find(name)
    assert isinstance(job, SupervisedJob)
    return job


async def until(check: Callable[[], bool]) -> None:
    assert await eventually(check, timeout=60), "condition not reached"


SLEEPER = "import time\nwhile True: time.sleep(60)"


def test_a_job_started_again_through_the_api_waits_for_its_dependency(tmp_path: Path) -> None:
    config = py_job("db", SLEEPER) + py_job("app", SLEEPER, ' after = ["db"]\n')

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        db, app = job_of(jobs, "db"), job_of(jobs, "app")
        await until(lambda: app.running)
        db.stop()
        app.stop()
        await until(lambda: not db.running and not app.running)
        assert app.machine.phase == db.machine.phase == "stopped"
        app.start()  # the API's start: db is stopped, so app waits
        await until(lambda: jobs.deps.is_waiting("app"))
        assert not app.machine.supervising
        assert jobs.status_extras("app")["waitingFor"] == ["db"]
        assert "job app: waiting for db (stopped)" in jobs.readiness_gaps()
        db.restart()  # a restart of a stopped job is a start
        await until(lambda: app.running)
        assert jobs.status_extras("app")["waitingFor"] == []
        assert jobs.readiness_gaps() == []

    log = with_job_set(tmp_path, config, scenario)
    assert 'msg="waiting for dependencies" job.name=app pending="db (stopped)"' in log
    assert log.count('msg="starting job" job.name=app') == 2


def test_the_ordered_shutdown_is_bounded_by_the_longest_stop_timeout(tmp_path: Path) -> None:
    stubborn = (
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: open('events.log', 'a').write(NAME + '\\n'))\n"
        "open('up.log', 'a').write(NAME + '\\n')\n"
        "while True: time.sleep(60)"
    )
    config = (
        py_job("db", "NAME = 'db'\n" + stubborn, ' stopTimeout = "1s"\n')
        + py_job("app", "NAME = 'app'\n" + stubborn, ' after = ["db"]\n stopTimeout = "1s"\n')
        + py_job("web", "NAME = 'web'\n" + stubborn, ' after = ["app"]\n stopTimeout = "1s"\n')
    )

    def up() -> list[str]:
        path = tmp_path / "up.log"
        return sorted(path.read_text().split()) if path.exists() else []

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        await until(lambda: up() == ["app", "db", "web"])  # each ignores SIGTERM now

    log = with_job_set(tmp_path, config, scenario, stop_timeout=1.0)
    assert "stopping the remaining jobs at once" in log
    terms = (tmp_path / "events.log").read_text().split()
    assert terms[0] == "web" and sorted(terms) == ["app", "db", "web"]
    assert log.count('msg="forcefully killed job"') == 3


WATCHDOG_JOB = """
import os, socket, time
address = os.environ["NOTIFY_SOCKET"]
address = "\\0" + address[1:] if address.startswith("@") else address
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
with open("events.log", "a") as log:
    log.write("started " + os.environ["WATCHDOG_USEC"] + "\\n")
first = not os.path.exists("pinged")
sock.sendto(b"READY=1", address)
for _ in range(3 if first else 1000):
    sock.sendto(b"WATCHDOG=1", address)
    time.sleep(0.1)
open("pinged", "w").close()
while True:
    time.sleep(60)  # first run: hangs without pinging
"""


def test_a_notify_watchdog_restarts_a_job_that_stops_pinging(tmp_path: Path) -> None:
    config = py_job(
        "worker",
        WATCHDOG_JOB,
        " readiness { notify = true }\n"
        ' liveness {\n  notify = true\n  interval = "400ms"\n  failures = 1\n }\n'
        ' stopTimeout = "1s"\n',
    )

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        worker = job_of(jobs, "worker")
        await until(lambda: worker.machine.runs == 2 and worker.ready)
        text = jobs.render_metrics()
        assert b'mittnite_job_liveness_failures_total{job="worker"} 1\n' in text
        assert b'mittnite_job_restarts_total{job="worker"} 1\n' in text
        assert (worker.restarts, worker.liveness_restarts) == (1, 1)

    log = with_job_set(tmp_path, config, scenario)
    assert 'msg="liveness check failed; restarting job" error="no WATCHDOG=1 within 400ms"' in log
    assert (tmp_path / "events.log").read_text().splitlines()[:2] == [
        "started 400000",
        "started 400000",
    ]


def test_notify_messages_from_strangers_are_ignored_and_logged_sparingly(tmp_path: Path) -> None:
    config = py_job("cache", SLEEPER, " readiness { notify = true }\n")

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        cache = job_of(jobs, "cache")
        assert cache.health is not None and cache.health.socket is not None
        await until(lambda: cache.running)
        address = cache.health.socket.address
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            for _ in range(5):
                sock.sendto(b"READY=1", "\0" + address[1:])
        await until(lambda: cache.health is not None and cache.health.socket is not None
                    and cache.health.socket.rejected == 5)
        assert not cache.ready
        assert jobs.deps.state("cache") == "running"

    log = with_job_set(tmp_path, config, scenario)
    lines = [line for line in log.splitlines() if "ignored notify message" in line]
    assert len(lines) == 1, lines
    assert 'reason="sender is not a process of this job"' in lines[0]


ECHO = """
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(8)
while True:
    conn, _ = server.accept()
    data = conn.recv(100)
    conn.sendall(data + data)
    conn.close()
"""


def test_lazy_activations_connections_and_bytes_are_counted(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        upstream = probe.getsockname()[1]
    escaped = ECHO.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    config = (
        f'job "echo" {{\n command = "{PY}"\n args = ["-c", "{escaped}", "{upstream}"]\n'
        f' lazy {{}}\n listen "127.0.0.1:0" {{\n  forward = "127.0.0.1:{upstream}"\n }}\n}}\n'
    )

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        lazy = jobs.find("echo")
        assert lazy is not None and lazy.lazy
        address = lazy.listeners.addresses[0]  # type: ignore[union-attr]
        host, _, port = address.rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"hello")
        await writer.drain()
        assert await asyncio.wait_for(reader.read(100), 60) == b"hellohello"
        writer.close()
        await writer.wait_closed()
        families = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(jobs.render_metrics().decode())
            for sample in family.samples
        }
        assert families[("mittnite_lazy_activations_total", (("job", "echo"),))] == 1
        assert families[("mittnite_job_starts_total", (("job", "echo"),))] == 1
        connection = (("job", "echo"), ("listener", "127.0.0.1:0"))
        assert families[("mittnite_listener_connections_total", connection)] == 1
        await until(lambda: b'direction="out"} 10\n' in jobs.render_metrics())
        text = jobs.render_metrics()
        assert b'mittnite_listener_bytes_total{job="echo",direction="in"} 5\n' in text
        assert b'mittnite_lazy_activations_total{job="echo"} 1\n' in text  # not counted twice
        assert b'mittnite_job_state{job="echo",state="started"} 1\n' in text
        assert b'mittnite_job_ready{job="echo"} 1\n' in text

    with_job_set(tmp_path, config, scenario)


def test_a_lazy_job_waiting_for_its_dependency_cannot_be_started_through_the_api(
    tmp_path: Path,
) -> None:
    import pytest

    from mittnite.api.registry import JobRegistry, NotReady

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens here: db never gets ready
    config = py_job(
        "db", SLEEPER, f' readiness {{\n  tcp = "127.0.0.1:{closed}"\n  interval = "100ms"\n }}\n'
    ) + (
        'job "web" {\n command = "sleep"\n args = ["1011"]\n controllable = true\n'
        ' after = ["db"]\n lazy {}\n listen "127.0.0.1:0" {\n  forward = "127.0.0.1:1"\n }\n}\n'
    )

    async def scenario(jobs: JobSet, log: io.StringIO) -> None:
        db = job_of(jobs, "db")
        await until(lambda: db.health is not None and db.health.message != "")
        web = jobs.find("web")
        assert web is not None
        registry = JobRegistry(jobs)
        with pytest.raises(NotReady, match=r"it waits for db \(after\)"):
            registry.start(web)
        assert not web.running
        status = registry.status(web)
        assert b'"waitingFor":["db"]' in status
        assert b'"ready":false' in status and b"connection refused" in status
        assert b'mittnite_job_state{job="web",state="waiting"} 1\n' in jobs.render_metrics()
        assert jobs.readiness_gaps()[0].startswith("job db: not ready: tcp: connection refused")

    with_job_set(tmp_path, config, scenario)

"""Jobs that wait for each other, end to end (issue 17): ``after``, readiness, liveness, metrics.

Every test runs the real ``mittnite up`` with real processes. The jobs record what they
saw in ``events.log`` (does the database answer when I start? did the migration run?),
so the tests check behaviour and order, never timing. Dependencies that "come up late"
wait for a ``go`` file the test creates, so the waiting state is observed for sure.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from .conftest import Start
from .harness import MITTNITE, MITTNITECTL, Mittnite

PY = sys.executable

# Common to every job script: append a line to events.log; on SIGTERM say so, take
# STOP_DELAY seconds (a dependent that takes its time stopping), then exit.
PRELUDE = """
import os, signal, socket, sys, time
def event(text):
    with open("events.log", "a") as log:
        log.write(text + "\\n")
def stop(*_):
    event(NAME + " stopping")
    time.sleep(float(os.environ.get("STOP_DELAY", "0")))
    event(NAME + " stopped")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
def wait_for_go():
    while not os.path.exists("go"):
        time.sleep(0.02)
"""

# A database: listens only once the test says "go", then answers /health with 200.
DB = PRELUDE + """
import http.server
NAME = "db"
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
wait_for_go()
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health)
event("db listening")
server.serve_forever()
"""

# A migration: needs the database up at its first (and only) attempt.
MIGRATE = PRELUDE + """
import urllib.request
NAME = "migrate"
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=5) as answer:
    event(f"migrate ran, db answered {answer.status}")
"""

# The application: records what it found when it started, then runs until stopped.
APP = PRELUDE + """
NAME = sys.argv[1]
found = open("events.log").read() if os.path.exists("events.log") else ""
event(NAME + " started after: " + ", ".join(
    what for what in ("db listening", "migrate ran", "notify ready") if what in found))
while True:
    time.sleep(60)
"""

# A job that reports itself over $NOTIFY_SOCKET (the sd_notify protocol, by hand).
NOTIFY_JOB = PRELUDE + """
NAME = "cache"
def notify(text):
    address = os.environ["NOTIFY_SOCKET"]
    if address.startswith("@"):
        address = "\\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(text.encode(), address)
notify("STATUS=warming up")
event("notify status sent")
wait_for_go()
event("notify ready")
notify("READY=1\\nSTATUS=accepting connections")
while True:
    time.sleep(60)
"""

# First run: accepts connections but never answers (hung). Later runs: answers.
HANGS_ONCE = PRELUDE + """
import http.server
NAME = "api"
port = int(sys.argv[1])
if not os.path.exists("hung-once"):
    open("hung-once", "w").close()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    event("api hangs")
    while True:
        time.sleep(60)
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer.allow_reuse_address = True
server = http.server.HTTPServer(("127.0.0.1", port), Health)
event("api answers")
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def job(name: str, script: str, *args: str, extra: str = "") -> str:
    quoted = ", ".join(json.dumps(a) for a in ("-c", script, *args))
    return f'job "{name}" {{\n  command = "{PY}"\n  args = [{quoted}]\n{extra}}}\n'


def probe_port(run: Mittnite) -> int:
    return int(run.wait_for(r"probeServer listens on port (\d+)").group(1))


def fetch(port: int, path: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET on the probe server."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def events(workdir: Path) -> list[str]:
    path = workdir / "events.log"
    return path.read_text().splitlines() if path.exists() else []


def wait_for_event(workdir: Path, text: str, timeout: float = 30.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = events(workdir)
        if any(text in line for line in lines):
            return lines
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in events: {events(workdir)}")


def ctl(socket_path: Path, *args: str) -> str:
    done = subprocess.run(
        [*MITTNITECTL, "--api-address", str(socket_path), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def until(predicate: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def test_app_starts_after_a_late_http_server_and_a_one_time_job(
    mittnite: Start, tmp_path: Path
) -> None:
    db_port = free_port()
    api = tmp_path / "api.sock"
    config = (
        job(
            "db",
            DB,
            str(db_port),
            extra=f'  readiness {{\n    http = "http://127.0.0.1:{db_port}/health"\n'
            '    interval = "200ms"\n  }\n',
        )
        + job("migrate", MIGRATE, str(db_port), extra='  oneTime = true\n  after = ["db"]\n')
        + job(
            "app",
            APP,
            "app",
            extra='  controllable = true\n  after = ["db", "migrate"]\n',
        )
    )
    run = mittnite({"jobs.hcl": config}, "--api", "--api-listen-address", f"unix://{api}")
    port = probe_port(run)
    run.wait_for(r'msg="waiting for dependencies" job.name=app pending="db \(.*\), migrate')

    def missing() -> list[str]:
        status, kind, body = fetch(port, "/readyz")
        assert (status, kind) == (503, "application/json")
        lines: list[str] = json.loads(body)["missing"]
        return lines

    # Once db's first check failed, /readyz says why, for each job.
    until(lambda: any(line.startswith("job db: not ready: http:") for line in missing()))
    missing = missing()
    assert any(line.startswith("one-time job migrate: waiting for db") for line in missing)
    assert any(line.startswith("job app: waiting for db") for line in missing), missing
    waiting = ctl(api, "job", "status", "app")
    assert "ready: no: waiting for db" in waiting and "waiting for: db, migrate" in waiting
    document = json.loads(ctl(api, "job", "status", "app", "--json"))
    assert document["waitingFor"] == ["db", "migrate"]
    assert document["readiness"]["ready"] is False

    (tmp_path / "go").touch()
    lines = wait_for_event(tmp_path, "app started")
    assert lines == [
        "db listening",
        "migrate ran, db answered 200",
        "app started after: db listening, migrate ran",
    ]
    until(lambda: fetch(port, "/readyz")[0] == 200)
    assert "ready: yes" in ctl(api, "job", "status", "app")
    assert json.loads(ctl(api, "job", "status", "app", "--json"))["waitingFor"] == []
    assert 'msg="one-time job has ended successfully" job.name=migrate' in run.stderr
    assert re.search(r'msg="dependencies ready" job.name=app waited=\d', run.stderr)


def test_shutdown_stops_dependents_first(mittnite: Start, tmp_path: Path) -> None:
    config = (
        job("db", APP, "db")
        + job("app", APP, "app", extra='  after = ["db"]\n')
        + job("web", APP, "web", extra='  after = ["app"]\n')
    )
    run = mittnite({"jobs.hcl": config}, env={"STOP_DELAY": "0.3"})
    wait_for_event(tmp_path, "web started")
    run.signal(signal.SIGTERM)
    assert run.wait() == 0
    stops = [line for line in events(tmp_path) if line.endswith(("stopping", "stopped"))]
    assert stops == [
        "web stopping",
        "web stopped",
        "app stopping",
        "app stopped",
        "db stopping",
        "db stopped",
    ]
    signalled = re.findall(r'msg="sending signal 15 to process group" job.name=(\w+)', run.stderr)
    assert signalled == ["web", "app", "db"]


def test_app_waits_for_a_notify_job_and_status_shows_its_status_text(
    mittnite: Start, tmp_path: Path
) -> None:
    api = tmp_path / "api.sock"
    config = job(
        "cache", NOTIFY_JOB, extra="  controllable = true\n  readiness {\n    notify = true\n  }\n"
    ) + job("app", APP, "app", extra='  after = ["cache"]\n')
    run = mittnite({"jobs.hcl": config}, "--api", "--api-listen-address", f"unix://{api}")
    wait_for_event(tmp_path, "notify status sent")
    until(lambda: "warming up" in ctl(api, "job", "status", "cache"))
    before = ctl(api, "job", "status", "cache")
    assert "ready: no" in before
    assert "notify state: starting" in before
    assert "status (STATUS=): warming up" in before
    assert "app started" not in "\n".join(events(tmp_path))

    (tmp_path / "go").touch()
    lines = wait_for_event(tmp_path, "app started")
    assert lines[-1] == "app started after: notify ready"
    after = ctl(api, "job", "status", "cache")
    assert "ready: yes" in after and "status (STATUS=): accepting connections" in after
    document = json.loads(ctl(api, "job", "status", "cache", "--json"))
    assert document["notify"] == {"state": "ready", "status": "accepting connections"}
    assert list(document)[:4] == ["pid", "running", "phase", "config"]
    run.signal(signal.SIGTERM)
    assert run.wait() == 0


def metric_values(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, parsed by prometheus_client's OpenMetrics parser."""
    values = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def test_liveness_failure_restarts_a_hung_job_and_shows_in_the_metrics(
    mittnite: Start, tmp_path: Path
) -> None:
    port = free_port()
    api = tmp_path / "api.sock"
    config = job(
        "api",
        HANGS_ONCE,
        str(port),
        extra=f'  readiness {{\n    tcp = "127.0.0.1:{port}"\n    interval = "100ms"\n  }}\n'
        f'  liveness {{\n    http = "http://127.0.0.1:{port}/"\n    interval = "200ms"\n'
        '    timeout = "300ms"\n    failures = 2\n  }\n  stopTimeout = "1s"\n',
    )
    run = mittnite({"jobs.hcl": config}, "--api", "--api-listen-address", f"unix://{api}")
    port_of_probes = probe_port(run)
    wait_for_event(tmp_path, "api answers")
    run.wait_for('msg="liveness check failed; restarting job"')

    def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        status, kind, body = fetch(port_of_probes, "/metrics")
        assert status == 200
        assert kind == "application/openmetrics-text; version=1.0.0; charset=utf-8"
        assert body.endswith(b"# EOF\n")
        return metric_values(body.decode())

    api_job = (("job", "api"),)
    until(lambda: scrape()[("mittnite_job_up", api_job)] == 1)
    values = scrape()
    assert values[("mittnite_job_restarts_total", api_job)] == 1
    assert values[("mittnite_job_liveness_failures_total", api_job)] == 1
    assert values[("mittnite_job_starts_total", api_job)] == 2
    assert values[("mittnite_job_ready", api_job)] == 1
    assert values[("mittnite_job_state", (("job", "api"), ("state", "started")))] == 1
    failed = (("check", "liveness"), ("job", "api"), ("result", "timeout"))
    assert values[("mittnite_job_checks_total", failed)] >= 2
    assert values[("process_open_fds", ())] > 0
    assert events(tmp_path).count("api hangs") == 1
    assert 'msg="job exited with error" error="liveness check failed: http:' in run.stderr

    through_api = ctl(api, "metrics")
    assert through_api.endswith("# EOF\n")
    assert metric_values(through_api)[("mittnite_job_restarts_total", api_job)] == 1


def test_a_failed_one_time_job_fails_its_dependent(mittnite: Start) -> None:
    config = job(
        "migrate",
        "import sys; sys.exit(3)",
        extra="  oneTime = true\n  canFail = true\n  maxAttempts = 1\n",
    ) + job("app", APP, "app", extra='  after = ["migrate"]\n')
    run = mittnite({"jobs.hcl": config})
    assert run.wait() == 1
    message = 'job \\"app\\" will not start: it runs after \\"migrate\\", which failed: exit status 3'
    assert f'level=error msg="{message}" job.name=app' in run.stderr
    assert f'level=fatal msg="service runner stopped with error" error="{message}"' in run.stderr
    assert run.stderr.count("will not start") == 2
    assert 'msg="starting job" job.name=app' not in run.stderr


def test_lazy_and_boot_jobs_as_dependencies(mittnite: Start, tmp_path: Path) -> None:
    config = (
        'boot "init" {\n  command = "/bin/sh"\n  args = ["-c", "echo init done >> events.log"]\n}\n'
        'job "web" {\n  command = "sleep"\n  args = ["1010"]\n  lazy {}\n'
        '  listen "127.0.0.1:0" {\n    forward = "127.0.0.1:1"\n  }\n}\n'
        + job("app", APP, "app", extra='  after = ["init", "web"]\n')
    )
    run = mittnite({"jobs.hcl": config})
    lines = wait_for_event(tmp_path, "app started")
    assert lines == ["init done", "app started after: "]
    err = run.stderr
    assert err.index('msg="starting TCP listener"') < err.index('msg="starting job" job.name=app')
    assert 'msg="starting job" job.name=web' not in err  # lazy: listening is ready enough


def test_cycles_and_unknown_names_are_rejected_naming_both_ends(tmp_path: Path) -> None:
    config_dir = tmp_path / "mittnite.d"
    config_dir.mkdir()
    (config_dir / "jobs.hcl").write_text(
        'job "a" {\n  command = "true"\n  after = ["b"]\n}\n'
        'job "b" {\n  command = "true"\n  after = ["c"]\n}\n'
        'job "c" {\n  command = "true"\n  after = ["a", "dbb"]\n}\n'
        'job "db" {\n  command = "true"\n}\n'
    )
    validate = subprocess.run(
        [*MITTNITE, "validate", "-c", str(config_dir)], capture_output=True, text=True, timeout=60
    )
    assert validate.returncode == 1
    where = f"{config_dir}/jobs.hcl"
    assert (
        f'{where}:11:12: error: job "c" runs after "a", which (indirectly) runs after it: '
        "dependency cycle a → b → c → a (remove one of the after entries of the cycle)"
    ) in validate.stderr
    assert (
        f'{where}:11:17: error: job "c" runs after "dbb", but there is no job of that name; '
        'did you mean "db"?'
    ) in validate.stderr
    up = subprocess.run(
        [*MITTNITE, "up", "-c", str(config_dir), "-p", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert up.returncode == 1
    assert "dependency cycle a → b → c → a" in up.stderr
    assert "starting job" not in up.stderr


def test_the_example_runs_in_order(mittnite: Start, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "dependencies"
    port = str(free_port())
    for script in ("db.py", "migrate.py", "app.py"):
        (tmp_path / script).write_text((example / script).read_text())
    config = (example / "mittnite.d" / "jobs.hcl").read_text()
    config = config.replace("8091", port).replace('"python3"', json.dumps(PY))
    api = tmp_path / "api.sock"
    run = mittnite({"jobs.hcl": config}, "--api", "--api-listen-address", f"unix://{api}")
    run.wait_for("app: ready", stream="stdout", timeout=60)
    until(lambda: "STATUS=): serving requests" in ctl(api, "job", "status", "app"))
    assert run.stdout.splitlines() == [
        "db: warming up",
        "db: accepting connections",
        "migrate: db answered 200, applying migrations",
        "migrate: done",
        "app: ready",
    ]
    err = run.stderr
    order = [
        'msg="job is ready" job.name=db',
        'msg="starting job" job.name=migrate',
        'msg="one-time job has ended successfully" job.name=migrate',
        'msg="starting job" job.name=app',
        'msg="job is ready" job.name=app',
    ]
    assert [err.index(line) for line in order] == sorted(err.index(line) for line in order)
    run.signal(signal.SIGTERM)
    assert run.wait() == 0
    signalled = re.findall(r'msg="sending signal 15 to process group" job.name=(\w+)', run.stderr)
    assert signalled == ["app", "db"]

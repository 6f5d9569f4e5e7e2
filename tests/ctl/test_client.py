"""mittnitectl against a fake API on a real unix socket: requests sent, output printed."""

from __future__ import annotations

import json
import os
import socket
import tempfile

import pytest

from mittnite.cli.ctl.address import parse_endpoint
from mittnite.cli.ctl.main import main
from mittnite.cli.ctl.transport import describe_os_error

from .fake_api import (
    JSON,
    STOPPED_STATUS,
    WEB_STATUS,
    Canned,
    FakeApi,
    LogScript,
    go_error,
    not_controllable,
)

Capture = pytest.CaptureFixture[str]


def ctl(api: FakeApi, *args: str) -> int:
    return main(["--api-address", api.address, *args])


def test_list_text(api: FakeApi, capsys: Capture) -> None:
    api.jobs("web")
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "list") == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "The following processes are managed, and controllable:\n\n"
        "▶︎ web (running; reason=started; pid=28968)\n\n╭"
    )
    assert f"mittnitectl --api-address {api.address} job start <job>" in out
    assert "\x1b[" not in out  # not a terminal: no colours
    assert [r.target for r in api.requests] == ["/v1/jobs", "/v1/job/web/status"]
    assert api.requests[0].headers["host"] == "unix"


def test_list_json_is_pure_and_null_becomes_empty(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/jobs")] = Canned(200, b"null", JSON)
    assert ctl(api, "job", "list", "--json") == 0
    assert capsys.readouterr().out == "[]\n"


def test_list_json_gives_state_pid_and_phase_of_each_job(api: FakeApi, capsys: Capture) -> None:
    api.jobs("web", "db")
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    api.routes[("GET", "/v1/job/db/status")] = Canned(200, STOPPED_STATUS, JSON)
    assert ctl(api, "job", "list", "-j") == 0
    out = capsys.readouterr().out
    assert json.loads(out) == [
        {
            "name": "web",
            "running": True,
            "pid": 28968,
            "phase": {"reason": "started", "lastChange": "2026-11-28T12:46:01.170379337Z"},
        },
        {
            "name": "db",
            "running": False,
            "phase": {"reason": "stopped", "lastChange": "2026-11-28T12:47:00Z"},
        },
    ]
    assert out.startswith('[\n    {\n        "name": "web",\n')
    assert "\x1b[" not in out


def test_status_text(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "status", "web") == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "▶︎ web (running; reason=started; pid=28968)\n"
        "  command: /bin/sh (args: [-c sleep 1000])\n"
        "  working directory: /tmp\n"
        "  allowed to fail: no (max restart attempts: 5)\n"
        "  stdout log file: /x/web.out\n"
        "  stderr log file: /x/web.err\n\n╭"
    )
    assert "job logs web" in out


def test_status_json_keeps_order_and_nothing_else(api: FakeApi, capsys: Capture) -> None:
    api.jobs("web")
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "status", "-j") == 0  # name defaulted: the only job
    out = capsys.readouterr().out
    document = json.loads(out)
    api_document = json.loads(WEB_STATUS)
    # one key style: the Go field names inside watch/lazy/listen become camelCase
    assert document["config"]["watch"] == [
        {
            "filename": "/x/*.conf",
            "signal": 1,
            "restart": False,
            "preCommand": None,
            "postCommand": None,
        }
    ]
    del document["config"]["watch"], api_document["config"]["watch"]
    assert document == api_document  # everything else is the API's, keys and order
    assert list(document["config"])[:3] == ["name", "command", "args"]
    assert out.startswith('{\n    "pid": 28968,\n')
    assert out.endswith("}\n")


def test_exit_with_status(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, STOPPED_STATUS, JSON)
    assert ctl(api, "job", "status", "web") == 0
    assert capsys.readouterr().out.startswith("◼︎ web (stopped)\n")
    assert ctl(api, "job", "status", "web", "--exit-with-status") == 1
    assert ctl(api, "job", "status", "web", "--exit-with-status", "--json") == 1
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "status", "web", "--exit-with-status") == 0


def test_not_controllable_shows_server_text(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/job/hidden/status")] = not_controllable("hidden")
    assert ctl(api, "job", "status", "hidden") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        'Error: failed to get status of job hidden: job "hidden" not found or is not controllable\n'
    )
    assert "controllable = true" in captured.err


def test_unknown_content_type(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, b"hi", [("Content-Type", "text/html")])
    assert ctl(api, "job", "status", "web") == 1
    assert capsys.readouterr().err == (
        "Error: failed to get status of job web: unknown content type text/html\n"
    )


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([], "no jobs found"),
        (["a", "b"], "more than one job found; please provide a job name as argument"),
    ],
)
def test_job_name_required(api: FakeApi, capsys: Capture, names: list[str], message: str) -> None:
    api.jobs(*names)
    assert ctl(api, "job", "start") == 1
    assert capsys.readouterr().err == f"Error: {message}\n"


def test_start_of_a_running_job_says_it_already_runs(api: FakeApi, capsys: Capture) -> None:
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "start", "web") == 0
    assert capsys.readouterr().out == "▶️  job web is already running (pid 28968)\n"
    assert [r.method for r in api.requests] == ["GET"]  # nothing to start


def test_start_waits_until_running(api: FakeApi, capsys: Capture) -> None:
    answers = iter([STOPPED_STATUS, STOPPED_STATUS, STOPPED_STATUS, WEB_STATUS])
    api.routes[("POST", "/v1/job/web/start")] = Canned()
    api.routes[("GET", "/v1/job/web/status")] = lambda: Canned(200, next(answers), JSON)
    assert ctl(api, "job", "start", "web") == 0
    out = capsys.readouterr().out
    assert out.startswith("▶️  starting job web\n🕑 waiting for job web to start\n╭")
    assert "│ 🚀 job web started " in out
    post = api.requests[1]  # after the status that tells whether it already runs
    assert (post.method, post.target) == ("POST", "/v1/job/web/start")
    assert post.headers["content-type"] == "application/json"
    assert post.headers["content-length"] == "0"
    assert len(api.requests) == 5


def test_stop_without_waiting(api: FakeApi, capsys: Capture) -> None:
    api.jobs("web")
    api.routes[("POST", "/v1/job/web/stop")] = Canned()
    assert ctl(api, "job", "stop", "--wait=false") == 0
    assert capsys.readouterr().out == "⏸️  stopping job web\n"
    assert [r.target for r in api.requests] == ["/v1/jobs", "/v1/job/web/stop"]


def test_stop_times_out(api: FakeApi, capsys: Capture) -> None:
    api.routes[("POST", "/v1/job/web/stop")] = Canned()
    api.routes[("GET", "/v1/job/web/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "stop", "web", "--wait-for", "300ms") == 1
    captured = capsys.readouterr()
    assert captured.out == "⏸️  stopping job web\n🕑 waiting for job web to stop\n"
    assert captured.err == "Error: timeout waiting for job web to reach desired state\n"


def test_restart_waits_for_a_new_process(api: FakeApi, capsys: Capture) -> None:
    new_pid = WEB_STATUS.replace(b"28968", b"28999")
    answers = iter([WEB_STATUS, WEB_STATUS, WEB_STATUS, new_pid])
    api.routes[("POST", "/v1/job/web/restart")] = Canned()
    api.routes[("GET", "/v1/job/web/status")] = lambda: Canned(200, next(answers), JSON)
    assert ctl(api, "job", "restart", "web") == 0
    assert "🥳 job web restarted" in capsys.readouterr().out
    assert sum(r.target.endswith("/status") for r in api.requests) == 4


def test_action_refused(api: FakeApi, capsys: Capture) -> None:
    api.routes[("POST", "/v1/job/web/start")] = go_error(503, 'job "web" cannot be controlled yet')
    assert ctl(api, "job", "start", "web", "-w=false") == 1
    assert capsys.readouterr().err == (
        'Error: failed to start job web: job "web" cannot be controlled yet\n'
    )


def test_bad_wait_for_is_a_usage_error(api: FakeApi, capsys: Capture) -> None:
    assert ctl(api, "job", "start", "web", "--wait-for", "5") == 1
    err = capsys.readouterr().err
    assert err.startswith('Error: invalid argument "5" for "--wait-for" flag: time: missing unit')
    assert "Usage:\n  mittnitectl job start [flags] [JOB]" in err
    assert api.requests == []


def test_logs_prints_every_frame(api: FakeApi, capsys: Capture) -> None:
    lines = [f"line {i}" for i in range(1000)]
    api.logs["/v1/job/web/logs"] = LogScript(lines)
    assert ctl(api, "job", "logs", "web") == 0
    assert capsys.readouterr().out == "".join(f"{line}\n" for line in lines)
    request = api.requests[0]
    assert request.target == "/v1/job/web/logs?taillen=-1"
    assert request.headers["host"] == "unix"
    assert request.headers["upgrade"].lower() == "websocket"


def test_logs_query_follow_and_tail(api: FakeApi, capsys: Capture) -> None:
    api.logs["/v1/job/web/logs"] = LogScript(["a"], close_code=None)  # 1006: hang up
    assert ctl(api, "job", "logs", "web", "-f", "--tail", "-9") == 0
    assert ctl(api, "job", "logs", "web", "--tail=20") == 0
    assert capsys.readouterr().out == "a\na\n"
    assert [r.target for r in api.requests] == [
        "/v1/job/web/logs?follow=true&taillen=-1",
        "/v1/job/web/logs?taillen=20",
    ]


def test_logs_abnormal_close_is_an_error(api: FakeApi, capsys: Capture) -> None:
    api.logs["/v1/job/web/logs"] = LogScript(["x"], close_code=1011, reason="too slow")
    assert ctl(api, "job", "logs", "web") == 1
    captured = capsys.readouterr()
    assert captured.out == "x\n"
    assert captured.err == (
        "Error: failed to print output: the log stream ended abnormally (close code 1011: too slow)\n"
    )


def test_logs_refused_handshake_shows_server_text_and_hint(api: FakeApi, capsys: Capture) -> None:
    assert ctl(api, "job", "logs", "nope") == 1
    err = capsys.readouterr().err
    # the same text and hint as job status, no ws:// URL
    assert err == (
        'Error: failed to print output: job "nope" not found or is not controllable\n'
        'Only jobs with "controllable = true" can be controlled; "mittnitectl job list" '
        "shows them.\n"
    )


def test_job_names_are_percent_encoded(api: FakeApi) -> None:
    api.routes[("GET", "/v1/job/a%2Fb%20c/status")] = Canned(200, WEB_STATUS, JSON)
    assert ctl(api, "job", "status", "a/b c") == 0


class TestConnectionErrors:
    def test_missing_socket(self, capsys: Capture, tmp_path: object) -> None:
        path = os.path.join(tempfile.gettempdir(), "mittnitectl-missing", "x.sock")
        assert main(["--api-address", f"unix://{path}", "job", "status", "web"]) == 1
        err = capsys.readouterr().err
        assert err.startswith(
            "Error: failed to get status of job web: cannot connect to mittnite's API: "
            f"the socket path {path} does not exist.\n"
        )
        assert f"mittnite up --api --api-listen-address unix://{path}" in err

    def test_nobody_listening(self, capsys: Capture) -> None:
        directory = tempfile.mkdtemp(prefix="ctldead")
        path = os.path.join(directory, "s.sock")
        dead = socket.socket(socket.AF_UNIX)
        dead.bind(path)
        dead.close()
        try:
            assert main(["--api-address", f"unix://{path}", "job", "list"]) == 1
        finally:
            os.unlink(path)
            os.rmdir(directory)
        assert f"nothing is listening on the socket {path}" in capsys.readouterr().err

    def test_permission_denied_message(self) -> None:
        endpoint = parse_endpoint("unix:///run/m.sock")
        message = describe_os_error(endpoint, PermissionError(13, "Permission denied"))
        assert "permission denied on the socket /run/m.sock" in message
        assert "run mittnitectl as the user mittnite runs as" in message

    def test_tcp_refused(self, capsys: Capture) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        assert main(["--api-address", f"http://127.0.0.1:{port}", "job", "list"]) == 1
        err = capsys.readouterr().err
        assert f"connection to 127.0.0.1:{port} refused" in err
        assert f"--api-listen-address 127.0.0.1:{port}" in err

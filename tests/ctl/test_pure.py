"""The pure parts of mittnitectl: addresses, status lines, flags, job-name defaulting."""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.cli.ctl.address import parse_endpoint
from mittnite.cli.ctl.errors import CtlError, UsageProblem
from mittnite.cli.ctl.flags import tail_lines, wait_seconds
from mittnite.cli.ctl.jobname import pick_job
from mittnite.cli.ctl.status import JobStatus, detail_lines, status_line
from mittnite.cli.ctl.style import BOX_WIDTH, Style, box, colours_wanted, display_width

PLAIN = Style(False)


class TestAddress:
    def test_default_unix_socket(self) -> None:
        endpoint = parse_endpoint("unix:///var/run/mittnite.sock")
        assert endpoint.is_unix
        assert endpoint.socket_path == "/var/run/mittnite.sock"
        assert endpoint.host_header == "unix"
        assert endpoint.url("/v1/jobs") == "http://unix/v1/jobs"
        assert endpoint.url("/v1/job/web/logs?taillen=-1", "ws") == (
            "ws://unix/v1/job/web/logs?taillen=-1"
        )

    def test_relative_unix_path_as_the_server_reads_it(self) -> None:
        assert parse_endpoint("unix://run/m.sock").socket_path == "run/m.sock"

    def test_http_base_url_with_prefix(self) -> None:
        endpoint = parse_endpoint("http://127.0.0.1:8080/mittnite/")
        assert (endpoint.host, endpoint.port, endpoint.prefix) == ("127.0.0.1", 8080, "/mittnite")
        assert endpoint.target("/v1/jobs") == "/mittnite/v1/jobs"
        assert endpoint.host_header == "127.0.0.1:8080"

    def test_bare_host_port_and_ipv6(self) -> None:
        assert parse_endpoint("localhost:9000").host_header == "localhost:9000"
        endpoint = parse_endpoint("http://[::1]:8080")
        assert (endpoint.host, endpoint.host_header) == ("::1", "[::1]:8080")
        assert parse_endpoint(":8080").host == "127.0.0.1"
        assert parse_endpoint("http://example.org").port == 80

    @pytest.mark.parametrize("text", ["/tmp/m.sock", "run/m.sock", "m.sock", "./m.sock"])
    def test_bare_path_is_a_unix_socket(self, text: str) -> None:
        endpoint = parse_endpoint(text)
        assert endpoint.is_unix and endpoint.socket_path == text
        assert endpoint.host_header == "unix"

    @pytest.mark.parametrize("text", ["unix://", "https://x:1", "host:port", "http://h:99999"])
    def test_invalid(self, text: str) -> None:
        with pytest.raises(CtlError, match="invalid --api-address"):
            parse_endpoint(text)


def status(raw: dict[str, Any], name: str = "web") -> JobStatus:
    return JobStatus(name, raw)


class TestStatusLines:
    def test_running(self) -> None:
        line = status_line(
            status({"pid": 42, "running": True, "phase": {"reason": "started"}}), PLAIN
        )
        assert line == "▶︎ web (running; reason=started; pid=42)"

    def test_stopped(self) -> None:
        line = status_line(status({"running": False, "phase": {"reason": "stopped"}}), PLAIN)
        assert line == "◼︎ web (stopped)"

    @pytest.mark.parametrize("reason", ["crashLooping", "failed", "completed", "", "unknown"])
    def test_not_running(self, reason: str) -> None:
        line = status_line(status({"running": False, "phase": {"reason": reason}}), PLAIN)
        assert line == f"◼︎ web (not running; reason={reason})"

    def test_colours(self) -> None:
        line = status_line(status({"pid": 1, "running": True, "phase": {}}), Style(True))
        assert line.startswith("\x1b[38;2;0;183;133m▶︎ ")
        assert "\x1b[1mweb\x1b[0m" in line

    def test_details(self) -> None:
        raw = {
            "config": {
                "command": "/bin/sh",
                "args": ["-c", "sleep 1"],
                "canFail": True,
                "workingDirectory": "/srv",
                "stdout": "/x/out",
            }
        }
        assert detail_lines(status(raw), PLAIN) == [
            "  command: /bin/sh (args: [-c sleep 1])",
            "  working directory: /srv",
            "  allowed to fail: yes (max restart attempts: 3)",
            "  stdout log file: /x/out",
            "  stderr log file: <not set>",
        ]

    def test_readiness_waiting_and_notify_status(self) -> None:
        waiting = {
            "readiness": {"ready": False, "since": "0001-01-01T00:00:00Z", "message": "waiting "
                          "for db (not ready: http: connection refused at 127.0.0.1:5432)"},
            "waitingFor": ["db"],
            "notify": {"state": "starting", "status": ""},
        }
        assert detail_lines(status(waiting), PLAIN)[5:] == [
            "  ready: no: waiting for db (not ready: http: connection refused at 127.0.0.1:5432)",
            "  waiting for: db",
            "  notify state: starting",
            "  status (STATUS=): <not set>",
        ]
        ready = {
            "readiness": {"ready": True, "since": "2026-12-06T16:53:01Z", "message": ""},
            "waitingFor": [],
            "notify": {"state": "ready", "status": "serving 12 clients"},
        }
        assert detail_lines(status(ready), PLAIN)[5:] == [
            "  ready: yes (since 2026-12-06T16:53:01Z)",
            "  notify state: ready",
            "  status (STATUS=): serving 12 clients",
        ]
        assert len(detail_lines(status({}), PLAIN)) == 5  # the original's jobs: as before

    @pytest.mark.parametrize(
        ("config", "expected"),
        [({}, 3), ({"maxAttempts": 5}, 5), ({"maxAttempts": -4}, -1), ({"-": 7}, 7)],
    )
    def test_effective_max_attempts(self, config: dict[str, object], expected: int) -> None:
        assert status({"config": config}).max_attempts == expected

    def test_missing_fields_are_zero_values(self) -> None:
        empty = status({})
        assert (empty.pid, empty.running, empty.reason, empty.config) == (0, False, "", {})
        with pytest.raises(CtlError, match="expected a JSON object"):
            JobStatus.from_json("web", [1])


class TestStyle:
    def test_no_colour_when_not_a_terminal_or_no_color(self) -> None:
        class Tty:
            def isatty(self) -> bool:
                return True

        assert colours_wanted(Tty(), {}) is True  # type: ignore[arg-type]
        assert colours_wanted(Tty(), {"NO_COLOR": "1"}) is False  # type: ignore[arg-type]
        assert colours_wanted(Tty(), {"NO_COLOR": ""}) is True  # type: ignore[arg-type]
        assert colours_wanted(Tty(), {"TERM": "dumb"}) is False  # type: ignore[arg-type]
        assert Style(False).success("x") == "x"

    def test_display_width(self) -> None:
        assert display_width("abc") == 3
        assert display_width("🚀 x") == 4
        assert display_width("ℹ️ x") == 4  # VS16: emoji presentation, two columns
        assert display_width("▶︎ x") == 3  # VS15: text presentation, one column

    def test_box_is_80_columns_and_wraps(self) -> None:
        text = box(["🚀 job web started", "word " * 30], PLAIN)
        rows = text.splitlines()
        assert rows[0] == "╭" + "─" * 78 + "╮"
        assert rows[-1] == "╰" + "─" * 78 + "╯"
        assert all(display_width(row) == BOX_WIDTH for row in rows)
        assert rows[2] == "│ 🚀 job web started" + " " * 58 + " │"
        assert len(rows) > 5  # the long line wrapped

    def test_box_grows_to_hold_a_long_command_with_a_straight_border(self) -> None:
        command = "   mittnitectl --api-address unix:///" + "d" * 90 + "/m.sock job start web"
        rows = box(["ℹ️  Control this job with:", "", command, "", "word " * 30], PLAIN).splitlines()
        widths = {display_width(row) for row in rows}
        assert widths == {len(command) + 4}  # one width: the right border is straight
        assert f"│ {command} │" in rows


class TestFlags:
    def test_go_durations(self) -> None:
        assert wait_seconds("5s") == 5.0
        assert wait_seconds("1m30s") == 90.0
        assert wait_seconds("250ms") == 0.25
        assert wait_seconds("-1s") == 0.0

    def test_bad_duration_is_pflags_error(self) -> None:
        with pytest.raises(UsageProblem) as info:
            wait_seconds("soon")
        assert str(info.value) == (
            'invalid argument "soon" for "--wait-for" flag: time: invalid duration "soon"'
        )

    def test_tail_below_minus_one_means_all(self) -> None:
        assert [tail_lines(n) for n in (-7, -1, 0, 10)] == [-1, -1, 0, 10]


class TestJobName:
    def test_given_name_wins_without_asking(self) -> None:
        def fail() -> list[str]:
            raise AssertionError("must not list")

        assert pick_job(["web"], fail) == "web"

    def test_only_job_is_the_default(self) -> None:
        assert pick_job([], lambda: ["web"]) == "web"

    @pytest.mark.parametrize(
        ("names", "message"),
        [
            ([], "no jobs found"),
            (["a", "b"], "more than one job found; please provide a job name as argument"),
        ],
    )
    def test_original_messages(self, names: list[str], message: str) -> None:
        with pytest.raises(CtlError) as info:
            pick_job([], lambda: names)
        assert str(info.value) == message

    def test_list_failure(self) -> None:
        def broken() -> list[str]:
            raise CtlError("boom")

        with pytest.raises(CtlError, match=r"^failed to list jobs: boom$"):
            pick_job([], broken)

    def test_too_many_arguments(self) -> None:
        with pytest.raises(UsageProblem, match="accepts at most 1 arg"):
            pick_job(["a", "b"], lambda: [])

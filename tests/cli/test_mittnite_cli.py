"""The ``mittnite`` command line, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import MITTNITE


def run(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MITTNITE_LOG_LEVEL": ""}
    return subprocess.run(
        [*MITTNITE, *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


def test_help_lists_the_original_commands_and_flags() -> None:
    result = run("--help")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith(
        "Mittnite is a small, but smart init system designed for usage as `ENTRYPOINT` in "
        "container images\n\nUsage:\n  mittnite [flags]\n  mittnite [command]\n"
    )
    for line in (
        "  renderfiles Renders configuration files",
        "  up          Render config files, start probes and processes",
        "  version     Show extended information about the current version of mittnite",
        "  -c, --config-dir string   set directory to where your .hcl-configs are located "
        '(default "/etc/mittnite.d")',
    ):
        assert line in out


def test_up_help_shows_the_up_flags() -> None:
    out = run("up", "--help").stdout
    for flag in (
        "-p, --probe-listen-port int",
        "--pidfile string",
        "--api ",
        "--api-listen-address string   listen address for the api "
        '(unix:///path/to.sock or host:port) (default "unix:///var/run/mittnite.sock")',
        "-k, --keep-running",
    ):
        assert flag in out
    assert "Global Flags:" in out and "--config-dir" in out.split("Global Flags:")[1]


def test_unknown_command_and_flag_fail_with_cobra_messages() -> None:
    result = run("foo")
    assert result.returncode == 1
    assert result.stderr == (
        'Error: unknown command "foo" for "mittnite"\nRun \'mittnite --help\' for usage.\n'
    )
    result = run("up", "--bogus")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: unknown flag: --bogus\nUsage:\n  mittnite up [flags]")


@pytest.fixture
def good_dir(tmp_path: Path) -> str:
    root = tmp_path / "conf"
    root.mkdir()
    (root / "jobs.hcl").write_text(
        'job "web" {\n  command = "/bin/sleep"\n  args = ["100"]\n  unknwn = 1\n}\n'
        'probe "db" {\n  wait = true\n  redis {\n    host { hostname = "localhost" }\n'
        '    password = "s3cret"\n  }\n}\n'
    )
    return str(root)


def test_validate_reports_warnings_and_succeeds(good_dir: str) -> None:
    result = run("validate", "-c", good_dir)
    assert result.returncode == 0, result.stderr
    assert f"{good_dir}/jobs.hcl:4:3: warning: job \"web\": unknown key 'unknwn'" in result.stderr
    assert "configuration is valid" in result.stderr


def test_validate_json_prints_effective_config_without_secrets(good_dir: str) -> None:
    result = run("validate", "--json", "-c", good_dir)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    job = config["jobs"][0]
    assert job["name"] == "web" and job["maxAttempts"] == 3 and job["args"] == ["100"]
    probe = config["probes"][0]
    assert probe["type"] == "redis" and probe["redis"]["password"] == "******"
    assert "s3cret" not in result.stdout + result.stderr


def test_validate_fails_listing_every_error(tmp_path: Path) -> None:
    root = tmp_path / "conf"
    root.mkdir()
    (root / "a.hcl").write_text('job "a" {\n  command = "/bin/true"\n  canFail = "no"\n}\n')
    (root / "b.hcl").write_text('file "/x" {\n  overwrite = false\n}\n')
    result = run("validate", "-c", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f'{root}/a.hcl:3:13: error: job "a": canFail: expected true or false, found the string '
        '"no" (write false without quotes)',
        f"{root}/b.hcl:1:1: error: configuration file /x has no specified source ('from') "
        '(add from = "path/to/template")',
        f"{root}: 2 errors, 0 warnings",
    ]


def test_validate_semantic_errors(tmp_path: Path) -> None:
    root = tmp_path / "conf"
    root.mkdir()
    (root / "b.hcl").write_text('file "/x" {\n  overwrite = false\n}\njob "j" {}\n')
    result = run("validate", "-c", str(root))
    assert result.returncode == 1
    assert f"{root}/b.hcl:1:1: error: configuration file /x has no specified source ('from')" in (
        result.stderr
    )
    assert f'{root}/b.hcl:4:1: warning: job "j" has no command' in result.stderr


@pytest.mark.parametrize("command", ["up", "validate", "renderfiles"])
def test_a_bogus_log_format_is_an_error(command: str, good_dir: str) -> None:
    result = run(command, "--log-format", "bogus", "-c", good_dir)
    assert result.returncode == 1
    assert result.stderr.startswith(
        'Error: invalid argument "bogus" for "--log-format" flag: '
        "must be one of auto, text, json, tty\nUsage:\n"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [("soon", 'time: invalid duration "soon"'), ("-1s", "must not be negative")],
)
def test_up_checks_its_stop_timeout(value: str, reason: str, good_dir: str) -> None:
    result = run("up", "--stop-timeout", value, "-c", good_dir)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f'Error: invalid argument "{value}" for "--stop-timeout" flag: {reason}\n'
    )


def test_validate_format_json_and_probe_port(tmp_path: Path) -> None:
    root = tmp_path / "conf"
    root.mkdir()
    (root / "a.hcl").write_text(
        'job "a" {\n  command = "/bin/true"\n  listen ":8000" { forward = ":8001" }\n}\n'
    )
    assert run("validate", "-c", str(root)).returncode == 0
    result = run("validate", "-c", str(root), "-p", "8000", "--format", "json")
    assert result.returncode == 1
    assert [(p["line"], p["column"], p["severity"]) for p in json.loads(result.stdout)] == [
        (3, 10, "error")
    ]
    result = run("validate", "-c", str(root), "--format", "yaml")
    assert result.returncode == 1
    assert result.stderr.startswith(
        'Error: invalid argument "yaml" for "--format" flag: must be text or json'
    )


def test_up_starts_the_other_jobs_and_gives_up_a_job_without_command(tmp_path: Path) -> None:
    """As the original: the job fails to start (exec: no command) until its attempts are used
    up; the others run; a job that may not fail then ends the run (with status 1 here)."""
    root = tmp_path / "conf"
    root.mkdir()
    (root / "a.hcl").write_text(
        'job "nocmd" {\n  maxAttempts = 2\n}\n'
        'job "ok" {\n  command = "/bin/sh"\n  args = ["-c", "echo hello from ok; sleep 30"]\n}\n'
    )
    result = run("up", "-c", str(root), "-p", "0")
    assert result.returncode == 1
    assert "hello from ok" in result.stdout
    lines = result.stderr.splitlines()
    assert 'warning: job \\"nocmd\\" has no command' in lines[2]  # reported at load time
    failures = [line for line in lines if "level=error" in line and "exec: no command" in line]
    assert 'error="failed to start job nocmd: exec: no command" job.name=nocmd' in failures[0]
    assert any(
        'msg="reached max retries for job nocmd; last error: failed to start job nocmd: '
        'exec: no command"' in line
        for line in failures
    )


def test_flag_help_lists_every_log_format_and_each_default_once() -> None:
    out = run("up", "--help").stdout
    assert (
        "--log-format string   format of mittnite's own log lines: auto (tty on a terminal, "
        'text otherwise), text, json or tty (default "auto")'
    ) in out
    assert out.count("unix:///var/run/mittnite.sock") == 1
    assert "--profile" in run("--help").stdout
    assert "completion  Generate the autocompletion script for the specified shell" in (
        run("--help").stdout
    )

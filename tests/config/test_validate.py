"""``mittnite validate``: every problem ``up`` would hit, in one run, each at its value.

These tests run the command in-process (``main([...])``) against real
directories and templates, and compare the whole report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mittnite.cli.main import main
from mittnite.config.load import decode_directory, load
from mittnite.config.problems import ConfigError
from mittnite.config.validate import check

from .conftest import MakeDir

ISSUE_EXAMPLE = (
    'job "web" { maxAttempts = "lots"  stopSignal = "SIGFOO"  '
    'lazy { spinUpTimeout = "5 seconds" } }\n'
    'job "db"  { canFail = "yes" }\n'
    'file "/etc/x.conf" { from = "bad.tpl" }        # template with a syntax error\n'
    'file "/etc/y.conf" { from = "missing.tpl" }    # no such file\n'
    'boot "setup" { command = "/no/such/binary"  timeout = "30" }\n'
)

# Every mistake of the issue's example: (line, column, severity, start of message).
ISSUE_MISTAKES = [
    (1, 27, "error", 'job "web": maxAttempts: expected a whole number, found the string "lots"'),
    (1, 48, "error", "job \"web\": stopSignal: unknown signal 'SIGFOO'"),
    (1, 81, "error", 'job "web": lazy: spinUpTimeout: time: unknown unit " seconds" in duration'),
    (2, 23, "error", 'job "db": canFail: expected true or false, found the string "yes"'),
    (3, 1, "error", 'template bad.tpl (used by file "/etc/x.conf"'),
    (4, 29, "error", 'file "/etc/y.conf": from: open missing.tpl: no such file or directory'),
    (5, 55, "error", 'boot job "setup": timeout: time: missing unit in duration "30"'),
]


def validate(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str], str]:
    """Run ``mittnite validate ARGS``: exit status, stderr lines, stdout."""
    status = main(["validate", *args])
    captured = capsys.readouterr()
    return status, captured.err.splitlines(), captured.out


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path``: templates given with ``from`` are relative to the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_issue_example_reports_every_mistake_in_one_run(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "conf").mkdir()
    (in_tmp / "conf" / "app.hcl").write_text(ISSUE_EXAMPLE)
    (in_tmp / "bad.tpl").write_text("listen {{ .Params.port \n")
    status, lines, _ = validate(capsys, "-c", "conf")
    assert status == 1
    assert lines == [
        'conf/app.hcl:1:1: warning: job "web" has no command: it will fail to start '
        '(exec: no command) (add command = "/path/to/program"; unless canFail = true, '
        "mittnite then stops)",
        'conf/app.hcl:1:27: error: job "web": maxAttempts: expected a whole number, found the '
        'string "lots" (write a number of runs, e.g. 3, or -1 to retry forever)',
        "conf/app.hcl:1:48: error: job \"web\": stopSignal: unknown signal 'SIGFOO' "
        "(did you mean SIGIO?)",
        'conf/app.hcl:1:63: warning: job "web" is lazy but has no listen block: nothing will '
        'ever start it (add listen ":8080" { forward = "127.0.0.1:8081" })',
        'conf/app.hcl:1:81: error: job "web": lazy: spinUpTimeout: time: unknown unit '
        '" seconds" in duration "5 seconds" (write "5s")',
        'conf/app.hcl:2:1: warning: job "db" has no command: it will fail to start '
        '(exec: no command) (add command = "/path/to/program"; unless canFail = true, '
        "mittnite then stops)",
        'conf/app.hcl:2:23: error: job "db": canFail: expected true or false, found the string '
        '"yes" (write true without quotes)',
        'conf/app.hcl:4:29: error: file "/etc/y.conf": from: open missing.tpl: no such file or '
        f"directory ('from' is relative to the directory mittnite is started in (here: {in_tmp}))",
        'conf/app.hcl:5:26: warning: boot job "setup": exec: "/no/such/binary": no such file '
        "or directory on this machine (the image may differ from this machine; make sure it is "
        "installed there)",
        'conf/app.hcl:5:55: error: boot job "setup": timeout: time: missing unit in duration '
        '"30" (write "30s"; a number needs a unit: ns, us, ms, s, m or h)',
        'bad.tpl:2:1: error: template bad.tpl (used by file "/etc/x.conf" at conf/app.hcl:3:1): '
        "unclosed action started at line 1 (Go reports it as: template: /etc/x.conf:2: unclosed "
        "action started at /etc/x.conf:1)",
        "conf: 7 errors, 4 warnings",
    ]


@pytest.mark.parametrize("mistake", range(len(ISSUE_MISTAKES)))
def test_each_mistake_of_the_issue_on_its_own(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], mistake: int
) -> None:
    """The example with every mistake repaired but one: exactly that one is reported."""
    repaired = [
        'job "web" { command = "/bin/true"  maxAttempts = "3"  stopSignal = "SIGHUP"  '
        'lazy { spinUpTimeout = "5s" } listen ":0" { forward = "127.0.0.1:1" } }',
        'job "db"  { command = "/bin/true"  canFail = true }',
        'file "/etc/x.conf" { from = "good.tpl" }',
        'file "/etc/y.conf" { from = "good.tpl" }',
        'boot "setup" { command = "/bin/true"  timeout = "30s" }',
    ]
    broken = ISSUE_EXAMPLE.splitlines()
    line, column, severity, message = ISSUE_MISTAKES[mistake]
    text = list(repaired)
    if mistake == 1:  # the stop signal only; keep everything else of line 1 repaired
        text[0] = text[0].replace('"SIGHUP"', '"SIGFOO"  ')
    elif mistake == 2:
        text[0] = text[0].replace('"5s"', '"5 seconds"')
    elif mistake == 0:
        text[0] = text[0].replace('"3"', '"lots"')
    else:
        text[line - 1] = broken[line - 1]
    (in_tmp / "conf").mkdir()
    (in_tmp / "conf" / "app.hcl").write_text("\n".join(text) + "\n")
    (in_tmp / "bad.tpl").write_text("listen {{ .Params.port \n")
    (in_tmp / "good.tpl").write_text("listen {{ .Params.port }}\n")
    status, _, out = validate(capsys, "-c", "conf", "--format", "json")
    assert status == 1
    errors = [p for p in json.loads(out) if p["severity"] == "error"]
    assert len(errors) == 1, errors
    found = errors[0]
    assert found["severity"] == severity and found["message"].startswith(message), found
    if mistake == 4:  # the template's own position, the block named in the message
        assert (found["file"], found["line"]) == ("bad.tpl", 2)
        assert "conf/app.hcl:3:1" in found["message"]
    else:
        assert (found["file"], found["line"]) == ("conf/app.hcl", line)
        if mistake not in (0, 1, 2):
            assert found["column"] == column


def test_json_format_lists_problems_for_editors(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "a.hcl").write_text('job "x" {\n  command = "/bin/true"\n  maxAttempt = 3\n}\n')
    status, lines, out = validate(capsys, "-c", str(in_tmp), "--format", "json")
    assert status == 0 and lines == []
    assert json.loads(out) == [
        {
            "file": f"{in_tmp}/a.hcl",
            "line": 3,
            "column": 3,
            "severity": "warning",
            "message": "job \"x\": unknown key 'maxAttempt' is ignored",
            "hint": "did you mean 'maxAttempts'?",
        }
    ]
    status, _, out = validate(capsys, "-c", str(in_tmp), "--format", "json", "--json")
    document = json.loads(out)
    assert [p["line"] for p in document["problems"]] == [3]
    assert document["config"]["jobs"][0]["maxAttempts"] == 3


def test_effective_configuration_shows_defaults_and_masks_probe_passwords(
    config_dir: MakeDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "app" {\n  command = "/bin/true"\n'
            '  env = ["DB_PASSWORD=hunter2-xyz", "OTHER=1"]\n  args = ["--pw=hunter2-xyz"]\n}\n'
            'probe "db" {\n  mysql {\n    credentials {\n      user = "app"\n'
            '      password = "hunter2-xyz"\n    }\n  }\n}\n'
            'boot "b" {\n  command = "/bin/true"\n}\n'
        }
    )
    status, _, out = validate(capsys, "-c", root, "--json")
    assert status == 0
    assert "hunter2-xyz" not in out
    config = json.loads(out)
    job = config["jobs"][0]
    assert job["env"] == ["DB_PASSWORD=******", "OTHER=1"]
    assert job["args"] == ["--pw=******"]
    assert job["timestampFormat"] == "RFC3339"  # issue 20: the effective value when unset
    assert (job["maxAttempts"], job["stopSignal"], job["stopTimeout"]) == (3, "SIGTERM", "10s")
    assert config["bootJobs"][0]["timeout"] == "30s"
    mysql = config["probes"][0]["mysql"]
    assert mysql["credentials"] == {"user": "app", "password": "******"}
    assert mysql["host"] == {"hostname": "localhost", "port": 3306}


def test_effective_configuration_of_listen_blocks(
    config_dir: MakeDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "web" {\n  command = "/bin/true"\n'
            '  listen ":7030" {\n    forward = "127.0.0.1:1"\n    proxyProtocol = "v1"\n  }\n'
            '  listen "unix:///run/web.sock" {\n    activate = true\n  }\n}\n'
        }
    )
    status, _, out = validate(capsys, "-c", root, "--json")
    assert status == 0
    assert json.loads(out)["jobs"][0]["listen"] == [
        {
            "address": ":7030",
            "listenProtocol": "tcp",
            "forward": "127.0.0.1:1",
            "forwardProtocol": "tcp",
            "proxyProtocol": "v1",
            "activate": False,
            "name": "",
        },
        {
            "address": "unix:///run/web.sock",
            "listenProtocol": "unix",
            "forward": "",
            "forwardProtocol": "",
            "proxyProtocol": "",
            "activate": True,
            "name": "web",  # the effective LISTEN_FDNAMES entry
        },
    ]


def problems_of(config_dir: MakeDir, text: str) -> tuple[list[str], list[str]]:
    """Errors and warnings of one file as ``line:column: message (hint)``."""
    root = config_dir({"a.hcl": text})
    ignition, problems = decode_directory(root)
    problems.extend(check(ignition))
    problems.sort(key=lambda p: (p.source.line, p.source.column) if p.source else (0, 0))

    def show(severity: str) -> list[str]:
        return [
            f"{p.source.line}:{p.source.column}: {p.message}" + (f" ({p.hint})" if p.hint else "")
            for p in problems
            if p.severity == severity and p.source is not None
        ]

    return show("error"), show("warning")


def test_bad_durations_are_errors_at_the_value(config_dir: MakeDir) -> None:
    errors, _ = problems_of(
        config_dir,
        'job "l" {\n command = "x"\n lazy {\n spinUpTimeout = "5x"\n coolDownTimeout = "1d"\n }\n'
        ' listen ":8080" { forward = ":8081" }\n}\n'
        'boot "b" {\n command = "x"\n timeout = "soon"\n}\n'
        'probe "h" {\n http {\n timeout = "1"\n }\n}\n'
        'job "s" {\n command = "x"\n stopTimeout = "2 minutes"\n}\n',
    )
    assert errors == [
        '4:18: job "l": lazy: spinUpTimeout: time: unknown unit "x" in duration "5x" '
        "(Go duration syntax: 300ms, 5s, 1m30s, 2h (units ns, us, ms, s, m, h))",
        '5:20: job "l": lazy: coolDownTimeout: time: unknown unit "d" in duration "1d" '
        '(write "24h" (Go durations have no days))',
        '11:12: boot job "b": timeout: time: invalid duration "soon" '
        "(Go duration syntax: 300ms, 5s, 1m30s, 2h (units ns, us, ms, s, m, h))",
        '15:12: probe "h": http: timeout: time: missing unit in duration "1" '
        '(write "1s"; a number needs a unit: ns, us, ms, s, m or h)',
        '20:16: job "s": stopTimeout: time: unknown unit " minutes" in duration "2 minutes" '
        '(write "2m")',
    ]


def test_bad_addresses_and_protocols_point_at_the_value(config_dir: MakeDir) -> None:
    errors, warnings = problems_of(
        config_dir,
        'job "l" {\n command = "x"\n listen "8080" { forward = "127.0.0.1:99999" }\n'
        ' listen ":1" { forward = "x:1"\n listenProtocol = "udp" }\n'
        ' listen "[::1]:2" {}\n'
        ' listen "/run/x.sock" {\n listenProtocol = "unix"\n forward = "127.0.0.1:3"\n'
        ' protocol = "tcp"\n }\n}\n',
    )
    assert errors == [
        '3:9: job "l": listen "8080": address 8080: missing port (write host:port or :port)',
        '3:28: job "l": listen "8080": forward: address 127.0.0.1:99999: port 99999 is out of '
        "range (use a number from 0 to 65535)",
        "5:19: job \"l\": listen \":1\": unknown protocol 'udp' "
        "(use one of: tcp, tcp4, tcp6, unix, unixpacket)",
        '6:9: job "l": listen "[::1]:2": forward is missing (where should connections go?) '
        '(add forward = "127.0.0.1:8081", or activate = true to hand the listening socket '
        "to the job)",
    ]
    assert warnings == [
        '10:13: job "l": listen "/run/x.sock": field protocol is deprecated in favor of '
        "forwardProtocol (rename it to forwardProtocol)"
    ]


def test_listeners_must_not_collide(config_dir: MakeDir) -> None:
    errors, _ = problems_of(
        config_dir,
        'job "a" {\n command = "x"\n listen "127.0.0.1:7000" { forward = ":1" }\n'
        ' listen ":9102" { forward = ":1" }\n}\n'
        'job "b" {\n command = "x"\n listen "127.0.0.1:7000" { forward = ":1" }\n'
        ' listen ":7001" { forward = ":1" }\n listen "127.0.0.1:7001" { forward = ":1" }\n'
        ' listen "/run/a.sock" { listenProtocol = "unix"\n forward = ":1" }\n'
        ' listen "/run/a.sock" { listenProtocol = "unix"\n forward = ":1" }\n}\n',
    )
    assert errors == [
        '4:9: job "a": listen ":9102": port 9102 is the probe server\'s port '
        "(--probe-listen-port) (use another port, or move the probe server with -p)",
        '8:9: job "b": listen "127.0.0.1:7000": the address is already used by the listener at '
        f"{errors[1].split(' at ')[1].split(' (')[0]} (give each listener its own address)",
        '10:9: job "b": listen "127.0.0.1:7001": port 7001 is also used by the listener at '
        f"{errors[2].split(' at ')[1].split(' (')[0]} (one of them listens on every interface) "
        "(give each listener its own port)",
        '13:9: job "b": listen "/run/a.sock": the address is already used by the listener at '
        f"{errors[3].split(' at ')[1].split(' (')[0]} (give each listener its own address)",
    ]
    assert errors[1].endswith("a.hcl:3:9 (give each listener its own address)")


def test_probe_ports_are_checked_at_load_except_env_references(config_dir: MakeDir) -> None:
    errors, _ = problems_of(
        config_dir,
        'probe "r" {\n wait = true\n redis {\n host {\n hostname = "db"\n port = "notaport"\n'
        " }\n }\n}\n"
        'probe "m" {\n mysql {\n host { port = 70000 }\n }\n}\n'
        'probe "e" {\n smtp {\n host { port = "ENV:SMTP_PORT" }\n }\n}\n'
        'probe "ok" {\n amqp {\n host { port = "5672" }\n }\n}\n',
    )
    assert errors == [
        '6:9: probe "r": redis: port "notaport" is not a port number (write a number from 1 to '
        "65535, or ENV:NAME to read it from the environment)",
        '12:16: probe "m": mysql: port "70000" is not a port number (write a number from 1 to '
        "65535, or ENV:NAME to read it from the environment)",
    ]


def test_what_the_original_runs_anyway_is_a_warning(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "nocmd" {\n max_attempts = 2\n canFail = true\n}\n'
            'job "a/b" {\n command = "x"\n}\n'
            'job "w" {\n command = "x"\n enableTimestamps = true\n timestampFormat = "Kitchn"\n'
            ' watch "/a[" { signal = 99 }\n watch "/b" { preCommand {} }\n}\n'
            'probe "ignored" {}\n'
            'probe "both" {\n filesystem = "/"\n redis {}\n}\n'
        }
    )
    ignition, warnings = load(root)  # no error: up runs this configuration
    assert [j.name for j in ignition.jobs] == ["nocmd", "a/b", "w"]
    assert [f"{p.source.line}: {p.message}" for p in warnings if p.source] == [
        '1: job "nocmd" has no command: it will fail to start (exec: no command)',
        "2: field max_attempts in job nocmd is deprecated in favor of maxAttempts",
        '5: job "a/b": a job name containing "/" cannot be used with mittnitectl (the control '
        "API only accepts it percent-encoded); the job itself runs normally",
        "11: job \"w\": unknown timestampFormat 'Kitchn', using RFC3339",
        '12: job "w": watch "/a[": syntax error in pattern; it will never fire',
        '12: job "w": watch "/a[": signal 99 is not a valid signal number',
        '13: job "w": watch "/b": preCommand has no command; when the watch fires it fails '
        "(command is missing)",
        '15: probe "ignored" has no type and is ignored',
        '16: probe "both" has several types (filesystem, redis); only filesystem is used',
    ]
    assert warnings[3].hint == "did you mean Kitchen? (or set customTimestampFormat to a Go layout)"


def test_what_up_cannot_run_is_an_error(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'file "/t" {\n overwrite = true\n}\n'
            'probe "typeless" {\n wait = true\n}\n'
            'job "w" {\n command = "x"\n stopSignal = "SIGNOPE"\n}\n'
        }
    )
    with pytest.raises(ConfigError) as info:
        load(root)
    assert [f"{p.source.line}: {p.message}" for p in info.value.errors if p.source] == [
        "1: configuration file /t has no specified source ('from')",
        "9: job \"w\": stopSignal: unknown signal 'SIGNOPE'",
        '4: probe "typeless" waits but has no type',
    ]


@pytest.mark.parametrize("name", ["SIGHUP", "hup", "HUP", "1", "sigusr2", "15", "SIGRTMIN"])
def test_stop_signal_spellings(config_dir: MakeDir, name: str) -> None:
    errors, _ = problems_of(config_dir, f'job "j" {{\n command = "x"\n stopSignal = "{name}"\n}}\n')
    assert errors == []


def test_typed_values_reach_the_model(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "j" {\n command = "x"\n stopSignal = "hup"\n stopTimeout = "1m30s"\n'
            ' lazy { coolDownTimeout = "2s" }\n'
            ' listen "[::1]:8080" { forward = "/run/up.sock"\n forwardProtocol = "unix" }\n}\n'
            'boot "b" {\n command = "x"\n}\n'
            'probe "p" {\n http {\n host { port = 8443 }\n timeout = "250ms"\n }\n}\n'
        }
    )
    ignition, _ = load(root)
    job = ignition.jobs[0]
    assert job.stop_signal is not None and (job.stop_signal.number, str(job.stop_signal)) == (
        1,
        "hup",
    )
    assert job.stop_timeout is not None and job.stop_timeout.seconds == 90.0
    assert job.laziness is not None
    assert (job.laziness.spin_up_timeout.seconds, job.laziness.spin_up_timeout.written) == (5, "")
    assert job.laziness.cool_down_timeout.seconds == 2.0
    listener = (job.listeners or ())[0]
    assert listener.listen is not None and (listener.listen.host, listener.listen.port) == (
        "::1",
        8080,
    )
    assert listener.upstream is not None and listener.upstream.path == "/run/up.sock"
    assert job.where("stop_timeout").line == 4
    assert ignition.boot_jobs[0].timeout.seconds == 30.0
    http = ignition.probes[0].http
    assert http is not None and http.host.port == 8443
    assert http.timeout is not None and not isinstance(http.timeout, str)


def test_deprecated_max_attempts_is_honoured_when_alone(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "a" {\n command = "x"\n max_attempts = 7\n}\n'
            'job "b" {\n command = "x"\n max_attempts = 7\n maxAttempts = 2\n}\n'
        }
    )
    ignition, _ = load(root)
    assert [j.effective_max_attempts for j in ignition.jobs] == [7, 2]


def test_type_errors_do_not_stop_the_other_fields_or_blocks(config_dir: MakeDir) -> None:
    errors, _ = problems_of(
        config_dir,
        'job "a" {\n command = ["x"]\n canFail = 1\n oneTime = "true"\n maxAttempts = 1.5\n'
        ' args = "x"\n}\n'
        'probe "p" {\n wait = "yes"\n}\n'
        'file "/t" {\n from = "x"\n overwrite = "no"\n}\n',
    )
    assert [e.split(": ", 1)[0] for e in errors] == [
        "2:12",
        "3:12",
        "4:12",
        "5:16",
        "6:9",
        "9:9",
        "13:14",
    ]


def test_template_and_target_checks(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "conf").mkdir()
    (in_tmp / "ok.tpl").write_text("{{ .Params.a }}\n")
    (in_tmp / "fn.tpl").write_text("line 1\n{{ nosuchfunc 1 }}\n")
    (in_tmp / "blocker").write_text("a file, not a directory\n")
    (in_tmp / "conf" / "a.hcl").write_text(
        f'file "{in_tmp}/out/ok.conf" {{ from = "ok.tpl" }}\n'
        f'file "{in_tmp}/blocker/x.conf" {{ from = "ok.tpl" }}\n'
        f'file "{in_tmp}/out/fn.conf" {{ from = "fn.tpl" }}\n'
    )
    status, lines, _ = validate(capsys, "-c", "conf")
    assert status == 1
    assert lines == [
        f'conf/a.hcl:2:1: error: file "{in_tmp}/blocker/x.conf": its directory cannot be '
        f"created: {in_tmp}/blocker exists and is not a directory (fix the path)",
        f'fn.tpl:2:1: error: template fn.tpl (used by file "{in_tmp}/out/fn.conf" at '
        'conf/a.hcl:3:1): function "nosuchfunc" not defined (Go reports it as: template: '
        f'{in_tmp}/out/fn.conf:2: function "nosuchfunc" not defined)',
        "conf: 2 errors, 0 warnings",
    ]
    assert not os.path.exists(in_tmp / "out")  # validate creates nothing


def test_a_directory_this_user_cannot_write_is_only_a_warning(in_tmp: Path) -> None:
    """``up`` usually runs as another user (root in the image) than ``validate`` in CI."""
    import subprocess
    import sys

    (in_tmp / "conf").mkdir()
    (in_tmp / "ok.tpl").write_text("x\n")
    (in_tmp / "readonly").mkdir(mode=0o555)
    (in_tmp / "conf" / "a.hcl").write_text(
        f'file "{in_tmp}/readonly/sub/x.conf" {{ from = "ok.tpl" }}\n'
    )
    result = subprocess.run(
        [
            *("setpriv", "--bounding-set=-dac_override,-dac_read_search"),
            *(sys.executable, "-m", "mittnite", "validate", "-c", "conf"),
        ],
        cwd=in_tmp,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f'conf/a.hcl:1:1: warning: file "{in_tmp}/readonly/sub/x.conf": its directory cannot '
        f"be created: {in_tmp}/readonly is not writable for this user (uid {os.getuid()}) "
        "(up runs as another user, or in the image, perhaps; check the permissions there)"
    )


def test_commands_are_looked_up_in_path_as_warnings(config_dir: MakeDir) -> None:
    from mittnite.config.preflight import preflight

    root = config_dir(
        {
            "a.hcl": 'job "j" {\n command = "sh"\n watch "/x" {\n'
            ' preCommand { command = "no-such-reload-tool" }\n postCommand { command = "true" }\n'
            ' }\n}\nboot "b" {\n command = "./relative-tool"\n}\n'
        }
    )
    ignition, _ = load(root)
    found = [(p.severity, p.source.line if p.source else 0, p.message) for p in preflight(ignition)]
    assert found == [
        ("warning", 9, 'boot job "b": exec: "./relative-tool": no such file or directory on this '
         "machine"),
        ("warning", 3, 'job "j": watch "/x": preCommand: exec: "no-such-reload-tool": executable '
         "file not found in $PATH on this machine"),
    ]


def test_listen_blocks_either_forward_or_activate(config_dir: MakeDir) -> None:
    """The issue's rules: ``activate`` excludes ``forward``, ``proxyProtocol`` needs it."""
    errors, warnings = problems_of(
        config_dir,
        'job "web" {\n command = "x"\n'
        ' listen ":7010" {\n activate = true\n forward = "127.0.0.1:1"\n }\n'
        ' listen ":7011" {\n proxyProtocol = "v1"\n }\n'
        ' listen ":7012" {\n forward = ":1"\n proxyProtocol = "v3"\n }\n'
        ' listen ":7013" {\n activate = true\n proxyProtocol = "v2"\n'
        ' forwardProtocol = "tcp"\n protocol = "tcp"\n }\n'
        ' listen ":7014" {\n forward = ":1"\n name = "admin"\n }\n'
        ' listen ":7015" {\n activate = "yes"\n }\n'
        ' listen ":7016" {\n activate = true\n name = "a:b"\n }\n'
        "}\n"
        'job "a:b" {\n command = "x"\n listen ":7017" { activate = true }\n}\n'
        'job "c:d" {\n command = "x"\n listen ":7018" {\n activate = true\n name = "cd"\n }\n}\n',
    )
    assert errors == [
        '4:13: job "web": listen ":7010": activate and forward exclude each other (with '
        "activate the job accepts on the socket itself; nothing is forwarded) (remove "
        "forward, or remove activate to forward connections)",
        '8:18: job "web": listen ":7011": proxyProtocol without forward (the PROXY protocol '
        'header goes to the upstream forward names) (add forward = "127.0.0.1:8081")',
        '12:18: job "web": listen ":7012": proxyProtocol must be "v1" or "v2", not \'v3\' '
        '(write proxyProtocol = "v1" (text) or "v2" (binary), as the upstream expects it)',
        '16:18: job "web": listen ":7013": proxyProtocol needs forwarding; an activated job '
        "sees the client's real address itself (remove proxyProtocol)",
        '25:13: job "web": listen ":7015": activate: expected true or false, found the '
        'string "yes" (write true without quotes)',
        '29:9: job "web": listen ":7016": name \'a:b\' cannot be a LISTEN_FDNAMES entry: it '
        "must not contain ':' (it separates the names in LISTEN_FDNAMES) (set name = "
        "\"...\" on the listen block: printable ASCII without ':', at most 255 characters)",
        '34:9: job "a:b": listen ":7017": the job\'s name (the default name) \'a:b\' cannot be '
        "a LISTEN_FDNAMES entry: it must not contain ':' (it separates the names in "
        'LISTEN_FDNAMES) (set name = "..." on the listen block: printable ASCII without '
        "':', at most 255 characters)",
    ]
    assert warnings == [
        '17:20: job "web": listen ":7013": forwardProtocol is ignored with activate = true '
        "(nothing is forwarded) (remove forwardProtocol)",
        '18:13: job "web": listen ":7013": protocol is ignored with activate = true (nothing '
        "is forwarded) (remove protocol)",
        '22:9: job "web": listen ":7014": name is only used with activate = true (it names '
        "the socket in LISTEN_FDNAMES); it is ignored (add activate = true, or remove name)",
    ]


def test_listen_keys_reach_the_model(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "web" {\n command = "x"\n'
            ' listen ":7020" {\n forward = "127.0.0.1:1"\n proxyProtocol = "v2"\n }\n'
            ' listen "unix:///run/web.sock" {\n activate = true\n }\n'
            ' listen "@abstract" {\n listenProtocol = "unix"\n activate = true\n name = "x"\n }\n'
            ' listen ":7021" {\n forward = "unix:///run/up.sock"\n }\n'
            "}\n"
        }
    )
    ignition, problems = load(root)
    assert [p for p in problems if p.severity == "error"] == []
    forwarded, activated, abstract, to_unix = ignition.jobs[0].listeners or ()
    assert (forwarded.proxy_protocol, forwarded.activate) == (2, False)
    assert activated.activate and activated.upstream is None
    assert activated.listen is not None and activated.listen.family == "unix"
    assert activated.listen.path == "/run/web.sock"
    assert activated.fd_name("web") == "web"  # the job's name by default
    assert abstract.listen is not None and abstract.listen.path == "@abstract"
    assert abstract.fd_name("web") == "x"
    assert to_unix.upstream is not None and to_unix.upstream.path == "/run/up.sock"
    assert to_unix.effective_forward_protocol == "unix"
    assert forwarded.where("proxy_protocol").line == 5

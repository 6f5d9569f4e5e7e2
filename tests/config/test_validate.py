"""Semantic checks at load time: what the original only finds out while running."""

from __future__ import annotations

import pytest

from mittnite.config.load import load
from mittnite.config.problems import ConfigError

from .conftest import MakeDir


def problems_of(config_dir: MakeDir, text: str) -> tuple[list[str], list[str]]:
    root = config_dir({"a.hcl": text})
    try:
        _, problems = load(root)
    except ConfigError as exc:
        problems = exc.problems
    errors = [
        f"{p.source.line if p.source else 0}: {p.message}"
        for p in problems
        if p.severity == "error"
    ]
    warnings = [
        f"{p.source.line if p.source else 0}: {p.message}"
        for p in problems
        if p.severity == "warning"
    ]
    return errors, warnings


def test_bad_durations_are_errors(config_dir: MakeDir) -> None:
    errors, _ = problems_of(
        config_dir,
        'job "l" {\n command = "x"\n lazy {\n spinUpTimeout = "5x"\n coolDownTimeout = "1d"\n }\n'
        ' listen ":8080" { forward = ":8081" }\n}\n'
        'boot "b" {\n command = "x"\n timeout = "soon"\n}\n'
        'probe "h" {\n http {\n timeout = "1"\n }\n}\n',
    )
    assert errors == [
        '1: job "l": lazy: spinUpTimeout: time: unknown unit "x" in duration "5x"',
        '1: job "l": lazy: coolDownTimeout: time: unknown unit "d" in duration "1d"',
        '9: boot job "b": timeout: time: invalid duration "soon"',
        '13: probe "h": http: timeout: time: missing unit in duration "1"',
    ]


def test_bad_addresses_and_protocols(config_dir: MakeDir) -> None:
    errors, warnings = problems_of(
        config_dir,
        'job "l" {\n command = "x"\n listen "8080" { forward = "127.0.0.1:99999" }\n'
        ' listen ":1" { forward = "x:1"\n listenProtocol = "udp" }\n'
        ' listen "[::1]:2" {}\n'
        ' listen "/run/x.sock" {\n listenProtocol = "unix"\n forward = "127.0.0.1:3"\n protocol = "tcp"\n }\n}\n',
    )
    assert errors == [
        '3: job "l": listen "8080": address 8080: missing port (write host:port or :port)',
        '3: job "l": listen "8080": forward: address 127.0.0.1:99999: port 99999 is out of range (0-65535)',
        '4: job "l": listen ":1": unknown protocol \'udp\' (use one of: tcp, tcp4, tcp6, unix, unixpacket)',
        '6: job "l": listen "[::1]:2": forward is missing (where should connections go?)',
    ]
    assert warnings == [
        '7: job "l": listen "/run/x.sock": field protocol is deprecated in favor of forwardProtocol'
    ]


def test_missing_pieces_and_warnings(config_dir: MakeDir) -> None:
    errors, warnings = problems_of(
        config_dir,
        'job "nocmd" {\n max_attempts = 2\n}\n'
        'file "/t" {\n overwrite = true\n}\n'
        'probe "typeless" {\n wait = true\n}\n'
        'probe "ignored" {}\n'
        'probe "both" {\n filesystem = "/"\n redis {}\n}\n'
        'job "w" {\n command = "x"\n stopSignal = "SIGNOPE"\n stopTimeout = "forever"\n'
        ' enableTimestamps = true\n timestampFormat = "Layout"\n watch "/a[" { signal = 99 }\n}\n',
    )
    assert errors == [
        '1: job "nocmd" has no command',
        "15: job \"w\": stopSignal: unknown signal 'SIGNOPE' (use a name like SIGTERM or a number)",
        '15: job "w": stopTimeout: time: invalid duration "forever"',
        "4: configuration file /t has no specified source ('from')",
        '7: probe "typeless" waits but has no type (filesystem, mysql, redis, mongodb, amqp, http or smtp)',
    ]
    assert "1: field max_attempts in job nocmd is deprecated in favor of maxAttempts" in warnings
    assert '10: probe "ignored" has no type and is ignored' in warnings
    assert (
        '11: probe "both" has several types (filesystem, redis); only filesystem is used'
        in warnings
    )
    assert any(w.startswith("15: job \"w\": unknown timestampFormat 'Layout'") for w in warnings)
    assert any("syntax error in pattern" in w and "never fire" in w for w in warnings)
    assert any("signal 99 is not a valid signal number" in w for w in warnings)


@pytest.mark.parametrize("name", ["SIGHUP", "hup", "HUP", "1", "sigusr2", "15"])
def test_stop_signal_spellings(config_dir: MakeDir, name: str) -> None:
    errors, _ = problems_of(config_dir, f'job "j" {{\n command = "x"\n stopSignal = "{name}"\n}}\n')
    assert errors == []


def test_deprecated_max_attempts_is_honoured_when_alone(config_dir: MakeDir) -> None:
    root = config_dir(
        {
            "a.hcl": 'job "a" {\n command = "x"\n max_attempts = 7\n}\njob "b" {\n command = "x"\n max_attempts = 7\n maxAttempts = 2\n}\n'
        }
    )
    ignition, _ = load(root)
    assert [j.effective_max_attempts for j in ignition.jobs] == [7, 2]

"""The status document: Go's key order, omission rules and escaping, byte for byte."""

from __future__ import annotations

import os
import time

import pytest

from mittnite.api.status import encode_job_names, encode_status, status_document
from mittnite.config.model import (
    Duration,
    JobConfig,
    Laziness,
    Listener,
    Watch,
    WatchCommand,
)
from mittnite.gojson import encode, rfc3339_nano


@pytest.fixture(autouse=True)
def utc() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()


def test_full_document_matches_the_original_layout() -> None:
    config = JobConfig(
        name="web",
        command="/bin/sh",
        args=("-c", "a<b && c>d"),
        controllable=True,
        working_directory="/tmp",
        stdout="/x/web.out",
        stderr="/x/web.err",
        watches=(Watch("/x/*.conf", signal=1),),
        max_attempts_deprecated=7,
        max_attempts=5,
    )
    document = status_document(
        pid=28968, running=True, reason="started", last_change=1795870000.170379337, config=config
    )
    assert encode_status(document) == (
        b'{"pid":28968,"running":true,"phase":{"reason":"started",'
        b'"lastChange":"2026-11-28T12:46:40.1703794Z"},'
        b'"config":{"name":"web","command":"/bin/sh",'
        b'"args":["-c","a\\u003cb \\u0026\\u0026 c\\u003ed"],"env":null,'
        b'"canFail":false,"controllable":true,"workingDirectory":"/tmp",'
        b'"stdout":"/x/web.out","stderr":"/x/web.err",'
        b'"enableTimestamps":false,"timestampFormat":"","customTimestampFormat":"",'
        b'"watch":[{"Filename":"/x/*.conf","Signal":1,"Restart":false,'
        b'"PreCommand":null,"PostCommand":null}],'
        b'"-":7,"maxAttempts":5,"oneTime":false,"lazy":null,"listen":null}}'
    )


def test_omissions_for_a_job_that_is_not_running() -> None:
    config = JobConfig(name="j", command="true")
    document = status_document(
        pid=123, running=False, reason="awaitingReadiness", last_change=0, config=config
    )
    text = encode_status(document).decode()
    assert text.startswith('{"running":false,"phase":{"reason":"awaitingReadiness",')
    assert '"lastChange":"0001-01-01T00:00:00Z"' in text
    for absent in ('"pid"', "workingDirectory", '"stdout"', '"stderr"', '"-"', "maxAttempts"):
        assert absent not in text
    assert '"args":null,"env":null' in text


def test_nested_go_field_names_for_watch_commands_lazy_and_listen() -> None:
    config = JobConfig(
        name="l",
        command="srv",
        args=(),
        watches=(
            Watch(
                "/etc/x",
                restart=True,
                pre_command=WatchCommand("pre", args=("a",)),
                post_command=WatchCommand("post", env=("K=V",)),
            ),
        ),
        laziness=Laziness(cool_down_timeout=Duration.parse("1m")),
        listeners=(Listener("0.0.0.0:80", forward="127.0.0.1:8080"),),
    )
    text = encode_status(
        status_document(pid=None, running=False, reason="", last_change=0, config=config)
    ).decode()
    assert '"args":[]' in text
    assert (
        '"PreCommand":{"Command":"pre","Args":["a"],"Env":null},'
        '"PostCommand":{"Command":"post","Args":null,"Env":["K=V"]}'
    ) in text
    assert '"lazy":{"SpinUpTimeout":"","CoolDownTimeout":"1m"}' in text
    assert (
        '"listen":[{"Address":"0.0.0.0:80","ListenProtocol":"","Forward":"127.0.0.1:8080",'
        '"ForwardProtocol":"","Protocol":""}]'
    ) in text


def test_our_listen_keys_appear_only_when_set() -> None:
    config = JobConfig(
        name="l",
        command="srv",
        listeners=(
            Listener(":80", forward="127.0.0.1:8080", proxy_protocol=2),
            Listener("unix:///run/l.sock", activate=True, name="admin"),
        ),
    )
    text = encode_status(
        status_document(pid=None, running=False, reason="", last_change=0, config=config)
    ).decode()
    assert (
        '"listen":[{"Address":":80","ListenProtocol":"","Forward":"127.0.0.1:8080",'
        '"ForwardProtocol":"","Protocol":"","ProxyProtocol":"v2"},'
        '{"Address":"unix:///run/l.sock","ListenProtocol":"","Forward":"",'
        '"ForwardProtocol":"","Protocol":"","Activate":true,"Name":"admin"}]'
    ) in text


def test_probe_secrets_are_masked_wherever_they_appear() -> None:
    config = JobConfig(name="j", command="app", args=("--password=hunter2",), env=("PW=hunter2",))
    text = encode_status(
        status_document(
            pid=None, running=False, reason="", last_change=0, config=config, secrets=["hunter2"]
        )
    ).decode()
    assert "hunter2" not in text
    assert '"--password=******"' in text


def test_go_escaping_and_invalid_utf8() -> None:
    assert encode(["<>&\u2028\u2029"]) == '["\\u003c\\u003e\\u0026\\u2028\\u2029"]'
    assert encode(["caf\udcc3"]) == '["caf\ufffd"]'
    assert encode({"b": 1, "a": 2}) == '{"b":1,"a":2}'  # field order, not sorted


def test_job_names_are_a_list_even_when_empty() -> None:
    assert encode_job_names([]) == b"[]"
    assert encode_job_names(["a", "b"]) == b'["a","b"]'


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0001-01-01T00:00:00Z"),
        (1795870000.0, "2026-11-28T12:46:40Z"),
        (1795870000.5, "2026-11-28T12:46:40.5Z"),
    ],
)
def test_rfc3339_nano(seconds: float, expected: str) -> None:
    assert rfc3339_nano(seconds) == expected


def test_rfc3339_nano_in_a_local_zone() -> None:
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        assert rfc3339_nano(1795870000.25) == "2026-11-28T13:46:40.25+01:00"
    finally:
        os.environ["TZ"] = "UTC"
        time.tzset()


def test_our_keys_follow_the_original_document_only_when_given() -> None:
    config = JobConfig(name="app", command="app", after=("db",))
    plain = status_document(pid=None, running=False, reason="awaitingReadiness", last_change=0, config=config)
    assert list(plain) == ["running", "phase", "config"]
    assert "after" not in plain["config"]  # our config keys stay out of the original's shape
    document = status_document(
        pid=42,
        running=True,
        reason="started",
        last_change=0,
        config=config,
        extras={
            "readiness": {"ready": True, "since": 1_700_000_000.5, "message": ""},
            "notify": {"state": "ready", "status": "serving"},
            "waitingFor": [],
        },
    )
    assert list(document) == ["pid", "running", "phase", "config", "readiness", "notify", "waitingFor"]
    assert document["readiness"] == {
        "ready": True,
        "since": "2023-11-14T22:13:20.5Z",
        "message": "",
    }
    assert encode_status(document).endswith(
        b',"readiness":{"ready":true,"since":"2023-11-14T22:13:20.5Z","message":""},'
        b'"notify":{"state":"ready","status":"serving"},"waitingFor":[]}'
    )

"""Our keys of issue 17: ``after``, ``readiness {}`` and ``liveness {}``, typed and checked.

Each value is parsed once, where it was written; every mistake is reported at its
position, ``after`` problems at the very entry that names the other end.
"""

from __future__ import annotations

import pytest

from mittnite.config.addresses import Address
from mittnite.config.dump import effective_config
from mittnite.config.load import decode_directory, load
from mittnite.config.model import Duration, ExecCheck, HealthCheck, Source
from mittnite.config.problems import ConfigError
from mittnite.config.validate import check

from .conftest import MakeDir

DB = """\
job "db" {
  command = "postgres"
  readiness {
    http     = "http://127.0.0.1:5432/health"
    interval = "500ms"
  }
  liveness {
    exec {
      command = "pg_isready"
      args    = ["-h", "127.0.0.1"]
    }
    failures = 5
  }
}
job "migrate" {
  command = "migrate"
  oneTime = true
  after   = ["db"]
}
job "app" {
  command = "app"
  after   = ["db", "migrate", "init"]
  readiness { notify = true }
  liveness {
    notify   = true
    interval = "30s"
  }
}
boot "init" { command = "init" }
"""


def problems_of(config_dir: MakeDir, text: str) -> list[str]:
    directory = config_dir({"a.hcl": text})
    ignition, problems = decode_directory(directory)
    problems.extend(check(ignition))
    return [f"{p.source.line}:{p.source.column} {p.severity}: {p.message}" for p in problems if p.source]


def test_the_keys_become_typed_values(config_dir: MakeDir) -> None:
    ignition, warnings = load(config_dir({"a.hcl": DB}))
    assert warnings == []
    db, migrate, app = ignition.jobs
    assert db.readiness == HealthCheck(
        interval=Duration(500_000_000, "500ms"),
        timeout=Duration(1_000_000_000),
        failures=1,
        http="http://127.0.0.1:5432/health",
        source=db.readiness.source,
        places=db.readiness.places,
    )
    assert db.readiness.kind == "http"
    assert db.readiness.where("interval").line == 5
    assert db.liveness is not None
    assert db.liveness.exec == ExecCheck("pg_isready", ("-h", "127.0.0.1"))
    assert (db.liveness.interval.seconds, db.liveness.timeout.seconds) == (10.0, 1.0)
    assert db.liveness.failures == 5
    assert migrate.after == ("db",) and migrate.readiness is None
    assert app.after == ("db", "migrate", "init")
    assert [str(s).split(":", 1)[1] for s in app.after_places] == ["22:14", "22:20", "22:31"]
    assert app.after_source("migrate").column == 20
    assert app.readiness is not None and app.readiness.notify and app.readiness.kind == "notify"
    assert app.liveness is not None and app.liveness.interval.seconds == 30.0
    assert app.liveness.failures == 3  # liveness default
    assert app.uses_notify and not db.uses_notify


def test_tcp_is_a_parsed_address(config_dir: MakeDir) -> None:
    ignition, _ = load(
        config_dir({"a.hcl": 'job "db" {\n command = "x"\n readiness { tcp = "localhost:5432" }\n}\n'})
    )
    readiness = ignition.jobs[0].readiness
    assert readiness is not None and readiness.tcp == Address("tcp", "localhost", 5432)


def test_every_mistake_at_its_place(config_dir: MakeDir) -> None:
    text = """\
job "db" {
  command = "x"
  readiness {
    http = "ftp://db/health"
    timeout = "0s"
  }
  liveness {
    tcp = ":0"
    failures = 0
    interval = "soon"
  }
}
job "app" {
  command = "x"
  readiness {
    http = "http://a/"
    tcp = "a:1"
  }
  liveness { }
}
job "web" {
  command = "x"
  readiness { exec { args = ["-q"] } }
}
"""
    assert problems_of(config_dir, text) == [
        '5:15 error: job "db": readiness: timeout must be longer than 0 (found 0s)',
        '4:12 error: job "db": readiness: http: "ftp://db/health" is not an http:// or '
        "https:// URL with a host",
        '10:16 error: job "db": liveness: interval: time: invalid duration "soon"',
        '9:16 error: job "db": liveness: failures must be at least 1 (found 0)',
        '8:11 error: job "db": liveness: tcp: ":0" needs a port other than 0',
        '17:11 error: job "app": readiness has several checks (http, tcp); one kind per block',
        '19:12 error: job "app": liveness names no check',
        '23:20 error: job "web": readiness: exec has no command',
    ]


def test_readiness_of_lazy_and_one_time_jobs_is_ignored_with_a_warning(
    config_dir: MakeDir,
) -> None:
    text = """\
job "web" {
  command = "x"
  lazy {}
  listen ":8080" { forward = "127.0.0.1:8081" }
  readiness { tcp = "127.0.0.1:8081" }
  liveness { tcp = "127.0.0.1:8081" }
}
job "migrate" {
  command = "x"
  oneTime = true
  readiness { tcp = "127.0.0.1:8081" }
}
"""
    ignition, warnings = load(config_dir({"a.hcl": text}))
    assert [str(w) for w in warnings] == [
        f'{ignition.config_files[0]}:5:13: warning: job "web": readiness is ignored: a lazy '
        "job is ready once it listens (remove the readiness block)",
        f'{ignition.config_files[0]}:6:12: warning: job "web": liveness is ignored for lazy '
        "jobs (they are stopped when idle and started by the next connection) (remove the "
        "liveness block)",
        f'{ignition.config_files[0]}:11:13: warning: job "migrate": readiness is ignored: a '
        "one-time job is done when it exits 0 (remove the readiness block)",
    ]
    assert all(job.readiness is None for job in ignition.jobs)
    assert ignition.jobs[0].liveness is None


def test_graph_problems_point_at_the_after_entry(config_dir: MakeDir) -> None:
    text = """\
job "a" {
  command = "x"
  after = ["b"]
}
job "b" {
  command = "x"
  after = ["a", "b", "c", "nope"]
}
job "c" {
  command = "x"
}
"""
    assert problems_of(config_dir, text) == [
        '7:17 error: job "b" cannot run after itself',
        '7:27 error: job "b" runs after "nope", but there is no job of that name',
        '7:12 error: job "b" runs after "a", which (indirectly) runs after it: dependency '
        "cycle a → b → a",
    ]
    with pytest.raises(ConfigError) as raised:
        load(config_dir({"a.hcl": text}))
    hints = [p.hint for p in raised.value.errors]
    assert hints == [
        "",
        "name a job, lazy job, one-time job or boot job defined in the configuration",
        "remove one of the after entries of the cycle",
    ]


def test_after_needs_a_list_of_names(config_dir: MakeDir) -> None:
    assert problems_of(config_dir, 'job "a" {\n command = "x"\n after = "b"\n}\n') == [
        '3:10 error: job "a": after: expected a list, found the string "b"'
    ]


def test_boot_jobs_have_no_after(config_dir: MakeDir) -> None:
    problems = problems_of(config_dir, 'boot "a" {\n command = "x"\n after = ["b"]\n}\n')
    assert problems == ["3:2 warning: boot \"a\": unknown key 'after' is ignored"]


def test_validate_json_shows_the_effective_checks(config_dir: MakeDir) -> None:
    ignition, _ = load(config_dir({"a.hcl": DB}))
    db, migrate, app = effective_config(ignition)["jobs"]
    assert db["after"] == [] and migrate["after"] == ["db"]
    assert db["readiness"] == {
        "type": "http",
        "http": "http://127.0.0.1:5432/health",
        "interval": "500ms",
        "timeout": "1s",
        "failures": 1,
        "source": str(Source(ignition.config_files[0], 3, 13)),
    }
    assert db["liveness"]["exec"] == {"command": "pg_isready", "args": ["-h", "127.0.0.1"]}
    assert app["liveness"]["type"] == "notify" and app["liveness"]["interval"] == "30s"
    assert migrate["readiness"] is None and migrate["liveness"] is None

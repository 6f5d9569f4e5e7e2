"""Building probes: ENV: fields, defaults and their log lines, precedence, secrets."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mittnite.config.model import (
    AmqpProbe,
    Credentials,
    EnvRef,
    Host,
    HttpProbe,
    MongoDBProbe,
    MySQLProbe,
    ProbeConfig,
    RedisProbe,
    SmtpProbe,
)
from mittnite.probes import build_probes
from mittnite.probes.amqp import AmqpChecker
from mittnite.probes.base import BrokenChecker
from mittnite.probes.http import HttpChecker
from mittnite.probes.mongodb import MongoDBChecker
from mittnite.probes.mysql import MySQLChecker
from mittnite.probes.redis import RedisChecker
from mittnite.probes.smtp import SmtpChecker

from .conftest import LogCapture, run

DEFAULT_LINE = 'msg="no input for probe specified, assuming default"'


def test_defaults_are_applied_and_logged_like_the_original(logs: LogCapture) -> None:
    probes = build_probes(
        [
            ProbeConfig("r", redis=RedisProbe()),
            ProbeConfig("m", mysql=MySQLProbe()),
            ProbeConfig("a", amqp=AmqpProbe()),
            ProbeConfig("s", smtp=SmtpProbe()),
            ProbeConfig("g", mongodb=MongoDBProbe()),
            ProbeConfig("h", http=HttpProbe()),
        ],
        environ={},
        logger=logs.logger,
    )
    tails = [line.split(DEFAULT_LINE, 1)[1] for line in logs.matching(DEFAULT_LINE)]
    assert tails == [
        " default=6379 key=port kind=cfg name=redis",
        " default=3306 key=Port kind=cfg name=mysql",
        " default=false key=AllowNativePassword kind=cfg name=mysql",
        " default=5672 key=port kind=cfg name=amqp",
        " default=25 key=port kind=cfg name=smtp",
        " default=27017 key=port kind=cfg name=mongodb",
    ]
    assert logs.matching(
        "level=warning msg=\"probe is now configured by 'url', this configuration will explode "
        'in a future release" kind=probe name=mongodb'
    )
    redis = probes["r"].checker
    assert isinstance(redis, RedisChecker)
    assert (redis.host, redis.port, redis.target) == ("localhost", 6379, "localhost:6379")
    mysql = probes["m"].checker
    assert isinstance(mysql, MySQLChecker)
    assert (mysql.host, mysql.port, mysql.allow_native_password) == ("localhost", 3306, False)
    amqp = probes["a"].checker
    assert isinstance(amqp, AmqpChecker)
    assert (amqp.port, amqp.virtual_host, amqp.user) == (5672, "/", "guest")
    smtp = probes["s"].checker
    assert isinstance(smtp, SmtpChecker)
    assert smtp.target == "localhost:25"
    mongo = probes["g"].checker
    assert isinstance(mongo, MongoDBChecker)
    assert mongo.url == "mongodb://localhost:27017/"
    http = probes["h"].checker
    assert isinstance(http, HttpChecker)
    assert (http.url, http.timeout) == ("http://localhost", 5.0)


def test_env_prefix_is_resolved_in_every_listed_field(logs: LogCapture) -> None:
    env = {
        "HOST": "db.example",
        "PORT": "4406",
        "USER": "app",
        "PASS": "s3cr3t-value",
        "DB": "shop",
        "NATIVE": "T",
        "VHOST": "orders",
        "SCHEME": "https",
        "PATH_": "health",
        "TIMEOUT": "250ms",
        "URL": "mongodb://u:pa%3Ass@m1:1,m2:2/x?replicaSet=rs",
    }
    creds = Credentials("ENV:USER", "ENV:PASS")
    host = Host("ENV:HOST", EnvRef("PORT"))
    probes = build_probes(
        [
            ProbeConfig("redis", redis=RedisProbe(host, "ENV:PASS")),
            ProbeConfig("mysql", mysql=MySQLProbe(creds, host, "ENV:NATIVE", "ENV:DB")),
            ProbeConfig("amqp", amqp=AmqpProbe(creds, host, "ENV:VHOST")),
            ProbeConfig("smtp", smtp=SmtpProbe(host)),
            ProbeConfig("mongo", mongodb=MongoDBProbe(url="ENV:URL")),
            ProbeConfig("http", http=HttpProbe("ENV:SCHEME", host, "ENV:PATH_", EnvRef("TIMEOUT"))),
            ProbeConfig("fs", filesystem="ENV:HOST"),
            ProbeConfig("unset", redis=RedisProbe(Host("ENV:NOT_SET_ANYWHERE"))),
        ],
        environ=env,
        logger=logs.logger,
    )
    redis = probes["redis"].checker
    assert isinstance(redis, RedisChecker)
    assert (redis.target, redis.password) == ("db.example:4406", "s3cr3t-value")
    mysql = probes["mysql"].checker
    assert isinstance(mysql, MySQLChecker)
    assert (mysql.user, mysql.password, mysql.database) == ("app", "s3cr3t-value", "shop")
    assert mysql.allow_native_password is True
    amqp = probes["amqp"].checker
    assert isinstance(amqp, AmqpChecker)
    assert (amqp.target, amqp.user, amqp.virtual_host) == ("db.example:4406", "app", "orders")
    assert probes["smtp"].target == "db.example:4406"
    mongo = probes["mongo"].checker
    assert isinstance(mongo, MongoDBChecker)
    assert mongo.hosts == "m1:1,m2:2"
    assert mongo.user == "u"
    http = probes["http"].checker
    assert isinstance(http, HttpChecker)
    assert (http.url, http.timeout) == ("https://db.example:4406/health", 0.25)
    assert probes["fs"].target == "ENV:HOST"  # filesystem is taken literally, as upstream
    assert probes["unset"].target == "localhost:6379"  # unset variable = empty = defaults
    assert not logs.matching("key=port kind=cfg name=redis default=4406")


def test_type_precedence_duplicates_and_typeless(logs: LogCapture) -> None:
    probes = build_probes(
        [
            ProbeConfig("twice", redis=RedisProbe(Host("first"))),
            ProbeConfig("b", wait=True, mysql=MySQLProbe(), redis=RedisProbe(), http=HttpProbe()),
            ProbeConfig("twice", smtp=SmtpProbe(Host("second"))),
            ProbeConfig("nothing", wait=True),
            ProbeConfig("a", filesystem="/tmp", redis=RedisProbe()),
        ],
        environ={},
        logger=logs.logger,
    )
    assert list(probes) == ["a", "b", "twice"]
    assert [probes[n].kind for n in probes] == ["filesystem", "mysql", "smtp"]
    assert probes["twice"].target == "second:25"
    assert probes["b"].wait is True and probes["a"].wait is False


def test_passwords_are_registered_as_secrets(logs: LogCapture) -> None:
    build_probes(
        [
            ProbeConfig("r", redis=RedisProbe(password="redis-pw-1")),
            ProbeConfig("m", mysql=MySQLProbe(Credentials("u", "mysql-pw-2"))),
            ProbeConfig("a", amqp=AmqpProbe(Credentials("u", "amqp/pw 3"))),
            ProbeConfig("g", mongodb=MongoDBProbe(url="mongodb://u:mongo%2Fpw@h/")),
            ProbeConfig("l", mongodb=MongoDBProbe(Credentials("u", "legacy-pw-5"))),
        ],
        environ={},
        logger=logs.logger,
    )
    logs.logger.info(
        "leak test",
        a="redis-pw-1",
        b="mysql-pw-2",
        c="amqp/pw 3",
        d="amqp%2Fpw%203",
        e="mongo/pw",
        f="mongo%2Fpw",
        g="legacy-pw-5",
    )
    line = logs.matching("leak test")[0]
    for secret in ("redis-pw-1", "mysql-pw-2", "amqp/pw 3", "mongo/pw", "legacy-pw-5", "%2F"):
        assert secret not in line
    assert line.count("******") == 7


def test_bad_ports_and_timeouts_from_env_fail_every_attempt_with_a_reason(
    logs: LogCapture,
) -> None:
    # Literal values are checked when the configuration is loaded; ENV: values
    # can only be checked when the probe is built.
    env = {"P1": "redis", "P2": "70000", "T1": "5", "T2": "fast", "P3": "x1"}
    probes = build_probes(
        [
            ProbeConfig("r", redis=RedisProbe(Host("h", EnvRef("P1")))),
            ProbeConfig("m", mysql=MySQLProbe(host=Host("h", EnvRef("P2")))),
            ProbeConfig("t", http=HttpProbe(timeout=EnvRef("T1"))),
            ProbeConfig("u", http=HttpProbe(timeout=EnvRef("T2"))),
            ProbeConfig("p", http=HttpProbe(host=Host("h", EnvRef("P3")))),
        ],
        environ=env,
        logger=logs.logger,
    )
    assert all(isinstance(p.checker, BrokenChecker) for p in probes.values())

    async def errors() -> dict[str, str | None]:
        return {name: await probe.result() for name, probe in probes.items()}

    assert run(errors()) == {
        "r": "redis: invalid port 'redis' (expected a number from 1 to 65535)",
        "m": "mysql: invalid port '70000' (expected a number from 1 to 65535)",
        "t": 'http: invalid timeout duration: time: missing unit in duration "5"',
        "u": 'http: invalid timeout duration: time: invalid duration "fast"',
        "p": "http: invalid port 'x1' (expected a number from 1 to 65535)",
    }


@pytest.mark.parametrize(
    "kind_config",
    [
        ("redis", ProbeConfig("x", redis=RedisProbe())),
        ("mysql", ProbeConfig("x", mysql=MySQLProbe())),
        ("amqp", ProbeConfig("x", amqp=AmqpProbe())),
        ("mongodb", ProbeConfig("x", mongodb=MongoDBProbe(url="mongodb://h/"))),
        ("http", ProbeConfig("x", http=HttpProbe())),
    ],
    ids=lambda kc: kc[0],
)
def test_importing_probes_loads_no_driver(kind_config: tuple[str, ProbeConfig]) -> None:
    """``import mittnite.probes`` (and wait/server) stays light; a kind loads only its driver."""
    kind, _ = kind_config
    drivers = {
        "redis": None,
        "mysql": "pymysql",
        "amqp": "aiormq",
        "mongodb": "pymongo",
        "http": "h11",
    }
    script = f"""
import sys
import mittnite.probes
heavy = ["asyncio", "ssl", "typing", "pymysql", "pymongo", "aiormq", "h11"]
assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]
import mittnite.probes.wait, mittnite.probes.build
drivers = ["pymysql", "pymongo", "aiormq", "h11"]
assert not [m for m in drivers if m in sys.modules], [m for m in drivers if m in sys.modules]
from mittnite.config.model import *
from mittnite.probes import build_probes
from mittnite.logs.logger import Logger
import io
cfg = {kind_config[1]!r}
build_probes([cfg], environ={{}}, logger=Logger(io.StringIO()))
loaded = [m for m in ["pymysql", "pymongo", "aiormq", "h11"] if m in sys.modules]
print(",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    expected = drivers[kind]
    assert result.stdout.strip() == (expected or "")

"""Turn decoded HCL structs (Go-named dicts) into the frozen model."""

from __future__ import annotations

from .hcl import Pos, StructValue
from .model import (
    AmqpProbe,
    BootJobConfig,
    Credentials,
    FileConfig,
    Host,
    HttpProbe,
    JobConfig,
    Laziness,
    Listener,
    MongoDBProbe,
    MySQLProbe,
    ProbeConfig,
    RedisProbe,
    SmtpProbe,
    Source,
    Watch,
    WatchCommand,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _source(file: str, value: StructValue) -> Source:
    pos = value.pos or Pos(0, 0)
    return Source(file, pos.line, pos.column)


def _strings(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _watch_command(value: StructValue | None) -> WatchCommand | None:
    if value is None:
        return None
    return WatchCommand(value["Command"], _strings(value["Args"]), _strings(value["Env"]))


def _host(value: StructValue) -> Host:
    return Host(value["Hostname"], value["Port"])


def _credentials(value: StructValue) -> Credentials:
    return Credentials(value["User"], value["Password"])


def _base_job_fields(file: str, v: StructValue) -> dict[str, Any]:
    return {
        "name": v["Name"],
        "command": v["Command"],
        "args": _strings(v["Args"]),
        "env": _strings(v["Env"]),
        "can_fail": v["CanFail"],
        "controllable": v["Controllable"],
        "working_directory": v["WorkingDirectory"],
        "stdout": v["Stdout"],
        "stderr": v["Stderr"],
        "enable_timestamps": v["EnableTimestamps"],
        "timestamp_format": v["TimestampFormat"],
        "custom_timestamp_format": v["CustomTimestampFormat"],
        "stop_signal": v["StopSignal"],
        "stop_timeout": v["StopTimeout"],
        "source": _source(file, v),
    }


def job(file: str, v: StructValue) -> JobConfig:
    watches = v["Watches"]
    listeners = v["Listeners"]
    laziness = v["Laziness"]
    return JobConfig(
        **_base_job_fields(file, v),
        watches=None
        if watches is None
        else tuple(
            Watch(
                w["Filename"],
                w["Signal"],
                w["Restart"],
                _watch_command(w["PreCommand"]),
                _watch_command(w["PostCommand"]),
                _source(file, w),
            )
            for w in watches
        ),
        max_attempts_deprecated=v["MaxAttempts_"],
        max_attempts=v["MaxAttempts"],
        one_time=v["OneTime"],
        laziness=None
        if laziness is None
        else Laziness(laziness["SpinUpTimeout"], laziness["CoolDownTimeout"]),
        listeners=None
        if listeners is None
        else tuple(
            Listener(
                item["Address"],
                item["ListenProtocol"],
                item["Forward"],
                item["ForwardProtocol"],
                item["Protocol"],
                _source(file, item),
            )
            for item in listeners
        ),
    )


def boot_job(file: str, v: StructValue) -> BootJobConfig:
    return BootJobConfig(**_base_job_fields(file, v), timeout=v["Timeout"])


def file_directive(file: str, v: StructValue) -> FileConfig:
    return FileConfig(v["Target"], v["Template"], v["Parameters"], v["Overwrite"], _source(file, v))


def probe(file: str, v: StructValue) -> ProbeConfig:
    mysql = v["MySQL"]
    redis = v["Redis"]
    mongodb = v["MongoDB"]
    amqp = v["Amqp"]
    http = v["HTTP"]
    smtp = v["SMTP"]
    return ProbeConfig(
        name=v["Name"],
        wait=v["Wait"],
        filesystem=v["Filesystem"],
        mysql=None
        if mysql is None
        else MySQLProbe(
            _credentials(mysql["Credentials"]),
            _host(mysql["Host"]),
            mysql["AllowNativePassword"],
            mysql["Database"],
        ),
        redis=None if redis is None else RedisProbe(_host(redis["Host"]), redis["Password"]),
        mongodb=None
        if mongodb is None
        else MongoDBProbe(
            _credentials(mongodb["Credentials"]),
            _host(mongodb["Host"]),
            mongodb["Database"],
            mongodb["ReplicaSetName"],
            mongodb["AuthenticationDatabase"],
            mongodb["AuthenticationMechanism"],
            mongodb["GssapiServiceName"],
            mongodb["URL"],
        ),
        amqp=None
        if amqp is None
        else AmqpProbe(_credentials(amqp["Credentials"]), _host(amqp["Host"]), amqp["VirtualHost"]),
        http=None
        if http is None
        else HttpProbe(http["Scheme"], _host(http["Host"]), http["Path"], http["Timeout"]),
        smtp=None if smtp is None else SmtpProbe(_host(smtp["Host"])),
        source=_source(file, v),
    )

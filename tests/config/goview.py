"""Map the configuration model back to the original's Go field names.

The conformance vectors describe what the original decodes in Go terms; this
view lets the tests compare our model with them field by field.
"""

from __future__ import annotations

from typing import Any

from mittnite.config.model import (
    BaseJob,
    BootJobConfig,
    Credentials,
    FileConfig,
    Host,
    Ignition,
    JobConfig,
    ProbeConfig,
    WatchCommand,
)


def _list(value: tuple[str, ...] | None) -> list[str] | None:
    return None if value is None else list(value)


def _base(job: BaseJob) -> dict[str, Any]:
    return {
        "Name": job.name,
        "Command": job.command,
        "Args": _list(job.args),
        "Env": _list(job.env),
        "CanFail": job.can_fail,
        "Controllable": job.controllable,
        "WorkingDirectory": job.working_directory,
        "Stdout": job.stdout,
        "Stderr": job.stderr,
        "EnableTimestamps": job.enable_timestamps,
        "TimestampFormat": job.timestamp_format,
        "CustomTimestampFormat": job.custom_timestamp_format,
    }


def _command(cmd: WatchCommand | None) -> dict[str, Any] | None:
    if cmd is None:
        return None
    return {"Command": cmd.command, "Args": _list(cmd.args), "Env": _list(cmd.env)}


def job(j: JobConfig) -> dict[str, Any]:
    out = _base(j)
    out.update(
        {
            "Watches": None
            if j.watches is None
            else [
                {
                    "Filename": w.filename,
                    "Signal": w.signal,
                    "Restart": w.restart,
                    "PreCommand": _command(w.pre_command),
                    "PostCommand": _command(w.post_command),
                }
                for w in j.watches
            ],
            "MaxAttempts_": j.max_attempts_deprecated,
            "MaxAttempts": j.max_attempts,
            "OneTime": j.one_time,
            "Laziness": None
            if j.laziness is None
            else {
                "SpinUpTimeout": j.laziness.spin_up_timeout,
                "CoolDownTimeout": j.laziness.cool_down_timeout,
            },
            "Listeners": None
            if j.listeners is None
            else [
                {
                    "Address": item.address,
                    "ListenProtocol": item.listen_protocol,
                    "Forward": item.forward,
                    "ForwardProtocol": item.forward_protocol,
                    "Protocol": item.protocol,
                }
                for item in j.listeners
            ],
        }
    )
    return out


def boot(b: BootJobConfig) -> dict[str, Any]:
    out = _base(b)
    out["Timeout"] = b.timeout
    return out


def file(f: FileConfig) -> dict[str, Any]:
    return {
        "Target": f.target,
        "Template": f.template,
        "Parameters": None if f.parameters is None else dict(f.parameters),
        "Overwrite": f.overwrite,
    }


def _host(h: Host) -> dict[str, str]:
    return {"Hostname": h.hostname, "Port": h.port}


def _cred(c: Credentials) -> dict[str, str]:
    return {"User": c.user, "Password": c.password}


def probe(p: ProbeConfig) -> dict[str, Any]:
    return {
        "Name": p.name,
        "Wait": p.wait,
        "Filesystem": p.filesystem,
        "MySQL": None
        if p.mysql is None
        else {
            "Credentials": _cred(p.mysql.credentials),
            "Host": _host(p.mysql.host),
            "AllowNativePassword": p.mysql.allow_native_password,
            "Database": p.mysql.database,
        },
        "Redis": None
        if p.redis is None
        else {"Host": _host(p.redis.host), "Password": p.redis.password},
        "MongoDB": None
        if p.mongodb is None
        else {
            "Credentials": _cred(p.mongodb.credentials),
            "Host": _host(p.mongodb.host),
            "Database": p.mongodb.database,
            "ReplicaSetName": p.mongodb.replica_set_name,
            "AuthenticationDatabase": p.mongodb.authentication_database,
            "AuthenticationMechanism": p.mongodb.authentication_mechanism,
            "GssapiServiceName": p.mongodb.gssapi_service_name,
            "URL": p.mongodb.url,
        },
        "Amqp": None
        if p.amqp is None
        else {
            "Credentials": _cred(p.amqp.credentials),
            "Host": _host(p.amqp.host),
            "VirtualHost": p.amqp.virtual_host,
        },
        "HTTP": None
        if p.http is None
        else {
            "Scheme": p.http.scheme,
            "Host": _host(p.http.host),
            "Path": p.http.path,
            "Timeout": p.http.timeout,
        },
        "SMTP": None if p.smtp is None else {"Host": _host(p.smtp.host)},
    }


def ignition(ig: Ignition) -> dict[str, Any]:
    """The whole configuration as hclref prints it (empty directive lists are null)."""
    return {
        "Probes": [probe(p) for p in ig.probes] or None,
        "Files": [file(f) for f in ig.files] or None,
        "Jobs": [job(j) for j in ig.jobs] or None,
        "BootJobs": [boot(b) for b in ig.boot_jobs] or None,
    }

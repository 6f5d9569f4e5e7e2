"""The effective configuration as JSON-ready data (``mittnite validate --json``).

Keys use the spelling users write in HCL; defaults are applied so the output
answers "what will mittnite actually do" (``timestampFormat`` shows
``RFC3339`` when unset, ``maxAttempts`` 3, durations their effective value).
Passwords are masked wherever they appear - in probe blocks, inside MongoDB
URLs, and in jobs' commands, arguments and environment (as the control API
masks them): this output ends up in CI logs.
"""

from __future__ import annotations

from .model import (
    BaseJob,
    BootJobConfig,
    Duration,
    EnvRef,
    FileConfig,
    HealthCheck,
    Host,
    Ignition,
    JobConfig,
    Listener,
    ProbeConfig,
    WatchCommand,
)
from .record import fields, is_record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

MASK = "******"
_URL_PASSWORD = r"(//[^:/@]*:)([^@/]*)(@)"
DEFAULT_TIMESTAMP_FORMAT = "RFC3339"


def mask_url(url: str) -> str:
    """Hide the password of a ``scheme://user:password@host`` URL."""
    import re

    return re.sub(_URL_PASSWORD, lambda m: m.group(1) + MASK + m.group(3), url)


def probe_secrets(ignition: Ignition) -> list[str]:
    """Every literal probe password (``ENV:`` references are no secret themselves)."""
    secrets: list[str] = []
    for probe in ignition.probes:
        for kind in (probe.mysql, probe.mongodb, probe.amqp):
            if kind is not None:
                secrets.append(kind.credentials.password)
        if probe.redis is not None:
            secrets.append(probe.redis.password)
        if probe.mongodb is not None:
            import re

            match = re.search(_URL_PASSWORD, probe.mongodb.url)
            if match is not None:
                secrets.append(match.group(2))
    return sorted(
        {s for s in secrets if s and not s.startswith("ENV:")}, key=len, reverse=True
    )


def _masked(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _plain(value: Any) -> Any:
    """Records to dicts (camelCase keys, secrets masked), tuples to lists."""
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, EnvRef):
        return str(value)
    if is_record(value):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.name in ("source", "places"):
                continue
            if f.name in ("password", "url") and isinstance(item, str) and item:
                item = MASK if f.name == "password" else mask_url(item)
            out[_camel(f.name)] = _plain(item)
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _strings(values: tuple[str, ...] | None, secrets: Sequence[str]) -> list[str]:
    return [_masked(v, secrets) for v in values or ()]


def _command(cmd: WatchCommand | None, secrets: Sequence[str]) -> Any:
    if cmd is None:
        return None
    return {
        "command": _masked(cmd.command, secrets),
        "args": _strings(cmd.args, secrets),
        "env": _strings(cmd.env, secrets),
    }


def _base(job: BaseJob, default_stop_timeout: str, secrets: Sequence[str]) -> dict[str, Any]:
    timestamp_format = job.timestamp_format
    if not job.custom_timestamp_format:
        from .build import TIMESTAMP_LAYOUT_NAMES

        if timestamp_format not in TIMESTAMP_LAYOUT_NAMES:
            timestamp_format = DEFAULT_TIMESTAMP_FORMAT
    return {
        "name": job.name,
        "command": _masked(job.command, secrets),
        "args": _strings(job.args, secrets),
        "env": _strings(job.env, secrets),
        "canFail": job.can_fail,
        "controllable": job.controllable,
        "workingDirectory": job.working_directory,
        "stdout": job.stdout,
        "stderr": job.stderr,
        "enableTimestamps": job.enable_timestamps,
        "timestampFormat": timestamp_format,
        "customTimestampFormat": job.custom_timestamp_format,
        "stopSignal": str(job.stop_signal) if job.stop_signal is not None else "SIGTERM",
        "stopTimeout": str(job.stop_timeout) if job.stop_timeout is not None else default_stop_timeout,
        "source": str(job.source),
    }


def _job(job: JobConfig, default_stop_timeout: str, secrets: Sequence[str]) -> dict[str, Any]:
    out = _base(job, default_stop_timeout, secrets)
    out.update(
        {
            "maxAttempts": job.effective_max_attempts,
            "oneTime": job.one_time,
            "watch": [
                {
                    "filename": w.filename,
                    "signal": w.signal,
                    "restart": w.restart,
                    "preCommand": _command(w.pre_command, secrets),
                    "postCommand": _command(w.post_command, secrets),
                }
                for w in job.watches or ()
            ],
            "lazy": None
            if job.laziness is None
            else {
                "spinUpTimeout": str(job.laziness.spin_up_timeout),
                "coolDownTimeout": str(job.laziness.cool_down_timeout),
            },
            "listen": [_listener(item, job.name) for item in job.listeners or ()],
            "after": list(job.after),
            "readiness": _health(job.readiness, secrets),
            "liveness": _health(job.liveness, secrets),
        }
    )
    return out


def _health(check: HealthCheck | None, secrets: Sequence[str]) -> Any:
    """A readiness/liveness block: its one check and the effective timing."""
    if check is None:
        return None
    out: dict[str, Any] = {"type": check.kind}
    if check.http:
        out["http"] = _masked(mask_url(check.http), secrets)
    if check.tcp is not None:
        out["tcp"] = str(check.tcp)
    if check.exec is not None:
        out["exec"] = {
            "command": _masked(check.exec.command, secrets),
            "args": _strings(check.exec.args, secrets),
        }
    if check.notify:
        out["notify"] = True
    out.update(
        {
            "interval": str(check.interval),
            "timeout": str(check.timeout),
            "failures": check.failures,
            "source": str(check.source),
        }
    )
    return out


def _listener(item: Listener, job_name: str) -> dict[str, Any]:
    """One ``listen`` block: it either forwards (optionally with a PROXY header) or hands
    its socket to the job (``activate``, with the effective ``LISTEN_FDNAMES`` name)."""
    return {
        "address": item.address,
        "listenProtocol": item.effective_listen_protocol,
        "forward": item.forward,
        "forwardProtocol": "" if item.activate else item.effective_forward_protocol,
        "proxyProtocol": f"v{item.proxy_protocol}" if item.proxy_protocol else "",
        "activate": item.activate,
        "name": item.fd_name(job_name) if item.activate else "",
    }


def _boot(job: BootJobConfig, default_stop_timeout: str, secrets: Sequence[str]) -> dict[str, Any]:
    out = _base(job, default_stop_timeout, secrets)
    out["timeout"] = str(job.timeout)
    return out


def _file(file: FileConfig) -> dict[str, Any]:
    return {
        "target": file.target,
        "from": file.template,
        "params": _plain(dict(file.parameters or {})),
        "overwrite": file.effective_overwrite,
        "source": str(file.source),
    }


_DEFAULT_PORTS = {"mysql": 3306, "redis": 6379, "mongodb": 27017, "amqp": 5672, "smtp": 25}


def _host(host: Host, kind: str) -> dict[str, Any]:
    port = host.port
    return {
        "hostname": host.hostname or "localhost",
        "port": str(port) if isinstance(port, EnvRef) else (port or _DEFAULT_PORTS.get(kind)),
    }


def _probe(probe: ProbeConfig) -> dict[str, Any]:
    kind = probe.kind
    out: dict[str, Any] = {"name": probe.name, "wait": probe.wait, "type": kind}
    if kind == "filesystem":
        out["filesystem"] = probe.filesystem
    elif kind is not None:
        details = _plain(getattr(probe, kind))
        details["host"] = _host(getattr(probe, kind).host, kind)
        if kind == "http" and details.get("timeout") is None:
            details["timeout"] = "5s"
        out[kind] = details
    out["source"] = str(probe.source)
    return out


def effective_config(ignition: Ignition, default_stop_timeout: str = "10s") -> dict[str, Any]:
    """JSON-ready description of what mittnite will do with ``ignition``."""
    secrets = probe_secrets(ignition)
    return {
        "configFiles": list(ignition.config_files),
        "files": [_file(f) for f in ignition.files],
        "probes": [_probe(p) for p in ignition.probes],
        "bootJobs": [_boot(b, default_stop_timeout, secrets) for b in ignition.boot_jobs],
        "jobs": [_job(j, default_stop_timeout, secrets) for j in ignition.unique_jobs],
    }

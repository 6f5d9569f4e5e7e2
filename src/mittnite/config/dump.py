"""The effective configuration as JSON-ready data (``mittnite validate --json``).

Keys use the spelling users write in HCL; defaults are applied so the output
answers "what will mittnite actually do". Passwords (also inside MongoDB
URLs) are masked: this output ends up in CI logs.
"""

from __future__ import annotations

import re

from .model import (
    BaseJob,
    BootJobConfig,
    FileConfig,
    Ignition,
    JobConfig,
    ProbeConfig,
    WatchCommand,
)
from .record import fields, is_record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MASK = "******"
_URL_PASSWORD = re.compile(r"(//[^:/@]*:)([^@/]*)(@)")


def mask_url(url: str) -> str:
    """Hide the password of a ``scheme://user:password@host`` URL."""
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), url)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _plain(value: Any) -> Any:
    """Records to dicts (camelCase keys, secrets masked), tuples to lists."""
    if is_record(value):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.name == "source":
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


def _command(cmd: WatchCommand | None) -> Any:
    return None if cmd is None else _plain(cmd)


def _base(job: BaseJob, default_stop_timeout: str) -> dict[str, Any]:
    timestamp_format = job.timestamp_format
    if job.enable_timestamps and not job.custom_timestamp_format:
        from .validate import TIMESTAMP_LAYOUT_NAMES

        if timestamp_format not in TIMESTAMP_LAYOUT_NAMES:
            timestamp_format = "RFC3339"
    return {
        "name": job.name,
        "command": job.command,
        "args": list(job.args or ()),
        "env": list(job.env or ()),
        "canFail": job.can_fail,
        "controllable": job.controllable,
        "workingDirectory": job.working_directory,
        "stdout": job.stdout,
        "stderr": job.stderr,
        "enableTimestamps": job.enable_timestamps,
        "timestampFormat": timestamp_format,
        "customTimestampFormat": job.custom_timestamp_format,
        "stopSignal": job.stop_signal or "SIGTERM",
        "stopTimeout": job.stop_timeout or default_stop_timeout,
        "source": str(job.source),
    }


def _job(job: JobConfig, default_stop_timeout: str) -> dict[str, Any]:
    out = _base(job, default_stop_timeout)
    out.update(
        {
            "maxAttempts": job.effective_max_attempts,
            "oneTime": job.one_time,
            "watch": [
                {
                    "filename": w.filename,
                    "signal": w.signal,
                    "restart": w.restart,
                    "preCommand": _command(w.pre_command),
                    "postCommand": _command(w.post_command),
                }
                for w in job.watches or ()
            ],
            "lazy": None
            if job.laziness is None
            else {
                "spinUpTimeout": job.laziness.effective_spin_up_timeout,
                "coolDownTimeout": job.laziness.effective_cool_down_timeout,
            },
            "listen": [
                {
                    "address": item.address,
                    "listenProtocol": item.effective_listen_protocol,
                    "forward": item.forward,
                    "forwardProtocol": item.effective_forward_protocol,
                }
                for item in job.listeners or ()
            ],
        }
    )
    return out


def _boot(job: BootJobConfig, default_stop_timeout: str) -> dict[str, Any]:
    out = _base(job, default_stop_timeout)
    out["timeout"] = job.effective_timeout
    return out


def _file(file: FileConfig) -> dict[str, Any]:
    return {
        "target": file.target,
        "from": file.template,
        "params": _plain(dict(file.parameters or {})),
        "overwrite": file.effective_overwrite,
        "source": str(file.source),
    }


def _probe(probe: ProbeConfig) -> dict[str, Any]:
    kind = probe.kind
    out: dict[str, Any] = {"name": probe.name, "wait": probe.wait, "type": kind}
    if kind == "filesystem":
        out["filesystem"] = probe.filesystem
    elif kind is not None:
        out[kind] = _plain(getattr(probe, kind))
    out["source"] = str(probe.source)
    return out


def effective_config(ignition: Ignition, default_stop_timeout: str = "10s") -> dict[str, Any]:
    """JSON-ready description of what mittnite will do with ``ignition``."""
    return {
        "configFiles": list(ignition.config_files),
        "files": [_file(f) for f in ignition.files],
        "probes": [_probe(p) for p in ignition.probes],
        "bootJobs": [_boot(b, default_stop_timeout) for b in ignition.boot_jobs],
        "jobs": [_job(j, default_stop_timeout) for j in ignition.unique_jobs],
    }

"""The ``/v1/job/{job}/status`` document, field for field as the original writes it.

The original marshals a Go struct, so the key order is the struct's field
order and the omission rules are its ``omitempty`` tags: ``pid`` only while
running; ``workingDirectory``, ``stdout``, ``stderr`` only when set; ``"-"``
(the deprecated ``max_attempts``) and ``maxAttempts`` only when written in the
configuration (raw values, not the effective default). Slices that were not
configured are ``null``; nested structs use Go's field names because they carry
no JSON tags. Our own job keys (``stopSignal``, ``stopTimeout``, ``after``,
``readiness``, ``liveness``) are not part of the original's ``config`` and are
left out, so strict clients see the same shape. Our ``listen`` keys
(``proxyProtocol``, ``activate``, ``name``) change what the block *is* (no
``forward`` at all with ``activate``), so they are shown, but only when set, as an
``omitempty`` field would be: without them the document is the original's.

Ours, after ``config`` and only for jobs that use ``after``, ``readiness``,
``liveness`` (or that another job runs after), so every other job's document
stays the original's: ``readiness`` (``ready``, ``since`` as RFC 3339, ``message``
saying why not), ``notify`` (``state``: starting/ready/reloading/stopping and the
last ``STATUS=`` text) for jobs with a notify check, and ``waitingFor`` (the
dependencies not ready yet while the job waits for them; ``[]`` otherwise).

Secrets: the document holds no probe configuration at all; in addition, any
registered probe password that happens to appear in a job's command, arguments
or environment is masked, so the API can never hand out a probe credential.
"""

from __future__ import annotations

from ..gojson import encode, rfc3339_nano

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ..config.model import JobConfig, Listener, WatchCommand

MASK = "******"


def _strings(values: tuple[str, ...] | None, secrets: Sequence[str]) -> list[str] | None:
    return None if values is None else [_masked(value, secrets) for value in values]


def _masked(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def _command(command: WatchCommand | None, secrets: Sequence[str]) -> dict[str, Any] | None:
    if command is None:
        return None
    return {
        "Command": _masked(command.command, secrets),
        "Args": _strings(command.args, secrets),
        "Env": _strings(command.env, secrets),
    }


def config_document(config: JobConfig, secrets: Sequence[str] = ()) -> dict[str, Any]:
    """The original's ``config.JobConfig`` as JSON-ready data, in field order."""
    doc: dict[str, Any] = {
        "name": config.name,
        "command": _masked(config.command, secrets),
        "args": _strings(config.args, secrets),
        "env": _strings(config.env, secrets),
        "canFail": config.can_fail,
        "controllable": config.controllable,
    }
    for key, value in (
        ("workingDirectory", config.working_directory),
        ("stdout", config.stdout),
        ("stderr", config.stderr),
    ):
        if value:
            doc[key] = value
    doc["enableTimestamps"] = config.enable_timestamps
    doc["timestampFormat"] = config.timestamp_format
    doc["customTimestampFormat"] = config.custom_timestamp_format
    doc["watch"] = (
        None
        if config.watches is None
        else [
            {
                "Filename": watch.filename,
                "Signal": watch.signal,
                "Restart": watch.restart,
                "PreCommand": _command(watch.pre_command, secrets),
                "PostCommand": _command(watch.post_command, secrets),
            }
            for watch in config.watches
        ]
    )
    if config.max_attempts_deprecated is not None:
        doc["-"] = config.max_attempts_deprecated
    if config.max_attempts is not None:
        doc["maxAttempts"] = config.max_attempts
    doc["oneTime"] = config.one_time
    laziness = config.laziness
    doc["lazy"] = (
        None
        if laziness is None
        else {
            "SpinUpTimeout": laziness.spin_up_timeout.written,  # as written ("" = default)
            "CoolDownTimeout": laziness.cool_down_timeout.written,
        }
    )
    doc["listen"] = (
        None
        if config.listeners is None
        else [_listener(listener) for listener in config.listeners]
    )
    return doc


def _listener(listener: Listener) -> dict[str, Any]:
    """A ``listen`` block as the original's Go struct shows it, plus our keys.

    Our keys (``proxyProtocol``, ``activate``, ``name``) appear only when set, as Go's
    ``omitempty`` would have them: a configuration without them gets the original's
    document byte for byte.
    """
    out: dict[str, Any] = {
        "Address": listener.address,
        "ListenProtocol": listener.listen_protocol,
        "Forward": listener.forward,
        "ForwardProtocol": listener.forward_protocol,
        "Protocol": listener.protocol,
    }
    if listener.proxy_protocol:
        out["ProxyProtocol"] = f"v{listener.proxy_protocol}"
    if listener.activate:
        out["Activate"] = True
    if listener.name:
        out["Name"] = listener.name
    return out


def status_document(
    *,
    pid: int | None,
    running: bool,
    reason: str,
    last_change: float,
    config: JobConfig,
    secrets: Sequence[str] = (),
    extras: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole status object; ``last_change`` is wall-clock seconds (0 = never).

    ``extras`` are our keys (see the module doc), as the job set reports them;
    ``readiness.since`` in wall-clock seconds.
    """
    doc: dict[str, Any] = {}
    if running and pid is not None:
        doc["pid"] = pid
    doc["running"] = running
    doc["phase"] = {"reason": reason, "lastChange": rfc3339_nano(last_change)}
    doc["config"] = config_document(config, secrets)
    for key, value in (extras or {}).items():
        if key == "readiness":
            value = {**value, "since": rfc3339_nano(value.get("since", 0.0))}
        doc[key] = value
    return doc


def encode_status(document: dict[str, Any]) -> bytes:
    """Compact, Go-escaped, no trailing newline (the original uses ``json.Marshal``)."""
    return encode(document).encode("utf-8")


def encode_job_names(names: Sequence[str]) -> bytes:
    """``GET /v1/jobs``: always a list, ``[]`` when nothing is controllable (not ``null``)."""
    return encode(list(names)).encode("utf-8")

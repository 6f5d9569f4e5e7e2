"""Checks beyond decoding: everything the original would only discover at run time.

The original accepts any string for durations, addresses or signals and fails
minutes later (or never, silently). We check them when the configuration is
loaded, so ``mittnite validate`` in an image build catches them and ``up``
refuses to start with a message naming file and line.
"""

from __future__ import annotations

import signal as signal_module
from collections.abc import Iterator

from .addresses import AddressError, parse_address
from .model import BaseJob, Ignition, JobConfig, Listener, Source
from .problems import Problem

TIMESTAMP_LAYOUT_NAMES = (
    "RFC3339",
    "RFC3339Nano",
    "RFC1123",
    "RFC1123Z",
    "RFC822",
    "RFC822Z",
    "ANSIC",
    "UnixDate",
    "RubyDate",
    "Kitchen",
    "Stamp",
    "StampMilli",
    "StampMicro",
    "StampNano",
    "DateTime",
    "DateOnly",
    "TimeOnly",
)

MAX_SIGNAL = 64


def parse_signal(text: str) -> int:
    """A signal given as number (``15``) or name (``SIGTERM``, ``term``)."""
    text = text.strip()
    if text.isdigit():
        number = int(text)
        if not 0 < number <= MAX_SIGNAL:
            raise ValueError(f"signal number {number} is out of range (1-{MAX_SIGNAL})")
        return number
    name = text.upper()
    if not name.startswith("SIG"):
        name = "SIG" + name
    value = getattr(signal_module.Signals, name, None)
    if value is None:
        raise ValueError(f"unknown signal {text!r} (use a name like SIGTERM or a number)")
    return int(value)


def duration_error(text: str) -> str | None:
    """Why ``text`` is not a Go duration, or ``None`` if it is one."""
    from ..golang.gotime import parse_duration

    try:
        parse_duration(text)
    except ValueError as exc:
        return str(exc)
    return None


def glob_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid Go glob (the original would silently match nothing)."""
    from ..watch.goglob import ErrBadPattern, validate

    try:
        validate(pattern)
    except ErrBadPattern as exc:
        return f"{exc} (Go glob syntax: * ? [a-z] [^a] and \\ escapes)"
    return None


def check(ignition: Ignition) -> list[Problem]:
    """All semantic problems of a configuration, errors and warnings."""
    return list(_check(ignition))


def _error(source: Source, message: str) -> Problem:
    return Problem("error", message, source)


def _warning(source: Source, message: str) -> Problem:
    return Problem("warning", message, source)


def _check(ignition: Ignition) -> Iterator[Problem]:
    first_job: dict[str, Source] = {}
    for job in ignition.jobs:
        if job.name in first_job:
            yield _warning(
                job.source,
                f'job "{job.name}" is defined again; only the first definition '
                f"({first_job[job.name]}) is used",
            )
        else:
            first_job[job.name] = job.source
        yield from _check_job(job)
    for boot in ignition.boot_jobs:
        yield from _check_base(boot, "boot job")
        if boot.timeout and (reason := duration_error(boot.timeout)):
            yield _error(boot.source, f'boot job "{boot.name}": timeout: {reason}')
    for file in ignition.files:
        if not file.template:
            yield _error(
                file.source, f"configuration file {file.target} has no specified source ('from')"
            )
    yield from _check_probes(ignition)


def _check_base(job: BaseJob, what: str) -> Iterator[Problem]:
    label = f'{what} "{job.name}"'
    if not job.command:
        yield _error(job.source, f"{label} has no command")
    if (
        job.enable_timestamps
        and not job.custom_timestamp_format
        and job.timestamp_format
        and job.timestamp_format not in TIMESTAMP_LAYOUT_NAMES
    ):
        yield _warning(
            job.source,
            f"{label}: unknown timestampFormat {job.timestamp_format!r}, using RFC3339 "
            f"(known: {', '.join(TIMESTAMP_LAYOUT_NAMES)})",
        )
    if job.stop_signal:
        try:
            parse_signal(job.stop_signal)
        except ValueError as exc:
            yield _error(job.source, f"{label}: stopSignal: {exc}")
    if job.stop_timeout and (reason := duration_error(job.stop_timeout)):
        yield _error(job.source, f"{label}: stopTimeout: {reason}")


def _check_job(job: JobConfig) -> Iterator[Problem]:
    yield from _check_base(job, "job")
    label = f'job "{job.name}"'
    if job.max_attempts_deprecated is not None:
        yield _warning(
            job.source,
            f"field max_attempts in job {job.name} is deprecated in favor of maxAttempts"
            + (" (maxAttempts is set and wins)" if job.max_attempts is not None else ""),
        )
    for watch in job.watches or ():
        if (reason := glob_error(watch.filename)) is not None:
            # A warning, not an error: the original runs such a configuration
            # (the watch just never fires), and so must we.
            yield _warning(
                watch.source, f'{label}: watch "{watch.filename}": {reason}; it will never fire'
            )
        if not 0 <= watch.signal <= MAX_SIGNAL:
            yield _warning(
                watch.source,
                f'{label}: watch "{watch.filename}": signal {watch.signal} is not a valid '
                f"signal number (0-{MAX_SIGNAL})",
            )
        for name, command in (
            ("preCommand", watch.pre_command),
            ("postCommand", watch.post_command),
        ):
            if command is not None and not command.command:
                yield _error(
                    watch.source, f'{label}: watch "{watch.filename}": {name} has no command'
                )
    if job.laziness is not None:
        for name, value in (
            ("spinUpTimeout", job.laziness.spin_up_timeout),
            ("coolDownTimeout", job.laziness.cool_down_timeout),
        ):
            if value and (reason := duration_error(value)):
                yield _error(job.source, f"{label}: lazy: {name}: {reason}")
        if not job.listeners:
            yield _warning(
                job.source,
                f"{label} is lazy but has no listen block: nothing will ever start it",
            )
    for listener in job.listeners or ():
        yield from _check_listener(label, listener)


def _check_listener(label: str, listener: Listener) -> Iterator[Problem]:
    where = f'{label}: listen "{listener.address}"'
    if listener.protocol:
        if listener.forward_protocol:
            yield _warning(
                listener.source,
                f"{where}: field protocol is ignored because it is deprecated and "
                "forwardProtocol is already set",
            )
        else:
            yield _warning(
                listener.source,
                f"{where}: field protocol is deprecated in favor of forwardProtocol",
            )
    try:
        parse_address(listener.address, listener.effective_listen_protocol)
    except AddressError as exc:
        yield _error(listener.source, f"{where}: {exc}")
    if not listener.forward:
        yield _error(listener.source, f"{where}: forward is missing (where should connections go?)")
    else:
        try:
            parse_address(listener.forward, listener.effective_forward_protocol)
        except AddressError as exc:
            yield _error(listener.source, f"{where}: forward: {exc}")


def _check_probes(ignition: Ignition) -> Iterator[Problem]:
    seen: dict[str, Source] = {}
    for probe in ignition.probes:
        label = f'probe "{probe.name}"'
        if probe.name in seen:
            yield _warning(
                probe.source,
                f"{label} is defined again; this later definition replaces the one at "
                f"{seen[probe.name]}",
            )
        seen[probe.name] = probe.source
        kinds = probe.kinds_given
        if not kinds:
            if probe.wait:
                yield _error(
                    probe.source,
                    f"{label} waits but has no type (filesystem, mysql, redis, mongodb, amqp, "
                    "http or smtp)",
                )
            else:
                yield _warning(probe.source, f"{label} has no type and is ignored")
        elif len(kinds) > 1:
            yield _warning(
                probe.source,
                f"{label} has several types ({', '.join(kinds)}); only {kinds[0]} is used",
            )
        timeout = probe.http.timeout if probe.http is not None else ""
        if timeout and not timeout.startswith("ENV:") and (reason := duration_error(timeout)):
            yield _error(probe.source, f"{label}: http: timeout: {reason}")

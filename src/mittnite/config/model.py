"""The immutable configuration model every other part of mittnite works from.

Configuration is parsed once into these frozen records (see :mod:`.record`
for why not :mod:`dataclasses`); the runtime never
looks at HCL again. Field values are exactly what the original decodes (raw
strings for durations, ``None`` for "not given"), and properties expose the
effective values with the original's defaults, so both "what did the user
write" (API status JSON) and "what do we do" are available.

Secrets (passwords) are excluded from ``repr`` so that no log line or error
message can leak them by formatting a model object.
"""

from __future__ import annotations

from .record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BOOT_TIMEOUT = "30s"
DEFAULT_SPIN_UP_TIMEOUT = "5s"
DEFAULT_COOL_DOWN_TIMEOUT = "15m"
DEFAULT_PROTOCOL = "tcp"

PROBE_KINDS = ("filesystem", "mysql", "redis", "mongodb", "amqp", "http", "smtp")


@record
class Source:
    """Where a directive was written, for messages: ``file:line:column``."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Source("<none>", 0, 0)


@record
class WatchCommand:
    """``preCommand`` / ``postCommand`` of a watch."""

    command: str
    args: tuple[str, ...] | None = None
    env: tuple[str, ...] | None = None


@record
class Watch:
    """``watch "<glob>" { ... }`` inside a job."""

    filename: str
    signal: int = 0
    restart: bool = False
    pre_command: WatchCommand | None = None
    post_command: WatchCommand | None = None
    source: Source = NOWHERE


@record
class Listener:
    """``listen "<address>" { ... }`` inside a job."""

    address: str
    listen_protocol: str = ""
    forward: str = ""
    forward_protocol: str = ""
    protocol: str = ""  # deprecated alias of forward_protocol
    source: Source = NOWHERE

    @property
    def effective_listen_protocol(self) -> str:
        return self.listen_protocol or DEFAULT_PROTOCOL

    @property
    def effective_forward_protocol(self) -> str:
        return self.forward_protocol or self.protocol or DEFAULT_PROTOCOL


@record
class Laziness:
    """``lazy { ... }``: raw duration strings as written (empty = default)."""

    spin_up_timeout: str = ""
    cool_down_timeout: str = ""

    @property
    def effective_spin_up_timeout(self) -> str:
        return self.spin_up_timeout or DEFAULT_SPIN_UP_TIMEOUT

    @property
    def effective_cool_down_timeout(self) -> str:
        return self.cool_down_timeout or DEFAULT_COOL_DOWN_TIMEOUT


@record
class BaseJob:
    """Fields shared by jobs and boot jobs (the original's ``BaseJobConfig``)."""

    name: str
    command: str = ""
    args: tuple[str, ...] | None = None
    env: tuple[str, ...] | None = None
    can_fail: bool = False
    controllable: bool = False
    working_directory: str = ""
    stdout: str = ""
    stderr: str = ""
    enable_timestamps: bool = False
    timestamp_format: str = ""
    custom_timestamp_format: str = ""
    stop_signal: str = ""  # ours: signal name or number used to stop the job
    stop_timeout: str = ""  # ours: grace before SIGKILL (Go duration)
    source: Source = NOWHERE


@record
class JobConfig(BaseJob):
    """``job "<name>" { ... }``."""

    watches: tuple[Watch, ...] | None = None
    max_attempts_deprecated: int | None = None  # ``max_attempts``
    max_attempts: int | None = None
    one_time: bool = False
    laziness: Laziness | None = None
    listeners: tuple[Listener, ...] | None = None

    @property
    def effective_max_attempts(self) -> int:
        """Runs allowed per failure streak: -1 means unlimited.

        The original ignores the deprecated ``max_attempts`` (a bug); we honour
        it when ``maxAttempts`` is absent.
        """
        value = self.max_attempts
        if value is None:
            value = self.max_attempts_deprecated
        if value is None:
            return DEFAULT_MAX_ATTEMPTS
        return -1 if value < 0 else value

    @property
    def is_lazy(self) -> bool:
        return self.laziness is not None


@record
class BootJobConfig(BaseJob):
    """``boot "<name>" { ... }``: runs to completion before jobs start."""

    timeout: str = ""

    @property
    def effective_timeout(self) -> str:
        return self.timeout or DEFAULT_BOOT_TIMEOUT


@record
class FileConfig:
    """``file "<target>" { from = ..., params = {...}, overwrite = ... }``."""

    target: str
    template: str = ""
    parameters: Mapping[str, Any] | None = None
    overwrite: bool | None = None
    source: Source = NOWHERE

    @property
    def effective_overwrite(self) -> bool:
        return True if self.overwrite is None else self.overwrite


@record
class Host:
    hostname: str = ""
    port: str = ""


@record
class Credentials:
    user: str = ""
    password: str = field(default="", repr=False)


@record
class MySQLProbe:
    credentials: Credentials = Credentials()
    host: Host = Host()
    allow_native_password: str = ""
    database: str = ""


@record
class RedisProbe:
    host: Host = Host()
    password: str = field(default="", repr=False)


@record
class MongoDBProbe:
    credentials: Credentials = Credentials()
    host: Host = Host()
    database: str = ""
    replica_set_name: str = ""
    authentication_database: str = ""
    authentication_mechanism: str = ""
    gssapi_service_name: str = ""
    url: str = field(default="", repr=False)  # may embed a password


@record
class AmqpProbe:
    credentials: Credentials = Credentials()
    host: Host = Host()
    virtual_host: str = ""


@record
class HttpProbe:
    scheme: str = ""
    host: Host = Host()
    path: str = ""
    timeout: str = ""


@record
class SmtpProbe:
    host: Host = Host()


@record
class ProbeConfig:
    """``probe "<name>" { wait = ..., <kind> { ... } }``."""

    name: str
    wait: bool = False
    filesystem: str = ""
    mysql: MySQLProbe | None = None
    redis: RedisProbe | None = None
    mongodb: MongoDBProbe | None = None
    amqp: AmqpProbe | None = None
    http: HttpProbe | None = None
    smtp: SmtpProbe | None = None
    source: Source = NOWHERE

    @property
    def kind(self) -> str | None:
        """The probe's type; when several are given the original's order decides."""
        if self.filesystem:
            return "filesystem"
        for kind in PROBE_KINDS[1:]:
            if getattr(self, kind) is not None:
                return kind
        return None

    @property
    def kinds_given(self) -> tuple[str, ...]:
        given = ("filesystem",) if self.filesystem else ()
        return given + tuple(k for k in PROBE_KINDS[1:] if getattr(self, k) is not None)


@record
class Ignition:
    """The whole configuration of one mittnite run (the original's name for it)."""

    probes: tuple[ProbeConfig, ...] = ()
    files: tuple[FileConfig, ...] = ()
    jobs: tuple[JobConfig, ...] = ()
    boot_jobs: tuple[BootJobConfig, ...] = ()
    config_files: tuple[str, ...] = ()

    @property
    def unique_jobs(self) -> tuple[JobConfig, ...]:
        """Jobs as the runner sees them: the first job of each name wins."""
        seen: set[str] = set()
        result = []
        for job in self.jobs:
            if job.name not in seen:
                seen.add(job.name)
                result.append(job)
        return tuple(result)

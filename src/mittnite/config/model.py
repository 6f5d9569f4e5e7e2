"""The immutable, typed configuration model every other part of mittnite works from.

Configuration is parsed once, when it is loaded, into these frozen records
(see :mod:`.record` for why not :mod:`dataclasses`): durations are
nanoseconds, signals are numbers, addresses and ports are parsed, booleans
and integers converted. Nothing downstream parses configuration text again.

What the user wrote is kept where somebody must echo it: every
:class:`Duration` and :class:`Signal` remembers its text (``written``, empty
when the default applies), listeners keep their address strings, and jobs
keep the raw fields the control API's status document shows (it mirrors the
original's Go struct, which held strings).

Every record knows where it was written (``source``); directives also know
where each of their values was (``places``, read with ``where(field)``), so
checks after loading can point at the value.

Secrets (passwords) are excluded from ``repr`` so that no log line or error
message can leak them by formatting a model object.
"""

from __future__ import annotations

from .addresses import UNIX_SCHEME, Address
from .record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_PROTOCOL = "tcp"

PROBE_KINDS = ("filesystem", "mysql", "redis", "mongodb", "amqp", "http", "smtp")

_SECOND = 1_000_000_000


@record
class Source:
    """Where something was written, for messages: ``file:line:column``."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Source("<none>", 0, 0)

Places = tuple[tuple[str, Source], ...]
"""Field name → where its value was written (a tuple, so records stay hashable)."""


def place(places: Places, name: str, default: Source) -> Source:
    """Where field ``name`` was written, or ``default`` (the block) if it was not."""
    for key, source in places:
        if key == name:
            return source
    return default


@record
class Duration:
    """A Go duration: its length, and the text it was written as (``""``: the default)."""

    nanoseconds: int
    written: str = ""

    @property
    def seconds(self) -> float:
        return self.nanoseconds / _SECOND

    def __str__(self) -> str:
        """The duration as written, or as Go prints it (``5s``, ``15m0s``)."""
        if self.written:
            return self.written
        from ..golang.gotime_duration import format_duration

        return format_duration(self.nanoseconds)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse Go duration syntax; :class:`ValueError` with Go's message if invalid."""
        from ..golang.gotime_duration import parse_duration

        return cls(int(parse_duration(text)), text)


DEFAULT_BOOT_TIMEOUT = Duration(30 * _SECOND)
DEFAULT_SPIN_UP_TIMEOUT = Duration(5 * _SECOND)
DEFAULT_COOL_DOWN_TIMEOUT = Duration(15 * 60 * _SECOND)


@record
class Signal:
    """A signal number and how it was written (``SIGHUP``, ``hup``, ``1``)."""

    number: int
    written: str = ""

    def __str__(self) -> str:
        return self.written or str(self.number)


@record
class EnvRef:
    """A probe field written as ``ENV:NAME``: its value comes from the environment when
    the probe is built, so it can only be checked then."""

    name: str

    def __str__(self) -> str:
        return f"ENV:{self.name}"


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
    """``listen "<address>" { ... }`` inside a job.

    The strings are what was written (the API echoes them); ``listen`` and
    ``upstream`` are the parsed addresses, with the effective protocols
    (``upstream`` is None for an activated block, which has no ``forward``).

    Our additions: ``proxy_protocol`` (0, 1 or 2: the PROXY protocol header
    version sent to the upstream before the client's bytes), ``activate`` (hand
    the listening socket itself to the job, systemd-style, instead of
    forwarding) and ``name`` (its ``LISTEN_FDNAMES`` entry; see :meth:`fd_name`).
    An address written ``unix:///path`` means the ``unix`` protocol when no
    protocol is given.
    """

    address: str
    listen_protocol: str = ""
    forward: str = ""
    forward_protocol: str = ""
    protocol: str = ""  # deprecated alias of forward_protocol
    source: Source = NOWHERE
    listen: Address | None = None
    upstream: Address | None = None
    proxy_protocol: int = 0
    activate: bool = False
    name: str = ""
    places: Places = ()

    @property
    def effective_listen_protocol(self) -> str:
        return self.listen_protocol or _implied_protocol(self.address)

    @property
    def effective_forward_protocol(self) -> str:
        return self.forward_protocol or self.protocol or _implied_protocol(self.forward)

    def fd_name(self, job_name: str) -> str:
        """The descriptor's ``LISTEN_FDNAMES`` entry: ``name``, or the job's name."""
        return self.name or job_name

    def where(self, name: str) -> Source:
        """Where field ``name`` (model spelling) was written, or the label."""
        return place(self.places, name, self.source)

    @classmethod
    def parse(
        cls,
        address: str,
        forward: str = "",
        listen_protocol: str = "",
        forward_protocol: str = "",
        protocol: str = "",
        *,
        proxy_protocol: int = 0,
        activate: bool = False,
        name: str = "",
    ) -> Listener:
        """A listener with its addresses parsed (:class:`ValueError` if they are invalid)."""
        from .addresses import parse_address

        listener = cls(address, listen_protocol, forward, forward_protocol, protocol)
        return cls(
            address,
            listen_protocol,
            forward,
            forward_protocol,
            protocol,
            listen=parse_address(address, listener.effective_listen_protocol),
            upstream=None
            if activate and not forward
            else parse_address(forward, listener.effective_forward_protocol),
            proxy_protocol=proxy_protocol,
            activate=activate,
            name=name,
        )


def _implied_protocol(address: str) -> str:
    """``unix`` for an address written ``unix://...``, else the default (``tcp``)."""
    return "unix" if address.startswith(UNIX_SCHEME) else DEFAULT_PROTOCOL


@record
class Laziness:
    """``lazy { ... }``: the effective timeouts (``written`` is empty for a default)."""

    spin_up_timeout: Duration = DEFAULT_SPIN_UP_TIMEOUT
    cool_down_timeout: Duration = DEFAULT_COOL_DOWN_TIMEOUT


DEFAULT_CHECK_TIMEOUT = Duration(1 * _SECOND)
DEFAULT_READINESS_INTERVAL = Duration(1 * _SECOND)
DEFAULT_LIVENESS_INTERVAL = Duration(10 * _SECOND)
DEFAULT_READINESS_FAILURES = 1
DEFAULT_LIVENESS_FAILURES = 3
CHECK_KINDS = ("http", "tcp", "exec", "notify")


@record
class ExecCheck:
    """``exec { command = "pg_isready"  args = [...] }`` of a readiness or liveness block."""

    command: str
    args: tuple[str, ...] = ()


@record
class HealthCheck:
    """A job's ``readiness { ... }`` or ``liveness { ... }`` block (ours).

    Exactly one kind is set (``validate`` reports none or several): ``http`` (an
    http:// or https:// URL; 2xx/3xx passes), ``tcp`` (a parsed ``host:port``; a
    connection passes), ``exec`` (exit status 0 passes) or ``notify`` (the job
    reports itself through ``$NOTIFY_SOCKET``). ``interval`` is the time between two
    attempts (for a notify liveness: the watchdog deadline), ``timeout`` bounds one
    attempt, ``failures`` is the number of consecutive failures that count.
    """

    interval: Duration
    timeout: Duration = DEFAULT_CHECK_TIMEOUT
    failures: int = 1
    http: str = ""
    tcp: Address | None = None
    exec: ExecCheck | None = None
    notify: bool = False
    source: Source = NOWHERE
    places: Places = ()

    @property
    def kind(self) -> str | None:
        """The check's kind (``None`` when the block names none)."""
        kinds = self.kinds_given
        return kinds[0] if kinds else None

    @property
    def kinds_given(self) -> tuple[str, ...]:
        given = (
            ("http", bool(self.http)),
            ("tcp", self.tcp is not None),
            ("exec", self.exec is not None),
            ("notify", self.notify),
        )
        return tuple(kind for kind, present in given if present)

    def where(self, name: str) -> Source:
        return place(self.places, name, self.source)


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
    stop_signal: Signal | None = None  # ours; None: SIGTERM
    stop_timeout: Duration | None = None  # ours; None: --stop-timeout
    source: Source = NOWHERE
    places: Places = ()

    def where(self, name: str) -> Source:
        """Where field ``name`` (model spelling) was written, or the block."""
        return place(self.places, name, self.source)


@record
class JobConfig(BaseJob):
    """``job "<name>" { ... }``."""

    watches: tuple[Watch, ...] | None = None
    max_attempts_deprecated: int | None = None  # ``max_attempts``
    max_attempts: int | None = None
    one_time: bool = False
    laziness: Laziness | None = None
    listeners: tuple[Listener, ...] | None = None
    # ours (issue 17): ordering and health
    after: tuple[str, ...] = ()
    """Names this job starts after, in the order written (each entry's place: ``after_places``)."""
    after_places: tuple[Source, ...] = ()
    readiness: HealthCheck | None = None
    liveness: HealthCheck | None = None

    def after_source(self, name: str) -> Source:
        """Where ``name`` was written in this job's ``after`` (the block if nowhere)."""
        for entry, source in zip(self.after, self.after_places, strict=False):
            if entry == name:
                return source
        return self.where("after")

    @property
    def uses_notify(self) -> bool:
        """Whether the job gets a ``NOTIFY_SOCKET`` (a notify readiness or liveness)."""
        return any(c is not None and c.notify for c in (self.readiness, self.liveness))

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

    timeout: Duration = DEFAULT_BOOT_TIMEOUT


@record
class FileConfig:
    """``file "<target>" { from = ..., params = {...}, overwrite = ... }``."""

    target: str
    template: str = ""
    parameters: Mapping[str, Any] | None = None
    overwrite: bool | None = None
    source: Source = NOWHERE
    places: Places = ()

    @property
    def effective_overwrite(self) -> bool:
        return True if self.overwrite is None else self.overwrite

    def where(self, name: str) -> Source:
        return place(self.places, name, self.source)


Port = int | EnvRef | None
"""A probe port: a number checked at load time, ``ENV:NAME``, or not given (the default)."""


@record
class Host:
    hostname: str = ""
    port: Port = None


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
    timeout: Duration | EnvRef | None = None  # None: the default (5s)


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
    places: Places = ()

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

    def where(self, name: str) -> Source:
        return place(self.places, name, self.source)


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

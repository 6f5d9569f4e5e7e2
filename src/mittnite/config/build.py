"""Turn decoded HCL structs (Go-named dicts) into the typed, frozen model.

This is where configuration text becomes values, once: durations, signals,
ports and addresses are parsed here, and every value that cannot be used is
reported at the line and column where it was written, with what was expected
and how to fix it. Values whose decoding already failed (a type error) are
left alone, so one mistake gives one message.

The original accepts any string for durations, addresses, signals and ports
and fails minutes later (or never: a probe with ``port = "notaport"`` waits
forever). Here they are errors when the configuration is loaded, so
``mittnite validate`` in an image build catches them and ``up`` refuses to
start. What the original runs anyway (a job without a command, a watch
glob that can never match) is a warning.
"""

from __future__ import annotations

from .addresses import KNOWN_PROTOCOLS, Address, AddressError, parse_address
from .hcl import Pos, StructValue
from .model import (
    DEFAULT_BOOT_TIMEOUT,
    DEFAULT_CHECK_TIMEOUT,
    DEFAULT_COOL_DOWN_TIMEOUT,
    DEFAULT_LIVENESS_FAILURES,
    DEFAULT_LIVENESS_INTERVAL,
    DEFAULT_READINESS_FAILURES,
    DEFAULT_READINESS_INTERVAL,
    DEFAULT_SPIN_UP_TIMEOUT,
    AmqpProbe,
    BootJobConfig,
    Credentials,
    Duration,
    EnvRef,
    ExecCheck,
    FileConfig,
    HealthCheck,
    Host,
    HttpProbe,
    Ignition,
    JobConfig,
    Laziness,
    Listener,
    MongoDBProbe,
    MySQLProbe,
    Places,
    Port,
    ProbeConfig,
    RedisProbe,
    Signal,
    SmtpProbe,
    Source,
    Watch,
    WatchCommand,
)
from .problems import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
ENV_PREFIX = "ENV:"
MAX_SIGNAL = 64

# Places remembered per record: model field name → Go field name.
_BASE_PLACES = {
    "name": "Name",
    "command": "Command",
    "args": "Args",
    "env": "Env",
    "can_fail": "CanFail",
    "controllable": "Controllable",
    "working_directory": "WorkingDirectory",
    "stdout": "Stdout",
    "stderr": "Stderr",
    "enable_timestamps": "EnableTimestamps",
    "timestamp_format": "TimestampFormat",
    "custom_timestamp_format": "CustomTimestampFormat",
    "stop_signal": "StopSignal",
    "stop_timeout": "StopTimeout",
    # jobs
    "watches": "Watches",
    "max_attempts_deprecated": "MaxAttempts_",
    "max_attempts": "MaxAttempts",
    "one_time": "OneTime",
    "laziness": "Laziness",
    "listeners": "Listeners",
    "after": "After",
    "readiness": "Readiness",
    "liveness": "Liveness",
    # boot jobs
    "timeout": "Timeout",
}
_CHECK_PLACES = {
    "http": "HTTP",
    "tcp": "TCP",
    "exec": "Exec",
    "notify": "Notify",
    "interval": "Interval",
    "timeout": "Timeout",
    "failures": "Failures",
}
_LISTENER_PLACES = {
    "address": "Address",
    "listen_protocol": "ListenProtocol",
    "forward": "Forward",
    "forward_protocol": "ForwardProtocol",
    "protocol": "Protocol",
    "proxy_protocol": "ProxyProtocol",
    "activate": "Activate",
    "name": "FdName",
}
_FILE_PLACES = {
    "target": "Target",
    "template": "Template",
    "parameters": "Parameters",
    "overwrite": "Overwrite",
}
_PROBE_PLACES = {
    "name": "Name",
    "wait": "Wait",
    "filesystem": "Filesystem",
    "mysql": "MySQL",
    "redis": "Redis",
    "mongodb": "MongoDB",
    "amqp": "Amqp",
    "http": "HTTP",
    "smtp": "SMTP",
}


class Builder:
    """Builds records from one file's decoded structs, reporting problems as it goes."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.file = ""

    # -- reporting ----------------------------------------------------------------------
    def source(self, value: StructValue, go_name: str | None = None) -> Source:
        """Where ``go_name``'s value (or the block, without a name) was written."""
        pos = value.field_pos.get(go_name) if go_name is not None else None
        if pos is None:
            pos = value.pos or Pos(0, 0)
        return Source(self.file, pos.line, pos.column)

    def error(self, where: Source, message: str, hint: str = "") -> None:
        self.problems.append(Problem("error", message, where, hint=hint))

    def warning(self, where: Source, message: str, hint: str = "") -> None:
        self.problems.append(Problem("warning", message, where, hint=hint))

    def places(self, value: StructValue, names: dict[str, str]) -> Places:
        return tuple(
            (name, self.source(value, go_name))
            for name, go_name in names.items()
            if go_name in value.field_pos
        )

    # -- values ---------------------------------------------------------------------------
    def duration(
        self, value: StructValue, go_name: str, label: str, default: Duration
    ) -> Duration:
        text = value[go_name]
        if not text or go_name in value.failed:
            return default
        try:
            return Duration.parse(text)
        except ValueError as exc:
            self.error(self.source(value, go_name), f"{label}: {exc}", duration_hint(text))
            return default

    def optional_duration(self, value: StructValue, go_name: str, label: str) -> Duration | None:
        if not value[go_name] or go_name in value.failed:
            return None
        parsed = self.duration(value, go_name, label, Duration(0))
        return parsed if parsed.written else None

    def signal(self, value: StructValue, go_name: str, label: str) -> Signal | None:
        text = value[go_name]
        if not text or go_name in value.failed:
            return None
        from .signals import SignalError, parse_signal

        try:
            return Signal(parse_signal(text), text)
        except SignalError as exc:
            self.error(self.source(value, go_name), f"{label}: {exc}", exc.hint)
            return None

    def port(self, host: StructValue, label: str) -> Port:
        text = host["Port"]
        if not text or "Port" in host.failed:
            return None
        if text.startswith(ENV_PREFIX):
            return EnvRef(text[len(ENV_PREFIX) :])
        if text.isascii() and text.isdigit() and len(text) <= 5 and 0 < int(text) <= 65535:
            return int(text)
        self.error(
            self.source(host, "Port"),
            f"{label}: port {_quoted(text)} is not a port number",
            "write a number from 1 to 65535, or ENV:NAME to read it from the environment",
        )
        return None

    # -- directives -----------------------------------------------------------------------
    def base_job(self, v: StructValue, what: str) -> dict[str, Any]:
        name = v["Name"]
        label = f'{what} "{name}"'
        source = self.source(v)
        if not v["Command"] and "Command" not in v.failed:
            self.warning(
                source,
                f"{label} has no command: it will fail to start (exec: no command)",
                "add command = \"/path/to/program\""
                + ("" if v["CanFail"] else "; unless canFail = true, mittnite then stops"),
            )
        if "/" in name or not name:
            self.warning(
                self.source(v, "Name"),
                f"{label}: a job name "
                + ("that is empty" if not name else 'containing "/"')
                + " cannot be used with mittnitectl (the control API only accepts it "
                "percent-encoded); the job itself runs normally",
                "use letters, digits, '-', '_' and '.'",
            )
        if (
            v["EnableTimestamps"]
            and not v["CustomTimestampFormat"]
            and v["TimestampFormat"]
            and v["TimestampFormat"] not in TIMESTAMP_LAYOUT_NAMES
        ):
            self.warning(
                self.source(v, "TimestampFormat"),
                f"{label}: unknown timestampFormat {v['TimestampFormat']!r}, using RFC3339",
                _closest(v["TimestampFormat"], TIMESTAMP_LAYOUT_NAMES, "known: ")
                + " (or set customTimestampFormat to a Go layout)",
            )
        return {
            "name": name,
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
            "stop_signal": self.signal(v, "StopSignal", f"{label}: stopSignal"),
            "stop_timeout": self.optional_duration(v, "StopTimeout", f"{label}: stopTimeout"),
            "source": source,
            "places": self.places(v, _BASE_PLACES),
        }

    def job(self, v: StructValue) -> JobConfig:
        fields = self.base_job(v, "job")
        label = f'job "{v["Name"]}"'
        if v["MaxAttempts_"] is not None:
            self.warning(
                self.source(v, "MaxAttempts_"),
                f"field max_attempts in job {v['Name']} is deprecated in favor of maxAttempts"
                + (" (maxAttempts is set and wins)" if v["MaxAttempts"] is not None else ""),
                "rename it to maxAttempts",
            )
        laziness = None
        if v["Laziness"] is not None:
            lazy = v["Laziness"]
            laziness = Laziness(
                self.duration(
                    lazy, "SpinUpTimeout", f"{label}: lazy: spinUpTimeout", DEFAULT_SPIN_UP_TIMEOUT
                ),
                self.duration(
                    lazy,
                    "CoolDownTimeout",
                    f"{label}: lazy: coolDownTimeout",
                    DEFAULT_COOL_DOWN_TIMEOUT,
                ),
            )
            if not v["Listeners"] and "Listeners" not in v.failed:
                self.warning(
                    self.source(v, "Laziness"),
                    f"{label} is lazy but has no listen block: nothing will ever start it",
                    'add listen ":8080" { forward = "127.0.0.1:8081" }',
                )
        watches = v["Watches"]
        listeners = v["Listeners"]
        after = tuple(v["After"] or ())
        readiness = self.health_check(v, "Readiness", label)
        liveness = self.health_check(v, "Liveness", label)
        if readiness is not None and (laziness is not None or v["OneTime"]):
            ready_means = (
                "a lazy job is ready once it listens"
                if laziness is not None
                else "a one-time job is done when it exits 0"
            )
            self.warning(
                self.source(v, "Readiness"),
                f"{label}: readiness is ignored: {ready_means}",
                "remove the readiness block",
            )
            readiness = None
        if liveness is not None and laziness is not None:
            self.warning(
                self.source(v, "Liveness"),
                f"{label}: liveness is ignored for lazy jobs (they are stopped when idle and "
                "started by the next connection)",
                "remove the liveness block",
            )
            liveness = None
        return JobConfig(
            **fields,
            watches=None if watches is None else tuple(self.watch(label, w) for w in watches),
            max_attempts_deprecated=v["MaxAttempts_"],
            max_attempts=v["MaxAttempts"],
            one_time=v["OneTime"],
            laziness=laziness,
            listeners=None
            if listeners is None
            else tuple(self.listener(label, item) for item in listeners),
            after=tuple(str(name) for name in after),
            after_places=tuple(self.placed(name, v) for name in after),
            readiness=readiness,
            liveness=liveness,
        )

    def placed(self, text: str, block: StructValue) -> Source:
        """Where a :class:`~.hcl.PlacedStr` was written (the block for a plain string)."""
        pos = getattr(text, "pos", None) or block.pos or Pos(0, 0)
        return Source(self.file, pos.line, pos.column)

    def health_check(self, v: StructValue, go_name: str, label: str) -> HealthCheck | None:
        """A ``readiness``/``liveness`` block, every value checked where it was written."""
        block = v[go_name]
        if block is None or go_name in v.failed:
            return None
        what = go_name.lower()
        where = f"{label}: {what}"
        readiness = what == "readiness"
        interval = self.duration(
            block,
            "Interval",
            f"{where}: interval",
            DEFAULT_READINESS_INTERVAL if readiness else DEFAULT_LIVENESS_INTERVAL,
        )
        timeout = self.duration(block, "Timeout", f"{where}: timeout", DEFAULT_CHECK_TIMEOUT)
        for go_field, duration, default in (
            ("Interval", interval, DEFAULT_READINESS_INTERVAL),
            ("Timeout", timeout, DEFAULT_CHECK_TIMEOUT),
        ):
            if duration.written and duration.nanoseconds <= 0:
                self.error(
                    self.source(block, go_field),
                    f"{where}: {go_field.lower()} must be longer than 0 (found {duration})",
                    f'write e.g. "{default}"',
                )
        failures = block["Failures"]
        if failures is None or "Failures" in block.failed:
            failures = DEFAULT_READINESS_FAILURES if readiness else DEFAULT_LIVENESS_FAILURES
        elif failures < 1:
            self.error(
                self.source(block, "Failures"),
                f"{where}: failures must be at least 1 (found {failures})",
                "write how many failures in a row count, e.g. 3",
            )
            failures = 1
        check = HealthCheck(
            interval=interval if interval.nanoseconds > 0 else DEFAULT_READINESS_INTERVAL,
            timeout=timeout if timeout.nanoseconds > 0 else DEFAULT_CHECK_TIMEOUT,
            failures=failures,
            http=self.check_url(block, where),
            tcp=self.check_address(block, where),
            exec=self.exec_check(block, where),
            notify=block["Notify"],
            source=self.source(v, go_name),
            places=self.places(block, _CHECK_PLACES),
        )
        written = (
            ("http", "HTTP", bool(block["HTTP"])),
            ("tcp", "TCP", bool(block["TCP"])),
            ("exec", "Exec", block["Exec"] is not None),
            ("notify", "Notify", bool(block["Notify"])),
        )
        kinds = tuple(kind for kind, go_field, given in written if given or go_field in block.failed)
        if not kinds:
            self.error(
                check.source,
                f"{where} names no check",
                'give one of: http = "http://...", tcp = "host:port", '
                'exec { command = "..." } or notify = true',
            )
        elif len(kinds) > 1:
            self.error(
                check.where(kinds[1]),
                f"{where} has several checks ({', '.join(kinds)}); one kind per block",
                f"keep one of {', '.join(kinds)}",
            )
        return check

    def check_url(self, block: StructValue, where: str) -> str:
        url: str = block["HTTP"]
        if not url or "HTTP" in block.failed:
            return ""
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - evaluated for its error
        except ValueError as exc:
            self.error(self.source(block, "HTTP"), f"{where}: http: {url}: {exc}",
                       'write e.g. "http://127.0.0.1:8080/health"')
            return ""
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.error(
                self.source(block, "HTTP"),
                f"{where}: http: {_quoted(url)} is not an http:// or https:// URL with a host",
                'write e.g. "http://127.0.0.1:8080/health"',
            )
            return ""
        return url

    def check_address(self, block: StructValue, where: str) -> Address | None:
        text: str = block["TCP"]
        if not text or "TCP" in block.failed:
            return None
        try:
            address = parse_address(text, "tcp")
        except AddressError as exc:
            self.error(self.source(block, "TCP"), f"{where}: tcp: {exc}", exc.hint)
            return None
        if address.port == 0:
            self.error(
                self.source(block, "TCP"),
                f"{where}: tcp: {_quoted(text)} needs a port other than 0",
                'write e.g. "127.0.0.1:5432"',
            )
            return None
        return address

    def exec_check(self, block: StructValue, where: str) -> ExecCheck | None:
        command = block["Exec"]
        if command is None or "Exec" in block.failed:
            return None
        if not command["Command"]:
            if "Command" not in command.failed:
                self.error(
                    self.source(block, "Exec"),
                    f"{where}: exec has no command",
                    'write exec { command = "pg_isready"  args = ["-h", "127.0.0.1"] }',
                )
            return None
        return ExecCheck(command["Command"], tuple(command["Args"] or ()))

    def watch(self, label: str, w: StructValue) -> Watch:
        where = f'{label}: watch "{w["Filename"]}"'
        reason = _glob_error(w["Filename"])
        if reason is not None:
            # A warning, not an error: the original runs such a configuration
            # (the watch just never fires), and so must we.
            self.warning(self.source(w, "Filename"), f"{where}: {reason}; it will never fire",
                         "Go glob syntax: * ? [a-z] [^a] and \\ escapes")
        if not 0 <= w["Signal"] <= MAX_SIGNAL and "Signal" not in w.failed:
            self.warning(
                self.source(w, "Signal"),
                f"{where}: signal {w['Signal']} is not a valid signal number",
                f"use 0 (none) to {MAX_SIGNAL}, e.g. 1 for SIGHUP",
            )
        commands = {}
        for go_name, name in (("PreCommand", "preCommand"), ("PostCommand", "postCommand")):
            command = w[go_name]
            if command is not None and not command["Command"] and "Command" not in command.failed:
                self.warning(
                    self.source(w, go_name),
                    f"{where}: {name} has no command; when the watch fires it fails "
                    "(command is missing)",
                    'add command = "/path/to/program"',
                )
            commands[go_name] = _watch_command(command)
        return Watch(
            w["Filename"],
            w["Signal"],
            w["Restart"],
            commands["PreCommand"],
            commands["PostCommand"],
            self.source(w),
        )

    def listener(self, label: str, item: StructValue) -> Listener:
        where = f'{label}: listen "{item["Address"]}"'
        if item["Protocol"] and not item["Activate"]:  # activated: validate says it is unused
            if item["ForwardProtocol"]:
                self.warning(
                    self.source(item, "Protocol"),
                    f"{where}: field protocol is ignored because it is deprecated and "
                    "forwardProtocol is already set",
                    "remove protocol",
                )
            else:
                self.warning(
                    self.source(item, "Protocol"),
                    f"{where}: field protocol is deprecated in favor of forwardProtocol",
                    "rename it to forwardProtocol",
                )
        listener = Listener(
            item["Address"],
            item["ListenProtocol"],
            item["Forward"],
            item["ForwardProtocol"],
            item["Protocol"],
            self.source(item, "Address"),  # the label: what people look for
        )
        listen = self.address(
            item, "Address", "ListenProtocol", listener.effective_listen_protocol, where
        )
        upstream = None
        activate = bool(item["Activate"])
        if not item["Forward"]:
            if "Forward" not in item.failed and not activate and "Activate" not in item.failed:
                if item["ProxyProtocol"]:
                    self.error(
                        self.source(item, "ProxyProtocol"),
                        f"{where}: proxyProtocol without forward (the PROXY protocol header "
                        "goes to the upstream forward names)",
                        'add forward = "127.0.0.1:8081"',
                    )
                else:
                    self.error(
                        listener.source,
                        f"{where}: forward is missing (where should connections go?)",
                        'add forward = "127.0.0.1:8081", or activate = true to hand the '
                        "listening socket to the job",
                    )
        else:
            protocol_field = "ForwardProtocol" if item["ForwardProtocol"] else "Protocol"
            upstream = self.address(
                item,
                "Forward",
                protocol_field,
                listener.effective_forward_protocol,
                f"{where}: forward",
            )
        return Listener(
            listener.address,
            listener.listen_protocol,
            listener.forward,
            listener.forward_protocol,
            listener.protocol,
            listener.source,
            listen,
            upstream,
            proxy_protocol=self.proxy_protocol(item, where),
            activate=activate,
            name=item["FdName"],
            places=self.places(item, _LISTENER_PLACES),
        )

    def proxy_protocol(self, item: StructValue, where: str) -> int:
        """``proxyProtocol``: 0 when absent, else the version ``"v1"``/``"v2"`` names."""
        text = item["ProxyProtocol"]
        if not text or "ProxyProtocol" in item.failed:
            return 0
        from ..runtime.proxyproto import parse_version

        try:
            return parse_version(text)
        except ValueError as exc:
            self.error(
                self.source(item, "ProxyProtocol"),
                f"{where}: {exc}",
                'write proxyProtocol = "v1" (text) or "v2" (binary), as the upstream '
                "expects it",
            )
            return 0

    def address(
        self, item: StructValue, go_name: str, protocol_field: str, protocol: str, where: str
    ) -> Address | None:
        if go_name in item.failed or protocol_field in item.failed:
            return None
        if protocol not in KNOWN_PROTOCOLS:
            self.error(
                self.source(item, protocol_field),
                f"{where}: unknown protocol {protocol!r}",
                "use one of: " + ", ".join(KNOWN_PROTOCOLS),
            )
            return None
        try:
            return parse_address(item[go_name], protocol)
        except AddressError as exc:
            self.error(self.source(item, go_name), f"{where}: {exc}", exc.hint)
            return None

    def boot_job(self, v: StructValue) -> BootJobConfig:
        fields = self.base_job(v, "boot job")
        timeout = self.duration(
            v, "Timeout", f'boot job "{v["Name"]}": timeout', DEFAULT_BOOT_TIMEOUT
        )
        return BootJobConfig(**fields, timeout=timeout)

    def file_directive(self, v: StructValue) -> FileConfig:
        if not v["Template"] and "Template" not in v.failed:
            self.error(
                self.source(v),
                f"configuration file {v['Target']} has no specified source ('from')",
                'add from = "path/to/template"',
            )
        return FileConfig(
            v["Target"],
            v["Template"],
            v["Parameters"],
            v["Overwrite"],
            self.source(v),
            self.places(v, _FILE_PLACES),
        )

    def host(self, v: StructValue, label: str) -> Host:
        return Host(v["Hostname"], self.port(v, label))

    def probe(self, v: StructValue) -> ProbeConfig:
        label = f'probe "{v["Name"]}"'
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
                self.host(mysql["Host"], f"{label}: mysql"),
                mysql["AllowNativePassword"],
                mysql["Database"],
            ),
            redis=None
            if redis is None
            else RedisProbe(self.host(redis["Host"], f"{label}: redis"), redis["Password"]),
            mongodb=None
            if mongodb is None
            else MongoDBProbe(
                _credentials(mongodb["Credentials"]),
                self.host(mongodb["Host"], f"{label}: mongodb"),
                mongodb["Database"],
                mongodb["ReplicaSetName"],
                mongodb["AuthenticationDatabase"],
                mongodb["AuthenticationMechanism"],
                mongodb["GssapiServiceName"],
                mongodb["URL"],
            ),
            amqp=None
            if amqp is None
            else AmqpProbe(
                _credentials(amqp["Credentials"]),
                self.host(amqp["Host"], f"{label}: amqp"),
                amqp["VirtualHost"],
            ),
            http=None if http is None else self.http(http, f"{label}: http"),
            smtp=None if smtp is None else SmtpProbe(self.host(smtp["Host"], f"{label}: smtp")),
            source=self.source(v),
            places=self.places(v, _PROBE_PLACES),
        )

    def http(self, v: StructValue, label: str) -> HttpProbe:
        timeout: Duration | EnvRef | None = None
        text = v["Timeout"]
        if text.startswith(ENV_PREFIX):
            timeout = EnvRef(text[len(ENV_PREFIX) :])
        elif text:
            timeout = self.optional_duration(v, "Timeout", f"{label}: timeout")
        return HttpProbe(v["Scheme"], self.host(v["Host"], label), v["Path"], timeout)


def build_ignition(
    decoded: list[tuple[str, StructValue]], paths: list[str], problems: list[Problem]
) -> Ignition:
    """The typed configuration of all decoded files, in load order."""
    builder = Builder(problems)
    probes: list[ProbeConfig] = []
    files: list[FileConfig] = []
    jobs: list[JobConfig] = []
    boot_jobs: list[BootJobConfig] = []
    for path, value in decoded:
        builder.file = path
        probes.extend(builder.probe(v) for v in value["Probes"] or ())
        files.extend(builder.file_directive(v) for v in value["Files"] or ())
        jobs.extend(builder.job(v) for v in value["Jobs"] or ())
        boot_jobs.extend(builder.boot_job(v) for v in value["BootJobs"] or ())
    return Ignition(tuple(probes), tuple(files), tuple(jobs), tuple(boot_jobs), tuple(paths))


def _strings(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _watch_command(value: StructValue | None) -> WatchCommand | None:
    if value is None:
        return None
    return WatchCommand(value["Command"], _strings(value["Args"]), _strings(value["Env"]))


def _credentials(value: StructValue) -> Credentials:
    return Credentials(value["User"], value["Password"])


def _quoted(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return '"' + shown + '"'


def _closest(word: str, options: tuple[str, ...], fallback_prefix: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    return fallback_prefix + ", ".join(options)


def _glob_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid Go glob (the original would silently match nothing)."""
    from ..watch.goglob import ErrBadPattern, validate

    try:
        validate(pattern)
    except ErrBadPattern as exc:
        return str(exc)
    return None


_UNITS = {
    "ns": "ns",
    "nanosecond": "ns",
    "us": "us",
    "µs": "us",
    "microsecond": "us",
    "ms": "ms",
    "milli": "ms",
    "millisecond": "ms",
    "s": "s",
    "sec": "s",
    "second": "s",
    "m": "m",
    "min": "m",
    "minute": "m",
    "h": "h",
    "hr": "h",
    "hour": "h",
}
_WORDY = r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+?)s?\s*\Z"


def duration_hint(text: str) -> str:
    """How to write ``text`` as a Go duration, if we can guess what was meant."""
    stripped = text.strip()
    if stripped.isascii() and stripped.replace(".", "", 1).isdigit():
        return f'write "{stripped}s"; a number needs a unit: ns, us, ms, s, m or h'
    import re  # only on this error path: importing re costs an init 3 ms at start-up

    match = re.match(_WORDY, text)
    if match is not None:
        number, unit = match.group(1), match.group(2).lower()
        if unit in ("d", "day"):
            return f'write "{_days(number)}h" (Go durations have no days)'
        if unit in _UNITS:
            return f'write "{number}{_UNITS[unit]}"'
    return "Go duration syntax: 300ms, 5s, 1m30s, 2h (units ns, us, ms, s, m, h)"


def _days(number: str) -> str:
    hours = float(number) * 24
    return str(int(hours)) if hours.is_integer() else str(hours)

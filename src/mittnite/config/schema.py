"""mittnite's configuration schema, in the shape of the original's Go types.

Field names (``go_name``) are the Go field names of the original, the
``hcl_name`` is what users write. Keeping the Go shapes lets the decoder apply
hcl v1's rules exactly (``Host`` and ``Credentials`` are nested blocks, probe
kinds are pointers, jobs embed the base job fields).

``stopSignal`` and ``stopTimeout`` (jobs), ``proxyProtocol``, ``activate`` and ``name``
(``listen`` blocks), a job's ``after``, ``readiness`` and ``liveness`` are our
additions (the original ignores unknown keys, so
configurations using them still load there).
"""

from __future__ import annotations

from .hcl.types import (
    BoolType,
    Field,
    IntType,
    MapType,
    PlacedStringType,
    PtrType,
    SliceType,
    StringType,
    StructType,
)

S = StringType()
I = IntType()  # noqa: E741 - reads like the Go type it stands for
B = BoolType()


def _strings(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n[0].upper() + n[1:], n, S) for n in names)


CREDENTIALS = StructType("Credentials", _strings("user", "password"))
HOST = StructType("Host", _strings("hostname", "port"))

_CREDENTIAL_HINT = (
    "user and password belong in a nested block: credentials { user = ..., password = ... }"
)
_HOST_HINT = "hostname and port belong in a nested block: host { hostname = ..., port = ... }"
_ADDRESS_HINTS = {"hostname": _HOST_HINT, "port": _HOST_HINT}
_LOGIN_HINTS = {"user": _CREDENTIAL_HINT, "password": _CREDENTIAL_HINT, **_ADDRESS_HINTS}

CRED_FIELD = Field("Credentials", "credentials", CREDENTIALS)
HOST_FIELD = Field("Host", "host", HOST)

MYSQL = StructType(
    "MySQL",
    (CRED_FIELD, HOST_FIELD, *_strings("allowNativePassword", "database")),
    {**_LOGIN_HINTS, "url": "the mysql probe has no url: use host { } and credentials { }"},
)
AMQP = StructType(
    "Amqp",
    (CRED_FIELD, HOST_FIELD, Field("VirtualHost", "virtualHost", S)),
    {**_LOGIN_HINTS, "vhost": "did you mean 'virtualHost'?"},
)
MONGODB = StructType(
    "MongoDB",
    (
        CRED_FIELD,
        HOST_FIELD,
        *_strings(
            "database",
            "replicaSetName",
            "authenticationDatabase",
            "authenticationMechanism",
            "gssapiServiceName",
        ),
        Field("URL", "url", S),
    ),
    _LOGIN_HINTS,
)
REDIS = StructType(
    "Redis",
    (HOST_FIELD, Field("Password", "password", S)),
    {
        **_ADDRESS_HINTS,
        "url": "the redis probe has no url: use host { hostname = ..., port = ... }",
    },
)
SMTP = StructType("SMTP", (HOST_FIELD,), _ADDRESS_HINTS)
HTTP = StructType(
    "HttpGet",
    (Field("Scheme", "scheme", S), HOST_FIELD, *_strings("path", "timeout")),
    {**_ADDRESS_HINTS, "url": "the http probe has no url: use scheme, host { } and path"},
)

PROBE = StructType(
    "Probe",
    (
        Field("Name", "", S, is_key=True),
        Field("Wait", "wait", B),
        Field("Filesystem", "filesystem", S),
        Field("MySQL", "mysql", PtrType(MYSQL)),
        Field("Redis", "redis", PtrType(REDIS)),
        Field("MongoDB", "mongodb", PtrType(MONGODB)),
        Field("Amqp", "amqp", PtrType(AMQP)),
        Field("HTTP", "http", PtrType(HTTP)),
        Field("SMTP", "smtp", PtrType(SMTP)),
    ),
)

WATCH_COMMAND = StructType(
    "WatchCommand",
    (
        Field("Command", "command", S),
        Field("Args", "args", SliceType(S)),
        Field("Env", "env", SliceType(S)),
    ),
)

WATCH = StructType(
    "Watch",
    (
        Field("Filename", "", S, is_key=True),
        Field("Signal", "signal", I, hint="write a signal number, e.g. 1 for SIGHUP (0: none)"),
        Field("Restart", "restart", B),
        Field("PreCommand", "preCommand", PtrType(WATCH_COMMAND)),
        Field("PostCommand", "postCommand", PtrType(WATCH_COMMAND)),
    ),
)

LISTENER = StructType(
    "Listener",
    (
        Field("Address", "", S, is_key=True),
        Field("ListenProtocol", "listenProtocol", S),
        Field("Forward", "forward", S),
        Field("ForwardProtocol", "forwardProtocol", S),
        Field("Protocol", "protocol", S),
        # Our additions: a PROXY protocol header towards the upstream, or socket
        # activation (the job accepts on the socket itself) and the descriptor's name.
        Field("ProxyProtocol", "proxyProtocol", S, extension=True, hint='write "v1" or "v2"'),
        Field("Activate", "activate", B, extension=True),
        Field("FdName", "name", S, extension=True),
    ),
)

LAZINESS = StructType(
    "Laziness",
    (Field("SpinUpTimeout", "spinUpTimeout", S), Field("CoolDownTimeout", "coolDownTimeout", S)),
)

_BASE_JOB_FIELDS = (
    Field("Name", "", S, is_key=True),
    Field("Command", "command", S),
    Field("Args", "args", SliceType(S)),
    Field("Env", "env", SliceType(S)),
    Field("CanFail", "canFail", B),
    Field("Controllable", "controllable", B),
    Field("WorkingDirectory", "workingDirectory", S),
    Field("Stdout", "stdout", S),
    Field("Stderr", "stderr", S),
    Field("EnableTimestamps", "enableTimestamps", B),
    Field("TimestampFormat", "timestampFormat", S),
    Field("CustomTimestampFormat", "customTimestampFormat", S),
    # Our additions: how this job is asked to stop, and how long it gets.
    Field("StopSignal", "stopSignal", S, extension=True),
    Field("StopTimeout", "stopTimeout", S, extension=True),
)

_ATTEMPTS_HINT = "write a number of runs, e.g. 3, or -1 to retry forever"

# Ours (issue 17): when is a job ready, is it still alive, and what must run before it.
EXEC_CHECK = StructType(
    "ExecCheck", (Field("Command", "command", S), Field("Args", "args", SliceType(S)))
)
HEALTH_CHECK = StructType(
    "HealthCheck",
    (
        Field("HTTP", "http", S),
        Field("TCP", "tcp", S),
        Field("Exec", "exec", PtrType(EXEC_CHECK)),
        Field("Notify", "notify", B),
        Field("Interval", "interval", S),
        Field("Timeout", "timeout", S),
        Field(
            "Failures",
            "failures",
            PtrType(I),
            hint="write how many failures in a row count, e.g. 3",
        ),
    ),
    {
        "url": 'write http = "http://127.0.0.1:8080/health"',
        "command": 'an exec check is a block: exec { command = "..."  args = [...] }',
        "threshold": "did you mean 'failures'?",
        "period": "did you mean 'interval'?",
    },
)

JOB = StructType(
    "JobConfig",
    (
        *_BASE_JOB_FIELDS,
        Field("Watches", "watch", SliceType(WATCH)),
        Field("MaxAttempts_", "max_attempts", PtrType(I), hint=_ATTEMPTS_HINT),
        Field("MaxAttempts", "maxAttempts", PtrType(I), hint=_ATTEMPTS_HINT),
        Field("OneTime", "oneTime", B),
        Field("Laziness", "lazy", PtrType(LAZINESS)),
        Field("Listeners", "listen", SliceType(LISTENER)),
        Field(
            "After",
            "after",
            SliceType(PlacedStringType()),
            extension=True,
            hint='write a list of job names, e.g. after = ["db", "migrate"]',
        ),
        Field("Readiness", "readiness", PtrType(HEALTH_CHECK), extension=True),
        Field("Liveness", "liveness", PtrType(HEALTH_CHECK), extension=True),
    ),
    {
        "restart": "jobs restart automatically; see maxAttempts and canFail",
        "depends_on": "did you mean 'after'?",
        "dependson": "did you mean 'after'?",
        "requires": "did you mean 'after'?",
    },
)

BOOT_JOB = StructType("BootJobConfig", (*_BASE_JOB_FIELDS, Field("Timeout", "timeout", S)))

FILE = StructType(
    "File",
    (
        Field("Target", "", S, is_key=True),
        Field("Template", "from", S),
        Field("Parameters", "params", MapType()),
        Field("Overwrite", "overwrite", PtrType(B)),
    ),
    {"template": "the template is given with 'from'", "source": "did you mean 'from'?"},
)

IGNITION = StructType(
    "Ignition",
    (
        Field("Probes", "probe", SliceType(PROBE)),
        Field("Files", "file", SliceType(FILE)),
        Field("Jobs", "job", SliceType(JOB)),
        Field("BootJobs", "boot", SliceType(BOOT_JOB)),
    ),
)

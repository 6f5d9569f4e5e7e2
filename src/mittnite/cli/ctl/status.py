"""A job's status as the API reports it, and how ``mittnitectl`` prints it (pure).

The status JSON (spec §13.4) is parsed leniently: a field the server omits
(``pid`` when not running, ``workingDirectory`` when unset) gets its Go zero
value, so that servers older or newer than this client still print.
"""

from __future__ import annotations

from .style import Style

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_MAX_ATTEMPTS = 3
NOT_SET = "<not set>"


class JobStatus:
    """The fields of ``GET /v1/job/{job}/status`` that the client shows or waits on."""

    __slots__ = ("config", "last_change", "name", "pid", "raw", "reason", "running")

    def __init__(self, name: str, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.name = name
        self.pid = int(raw.get("pid") or 0)
        self.running = bool(raw.get("running"))
        phase = raw.get("phase") or {}
        self.reason = str(phase.get("reason") or "")
        self.last_change = str(phase.get("lastChange") or "")
        config = raw.get("config")
        self.config: dict[str, Any] = config if isinstance(config, dict) else {}

    @classmethod
    def from_json(cls, name: str, data: object) -> JobStatus:
        """Validate the decoded JSON body; a wrong shape is a clear error, not a crash."""
        from .errors import CtlError

        if not isinstance(data, dict):
            raise CtlError(f"unexpected status of job {name}: expected a JSON object")
        return cls(name, data)

    @property
    def max_attempts(self) -> int:
        """The effective restart limit: -1 means unlimited (any negative configured value)."""
        value = self.config.get("maxAttempts")
        if value is None:
            value = self.config.get("-")  # deprecated max_attempts, which we honour
        if not isinstance(value, int):
            value = DEFAULT_MAX_ATTEMPTS
        return -1 if value < 0 else value


def _lower_first(key: str) -> str:
    return key[:1].lower() + key[1:]


def _camel_nested(value: Any) -> Any:
    """Go field names (``Filename``, ``PreCommand``) in camelCase, recursively."""
    if isinstance(value, dict):
        return {_lower_first(key): _camel_nested(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel_nested(item) for item in value]
    return value


NESTED_GO_STRUCTS = ("watch", "lazy", "listen")
"""``config`` keys whose values the original marshals with Go field names (no JSON tags)."""


def json_document(raw: dict[str, Any]) -> dict[str, Any]:
    """The status for ``--json``: the API's keys, with one key style throughout.

    The API keeps the original's document byte for byte (its clients parse
    it), where the structs inside ``watch``, ``lazy`` and ``listen`` carry Go
    field names (``Filename``, ``Signal``, ``PreCommand``...). Printed for
    people and scripts, those become camelCase like every other key
    (``filename``, ``signal``, ``preCommand``); every other key, and ``null``
    for lists and blocks that are not configured, is the API's.
    """
    document = dict(raw)
    config = document.get("config")
    if isinstance(config, dict):
        config = dict(config)
        for key in NESTED_GO_STRUCTS:
            if key in config:
                config[key] = _camel_nested(config[key])
        document["config"] = config
    return document


def summary(status: JobStatus) -> dict[str, Any]:
    """One ``job list --json`` entry: the name and the status document's state keys."""
    entry: dict[str, Any] = {"name": status.name, "running": status.running}
    if status.running:
        entry["pid"] = status.pid
    entry["phase"] = {"reason": status.reason, "lastChange": status.last_change}
    return entry


def status_line(status: JobStatus, style: Style) -> str:
    """``▶︎ web (running; reason=started; pid=42)`` and its stopped/not-running forms."""
    name = style.bold(status.name)
    if status.running:
        return style.success(f"▶︎ {name} (running; reason={status.reason}; pid={status.pid})")
    if status.reason == "stopped":
        return style.stopped(f"◼︎ {name} (stopped)")
    text = f"◼︎ {name} (not running; reason={status.reason})"
    return style.stopped(text) if status.reason == "completed" else style.failed(text)


def detail_lines(status: JobStatus, style: Style) -> list[str]:
    """The indented facts ``job status`` prints below the status line."""
    config = status.config
    command = str(config.get("command") or "")
    args = config.get("args")
    if isinstance(args, list) and args:
        command += f" (args: [{' '.join(str(a) for a in args)}])"
    can_fail = "yes" if config.get("canFail") else "no"
    rows = [
        ("command", command),
        ("working directory", str(config.get("workingDirectory") or NOT_SET)),
        ("allowed to fail", f"{can_fail} (max restart attempts: {status.max_attempts})"),
        ("stdout log file", str(config.get("stdout") or NOT_SET)),
        ("stderr log file", str(config.get("stderr") or NOT_SET)),
    ]
    rows.extend(_health_rows(status.raw))
    return [f"  {style.highlight(label + ':')} {value}" for label, value in rows]


def _health_rows(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Readiness, what the job waits for and its ``STATUS=`` text (ours; only when sent).

    The server sends these keys only for jobs that use ``after``, ``readiness``,
    ``liveness`` or notify, so other jobs print exactly as before.
    """
    rows: list[tuple[str, str]] = []
    readiness = raw.get("readiness")
    if isinstance(readiness, dict):
        since = str(readiness.get("since") or "")
        if readiness.get("ready"):
            text = "yes" + (f" (since {since})" if since and not since.startswith("0001") else "")
        else:
            message = str(readiness.get("message") or "")
            text = "no" + (f": {message}" if message else "")
        rows.append(("ready", text))
    waiting = raw.get("waitingFor")
    if isinstance(waiting, list) and waiting:
        rows.append(("waiting for", ", ".join(str(name) for name in waiting)))
    notify = raw.get("notify")
    if isinstance(notify, dict):
        rows.append(("notify state", str(notify.get("state") or "")))
        text = str(notify.get("status") or "")
        rows.append(("status (STATUS=)", text or NOT_SET))
    return rows

"""mittnite's own log lines, in the original's format (logrus), or as JSON lines.

Default (stderr is not a terminal, i.e. in containers) - logfmt, as logrus prints it::

    time="28-11-2026 12:44:34" level=info msg="starting job" job.name=web

On a terminal the original prints coloured ``INFO[28-11-2026 12:44:34] msg  k=v``
lines; ``--log-format=json`` gives one JSON object per line for log shippers,
with an RFC 3339 ``time`` (``2026-12-06T16:53:01Z``, or ``+01:00`` outside UTC).
The level is ``info`` unless ``MITTNITE_LOG_LEVEL=debug``.

Why not :mod:`logging`: the format must match logrus byte for byte (field
ordering, quoting rules, day-first timestamps), and an init should not pay for
handler machinery it does not use. Every line is written with a single
``write`` call so concurrent writers never interleave partial lines.

Secrets registered with :meth:`Logger.add_secret` are masked in every line,
whatever code path tries to print them.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO, Any

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "fatal": 50}
_TTY_NAMES = {"debug": "DEBU", "info": "INFO", "warning": "WARN", "error": "ERRO", "fatal": "FATA"}
_TTY_COLOURS = {"debug": 37, "info": 36, "warning": 33, "error": 31, "fatal": 31}
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/@^+")
MASK = "******"


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote``: double quotes, Go escapes, printable Unicode kept."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\v":
            out.append("\\v")
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x80 or ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def format_value(value: Any) -> str:
    """A field value as logrus' text formatter writes it."""
    if value is None:
        text = "<nil>"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, BaseException):
        text = str(value)
    else:
        text = str(value)
    if text and all(ch in _SAFE for ch in text):
        return text
    if not text:
        return ""
    return go_quote(text)


def _timestamp(now: float) -> str:
    return time.strftime("%d-%m-%Y %H:%M:%S", time.localtime(now))


def rfc3339(now: float) -> str:
    """Local time in RFC 3339, as log pipelines parse it: ``Z`` for UTC, else ``+01:00``."""
    moment = time.localtime(now)
    offset = moment.tm_gmtoff or 0
    if offset == 0:
        zone = "Z"
    else:
        sign = "+" if offset > 0 else "-"
        hours, minutes = divmod(abs(offset) // 60, 60)
        zone = f"{sign}{hours:02d}:{minutes:02d}"
    return time.strftime("%Y-%m-%dT%H:%M:%S", moment) + zone


class Logger:
    """A small structured logger writing complete lines to one stream."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        *,
        level: str | None = None,
        fmt: str = "auto",
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if level is None:
            level = "debug" if os.environ.get("MITTNITE_LOG_LEVEL") == "debug" else "info"
        self.threshold = LEVELS[level]
        if fmt == "auto":
            isatty = getattr(self.stream, "isatty", None)
            fmt = "tty" if isatty is not None and isatty() else "text"
        self.fmt = fmt
        self._secrets: list[str] = []
        self.fields: dict[str, Any] = {}

    def add_secret(self, secret: str) -> None:
        """Mask ``secret`` wherever it would appear in a log line."""
        if secret and secret not in self._secrets:
            self._secrets.append(secret)
            self._secrets.sort(key=len, reverse=True)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The registered secrets (the control API masks them in its answers too)."""
        return tuple(self._secrets)

    def with_fields(self, **fields: Any) -> BoundLogger:
        return BoundLogger(self, fields)

    def enabled(self, level: str) -> bool:
        return LEVELS[level] >= self.threshold

    def log(self, level: str, msg: str, fields: Mapping[str, Any] | None = None) -> None:
        if LEVELS[level] < self.threshold:
            return
        merged = dict(self.fields)
        if fields:
            merged.update(fields)
        line = self.render(level, msg, merged, time.time())
        try:
            self.stream.write(line)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken log stream must never take the init down

    def render(self, level: str, msg: str, fields: Mapping[str, Any], now: float) -> str:
        """The complete line (with newline) for one entry."""
        if self.fmt == "json":
            line = self._render_json(level, msg, fields, now)
        elif self.fmt == "tty":
            line = self._render_tty(level, msg, fields, now)
        else:
            parts = [f"time={format_value(_timestamp(now))}", f"level={level}"]
            parts.append(f"msg={format_value(msg)}")
            parts.extend(f"{k}={format_value(fields[k])}" for k in sorted(fields))
            line = " ".join(parts) + "\n"
        return self._mask(line)

    def _render_tty(self, level: str, msg: str, fields: Mapping[str, Any], now: float) -> str:
        colour = _TTY_COLOURS[level]
        head = f"\x1b[{colour}m{_TTY_NAMES[level]}\x1b[0m[{_timestamp(now)}] {msg:<44} "
        tail = "".join(
            f" \x1b[{colour}m{k}\x1b[0m={format_value(fields[k])}" for k in sorted(fields)
        )
        return head + tail + "\n"

    def _render_json(self, level: str, msg: str, fields: Mapping[str, Any], now: float) -> str:
        import json

        data: dict[str, Any] = {}
        for key, value in fields.items():
            if isinstance(value, BaseException) or not isinstance(
                value, str | int | float | bool | type(None)
            ):
                value = str(value)
            data[key] = value
        data["level"] = level
        data["msg"] = msg
        data["time"] = rfc3339(now)
        return json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n"

    def _mask(self, line: str) -> str:
        for secret in self._secrets:
            if secret in line:
                line = line.replace(secret, MASK)
        return line

    # Convenience methods, named as logrus' levels.
    def debug(self, msg: str, **fields: Any) -> None:
        self.log("debug", msg, fields)

    def info(self, msg: str, **fields: Any) -> None:
        self.log("info", msg, fields)

    def warning(self, msg: str, **fields: Any) -> None:
        self.log("warning", msg, fields)

    def error(self, msg: str, **fields: Any) -> None:
        self.log("error", msg, fields)

    def fatal(self, msg: str, **fields: Any) -> None:
        """Log at fatal level; the caller decides how to stop (we never exit here)."""
        self.log("fatal", msg, fields)


class BoundLogger:
    """A logger with fixed fields (``job.name=...``), like logrus' ``WithFields``."""

    def __init__(self, parent: Logger, fields: Mapping[str, Any]) -> None:
        self.parent = parent
        self.fields = dict(fields)

    def with_fields(self, **fields: Any) -> BoundLogger:
        return BoundLogger(self.parent, {**self.fields, **fields})

    def log(self, level: str, msg: str, fields: Mapping[str, Any] | None = None) -> None:
        merged = dict(self.fields)
        if fields:
            merged.update(fields)
        self.parent.log(level, msg, merged)

    def debug(self, msg: str, **fields: Any) -> None:
        self.log("debug", msg, fields)

    def info(self, msg: str, **fields: Any) -> None:
        self.log("info", msg, fields)

    def warning(self, msg: str, **fields: Any) -> None:
        self.log("warning", msg, fields)

    def error(self, msg: str, **fields: Any) -> None:
        self.log("error", msg, fields)

    def fatal(self, msg: str, **fields: Any) -> None:
        self.log("fatal", msg, fields)


_default: Logger | None = None


def get_logger() -> Logger:
    """The process-wide logger (created on first use, writing to stderr)."""
    global _default
    if _default is None:
        _default = Logger()
    return _default


def set_logger(logger: Logger) -> None:
    global _default
    _default = logger

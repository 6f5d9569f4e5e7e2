"""mittnite's own log lines: logrus' text format, the terminal form and JSON lines."""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Iterator

import pytest

from mittnite.logs.logger import Logger, format_value, rfc3339

MOMENT = 1796574781.25  # 2026-12-06 16:33:01.25 UTC


@pytest.fixture
def zone() -> Iterator[object]:
    """Switch the process time zone for a test (time.tzset), restoring it afterwards."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_text_line_is_logrus_logfmt(zone: object) -> None:
    zone("UTC")  # type: ignore[operator]
    logger = Logger(io.StringIO(), fmt="text")
    line = logger.render("info", "starting job", {"job.name": "web", "a": "x y"}, MOMENT)
    assert line == 'time="06-12-2026 16:33:01" level=info msg="starting job" a="x y" job.name=web\n'


def test_values_are_quoted_as_logrus_quotes_them() -> None:
    assert format_value("plain-._/@^+1") == "plain-._/@^+1"
    assert format_value("") == ""
    assert format_value(None) == '"<nil>"'
    assert format_value('say "hi"\n') == '"say \\"hi\\"\\n"'
    assert format_value(True) == "true"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UTC", "2026-12-06T16:33:01Z"),
        ("Europe/Berlin", "2026-12-06T17:33:01+01:00"),
        ("America/St_Johns", "2026-12-06T13:03:01-03:30"),
    ],
)
def test_json_time_is_rfc3339(zone: object, name: str, expected: str) -> None:
    zone(name)  # type: ignore[operator]
    assert rfc3339(MOMENT) == expected
    line = Logger(io.StringIO(), fmt="json").render("warning", "not ready yet", {"n": 1}, MOMENT)
    document = json.loads(line)
    assert document == {"level": "warning", "msg": "not ready yet", "n": 1, "time": expected}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", document["time"])


def test_secrets_are_masked_in_every_format() -> None:
    for fmt in ("text", "json", "tty"):
        stream = io.StringIO()
        logger = Logger(stream, fmt=fmt, level="info")
        logger.add_secret("hunter2")
        logger.info("password hunter2 leaked", err="auth hunter2")
        assert "hunter2" not in stream.getvalue()
        assert "******" in stream.getvalue()


def test_debug_lines_only_with_debug_level() -> None:
    stream = io.StringIO()
    Logger(stream, fmt="text", level="info").debug("hidden")
    assert stream.getvalue() == ""
    Logger(stream, fmt="text", level="debug").debug("shown")
    assert 'msg=shown' in stream.getvalue()

"""Go-compatible formats: durations and the /status JSON encoding."""

from __future__ import annotations

import pytest

from mittnite.probes.duration import parse_duration, parse_duration_ns
from mittnite.probes.http import escape_path
from mittnite.probes.server import clean_path
from mittnite.probes.status import go_json, status_body


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("0", 0),
        ("-0", 0),
        ("5s", 5_000_000_000),
        ("300ms", 300_000_000),
        ("1.5h", 5_400_000_000_000),
        ("2h45m", 9_900_000_000_000),
        ("1m30.5s", 90_500_000_000),
        ("-1.5s", -1_500_000_000),
        ("+10us", 10_000),
        ("10µs", 10_000),
        ("10μs", 10_000),
        ("7ns", 7),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
    ],
)
def test_go_durations(text: str, nanoseconds: int) -> None:
    assert parse_duration_ns(text) == nanoseconds
    assert parse_duration(text) == nanoseconds / 1e9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("5", 'time: missing unit in duration "5"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("1.5.s", 'time: missing unit in duration "1.5.s"'),
        ("s", 'time: invalid duration "s"'),
        (".s", 'time: invalid duration ".s"'),
        ("-", 'time: invalid duration "-"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("9999999999h", 'time: invalid duration "9999999999h"'),
    ],
)
def test_go_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


def test_status_body_is_what_go_encodes() -> None:
    body = status_body(
        {
            "web": None,
            "db": "mysql: access denied for user 'foo'",
            "html": '<b> & </b>\u2028\n\t"quoted"',
            "ümlaut": "",
        }
    )
    assert body == (
        b'{"probes":{"db":{"message":"mysql: access denied for user \'foo\'","ok":false},'
        b'"html":{"message":"\\u003cb\\u003e \\u0026 \\u003c/b\\u003e\\u2028\\n\\t\\"quoted\\"",'
        b'"ok":false},"web":{"ok":true},"\xc3\xbcmlaut":{"ok":false}}}\n'
    )
    assert status_body({}) == b'{"probes":{}}\n'


def test_json_replaces_invalid_utf8_like_go() -> None:
    assert go_json({"m": "bad \udcff byte"}) == '{"m":"bad \ufffd byte"}'


def test_clean_path_like_go() -> None:
    assert clean_path("/status") == "/status"
    assert clean_path("//status") == "/status"
    assert clean_path("/a/../status") == "/status"
    assert clean_path("/./status/") == "/status/"
    assert clean_path("/..") == "/"


def test_http_path_escaping_like_go_url() -> None:
    assert escape_path("status") == "/status"
    assert escape_path("") == ""
    assert escape_path("/a b/ü?x=1&y") == "/a%20b/%C3%BC%3Fx=1&y"

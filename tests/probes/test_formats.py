"""Go-compatible formats of the probes: URL paths and the /status JSON encoding.

Durations are Go's ``time.ParseDuration`` from :mod:`mittnite.golang.gotime`,
tested there against Go.
"""

from __future__ import annotations

from mittnite.gojson import encode
from mittnite.probes.http import escape_path
from mittnite.probes.server import clean_path
from mittnite.probes.status import status_body


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
        b'{"probes":{"db":{"ok":false,"message":"mysql: access denied for user \'foo\'"},'
        b'"html":{"ok":false,"message":"\\u003cb\\u003e \\u0026 \\u003c/b\\u003e\\u2028\\n\\t'
        b'\\"quoted\\""},"web":{"ok":true},"\xc3\xbcmlaut":{"ok":false}}}\n'
    )
    assert status_body({}) == b'{"probes":{}}\n'


def test_json_replaces_invalid_utf8_like_go() -> None:
    assert encode({"m": "bad \udcff byte"}, sort_keys=True) == '{"m":"bad \ufffd byte"}'


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

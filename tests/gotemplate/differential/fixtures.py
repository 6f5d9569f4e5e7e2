"""The data every differential case renders against: params (HCL bodies) and environment.

The params mix realistic configuration values with the spellings where Go's conversions are
subtle (decimal strings such as ``"3.7"``, ``" 5"``, ``"0x1F"``, ``"1_000"``, huge and negative
numbers, HCL object lists). Cases refer to a params body by its index here, so the recorded
vectors stay small; changing these bodies means regenerating the vectors.
"""

from __future__ import annotations

RICH_PARAMS = r"""
name = "web-app"
title = "hello wide World"
port = 8080
replicas = 3
ratio = 0.75
neg = -7
big = 9007199254740993
huge = 1e300
tiny = 1e-9
zero = 0
enabled = true
disabled = false
empty = ""
spaced = "  padded value  "
decimal = "3.7"
half = "2.5"
sci = "1e3"
lead = " 5"
hex = "0x1F"
under = "1_000"
octal = "017"
negstr = "-42"
numstr = "42"
floatstr = "-0.5"
unicode = "héllo wörld ß ǅ"
caps = "HELLO_WORLD"
mixed = "fooBarBaz"
csv = "a,b,,c"
path = "/var/lib/app/data.db"
url = "https://user:pw@example.com:8443/a/b?x=1&y=2#frag"
version = "1.2.3-beta.1+build.5"
date = "2021-03-04T05:06:07Z"
duration = "1h30m"
json = "{\"a\": 1, \"b\": [1, 2.5, {\"c\": null}], \"d\": \"x\"}"
html = "<a href=\"x\">&amp;</a>"
multiline = "line1\nline2\n\nline4"
tags = ["web", "prod", "eu", "web"]
ports = [80, 443, 8080]
floats = [1.5, -2.25, 3]
mixedlist = ["a", 1, 2.5, true, ""]
emptylist = []
nested = { inner = "x", deep = { k = "v" }, n = 2 }
servers = [{ name = "a", host = "10.0.0.1", port = 80 }, { name = "b", host = "10.0.0.2", port = 81 }]
"""

SMALL_PARAMS = r"""
domain = "example.org"
port = 443
workers = 4
debug = false
upstreams = ["10.0.0.1:80", "10.0.0.2:80"]
features = { gzip = true, http2 = false }
db { host = "db", port = 5432, user = "app" }
"""

PARAMS: list[str | None] = [RICH_PARAMS, SMALL_PARAMS, None]
"""Params bodies by index; ``None`` renders without params (``.Params`` is a nil map)."""

ENV: dict[str, str] = {
    "HOME": "/root",
    "USER": "app",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "PORT": "8080",
    "EMPTY": "",
    "TZ": "UTC",
    "LANG": "C.UTF-8",
    "WEIRD": "a=b=c",
    "UNICODE": "ünïcødé",
    "DECIMAL": "3.7",
    "LIST": "a b  c",
}
"""The whole process environment of every case (``.Env`` and ``expandenv`` see exactly it)."""

TEMPLATE_NAMES = ["t", "/etc/app/config.yaml", "a%b.conf"]
"""Template names by index (errors quote them; ``%`` checks that they are not formats)."""

"""The http probe against a real (stdlib) HTTP server."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import pytest

from mittnite.config.model import Duration, Host, HttpProbe, ProbeConfig

from .conftest import LogCapture, free_port, make_probe, ready_after, run
from .fake_servers import HttpTarget


@pytest.fixture
def web() -> Iterator[HttpTarget]:
    target = HttpTarget().start()
    yield target
    target.stop()


def http_probe(port: int, path: str, timeout: str = "") -> ProbeConfig:
    return ProbeConfig(
        "web",
        wait=True,
        http=HttpProbe("", Host("127.0.0.1", port), path, Duration.parse(timeout) if timeout else None),
    )


def check(port: int, path: str, logs: LogCapture, timeout: str = "") -> str | None:
    return run(make_probe(http_probe(port, path, timeout), logs).result())


def test_success_codes(web: HttpTarget, logs: LogCapture) -> None:
    assert check(web.port, "/ok", logs) is None
    assert check(web.port, "created", logs) is None  # leading slash added
    assert check(web.port, "/not-modified", logs) is None  # 3xx without redirect: < 400
    assert [path for path, _ in web.requests] == ["/ok", "/created", "/not-modified"]
    headers = web.requests[0][1]
    assert headers["Host"] == f"127.0.0.1:{web.port}"
    assert headers["User-Agent"] == "Go-http-client/1.1"
    assert logs.matching(f'host="http://127.0.0.1:{web.port}/ok" kind=probe name=http status=alive')


def test_redirects_are_followed(web: HttpTarget, logs: LogCapture) -> None:
    assert check(web.port, "/redirect", logs) is None
    assert check(web.port, "/redirect-relative/deeper", logs) is None
    assert [path for path, _ in web.requests] == [
        "/redirect",
        "/ok",
        "/redirect-relative/deeper",
        "/ok",
    ]


def test_at_most_ten_redirects(web: HttpTarget, logs: LogCapture) -> None:
    assert check(web.port, "/hop/41", logs) is None  # 41 -> ... -> 50 -> /ok: 10 redirects
    web.requests.clear()
    url = f"http://127.0.0.1:{web.port}/hop/1"
    assert check(web.port, "/hop/1", logs) == f"http: GET {url}: stopped after 10 redirects"
    assert len(web.requests) == 11


def test_server_errors(web: HttpTarget, logs: LogCapture) -> None:
    base = f"http://127.0.0.1:{web.port}"
    assert check(web.port, "/fail", logs) == f"http: GET {base}/fail returned 503"
    assert check(web.port, "/missing", logs) == f"http: GET {base}/missing returned 404"
    assert check(web.port, "/redirect-to-fail", logs) == (
        f"http: GET {base}/redirect-to-fail returned 503 (redirected to {base}/fail)"
    )


def test_timeout(web: HttpTarget, logs: LogCapture) -> None:
    started = time.monotonic()
    error = check(web.port, "/slow", logs, timeout="300ms")
    assert error == f"http: GET http://127.0.0.1:{web.port}/slow: no response within 300ms"
    assert time.monotonic() - started < 1.0


def test_silent_server_times_out_too(logs: LogCapture) -> None:
    """A server that accepts and never answers cannot hang the probe."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        error = check(port, "/x", logs, timeout="200ms")
    assert error == f"http: GET http://127.0.0.1:{port}/x: no response within 200ms"


def test_connection_refused(logs: LogCapture) -> None:
    port = free_port()
    assert check(port, "/", logs) == f"http: connection refused at 127.0.0.1:{port}"


def test_unsupported_scheme(logs: LogCapture) -> None:
    config = ProbeConfig("web", http=HttpProbe("ftp", Host("127.0.0.1", 21)))
    assert run(make_probe(config, logs).result()) == (
        "http: GET ftp://127.0.0.1:21: unsupported protocol scheme 'ftp'"
    )


def test_https_to_a_plain_server_fails_clearly(web: HttpTarget, logs: LogCapture) -> None:
    config = ProbeConfig("web", http=HttpProbe("https", Host("127.0.0.1", web.port), "/ok"))
    error = run(make_probe(config, logs).result())
    assert error is not None
    assert error.startswith(f"http: TLS handshake with 127.0.0.1:{web.port} failed: ")


def test_server_coming_up_after_the_wait_started(logs: LogCapture) -> None:
    port = free_port()
    probe = make_probe(http_probe(port, "/ok"), logs)
    started: list[HttpTarget] = []

    async def scenario() -> float:
        async def bring_up() -> None:
            started.append(await asyncio.to_thread(lambda: HttpTarget(port).start()))

        return await ready_after(probe, bring_up, logs)

    try:
        assert run(scenario()) < 1.0
    finally:
        for target in started:
            target.stop()

"""The probe status server over real sockets: exact bytes, keep-alive, concurrency, stop."""

from __future__ import annotations

import asyncio
import errno
import http.client
import re
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mittnite.config.model import Host, HttpProbe, ProbeConfig
from mittnite.probes import ListenError, ProbeServer, build_probes

from .conftest import LogCapture, run
from .fake_servers import HttpTarget

DATE = re.compile(rb"Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n")


def get(path: str, method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()


def serve(
    probes: dict[str, Any],
    scenario: Callable[[ProbeServer], Awaitable[Any]],
    logs: LogCapture,
    **options: Any,
) -> Any:
    async def main() -> Any:
        server = ProbeServer(probes, port=0, host="127.0.0.1", logger=logs.logger, **options)
        await server.start()
        try:
            return await scenario(server)
        finally:
            await server.stop()

    return run(main())


async def fetch(server: ProbeServer, request: bytes) -> bytes:
    """Like :func:`raw_request`, on the event loop (many at once need no threads)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(request)
    answer = await asyncio.wait_for(reader.read(-1), 10)
    writer.close()
    return DATE.sub(b"Date: <date>\r\n", answer)


@pytest.fixture
def web() -> Iterator[HttpTarget]:
    target = HttpTarget().start()
    yield target
    target.stop()


def web_probes(web: HttpTarget, logs: LogCapture, **paths: str) -> dict[str, Any]:
    return build_probes(
        [
            ProbeConfig(name, http=HttpProbe("", Host("127.0.0.1", web.port), path))
            for name, path in paths.items()
        ],
        environ={},
        logger=logs.logger,
    )


def test_status_without_probes(logs: LogCapture) -> None:
    async def scenario(server: ProbeServer) -> bytes:
        return await fetch(server, get("/status"))

    assert serve({}, scenario, logs) == (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: <date>\r\n"
        b'Content-Length: 14\r\nConnection: close\r\n\r\n{"probes":{}}\n'
    )
    assert re.search(r'level=info msg="probeServer listens on port \d+"$', logs.lines[0])


def test_status_reports_every_probe_any_method(
    web: HttpTarget, tmp_path: Path, logs: LogCapture
) -> None:
    probes = web_probes(web, logs, up="/ok", down="/fail")
    body = (
        b'{"probes":{"down":{"ok":false,"message":"http service '
        b"'http://127.0.0.1:%d/fail' returned status code 503\"},"
        b'"up":{"ok":true}}}\n' % web.port
    )

    async def scenario(server: ProbeServer) -> list[bytes]:
        return [await fetch(server, get("/status", method)) for method in ("GET", "POST")]

    for answer in serve(probes, scenario, logs):
        assert answer == (
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            b"Date: <date>\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
        )


def test_all_ok_is_200_and_head_has_no_body(web: HttpTarget, logs: LogCapture) -> None:
    probes = web_probes(web, logs, up="/ok")

    async def scenario(server: ProbeServer) -> list[bytes]:
        return [await fetch(server, get("/status")), await fetch(server, get("/status", "HEAD"))]

    full, head = serve(probes, scenario, logs)
    assert full.startswith(b"HTTP/1.1 200 OK\r\n")
    assert full.endswith(b'\r\n\r\n{"probes":{"up":{"ok":true}}}\n')
    assert head == (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: <date>\r\n"
        b"Content-Length: 30\r\nConnection: close\r\n\r\n"
    )


def test_not_found_and_path_cleaning(logs: LogCapture) -> None:
    async def scenario(server: ProbeServer) -> list[bytes]:
        return [
            await fetch(server, get("/")),
            await fetch(server, get("/status/")),
            await fetch(server, get("//status?x=1")),
        ]

    not_found, trailing, unclean = serve({}, scenario, logs)
    expected_404 = (
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"X-Content-Type-Options: nosniff\r\nDate: <date>\r\nContent-Length: 19\r\n"
        b"Connection: close\r\n\r\n404 page not found\n"
    )
    assert not_found == expected_404
    assert trailing == expected_404
    assert unclean == (
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: /status?x=1\r\nDate: <date>\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
    )


def test_healthz_and_readyz(logs: LogCapture) -> None:
    missing: list[str] = ["probe db: mysql: access denied for user 'foo'", "job web is not running"]

    async def scenario(server: ProbeServer) -> list[bytes]:
        answers = [await fetch(server, get("/healthz")), await fetch(server, get("/readyz"))]
        missing.clear()
        answers.append(await fetch(server, get("/readyz")))
        return answers

    health, not_ready, ready = serve({}, scenario, logs, readiness=lambda: missing)
    assert health == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: <date>\r\n"
        b"Content-Length: 3\r\nConnection: close\r\n\r\nok\n"
    )
    body = (
        b'{"missing":["probe db: mysql: access denied for user \'foo\'","job web is not running"],'
        b'"ready":false}\n'
    )
    assert not_ready == (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nDate: <date>\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
    )
    assert ready.endswith(b'\r\n\r\n{"missing":[],"ready":true}\n')
    assert ready.startswith(b"HTTP/1.1 200 OK\r\n")


def test_slow_probes_time_out_on_every_request(web: HttpTarget, logs: LogCapture) -> None:
    """The original's timer bounded only the first request; here every one is bounded."""
    with socket.socket() as silent:  # accepts, never answers: the attempt runs for 5 s
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        probes = build_probes(
            [
                ProbeConfig("quick", http=HttpProbe("", Host("127.0.0.1", web.port), "/ok")),
                ProbeConfig(
                    "slow", http=HttpProbe("", Host("127.0.0.1", silent.getsockname()[1]))
                ),
            ],
            environ={},
            logger=logs.logger,
        )

        async def scenario(server: ProbeServer) -> list[tuple[float, bytes]]:
            results = []
            for _ in range(2):
                started = time.monotonic()
                answer = await fetch(server, get("/status"))
                results.append((time.monotonic() - started, answer))
            return results

        answers = serve(probes, scenario, logs)
    for elapsed, answer in answers:
        assert 0.9 < elapsed < 1.4
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        assert answer.endswith(
            b'{"probes":{"quick":{"ok":true},"slow":{"ok":false,"message":"timed out"}}}\n'
        )
    assert len(logs.matching('level=error msg="timed out" kind=probe probes=slow')) == 2


def test_keep_alive_and_concurrent_requests(web: HttpTarget, logs: LogCapture) -> None:
    probes = web_probes(web, logs, slow="/slow")

    def keep_alive(port: int) -> list[int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        statuses = []
        for path in ("/healthz", "/nope", "/healthz"):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        sock_before = connection.sock
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        assert connection.sock is sock_before  # one connection throughout
        connection.close()
        return statuses

    async def scenario(server: ProbeServer) -> tuple[list[int], float]:
        statuses = await asyncio.to_thread(keep_alive, server.port)
        started = time.monotonic()
        answers = await asyncio.gather(*(fetch(server, get("/status")) for _ in range(8)))
        assert all(a.startswith(b"HTTP/1.1 503") for a in answers)
        return statuses, time.monotonic() - started

    statuses, elapsed = serve(probes, scenario, logs)
    assert statuses == [200, 404, 200]
    assert elapsed < 2.0  # eight 1 s-bounded requests in parallel, not in a row
    assert len([p for p, _ in web.requests if p == "/slow"]) <= 2  # attempts are shared


def test_slow_client_does_not_block_others(logs: LogCapture) -> None:
    async def scenario(server: ProbeServer) -> tuple[bytes, float]:
        _, dribbler = await asyncio.open_connection("127.0.0.1", server.port)
        dribbler.write(b"GET /status HTTP/1.1\r\nHo")  # and then nothing
        await dribbler.drain()
        started = time.monotonic()
        answer = await fetch(server, get("/healthz"))
        dribbler.close()
        return answer, time.monotonic() - started

    answer, elapsed = serve({}, scenario, logs)
    assert answer.endswith(b"\r\n\r\nok\n")
    assert elapsed < 0.5


def test_bad_request(logs: LogCapture) -> None:
    async def scenario(server: ProbeServer) -> bytes:
        return await fetch(server, b"NONSENSE\r\n\r\n")

    assert serve({}, scenario, logs) == (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Connection: close\r\nContent-Length: 15\r\n\r\n400 Bad Request"
    )


def test_stop_closes_listener_and_idle_connections(logs: LogCapture) -> None:
    async def main() -> None:
        server = ProbeServer({}, port=0, host="127.0.0.1", logger=logs.logger)
        await server.start()
        port = server.port
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(get("/healthz").replace(b"Connection: close\r\n", b""))
        await reader.readuntil(b"ok\n")
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 0.5
        assert await asyncio.wait_for(reader.read(), 1) == b""  # closed by the server
        writer.close()
        try:
            await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            assert error.errno == errno.ECONNREFUSED
        else:
            raise AssertionError("the listener must be closed")

    run(main())


def test_bind_error_is_raised_with_gos_words(logs: LogCapture) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]

        async def main() -> None:
            server = ProbeServer({}, port=port, logger=logs.logger)
            with pytest.raises(ListenError) as caught:
                await server.start()
            assert str(caught.value) == f"listen tcp :{port}: bind: address already in use"
            assert caught.value.errno == errno.EADDRINUSE
            assert server.addresses == []

        run(main())
    assert not logs.matching("listens on port")


def test_all_interfaces_ipv4_and_ipv6(logs: LogCapture) -> None:
    async def main() -> list[tuple[str, int]]:
        server = ProbeServer({}, port=0, logger=logs.logger)
        await server.start()
        try:
            addresses = server.addresses
            answer = await fetch(server, get("/healthz"))
            assert answer.endswith(b"ok\n")
            if socket.has_ipv6 and any(host == "::" for host, _ in addresses):
                with socket.create_connection(("::1", server.port), timeout=2):
                    pass
            return addresses
        finally:
            await server.stop()

    addresses = run(main())
    assert addresses[0][0] == "0.0.0.0"
    assert len({port for _, port in addresses}) == 1


def test_metrics_are_served_with_the_openmetrics_content_type(logs: LogCapture) -> None:
    from mittnite.metrics.mittnite import MittniteMetrics

    metrics = MittniteMetrics(jobs=["web"], process=False)
    metrics.job_started("web")

    async def scenario(server: ProbeServer) -> list[bytes]:
        return [await fetch(server, get("/metrics")), await fetch(server, get("/metrics", "HEAD"))]

    answer, head = serve({}, scenario, logs, metrics=metrics.render)
    header, _, body = answer.partition(b"\r\n\r\n")
    assert header.startswith(
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"
    )
    assert body == metrics.render() and body.endswith(b"# EOF\n")
    assert b'mittnite_job_starts_total{job="web"} 1\n' in body
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and head.endswith(b"\r\n\r\n")
    without = serve({}, lambda server: fetch(server, get("/metrics")), logs)
    assert without.startswith(b"HTTP/1.1 404 Not Found\r\n")

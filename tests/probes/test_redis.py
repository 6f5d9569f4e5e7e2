"""The redis probe against throw-away redis-server instances."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from mittnite.config.model import Host, ProbeConfig, RedisProbe
from mittnite.probes import ProbeError

from .conftest import LogCapture, RedisServer, free_port, make_probe, ready_after, require_port, run
from .fake_servers import HttpTarget, SmtpResponder


def redis_probe(port: int, password: str = "", host: str = "127.0.0.1") -> ProbeConfig:
    return ProbeConfig("cache", wait=True, redis=RedisProbe(Host(host, port), password))


def test_ping_without_password(redis_factory: Callable[..., RedisServer], logs: LogCapture) -> None:
    server = redis_factory()
    server.start_and_wait()
    probe = make_probe(redis_probe(server.port), logs)
    assert run(probe.result()) is None
    assert probe.state.ok is True
    assert logs.matching(
        f'level=debug msg= host="127.0.0.1:{server.port}" kind=probe name=redis status=alive'
    )


def test_password_right_wrong_and_missing(
    redis_factory: Callable[..., RedisServer], logs: LogCapture
) -> None:
    server = redis_factory(password="correct horse")
    server.start_and_wait()
    target = f"127.0.0.1:{server.port}"

    async def results() -> list[str | None]:
        return [
            await make_probe(redis_probe(server.port, "correct horse"), logs).result(),
            await make_probe(redis_probe(server.port, "battery staple"), logs).result(),
            await make_probe(redis_probe(server.port), logs).result(),
        ]

    assert run(results()) == [
        None,
        f"redis: wrong password for {target}",
        f"redis: the server at {target} requires a password",
    ]


def test_password_given_but_server_has_none(
    redis_factory: Callable[..., RedisServer], logs: LogCapture
) -> None:
    server = redis_factory()
    server.start_and_wait()
    error = run(make_probe(redis_probe(server.port, "unneeded-pw"), logs).result())
    assert error == (
        f"redis: a password is configured, but the server at 127.0.0.1:{server.port} has none "
        "(remove the password from the probe)"
    )


def test_connection_refused_is_marked_unreachable(logs: LogCapture) -> None:
    port = free_port()
    probe = make_probe(redis_probe(port), logs)

    async def attempt() -> ProbeError:
        try:
            await probe.check()
        except ProbeError as error:
            return error
        raise AssertionError("the probe must fail")

    error = run(attempt())
    assert str(error) == f"redis: connection refused at 127.0.0.1:{port}"
    assert error.unreachable is True
    assert probe.state.ok is False and probe.state.error == str(error)


def test_something_else_on_the_port(logs: LogCapture) -> None:
    async def scenario() -> tuple[int, str | None]:
        mail = SmtpResponder()
        port = await mail.start()
        try:
            return port, await make_probe(redis_probe(port), logs).result()
        finally:
            await mail.stop()

    port, error = run(scenario())
    assert error == (
        f"redis: 127.0.0.1:{port} answered PING with '220 test ESMTP ready'; is it a Redis server?"
    )


def test_server_closing_without_answer(logs: LogCapture) -> None:
    web = HttpTarget().start()
    try:
        error = run(make_probe(redis_probe(web.port), logs).result())
    finally:
        web.stop()
    assert error == f"redis: 127.0.0.1:{web.port} closed the connection without answering"


def test_empty_hostname_means_this_machine(logs: LogCapture) -> None:
    require_port("Redis", 6379)
    probe = make_probe(ProbeConfig("local", redis=RedisProbe()), logs)
    assert probe.target == "localhost:6379"
    assert run(probe.result()) is None


def test_server_coming_up_after_the_wait_started(
    redis_factory: Callable[..., RedisServer], logs: LogCapture
) -> None:
    server = redis_factory(password="pw-later")
    probe = make_probe(redis_probe(server.port, "pw-later"), logs)

    async def scenario() -> float:
        async def bring_up() -> None:
            server.start()

        return await ready_after(probe, bring_up, logs)

    elapsed = run(scenario())
    assert elapsed < 1.0  # noticed through the refused-port watch, not the next 1 s retry
    warnings = logs.matching("level=warning")
    assert warnings[0].endswith(
        f'err="dial tcp 127.0.0.1:{server.port}: connect: connection refused" kind=probe '
        f'name=cache reason="redis: connection refused at 127.0.0.1:{server.port}"'
    )
    assert len(warnings) == 1  # same error repeated: rate limited
    assert not asyncio.iscoroutine(probe)  # the probe object is reusable

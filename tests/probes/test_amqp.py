"""The amqp probe against the system RabbitMQ (a throw-away vhost and user per test)."""

from __future__ import annotations

import pytest

from mittnite.config.model import AmqpProbe, Credentials, Host, ProbeConfig

from .conftest import (
    LogCapture,
    TcpForwarder,
    free_port,
    make_probe,
    ready_after,
    require_port,
    run,
)


def amqp_probe(
    user: str = "", password: str = "", vhost: str = "", port: int = 5672
) -> ProbeConfig:
    return ProbeConfig(
        "broker",
        wait=True,
        amqp=AmqpProbe(Credentials(user, password), Host("127.0.0.1", port), vhost),
    )


def test_default_guest_on_default_vhost(logs: LogCapture) -> None:
    require_port("RabbitMQ", 5672)
    assert run(make_probe(amqp_probe(), logs).result()) is None
    assert logs.matching('msg= host="127.0.0.1:5672" kind=probe name=amqp status=alive')


def test_user_on_its_own_vhost(rabbit_vhost: dict[str, str], logs: LogCapture) -> None:
    config = amqp_probe(rabbit_vhost["user"], rabbit_vhost["password"], rabbit_vhost["vhost"])
    assert run(make_probe(config, logs).result()) is None


def test_user_without_access_to_the_vhost(rabbit_vhost: dict[str, str], logs: LogCapture) -> None:
    config = amqp_probe(rabbit_vhost["user"], rabbit_vhost["password"], "/")
    error = run(make_probe(config, logs).result())
    assert error == f"amqp: vhost '/' not found or access refused for user {rabbit_vhost['user']!r}"
    assert rabbit_vhost["password"] not in logs.stream.getvalue()


def test_missing_vhost(logs: LogCapture) -> None:
    require_port("RabbitMQ", 5672)
    error = run(make_probe(amqp_probe(vhost="no-such-vhost"), logs).result())
    assert error == "amqp: vhost 'no-such-vhost' not found or access refused for user 'guest'"


def test_wrong_password(logs: LogCapture) -> None:
    require_port("RabbitMQ", 5672)
    error = run(make_probe(amqp_probe("guest", "bad-guest-pw"), logs).result())
    assert error == (
        "amqp: access refused for user 'guest' at 127.0.0.1:5672 (wrong user name or password)"
    )


def test_credentials_need_both_user_and_password(logs: LogCapture) -> None:
    """As upstream: a user without password (or the reverse) means the default guest/guest."""
    require_port("RabbitMQ", 5672)
    assert run(make_probe(amqp_probe("someone", ""), logs).result()) is None
    assert run(make_probe(amqp_probe("", "whatever-pw"), logs).result()) is None


def test_connection_refused(logs: LogCapture, capfd: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    error = run(make_probe(amqp_probe(port=port), logs).result())
    assert error == f"amqp: connection refused at 127.0.0.1:{port}"
    assert "error when creating transport" not in capfd.readouterr().err  # aiormq kept quiet


def test_broker_coming_up_after_the_wait_started(logs: LogCapture) -> None:
    require_port("RabbitMQ", 5672)
    port = free_port()
    probe = make_probe(amqp_probe(port=port), logs)
    forwarder = TcpForwarder(port, 5672)

    async def scenario() -> float:
        try:
            return await ready_after(probe, forwarder.start, logs)
        finally:
            await forwarder.stop()

    assert run(scenario()) < 1.0

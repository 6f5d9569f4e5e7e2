"""The mongodb probe against a MongoDB wire-protocol responder of the test suite."""

from __future__ import annotations

import io

from mittnite.config.model import Credentials, Host, MongoDBProbe, ProbeConfig
from mittnite.logs.logger import Logger
from mittnite.probes.mongodb import first_seed, hosts_of, legacy_url, password_forms

from .conftest import LogCapture, free_port, make_probe, ready_after, run
from .fake_servers import MongoResponder


def url_probe(url: str) -> ProbeConfig:
    return ProbeConfig("docs", wait=True, mongodb=MongoDBProbe(url=url))


def test_ping_by_url(logs: LogCapture) -> None:
    responder = MongoResponder()

    async def scenario() -> str | None:
        port = await responder.start()
        probe = make_probe(url_probe(f"mongodb://127.0.0.1:{port}/app"), logs)
        try:
            return await probe.result()
        finally:
            await probe.aclose()
            await responder.stop()

    assert run(scenario()) is None
    assert any("ping" in command for command in responder.commands)
    assert logs.matching("kind=probe name=mongodb status=alive")


def test_legacy_fields_apply_auth_source(logs: LogCapture) -> None:
    """The original built authSource and dropped it; here authentication uses it."""
    responder = MongoResponder(reject_auth=True)

    async def scenario() -> str | None:
        port = await responder.start()
        config = ProbeConfig(
            "docs",
            mongodb=MongoDBProbe(
                Credentials("app", "legacy-secret"),
                Host("127.0.0.1", port),
                database="shop",
                authentication_database="users",
            ),
        )
        probe = make_probe(config, logs)
        try:
            return await probe.result()
        finally:
            await probe.aclose()
            await responder.stop()

    assert run(scenario()) == "mongodb: authentication failed for user 'app'"
    assert responder.auth_databases and set(responder.auth_databases) == {"users"}
    assert "legacy-secret" not in logs.stream.getvalue()


def test_legacy_url_building() -> None:
    config = MongoDBProbe(
        Credentials("a b", "p@ss:w/rd"),
        Host("db"),
        database="my db",
        replica_set_name="rs0",
        authentication_database="admin",
        authentication_mechanism="SCRAM-SHA-256",
        gssapi_service_name="svc",
    )
    url = legacy_url(config, {}, Logger(io.StringIO()))
    assert url == (
        "mongodb://a+b:p%40ss%3Aw%2Frd@db:27017/my%20db?authMechanism=SCRAM-SHA-256"
        "&authMechanismProperties=SERVICE_NAME%3Asvc&authSource=admin&replicaSet=rs0"
    )
    assert hosts_of(url) == "db:27017"
    assert set(password_forms(url)) == {"p%40ss%3Aw%2Frd", "p@ss:w/rd"}
    assert first_seed(url) == ("db", 27017)
    assert first_seed("mongodb://[::1]:1,b:2/") == ("::1", 1)
    assert first_seed("mongodb+srv://cluster.example/") is None
    no_credentials = legacy_url(
        MongoDBProbe(authentication_database="x"), {}, Logger(io.StringIO())
    )
    assert no_credentials == "mongodb://localhost:27017/"


def test_invalid_url_is_an_error_every_time(logs: LogCapture) -> None:
    probe = make_probe(url_probe("mongodb://u:p:q@host:notaport/"), logs)

    async def twice() -> list[str | None]:
        try:
            return [await probe.result(), await probe.result()]
        finally:
            await probe.aclose()

    first, second = run(twice())
    assert first == second
    assert first is not None and first.startswith("mongodb: invalid url: ")


def test_nothing_listening(logs: LogCapture) -> None:
    port = free_port()
    probe = make_probe(url_probe(f"mongodb://127.0.0.1:{port}/"), logs)

    async def scenario() -> str | None:
        try:
            return await probe.result()
        finally:
            await probe.aclose()

    assert run(scenario()) == (
        f"mongodb: no usable server at 127.0.0.1:{port} within 5s: "
        f"127.0.0.1:{port}: connection refused"
    )


def test_server_coming_up_after_the_wait_started(logs: LogCapture) -> None:
    port = free_port()
    probe = make_probe(url_probe(f"mongodb://127.0.0.1:{port}/"), logs)
    responder = MongoResponder()

    async def scenario() -> float:
        try:
            return await ready_after(probe, lambda: responder.start(port), logs)
        finally:
            await probe.aclose()
            await responder.stop()

    assert run(scenario()) < 1.5

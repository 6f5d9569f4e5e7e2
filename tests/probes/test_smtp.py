"""The smtp probe against a small SMTP server of the test suite."""

from __future__ import annotations

from mittnite.config.model import Host, ProbeConfig, SmtpProbe

from .conftest import LogCapture, free_port, make_probe, ready_after, run
from .fake_servers import SmtpResponder


def smtp_probe(port: int) -> ProbeConfig:
    return ProbeConfig("mail", wait=True, smtp=SmtpProbe(Host("127.0.0.1", port)))


def check_against(responder: SmtpResponder, logs: LogCapture) -> str | None:
    async def scenario() -> str | None:
        port = await responder.start()
        try:
            return await make_probe(smtp_probe(port), logs).result()
        finally:
            await responder.stop()

    return run(scenario())


def test_full_dialogue(logs: LogCapture) -> None:
    responder = SmtpResponder()
    assert check_against(responder, logs) is None
    assert responder.commands == ["EHLO localhost", "NOOP", "QUIT"]
    assert logs.matching("kind=probe name=smtp status=alive")


def test_helo_fallback(logs: LogCapture) -> None:
    responder = SmtpResponder(ehlo=False)
    assert check_against(responder, logs) is None
    assert responder.commands == ["EHLO localhost", "HELO localhost", "NOOP", "QUIT"]


def test_bad_greeting(logs: LogCapture) -> None:
    error = check_against(SmtpResponder(greeting="554 go away"), logs)
    assert error is not None
    assert error.startswith("smtp: 127.0.0.1:")
    assert error.endswith(" greeted with 554 'go away' instead of 220")


def test_connection_refused(logs: LogCapture) -> None:
    port = free_port()
    assert run(make_probe(smtp_probe(port), logs).result()) == (
        f"smtp: connection refused at 127.0.0.1:{port}"
    )


def test_server_coming_up_after_the_wait_started(logs: LogCapture) -> None:
    port = free_port()
    probe = make_probe(smtp_probe(port), logs)
    responder = SmtpResponder()

    async def scenario() -> float:
        try:
            return await ready_after(probe, lambda: responder.start(port), logs)
        finally:
            await responder.stop()

    assert run(scenario()) < 1.0

"""The readiness wait: concurrency, cadence, rate-limited reporting, cancellation."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from mittnite.config.model import Credentials, Host, HttpProbe, MySQLProbe, ProbeConfig
from mittnite.probes import Probe, ProbeError, ReadinessWait, build_probes
from mittnite.probes.base import Checker

from .conftest import LogCapture, run
from .fake_servers import HttpTarget


def test_no_wait_probes_returns_at_once(tmp_path: Path, logs: LogCapture) -> None:
    probes = build_probes([ProbeConfig("x", filesystem=str(tmp_path / "missing"))], environ={})
    wait = ReadinessWait(probes.values(), logger=logs.logger)
    started = time.monotonic()
    run(wait.run())
    assert time.monotonic() - started < 0.1  # no initial 1 s pause, non-wait probes ignored
    assert wait.done and wait.probes == []
    assert logs.lines[0].endswith('level=info msg="waiting for probe readiness"')


def test_probes_are_checked_concurrently_and_reported(tmp_path: Path, logs: LogCapture) -> None:
    present = tmp_path / "present"
    present.mkdir()
    later = tmp_path / "later"
    probes = build_probes(
        [
            ProbeConfig("now", wait=True, filesystem=str(present)),
            ProbeConfig("later", wait=True, filesystem=str(later)),
        ],
        environ={},
        logger=logs.logger,
    )
    wait = ReadinessWait(probes.values(), logger=logs.logger, report_interval=0.3)

    async def scenario() -> None:
        task = asyncio.ensure_future(wait.run())
        await asyncio.sleep(0.45)
        assert [probe.name for probe in wait.pending()] == ["later"]
        states = wait.states()
        assert states["now"].ok is True
        assert states["later"].ok is False
        assert states["later"].error == f"filesystem: {later} does not exist"
        assert wait.missing() == [f"probe later: filesystem: {later} does not exist"]
        later.mkdir()
        await asyncio.wait_for(task, 2)

    run(scenario())
    summary = logs.matching("still waiting for probe readiness")
    assert summary and "pending=later waited=" in summary[0]
    ready = logs.matching('msg="probe is ready"')
    assert len(ready) == 1 and "kind=probe name=later waited=" in ready[0]


def test_failing_probe_is_retried_every_second(logs: LogCapture) -> None:
    web = HttpTarget().start()
    try:
        config = ProbeConfig(
            "web", wait=True, http=HttpProbe("", Host("127.0.0.1", web.port), "/fail")
        )
        probes = build_probes([config], environ={}, logger=logs.logger)
        wait = ReadinessWait(probes.values(), logger=logs.logger)

        async def scenario() -> None:
            task = asyncio.ensure_future(wait.run())
            await asyncio.sleep(2.5)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

        run(scenario())
    finally:
        web.stop()
    assert len(web.requests) == 3  # at 0 s, 1 s and 2 s
    warnings = logs.matching("not ready yet")
    assert len(warnings) == 1  # the same error is not repeated within 10 s
    assert warnings[0].endswith(
        f'level=warning msg="not ready yet" err="http service \'http://127.0.0.1:{web.port}/fail\' '
        'returned status code 503" kind=probe name=web '
        f'reason="http: GET http://127.0.0.1:{web.port}/fail returned 503"'
    )


class ScriptedChecker(Checker):
    """A checker whose answers a test dictates (to observe the wait's own logic)."""

    kind = "scripted"
    target = "script"

    def __init__(
        self, errors: list[str], *, unreachable: bool = False, appears: bool = False
    ) -> None:
        self.errors = errors
        self.unreachable = unreachable
        self.appears = appears
        self.attempts: list[float] = []

    async def check(self) -> None:
        self.attempts.append(time.monotonic())
        if self.errors:
            raise ProbeError(self.errors.pop(0), unreachable=self.unreachable)

    async def reachable(self) -> bool:
        return self.appears


def test_warnings_are_rate_limited_but_changes_are_told(logs: LogCapture) -> None:
    errors = ["first"] * 30 + ["second"] * 10
    checker = ScriptedChecker(errors)
    probe = Probe("s", checker, wait=True, logger=logs.logger)
    wait = ReadinessWait([probe], logger=logs.logger, retry_interval=0.02, report_interval=0.25)
    run(wait.run())
    told = [line.split("err=", 1)[1] for line in logs.matching("not ready yet")]
    assert told[0].startswith("first ") and told[-1].startswith("second ")
    assert 2 <= told.count("first kind=probe name=s") <= 4  # ~0.6 s of failures, every 0.25 s
    assert len(checker.attempts) == 41


def test_early_retry_happens_at_most_once_per_interval(logs: LogCapture) -> None:
    """A port that accepts while the probe still says "refused" must not cause a busy loop."""
    checker = ScriptedChecker(["refused"] * 100, unreachable=True, appears=True)
    probe = Probe("flappy", checker, wait=True, logger=logs.logger)
    wait = ReadinessWait([probe], logger=logs.logger, retry_interval=0.5)

    async def scenario() -> None:
        task = asyncio.ensure_future(wait.run())
        await asyncio.sleep(1.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    run(scenario())
    assert 3 <= len(checker.attempts) <= 6  # regular retries plus at most one early per interval


def test_cancelling_returns_promptly_even_with_a_blocked_driver(logs: LogCapture) -> None:
    """A MySQL server that accepts but never greets blocks PyMySQL for 5 s; cancel is instant."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = ProbeConfig(
            "db",
            wait=True,
            mysql=MySQLProbe(Credentials("u", "pw-x"), Host("127.0.0.1", port), "1"),
        )
        probes = build_probes([config], environ={}, logger=logs.logger)
        wait = ReadinessWait(probes.values(), logger=logs.logger)

        async def scenario() -> float:
            task = asyncio.ensure_future(wait.run())
            await asyncio.sleep(0.3)
            started = time.monotonic()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            assert task.cancelled()
            return time.monotonic() - started

        assert run(scenario()) < 0.1
    assert not wait.done

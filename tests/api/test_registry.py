"""Job resolution and actions of the registry, over fake jobs."""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.api.registry import JobRegistry, NotReady
from mittnite.config.model import JobConfig
from mittnite.core.clock import FakeClock
from mittnite.core.job import JobMachine


class FakeCommon:
    lazy = False

    def __init__(self, name: str, controllable: bool) -> None:
        self.name = name
        self.config = JobConfig(name=name, command="x", controllable=controllable)
        self.machine = JobMachine(name, clock=FakeClock(), max_attempts=3)
        self.calls: list[str] = []
        self.pid: int | None = None
        self.running = False

    def start(self) -> None:
        self.calls.append("start")

    def stop(self) -> None:
        self.calls.append("stop")

    def restart(self) -> None:
        self.calls.append("restart")


class FakeLazy:
    lazy = True

    def __init__(self, name: str) -> None:
        self.name = name
        self.config = JobConfig(name=name, command="x", controllable=True)
        self.phase = "awaitingConnection"
        self.phase_changed_at = 0.0
        self.calls: list[str] = []
        self.pid: int | None = None
        self.running = False

    def start_process(self) -> None:
        self.calls.append("start_process")

    def stop_process(self) -> None:
        self.calls.append("stop_process")

    def restart_process(self) -> None:
        self.calls.append("restart_process")


class FakeJobs:
    def __init__(self, *jobs: Any) -> None:
        self._jobs = list(jobs)
        self.started = True

    def all(self) -> list[Any]:
        return self._jobs


def registry(*jobs: Any, started: bool = True) -> JobRegistry:
    fake = FakeJobs(*jobs)
    fake.started = started
    return JobRegistry(fake)  # type: ignore[arg-type]


def test_names_are_controllable_jobs_in_configuration_order_lazy_included() -> None:
    reg = registry(FakeCommon("b", True), FakeCommon("hidden", False), FakeLazy("a"))
    assert reg.names() == ["b", "a"]


def test_no_controllable_jobs_is_an_empty_list() -> None:
    assert registry(FakeCommon("x", False)).names() == []


def test_resolve_unknown_and_not_controllable_alike() -> None:
    visible, hidden = FakeCommon("web", True), FakeCommon("hidden", False)
    reg = registry(visible, hidden)
    assert reg.resolve("web") is visible
    assert reg.resolve("hidden") is None
    assert reg.resolve("nope") is None


def test_actions_reach_common_and_lazy_jobs() -> None:
    common, lazy = FakeCommon("c", True), FakeLazy("l")
    reg = registry(common, lazy)
    for job in (common, lazy):
        reg.start(job)  # type: ignore[arg-type]
        reg.restart(job)  # type: ignore[arg-type]
        reg.stop(job)  # type: ignore[arg-type]
    assert common.calls == ["start", "restart", "stop"]
    assert lazy.calls == ["start_process", "restart_process", "stop_process"]


def test_actions_before_the_jobs_started_are_refused_status_works() -> None:
    common = FakeCommon("c", True)
    reg = registry(common, started=False)
    with pytest.raises(NotReady):
        reg.start(common)  # type: ignore[arg-type]
    assert common.calls == []
    assert b'"reason":"awaitingReadiness"' in reg.status(common)  # type: ignore[arg-type]


def test_lazy_status_uses_its_own_phase() -> None:
    lazy = FakeLazy("l")
    lazy.pid, lazy.running = 42, True
    lazy.phase = "started"
    text = registry(lazy).status(lazy)  # type: ignore[arg-type]
    assert text.startswith(b'{"pid":42,"running":true,"phase":{"reason":"started"')

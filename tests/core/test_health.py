"""The readiness/liveness machine, driven with a fake clock."""

from __future__ import annotations

import pytest

from mittnite.core.clock import FakeClock
from mittnite.core.health import (
    CHECK_TIMER,
    WATCHDOG_TIMER,
    HealthMachine,
    Healthy,
    RunCheck,
    Unhealthy,
)
from mittnite.core.job import CancelTimer, StartTimer


def test_readiness_checks_at_once_and_every_interval() -> None:
    clock = FakeClock()
    machine = HealthMachine(clock=clock, interval=1.0)
    assert machine.start() == [RunCheck()]
    clock.advance(0.25)  # the attempt took 250 ms: the next one starts 1 s after this one did
    assert machine.checked(False, "connection refused") == [
        Unhealthy("connection refused"),
        StartTimer(CHECK_TIMER, 0.75),
    ]
    clock.advance(0.75)
    assert machine.timer_fired(CHECK_TIMER) == [RunCheck()]
    assert machine.timer_fired(CHECK_TIMER) == []  # one attempt at a time
    assert machine.checked(False, "connection refused") == [StartTimer(CHECK_TIMER, 1.0)]
    assert machine.consecutive_failures == 2
    machine.timer_fired(CHECK_TIMER)
    assert machine.checked(True) == [Healthy(), StartTimer(CHECK_TIMER, 1.0)]
    assert machine.healthy is True and machine.message == "" and machine.since == clock.wall()
    machine.timer_fired(CHECK_TIMER)
    assert machine.checked(True) == [StartTimer(CHECK_TIMER, 1.0)]  # no repeated verdicts
    assert machine.checks == 4


def test_slow_attempt_schedules_the_next_at_once() -> None:
    clock = FakeClock()
    machine = HealthMachine(clock=clock, interval=1.0, timeout=5.0)
    machine.start()
    clock.advance(3.0)
    assert machine.checked(False, "timeout")[-1] == StartTimer(CHECK_TIMER, 0.0)


def test_liveness_needs_consecutive_failures_and_a_success_resets() -> None:
    clock = FakeClock()
    machine = HealthMachine(clock=clock, interval=10.0, failures=3)
    machine.start()
    assert Healthy() in machine.checked(True)
    for _ in range(2):
        machine.timer_fired(CHECK_TIMER)
        assert machine.checked(False, "timed out")[:-1] == []
    machine.timer_fired(CHECK_TIMER)
    machine.checked(True)
    assert machine.consecutive_failures == 0
    verdicts = []
    for _ in range(3):
        machine.timer_fired(CHECK_TIMER)
        verdicts += machine.checked(False, "timed out")[:-1]
    assert verdicts == [Unhealthy("timed out")]
    assert machine.healthy is False


def test_stop_cancels_and_ignores_late_results() -> None:
    machine = HealthMachine(clock=FakeClock())
    machine.start()
    assert machine.stop() == [CancelTimer(CHECK_TIMER), CancelTimer(WATCHDOG_TIMER)]
    assert machine.checked(True) == []
    assert machine.timer_fired(CHECK_TIMER) == []
    assert machine.healthy is None


def test_restart_forgets_the_old_verdict() -> None:
    machine = HealthMachine(clock=FakeClock(), failures=2)
    machine.start()
    machine.checked(False, "x")
    machine.timer_fired(CHECK_TIMER)
    assert Unhealthy("x") in machine.checked(False, "x")
    machine.stop()
    assert machine.start() == [RunCheck()]
    assert machine.healthy is None and machine.consecutive_failures == 0


def test_fed_readiness_follows_ready_and_reloading_without_polling() -> None:
    machine = HealthMachine(clock=FakeClock(), polled=False)
    assert machine.start() == []
    assert machine.timer_fired(CHECK_TIMER) == []
    assert machine.observed(True) == [Healthy()]
    assert machine.observed(False, "reloading (RELOADING=1)") == [
        Unhealthy("reloading (RELOADING=1)")
    ]
    assert machine.observed(True) == [Healthy()]


def test_watchdog_deadline_counts_missed_intervals() -> None:
    clock = FakeClock()
    machine = HealthMachine(clock=clock, polled=False, watchdog=2.0, failures=2)
    assert machine.start() == [StartTimer(WATCHDOG_TIMER, 2.0)]
    assert machine.watchdog_ping() == [Healthy(), StartTimer(WATCHDOG_TIMER, 2.0)]
    clock.advance(2.0)
    assert machine.timer_fired(WATCHDOG_TIMER) == [StartTimer(WATCHDOG_TIMER, 2.0)]
    clock.advance(2.0)
    assert machine.timer_fired(WATCHDOG_TIMER) == [
        Unhealthy("no WATCHDOG=1 within 2s"),
        StartTimer(WATCHDOG_TIMER, 2.0),
    ]


def test_watchdog_usec_from_the_job_changes_the_deadline() -> None:
    machine = HealthMachine(clock=FakeClock(), polled=False, watchdog=10.0)
    machine.start()
    assert machine.set_watchdog(0.5) == [StartTimer(WATCHDOG_TIMER, 0.5)]
    assert machine.timer_fired(WATCHDOG_TIMER)[0] == Unhealthy("no WATCHDOG=1 within 500ms")
    assert machine.set_watchdog(0) == [CancelTimer(WATCHDOG_TIMER)]
    assert machine.watchdog_ping() == []


def test_watchdog_trigger_is_immediate() -> None:
    machine = HealthMachine(clock=FakeClock(), polled=False, watchdog=5.0, failures=3)
    machine.start()
    assert machine.watchdog_trigger() == [Unhealthy("the job asked for it (WATCHDOG=trigger)")]


def test_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError):
        HealthMachine(clock=FakeClock(), interval=0)
    with pytest.raises(ValueError):
        HealthMachine(clock=FakeClock(), failures=0)

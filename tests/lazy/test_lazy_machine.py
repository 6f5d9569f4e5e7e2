"""Every transition of the lazy activation / cool-down machine, on a fake clock."""

from __future__ import annotations

import signal
from collections.abc import Sequence

from mittnite.core.clock import FakeClock
from mittnite.core.job import CancelTimer, Log, StartTimer
from mittnite.core.lazy import (
    COOLDOWN_TIMER,
    AbortDials,
    LazyMachine,
    LazyState,
    Refuse,
    StartProcess,
    StopProcess,
)

COOL = 15.0


def machine(clock: FakeClock | None = None) -> LazyMachine:
    return LazyMachine("web", clock=clock or FakeClock(), cool_down=COOL)


def kinds(actions: Sequence[object]) -> list[type]:
    return [type(action) for action in actions]


def running(clock: FakeClock | None = None) -> LazyMachine:
    """A machine with one open connection and a running process."""
    lazy = machine(clock)
    lazy.connection_opened()
    lazy.process_needed()
    lazy.started()
    return lazy


def test_boot_holds_off_and_starts_nothing() -> None:
    lazy = machine()
    assert lazy.boot() == [Log("info", "holding off starting job web until first request")]
    assert lazy.state == LazyState.IDLE
    assert not lazy.running


def test_first_connection_starts_the_process_once() -> None:
    lazy = machine()
    assert lazy.connection_opened() == []
    assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]
    assert lazy.state == LazyState.STARTING
    # Connections arriving during the start wait for the same start.
    assert lazy.connection_opened() == []
    assert lazy.process_needed() == []
    assert lazy.connection_opened() == []
    assert lazy.process_needed() == []
    assert lazy.starts == 1
    assert lazy.started() == []  # connections are active: no cool-down timer
    assert lazy.state == LazyState.RUNNING
    assert lazy.running


def test_connection_while_running_logs_already_running_at_debug() -> None:
    lazy = running()
    lazy.connection_opened()
    assert lazy.process_needed() == [Log("debug", "process already running")]
    assert lazy.starts == 1


def test_last_close_arms_cool_down_and_open_cancels_it() -> None:
    lazy = running()
    lazy.connection_opened()  # two active
    assert lazy.connection_closed() == []  # one still active: nothing armed
    assert lazy.connection_closed() == [StartTimer(COOLDOWN_TIMER, COOL)]
    assert lazy.connection_opened() == [CancelTimer(COOLDOWN_TIMER)]
    assert lazy.connection_opened() == []  # nothing armed any more
    lazy.connection_closed()
    # re-armed from the latest close, for the full cool-down again
    assert lazy.connection_closed() == [StartTimer(COOLDOWN_TIMER, COOL)]


def test_cool_down_timer_stops_the_process() -> None:
    clock = FakeClock()
    lazy = running(clock)
    lazy.connection_closed()
    clock.advance(COOL)
    assert lazy.timer_fired(COOLDOWN_TIMER) == [
        Log("info", f"sending signal {int(signal.SIGTERM)} to process group"),
        StopProcess(),
    ]
    assert lazy.state == LazyState.STOPPING
    # the original logs the cool-down's SIGTERM exit like a crash; so do we
    assert lazy.exited(False, "signal: terminated") == [
        Log("error", "job exited with error", {"error": "signal: terminated"}),
        Log("error", "process terminated with error", {"error": "signal: terminated"}),
        Log("info", "process terminated"),
    ]
    assert lazy.state == LazyState.IDLE


def test_stale_or_foreign_timer_does_nothing() -> None:
    lazy = running()
    assert lazy.timer_fired(COOLDOWN_TIMER) == []  # never armed (a connection is active)
    assert lazy.timer_fired("other") == []
    lazy.connection_closed()
    lazy.connection_opened()  # cancelled: a late callback must not stop the process
    assert lazy.timer_fired(COOLDOWN_TIMER) == []
    assert lazy.state == LazyState.RUNNING


def test_next_connection_after_cool_down_starts_again() -> None:
    lazy = running()
    lazy.connection_closed()
    lazy.timer_fired(COOLDOWN_TIMER)
    lazy.exited(False, "signal: terminated")
    lazy.connection_opened()
    assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]
    assert lazy.starts == 2


def test_connection_during_stop_starts_again_once_the_old_process_is_gone() -> None:
    lazy = running()
    lazy.connection_closed()
    lazy.timer_fired(COOLDOWN_TIMER)
    assert lazy.connection_opened() == []
    assert lazy.process_needed() == []  # wait: the old process is still exiting
    assert lazy.state == LazyState.STOPPING
    assert lazy.exited(False, "signal: terminated") == [
        Log("error", "job exited with error", {"error": "signal: terminated"}),
        Log("error", "process terminated with error", {"error": "signal: terminated"}),
        Log("info", "process terminated"),
        Log("info", "starting job"),
        StartProcess(),
    ]
    assert lazy.state == LazyState.STARTING
    assert lazy.started() == []
    assert lazy.state == LazyState.RUNNING


def held_off(delay: str, failures: int) -> Log:
    return Log(
        "warning",
        "lazy job failed right after its start; holding off new starts",
        {"job.nextRestartIn": delay, "job.usedAttempts": failures},
    )


def test_a_crash_after_a_long_run_is_restarted_by_the_next_connection_at_once() -> None:
    clock = FakeClock()
    lazy = running(clock)
    clock.advance(60.0)  # it served for a minute: no back-off
    assert lazy.exited(False, "exit status 3") == [
        Log("error", "job exited with error", {"error": "exit status 3"}),
        Log("error", "process terminated with error", {"error": "exit status 3"}),
        Log("info", "process terminated"),
        AbortDials("job web terminated: exit status 3"),
    ]
    assert lazy.state == LazyState.IDLE
    assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]


def test_a_process_that_dies_at_once_fails_waiting_clients_and_backs_off() -> None:
    clock = FakeClock()
    lazy = running(clock)
    clock.advance(0.1)
    assert lazy.exited(False, "exit status 1") == [
        Log("error", "job exited with error", {"error": "exit status 1"}),
        Log("error", "process terminated with error", {"error": "exit status 1"}),
        Log("info", "process terminated"),
        AbortDials("job web terminated: exit status 1"),
        held_off("1s", 1),
    ]
    # connections within the hold-off are refused at once, nothing is spawned
    clock.advance(0.5)
    assert lazy.process_needed() == [
        Log("debug", "connection refused during back-off"),
        Refuse("job web failed right after its start; next start in 1s"),
    ]
    assert lazy.starts == 1
    # after it: one new start; dying again doubles the hold-off, up to five minutes
    expected = ["2s", "4s", "8s", "16s", "32s", "1m4s", "2m8s", "4m16s", "5m0s", "5m0s"]
    for failures, delay in enumerate(expected, start=2):
        clock.advance(lazy.hold_until - clock.monotonic())  # type: ignore[operator]
        assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]
        lazy.started()
        assert lazy.exited(True, "exit status 0")[-1] == held_off(delay, failures)
    assert lazy.starts == 1 + len(expected)


def test_the_streak_ends_when_the_command_works_again() -> None:
    clock = FakeClock()
    lazy = running(clock)
    lazy.exited(False, "exit status 1")
    clock.advance(1.0)
    lazy.process_needed()
    lazy.started()
    lazy.exited(False, "exit status 1")  # second quick failure: 2 s hold, next would be 4 s
    assert lazy.backoff == 4.0
    clock.advance(2.0)
    lazy.process_needed()
    lazy.started()
    clock.advance(600.0)  # works for ten minutes
    assert lazy.exited(False, "signal: killed")[-1] == AbortDials(
        "job web terminated: signal: killed"
    )
    assert (lazy.backoff, lazy.failures, lazy.holding_off) == (1.0, 0, False)
    assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]


def test_an_explicit_start_is_never_held_off() -> None:
    clock = FakeClock()
    lazy = running(clock)
    lazy.exited(False, "exit status 1")
    assert lazy.holding_off
    assert lazy.activate() == [Log("info", "starting job"), StartProcess()]


def test_our_own_stop_is_no_failure() -> None:
    clock = FakeClock()
    lazy = running(clock)
    lazy.deactivate()
    actions = lazy.exited(False, "signal: terminated")
    assert not any(isinstance(a, (AbortDials, Refuse)) for a in actions)
    assert not lazy.holding_off


def test_clean_exit_right_after_start_counts_as_a_failure() -> None:
    lazy = running()
    assert lazy.exited(True, "exit status 0") == [
        Log("info", "process terminated"),
        AbortDials("job web terminated: exit status 0"),
        held_off("1s", 1),
    ]


def test_exit_while_idle_timer_armed_cancels_the_timer() -> None:
    lazy = running()
    lazy.connection_closed()
    actions = lazy.exited(True, "exit status 0")
    assert actions[0] == CancelTimer(COOLDOWN_TIMER)
    assert lazy.timer_fired(COOLDOWN_TIMER) == []


def test_exit_of_process_not_running_is_ignored() -> None:
    lazy = machine()
    assert lazy.exited(False, "exit status 1") == []


def test_start_failure_returns_to_idle_and_next_connection_retries() -> None:
    lazy = machine()
    lazy.connection_opened()
    lazy.process_needed()
    assert lazy.start_failed("fork/exec /x: no such file or directory") == [
        Log(
            "error",
            "process terminated with error",
            {"error": "failed to start job web: fork/exec /x: no such file or directory"},
        ),
        held_off("1s", 1),
    ]
    assert lazy.state == LazyState.IDLE
    assert isinstance(lazy.process_needed()[-1], Refuse)
    lazy.clock.advance(1.0)  # type: ignore[attr-defined]
    assert lazy.process_needed() == [Log("info", "starting job"), StartProcess()]


def test_all_clients_gone_during_start_arm_remaining_cool_down_when_started() -> None:
    clock = FakeClock()
    lazy = machine(clock)
    lazy.connection_opened()
    lazy.process_needed()
    clock.advance(1.0)
    assert lazy.connection_closed() == []  # not running yet: no timer
    clock.advance(4.0)
    assert lazy.started() == [StartTimer(COOLDOWN_TIMER, COOL - 4.0)]


def test_very_slow_start_without_clients_stops_at_once() -> None:
    clock = FakeClock()
    lazy = machine(clock)
    lazy.connection_opened()
    lazy.process_needed()
    lazy.connection_closed()
    clock.advance(COOL + 5)
    assert lazy.started() == [StartTimer(COOLDOWN_TIMER, 0.0)]


def test_exit_before_start_reported_makes_late_started_a_no_op() -> None:
    lazy = machine()
    lazy.connection_opened()
    lazy.process_needed()
    lazy.exited(False, "exit status 1")
    assert lazy.state == LazyState.IDLE
    assert lazy.started() == []
    assert lazy.state == LazyState.IDLE


def test_shutdown_while_running_stops_and_never_restarts() -> None:
    lazy = running()
    lazy.connection_closed()
    assert lazy.shutdown() == [
        CancelTimer(COOLDOWN_TIMER),
        Log("info", f"sending signal {int(signal.SIGTERM)} to process group"),
        StopProcess(),
    ]
    lazy.connection_opened()
    assert lazy.process_needed() == []
    assert lazy.exited(False, "signal: terminated") == [Log("info", "process terminated")]
    assert lazy.process_needed() == []
    assert lazy.state == LazyState.IDLE


def test_shutdown_while_idle_does_nothing() -> None:
    lazy = machine()
    assert lazy.shutdown() == []
    lazy.connection_opened()
    assert lazy.process_needed() == []


def test_shutdown_while_starting_stops_as_soon_as_started() -> None:
    lazy = machine()
    lazy.connection_opened()
    lazy.process_needed()
    assert lazy.shutdown() == []
    assert kinds(lazy.started()) == [Log, StopProcess]
    assert lazy.state == LazyState.STOPPING


def test_shutdown_while_stopping_cancels_a_pending_restart() -> None:
    lazy = running()
    lazy.connection_closed()
    lazy.timer_fired(COOLDOWN_TIMER)
    lazy.connection_opened()
    lazy.process_needed()  # would restart after the exit
    lazy.shutdown()
    assert lazy.exited(False, "signal: terminated") == [Log("info", "process terminated")]
    assert lazy.state == LazyState.IDLE


def test_close_after_shutdown_arms_nothing() -> None:
    lazy = running()
    lazy.shutdown()
    assert lazy.connection_closed() == []


def test_custom_stop_signal_is_named_in_the_log() -> None:
    lazy = LazyMachine("web", clock=FakeClock(), cool_down=1.0, stop_signal=signal.SIGINT)
    lazy.connection_opened()
    lazy.process_needed()
    lazy.started()
    lazy.connection_closed()
    assert lazy.timer_fired(COOLDOWN_TIMER)[0] == Log(
        "info", f"sending signal {int(signal.SIGINT)} to process group"
    )


def test_more_closes_than_opens_never_go_negative() -> None:
    lazy = running()
    lazy.connection_closed()
    lazy.connection_closed()
    assert lazy.active == 0


def test_api_start_runs_the_process_and_cools_down_without_connections() -> None:
    clock = FakeClock()
    lazy = machine(clock)
    assert lazy.activate() == [Log("info", "starting job"), StartProcess()]
    assert lazy.activate() == []  # already starting
    assert lazy.started() == [StartTimer(COOLDOWN_TIMER, COOL)]
    assert kinds(lazy.timer_fired(COOLDOWN_TIMER))[-1] is StopProcess


def test_api_stop_and_restart() -> None:
    lazy = running()
    assert kinds(lazy.deactivate())[-1] is StopProcess
    assert lazy.exited(False, "signal: terminated")[-1] == Log("info", "process terminated")
    assert lazy.state == LazyState.IDLE
    lazy = running()
    actions = lazy.restart()
    assert StopProcess() in actions
    assert kinds(lazy.exited(False, "signal: terminated"))[-1] is StartProcess
    assert lazy.deactivate() == [] and lazy.stop_after_start
    assert kinds(lazy.started())[-1] is StopProcess


def test_api_requests_after_shutdown_do_nothing() -> None:
    lazy = machine()
    lazy.shutdown()
    assert lazy.activate() == [] and lazy.restart() == []

"""The job lifecycle machine, driven event by event with a fake clock."""

from __future__ import annotations

import signal

from mittnite.core.clock import FakeClock
from mittnite.core.job import (
    BACKOFF_TIMER,
    KILL_TIMER,
    RELAUNCH_TIMER,
    CancelTimer,
    Finished,
    JobMachine,
    Log,
    Phase,
    SignalGroup,
    Spawn,
    StartTimer,
)


def machine(**options: object) -> tuple[JobMachine, FakeClock]:
    clock = FakeClock()
    settings: dict[str, object] = {"max_attempts": 3}
    settings.update(options)
    return JobMachine("web", clock=clock, **settings), clock  # type: ignore[arg-type]


def kinds(actions: list[object]) -> list[str]:
    return [type(a).__name__ for a in actions]


def logs(actions: list[object]) -> list[str]:
    return [a.msg for a in actions if isinstance(a, Log)]


def test_start_spawns_and_reports_phases() -> None:
    m, clock = machine()
    assert m.phase == Phase.AWAITING_READINESS
    actions = m.start()
    assert Spawn() in actions and logs(actions) == ["starting job"]
    assert m.phase == Phase.UNKNOWN
    clock.advance(1)
    assert m.spawned(42) == []
    assert m.phase == Phase.STARTED and m.running and m.pid == 42
    assert m.phase_changed_at == clock.wall()


def test_failing_job_backs_off_then_gives_up_with_error() -> None:
    m, _ = machine()
    m.start()
    m.spawned(1)
    actions = m.exited(False, "exit status 3")
    assert Log("error", "job exited with error", {"error": "exit status 3"}) in actions
    assert StartTimer(BACKOFF_TIMER, 1.0) in actions
    assert (
        Log(
            "info",
            "remaining attempts",
            {"job.maxAttempts": 3, "job.usedAttempts": 1, "job.nextRestartIn": "1s"},
        )
        in actions
    )
    assert m.phase == Phase.CRASH_LOOPING and not m.running
    assert Spawn() in m.timer_fired(BACKOFF_TIMER)
    m.spawned(2)
    assert StartTimer(BACKOFF_TIMER, 2.0) in m.exited(False, "exit status 3")
    m.timer_fired(BACKOFF_TIMER)
    m.spawned(3)
    actions = m.exited(False, "exit status 3")
    assert m.phase == Phase.FAILED
    assert actions[-1] == Finished(
        "failed", error="reached max retries for job web; last error: exit status 3"
    )
    # logged once, by the runner that ends (as the original), not a second time here
    assert not any("reached max retries" in msg for msg in logs(actions))


def test_can_fail_job_gives_up_quietly() -> None:
    m, _ = machine(max_attempts=1, can_fail=True)
    m.start()
    m.spawned(1)
    actions = m.exited(False, "signal: killed")
    assert Log("warning", "reached max retries", {"job.maxAttempts": 1}) in actions
    assert actions[-1] == Finished("failed")


def test_one_time_job_completes() -> None:
    m, _ = machine(one_time=True)
    m.start()
    m.spawned(1)
    actions = m.exited(True, "exit status 0")
    assert actions[-1] == Finished("completed")
    assert m.phase == Phase.COMPLETED
    assert "one-time job has ended successfully" in logs(actions)


def test_clean_exit_of_a_service_counts_as_failure() -> None:
    m, _ = machine()
    m.start()
    m.spawned(1)
    actions = m.exited(True, "exit status 0")
    assert "job exited without errors" in logs(actions)
    assert StartTimer(BACKOFF_TIMER, 1.0) in actions


def test_stop_signals_group_escalates_to_kill_and_ends_stopped() -> None:
    m, _ = machine(stop_timeout=7.0)
    m.start()
    m.spawned(9)
    actions = m.stop()
    assert SignalGroup(signal.SIGTERM) in actions and StartTimer(KILL_TIMER, 7.0) in actions
    assert m.timer_fired(KILL_TIMER) == [
        Log("error", "forcefully killed job"),
        SignalGroup(signal.SIGKILL),
    ]
    actions = m.exited(False, "signal: killed")
    assert CancelTimer(KILL_TIMER) in actions
    assert logs(actions) == ["job stopped", "stop process"]  # the original's two lines
    assert actions[-1] == Finished("stopped")
    assert m.phase == Phase.STOPPED and not m.supervising


def test_start_during_backoff_never_creates_a_second_supervisor() -> None:
    m, _ = machine(max_attempts=-1)
    m.start()
    m.spawned(1)
    m.exited(False, "exit status 1")
    actions = m.start()
    assert actions[0] == CancelTimer(BACKOFF_TIMER)
    assert actions.count(Spawn()) == 1
    assert m.start() == []  # already starting: nothing more
    m.spawned(2)
    assert m.start() == [] and m.restart() != []  # running: start is a no-op


def test_restart_respawns_without_counting_an_attempt() -> None:
    m, _ = machine(max_attempts=1)
    m.start()
    m.spawned(1)
    m.restart()
    actions = m.exited(False, "signal: terminated")
    assert logs(actions) == ["job stopped for restart", "restart process", "starting job"]
    assert Spawn() in actions
    m.spawned(2)
    assert m.policy.attempts == 0 and m.phase == Phase.STARTED


def test_stop_during_backoff_reports_stopped() -> None:
    m, _ = machine(max_attempts=-1)
    m.start()
    m.spawned(1)
    m.exited(False, "exit status 1")
    actions = m.stop()
    assert actions[0] == CancelTimer(BACKOFF_TIMER)
    assert m.phase == Phase.STOPPED and actions[-1] == Finished("stopped")


def test_shutdown_never_respawns() -> None:
    m, _ = machine(max_attempts=-1)
    m.start()
    m.spawned(1)
    assert logs(m.shutdown()) == [
        "sending signal 15 to process group",
        "sent SIGTERM to job's process group",
    ]
    actions = m.exited(False, "signal: terminated")
    assert Spawn() not in actions and actions[-1] == Finished("shutdown")
    assert m.start() == []


def test_shutdown_while_starting_stops_the_new_process_at_once() -> None:
    m, _ = machine()
    m.start()
    assert m.shutdown() == []
    actions = m.spawned(5)
    assert SignalGroup(signal.SIGTERM) in actions


def test_stop_when_never_started_warns_like_the_original() -> None:
    m, _ = machine()
    assert m.stop() == [Log("warning", "failed to send signal 15 to job web: job is not running")]


def test_stop_of_a_stopped_job_warns_like_the_original() -> None:
    m, _ = machine()
    m.start()
    m.spawned(7)
    m.stop()
    m.exited(False, "signal: terminated")
    assert m.stop() == [Log("warning", "failed to send signal 15 to job web: no such process")]


def test_spawn_failure_counts_as_an_attempt() -> None:
    m, _ = machine(max_attempts=2)
    m.start()
    actions = m.spawn_failed('exec: "nope": executable file not found in $PATH')
    assert (
        Log(
            "error",
            "job could not be started",
            {"error": 'failed to start job web: exec: "nope": executable file not found in $PATH'},
        )
        in actions
    )
    assert StartTimer(BACKOFF_TIMER, 1.0) in actions


def test_keep_running_relaunches_failed_can_fail_jobs() -> None:
    m, _ = machine(max_attempts=1, can_fail=True, keep_running=True)
    m.start()
    m.spawned(1)
    actions = m.exited(False, "exit status 1")
    assert StartTimer(RELAUNCH_TIMER, 5.0) in actions
    assert Spawn() in m.timer_fired(RELAUNCH_TIMER)
    assert m.phase == Phase.UNKNOWN


def test_watch_signal_and_watch_restart() -> None:
    m, _ = machine()
    assert "failed to send signal 1 to job web: job is not running" in logs(
        m.watch_triggered(1, restart=False)
    )
    m.start()
    m.spawned(3)
    assert SignalGroup(1) in m.watch_triggered(1, restart=False)
    actions = m.watch_triggered(15, restart=True)
    assert SignalGroup(15) in actions
    assert Spawn() in m.exited(False, "signal: terminated")


def test_stop_then_start_before_exit_restarts_when_the_old_process_is_gone() -> None:
    m, _ = machine()
    m.start()
    m.spawned(1)
    m.stop()
    m.start()
    assert Spawn() in m.exited(False, "signal: terminated")


# ---- issue 17: fail() and unhealthy() ----------------------------------------------------


def test_fail_ends_a_job_that_never_started() -> None:
    m, clock = machine()
    clock.advance(5)
    actions = m.fail('job "web" will not start: it runs after "db", which failed')
    assert actions == [
        Finished("failed", error='job "web" will not start: it runs after "db", which failed')
    ]
    assert m.phase == Phase.FAILED and m.phase_changed_at == clock.wall()
    assert not m.supervising
    assert logs(actions) == []  # the dependency machine says it


def test_fail_of_a_job_that_may_fail_is_not_fatal() -> None:
    m, _ = machine(can_fail=True)
    assert m.fail("dependency failed") == [Finished("failed")]


def test_fail_is_ignored_once_the_job_runs_or_mittnite_stops() -> None:
    m, _ = machine()
    m.start()
    m.spawned(7)
    assert m.fail("too late") == []
    assert m.phase == Phase.STARTED
    stopping, _ = machine()
    stopping.shutdown()
    assert stopping.fail("during shutdown") == []


def test_unhealthy_stops_the_process_and_its_exit_counts_as_a_failed_attempt() -> None:
    m, clock = machine(stop_timeout=4.0)
    m.start()
    m.spawned(7)
    clock.advance(0.5)  # shorter than the 1 s back-off: the streak goes on
    actions = m.unhealthy("http: no answer from http://x/ within 1s")
    assert actions == [
        Log(
            "error",
            "liveness check failed; restarting job",
            {"error": "http: no answer from http://x/ within 1s"},
        ),
        Log("info", "sending signal 15 to process group"),
        SignalGroup(signal.SIGTERM),
        StartTimer(KILL_TIMER, 4.0),
    ]
    exited = m.exited(False, "signal: terminated")
    reason = "liveness check failed: http: no answer from http://x/ within 1s"
    assert Log("error", "job exited with error", {"error": reason}) in exited
    assert StartTimer(BACKOFF_TIMER, 1.0) in exited
    assert m.phase == Phase.CRASH_LOOPING and m.policy.attempts == 1
    assert m.last_error == reason
    assert kinds(m.timer_fired(BACKOFF_TIMER)) == ["Log", "Spawn"]


def test_unhealthy_uses_up_the_attempts_like_any_failure() -> None:
    m, _ = machine(max_attempts=1)
    m.start()
    m.spawned(7)
    m.unhealthy("tcp: connection refused")
    actions = m.exited(False, "signal: killed")
    assert actions[-1] == Finished(
        "failed",
        error="reached max retries for job web; last error: "
        "liveness check failed: tcp: connection refused",
    )


def test_a_stop_requested_during_an_unhealthy_stop_wins() -> None:
    m, _ = machine()
    m.start()
    m.spawned(7)
    m.unhealthy("timeout")
    m.stop()
    actions = m.exited(False, "signal: terminated")
    assert Finished("stopped") in actions and m.phase == Phase.STOPPED
    m.start()
    m.spawned(8)
    assert m.exited(True, "exit status 0")[2] == Log("warning", "job exited without errors")


def test_unhealthy_is_ignored_unless_the_process_runs() -> None:
    m, _ = machine()
    assert m.unhealthy("nothing runs") == []
    m.start()
    m.spawned(7)
    m.stop()
    assert m.unhealthy("already stopping") == []

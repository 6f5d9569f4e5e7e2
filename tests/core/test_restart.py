"""Back-off and attempt counting, as the original counts them (spec §6.3)."""

from __future__ import annotations

from mittnite.core.restart import RestartPolicy, next_backoff


def test_backoff_sequence_doubles_in_whole_seconds_up_to_five_minutes() -> None:
    delays = []
    current = 1.0
    for _ in range(11):
        delays.append(current)
        current = next_backoff(current)
    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_three_attempts_means_run_retry_retry_give_up() -> None:
    policy = RestartPolicy(3)
    assert policy.after_failure(0.1) == 1.0
    assert policy.after_failure(0.1) == 2.0
    assert policy.after_failure(0.1) is None


def test_zero_and_one_attempts_never_retry() -> None:
    assert RestartPolicy(1).after_failure(0.0) is None
    assert RestartPolicy(0).after_failure(0.0) is None


def test_unlimited_attempts_keep_backing_off() -> None:
    policy = RestartPolicy(-1)
    delays = [policy.after_failure(0.0) for _ in range(12)]
    assert delays[-1] == 300.0 and None not in delays


def test_a_run_longer_than_the_current_backoff_resets_the_streak() -> None:
    policy = RestartPolicy(3)
    assert policy.after_failure(0.5) == 1.0  # attempts=1, next back-off 2s
    assert policy.after_failure(0.5) == 2.0  # attempts=2, next back-off 4s
    # ran 5 s > 4 s: the streak starts over, so this failure is attempt 1 again
    assert policy.after_failure(5.0) == 1.0
    assert policy.attempts == 1


def test_crash_after_three_seconds_with_three_attempts_restarts_forever() -> None:
    policy = RestartPolicy(3)
    for _ in range(50):
        assert policy.after_failure(3.0) is not None

"""The debounce machine, driven with a fake clock: bursts in, one evaluation out."""

from __future__ import annotations

import itertools

import pytest

from mittnite.core.clock import FakeClock
from mittnite.core.debounce import CancelTimer, DebounceMachine, Evaluate, StartTimer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable
    from typing import Any

    from mittnite.core.job import Action


class Sim:
    """Plays the asyncio adapter in virtual time: runs timers, records evaluations.

    An evaluation keeps its key busy for ``busy_for`` seconds, then reports done.
    """

    def __init__(self, quiet: float = 0.03, max_delay: float = 1.0, busy_for: float = 0.0):
        self.clock = FakeClock(start=0.0)
        self.machine = DebounceMachine(clock=self.clock, quiet=quiet, max_delay=max_delay)
        self.busy_for = busy_for
        self.timers: dict[Hashable, float] = {}
        self.done_at: dict[Hashable, float] = {}
        self.evaluations: list[tuple[Any, Any]] = []
        self.actions: list[Action] = []

    def apply(self, actions: Iterable[Action]) -> None:
        for action in actions:
            self.actions.append(action)
            if isinstance(action, StartTimer):
                assert action.delay >= 0
                self.timers[action.key] = self.clock.now + action.delay
            elif isinstance(action, CancelTimer):
                self.timers.pop(action.key, None)
            elif isinstance(action, Evaluate):
                self.evaluations.append((round(self.clock.now, 6), action.key))
                self.done_at[action.key] = self.clock.now + self.busy_for

    def run_until(self, until: float) -> None:
        while True:
            due = [(t, 0, k) for k, t in self.timers.items() if t <= until + 1e-12]
            due += [(t, 1, k) for k, t in self.done_at.items() if t <= until + 1e-12]
            if not due:
                break
            when, kind, key = min(due, key=lambda item: (item[0], item[1]))
            self.clock.now = max(self.clock.now, when)
            if kind == 0:
                del self.timers[key]
                self.apply(self.machine.timer_fired(key))
            else:
                del self.done_at[key]
                self.apply(self.machine.done(key))
        self.clock.now = max(self.clock.now, until)

    def event(self, at: float, key: Hashable = 0) -> None:
        self.run_until(at)
        self.apply(self.machine.changed(key))


def test_single_event_is_evaluated_after_the_quiet_time() -> None:
    clock = FakeClock()
    m = DebounceMachine(clock=clock, quiet=0.03, max_delay=1.0)
    assert m.changed(0) == [StartTimer(0, 0.03)]
    assert m.pending(0)
    clock.advance(0.03)
    assert m.timer_fired(0) == [Evaluate(0)]
    assert m.busy(0) and not m.pending(0)
    assert m.done(0) == []
    assert not m.busy(0) and not m.pending(0)


def test_a_burst_of_100_rapid_events_gives_one_evaluation() -> None:
    sim = Sim()
    for i in range(100):  # one write per millisecond: never quiet for 30 ms
        sim.event(i * 0.001)
    sim.run_until(10)
    assert sim.evaluations == [(pytest.approx(0.099 + 0.03), 0)]
    # The running timer is not replaced on every event: few timer actions in all.
    assert sum(isinstance(a, StartTimer) for a in sim.actions) <= 5


def test_quiet_time_counts_from_the_last_event() -> None:
    sim = Sim(quiet=0.05)
    sim.event(0.0)
    sim.event(0.04)
    sim.run_until(0.085)
    assert sim.evaluations == []
    sim.run_until(0.09)
    assert sim.evaluations == [(pytest.approx(0.09), 0)]


def test_separate_bursts_give_separate_evaluations() -> None:
    sim = Sim()
    sim.event(0.0)
    sim.event(0.01)
    sim.event(0.5)
    sim.run_until(5)
    assert [t for t, _ in sim.evaluations] == [pytest.approx(0.04), pytest.approx(0.53)]


def test_a_constant_stream_is_still_evaluated_every_max_delay() -> None:
    sim = Sim(quiet=0.03, max_delay=0.5)
    for i in range(200):  # an event every 10 ms for two seconds
        sim.event(i * 0.01)
    sim.run_until(10)
    times = [t for t, _ in sim.evaluations]
    assert len(times) >= 4  # never starved
    assert times[0] == pytest.approx(0.5)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap <= 0.5 + 1e-9 for gap in gaps)


def test_events_while_busy_lead_to_exactly_one_more_evaluation() -> None:
    sim = Sim(busy_for=1.0)  # the block's commands take a second
    sim.event(0.0)
    for i in range(1, 6):  # files keep changing meanwhile
        sim.event(0.03 + i * 0.1)
    sim.run_until(0.5)
    assert len(sim.evaluations) == 1  # no overlapping evaluation
    sim.run_until(10)
    # Done at 1.03; the last change (0.53) is long quiet by then: evaluated at once.
    assert [t for t, _ in sim.evaluations] == [pytest.approx(0.03), pytest.approx(1.03)]


def test_a_change_just_before_done_still_gets_its_quiet_time() -> None:
    sim = Sim(busy_for=0.2)
    sim.event(0.0)
    sim.event(0.22)  # the run ends at 0.23, 10 ms after this change
    sim.run_until(10)
    assert [t for t, _ in sim.evaluations] == [pytest.approx(0.03), pytest.approx(0.25)]


def test_keys_are_independent() -> None:
    sim = Sim(busy_for=0.5)
    sim.event(0.0, "a")
    sim.event(0.02, "b")
    sim.event(0.04, "a")  # "a" is busy now, "b" is pending
    sim.run_until(10)
    assert sim.evaluations == [
        (pytest.approx(0.03), "a"),
        (pytest.approx(0.05), "b"),
        (pytest.approx(0.53), "a"),
    ]


def test_forget_cancels_and_stale_timers_are_ignored() -> None:
    clock = FakeClock()
    m = DebounceMachine(clock=clock)
    m.changed(0)
    assert m.forget(0) == [CancelTimer(0)]
    clock.advance(1)
    assert m.timer_fired(0) == []
    assert m.done(0) == []
    assert m.forget(0) == []
    m.changed(0)
    clock.advance(0.1)
    m.timer_fired(0)
    assert m.forget(0) == []  # busy: nothing to cancel, but forgotten
    assert not m.busy(0)


def test_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError):
        DebounceMachine(clock=FakeClock(), quiet=0)
    with pytest.raises(ValueError):
        DebounceMachine(clock=FakeClock(), quiet=1, max_delay=0.5)

"""NamedTimers: what every adapter of a pure machine relies on."""

from __future__ import annotations

import asyncio

from mittnite.runtime.timers import NamedTimers


def test_restart_replaces_cancel_forgets_and_a_fired_timer_may_restart_itself() -> None:
    async def scenario() -> list[str]:
        fired: list[str] = []

        def on_fire(name: str) -> None:
            fired.append(name)
            if name == "again" and fired.count("again") < 3:
                timers.start("again", 0)  # forgotten before the callback: may start anew

        timers: NamedTimers[str] = NamedTimers(on_fire)
        timers.start("a", 0.01)
        timers.start("a", 0.02)  # replaces the first: "a" fires once
        timers.start("b", 0.01)
        timers.cancel("b")
        timers.cancel("never started")
        timers.start("again", 0)
        timers.start("c", 0.01)
        await asyncio.sleep(0.1)
        assert "a" not in timers and len(timers) == 0
        timers.start("d", 10)
        timers.start("e", 10)
        timers.cancel_all()
        assert len(timers) == 0
        await asyncio.sleep(0.05)
        return fired

    fired = asyncio.run(scenario())
    assert sorted(fired) == ["a", "again", "again", "again", "c"]

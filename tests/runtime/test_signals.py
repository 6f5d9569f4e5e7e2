"""Signals arrive as loop callbacks; group kills tolerate vanished groups."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from mittnite.runtime.signals import (
    FORWARDED_SIGNALS,
    HANDLED_SIGNALS,
    SHUTDOWN_SIGNALS,
    install_signal_handlers,
    kill_group,
)

from .procs import run, settle


def test_signals_become_loop_events_and_are_removed_again() -> None:
    async def scenario() -> list[int]:
        loop = asyncio.get_running_loop()
        received: list[int] = []
        done = loop.create_future()

        def on_signal(signum: int) -> None:
            received.append(signum)
            if len(received) == 3:
                done.set_result(None)

        subscription = install_signal_handlers(loop, on_signal)
        try:
            for signum in (signal.SIGUSR1, signal.SIGHUP, signal.SIGTERM):
                os.kill(os.getpid(), signum)
            await settle(done)
        finally:
            subscription.remove()
        assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL
        return received

    assert sorted(run(scenario())) == sorted([signal.SIGUSR1, signal.SIGHUP, signal.SIGTERM])


def test_signal_sets_are_chosen_deliberately() -> None:
    assert set(SHUTDOWN_SIGNALS) == {signal.SIGTERM, signal.SIGINT}
    assert signal.SIGHUP in FORWARDED_SIGNALS
    assert signal.SIGCHLD not in HANDLED_SIGNALS
    assert signal.SIGPIPE not in HANDLED_SIGNALS

    async def scenario() -> None:
        with pytest.raises(ValueError):
            install_signal_handlers(asyncio.get_running_loop(), print, [signal.SIGCHLD])

    run(scenario())


def test_kill_group_reports_a_vanished_group() -> None:
    # Find a pid number that is not in use: no process and thus no such group.
    unused = next(pid for pid in range(30000, 32000) if not os.path.exists(f"/proc/{pid}"))
    assert kill_group(unused, signal.SIGTERM) is False
    with pytest.raises(ValueError):
        kill_group(1, signal.SIGTERM)
    with pytest.raises(ValueError):
        kill_group(0, signal.SIGTERM)

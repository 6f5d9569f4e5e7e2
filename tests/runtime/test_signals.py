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


EARLY_PROBE = """
import os, signal, time
from mittnite.runtime.signals import (
    StartupInterrupted, early_signal, install_early_handlers, signals_deferred, signals_interrupt,
)
install_early_handlers()
with signals_deferred():
    os.kill(os.getpid(), signal.SIGTERM)      # recorded only
    time.sleep(0.05)
    print("deferred", early_signal())
    try:
        with signals_interrupt():             # pending: raised on entry
            print("not reached")
    except StartupInterrupted as stop:
        print("on entry", stop.signum)
try:
    os.kill(os.getpid(), signal.SIGINT)       # raising mode: interrupts at once
    time.sleep(5)
    print("not interrupted")
except StartupInterrupted as stop:
    print("raised", stop.signum)
"""


def test_early_handlers_record_or_interrupt() -> None:
    """Before the loop listens, a shutdown signal is recorded or interrupts, never kills."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", EARLY_PROBE], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == ["deferred 15", "on entry 15", "raised 2", ""]


def test_removing_loop_handlers_puts_the_previous_handlers_back() -> None:
    def mine(_signum: int, _frame: object) -> None:
        return None

    before = signal.signal(signal.SIGUSR2, mine)
    try:

        async def scenario() -> None:
            subscription = install_signal_handlers(
                asyncio.get_running_loop(), lambda _s: None, [signal.SIGUSR2]
            )
            assert signal.getsignal(signal.SIGUSR2) is not mine
            subscription.remove()

        run(scenario())
        assert signal.getsignal(signal.SIGUSR2) is mine
    finally:
        signal.signal(signal.SIGUSR2, before)


BURST_PROBE = """
import asyncio, os, signal
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.signals import install_signal_handlers
from mittnite.runtime.spawn import spawn

async def main():
    got = []
    async with Reaper() as reaper:
        subscription = install_signal_handlers(asyncio.get_running_loop(), got.append)
        children = []
        for index in range(800):  # the loop never runs meanwhile: SIGCHLD bytes pile up
            children.append(spawn(["true"], reaper=reaper))
            if index == 700:
                os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(asyncio.gather(*(c.exited for c in children)), 120)
        await asyncio.sleep(0.1)
        subscription.remove()
    print("signals", got)

asyncio.run(main())
"""


def test_a_sigchld_burst_neither_loses_sigterm_nor_prints_anything() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", BURST_PROBE], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "signals [15]"
    assert result.stderr == ""

"""Process groups: signals reach grandchildren, terminate() escalates to SIGKILL."""

from __future__ import annotations

import os
import signal
import sys
import time

from mittnite.runtime.reaper import Reaper
from mittnite.runtime.signals import kill_group
from mittnite.runtime.spawn import Child, spawn

from .procs import alive, eventually, members_of_group, run, settle, zombies_of

# Two background sleeps plus the shell itself: three members of the job's group.
FAMILY = "sleep 60 & sleep 60 & wait"


async def family_members(child: Child) -> list[int]:
    assert await eventually(lambda: len(members_of_group(child.pgid)) == 3)
    return members_of_group(child.pgid)


def test_each_child_leads_its_own_group() -> None:
    async def scenario() -> tuple[int, int, int]:
        async with Reaper() as reaper:
            child = spawn(["sleep", "30"], reaper=reaper)
            groups = (child.pid, child.pgid, os.getpgid(child.pid))
            await child.terminate(10)
            return groups

    pid, pgid, actual = run(scenario())
    assert pid == pgid == actual
    assert actual != os.getpgid(0)


def test_group_signal_reaches_grandchildren() -> None:
    async def scenario() -> tuple[list[int], str, bool, bool]:
        async with Reaper() as reaper:
            child = spawn(["sh", "-c", FAMILY], reaper=reaper)
            members = await family_members(child)
            assert child.signal_group(signal.SIGTERM)
            status = await settle(child.exited)
            gone = await eventually(lambda: not any(alive(pid) for pid in members))
            # Leader and orphaned grandchildren reaped: the group is empty, nothing to signal.
            assert await eventually(lambda: reaper.orphans_reaped == 2)
            return members, status.describe(), gone, child.signal_group(signal.SIGTERM)

    members, status, gone, signalled_again = run(scenario())
    assert len(members) == 3
    assert status == "signal: terminated"
    assert gone
    assert signalled_again is False
    assert zombies_of(os.getpid()) == []


def test_signal_to_main_process_only() -> None:
    async def scenario() -> tuple[str, bool, bool]:
        async with Reaper() as reaper:
            child = spawn(["sh", "-c", FAMILY], reaper=reaper)
            members = await family_members(child)
            grandchildren = [pid for pid in members if pid != child.pid]
            assert child.signal(signal.SIGKILL)
            status = await settle(child.exited)
            survivors = all(alive(pid) for pid in grandchildren)
            after_exit = child.signal(signal.SIGTERM)
            assert kill_group(child.pgid, signal.SIGKILL)
            assert await eventually(lambda: not any(alive(pid) for pid in grandchildren))
            return status.describe(), survivors, after_exit

    status, survivors, after_exit = run(scenario())
    assert status == "signal: killed"
    assert survivors  # only the leader got the signal
    assert after_exit is False  # an exited child is never signalled (no pid reuse risk)


def test_terminate_is_graceful_when_the_child_obeys() -> None:
    async def scenario() -> tuple[str, float]:
        async with Reaper() as reaper:
            child = spawn(["sleep", "60"], reaper=reaper)
            started = time.monotonic()
            status = await child.terminate(30)
            return status.describe(), time.monotonic() - started

    status, elapsed = run(scenario())
    assert status == "signal: terminated"
    assert elapsed < 20


def test_terminate_escalates_to_sigkill_for_the_whole_group() -> None:
    grace = 0.5

    async def scenario() -> tuple[str, float, list[int], bool]:
        async with Reaper() as reaper:
            # trap "" makes TERM ignored, and the sleeps inherit that.
            child = spawn(["sh", "-c", f'trap "" TERM; {FAMILY}'], reaper=reaper)
            members = await family_members(child)
            started = time.monotonic()
            status = await child.terminate(grace)
            elapsed = time.monotonic() - started
            gone = await eventually(lambda: not any(alive(pid) for pid in members))
            return status.describe(), elapsed, members, gone

    status, elapsed, members, gone = run(scenario())
    assert status == "signal: killed"
    assert grace <= elapsed < grace + 20
    assert len(members) == 3
    assert gone
    assert zombies_of(os.getpid()) == []


def test_terminate_with_another_signal_and_after_exit() -> None:
    async def scenario() -> tuple[str, str]:
        async with Reaper() as reaper:
            child = spawn(["sleep", "60"], reaper=reaper)
            first = await child.terminate(30, signal.SIGHUP)
            again = await child.terminate(30)
            return first.describe(), again.describe()

    assert run(scenario()) == ("signal: hangup", "signal: hangup")


def test_terminate_reaches_a_leader_that_left_its_group() -> None:
    # The child moves into mittnite's own group, leaving its original group empty.
    program = "import os, time; os.setpgid(0, os.getpgid(os.getppid())); time.sleep(60)"

    async def scenario() -> tuple[str, bool]:
        async with Reaper() as reaper:
            child = spawn([sys.executable, "-c", program], reaper=reaper)
            assert await eventually(lambda: os.getpgid(child.pid) == os.getpgid(0))
            status = await child.terminate(30)
            return status.describe(), child.signal_group(signal.SIGTERM)

    assert run(scenario()) == ("signal: terminated", False)

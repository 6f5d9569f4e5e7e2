"""The single reaper: every status reaches its owner, orphans are collected, nothing races."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mittnite.runtime.exitstatus import ExitStatus
from mittnite.runtime.reaper import Reaper, ReaperClosedError, is_child_subreaper
from mittnite.runtime.spawn import spawn

from .procs import children_of, eventually, run, settle, zombies_of

DRIVER = Path(__file__).with_name("driver.py")


def test_a_thousand_fast_children_all_report_their_own_status() -> None:
    async def scenario() -> tuple[list[ExitStatus], int, int]:
        async with Reaper() as reaper:
            children = []
            for index in range(1000):
                children.append(spawn(["true"], reaper=reaper))
                if index % 50 == 0:
                    await asyncio.sleep(0)  # let the reaper run between spawns too
            statuses = await settle(asyncio.gather(*(child.exited for child in children)), 120)
            return statuses, reaper.orphans_reaped, len(reaper.watched_pids)

    statuses, orphans, still_watched = run(scenario())
    assert len(statuses) == 1000
    assert all(status.describe() == "exit status 0" for status in statuses)
    assert orphans == 0
    assert still_watched == 0
    assert zombies_of(os.getpid()) == []


def test_statuses_are_routed_to_the_right_pid() -> None:
    async def scenario() -> tuple[list[int], list[int | None], int]:
        async with Reaper() as reaper:
            codes = [index % 256 for index in range(0, 3000, 11)]
            children = [spawn(["sh", "-c", f"exit {code}"], reaper=reaper) for code in codes]
            statuses = await settle(asyncio.gather(*(child.exited for child in children)), 120)
            return codes, [status.exit_code for status in statuses], reaper.orphans_reaped

    codes, seen, orphans = run(scenario())
    assert seen == codes
    assert orphans == 0


def test_orphans_are_reaped_and_counted_in_subreaper_mode() -> None:
    reported: list[tuple[int, ExitStatus]] = []

    async def scenario() -> tuple[ExitStatus, int, bool]:
        async with Reaper(on_orphan=lambda pid, status: reported.append((pid, status))) as reaper:
            script = "for i in $(seq 100); do sleep 0.5 & done; exit 5"
            job = spawn(["sh", "-c", script], reaper=reaper)
            job_status = await settle(job.exited)
            assert await eventually(lambda: reaper.orphans_reaped >= 100)
            assert await eventually(lambda: not children_of(os.getpid()))
            return job_status, reaper.orphans_reaped, reaper.subreaper

    job_status, orphans, subreaper = run(scenario())
    assert job_status.describe() == "exit status 5"
    assert orphans == 100
    assert subreaper and is_child_subreaper()
    assert len({pid for pid, _ in reported}) == 100
    assert all(status.success for _, status in reported)
    assert zombies_of(os.getpid()) == []


def run_driver(prefix: list[str], scenario: str) -> dict[str, Any]:
    completed = subprocess.run(
        [*prefix, sys.executable, str(DRIVER), scenario],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def check_orphan_report(report: dict[str, Any]) -> None:
    assert report["job"] == "exit status 7"
    assert report["job_pid_among_orphans"] is False
    assert report["orphans_reaped"] == 100
    assert report["distinct_orphans"] == 100
    assert report["fast_ok"] == 200
    assert report["left_children"] == []


def test_orphans_in_a_separate_subreaper_process() -> None:
    report = run_driver([], "orphans")
    check_orphan_report(report)
    assert report["pid"] != 1
    assert report["subreaper"] is True
    assert report["is_child_subreaper"] is True


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_orphans_as_pid_1_of_a_pid_namespace() -> None:
    report = run_driver(["unshare", "--pid", "--fork", "--mount-proc"], "orphans")
    check_orphan_report(report)
    assert report["pid"] == 1
    assert report["subreaper"] is False  # PID 1 inherits every orphan anyway


def test_children_that_exited_before_start_are_drained_at_start() -> None:
    early = subprocess.Popen(["true"])  # exits while nobody reaps
    assert run_until_zombie(early.pid)

    async def scenario() -> int:
        async with Reaper() as reaper:
            return reaper.orphans_reaped

    assert run(scenario()) == 1
    early.returncode = 0  # keep Popen's __del__ from waiting on a reaped pid
    assert zombies_of(os.getpid()) == []


def run_until_zombie(pid: int) -> bool:
    async def wait() -> bool:
        return await eventually(lambda: pid in zombies_of(os.getpid()))

    return run(wait())


def test_close_fails_children_still_running() -> None:
    async def scenario() -> tuple[BaseException | None, int]:
        reaper = Reaper()
        reaper.start()
        child = spawn(["sleep", "30"], reaper=reaper)
        reaper.close()
        error = child.exited.exception()
        os.kill(child.pid, 9)
        os.waitpid(child.pid, 0)  # no reaper any more: the test cleans up itself
        return error, child.pid

    error, _pid = run(scenario())
    assert isinstance(error, ReaperClosedError)


def test_watch_requires_a_running_reaper() -> None:
    reaper = Reaper()
    with pytest.raises(RuntimeError):
        reaper.watch(12345)

    async def scenario() -> None:
        async with Reaper() as running:
            with pytest.raises(RuntimeError, match="spawn"):
                spawn(["true"], reaper=reaper)
            child = spawn(["true"], reaper=running)
            with pytest.raises(RuntimeError, match="already watched"):
                running.watch(child.pid)
            await settle(child.exited)

    run(scenario())


def test_a_failing_orphan_callback_does_not_stop_reaping() -> None:
    errors: list[dict[str, Any]] = []

    def broken(_pid: int, _status: ExitStatus) -> None:
        raise RuntimeError("bug in callback")

    async def scenario() -> tuple[int, ExitStatus]:
        asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))
        async with Reaper(on_orphan=broken) as reaper:
            job = spawn(["sh", "-c", "sleep 0.2 & sleep 0.2 & sleep 0.2 & exit 0"], reaper=reaper)
            status = await settle(job.exited)
            assert await eventually(lambda: reaper.orphans_reaped >= 3)
            return reaper.orphans_reaped, status

    orphans, status = run(scenario())
    assert orphans == 3
    assert status.success
    assert len(errors) == 3
    assert zombies_of(os.getpid()) == []

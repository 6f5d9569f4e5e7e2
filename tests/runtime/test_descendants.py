"""The process tree below mittnite, the shutdown sweep, and orphans attributed to their job."""

from __future__ import annotations

import os
from pathlib import Path

from mittnite.runtime.descendants import Sweep, descendants, parse_stat, read_process
from mittnite.runtime.reaper import Orphan, Reaper
from mittnite.runtime.spawn import spawn

from .procs import children_of, eventually, run, settle


def test_stat_lines_with_odd_command_names() -> None:
    line = b"42 (a) (b c) S 7 42 40 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0"
    info = parse_stat(42, line)
    assert (info.pid, info.state, info.ppid, info.pgid, info.sid, info.start_time) == (
        42,
        "S",
        7,
        42,
        40,
        12345,
    )
    assert info.alive and not parse_stat(42, line.replace(b" S ", b" Z ")).alive


def test_the_tree_holds_setsid_daemons_and_the_sweep_stops_them(tmp_path: Path) -> None:
    """SIGTERM to all, SIGKILL to the one that ignores it, after the grace time."""
    term_marker = tmp_path / "term"
    script = (
        f'setsid sh -c \'trap "touch {term_marker}; exit 0" TERM; touch {tmp_path}/a; '
        "while :; do sleep 0.1; done' & "
        f"setsid sh -c 'trap \"\" TERM; touch {tmp_path}/b; while :; do sleep 0.1; done' & "
        "exec sleep 60"
    )

    async def scenario() -> tuple[list[int], list[int], int]:
        async with Reaper() as reaper:
            child = spawn(["sh", "-c", script], reaper=reaper)

            def daemons() -> list[int]:
                return [p.pid for p in descendants(child.pid) if p.alive and p.sid == p.pid]

            assert await eventually(lambda: len(daemons()) == 2)  # sessions of their own
            assert await eventually(lambda: (tmp_path / "a").exists() and (tmp_path / "b").exists())
            sweep = Sweep(root=child.pid)
            sweep.terminate(sweep.living())
            await sweep.finish(3.0)  # the trap needs a moment on a loaded machine
            assert await eventually(lambda: not [p for p in descendants(child.pid) if p.alive])
            child.signal(9)
            await settle(child.exited)
            # sleeps whose daemon died went to this (subreaper) process: let them finish here
            assert await eventually(lambda: children_of(os.getpid()) == [])
            return sweep.terminated, sweep.killed, len(sweep.living())

    terminated, killed, left = run(scenario())
    assert term_marker.exists()
    assert len(terminated) >= 3 and killed and left == 0


def test_processes_that_are_gone_are_not_signalled() -> None:
    async def scenario() -> list[int]:
        async with Reaper() as reaper:
            child = spawn(["true"], reaper=reaper)
            info = read_process(child.pid)
            await settle(child.exited)
            sweep = Sweep()
            if info is not None:
                sweep.terminate([info])
            return sweep.terminated

    assert run(scenario()) == []


def test_orphans_are_attributed_to_the_job_whose_group_they_were_in() -> None:
    async def scenario() -> list[Orphan]:
        orphans: list[Orphan] = []
        async with Reaper(on_orphan_reaped=orphans.append) as reaper:
            child = spawn(["sh", "-c", "sleep 0.2 & exit 3"], reaper=reaper, label="web")
            status = await settle(child.exited)
            assert status.exit_code == 3
            await eventually(lambda: any(o.pgid == child.pid for o in orphans))
            assert reaper.label_of(child.pid) == "web"
            # earlier tests may leave strays re-parented to this (subreaper) process
            return [o for o in orphans if o.pgid == child.pid]

    orphans = run(scenario())
    assert len(orphans) == 1
    orphan = orphans[0]
    assert orphan.label == "web" and orphan.status.exit_code == 0 and orphan.pid != os.getpid()

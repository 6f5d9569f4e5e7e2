"""A stand-alone mittnite-like init used by the tests, printing what it saw as JSON.

Run it as a plain process (subreaper mode) or as PID 1 of a new PID namespace
(``unshare --pid --fork --mount-proc``). Scenarios:

* ``orphans``: a job forks 100 grandchildren and exits while they live on; every status
  must arrive, the job's own status must not be counted as an orphan, no zombie may stay.
* ``cleanslate``: start with a blocked signal and ignored signals (as an odd parent would
  leave them), call ``prepare_process_for_supervision`` and report what a spawned child
  inherits.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from typing import Any

from mittnite.runtime.cleanslate import prepare_process_for_supervision
from mittnite.runtime.reaper import Reaper, is_child_subreaper
from mittnite.runtime.spawn import spawn

GRANDCHILDREN = 100
FAST_SPAWNS = 200


def _proc_children() -> list[tuple[int, str]]:
    me = os.getpid()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                text = handle.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == me:
            found.append((int(name), fields[0]))
    return found


async def _wait_for(check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def orphans() -> dict[str, Any]:
    orphan_pids: list[int] = []
    async with Reaper(on_orphan=lambda pid, _status: orphan_pids.append(pid)) as reaper:
        script = f"for i in $(seq {GRANDCHILDREN}); do sleep 0.5 & done; exit 7"
        job = spawn(["sh", "-c", script], reaper=reaper)
        job_status = await asyncio.wait_for(job.exited, 60)
        await _wait_for(lambda: reaper.orphans_reaped >= GRANDCHILDREN, 60)
        fast_ok = 0
        for _ in range(FAST_SPAWNS):
            status = await asyncio.wait_for(spawn(["true"], reaper=reaper).exited, 60)
            fast_ok += status.success
        await _wait_for(lambda: not _proc_children(), 30)
        return {
            "pid": os.getpid(),
            "subreaper": reaper.subreaper,
            "is_child_subreaper": is_child_subreaper(),
            "job": job_status.describe(),
            "job_pid_among_orphans": job.pid in orphan_pids,
            "orphans_reaped": reaper.orphans_reaped,
            "distinct_orphans": len(set(orphan_pids)),
            "fast_ok": fast_ok,
            "left_children": _proc_children(),
        }


def _mask_fields(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as handle:
        lines = handle.read().splitlines()
    return {
        key: value.strip()
        for key, _, value in (line.partition(":") for line in lines)
        if key in ("SigBlk", "SigIgn", "SigCgt")
    }


async def cleanslate() -> dict[str, Any]:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    for signum in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_IGN)
    report = prepare_process_for_supervision()
    async with Reaper() as reaper:
        child = spawn(["sleep", "30"], reaper=reaper)
        child_fields = _mask_fields(child.pid)
        own_fields = _mask_fields(os.getpid())
        child.signal(signal.SIGHUP)  # default disposition: it must die of it
        status = await asyncio.wait_for(child.exited, 60)
    return {
        "unblocked": sorted(report.unblocked),
        "unignored": sorted(report.unignored),
        "child": child_fields,
        "self": own_fields,
        "hup_status": status.describe(),
    }


SCENARIOS = {"orphans": orphans, "cleanslate": cleanslate}


def main() -> None:
    result = asyncio.run(SCENARIOS[sys.argv[1]]())
    print(json.dumps(result))


if __name__ == "__main__":
    main()

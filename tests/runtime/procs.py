"""Helpers for runtime tests: run a scenario on a fresh loop, look at real processes in /proc."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# Generous: the machine is shared, has two cores, and the tests must never flake.
SCENARIO_TIMEOUT = 120.0


def run(scenario: Coroutine[Any, Any, T]) -> T:
    """Run one scenario on a new event loop, bounded so a bug fails instead of hanging."""

    async def bounded() -> T:
        return await asyncio.wait_for(scenario, SCENARIO_TIMEOUT)

    return asyncio.run(bounded())


async def eventually(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll ``check`` (test-side only) until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.02)
    return check()


async def settle(awaitable: Awaitable[T], timeout: float = 30.0) -> T:
    return await asyncio.wait_for(awaitable, timeout)


def status_fields(pid: int) -> dict[str, str]:
    """``/proc/<pid>/status`` as a dict; empty when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            lines = handle.read().splitlines()
    except (FileNotFoundError, ProcessLookupError):
        return {}
    fields: dict[str, str] = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def stat_of(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, pgrp) of a process from ``/proc/<pid>/stat``, or None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    after_name = text[text.rindex(")") + 2 :].split()
    return after_name[0], int(after_name[1]), int(after_name[2])


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def children_of(parent: int) -> list[tuple[int, str]]:
    """(pid, state) of every process whose parent is ``parent``."""
    found = []
    for pid in all_pids():
        info = stat_of(pid)
        if info is not None and info[1] == parent:
            found.append((pid, info[0]))
    return found


def zombies_of(parent: int) -> list[int]:
    return [pid for pid, state in children_of(parent) if state == "Z"]


def members_of_group(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    members = []
    for pid in all_pids():
        info = stat_of(pid)
        if info is not None and info[2] == pgid and info[0] != "Z":
            members.append(pid)
    return members


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    info = stat_of(pid)
    return info is not None and info[0] != "Z"

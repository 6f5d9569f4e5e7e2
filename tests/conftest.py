"""Suite-wide guard: a test must not leave processes behind.

Many tests start a ``Reaper`` inside the pytest process, which makes pytest a child
subreaper: from then on every orphan of every test (a daemon a job double-forked, the
jobs of a ``mittnite`` that was killed) is re-parented to pytest. One such leftover makes
later tests fail in confusing ways (a stray zombie is counted as an orphan, a "no child is
left" check never holds). So each test is checked at the end of its teardown: processes
that became pytest's children during the test and are still there are killed and reaped,
and the test that left them errors with their command lines, instead of a later test.

Processes started while fixtures are set up (module-scoped servers such as nginx or a
throwaway redis) are not counted; zombies nobody collected are reaped silently.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator

import pytest

_GRACE = 5.0
"""How long leftovers get to go away on their own (a test's last kill is still landing)."""

_KEY = pytest.StashKey[frozenset[int]]()


def _children() -> dict[int, tuple[str, str]]:
    """pytest's child processes: pid -> (state letter, command line)."""
    me = os.getpid()
    found: dict[int, tuple[str, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) != me:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            command = ""
        found[int(entry)] = (fields[0], command[:200])
    return found


def _reap(pid: int) -> bool:
    """Collect ``pid`` if it has exited; True when it is gone."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    yield
    item.stash[_KEY] = frozenset(_children())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield
    before = item.stash.get(_KEY, None)
    if before is None:
        return
    deadline = time.monotonic() + _GRACE
    while True:
        new = {pid: info for pid, info in _children().items() if pid not in before}
        alive = {pid: info for pid, info in new.items() if not _reap(pid)}
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if not alive:
        return
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in alive:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    described = ", ".join(
        f"{pid} ({command or 'no command line'})" for pid, (_, command) in alive.items()
    )
    pytest.fail(f"the test left processes behind (killed now): {described}", pytrace=False)

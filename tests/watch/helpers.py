"""Shared test helpers: run a coroutine with a deadline, record triggers and log lines."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import time

from mittnite.config.model import Watch, WatchCommand
from mittnite.logs.logger import Logger
from mittnite.supervisor.watch import FileWatcher

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

# Generous: the tests share two cores with other work. Waits end as soon as
# the awaited thing happens; only "nothing happens" checks sit out a period.
DEADLINE = 10.0
SETTLE = 1.0


def run(coro: Coroutine[Any, Any, None], timeout: float = 60.0) -> None:
    asyncio.run(asyncio.wait_for(coro, timeout))


class Recorder:
    """Plays the supervisor: records actions and commands, in order."""

    def __init__(self, *, action_delay: float = 0.0, command_error: str | None = None) -> None:
        self.triggers: list[tuple[str, list[tuple[str, str]]]] = []
        self.events: list[str] = []  # "pre:<cmd>", "action:<glob>", "post:<cmd>"
        self.action_delay = action_delay
        self.command_error = command_error
        self.active = 0
        self.max_active = 0
        self.stream = io.StringIO()
        self.logger = Logger(self.stream, level="info", fmt="text")
        self._changed = asyncio.Event()

    async def on_trigger(self, watch: Watch, changes: list[tuple[str, str]]) -> None:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            self.events.append(f"action:{watch.filename}")
            if self.action_delay:
                await asyncio.sleep(self.action_delay)
            self.triggers.append((watch.filename, list(changes)))
            self._changed.set()
        finally:
            self.active -= 1

    async def run_command(self, command: WatchCommand) -> str | None:
        self.events.append(f"{'pre' if 'pre' in command.command else 'post'}:{command.command}")
        return self.command_error

    def watcher(self, job: str, *watches: Watch, **options: Any) -> FileWatcher:
        return FileWatcher(
            job,
            watches,
            on_trigger=self.on_trigger,
            run_command=self.run_command,
            logger=self.logger,
            **options,
        )

    async def wait_for(self, count: int, timeout: float = DEADLINE) -> None:
        """Until ``count`` triggers were recorded (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while len(self.triggers) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"expected {count} triggers, got {self.triggers}"
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    @property
    def log_lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


def write(path: str | os.PathLike[str], text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def replace_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write a temp file next to ``path`` and rename it over (how mittnite renders)."""
    temp = f"{os.fspath(path)}.tmp"
    write(temp, text)
    os.replace(temp, path)

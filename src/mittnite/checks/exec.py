"""``exec { command args }``: passes when the command exits 0 within the timeout.

The command is started like a job (own process group, clean signal state, stdin from
``/dev/null``, no stray descriptors) through :func:`mittnite.runtime.spawn.spawn`, and
its exit status comes from the run's single :class:`~mittnite.runtime.reaper.Reaper`:
nothing here waits for children any other way (a second waiter would steal statuses).

An attempt that is abandoned (timeout, cancellation) kills the command's whole process
group with SIGKILL at once: a check is disposable, and a hung ``pg_isready`` must not
pile up behind the next attempt. The reaper collects it afterwards.

Output (stdout and stderr together) is read as it comes, so a chatty command never
blocks on a full pipe; only the last :data:`OUTPUT_TAIL` bytes are kept, to explain a
failure (``exec: pg_isready: exit status 2: no response``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

from ..runtime.goerrors import SpawnError
from ..runtime.spawn import spawn
from .base import CheckFailed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..runtime.reaper import Reaper
    from ..runtime.spawn import Environment

__all__ = ["OUTPUT_TAIL", "ExecCheck"]

OUTPUT_TAIL = 512
"""Bytes of output kept to explain a failure."""


class _Tail:
    """Drains a non-blocking pipe on the loop, keeping its last bytes."""

    def __init__(self, fd: int, limit: int) -> None:
        self.fd = fd
        self.limit = limit
        self.data = bytearray()
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(fd, self.drain)

    def drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self._loop.remove_reader(self.fd)
                return
            self.data += chunk
            if len(self.data) > self.limit:
                del self.data[: len(self.data) - self.limit]

    def close(self) -> None:
        self._loop.remove_reader(self.fd)
        os.close(self.fd)

    def text(self) -> str:
        lines = bytes(self.data).decode("utf-8", "replace").strip().splitlines()
        return " / ".join(line.strip() for line in lines[-3:] if line.strip())


class ExecCheck:
    """Run ``argv``; exit status 0 passes."""

    kind = "exec"

    def __init__(
        self,
        argv: Sequence[str],
        *,
        reaper: Reaper,
        env: Environment | None = None,
        cwd: str | None = None,
    ) -> None:
        if not argv or not argv[0]:
            raise ValueError("exec check: command is empty")
        self.argv = tuple(argv)
        self.reaper = reaper
        self.env = env
        self.cwd = cwd
        self.target = " ".join(self.argv)

    async def check(self) -> None:
        read_fd, write_fd = os.pipe2(os.O_CLOEXEC)
        os.set_blocking(read_fd, False)
        try:
            child = spawn(
                self.argv,
                reaper=self.reaper,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=write_fd,
                stderr=write_fd,
            )
        except SpawnError as error:
            os.close(read_fd)
            raise CheckFailed(f"exec: {error}") from None
        finally:
            os.close(write_fd)
        tail = _Tail(read_fd, OUTPUT_TAIL)
        try:
            status = await asyncio.shield(child.exited)
            tail.drain()  # whatever is left; a grandchild holding the pipe is not awaited
        finally:
            if not child.exited.done():
                child.signal_group(signal.SIGKILL)
                child.signal(signal.SIGKILL)
            tail.close()
        if status.success:
            return
        output = tail.text()
        message = f"exec: {self.argv[0]}: {status.describe()}"
        raise CheckFailed(f"{message}: {output}" if output else message)

    async def aclose(self) -> None:
        """Nothing is kept between attempts."""

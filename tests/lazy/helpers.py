"""Shared pieces of the lazy/forwarding tests: scenarios, descriptors, loggers, processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import subprocess
import sys
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

from mittnite.runtime.activation import Handoff
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import Child, spawn

T = TypeVar("T")

# Generous everywhere: two shared cores, tests must never flake.
SCENARIO_TIMEOUT = 180.0
UPSTREAM = str(Path(__file__).with_name("upstream.py"))


def run(scenario: Coroutine[Any, Any, T], timeout: float = SCENARIO_TIMEOUT) -> T:
    """Run one scenario on a fresh loop, bounded so a bug fails instead of hanging."""

    async def bounded() -> T:
        return await asyncio.wait_for(scenario, timeout)

    return asyncio.run(bounded())


def open_fds() -> set[int]:
    """This process's open descriptors, from /proc (includes the listing's own fd)."""
    return {int(name) for name in os.listdir("/proc/self/fd")}


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


async def fds_back_to(baseline: int, timeout: float = 10.0) -> int:
    """Wait (test side) until the descriptor count is back to ``baseline``; return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while fd_count() > baseline and loop.time() < deadline:
        await asyncio.sleep(0.02)
    return fd_count()


async def eventually(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= wanted:
        return
    if hard != resource.RLIM_INFINITY and hard < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))  # root may raise it
            return
        wanted = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def ipv6_available() -> bool:
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    except OSError:
        return False
    try:
        probe.bind(("::1", 0))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RecordingLogger:
    """Collects log entries (``log`` like ``BoundLogger``) for assertions."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, Any]]] = []

    def log(self, level: str, msg: str, fields: Mapping[str, Any] | None = None) -> None:
        self.entries.append((level, msg, dict(fields or {})))

    def with_fields(self, **fields: object) -> RecordingLogger:
        return self

    def messages(self, level: str | None = None) -> list[str]:
        return [msg for lvl, msg, _ in self.entries if level is None or lvl == level]

    def find(self, msg: str) -> list[dict[str, Any]]:
        return [fields for _, m, fields in self.entries if m == msg]


async def connect(address: str, *, unix: bool = False, timeout: float = 30.0) -> socket.socket:
    """A non-blocking client socket connected to ``host:port`` or a unix path."""
    loop = asyncio.get_running_loop()
    if unix:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: Any = address
    else:
        host, _, port = address.rpartition(":")
        host = host.strip("[]")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        target = (host, int(port))
    sock.setblocking(False)
    try:
        await asyncio.wait_for(loop.sock_connect(sock, target), timeout)
    except BaseException:
        sock.close()
        raise
    return sock


async def read_all(sock: socket.socket, limit: int = 1 << 30) -> bytes:
    """Read until end of stream (a reset counts as the end); at most ``limit`` bytes."""
    loop = asyncio.get_running_loop()
    chunks = bytearray()
    while len(chunks) < limit:
        try:
            data = await loop.sock_recv(sock, 1 << 16)
        except ConnectionResetError:
            break
        if not data:
            break
        chunks += data
    return bytes(chunks)


class Upstream:
    """``upstream.py`` running as a real process outside any reaper (forwarder tests)."""

    def __init__(self, proc: subprocess.Popen[bytes], address: str) -> None:
        self.proc = proc
        self.address = address

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


async def start_upstream(*args: str) -> Upstream:
    """Run an echo upstream on a free loopback port and wait until it listens."""
    address = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [sys.executable, UPSTREAM, "tcp", address, *args],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, proc.stdout.readline)
    proc.stdout.close()  # said all it will say; keeps descriptor counts simple
    assert line.strip() == b"listening", line
    return Upstream(proc, address)


class SpawnedProcess:
    """A real ``ProcessControl`` for the tests, on mittnite's own spawn and reaper."""

    def __init__(self, argv: list[str], reaper: Reaper, stop_timeout: float = 5.0) -> None:
        self.argv = argv
        self.reaper = reaper
        self.stop_timeout = stop_timeout
        self.child: Child | None = None
        self.spawned: list[int] = []
        self.exits: list[tuple[bool, str]] = []
        self._handler: Callable[[bool, str], None] | None = None
        self._watchers: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        return self.child is not None and not self.child.exited.done()

    def set_exit_handler(self, handler: Callable[[bool, str], None]) -> None:
        self._handler = handler

    async def start(self, handoff: Handoff | None = None) -> None:
        child = spawn(self.argv, reaper=self.reaper, stdin=subprocess.DEVNULL, handoff=handoff)
        self.child = child
        self.spawned.append(child.pid)
        task = asyncio.get_running_loop().create_task(self._watch(child))
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    async def _watch(self, child: Child) -> None:
        status = await child.exited
        self.exits.append((status.success, status.describe()))
        if self._handler is not None:
            self._handler(status.success, status.describe())

    async def stop(self) -> None:
        if self.child is not None:
            await self.child.terminate(self.stop_timeout)
            await asyncio.gather(*tuple(self._watchers))

    def signal(self, signum: int) -> None:
        if self.child is not None:
            self.child.signal_group(signum)

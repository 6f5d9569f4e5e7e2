"""Running the activated job (``job.py``) on mittnite's reaper and the handoff spawn path."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mittnite.config.addresses import parse_address
from mittnite.runtime.activation import ActivatedSockets
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import Child, spawn

JOB = str(Path(__file__).with_name("job.py"))


def fixed_port() -> int:
    """A free port below the kernel's ephemeral range.

    The port goes into a configuration, so it is free only until something else binds
    it; a port from ``bind(0)`` is from the ephemeral range, which the kernel hands out
    again to the next ``bind(0)`` or ``connect`` (mittnite's own probe server, ``-p 0``,
    took one once). Ports below the range are only ever taken on purpose.
    """
    low = _ephemeral_low()
    while True:
        port = random.randrange(10000, low)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def _ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
            low = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return max(low, 10001)


def sockets(*blocks: tuple[str, str, str]) -> ActivatedSockets:
    """``(address, protocol, name)`` per listen block, opened."""
    activated = ActivatedSockets(
        [(parse_address(address, protocol), name) for address, protocol, name in blocks]
    )
    activated.open()
    return activated


class RunningJob:
    """A spawned ``job.py`` and the report it printed first."""

    def __init__(self, child: Child, report: dict[str, Any], output: Any) -> None:
        self.child = child
        self.report = report
        self._output = output

    async def stop(self) -> None:
        await self.child.terminate(10.0)
        self._output.close()


async def start_job(
    activated: ActivatedSockets,
    reaper: Reaper,
    *,
    hold: bool = False,
    env: Mapping[str, str] | Sequence[bytes] | None = None,
    argv: Sequence[str] | None = None,
) -> RunningJob:
    read_end, write_end = os.pipe()
    try:
        command = list(argv) if argv is not None else [sys.executable, JOB]
        if hold:
            command.append("--hold")
        child = spawn(
            command,
            handoff=activated.handoff(),
            reaper=reaper,
            env=env,
            stdout=write_end,
        )
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    output = os.fdopen(read_end, "rb")
    try:
        line = await asyncio.get_running_loop().run_in_executor(None, output.readline)
        assert line, "the job printed nothing"
    except BaseException:  # cancelled or failed while starting: leave no process behind
        await child.terminate(5, signal.SIGKILL)
        output.close()
        raise
    return RunningJob(child, json.loads(line), output)


async def ask(address: str, *, unix: bool = False) -> tuple[dict[str, Any], object]:
    """Connect, read the job's one-line answer; returns it and our own address."""
    loop = asyncio.get_running_loop()
    if unix:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: Any = "\0" + address[1:] if address.startswith("@") else address
    else:
        host, _, port = address.rpartition(":")
        host = host.strip("[]")
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        target = (host, int(port))
    sock.setblocking(False)
    with sock:
        await asyncio.wait_for(loop.sock_connect(sock, target), 60)
        me = sock.getsockname()
        data = b""
        while not data.endswith(b"\n"):
            chunk = await asyncio.wait_for(loop.sock_recv(sock, 4096), 60)
            if not chunk:
                break
            data += chunk
    answer: dict[str, Any] = json.loads(data)
    return answer, me

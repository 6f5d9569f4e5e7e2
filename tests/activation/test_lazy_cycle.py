"""A lazy activated job end to end: started by its first connection (which waits in the
accept queue and is accepted by the job itself), stopped after the cool-down once the
sockets show no activity, started again by the next connection.

``Cycle`` below is the glue phase 2 puts into the lazy job (watch → start → monitor →
cool-down → stop → watch); here it is kept minimal so the runtime parts are tested
together with real processes.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
from typing import Any

from mittnite.runtime.activation import ActivatedSockets, ActivityMonitor
from mittnite.runtime.goerrors import SpawnError
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.sockdiag import Activity, ListenerDiag

from ..lazy.helpers import eventually, run
from .helpers import RunningJob, ask, sockets, start_job

INTERVAL = 0.05
COOL_DOWN = 0.3


class Cycle:
    """Starts the job on the first queued connection, stops it after the cool-down."""

    def __init__(
        self, activated: ActivatedSockets, reaper: Reaper, argv: list[str] | None = None
    ) -> None:
        self.activated = activated
        self.reaper = reaper
        self.argv = argv
        self.loop = asyncio.get_running_loop()
        self.pids: list[int] = []
        self.stops = 0
        self.failures: list[str] = []
        self.drained = 0
        self.job: RunningJob | None = None
        self.monitor: ActivityMonitor | None = None
        self._task: asyncio.Task[None] | None = None

    def arm(self) -> None:
        self.activated.watch(self._pending)

    def _pending(self, _index: int) -> None:
        self._task = self.loop.create_task(self._serve())

    async def _serve(self) -> None:
        try:
            job = await start_job(self.activated, self.reaper, hold=True, argv=self.argv)
        except SpawnError as error:
            self.failures.append(str(error))
            self.drained += self.activated.drain()  # nobody will serve them: close them
            self.arm()
            return
        self.job = job
        self.pids.append(job.child.pid)
        cooled = asyncio.Event()
        timer: list[asyncio.TimerHandle] = []

        def idle() -> None:
            timer.append(self.loop.call_later(COOL_DOWN, cooled.set))

        def busy() -> None:
            while timer:
                timer.pop().cancel()

        self.monitor = ActivityMonitor(
            self.activated.sockets, interval=INTERVAL, on_busy=busy, on_idle=idle
        )
        self.monitor.start()
        exited = asyncio.ensure_future(asyncio.shield(job.child.exited))
        await asyncio.wait([exited, asyncio.ensure_future(cooled.wait())], return_when="FIRST_COMPLETED")
        self.monitor.stop()
        busy()
        await job.stop()
        self.job = None
        self.stops += 1
        self.arm()

    async def close(self) -> None:
        self.activated.unwatch()
        if self.monitor is not None:
            self.monitor.stop()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.job is not None:
            await self.job.stop()


async def open_client(address: str) -> tuple[socket.socket, Any]:
    loop = asyncio.get_running_loop()
    host, _, port = address.rpartition(":")
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, (host, int(port)))
    return sock, sock.getsockname()


async def read_line(sock: socket.socket) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while not data.endswith(b"\n"):
        chunk = await asyncio.wait_for(loop.sock_recv(sock, 4096), 60)
        if not chunk:
            break
        data += chunk
    return data


def test_start_on_first_connection_stop_after_cool_down_start_again() -> None:
    async def scenario() -> None:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        address = activated.addresses[0]
        async with Reaper() as reaper:
            cycle = Cycle(activated, reaper)
            cycle.arm()
            try:
                assert cycle.pids == []  # nothing runs before the first connection

                # The first client connects before any process exists; it waits in the
                # kernel's queue and is accepted by the job itself, real address and all.
                first, me = await open_client(address)
                assert b'"peer": ["127.0.0.1", %d]' % me[1] in await read_line(first)
                assert await eventually(lambda: cycle.monitor is not None)
                assert len(cycle.pids) == 1

                # Held open: however many samples pass, the job keeps running.
                monitor = cycle.monitor
                assert monitor is not None
                target = monitor.samples + 3 * round(COOL_DOWN / INTERVAL)
                assert await eventually(lambda: monitor.samples >= target, timeout=120)
                assert cycle.stops == 0 and monitor.busy

                first.close()  # the last connection ends: idle, then the cool-down
                assert await eventually(lambda: cycle.stops == 1, timeout=120)
                assert activated.watching  # back to waiting for a connection

                second_answer, me2 = await ask(address)
                assert second_answer["peer"] == list(me2)
                # The job may answer before its starter has recorded it.
                assert await eventually(lambda: len(cycle.pids) == 2)
                assert cycle.pids[0] != cycle.pids[1]
            finally:
                await cycle.close()
        activated.close()

    run(scenario())


def test_a_connection_on_any_of_several_sockets_keeps_the_job_busy() -> None:
    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "admin.sock")
            activated = sockets(("127.0.0.1:0", "tcp", "web"), (path, "unix", "admin"))
            async with Reaper() as reaper:
                cycle = Cycle(activated, reaper)
                cycle.arm()
                try:
                    loop = asyncio.get_running_loop()
                    admin = socket.socket(socket.AF_UNIX)
                    admin.setblocking(False)
                    await loop.sock_connect(admin, path)  # starts the job via fd 4
                    assert b'"name": "admin"' in await read_line(admin)
                    assert await eventually(lambda: cycle.monitor is not None)
                    monitor = cycle.monitor
                    assert monitor is not None
                    target = monitor.samples + 3 * round(COOL_DOWN / INTERVAL)
                    assert await eventually(lambda: monitor.samples >= target, timeout=120)
                    assert cycle.stops == 0
                    admin.close()
                    assert await eventually(lambda: cycle.stops == 1, timeout=120)
                finally:
                    await cycle.close()
            activated.close()

    run(scenario())


def test_waiting_for_a_connection_takes_nothing_and_fires_once() -> None:
    async def scenario() -> None:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        fired: list[int] = []
        activated.watch(fired.append)
        client, _ = await open_client(activated.addresses[0])
        assert await eventually(lambda: fired == [0])
        diag = ListenerDiag(activated.sockets[0])
        assert diag.sample() == Activity(1, 0)  # still queued for the job
        assert activated.pending()
        await asyncio.sleep(0.2)  # the loop keeps running: no second call, no spinning
        assert fired == [0] and not activated.watching
        activated.watch(fired.append)  # re-armed while a connection waits: fires at once
        assert await eventually(lambda: fired == [0, 0])
        client.close()
        activated.close()

    run(scenario())


def test_a_job_that_cannot_start_closes_the_waiting_connections() -> None:
    async def scenario() -> None:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        async with Reaper() as reaper:
            cycle = Cycle(activated, reaper, argv=["/no/such/job"])
            cycle.arm()
            try:
                client, _ = await open_client(activated.addresses[0])
                assert await read_line(client) == b""  # closed, not left hanging
                client.close()
                assert cycle.failures == ["fork/exec /no/such/job: no such file or directory"]
                assert cycle.drained == 1
                assert await eventually(lambda: activated.watching)
                assert not activated.pending()
            finally:
                await cycle.close()
        activated.close()

    run(scenario())

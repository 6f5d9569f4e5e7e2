"""A lazy job with activated sockets, on the real :class:`LazyJob` and real processes.

The first connection starts the job (it waits in the accept queue and is accepted by the
job itself, which sees the real client address), the job is stopped once the sockets
have shown no activity for the cool-down, and the next connection starts it again.

No timing asserts: every wait is for an observable state (a log line, a pid, a sample
count) with a generous bound that only catches hangs. Every scenario shuts the job down
in ``finally`` and then checks that no process of it is left.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from mittnite.config.addresses import parse_address
from mittnite.core.clock import FakeClock, SystemClock
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.sockdiag import Activity, ListenerDiag
from mittnite.supervisor.lazy import LazyJob, ListenerSpec

from ..lazy.helpers import RecordingLogger, SpawnedProcess, eventually, run
from ..runtime.procs import zombies_of
from .helpers import JOB, ask, fixed_port, sockets

if TYPE_CHECKING:
    from mittnite.core.clock import Clock

COOL_DOWN = 0.3
HOLD = [sys.executable, JOB, "--hold"]


def activated(label: str, name: str, protocol: str = "tcp") -> ListenerSpec:
    return ListenerSpec(label, parse_address(label, protocol), None, activate=True, name=name)


class Rig:
    """A lazy job whose ``listen`` blocks are all activated."""

    def __init__(
        self,
        reaper: Reaper,
        specs: list[ListenerSpec],
        argv: list[str],
        clock: Clock,
        cool_down: float,
    ) -> None:
        self.logger = RecordingLogger()
        self.process = SpawnedProcess(argv, reaper)
        self.clock = clock
        self.job = LazyJob(
            "web",
            specs,
            self.process,
            logger=self.logger,
            clock=clock,
            cool_down_timeout=cool_down,
        )

    @property
    def address(self) -> str:
        return self.job.listeners.addresses[0]

    @property
    def starts(self) -> int:
        return len(self.process.spawned)

    @property
    def stops(self) -> int:
        return self.logger.messages().count("process terminated")

    async def samples_pass(self, count: int) -> bool:
        monitor = self.job.monitor
        assert monitor is not None and monitor.running
        target = monitor.samples + count
        return await eventually(lambda: monitor.samples >= target, timeout=120)


async def with_rig(
    specs: list[ListenerSpec],
    argv: list[str],
    body: Callable[[Rig], Awaitable[None]],
    *,
    clock: Clock | None = None,
    cool_down: float = COOL_DOWN,
) -> RecordingLogger:
    async with Reaper() as reaper:
        rig = Rig(reaper, specs, argv, clock or SystemClock(), cool_down)
        await rig.job.start()
        try:
            await body(rig)
        finally:
            await rig.job.shutdown()
        assert not rig.process.running
        # every process the job started has been reaped: none is left behind
        assert len(rig.process.exits) == len(rig.process.spawned)
    assert zombies_of(os.getpid()) == []
    return rig.logger


async def open_client(address: str) -> tuple[socket.socket, Any]:
    loop = asyncio.get_running_loop()
    host, _, port = address.rpartition(":")
    sock = socket.socket()
    sock.setblocking(False)
    await asyncio.wait_for(loop.sock_connect(sock, (host, int(port))), 60)
    return sock, sock.getsockname()


async def read_line(sock: socket.socket) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while not data.endswith(b"\n"):
        try:
            chunk = await asyncio.wait_for(loop.sock_recv(sock, 4096), 60)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def test_start_on_first_connection_stop_after_cool_down_start_again() -> None:
    async def body(rig: Rig) -> None:
        assert rig.starts == 0  # nothing runs before the first connection
        assert rig.job.activated is not None and rig.job.activated.watching

        # The first client connects before any process exists; it waits in the kernel's
        # queue and is accepted by the job itself, real address and all.
        first, me = await open_client(rig.address)
        assert b'"peer": ["127.0.0.1", %d]' % me[1] in await read_line(first)
        assert rig.starts == 1
        assert not rig.job.activated.watching  # the job accepts now, mittnite only samples

        # Held open: however many samples pass, the job keeps running.
        assert await rig.samples_pass(3 * round(COOL_DOWN / rig.job.sample_interval))
        assert rig.stops == 0 and rig.job.running

        first.close()  # the last connection ends: idle, then the cool-down
        assert await eventually(lambda: rig.stops == 1, timeout=120)
        assert await eventually(lambda: rig.job.activated is not None and rig.job.activated.watching)

        answer, me2 = await ask(rig.address)  # the next connection starts it again
        assert answer["peer"] == list(me2)
        assert rig.starts == 2
        assert rig.process.spawned[0] != rig.process.spawned[1]

    logger = run(with_rig([activated("127.0.0.1:0", "web")], HOLD, body))
    assert logger.messages("info").count("starting job") == 2


def test_a_connection_on_any_of_several_sockets_keeps_the_job_busy() -> None:
    async def body(rig: Rig) -> None:
        path = rig.job.listeners.addresses[1]
        loop = asyncio.get_running_loop()
        admin = socket.socket(socket.AF_UNIX)
        admin.setblocking(False)
        await loop.sock_connect(admin, path)  # starts the job via fd 4
        assert b'"name": "admin"' in await read_line(admin)
        assert await rig.samples_pass(3 * round(COOL_DOWN / rig.job.sample_interval))
        assert rig.stops == 0
        admin.close()
        assert await eventually(lambda: rig.stops == 1, timeout=120)

    with tempfile.TemporaryDirectory() as directory:
        specs = [
            activated("127.0.0.1:0", "web"),
            activated(os.path.join(directory, "admin.sock"), "admin", "unix"),
        ]
        run(with_rig(specs, HOLD, body))
        assert os.listdir(directory) == []  # the socket file went with the job


def test_a_queued_connection_is_activity_and_restarts_a_stopped_job_at_once() -> None:
    """``sleep`` never accepts: a connection stays queued, which keeps the job busy, and
    after a stop (the API's) it starts the job again straight away."""

    async def body(rig: Rig) -> None:
        rig.job.start_process()  # the API's start: no connection needed
        assert await eventually(lambda: rig.job.monitor is not None and rig.job.monitor.running)
        client, _ = await open_client(rig.address)  # queued: nobody accepts
        try:
            assert await rig.samples_pass(3)  # the cool-down is long: only the API stops it
            assert rig.stops == 0 and rig.job.monitor is not None and rig.job.monitor.busy
            rig.job.stop_process()
            assert await eventually(lambda: rig.stops == 1, timeout=120)
            assert await eventually(lambda: rig.starts == 2, timeout=120)  # the queued one
            assert rig.job.activated is not None
            diag = ListenerDiag(rig.job.activated.sockets[0])
            assert diag.sample().pending == 1  # still queued, for the new process
        finally:
            client.close()

    run(with_rig([activated("127.0.0.1:0", "web")], ["sleep", "1000"], body, cool_down=600))


def test_waiting_for_a_connection_takes_nothing_and_fires_once() -> None:
    async def scenario() -> None:
        activated_sockets = sockets(("127.0.0.1:0", "tcp", "web"))
        fired: list[int] = []
        activated_sockets.watch(fired.append)
        client, _ = await open_client(activated_sockets.addresses[0])
        assert await eventually(lambda: fired == [0])
        diag = ListenerDiag(activated_sockets.sockets[0])
        assert diag.sample() == Activity(1, 0)  # still queued for the job
        assert activated_sockets.pending()
        await asyncio.sleep(0.2)  # the loop keeps running: no second call, no spinning
        assert fired == [0] and not activated_sockets.watching
        activated_sockets.watch(fired.append)  # re-armed while a connection waits: fires at once
        assert await eventually(lambda: fired == [0, 0])
        client.close()
        activated_sockets.close()

    run(scenario())


def test_a_job_that_cannot_start_closes_the_waiting_connections_and_backs_off() -> None:
    """The clock stands still, so the back-off lasts as long as the test needs it."""

    async def body(rig: Rig) -> None:
        client, _ = await open_client(rig.address)
        assert await read_line(client) == b""  # closed, not left hanging
        client.close()
        assert rig.job.machine.holding_off
        # During the back-off, connections are closed at once; nothing is spawned.
        again, _ = await open_client(rig.address)
        assert await read_line(again) == b""
        again.close()
        assert await eventually(lambda: rig.job.activated is not None and rig.job.activated.watching)
        assert rig.job.activated is not None and not rig.job.activated.pending()

    logger = run(
        with_rig([activated("127.0.0.1:0", "web")], ["/no/such/job"], body, clock=FakeClock())
    )
    errors = logger.find("process terminated with error")
    assert errors[0]["error"] == (
        "failed to start job web: fork/exec /no/such/job: no such file or directory"
    )
    closed = logger.find("closed queued connections")
    assert sum(fields["connections"] for fields in closed) == 2
    assert logger.messages("info").count("starting job") == 1  # the back-off held


def test_a_job_that_dies_at_once_backs_off_then_starts_again() -> None:
    async def body(rig: Rig) -> None:
        assert isinstance(rig.clock, FakeClock)
        client, _ = await open_client(rig.address)
        assert await read_line(client) == b""  # the job died; its connection was closed
        client.close()
        assert rig.starts == 1 and rig.job.machine.holding_off
        rig.clock.advance(1.5)  # the hold-off is over: the next connection starts it
        again, _ = await open_client(rig.address)
        assert await read_line(again) == b""
        again.close()
        assert rig.starts == 2
        assert rig.job.machine.holding_off  # failed again: held off longer now

    logger = run(with_rig([activated("127.0.0.1:0", "web")], ["false"], body, clock=FakeClock()))
    warnings = logger.find("lazy job failed right after its start; holding off new starts")
    assert [fields["job.nextRestartIn"] for fields in warnings] == ["1s", "2s"]


def test_forwarded_and_activated_blocks_share_one_process_and_one_cool_down() -> None:
    """A forwarded connection starts the job, which gets the activated socket too; the
    job stops only once neither kind of connection is left."""
    upstream = fixed_port()

    async def body(rig: Rig) -> None:
        forwarded_address, activated_address = rig.job.listeners.addresses
        forwarded, _ = await open_client(forwarded_address)  # starts the job
        assert b'"own": true' in await read_line(forwarded)
        answer, me = await ask(activated_address)  # served by the same process
        assert answer["peer"] == list(me)
        assert rig.starts == 1
        # the activated socket is idle now, the forwarded connection still open: busy
        assert await rig.samples_pass(3 * round(COOL_DOWN / rig.job.sample_interval))
        assert rig.stops == 0 and rig.job.machine.active == 1
        forwarded.close()
        assert await eventually(lambda: rig.stops == 1, timeout=120)

    specs = [
        ListenerSpec(
            "127.0.0.1:0", parse_address("127.0.0.1:0"), parse_address(f"127.0.0.1:{upstream}")
        ),
        activated("127.0.0.1:0", "web"),
    ]
    run(with_rig(specs, [*HOLD, "--own", f"127.0.0.1:{upstream}"], body))

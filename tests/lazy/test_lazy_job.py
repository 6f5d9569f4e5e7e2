"""Lazy jobs end to end: real listeners, real upstream processes, real timers."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from mittnite.config.addresses import parse_address
from mittnite.config.model import Duration, JobConfig, Laziness, Listener
from mittnite.core.clock import SystemClock
from mittnite.runtime.listen import ListenError
from mittnite.runtime.reaper import Reaper
from mittnite.supervisor.lazy import JobListeners, LazyJob, ListenerSpec

from .helpers import (
    UPSTREAM,
    RecordingLogger,
    SpawnedProcess,
    connect,
    eventually,
    fd_count,
    fds_back_to,
    free_port,
    read_all,
    run,
    start_upstream,
)


def spec(listen: str, forward: str, listen_protocol: str = "tcp") -> ListenerSpec:
    return ListenerSpec(
        listen, parse_address(listen, listen_protocol), parse_address(forward, "tcp")
    )


def upstream_argv(port: int, *extra: str) -> list[str]:
    return [sys.executable, UPSTREAM, "tcp", f"127.0.0.1:{port}", *extra]


async def echo_once(address: str, payload: bytes, *, unix: bool = False) -> bytes:
    loop = asyncio.get_running_loop()
    client = await connect(address, unix=unix)
    try:
        await loop.sock_sendall(client, payload)
        client.shutdown(socket.SHUT_WR)
        return await read_all(client)
    finally:
        client.close()


async def echo_or_closed(address: str, payload: bytes) -> bytes:
    """Like echo_once, but a connection the server already closed (or reset) gives b""."""
    try:
        return await echo_once(address, payload)
    except OSError:
        return b""


class Rig:
    """A lazy job with one TCP listener in front of a real upstream process."""

    def __init__(
        self,
        reaper: Reaper,
        *extra: str,
        spin_up: float = 20.0,
        cool_down: float = 900.0,
        argv: list[str] | None = None,
    ) -> None:
        self.upstream_port = free_port()
        self.logger = RecordingLogger()
        self.process = SpawnedProcess(argv or upstream_argv(self.upstream_port, *extra), reaper)
        self.job = LazyJob(
            "web",
            [spec("127.0.0.1:0", f"127.0.0.1:{self.upstream_port}")],
            self.process,
            logger=self.logger,
            clock=SystemClock(),
            spin_up_timeout=spin_up,
            cool_down_timeout=cool_down,
        )

    @property
    def address(self) -> str:
        return self.job.listeners.addresses[0]


def test_first_connections_are_held_until_a_slow_upstream_listens() -> None:
    """The upstream listens only 300 ms after it starts: no connection is refused."""

    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            rig = Rig(reaper, "--delay", "0.3")
            await rig.job.start()
            assert rig.process.spawned == []  # nothing runs before the first request
            answers = await asyncio.gather(
                *(echo_once(rig.address, b"request %d" % i) for i in range(5))
            )
            assert answers == [b"request %d" % i for i in range(5)]
            assert len(rig.process.spawned) == 1  # one start, shared by all five
            messages = rig.logger.messages()
            assert messages[:2] == [
                "holding off starting job web until first request",
                "starting TCP listener",
            ]
            assert rig.logger.find("starting TCP listener") == [{"address": "127.0.0.1:0"}]
            assert messages.count("starting job") == 1
            assert rig.logger.find("error while dialling upstream") == []
            await rig.job.shutdown()
            assert not rig.process.running
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_spin_up_timeout_closes_the_client_and_logs_the_original_error() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            rig = Rig(reaper, "--delay", "30", spin_up=0.5)
            await rig.job.start()
            loop = asyncio.get_running_loop()
            began = loop.time()
            client = await connect(rig.address)
            assert await read_all(client) == b""
            assert loop.time() - began >= 0.45
            client.close()
            assert await eventually(lambda: bool(rig.logger.find("error while dialling upstream")))
            assert rig.logger.find("error while dialling upstream") == [
                {"error": "job web did not start after 500ms"}
            ]
            assert rig.job.running  # the process itself is still starting up
            await rig.job.shutdown()  # SIGTERM interrupts its sleep
            assert not rig.process.running
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_cool_down_stops_the_idle_process_and_the_next_connection_revives_it() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            rig = Rig(reaper, cool_down=0.5)
            await rig.job.start()
            loop = asyncio.get_running_loop()
            assert await echo_once(rig.address, b"one") == b"one"
            closed_at = loop.time()
            first_pid = rig.process.spawned[0]
            assert await eventually(lambda: not rig.job.running, timeout=30)
            idle = loop.time() - closed_at
            assert idle >= 0.45  # not before the cool-down (generous upper bounds only)
            assert rig.process.exits == [(False, "signal: terminated")]
            assert "sending signal 15 to process group" in rig.logger.messages()
            assert "process terminated" in rig.logger.messages()
            # the cool-down's exit is logged as the original logs it
            assert rig.logger.find("job exited with error") == [{"error": "signal: terminated"}]
            assert not os.path.exists(f"/proc/{first_pid}/status") or _is_gone(first_pid)

            assert await echo_once(rig.address, b"two") == b"two"
            assert len(rig.process.spawned) == 2
            await rig.job.shutdown()
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def _is_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return "zombie" in handle.read()
    except FileNotFoundError:
        return True


def test_cool_down_waits_for_open_connections() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            rig = Rig(reaper, cool_down=0.3)
            await rig.job.start()
            loop = asyncio.get_running_loop()
            held = await connect(rig.address)
            await loop.sock_sendall(held, b"hi")
            assert await loop.sock_recv(held, 10) == b"hi"
            await asyncio.sleep(1.0)  # three cool-downs long, but a connection is open
            assert rig.job.running
            held.close()
            assert await eventually(lambda: not rig.job.running, timeout=30)
            await rig.job.shutdown()

    run(scenario())


def test_crashed_process_is_started_again_by_the_next_connection() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            rig = Rig(reaper, "--exit-after", "1")
            await rig.job.start()
            assert await echo_once(rig.address, b"first") == b"first"
            assert await eventually(lambda: not rig.job.running, timeout=30)
            assert rig.logger.find("process terminated with error") == [{"error": "exit status 3"}]
            assert await echo_once(rig.address, b"second") == b"second"
            assert len(rig.process.spawned) == 2
            await rig.job.shutdown()

    run(scenario())


def test_exec_failure_closes_waiting_clients_and_backs_off() -> None:
    """A command that cannot start: clients closed at once, no spawn per connection."""

    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            rig = Rig(reaper, argv=["/nonexistent/server"])
            await rig.job.start()
            for _ in range(3):
                assert await echo_or_closed(rig.address, b"x") == b""
            assert await eventually(
                lambda: len(rig.logger.find("error while dialling upstream")) == 3
            )
            text = "fork/exec /nonexistent/server: no such file or directory"
            errors = [entry["error"] for entry in rig.logger.find("error while dialling upstream")]
            assert errors[0] == f"failed to start job web: {text}"
            # within the back-off: refused at once, no new start attempt
            assert errors[1:] == ["job web failed right after its start; next start in 1s"] * 2
            assert len(rig.logger.find("process terminated with error")) == 1
            assert rig.logger.find("lazy job failed right after its start; holding off new starts")
            await asyncio.sleep(1.1)  # after the back-off the next connection tries again
            assert await echo_or_closed(rig.address, b"x") == b""
            assert await eventually(
                lambda: len(rig.logger.find("process terminated with error")) == 2
            )
            await rig.job.shutdown()
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_a_command_that_exits_at_once_fails_waiting_clients_at_once(tmp_path: Path) -> None:
    """No client waits for the spin-up timeout (20 s here) when the process died."""

    async def scenario() -> tuple[list[bytes], float, int]:
        async with Reaper() as reaper:
            rig = Rig(reaper, argv=["sh", "-c", "sleep 0.3; exit 1"], spin_up=20.0)
            await rig.job.start()
            loop = asyncio.get_running_loop()
            started = loop.time()
            answers = await asyncio.gather(*(echo_or_closed(rig.address, b"x") for _ in range(5)))
            elapsed = loop.time() - started
            spawned = len(rig.process.spawned)
            await rig.job.shutdown()
            return list(answers), elapsed, spawned

    answers, elapsed, spawned = run(scenario())
    assert answers == [b""] * 5
    assert elapsed < 15  # far below the 20 s spin-up timeout (generous: shared machine)
    assert spawned == 1


def test_back_off_ends_when_the_command_works_again(tmp_path: Path) -> None:
    flag = tmp_path / "broken"
    flag.touch()

    async def scenario() -> bytes:
        async with Reaper() as reaper:
            rig = Rig(reaper, spin_up=20.0)
            server = " ".join(rig.process.argv)
            rig.process.argv = ["sh", "-c", f"test -e {flag} && exit 1; exec {server}"]
            await rig.job.start()
            assert await echo_or_closed(rig.address, b"x") == b""
            flag.unlink()  # repaired
            await asyncio.sleep(1.1)
            answer = await echo_or_closed(rig.address, b"works")
            await rig.job.shutdown()
            return answer

    assert run(scenario()) == b"works"


def test_second_listener_failing_fails_the_start_and_releases_the_first() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            blocker = socket.socket()
            blocker.bind(("127.0.0.1", 0))
            blocker.listen(1)
            busy = blocker.getsockname()[1]
            free = free_port()
            job = LazyJob(
                "web",
                [
                    spec(f"127.0.0.1:{free}", "127.0.0.1:1"),
                    spec(f"127.0.0.1:{busy}", "127.0.0.1:1"),
                ],
                SpawnedProcess(["true"], reaper),
                logger=RecordingLogger(),
                clock=SystemClock(),
            )
            with pytest.raises(ListenError, match="bind: address already in use"):
                await job.start()
            probe = socket.socket()
            probe.bind(("127.0.0.1", free))  # the first listener was closed again
            probe.close()
            blocker.close()
            await job.shutdown()
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_shutdown_stops_the_process_and_removes_the_unix_socket(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            baseline = fd_count()
            port = free_port()
            path = str(tmp_path / "web.sock")
            process = SpawnedProcess(upstream_argv(port), reaper)
            job = LazyJob(
                "web",
                [spec(path, f"127.0.0.1:{port}", listen_protocol="unix")],
                process,
                logger=RecordingLogger(),
                clock=SystemClock(),
            )
            await job.start()
            assert await echo_once(path, b"over unix", unix=True) == b"over unix"
            loop = asyncio.get_running_loop()
            held = await connect(path, unix=True)
            await loop.sock_sendall(held, b"x")
            assert await loop.sock_recv(held, 1) == b"x"
            await job.shutdown()
            assert not process.running
            assert process.exits[-1] == (False, "signal: terminated")
            assert not os.path.exists(path)
            assert await read_all(held) == b""  # the open connection was ended
            held.close()
            assert await fds_back_to(baseline) == baseline

    run(scenario())


def test_from_config_reads_durations_and_addresses() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            config = JobConfig(
                name="api",
                command="x",
                laziness=Laziness(
                    spin_up_timeout=Duration.parse("1m30s"),
                    cool_down_timeout=Duration.parse("250ms"),
                ),
                listeners=(Listener.parse("127.0.0.1:0", "127.0.0.1:9", protocol="tcp"),),
            )
            job = LazyJob.from_config(
                config,
                SpawnedProcess(["true"], reaper),
                logger=RecordingLogger(),
                clock=SystemClock(),
            )
            assert job.machine.cool_down == 0.25
            forwarder = job.listeners.forwarders[0]
            assert forwarder.spin_up_timeout == 90.0
            assert forwarder.timeout_error == "job api did not start after 1m30s"
            defaults = LazyJob.from_config(
                JobConfig(name="d", laziness=Laziness(), listeners=()),
                SpawnedProcess(["true"], reaper),
                logger=RecordingLogger(),
                clock=SystemClock(),
            )
            assert defaults.machine.cool_down == 900.0
            assert defaults.listeners.forwarders == []

    run(scenario())


def test_listeners_without_lazy_forward_to_a_running_upstream() -> None:
    async def scenario() -> None:
        upstream = await start_upstream()
        try:
            logger = RecordingLogger()
            listeners = JobListeners(
                "plain", [spec("127.0.0.1:0", upstream.address)], logger=logger
            )
            listeners.open()
            assert logger.find("starting TCP listener") == [{"address": "127.0.0.1:0"}]
            assert await echo_once(listeners.addresses[0], b"plain") == b"plain"
            await listeners.close()
        finally:
            upstream.stop()

    run(scenario())


def test_signal_is_forwarded_only_while_running() -> None:
    async def scenario() -> None:
        async with Reaper() as reaper:
            rig = Rig(reaper)
            await rig.job.start()
            rig.job.forward_signal(15)  # nothing runs: nothing to signal, no error
            assert rig.process.spawned == []
            assert await echo_once(rig.address, b"up") == b"up"
            rig.job.forward_signal(15)
            assert await eventually(lambda: not rig.job.running, timeout=30)
            assert rig.process.exits == [(False, "signal: terminated")]
            await rig.job.shutdown()

    run(scenario())

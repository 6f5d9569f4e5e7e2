"""Each check kind against real servers and processes; the monitor adapter on a real loop."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import pytest

from mittnite.checks.base import CheckFailed, run_check
from mittnite.checks.exec import ExecCheck
from mittnite.checks.http import HttpCheck
from mittnite.checks.monitor import HealthMonitor
from mittnite.checks.notify import NotifyCheck, NotifyState
from mittnite.checks.tcp import TcpCheck
from mittnite.core.clock import SystemClock
from mittnite.core.health import HealthMachine
from mittnite.runtime.notify import NotifyMessage, parse_notify
from mittnite.runtime.reaper import Reaper
from tests.runtime.procs import alive, children_of, eventually

T = TypeVar("T")


def run(coroutine: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, 120)

    return asyncio.run(bounded())


class TinyHttp:
    """Answers by path: /ok 200, /status/N N, /redirect/N N redirects, /hang never."""

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        path = request.split(b" ")[1].decode()
        if path == "/hang":
            await reader.read()  # until the client gives up and closes
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/ok" if left == 0 else f"/redirect/{left - 1}"
            writer.write(
                f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
            )
        else:
            code = 200 if path == "/ok" else int(path.rsplit("/", 1)[1])
            writer.write(f"HTTP/1.1 {code} X\r\nContent-Length: 0\r\n\r\n".encode())
        await writer.drain()
        writer.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# ---- http ---------------------------------------------------------------------------------


def test_http_statuses_redirects_and_timeouts() -> None:
    async def scenario() -> dict[str, tuple[bool, str, bool]]:
        server = TinyHttp()
        port = await server.start()
        base = f"http://127.0.0.1:{port}"
        results = {}
        for path in (
            "/ok",
            "/status/204",
            "/status/304",
            "/status/503",
            "/redirect/9",
            "/redirect/10",
            "/hang",
        ):
            outcome = await run_check(HttpCheck(base + path, timeout=0.5), 0.5)
            results[path] = (outcome.ok, outcome.message, outcome.timed_out)
        await server.stop()
        return results

    results = run(scenario())
    assert results["/ok"][0] and results["/status/204"][0] and results["/status/304"][0]
    assert not results["/status/503"][0] and "503" in results["/status/503"][1]
    # Go stops after 10 consecutive requests: 9 redirects are followed, the 10th is not.
    assert results["/redirect/9"][0]
    assert not results["/redirect/10"][0] and "after 10 redirects" in results["/redirect/10"][1]
    ok, message, timed_out = results["/hang"]
    assert not ok and timed_out and "within 500ms" in message


def test_http_refused_is_marked_unreachable() -> None:
    async def scenario() -> CheckFailed:
        check = HttpCheck(f"http://127.0.0.1:{free_port()}/health")
        with pytest.raises(CheckFailed) as caught:
            await check.check()
        await check.aclose()
        return caught.value

    failure = run(scenario())
    assert failure.unreachable and "refused" in failure.message


def test_http_rejects_other_schemes() -> None:
    with pytest.raises(ValueError):
        HttpCheck("ftp://example.org/")


# ---- tcp ------------------------------------------------------------------------------------


def test_tcp_connects_and_reports_refusal() -> None:
    async def scenario() -> tuple[bool, bool, str]:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        good = await run_check(TcpCheck("127.0.0.1", port), 1.0)
        server.close()
        await server.wait_closed()
        bad = await run_check(TcpCheck("127.0.0.1", port), 1.0)
        return good.ok, bad.ok, bad.message

    good, bad, message = run(scenario())
    assert good and not bad
    assert message == f"tcp: connection refused at 127.0.0.1:{message.rsplit(':', 1)[1]}"
    with pytest.raises(ValueError):
        TcpCheck("localhost", 0)


# ---- exec -----------------------------------------------------------------------------------


def test_exec_exit_status_output_and_missing_command() -> None:
    async def scenario() -> list[tuple[bool, str]]:
        async with Reaper() as reaper:
            results = []
            for argv in (
                ["true"],
                ["sh", "-c", "echo starting; echo 'no response' >&2; exit 2"],
                ["sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; exit 1"],
                ["no-such-command-anywhere"],
            ):
                outcome = await run_check(ExecCheck(argv, reaper=reaper), 10.0)
                results.append((outcome.ok, outcome.message))
            assert await eventually(lambda: not children_of(os.getpid()))
            assert reaper.orphans_reaped == 0
            return results

    results = run(scenario())
    assert results[0] == (True, "")
    assert results[1] == (False, "exec: sh: exit status 2: starting / no response")
    assert results[2][0] is False and len(results[2][1]) < 700  # chatty: never blocks, tail only
    assert results[3][0] is False and "executable file not found" in results[3][1]


def test_exec_timeout_kills_the_whole_group() -> None:
    script = 'sleep 60 & echo $! > "$PIDFILE"; wait'

    async def scenario(pidfile: str) -> tuple[bool, bool, int]:
        async with Reaper() as reaper:
            env = {**os.environ, "PIDFILE": pidfile}
            check = ExecCheck(["sh", "-c", script], reaper=reaper, env=env)
            outcome = await run_check(check, 3.0)  # ample time to write the pid file
            grandchild = int(Path(pidfile).read_text())
            # The killed shell and its sleep are reaped by this reaper (no zombie stays).
            if not await eventually(lambda: not children_of(os.getpid()) and not alive(grandchild)):
                return outcome.ok, outcome.timed_out, grandchild
            return outcome.ok, outcome.timed_out, 0

    pidfile = f"/tmp/mittnite-exec-check-{os.getpid()}"
    try:
        ok, timed_out, survivor = run(scenario(pidfile))
    finally:
        if os.path.exists(pidfile):
            os.unlink(pidfile)
    assert not ok and timed_out
    assert survivor == 0, f"pid {survivor} outlived the timed-out check"


# ---- monitor and notify ---------------------------------------------------------------------


def test_monitor_sees_a_late_server_become_ready() -> None:
    async def scenario() -> tuple[list[tuple[bool, str]], int]:
        port = free_port()
        verdicts: list[tuple[bool, str]] = []
        became_ready = asyncio.Event()

        def verdict(ok: bool, message: str) -> None:
            verdicts.append((ok, message))
            if ok:
                became_ready.set()

        machine = HealthMachine(clock=SystemClock(), interval=0.05, timeout=1.0)
        monitor = HealthMonitor(machine, TcpCheck("127.0.0.1", port), on_verdict=verdict)
        monitor.start()
        await asyncio.sleep(0.3)
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port)
        await asyncio.wait_for(became_ready.wait(), 30)
        await monitor.aclose()
        server.close()
        await server.wait_closed()
        return verdicts, machine.checks

    verdicts, checks = run(scenario())
    assert verdicts[0][0] is False and "refused" in verdicts[0][1]
    assert verdicts[-1] == (True, "")
    assert checks >= 2


def test_notify_state_drives_readiness_and_watchdog() -> None:
    async def scenario() -> tuple[list[tuple[str, bool, str]], NotifyState, str]:
        seen: list[tuple[str, bool, str]] = []
        readiness = HealthMonitor(
            HealthMachine(clock=SystemClock(), polled=False),
            None,
            on_verdict=lambda ok, msg: seen.append(("readiness", ok, msg)),
        )
        liveness = HealthMonitor(
            HealthMachine(clock=SystemClock(), polled=False, watchdog=30.0),
            None,
            on_verdict=lambda ok, msg: seen.append(("liveness", ok, msg)),
        )
        state = NotifyState(readiness=readiness, liveness=liveness)
        check = NotifyCheck(state, "@x")
        readiness.start()
        liveness.start()
        before = await run_check(check, 1.0)

        def send(text: bytes) -> None:
            state.apply(NotifyMessage(1, 0, parse_notify(text)))

        send(b"STATUS=loading data")
        send(b"READY=1\nSTATUS=serving")
        after = await run_check(check, 1.0)
        send(b"RELOADING=1")
        send(b"READY=1")
        send(b"WATCHDOG=1\nWATCHDOG_USEC=50000")
        await asyncio.sleep(0.2)  # no ping within 50 ms: unhealthy
        send(b"STOPPING=1")
        await readiness.aclose()
        await liveness.aclose()
        assert before.message == "notify: no READY=1 yet, starting"
        assert after.ok
        return seen, state, before.message

    seen, state, _message = run(scenario())
    assert seen == [
        ("readiness", True, ""),
        ("readiness", False, "reloading (RELOADING=1)"),
        ("readiness", True, ""),
        ("liveness", True, ""),
        ("liveness", False, "no WATCHDOG=1 within 50ms"),
        ("readiness", False, "stopping (STOPPING=1)"),
    ]
    assert state.status == "serving" and state.describe() == "stopping"


def test_polled_monitor_requires_a_check() -> None:
    with pytest.raises(ValueError):
        HealthMonitor(HealthMachine(clock=SystemClock()), None, on_verdict=lambda ok, msg: None)


def test_exec_check_gets_its_environment_and_directory(tmp_path: object) -> None:
    code = "import os, sys; sys.exit(0 if os.environ['X'] == 'y' and os.getcwd() == '/tmp' else 5)"

    async def scenario() -> bool:
        async with Reaper() as reaper:
            check = ExecCheck(
                [sys.executable, "-c", code], reaper=reaper, env={"X": "y"}, cwd="/tmp"
            )
            outcome = await run_check(check, 30)
            return outcome.ok

    assert run(scenario())

"""Shared helpers for the probe tests: real servers, throw-away instances, log capture.

A test that needs a server on this machine fails under ``CI=true`` when the
server is missing (CI must provide it) and is skipped with a reason elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from mittnite.logs.logger import Logger
from mittnite.probes.base import Probe

T = TypeVar("T")

IN_CI = os.environ.get("CI") == "true"


def run(coroutine: Awaitable[T]) -> T:
    """Run one test coroutine on a fresh event loop."""

    async def main() -> T:
        return await coroutine

    return asyncio.run(main())


def missing(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def require_port(name: str, port: int) -> None:
    if not port_open(port):
        missing(f"{name} is not listening on 127.0.0.1:{port}")


def require_binary(name: str) -> str:
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
    )
    if path is None:
        missing(f"{name} is not installed")
        raise AssertionError("unreachable")
    return path


def free_port() -> int:
    """A port nobody listens on right now (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.02)
    raise AssertionError(f"nothing listens on port {port} after {timeout}s")


class LogCapture:
    """A real :class:`Logger` writing logfmt lines to memory."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.logger = Logger(self.stream, level="debug", fmt="text")

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def matching(self, text: str) -> list[str]:
        return [line for line in self.lines if text in line]


@pytest.fixture
def logs() -> LogCapture:
    return LogCapture()


class RedisServer:
    """A throw-away redis-server on a free port (optionally with a password)."""

    def __init__(self, port: int, password: str = "") -> None:
        self.port = port
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = require_binary("redis-server")
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_and_wait(self) -> None:
        self.start()
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_factory() -> Iterator[Callable[..., RedisServer]]:
    require_binary("redis-server")
    servers: list[RedisServer] = []

    def make(password: str = "") -> RedisServer:
        server = RedisServer(free_port(), password)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


class TcpForwarder:
    """Listens on ``port`` and forwards each connection to ``target`` (a server "coming up")."""

    def __init__(self, port: int, target: int) -> None:
        self.port = port
        self.target = target
        self.server: asyncio.Server | None = None
        self.connections = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._forward, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@pytest.fixture
def mysql_account() -> Iterator[dict[str, Any]]:
    """A dedicated user and database on the system MariaDB, dropped afterwards."""
    require_port("MariaDB", 3306)
    import pymysql  # type: ignore[import-untyped]

    suffix = uuid.uuid4().hex[:8]
    account = {
        "user": f"mp_{suffix}",
        "password": f"pw-{suffix}-secret",
        "database": f"mittnite_probe_{suffix}",
    }
    admin = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", autocommit=True)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{account['database']}`")
        cursor.execute(
            f"CREATE USER '{account['user']}'@'%%' IDENTIFIED BY %s", (account["password"],)
        )
        cursor.execute(f"GRANT ALL ON `{account['database']}`.* TO '{account['user']}'@'%'")
    try:
        yield account
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP USER IF EXISTS '{account['user']}'@'%'")
            cursor.execute(f"DROP DATABASE IF EXISTS `{account['database']}`")
        admin.close()


def rabbitmqctl(*args: str) -> None:
    binary = require_binary("rabbitmqctl")
    subprocess.run([binary, *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def rabbit_vhost() -> Iterator[dict[str, str]]:
    """A vhost with a user allowed only there, on the system RabbitMQ."""
    require_port("RabbitMQ", 5672)
    suffix = uuid.uuid4().hex[:8]
    names = {"vhost": f"mp-{suffix}", "user": f"mp_{suffix}", "password": f"pw-{suffix}-secret"}
    rabbitmqctl("add_vhost", names["vhost"])
    rabbitmqctl("add_user", names["user"], names["password"])
    rabbitmqctl("set_permissions", "-p", names["vhost"], names["user"], ".*", ".*", ".*")
    try:
        yield names
    finally:
        rabbitmqctl("delete_user", names["user"])
        rabbitmqctl("delete_vhost", names["vhost"])


def make_probe(config: Any, logs: LogCapture, environ: dict[str, str] | None = None) -> Probe:
    """Build one probe from a ``ProbeConfig`` (with a captured logger)."""
    from mittnite.probes import build_probes

    return build_probes([config], environ=environ or {}, logger=logs.logger)[config.name]


async def ready_after(
    probe: Probe, bring_up: Callable[[], Awaitable[object]], logs: LogCapture, delay: float = 0.4
) -> float:
    """Start the readiness wait, bring the service up after ``delay``; seconds until ready."""
    from mittnite.probes import ReadinessWait

    wait = ReadinessWait([probe], logger=logs.logger)
    task = asyncio.ensure_future(wait.run())
    await asyncio.sleep(delay)
    assert not task.done(), "the wait must not finish before the service exists"
    assert wait.missing() and wait.missing()[0].startswith(f"probe {probe.name}: ")
    started = time.monotonic()
    await bring_up()
    await asyncio.wait_for(task, 15)
    assert wait.done and wait.missing() == []
    return time.monotonic() - started

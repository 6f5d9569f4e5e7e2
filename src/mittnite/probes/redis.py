"""``redis { host {...} password }``: ready when ``AUTH`` (if a password is set) and ``PING`` succeed.

For ``/status`` an error reply is shown as the server sent it, as go-redis
did (``WRONGPASS invalid username-password pair or user is disabled.``,
``NOAUTH Authentication required.``); the log says it in plain words.

The two commands are the whole protocol needed, so they are spoken directly
(RESP over an asyncio stream) instead of pulling in a client library: no
import cost, no thread, cancellable at any point. Like go-redis v6, the
original's client, a configured password is always sent, database 0 is used.
"""

from __future__ import annotations

import asyncio
import contextlib

from .base import BrokenChecker, Checker, ProbeError
from .connect import can_connect, open_tcp
from .resolve import hostname_or_local, join_host_port, port_error, resolve_env, resolve_port

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NoReturn

    from ..config.model import RedisProbe
    from ..logs.logger import Logger

DEFAULT_PORT = "6379"
_MAX_REPLY = 64 * 1024


def encode_command(*words: str) -> bytes:
    """A RESP array of bulk strings: the one request form every Redis accepts."""
    parts = [f"*{len(words)}\r\n".encode()]
    for word in words:
        data = word.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class RedisChecker(Checker):
    kind = "redis"

    def __init__(self, host: str, port: int, password: str) -> None:
        self.host = host
        self.port = port
        self.password = password
        self.secrets = (password,) if password else ()
        self.target = join_host_port(host, port)

    async def reachable(self) -> bool:
        return await can_connect(self.host, self.port)

    async def check(self) -> None:
        reader, writer = await open_tcp(self.kind, self.host, self.port)
        try:
            if self.password:
                writer.write(encode_command("AUTH", self.password))
            writer.write(encode_command("PING"))
            if self.password:
                self._judge_auth(await self._reply(reader))
            self._judge_ping(await self._reply(reader))
            writer.write(encode_command("QUIT"))
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _reply(self, reader: asyncio.StreamReader) -> str:
        try:
            line = await reader.readuntil(b"\r\n")
        except asyncio.IncompleteReadError:
            raise ProbeError(
                f"redis: {self.target} closed the connection without answering", go_text="EOF"
            ) from None
        except asyncio.LimitOverrunError:
            raise ProbeError(f"redis: {self.target} does not speak the Redis protocol") from None
        except OSError as error:
            raise ProbeError(f"redis: connection to {self.target} failed: {error}") from None
        return line[:-2].decode("utf-8", "replace")

    def _judge_auth(self, reply: str) -> None:
        if reply.startswith("+"):
            return
        text = reply[1:]
        if reply.startswith("-WRONGPASS") or "invalid password" in text:
            raise ProbeError(f"redis: wrong password for {self.target}", go_text=text)
        if "without any password configured" in text or "no password is set" in text:
            raise ProbeError(
                f"redis: a password is configured, but the server at {self.target} has none "
                "(remove the password from the probe)",
                go_text=text,
            )
        self._unexpected("AUTH", reply)

    def _judge_ping(self, reply: str) -> None:
        if reply == "+PONG":
            return
        if reply.startswith("-NOAUTH"):
            raise ProbeError(
                f"redis: the server at {self.target} requires a password", go_text=reply[1:]
            )
        if reply.startswith("-LOADING"):
            raise ProbeError(
                f"redis: the server at {self.target} is still loading its data set",
                go_text=reply[1:],
            )
        self._unexpected("PING", reply)

    def _unexpected(self, command: str, reply: str) -> NoReturn:
        if reply.startswith("-"):
            raise ProbeError(
                f"redis: {command} failed at {self.target}: {reply[1:]}", go_text=reply[1:]
            )
        shown = reply if len(reply) <= 60 else reply[:60] + "..."
        raise ProbeError(
            f"redis: {self.target} answered {command} with {shown!r}; is it a Redis server?"
        )


def build(config: RedisProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    password = resolve_env(config.password, environ)
    logger.add_secret(password)
    port = resolve_port(
        config.host.port, environ, DEFAULT_PORT, key="port", kind="redis", logger=logger
    )
    if isinstance(port, str):
        return BrokenChecker("redis", join_host_port(host, port), f"redis: {port_error(port)}")
    return RedisChecker(host, port, password)

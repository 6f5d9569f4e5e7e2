"""``smtp { host {...} }``: ready when the server greets, accepts EHLO/HELO and NOOP, and says goodbye.

The dialogue is Go's ``net/smtp`` sequence the original runs: greeting
``220``, ``EHLO localhost`` (``HELO localhost`` if EHLO is refused),
``NOOP`` → ``250``, ``QUIT`` → ``221``. Spoken directly over asyncio - four
commands do not justify :mod:`smtplib` and a thread.
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

    from ..config.model import SmtpProbe
    from ..logs.logger import Logger

DEFAULT_PORT = "25"
LOCAL_NAME = "localhost"
_MAX_LINES = 100


class SmtpChecker(Checker):
    kind = "smtp"

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.target = join_host_port(host, port)

    async def reachable(self) -> bool:
        return await can_connect(self.host, self.port)

    async def check(self) -> None:
        reader, writer = await open_tcp(self.kind, self.host, self.port)
        try:
            code, text = await self._reply(reader)
            if code != 220:
                raise ProbeError(f"smtp: {self.target} greeted with {code} {text!r} instead of 220")
            code, text = await self._command(reader, writer, f"EHLO {LOCAL_NAME}")
            if code != 250:
                code, text = await self._command(reader, writer, f"HELO {LOCAL_NAME}")
                if code != 250:
                    raise ProbeError(f"smtp: {self.target} refused HELO: {code} {text}")
            await self._expect(reader, writer, "NOOP", 250)
            await self._expect(reader, writer, "QUIT", 221)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _expect(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, command: str, wanted: int
    ) -> None:
        code, text = await self._command(reader, writer, command)
        if code != wanted:
            raise ProbeError(f"smtp: {self.target} answered {command} with {code} {text}")

    async def _command(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, line: str
    ) -> tuple[int, str]:
        writer.write(line.encode("ascii") + b"\r\n")
        return await self._reply(reader)

    async def _reply(self, reader: asyncio.StreamReader) -> tuple[int, str]:
        """One (possibly multi-line) reply: ``250-first``, ..., ``250 last``."""
        texts: list[str] = []
        for _ in range(_MAX_LINES):
            try:
                raw = await reader.readuntil(b"\n")
            except asyncio.IncompleteReadError:
                raise ProbeError(f"smtp: {self.target} closed the connection") from None
            except asyncio.LimitOverrunError:
                raise ProbeError(f"smtp: {self.target} sent an overlong line") from None
            except OSError as error:
                raise ProbeError(f"smtp: connection to {self.target} failed: {error}") from None
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in ("", " ", "-"):
                raise ProbeError(f"smtp: {self.target} sent {line[:60]!r}; is it an SMTP server?")
            texts.append(line[4:])
            if line[3:4] != "-":
                return int(line[:3]), "\n".join(texts)
        raise ProbeError(f"smtp: {self.target} sent a reply of more than {_MAX_LINES} lines")


def build(config: SmtpProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    port = resolve_port(
        config.host.port, environ, DEFAULT_PORT, key="port", kind="smtp", logger=logger
    )
    if isinstance(port, str):
        return BrokenChecker("smtp", join_host_port(host, port), f"smtp: {port_error(port)}")
    return SmtpChecker(host, port)

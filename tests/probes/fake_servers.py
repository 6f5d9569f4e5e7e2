"""Small real servers for the probe tests: SMTP, a MongoDB wire-protocol responder, HTTP.

Each listens on a real socket; their behaviour can be switched per test.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import http.server
import struct
import threading
import time
from typing import Any

import bson

OP_REPLY = 1
OP_QUERY = 2004
OP_MSG = 2013


class SmtpResponder:
    """An SMTP server that speaks just enough for the probe (and can misbehave)."""

    def __init__(self, *, greeting: str = "220 test ESMTP ready", ehlo: bool = True) -> None:
        self.greeting = greeting
        self.ehlo = ehlo
        self.commands: list[str] = []
        self.server: asyncio.Server | None = None

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            writer.write(self.greeting.encode() + b"\r\n")
            if not self.greeting.startswith("220"):
                await writer.drain()
                writer.close()
                return
            while line := await reader.readline():
                command = line.decode().strip()
                self.commands.append(command)
                verb = command.split(" ")[0].upper()
                if verb == "EHLO":
                    reply = (
                        "250-test greets localhost\r\n250 8BITMIME" if self.ehlo else "502 no EHLO"
                    )
                elif verb == "HELO":
                    reply = "250 test"
                elif verb == "NOOP":
                    reply = "250 OK"
                elif verb == "QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:
                    reply = "500 what?"
                writer.write(reply.encode() + b"\r\n")
                await writer.drain()
        writer.close()


class MongoResponder:
    """Answers pymongo's handshake, ``ping`` and authentication over OP_QUERY / OP_MSG."""

    def __init__(self, *, reject_auth: bool = False) -> None:
        self.reject_auth = reject_auth
        self.commands: list[dict[str, Any]] = []
        self.server: asyncio.Server | None = None
        self._connection_id = 0

    @property
    def auth_databases(self) -> list[str]:
        """The databases authentication was attempted against (saslStart / speculative)."""
        found = []
        for command in self.commands:
            if "saslStart" in command:
                found.append(command.get("$db", ""))
            speculative = command.get("speculativeAuthenticate")
            if speculative:
                found.append(speculative.get("db", ""))
        return found

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connection_id += 1
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:
                header = await reader.readexactly(16)
                length, request_id, _response_to, opcode = struct.unpack("<iiii", header)
                body = await reader.readexactly(length - 16)
                if opcode == OP_QUERY:
                    command = self._query_document(body)
                    writer.write(self._reply(request_id, self._answer(command)))
                elif opcode == OP_MSG:
                    command = self._msg_document(body)
                    writer.write(self._msg(request_id, self._answer(command)))
                else:
                    break
                await writer.drain()
        writer.close()

    @staticmethod
    def _query_document(body: bytes) -> dict[str, Any]:
        name_end = body.index(b"\x00", 4)
        offset = name_end + 1 + 8
        size = struct.unpack_from("<i", body, offset)[0]
        return dict(bson.decode(body[offset : offset + size]))

    @staticmethod
    def _msg_document(body: bytes) -> dict[str, Any]:
        offset = 4
        document: dict[str, Any] = {}
        while offset < len(body):
            kind = body[offset]
            offset += 1
            size = struct.unpack_from("<i", body, offset)[0]
            if kind == 0:
                document.update(bson.decode(body[offset : offset + size]))
            offset += size
            if len(body) - offset == 4:  # checksum
                break
        return document

    def _answer(self, command: dict[str, Any]) -> dict[str, Any]:
        self.commands.append(command)
        name = next(iter(command)).lower()
        if name in ("hello", "ismaster"):
            return {
                "helloOk": True,
                "ismaster": True,
                "isWritablePrimary": True,
                "maxBsonObjectSize": 16 * 1024 * 1024,
                "maxMessageSizeBytes": 48_000_000,
                "maxWriteBatchSize": 100_000,
                "localTime": datetime.datetime.now(datetime.UTC),
                "logicalSessionTimeoutMinutes": 30,
                "connectionId": self._connection_id,
                "minWireVersion": 0,
                "maxWireVersion": 21,
                "readOnly": False,
                "ok": 1.0,
            }
        if name in ("saslstart", "saslcontinue", "authenticate") and self.reject_auth:
            return {
                "ok": 0.0,
                "errmsg": "Authentication failed.",
                "code": 18,
                "codeName": "AuthenticationFailed",
            }
        return {"ok": 1.0}

    @staticmethod
    def _reply(request_id: int, document: dict[str, Any]) -> bytes:
        payload = struct.pack("<iqii", 0, 0, 0, 1) + bson.encode(document)
        return struct.pack("<iiii", 16 + len(payload), 0, request_id, OP_REPLY) + payload

    @staticmethod
    def _msg(request_id: int, document: dict[str, Any]) -> bytes:
        payload = struct.pack("<I", 0) + b"\x00" + bson.encode(document)
        return struct.pack("<iiii", 16 + len(payload), 0, request_id, OP_MSG) + payload


class HttpTarget:
    """A threaded stdlib HTTP server with fixed routes for the http probe."""

    def __init__(self, port: int = 0) -> None:
        target = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                target.requests.append((self.path, dict(self.headers)))
                route = self.path
                if route == "/ok" or route.startswith("/ok?"):
                    self._answer(200)
                elif route == "/created":
                    self._answer(204)
                elif route == "/redirect":
                    self._answer(302, {"Location": "/ok"})
                elif route == "/redirect-relative/deeper":
                    self._answer(301, {"Location": "../ok"})
                elif route.startswith("/hop/"):
                    count = int(route.rsplit("/", 1)[1])
                    self._answer(307, {"Location": f"/hop/{count + 1}" if count < 50 else "/ok"})
                elif route == "/not-modified":
                    self._answer(304)
                elif route == "/fail":
                    self._answer(503)
                elif route == "/redirect-to-fail":
                    self._answer(302, {"Location": "/fail"})
                elif route == "/slow":
                    time.sleep(1.5)
                    self._answer(200)
                else:
                    self._answer(404)

            def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                body = b"body that the probe never reads\n" * 100 if status != 304 else b""
                if status not in (204, 304):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status not in (204, 304):
                    with contextlib.suppress(OSError):
                        self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> HttpTarget:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

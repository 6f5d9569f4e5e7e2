"""A fake mittnite API on a real unix socket, answering with recorded responses.

The answers are those of spec §13 (status JSON, Go ``http.Error`` bodies,
the log WebSocket's frames and close codes). Routes may be callables so a
test can script state changes (a job that stops after ``POST .../stop``).
Requests are recorded for assertions on what the client sent.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import h11
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    RejectConnection,
    RejectData,
    TextMessage,
)
from wsproto.events import Request as WsRequest

WEB_STATUS = (
    b'{"pid":28968,"running":true,'
    b'"phase":{"reason":"started","lastChange":"2026-11-28T12:46:01.170379337Z"},'
    b'"config":{"name":"web","command":"/bin/sh","args":["-c","sleep 1000"],"env":null,'
    b'"canFail":false,"controllable":true,"workingDirectory":"/tmp",'
    b'"stdout":"/x/web.out","stderr":"/x/web.err",'
    b'"enableTimestamps":false,"timestampFormat":"","customTimestampFormat":"",'
    b'"watch":[{"Filename":"/x/*.conf","Signal":1,"Restart":false,"PreCommand":null,'
    b'"PostCommand":null}],"-":7,"maxAttempts":5,"oneTime":false,"lazy":null,"listen":null}}'
)
STOPPED_STATUS = (
    b'{"running":false,"phase":{"reason":"stopped","lastChange":"2026-11-28T12:47:00Z"},'
    b'"config":{"name":"web","command":"/bin/sh","args":null,"env":null,"canFail":true,'
    b'"controllable":true,"enableTimestamps":false,"timestampFormat":"",'
    b'"customTimestampFormat":"","watch":null,"oneTime":false,"lazy":null,"listen":null}}'
)
JSON = [("Content-Type", "application/json")]
GO_ERROR = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]


@dataclass
class Canned:
    """One recorded HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


def go_error(status: int, text: str) -> Canned:
    return Canned(status, text.encode() + b"\n", GO_ERROR)


def not_controllable(name: str) -> Canned:
    return go_error(404, f'job "{name}" not found or is not controllable')


@dataclass
class LogScript:
    """What the log WebSocket does: frames, then a close code (None: just hang up)."""

    lines: list[str]
    close_code: int | None = 1000
    reason: str = "EOF"


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]


Answer = Canned | Callable[[], Canned]


class FakeApi:
    """Serve ``routes`` ((method, path) -> answer) and ``logs`` (path -> script)."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="ctlfake")
        self.path = os.path.join(self.directory, "api.sock")
        self.address = f"unix://{self.path}"
        self.routes: dict[tuple[str, str], Answer] = {}
        self.logs: dict[str, LogScript] = {}
        self.requests: list[Recorded] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(16)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(5)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.rmdir(self.directory)

    def jobs(self, *names: str) -> None:
        self.routes[("GET", "/v1/jobs")] = Canned(200, json.dumps(list(names)).encode(), JSON)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            raw = b""
            http = h11.Connection(h11.SERVER)
            request: h11.Request | None = None
            while True:
                event = http.next_event()
                if event is h11.NEED_DATA:
                    data = conn.recv(65536)
                    raw += data
                    http.receive_data(data)
                    continue
                if isinstance(event, h11.Request):
                    request = event
                if isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    break
            if request is None:
                return
            headers = {k.decode().lower(): v.decode() for k, v in request.headers}
            target = request.target.decode()
            self.requests.append(Recorded(request.method.decode(), target, headers))
            path = target.partition("?")[0]
            if headers.get("upgrade", "").lower() == "websocket":
                self._websocket(conn, raw, path)
                return
            answer = self.routes.get((request.method.decode(), path))
            if answer is None:
                canned = go_error(404, "404 page not found")
            else:
                canned = answer() if callable(answer) else answer
            response_headers = [*canned.headers, ("Content-Length", str(len(canned.body)))]
            out = http.send(h11.Response(status_code=canned.status, headers=response_headers))
            out += http.send(h11.Data(data=canned.body)) + http.send(h11.EndOfMessage())
            conn.sendall(out)

    def _websocket(self, conn: socket.socket, raw: bytes, path: str) -> None:
        ws = WSConnection(ConnectionType.SERVER)
        ws.receive_data(raw)
        for event in ws.events():
            assert isinstance(event, WsRequest)
        script = self.logs.get(path)
        if script is None:
            answer = self.routes.get(("GET", path)) or not_controllable(path.split("/")[3])
            canned = answer() if callable(answer) else answer
            headers = [(k.encode(), v.encode()) for k, v in canned.headers]
            headers.append((b"Content-Length", str(len(canned.body)).encode()))
            out = ws.send(
                RejectConnection(status_code=canned.status, headers=headers, has_body=True)
            )
            out += ws.send(RejectData(data=canned.body))
            conn.sendall(out)
            return
        out = ws.send(AcceptConnection())
        for line in script.lines:
            out += ws.send(TextMessage(data=line))
        if script.close_code is not None:
            out += ws.send(CloseConnection(code=script.close_code, reason=script.reason))
        conn.sendall(out)
        if script.close_code is not None:
            conn.settimeout(2)
            with contextlib.suppress(OSError):
                while conn.recv(65536):
                    pass

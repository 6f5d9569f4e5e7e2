"""Raw HTTP/1.1 and WebSocket over a unix socket, for asserting bytes on the wire.

Deliberately not a client library: requests are written byte for byte as
Go's ``net/http`` and gorilla/websocket (``mittnitectl``) write them, and
answers are returned raw, so tests see exactly what the server sent.
"""

from __future__ import annotations

import base64
import os
import socket
import time


class Wire:
    """One connection to the API socket."""

    def __init__(self, path: str, timeout: float = 10.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def response(self) -> tuple[bytes, bytes]:
        """One response: (head including the blank line, body by Content-Length)."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError(f"closed before a response: {self.buffer!r}")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        while len(self.buffer) < length:
            if not self._fill():
                raise ConnectionError("closed inside a body")
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return head + b"\r\n\r\n", body

    def at_eof(self) -> bool:
        """Whether the server closed the connection (after what was buffered)."""
        return not self.buffer and not self._fill()

    def frame(self) -> tuple[int, bytes]:
        """One WebSocket frame from the server (unmasked): (opcode, payload)."""
        while len(self.buffer) < 2:
            if not self._fill():
                raise ConnectionError("closed before a frame")
        assert self.buffer[1] & 0x80 == 0, "server frames must not be masked"
        length, start = self.buffer[1] & 0x7F, 2
        if length == 126:
            length, start = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            length, start = int.from_bytes(self.buffer[2:10], "big"), 10
        while len(self.buffer) < start + length:
            if not self._fill():
                raise ConnectionError("closed inside a frame")
        assert self.buffer[0] & 0x80, "fragmented frames are not expected"
        opcode = self.buffer[0] & 0x0F
        payload = self.buffer[start : start + length]
        self.buffer = self.buffer[start + length :]
        return opcode, payload

    def send_close(self, code: int = 1000) -> None:
        """A masked client close frame, as gorilla sends it."""
        payload = code.to_bytes(2, "big")
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.send(bytes([0x88, 0x80 | len(payload)]) + mask + masked)


def go_get(path: str, *, close: bool = False) -> bytes:
    """A GET as Go's ``net/http`` client writes it (``http://unix/...``)."""
    extra = b"Connection: close\r\n" if close else b""
    return (
        f"GET {path} HTTP/1.1\r\nHost: unix\r\nUser-Agent: Go-http-client/1.1\r\n".encode()
        + extra
        + b"Accept-Encoding: gzip\r\n\r\n"
    )


def go_post(path: str) -> bytes:
    """mittnitectl's POST: JSON content type, no body."""
    return (
        f"POST {path} HTTP/1.1\r\nHost: unix\r\nUser-Agent: Go-http-client/1.1\r\n"
        "Content-Length: 0\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n"
    ).encode()


def ws_upgrade(path: str, *, key: str | None = None, origin: str | None = None) -> bytes:
    """gorilla/websocket's handshake request."""
    key = key or base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        "Host: unix",
        "User-Agent: Go-http-client/1.1",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Upgrade: websocket",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def request(path: str, data: bytes) -> tuple[bytes, bytes]:
    """One request on a new connection."""
    wire = Wire(path)
    try:
        wire.send(data)
        return wire.response()
    finally:
        wire.close()


def strip_date(head: bytes) -> bytes:
    """The head with the Date value replaced (it changes every second)."""
    lines = [
        b"Date: <date>" if line.startswith(b"Date: ") else line for line in head.split(b"\r\n")
    ]
    return b"\r\n".join(lines)


def wait_until(condition: object, timeout: float = 15.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting: {message}")
        time.sleep(0.02)

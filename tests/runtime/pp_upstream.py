"""An upstream process that reads a PROXY header and reports what it learnt.

Usage: python pp_upstream.py (tcp HOST:PORT | unix PATH)

Prints ``listening <address>`` once it accepts. For each connection it reads one PROXY
header (v1 or v2, told apart by the first bytes) with the ``proxy-protocol`` library
from PyPI, then the client's bytes up to the first newline, and answers one JSON line:
``{"type": ..., "source": ..., "dest": ..., "first": <the line>}``, then closes.
A connection whose header does not parse gets ``{"error": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys

from proxyprotocol import ProxyProtocolIncompleteError
from proxyprotocol.v1 import ProxyProtocolV1
from proxyprotocol.v2 import ProxyProtocolV2

SIGNATURE_V2 = b"\r\n\r\n\x00\r\nQUIT\n"


def read_exactly(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = client.recv(count - len(data))
        if not chunk:
            raise EOFError("connection closed inside the header")
        data += chunk
    return data


def read_header(client: socket.socket) -> dict[str, object]:
    start = read_exactly(client, 5)
    if start == b"PROXY":
        data = start
        while not data.endswith(b"\n"):  # byte by byte: nothing after the line is consumed
            data += read_exactly(client, 1)
        result = ProxyProtocolV1().unpack(data)
    elif SIGNATURE_V2.startswith(start):
        data = start + read_exactly(client, 11)
        data += read_exactly(client, 16 - len(data))
        reader = ProxyProtocolV2()
        try:
            result = reader.unpack(data)
        except ProxyProtocolIncompleteError:
            length = int.from_bytes(data[14:16], "big")
            result = reader.unpack(data + read_exactly(client, length))
    else:
        raise ValueError(f"no PROXY header, first bytes {start!r}")

    def show(address: object) -> object:
        return list(address) if isinstance(address, tuple) else address

    kind = type(result).__name__.removeprefix("ProxyResult")
    return {"type": kind, "source": show(result.peername), "dest": show(result.sockname)}


def serve(server: socket.socket) -> None:
    while True:
        client, _ = server.accept()
        with client:
            try:
                report = read_header(client)
                first = b""
                while not first.endswith(b"\n"):
                    chunk = client.recv(1)
                    if not chunk:
                        break
                    first += chunk
                report["first"] = first.decode(errors="replace")
            except (OSError, ValueError, EOFError) as error:
                report = {"error": f"{type(error).__name__}: {error}"}
            with contextlib.suppress(OSError):
                client.sendall(json.dumps(report).encode() + b"\n")


def main(argv: list[str]) -> None:
    kind, address = argv
    if kind == "unix":
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
        bound = address
    else:
        host, _, port = address.rpartition(":")
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind((host, int(port)))
        bound = f"{host}:{server.getsockname()[1]}"
    server.listen(64)
    print(f"listening {bound}", flush=True)
    serve(server)


if __name__ == "__main__":
    main(sys.argv[1:])

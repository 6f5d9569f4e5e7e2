"""runtime.httpserve.Connections: a bounded set of connections that ends quietly."""

from __future__ import annotations

import asyncio

from mittnite.runtime.httpserve import Connections, Policy, Request, Response

from .procs import eventually, run

POLICY = Policy(
    idle_timeout=30.0, request_timeout=30.0, max_body=1024, body_first=False, internal_error="x"
)


async def serving(connections: Connections) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(connections.serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def closed(reader: asyncio.StreamReader) -> bool:
    try:
        return await asyncio.wait_for(reader.read(), 10) == b""
    except (ConnectionError, TimeoutError):
        return False


def test_the_oldest_idle_connection_makes_room() -> None:
    async def scenario() -> tuple[int, bool, bytes]:
        async def handle(_request: Request) -> Response:
            return Response(200, b"ok")

        connections = Connections(handle, POLICY, limit=2)
        server, port = await serving(connections)
        old = await asyncio.open_connection("127.0.0.1", port)
        await eventually(lambda: len(connections) == 1)
        second = await asyncio.open_connection("127.0.0.1", port)
        second[1].write(b"GET /a HT")  # idle too: a head still arriving
        await eventually(lambda: len(connections) == 2)
        new = await asyncio.open_connection("127.0.0.1", port)
        new[1].write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(new[0].read(), 10)
        old_closed = await closed(old[0])
        evicted = connections.evicted
        for _reader, writer in (old, second, new):
            writer.close()
        server.close()
        await connections.close()
        return evicted, old_closed, answer

    evicted, old_closed, answer = run(scenario())
    assert evicted >= 1 and old_closed
    assert answer.startswith(b"HTTP/1.1 200 OK")


def test_busy_connections_are_never_evicted_and_close_ends_them_quietly() -> None:
    async def scenario() -> tuple[int, bool, list[object]]:
        release = asyncio.Event()
        errors: list[object] = []
        asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))

        async def handle(_request: Request) -> Response:
            await release.wait()  # busy until the server stops
            return Response(200, b"late")

        connections = Connections(handle, POLICY, limit=1)
        server, port = await serving(connections)
        busy = await asyncio.open_connection("127.0.0.1", port)
        busy[1].write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await eventually(lambda: len(connections) == 1)
        await asyncio.sleep(0.1)
        refused = await asyncio.open_connection("127.0.0.1", port)
        refused_closed = await closed(refused[0])
        server.close()
        await connections.close()  # cancels the busy one mid-request
        await asyncio.sleep(0.1)
        for _reader, writer in (busy, refused):
            writer.close()
        return connections.refused, refused_closed, errors

    refused, refused_closed, errors = run(scenario())
    assert refused == 1 and refused_closed
    assert errors == []  # no "exception in callback" from asyncio's stream machinery

"""A real upstream process for the lazy-job tests: an echo server, optionally slow to start.

Usage: python upstream.py (tcp HOST:PORT | unix PATH) [--delay SECONDS] [--exit-after N]

* ``--delay``: sleep before listening, like a service that needs time to boot;
* ``--exit-after N``: exit (status 3) once N connections have been served.

Prints ``listening`` on stdout once it accepts connections.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import time


async def echo(client: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    try:
        while True:
            count = await loop.sock_recv_into(client, buffer)
            if not count:
                client.shutdown(socket.SHUT_WR)
                return
            await loop.sock_sendall(client, view[:count])
    except OSError:
        return
    finally:
        client.close()


async def main(argv: list[str]) -> int:
    kind, address = argv[0], argv[1]
    delay = 0.0
    exit_after = 0
    if "--delay" in argv:
        delay = float(argv[argv.index("--delay") + 1])
    if "--exit-after" in argv:
        exit_after = int(argv[argv.index("--exit-after") + 1])
    if delay:
        time.sleep(delay)
    if kind == "unix":
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
    else:
        host, _, port = address.rpartition(":")
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, int(port)))
    server.listen(4096)
    server.setblocking(False)
    print("listening", flush=True)
    loop = asyncio.get_running_loop()
    served = 0
    tasks: set[asyncio.Task[None]] = set()
    while True:
        client, _ = await loop.sock_accept(server)
        client.setblocking(False)
        task = loop.create_task(echo(client))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        served += 1
        if exit_after and served >= exit_after:
            await asyncio.gather(*tasks)
            return 3


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))

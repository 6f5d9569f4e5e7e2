"""Hand sockets that sit at chosen descriptor numbers to ``job.py``; print what it got.

Usage: python renumber.py FD FD

Run in a fresh interpreter so the descriptor numbers are ours to choose: two TCP
listeners are moved to the given numbers (which may lie inside 3..4, the range the
handoff moves them to, in any order) and handed over in that order. Prints one JSON
line: the listeners' ports in handoff order and the job's own report.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys

from mittnite.runtime.activation import Handoff
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

JOB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "job.py")


def listener_at(number: int) -> tuple[int, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    port = sock.getsockname()[1]
    if sock.fileno() == number:
        sock.detach()  # already there: keep the descriptor open
    else:
        os.dup2(sock.fileno(), number, inheritable=False)
        sock.close()
    return number, port


async def main(placed: list[tuple[int, int]]) -> None:
    handoff = Handoff([fd for fd, _ in placed], ["first", "second"])
    read_end, write_end = os.pipe()
    async with Reaper() as reaper:
        child = spawn([sys.executable, JOB], handoff=handoff, reaper=reaper, stdout=write_end)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as output:
            line = await asyncio.get_running_loop().run_in_executor(None, output.readline)
        await child.terminate(10.0)
    print(json.dumps({"ports": [port for _, port in placed], "report": json.loads(line)}))


if __name__ == "__main__":
    # Placed before the event loop exists, whose own descriptors would be in the way.
    asyncio.run(main([listener_at(int(arg)) for arg in sys.argv[1:]]))

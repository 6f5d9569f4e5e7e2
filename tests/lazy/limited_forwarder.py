"""A forwarder process that runs short of file descriptors on purpose (EMFILE test).

Usage: python limited_forwarder.py FORWARD_ADDRESS SLACK

Prints the listening port, then lowers its own RLIMIT_NOFILE so that only SLACK more
descriptors can be opened, and forwards. Log lines go to stdout as ``level msg``.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
from collections.abc import Mapping
from typing import Any

from mittnite.config.addresses import parse_address
from mittnite.runtime.forward import Forwarder


class PrintLogger:
    def log(self, level: str, msg: str, fields: Mapping[str, Any] | None = None) -> None:
        print(level, msg, flush=True)


async def main(forward: str, slack: int) -> None:
    forwarder = Forwarder(
        parse_address("127.0.0.1:0"),
        parse_address(forward),
        logger=PrintLogger(),
        spin_up_timeout=30.0,
        timeout_error="upstream did not start",
    )
    forwarder.open()
    print(forwarder.address.rpartition(":")[2], flush=True)
    in_use = len(os.listdir("/proc/self/fd")) - 1  # minus the listing's own descriptor
    highest = max(int(name) for name in os.listdir("/proc/self/fd"))
    limit = max(in_use, highest + 1) + slack
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))

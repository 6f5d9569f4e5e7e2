"""Whole-line blocks moved inside the kernel: exact bytes, the ring's tail, back-pressure."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path

import pytest

from mittnite.logs.framing import PlainFramer
from mittnite.logs.ring import LogRing, split_block
from mittnite.runtime.pipes import OutputReader, open_output_pipe
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.sink import open_sink
from mittnite.runtime.spawn import spawn
from mittnite.runtime.splice import BulkMover

from .procs import run, settle

pytestmark = pytest.mark.skipif(not hasattr(os, "splice"), reason="needs os.splice")

# Numbered lines of varying length, written in chunks that cut lines anywhere.
WRITER = """\
import os, sys
count, long_every = int(sys.argv[1]), int(sys.argv[2])
lines = []
for i in range(count):
    filler = "y" * (200_000 if long_every and i % long_every == 7 else i % 150)
    lines.append(f"{i:08d} {filler}\\n")
data = "".join(lines).encode()
step = 50_000
for start in range(0, len(data), step):
    os.write(1, data[start:start + step])
"""


def expected_output(count: int, long_every: int) -> bytes:
    return "".join(
        f"{i:08d} {'y' * (200_000 if long_every and i % long_every == 7 else i % 150)}\n"
        for i in range(count)
    ).encode()


async def relay(
    tmp_path: Path, count: int, long_every: int = 0, *, follow: bool = False, stall: float = 0
) -> tuple[bytes, LogRing, int, list[bytes]]:
    """A writer's output through reader, plain framer, mover and a pipe sink; what came out."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    out_read, out_write = os.pipe()
    sink = open_sink(out_write)
    ring = LogRing()
    followed: list[bytes] = []
    follower = ring.follow() if follow else None

    async def collect() -> None:
        assert follower is not None
        async for _, block in follower:
            followed.extend(split_block(block))

    collecting = asyncio.ensure_future(collect()) if follower is not None else None
    framer = PlainFramer(
        sink,
        lambda block, restart=False: ring.append_block("stdout", block, restart=restart),
        wants_every_line=lambda: ring.has_followers,
    )
    received = bytearray()
    loop = asyncio.get_running_loop()
    os.set_blocking(out_read, False)

    def take() -> None:
        with contextlib.suppress(BlockingIOError):
            received.extend(os.read(out_read, 1 << 20))

    async with Reaper() as reaper:
        pipe = open_output_pipe()
        try:
            child = spawn(
                [sys.executable, str(script), str(count), str(long_every)],
                reaper=reaper,
                stdout=pipe.write_fd,
            )
        finally:
            os.close(pipe.write_fd)
        mover = BulkMover(pipe.read_fd, framer, sink)
        reader = OutputReader(pipe.read_fd, framer, sink, mover=mover)
        if stall:
            await asyncio.sleep(stall)  # nobody reads the output: sink and pipes fill up
        loop.add_reader(out_read, take)
        await settle(asyncio.gather(child.exited, reader.closed), 120)
        assert await sink.drain(30)
        await asyncio.sleep(0.05)
        take()
        loop.remove_reader(out_read)
    if follower is not None and collecting is not None:
        follower.close()
        await settle(collecting)
    sink.release()
    os.close(out_read)
    os.close(out_write)
    return bytes(received), ring, mover.moved_bytes, followed


def test_blocks_are_moved_in_the_kernel_and_arrive_exactly(tmp_path: Path) -> None:
    data, ring, moved, _ = run(relay(tmp_path, 200_000))
    expected = expected_output(200_000, 0)
    assert data == expected
    assert moved > len(expected) // 2  # most of it never passed through mittnite
    kept = [line for _, line in ring.tail()]
    assert kept == expected[:-1].split(b"\n")[-len(kept) :]  # the newest lines, no gap
    assert sum(len(line) + 1 for line in kept) > ring.capacity // 2


def test_a_stalled_destination_finishes_the_move_in_order(tmp_path: Path) -> None:
    data, _, moved, _ = run(relay(tmp_path, 300_000, stall=1.0))
    assert data == expected_output(300_000, 0)
    assert moved > 0


def test_lines_longer_than_the_tail_fall_back_to_copying(tmp_path: Path) -> None:
    data, ring, _, _ = run(relay(tmp_path, 3000, long_every=500))
    expected = expected_output(3000, 500)
    assert data == expected
    kept = [line for _, line in ring.tail()]
    assert kept == expected[:-1].split(b"\n")[-len(kept) :]


def test_followers_get_every_line_so_nothing_is_moved_past_them(tmp_path: Path) -> None:
    data, _, moved, followed = run(relay(tmp_path, 100_000, follow=True))
    expected = expected_output(100_000, 0)
    assert data == expected
    assert moved == 0
    assert followed == expected[:-1].split(b"\n")

"""The in-memory log ring: byte budget, blocks of lines, tails, bounded followers."""

from __future__ import annotations

import asyncio
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.logs.ring import FOLLOWER_BACKLOG, FOLLOWER_BYTES, LogRing, last_lines, split_block


def test_keeps_the_newest_lines_within_the_budget() -> None:
    ring = LogRing(capacity=20)
    for i in range(10):
        ring.append("stdout", f"line{i}".encode())
    kept = ring.tail()
    assert kept[-1] == ("stdout", b"line9")
    assert sum(len(line) + 1 for _, line in kept) <= 20
    assert ring.tail(2) == [("stdout", b"line8"), ("stdout", b"line9")]
    assert ring.tail(0) == []


def test_a_single_huge_line_is_kept() -> None:
    ring = LogRing(capacity=10)
    ring.append("stderr", b"x" * 100)
    assert ring.tail() == [("stderr", b"x" * 100)]
    ring.append_block("stdout", b"a\n" + b"y" * 50 + b"\n")
    assert ring.tail() == [("stdout", b"y" * 50)]


def test_blocks_are_split_into_lines_only_on_demand() -> None:
    ring = LogRing(capacity=1000)
    ring.append_block("stdout", b"one\ntwo\n")
    ring.append_block("stderr", memoryview(b"three\nfour\n"))
    ring.append("stdout", b"five")
    assert ring.tail() == [
        ("stdout", b"one"),
        ("stdout", b"two"),
        ("stderr", b"three"),
        ("stderr", b"four"),
        ("stdout", b"five"),
    ]
    assert ring.tail(3) == [("stderr", b"three"), ("stderr", b"four"), ("stdout", b"five")]


def test_a_block_larger_than_the_budget_keeps_its_last_whole_lines() -> None:
    ring = LogRing(capacity=64)
    block = b"".join(b"%04d\n" % i for i in range(1000))  # 5000 bytes
    ring.append_block("stdout", block)
    kept = [line for _, line in ring.tail()]
    assert kept == [b"%04d" % i for i in range(988, 1000)]  # 12 lines = 60 bytes


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")), max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
    capacity=st.integers(min_value=1, max_value=200),
)
def test_blocks_keep_the_same_lines_as_appending_one_by_one(
    lines: list[bytes], cuts: list[int], capacity: int
) -> None:
    """However the lines are grouped in blocks, the ring keeps the newest ones in budget."""
    ring = LogRing(capacity=capacity)
    bounds = sorted({0, len(lines), *(cut for cut in cuts if cut < len(lines))})
    for start, end in itertools.pairwise(bounds):
        ring.append_block("stdout", b"".join(line + b"\n" for line in lines[start:end]))
    kept = [line for _, line in ring.tail()]
    assert kept == lines[len(lines) - len(kept) :]  # a suffix: the newest lines, in order
    if lines:
        assert kept  # the newest line is always kept
        size = sum(len(line) + 1 for line in kept)
        assert size <= capacity or len(kept) == 1
        if len(kept) < len(lines):  # nothing more would have fit
            assert size + len(lines[-len(kept) - 1]) + 1 > capacity


def test_last_lines_and_split_block() -> None:
    assert last_lines(b"ab\ncd\nef\n", 6) == b"cd\nef\n"
    assert last_lines(b"ab\ncd\nef\n", 5) == b"ef\n"
    assert last_lines(b"ab\ncdefgh\n", 3) == b"cdefgh\n"
    assert split_block(b"a\n\nb\n") == [b"a", b"", b"b"]
    assert split_block(b"") == []


def test_followers_get_every_line_in_order() -> None:
    async def scenario() -> list[bytes]:
        ring = LogRing(capacity=100)
        ring.append("stdout", b"before")
        follower = ring.follow()
        for i in range(5000):
            ring.append("stdout" if i % 2 else "stderr", str(i).encode())
        follower.close()
        return [line async for _, block in follower for line in split_block(block)]

    lines = asyncio.run(scenario())
    assert lines == [str(i).encode() for i in range(5000)]


def test_a_follower_waits_for_new_blocks() -> None:
    async def scenario() -> list[tuple[str, bytes]]:
        ring = LogRing()
        follower = ring.follow()
        received: list[tuple[str, bytes]] = []

        async def consume() -> None:
            async for item in follower:
                received.append(item)

        task = asyncio.ensure_future(consume())
        await asyncio.sleep(0)
        ring.append_block("stderr", b"x\ny\n")
        await asyncio.sleep(0)
        ring.append("stdout", b"z")
        follower.close()
        await asyncio.wait_for(task, 5)
        return received

    assert asyncio.run(scenario()) == [("stderr", b"x\ny\n"), ("stdout", b"z\n")]


def test_a_follower_that_falls_too_far_behind_is_cut_off_not_fed_gaps() -> None:
    async def scenario() -> tuple[list[bytes], bool, int, int]:
        ring = LogRing()
        cut_off: list[bool] = []
        follower = ring.follow(lambda: cut_off.append(True))
        for i in range(10):
            ring.append("stdout", str(i).encode())
        first = await follower.__anext__()  # the client took one block
        for i in range(10, FOLLOWER_BACKLOG + 50):
            ring.append("stdout", str(i).encode())
        received = [first[1]] + [block async for _, block in follower]
        assert cut_off == [True]
        return received, follower.overflowed, follower.backlog_lines, len(ring._followers)

    received, overflowed, backlog, followers = asyncio.run(scenario())
    assert overflowed
    assert received == [b"0\n"]  # what was queued is released at once, never a gap
    assert backlog == 0 and followers == 0


def test_a_follower_is_bounded_by_bytes_too() -> None:
    """Long lines: 10,000 of 64 KiB each would be 640 MB, so bytes count as well."""

    async def scenario() -> tuple[bool, int]:
        ring = LogRing()
        follower = ring.follow()
        line = b"x" * 65535
        pushed = 0
        while not follower.overflowed:
            ring.append("stdout", line)
            pushed += 1
            assert follower.backlog_bytes <= FOLLOWER_BYTES
        return follower.overflowed, pushed

    overflowed, pushed = asyncio.run(scenario())
    assert overflowed and pushed == FOLLOWER_BYTES // 65536 + 1

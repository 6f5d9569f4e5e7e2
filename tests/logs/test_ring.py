"""The in-memory log ring: byte budget, tails, lossless followers."""

from __future__ import annotations

import asyncio

from mittnite.logs.ring import FOLLOWER_BACKLOG, LogRing


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


def test_followers_get_every_line_in_order() -> None:
    async def scenario() -> list[bytes]:
        ring = LogRing(capacity=100)
        ring.append("stdout", b"before")
        follower = ring.follow()
        for i in range(5000):
            ring.append("stdout" if i % 2 else "stderr", str(i).encode())
        follower.close()
        return [line async for _, line in follower]

    lines = asyncio.run(scenario())
    assert lines == [str(i).encode() for i in range(5000)]


def test_a_follower_that_falls_too_far_behind_is_cut_off_not_fed_gaps() -> None:
    async def scenario() -> tuple[int, bool]:
        ring = LogRing()
        follower = ring.follow()
        for i in range(FOLLOWER_BACKLOG + 50):
            ring.append("stdout", str(i).encode())
        received = [line async for _, line in follower]
        assert received == [str(i).encode() for i in range(len(received))]
        return len(received), follower.overflowed

    count, overflowed = asyncio.run(scenario())
    assert overflowed and count == FOLLOWER_BACKLOG

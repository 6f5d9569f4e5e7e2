"""Log sources: line splitting, tails of files, following files and the ring."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from mittnite.api.logs import (
    LogPlan,
    parse_query,
    plan_for,
    split_lines,
    stream_file,
    stream_ring,
    tail_offset,
)
from mittnite.config.model import JobConfig
from mittnite.logs.ring import LogRing


def test_split_lines_strips_newline_and_cr() -> None:
    assert split_lines(b"a\r\nb\nc") == ([b"a", b"b"], b"c")
    assert split_lines(b"") == ([], b"")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", (False, -1)),
        ("follow=TRUE&taillen=5", (True, 5)),
        ("follow=1&taillen=x", (False, -1)),
        ("taillen=0", (False, 0)),
    ],
)
def test_parse_query(query: str, expected: tuple[bool, int]) -> None:
    assert parse_query(query) == expected


def test_plan_reads_files_once_and_the_ring_for_streams_without_file() -> None:
    assert plan_for(JobConfig(name="a")) == LogPlan([], frozenset({"stdout", "stderr"}))
    assert plan_for(JobConfig(name="a", stdout="/o")) == LogPlan(["/o"], frozenset({"stderr"}))
    assert plan_for(JobConfig(name="a", stdout="/o", stderr="/o")) == LogPlan(["/o"], frozenset())
    both = plan_for(JobConfig(name="a", stdout="/o", stderr="/e"))
    assert both == LogPlan(["/o", "/e"], frozenset())


@pytest.mark.parametrize("trailing_newline", [True, False])
def test_tail_offset(tmp_path: Path, trailing_newline: bool) -> None:
    path = tmp_path / "f"
    text = "\n".join(f"line{i}" for i in range(20000)) + ("\n" if trailing_newline else "")
    path.write_text(text)
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        assert tail_offset(fd, size, -1) == 0
        assert tail_offset(fd, size, 0) == size
        assert os.pread(fd, 100, tail_offset(fd, size, 2)).startswith(b"line19998\nline19999")
        assert tail_offset(fd, size, 10**6) == 0
    finally:
        os.close(fd)


def collect_into(lines: list[bytes]) -> object:
    async def emit(line: bytes) -> None:
        lines.append(line)

    return emit


def test_stream_file_whole_and_tail(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"".join(b"%d\n" % i for i in range(1000)) + b"partial")
    lines: list[bytes] = []
    asyncio.run(stream_file(str(path), -1, False, collect_into(lines)))  # type: ignore[arg-type]
    assert lines == [b"%d" % i for i in range(1000)] + [b"partial"]
    lines.clear()
    asyncio.run(stream_file(str(path), 2, False, collect_into(lines)))  # type: ignore[arg-type]
    assert lines == [b"999", b"partial"]


def test_stream_file_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    lines: list[bytes] = []
    asyncio.run(stream_file(str(tmp_path / "nope"), -1, False, collect_into(lines)))  # type: ignore[arg-type]
    assert lines == []


def test_follow_a_file_through_appends_truncation_and_creation(tmp_path: Path) -> None:
    path = tmp_path / "later.log"
    lines: list[bytes] = []

    async def scenario() -> None:
        task = asyncio.ensure_future(stream_file(str(path), -1, True, collect_into(lines)))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        path.write_bytes(b"one\n")
        await wait_for(lambda: lines == [b"one"])
        with path.open("ab") as handle:
            handle.write(b"two\nthr")
        await wait_for(lambda: lines == [b"one", b"two"])
        with path.open("ab") as handle:
            handle.write(b"ee\n")
        await wait_for(lambda: lines[-1] == b"three")
        path.write_bytes(b"")  # truncated
        await asyncio.sleep(0.3)
        path.write_bytes(b"again\n")
        await wait_for(lambda: lines[-1] == b"again")
        task.cancel()

    asyncio.run(scenario())
    assert lines == [b"one", b"two", b"three", b"again"]


async def wait_for(condition: object, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "condition not met"
        await asyncio.sleep(0.01)


def test_stream_ring_filters_streams_and_follows_without_gaps() -> None:
    ring = LogRing()
    for i in range(5):
        ring.append("stdout", b"o%d" % i)
        ring.append("stderr", b"e%d" % i)
    lines: list[bytes] = []

    async def scenario() -> None:
        task = asyncio.ensure_future(
            stream_ring(ring, frozenset({"stderr"}), 2, True, collect_into(lines))  # type: ignore[arg-type]
        )
        await asyncio.sleep(0)
        ring.append("stderr", b"new")
        ring.append("stdout", b"ignored")
        await wait_for(lambda: lines[-1:] == [b"new"])
        task.cancel()

    asyncio.run(scenario())
    assert lines == [b"e3", b"e4", b"new"]
    lines.clear()
    done = asyncio.run(
        stream_ring(ring, frozenset({"stdout", "stderr"}), -1, False, collect_into(lines))  # type: ignore[arg-type]
    )
    assert done is True
    assert len(lines) == 12

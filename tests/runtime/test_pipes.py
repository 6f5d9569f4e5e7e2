"""The line reader: partial lines, huge lines, binary data, many lines, nothing lost at exit."""

from __future__ import annotations

import asyncio
import itertools
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.runtime.exitstatus import ExitStatus
from mittnite.runtime.pipes import LineReader, open_output_pipe
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from .procs import children_of, eventually, run, settle

KIB = 1024


def reference_lines(data: bytes, max_line: int, strip_cr: bool) -> list[bytes]:
    """What the reader must deliver for ``data``, however the bytes arrive."""

    def chunks(line: bytes) -> list[bytes]:
        if strip_cr and line.endswith(b"\r"):
            line = line[:-1]
        return [line[i : i + max_line] for i in range(0, len(line), max_line)] or [b""]

    *complete, last = data.split(b"\n")
    result = [chunk for line in complete for chunk in chunks(line)]
    if last:
        result.extend(chunks(last))
    return result


async def read_pieces(pieces: list[bytes], **options: object) -> list[bytes]:
    """Write ``pieces`` one by one into a pipe, letting the reader run in between."""
    lines: list[bytes] = []
    pipe = open_output_pipe()
    reader = LineReader(pipe.read_fd, lines.append, **options)  # type: ignore[arg-type]
    for piece in pieces:
        os.write(pipe.write_fd, piece)
        for _ in range(3):
            await asyncio.sleep(0)
    os.close(pipe.write_fd)
    await settle(reader.closed)
    assert reader.error is None
    return lines


def test_partial_lines_are_joined_and_the_last_one_kept() -> None:
    pieces = [b"ab", b"c\nde", b"f\r\n", b"\n", b"tail"]
    assert run(read_pieces(pieces)) == [b"abc", b"def", b"", b"tail"]
    assert run(read_pieces(pieces, strip_cr=False)) == [b"abc", b"def\r", b"", b"tail"]


def test_eof_right_after_a_newline_adds_no_empty_line() -> None:
    assert run(read_pieces([b"one\ntwo\n"])) == [b"one", b"two"]
    assert run(read_pieces([])) == []


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=200).map(lambda b: b.replace(b"x", b"\n").replace(b"y", b"\r")),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
    max_line=st.integers(min_value=1, max_value=9),
    strip_cr=st.booleans(),
)
def test_lines_do_not_depend_on_how_bytes_arrive(
    data: bytes, cuts: list[int], max_line: int, strip_cr: bool
) -> None:
    bounds = sorted({0, len(data), *(cut for cut in cuts if cut < len(data))})
    pieces = [data[start:end] for start, end in itertools.pairwise(bounds)]
    lines = run(read_pieces(pieces, max_line=max_line, strip_cr=strip_cr))
    assert lines == reference_lines(data, max_line, strip_cr)


async def child_output(argv: list[str], **options: object) -> tuple[list[bytes], ExitStatus]:
    """Run ``argv`` with stdout on a pipe; wait for its exit *and* the pipe's EOF."""
    lines: list[bytes] = []
    async with Reaper() as reaper:
        pipe = open_output_pipe()
        try:
            child = spawn(argv, reaper=reaper, stdout=pipe.write_fd)
        finally:
            os.close(pipe.write_fd)
        reader = LineReader(pipe.read_fd, lines.append, **options)  # type: ignore[arg-type]
        status, _ = await settle(asyncio.gather(child.exited, reader.closed), 60)
        # a grandchild that held the pipe may not be reaped yet: not a stray for later tests
        assert await eventually(lambda: children_of(os.getpid()) == [])
    return lines, status


def test_a_one_megabyte_line_is_chunked_and_reading_goes_on() -> None:
    script = "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo after"
    lines, status = run(child_output(["sh", "-c", script]))
    assert status.success  # the child never blocked on a full pipe
    assert [len(line) for line in lines[:-1]] == [64 * KIB] * 15 + [1000000 - 15 * 64 * KIB]
    assert b"".join(lines[:-1]) == b"x" * 1000000
    assert lines[-1] == b"after"


def test_binary_data_round_trips(tmp_path: Path) -> None:
    blob = os.urandom(300 * KIB)
    source = tmp_path / "blob"
    source.write_bytes(blob)
    lines, status = run(child_output(["cat", str(source)], strip_cr=False, max_line=1 << 20))
    assert status.success
    joined = b"\n".join(lines)
    assert joined == blob or joined + b"\n" == blob


def test_many_lines_arrive_in_order() -> None:
    lines, status = run(child_output(["seq", "1", "200000"]))
    assert status.success
    assert lines == [str(number).encode() for number in range(1, 200001)]


def test_output_of_short_lived_children_is_never_lost() -> None:
    async def scenario() -> list[list[bytes]]:
        return [
            (await child_output(["sh", "-c", f"printf 'first {index}\\nlast {index}'"]))[0]
            for index in range(150)
        ]

    outputs = run(scenario())
    assert outputs == [[f"first {i}".encode(), f"last {i}".encode()] for i in range(150)]


def test_reader_waits_for_grandchildren_holding_the_pipe() -> None:
    script = "(sleep 0.3; echo late) & echo early"
    lines, status = run(child_output(["sh", "-c", script]))
    assert status.success
    assert lines == [b"early", b"late"]


def test_close_stops_reading_and_delivers_the_partial_line() -> None:
    async def scenario() -> tuple[list[bytes], bool]:
        lines: list[bytes] = []
        pipe = open_output_pipe()
        reader = LineReader(pipe.read_fd, lines.append)
        os.write(pipe.write_fd, b"complete\npartial")
        for _ in range(3):
            await asyncio.sleep(0)
        reader.close()
        closed = reader.closed.done()
        os.close(pipe.write_fd)
        return lines, closed

    assert run(scenario()) == ([b"complete", b"partial"], True)


def test_output_pipe_ends() -> None:
    pipe = open_output_pipe()
    try:
        assert not os.get_blocking(pipe.read_fd)
        assert os.get_blocking(pipe.write_fd)  # children must not see EAGAIN on stdout
        assert not os.get_inheritable(pipe.read_fd)
        assert not os.get_inheritable(pipe.write_fd)
    finally:
        os.close(pipe.read_fd)
        os.close(pipe.write_fd)

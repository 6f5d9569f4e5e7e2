"""Sinks: non-blocking writes to stalled destinations without touching shared descriptors."""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import socket
from pathlib import Path

import pytest

from mittnite.runtime.sink import (
    HIGH_WATER,
    LOG_ALLOWANCE,
    PIPE_CAPACITY,
    Sink,
    open_sink,
    same_destination,
)
from mittnite.runtime.sink_thread import ThreadedSink

from .procs import eventually, run

CHUNK = b"x" * 99 + b"\n"


def read_all_available(fd: int) -> bytes:
    os.set_blocking(fd, False)
    data = []
    while True:
        try:
            piece = os.read(fd, 1 << 20)
        except BlockingIOError:
            break
        if not piece:
            break
        data.append(piece)
    return b"".join(data)


async def read_back(fd: int, size: int) -> bytes:
    """Read pipe ``fd`` without blocking the loop until ``size`` bytes have arrived."""
    received = bytearray()

    def arrived() -> bool:
        received.extend(read_all_available(fd))
        return len(received) >= size

    assert await eventually(arrived)
    return bytes(received)


def fill(sink: Sink, total: int) -> bytes:
    """Write ``total`` bytes of numbered lines into ``sink``; what was written."""
    lines = b"".join(b"%09d\n" % i for i in range(total // 10))
    for start in range(0, len(lines), 65536):
        sink.write(lines[start : start + 65536])
    return lines


def test_a_pipe_is_reopened_privately_and_the_shared_description_stays_blocking() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        try:
            sink = open_sink(write_end)
            assert type(sink) is Sink and sink.fileno != write_end
            assert os.get_blocking(write_end)  # the descriptor others share is untouched
            assert not os.get_blocking(sink.fileno)
            capacity = fcntl.fcntl(write_end, 1032)  # F_GETPIPE_SZ
            assert capacity == PIPE_CAPACITY  # grown (for everybody: only a bigger buffer)
            written = fill(sink, 3 * HIGH_WATER)
            assert not sink.has_room()  # nobody reads: buffered, the loop never blocked
            assert sink.buffered == len(written) - capacity
            woken: list[bool] = []
            sink.when_room(lambda: woken.append(True))
            assert await read_back(read_end, len(written)) == written  # in order, nothing lost
            assert woken == [True] and sink.has_room() and sink.buffered == 0
            sink.release()
        finally:
            os.close(read_end)
            os.close(write_end)

    run(scenario())


def test_a_socket_gets_dontwait_sends_and_stays_blocking() -> None:
    async def scenario() -> None:
        ours, theirs = socket.socketpair()
        try:
            sink = open_sink(ours.fileno())
            assert ours.getblocking()
            written = fill(sink, 2 * HIGH_WATER)
            assert not sink.has_room()
            received = bytearray()
            theirs.setblocking(False)

            def drain_socket() -> bool:
                try:
                    while True:
                        piece = theirs.recv(1 << 20)
                        if not piece:
                            break
                        received.extend(piece)
                except BlockingIOError:
                    pass
                return len(received) == len(written)

            assert await eventually(drain_socket)
            assert bytes(received) == written
            sink.release()
        finally:
            ours.close()
            theirs.close()

    run(scenario())


def test_a_regular_file_is_written_directly(tmp_path: Path) -> None:
    async def scenario() -> None:
        fd = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            sink = open_sink(fd)
            assert sink.fileno == fd
            written = fill(sink, 3 * HIGH_WATER)
            assert sink.buffered == 0 and sink.has_room()
            assert (tmp_path / "out").read_bytes() == written
        finally:
            os.close(fd)

    run(scenario())


FILE_SIZE_LIMIT = """
import asyncio, os, resource, sys
from mittnite.runtime.sink import open_sink

resource.setrlimit(resource.RLIMIT_FSIZE, (1000, resource.RLIM_INFINITY))

async def main():
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    sink = open_sink(fd)
    sink.write(b"x" * 4000)  # the file takes 1000 bytes of it, then refuses more
    sink.write(b"y" * 10)
    print(sink.broken, sink.discarded, sink.buffered, os.path.getsize(sys.argv[1]))

asyncio.run(main())
"""


def test_a_regular_file_that_takes_part_of_a_write_breaks_the_sink(tmp_path: Path) -> None:
    """A short write to a file (disk full, file size limit) is no reason to wait: the loop
    cannot wait for a regular file (epoll refuses it), the next write tells the error."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "3010", "0", "1000"]


def test_a_destination_without_reader_is_broken_and_never_blocks_anybody() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        sink = open_sink(write_end)
        reports: list[OSError] = []
        sink.on_break = reports.append
        fill(sink, HIGH_WATER * 3)
        assert not sink.has_room()
        woken: list[bool] = []
        sink.when_room(lambda: woken.append(True))
        buffered = sink.buffered
        os.close(read_end)  # the reader is gone for good
        assert await eventually(lambda: sink.broken)
        assert woken == [True] and sink.has_room() and sink.buffered == 0
        sink.write(b"more\n")
        assert sink.discarded == buffered + 5
        await asyncio.sleep(0)  # the report comes on a later turn of the loop, once
        assert [error.errno for error in reports] == [errno.EPIPE]
        sink.release()
        os.close(write_end)

    run(scenario())


def test_own_log_lines_get_an_allowance_then_are_dropped_and_reported() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        sink = open_sink(write_end)
        written = fill(sink, 2 * HIGH_WATER + 65536 * 2)
        line = b"level=info msg=x\n"
        accepted = 0
        while sink.log_dropped == 0:
            sink.write_log(line)
            accepted += 1
        assert sink.buffered <= HIGH_WATER + 65536 * 2 + LOG_ALLOWANCE  # the pipe took 1 MiB
        for _ in range(9):
            sink.write_log(line)
        assert sink.log_dropped == 10 * len(line)
        received = bytearray()

        def drain_pipe() -> bool:
            received.extend(read_all_available(read_end))
            return sink.buffered == 0

        assert await eventually(drain_pipe)
        sink.write_log(b"after\n")
        assert await eventually(drain_pipe)
        assert bytes(received).startswith(written + line * (accepted - 1))
        note = f"mittnite: {10 * len(line)} bytes of mittnite's log lines were dropped"
        assert bytes(received).endswith(note.encode() + b" while this output was blocked\nafter\n")
        sink.release()
        os.close(read_end)
        os.close(write_end)

    run(scenario())


def test_the_writer_thread_fallback_keeps_the_loop_free() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        sink = ThreadedSink(write_end)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.ensure_future(ticker())
        written = fill(sink, 3 * HIGH_WATER)
        await asyncio.sleep(0.3)
        assert not sink.has_room() and ticks > 5  # the thread blocks, the loop does not
        woken: list[bool] = []
        sink.when_room(lambda: woken.append(True))
        received = await read_back(read_end, len(written))
        assert await sink.drain(10)
        assert received == written and woken == [True]
        task.cancel()
        os.close(read_end)
        reports: list[OSError] = []
        sink.on_break = reports.append
        sink.write(b"lost\n")
        assert await eventually(lambda: sink.broken)
        sink.write(b"lost too\n")
        assert await eventually(lambda: bool(reports))
        assert [error.errno for error in reports] == [errno.EPIPE]
        os.close(write_end)

    run(scenario())


def test_close_discards_what_a_stalled_destination_did_not_take() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        sink = open_sink(write_end)
        fill(sink, HIGH_WATER * 3)
        assert not await sink.drain(0.1)
        sink.close()
        assert sink.buffered == 0 and sink.discarded > 0
        read_all_available(read_end)
        sink.write(b"last words\n")  # tried once, at once
        assert read_all_available(read_end) == b"last words\n"
        sink.release()
        os.close(read_end)
        os.close(write_end)

    run(scenario())


@pytest.mark.parametrize("kind", ["pipe", "socket"])
def test_same_destination(kind: str, tmp_path: Path) -> None:
    if kind == "pipe":
        first, second = os.pipe()
    else:
        one, two = socket.socketpair()
        first, second = one.detach(), two.detach()
    copy = os.dup(second)
    regular = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT)
    regular_copy = os.dup(regular)
    try:
        assert same_destination(second, copy)  # e.g. 2>&1: one sink, lines stay whole
        if kind == "socket":
            assert not same_destination(first, second)
        assert not same_destination(regular, regular_copy)  # files are written directly
    finally:
        for fd in (first, second, copy, regular, regular_copy):
            os.close(fd)


def test_a_closed_descriptor_gives_a_sink_that_discards() -> None:
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        os.close(read_end)
        os.close(write_end)  # e.g. mittnite started with ">&-"
        sink = open_sink(write_end)
        assert sink.broken and sink.has_room()
        sink.write(b"nobody\n")
        sink.write_log(b"nobody either\n")
        assert sink.discarded == 21 and await sink.drain(1)

    run(scenario())


def test_without_a_loop_a_write_is_tried_once_and_never_blocks() -> None:
    read_end, write_end = os.pipe()
    try:
        sink = open_sink(write_end)  # e.g. a log line after the event loop ended
        data = b"y" * (3 * PIPE_CAPACITY)
        sink.write(data)
        assert sink.buffered == 0 and sink.discarded == len(data) - PIPE_CAPACITY
        sink.release()
    finally:
        os.close(read_end)
        os.close(write_end)

"""The output reader: real pipes and children, back-pressure, partial lines, terminals."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from mittnite.logs.framing import PlainFramer
from mittnite.runtime.exitstatus import ExitStatus
from mittnite.runtime.pipes import OutputReader, open_output_pipe
from mittnite.runtime.ptys import open_terminal
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from .procs import children_of, eventually, run, settle

KIB = 1024


class Destination:
    """A destination with a door: ``room`` decides whether the reader may read."""

    def __init__(self, *, keep: bool = True) -> None:
        self.writes: list[bytes] = []
        self.count = 0
        self.keep = keep
        self.last_writer: object = None
        self.room = True
        self._waiters: list[object] = []

    def write(self, data: bytes | memoryview, owner: object = None) -> None:
        self.count += len(data)
        if self.keep:
            self.writes.append(bytes(data))
        self.last_writer = owner

    def has_room(self) -> bool:
        return self.room

    def when_room(self, callback: object) -> None:
        self._waiters.append(callback)

    def open_door(self) -> None:
        self.room = True
        waiters, self._waiters = self._waiters, []
        for callback in waiters:
            callback()  # type: ignore[operator]

    @property
    def data(self) -> bytes:
        return b"".join(self.writes)


class Copy:
    """A reader with a plain framer writing to a :class:`Destination` and a line list."""

    def __init__(
        self, fd: int, *, terminal: bool = False, read_size: int = 256 * KIB, keep: bool = True
    ) -> None:
        self.destination = Destination(keep=keep)
        self.blocks: list[bytes] = []
        self.framer = PlainFramer(self.destination, self.blocks.append if keep else None)
        self.reader = OutputReader(
            fd, self.framer, self.destination, terminal=terminal, read_size=read_size
        )

    @property
    def lines(self) -> list[bytes]:
        joined = b"".join(self.blocks)
        return joined[:-1].split(b"\n") if joined else []


async def child_output(argv: list[str], **options: object) -> tuple[Copy, ExitStatus]:
    """Run ``argv`` with stdout on a pipe; wait for its exit *and* the pipe's EOF."""
    async with Reaper() as reaper:
        pipe = open_output_pipe()
        try:
            child = spawn(argv, reaper=reaper, stdout=pipe.write_fd)
        finally:
            os.close(pipe.write_fd)
        copy = Copy(pipe.read_fd, **options)  # type: ignore[arg-type]
        status, _ = await settle(asyncio.gather(child.exited, copy.reader.closed), 60)
        # a grandchild that held the pipe may not be reaped yet: not a stray for later tests
        assert await eventually(lambda: children_of(os.getpid()) == [])
    return copy, status


def test_a_one_megabyte_line_is_recorded_in_pieces_and_passed_unchanged() -> None:
    script = "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo after"
    copy, status = run(child_output(["sh", "-c", script]))
    assert status.success  # the child never blocked on a full pipe
    assert [len(line) for line in copy.lines[:-1]] == [64 * KIB] * 15 + [1000000 - 15 * 64 * KIB]
    assert copy.lines[-1] == b"after"
    assert copy.destination.data == b"x" * 1000000 + b"\nafter\n"


def test_binary_data_round_trips(tmp_path: Path) -> None:
    blob = os.urandom(300 * KIB)
    source = tmp_path / "blob"
    source.write_bytes(blob)
    copy, status = run(child_output(["cat", str(source)]))
    assert status.success
    assert copy.destination.data == blob


def test_many_lines_arrive_in_order_in_whole_line_blocks() -> None:
    copy, status = run(child_output(["seq", "1", "200000"]))
    assert status.success
    assert copy.lines == [str(number).encode() for number in range(1, 200001)]
    assert all(write.endswith(b"\n") for write in copy.destination.writes)
    assert len(copy.destination.writes) < 2000  # blocks, not lines


def test_output_of_short_lived_children_is_never_lost() -> None:
    async def scenario() -> list[bytes]:
        outputs = []
        for index in range(150):
            copy, _ = await child_output(["sh", "-c", f"printf 'first {index}\\nlast {index}'"])
            outputs.append(copy.destination.data)
        return outputs

    outputs = run(scenario())
    assert outputs == [f"first {i}\nlast {i}".encode() for i in range(150)]


def test_reader_waits_for_grandchildren_holding_the_pipe() -> None:
    script = "(sleep 0.3; echo late) & echo early"
    copy, status = run(child_output(["sh", "-c", script]))
    assert status.success
    assert copy.lines == [b"early", b"late"]


def test_close_stops_reading_and_delivers_the_partial_line() -> None:
    async def scenario() -> tuple[bytes, list[bytes], bool]:
        pipe = open_output_pipe()
        copy = Copy(pipe.read_fd)
        os.write(pipe.write_fd, b"complete\npartial")
        await eventually(lambda: bool(copy.destination.writes))
        copy.reader.close()
        closed = copy.reader.closed.done()
        os.close(pipe.write_fd)
        return copy.destination.data, copy.lines, closed

    assert run(scenario()) == (b"complete\npartial", [b"complete", b"partial"], True)


def test_a_full_destination_pauses_reading_and_the_child_blocks_losing_nothing() -> None:
    """Back-pressure: the child waits in its own write(); every byte arrives in order."""

    async def scenario() -> tuple[Copy, ExitStatus, int, bool]:
        async with Reaper() as reaper:
            pipe = open_output_pipe(capacity=64 * KIB)
            try:
                child = spawn(["seq", "1", "1000000"], reaper=reaper, stdout=pipe.write_fd)
            finally:
                os.close(pipe.write_fd)
            copy = Copy(pipe.read_fd, read_size=64 * KIB)
            copy.destination.room = False
            await eventually(lambda: copy.reader.paused)
            await asyncio.sleep(0.5)  # the child had time to finish if it were not blocked
            read_while_closed = len(copy.destination.data)
            still_running = not child.exited.done()
            copy.destination.open_door()
            status, _ = await settle(asyncio.gather(child.exited, copy.reader.closed), 60)
        return copy, status, read_while_closed, still_running

    copy, status, read_while_closed, still_running = run(scenario())
    assert still_running and read_while_closed == 0
    assert status.success
    assert copy.destination.data == b"".join(b"%d\n" % i for i in range(1, 1000001))


def test_an_unfinished_line_is_shown_after_a_moment() -> None:
    async def scenario() -> tuple[bytes, list[bytes]]:
        async with Reaper() as reaper:
            pipe = open_output_pipe()
            try:
                child = spawn(
                    ["sh", "-c", "echo hello; printf 'prompt> '; exec sleep 30"],
                    reaper=reaper,
                    stdout=pipe.write_fd,
                )
            finally:
                os.close(pipe.write_fd)
            copy = Copy(pipe.read_fd)
            shown = await eventually(lambda: copy.destination.data == b"hello\nprompt> ", 20)
            assert shown, copy.destination.data
            blocks = list(copy.blocks)
            await child.terminate(5)
            await settle(copy.reader.closed)
        return copy.destination.data, blocks

    data, blocks = run(scenario())
    assert data == b"hello\nprompt> "
    assert blocks == [b"hello\n"]  # the ring waits for the line to end


def test_a_terminal_master_ends_with_all_data_and_no_error() -> None:
    async def scenario() -> tuple[Copy, ExitStatus]:
        async with Reaper() as reaper:
            pipe = open_terminal()
            try:
                child = spawn(
                    ["sh", "-c", "test -t 1 && echo tty; seq 1 20000"],
                    reaper=reaper,
                    stdout=pipe.write_fd,
                )
            finally:
                os.close(pipe.write_fd)
            copy = Copy(pipe.read_fd, terminal=True)
            status, _ = await settle(asyncio.gather(child.exited, copy.reader.closed), 60)
        return copy, status

    copy, status = run(scenario())
    assert status.success and copy.reader.error is None
    assert copy.lines == [b"tty"] + [b"%d" % i for i in range(1, 20001)]  # no CRs added


def test_a_flooding_child_does_not_starve_another() -> None:
    """One read per callback: a short line of a second job arrives in the middle of a flood."""

    async def scenario() -> tuple[int, bool, int]:
        async with Reaper() as reaper:
            copies = []
            children = []
            for argv in (["yes", "x" * 99], ["sh", "-c", "sleep 0.3; echo quick"]):
                pipe = open_output_pipe()
                try:
                    children.append(spawn(argv, reaper=reaper, stdout=pipe.write_fd))
                finally:
                    os.close(pipe.write_fd)
                copies.append(Copy(pipe.read_fd, keep=argv[0] != "yes"))
            flood, quick = copies
            await settle(quick.reader.closed, 60)
            flooded = flood.destination.count
            flooding = not flood.reader.closed.done()
            flood.reader.close()
            for child in children:
                await child.terminate(5)
        return flooded, flooding, len(quick.destination.data)

    flooded, flooding, quick = run(scenario())
    assert quick == len(b"quick\n")
    assert flooding and flooded > 0  # the flood went on all the time; it did not starve "quick"


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

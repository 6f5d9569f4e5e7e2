"""Framing a child's output: whole-line blocks, heads, CR stripping, long lines, partial lines."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.logs.framing import DecoratedFramer, PlainFramer, chunk_lines, has_long_line


class Destination:
    """Records every write, as a sink would receive it."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.last_writer: object = None

    def write(self, data: bytes | memoryview, owner: object = None) -> None:
        self.writes.append(bytes(data))
        self.last_writer = owner

    @property
    def data(self) -> bytes:
        return b"".join(self.writes)


def reference_lines(data: bytes, max_line: int, strip_cr: bool) -> list[bytes]:
    """The lines the ring must get for ``data``, however the bytes arrive (Go's scanner)."""

    def chunks(line: bytes) -> list[bytes]:
        if strip_cr and line.endswith(b"\r"):
            line = line[:-1]
        return [line[i : i + max_line] for i in range(0, len(line), max_line)] or [b""]

    *complete, last = data.split(b"\n")
    result = [chunk for line in complete for chunk in chunks(line)]
    if last:
        result.extend(chunks(last))
    return result


def pieces_of(data: bytes, cuts: list[int]) -> list[bytes]:
    bounds = sorted({0, len(data), *(cut for cut in cuts if cut < len(data))})
    return [data[start:end] for start, end in itertools.pairwise(bounds)]


output_data = st.binary(max_size=200).map(lambda b: b.replace(b"x", b"\n").replace(b"y", b"\r"))


@settings(max_examples=150, deadline=None)
@given(
    data=output_data,
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
    partial_after=st.sets(st.integers(min_value=0, max_value=8)),
    max_line=st.integers(min_value=1, max_value=9),
)
def test_plain_output_passes_bytes_unchanged_and_records_lines(
    data: bytes, cuts: list[int], partial_after: set[int], max_line: int
) -> None:
    destination = Destination()
    recorded: list[bytes] = []
    framer = PlainFramer(destination, recorded.append, max_line=max_line)
    for index, piece in enumerate(pieces_of(data, cuts)):
        framer.feed(piece)
        if index in partial_after:
            framer.show_partial()
    framer.finish()
    assert destination.data == data  # byte for byte, no newline added
    lines = b"".join(recorded)
    assert lines.endswith(b"\n") or not lines
    assert (lines[:-1].split(b"\n") if lines else []) == reference_lines(data, max_line, False)


@settings(max_examples=150, deadline=None)
@given(data=output_data, cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_plain_output_is_written_in_whole_lines_when_lines_are_short(
    data: bytes, cuts: list[int]
) -> None:
    """Without partial flushes, every write but the last ends with a newline."""
    destination = Destination()
    framer = PlainFramer(destination, None, max_line=1000)
    for piece in pieces_of(data, cuts):
        framer.feed(piece)
    assert all(write.endswith(b"\n") for write in destination.writes)
    framer.finish()
    assert destination.data == data


@settings(max_examples=150, deadline=None)
@given(
    data=output_data,
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
    max_line=st.integers(min_value=1, max_value=9),
    strip_cr=st.booleans(),
)
def test_decorated_output_has_one_head_per_line(
    data: bytes, cuts: list[int], max_line: int, strip_cr: bool
) -> None:
    destination = Destination()
    recorded: list[bytes] = []
    framer = DecoratedFramer(
        destination, recorded.append, lambda: b"[T] a | ", max_line=max_line, strip_cr=strip_cr
    )
    for piece in pieces_of(data, cuts):
        framer.feed(piece)
    framer.finish()
    expected = reference_lines(data, max_line, strip_cr)
    assert destination.data == b"".join(b"[T] a | " + line + b"\n" for line in expected)
    assert b"".join(recorded) == b"".join(line + b"\n" for line in expected)


def test_heads_are_taken_once_per_block() -> None:
    destination = Destination()
    stamps = iter(range(100))
    framer = DecoratedFramer(destination, None, lambda: b"[%d] " % next(stamps))
    framer.feed(b"a\nb\nc")
    framer.feed(b"\n")
    assert destination.data == b"[0] a\n[0] b\n[1] c\n"


def test_a_shown_partial_line_continues_without_a_second_head() -> None:
    destination = Destination()
    recorded: list[bytes] = []
    framer = DecoratedFramer(destination, recorded.append, lambda: b"H ", strip_cr=True)
    framer.feed(b"done\nprompt> \r")
    framer.show_partial()  # the CR may start a CRLF: held back
    assert destination.data == b"H done\nH prompt> "
    framer.feed(b"\nnext\n")
    assert destination.data == b"H done\nH prompt> \nH next\n"
    assert recorded == [b"done\n", b"prompt> \nnext\n"]  # the ring keeps whole lines


def test_a_shown_partial_line_gets_a_head_again_after_somebody_else_wrote() -> None:
    destination = Destination()
    framer = DecoratedFramer(destination, None, lambda: b"a | ")
    framer.feed(b"progress 10%")
    framer.show_partial()
    destination.write(b"b | other\n", "someone else")
    framer.feed(b" 20%\n")
    framer.feed(b"eof")
    framer.show_partial()
    framer.show_partial()  # nothing new: nothing written
    framer.finish()
    assert destination.data == b"a | progress 10%b | other\na |  20%\na | eof\n"


def test_plain_partial_lines_and_the_end_without_newline() -> None:
    destination = Destination()
    recorded: list[bytes] = []
    framer = PlainFramer(destination, recorded.append)
    framer.feed(b"Password: ")
    assert not destination.writes and framer.partial
    framer.show_partial()
    assert destination.writes == [b"Password: "] and not framer.partial
    framer.feed(b"ok\nbye")
    framer.finish()
    assert destination.writes == [b"Password: ", b"ok\n", b"bye"]
    assert recorded == [b"Password: ok\n", b"bye\n"]


def test_long_lines_are_found_with_few_searches() -> None:
    assert not has_long_line(b"ab\n" * 1000, 2)
    assert has_long_line(b"ab\n" * 1000 + b"abc\n", 2)
    assert has_long_line(b"a" * 10 + b"\n", 9)
    assert not has_long_line(b"a" * 9 + b"\n", 9)
    assert chunk_lines(b"abcde\n\nxy\n", 2) == [b"ab", b"cd", b"e", b"", b"xy"]


@pytest.mark.parametrize("strip_cr", [False, True])
def test_a_megabyte_line_is_handed_on_in_pieces(strip_cr: bool) -> None:
    destination = Destination()
    recorded: list[bytes] = []
    framer = DecoratedFramer(destination, recorded.append, lambda: b"> ", strip_cr=strip_cr)
    for _ in range(16):
        framer.feed(b"x" * 65536)
        assert len(framer.line) <= 65536  # memory stays bounded
    framer.feed(b"\r\n")
    tail = b"" if strip_cr else b"\r\n"  # without timestamps the CR is part of the line
    assert b"".join(recorded) == (b"x" * 65536 + b"\n") * 16 + tail
    assert destination.writes[0] == b"> " + b"x" * 65536 + b"\n"


def test_lines_moved_past_the_framer_are_recorded_like_read_ones() -> None:
    recorded: list[tuple[bytes, bool]] = []

    def record(block: bytes | memoryview, restart: bool = False) -> None:
        recorded.append((bytes(block), restart))

    framer = PlainFramer(Destination(), record, max_line=4, wants_every_line=lambda: False)
    assert framer.spliceable()
    framer.moved(b"abcdefg\nxy\n", gap=True)
    assert recorded == [(b"abcd\nefg\nxy\n", True)]
    framer.feed(b"partial")
    assert not framer.spliceable()  # the rest of this line is in memory: copy until it ends
    assert not PlainFramer(Destination(), record, wants_every_line=lambda: True).spliceable()

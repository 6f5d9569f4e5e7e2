"""Go's bit-state backtracker: leftmost-first matching in time linear in the text.

A plain backtracker is exponential (``^(a+)+$`` on 40 characters runs for hours). This
one, like Go's ``regexp/backtrack.go``, remembers every (instruction, position) pair it has
visited and never enters one twice: a pair that failed once fails again, whatever the
captures were, so skipping it loses no match. Each pair is visited at most once per search
(the visited set is shared by all start positions, as in Go), which bounds the work by
``len(program) * (len(text) + 1)`` visits, each pushing at most one job.

The visited set is a bit per pair, so its size is that product too; the engine therefore
uses this matcher only up to :data:`MAX_VISITED` pairs and the Pike VM
(:mod:`goregexp_pike`, constant memory per character) beyond, exactly like Go.

``steps`` counts visited pairs and popped jobs of the last search, for tests that prove
the bound without timing anything.
"""

from __future__ import annotations

from mittnite.gotemplate.goregexp_program import (
    ASSERT,
    CHAR,
    MATCH,
    NOP,
    SAVE,
    SPLIT,
    Program,
    assertion_holds,
)

__all__ = ["MAX_VISITED", "BacktrackMatcher"]

MAX_VISITED = 1 << 20
"""Largest ``len(program) * (len(text) + 1)`` searched by backtracking (a 1 MiB bitmap;
Go allows 256 Kbit, but Python's per-character cost makes the Pike VM slower here)."""


class BacktrackMatcher:
    """Finds Go's leftmost-first match with captures; ``search`` mirrors ``re.search``."""

    __slots__ = ("program", "steps")

    def __init__(self, program: Program) -> None:
        self.program = program
        self.steps = 0

    def fits(self, text: str, position: int) -> bool:
        """Whether a search of ``text`` from ``position`` stays within :data:`MAX_VISITED`."""
        return len(self.program) * (len(text) - position + 1) <= MAX_VISITED

    def search(self, text: str, position: int) -> list[int] | None:
        """Capture positions (``-1`` when unset) of the first match at or after ``position``."""
        program = self.program
        self.steps = 0
        end = len(text)
        if position > end:
            return None
        width = end - position + 1
        visited = bytearray(len(program) * width)
        if program.anchored:
            if position != 0:
                return None
            return self._try(text, 0, visited, position, width)
        prefix = program.prefix
        first = program.first
        start = position
        while start <= end:
            if prefix:
                start = text.find(prefix, start)
                if start < 0:
                    return None
            elif first is not None:
                while start < end and text[start] not in first:
                    start += 1
                if start == end:
                    return None
            captures = self._try(text, start, visited, position, width)
            if captures is not None:
                return captures
            start += 1
        return None

    def _try(
        self, text: str, start: int, visited: bytearray, base: int, width: int
    ) -> list[int] | None:
        program = self.program
        ops, outs, alts = program.op, program.out, program.alt
        tests, slots, kinds = program.test, program.slot, program.kind
        end = len(text)
        captures = [-1] * program.slots
        captures[0] = start
        # Jobs are (instruction, position); a negative instruction ~slot restores that slot.
        jobs: list[tuple[int, int]] = [(program.start, start)]
        steps = self.steps
        try:
            while jobs:
                pc, at = jobs.pop()
                steps += 1
                if pc < 0:
                    captures[~pc] = at
                    continue
                while True:
                    key = pc * width + at - base
                    if visited[key]:
                        break
                    visited[key] = 1
                    steps += 1
                    op = ops[pc]
                    if op == CHAR:
                        if at < end and tests[pc](text[at]):  # type: ignore[misc]
                            pc = outs[pc]
                            at += 1
                            continue
                        break
                    if op == SPLIT:
                        jobs.append((alts[pc], at))
                        pc = outs[pc]
                        continue
                    if op == SAVE:
                        slot = slots[pc]
                        jobs.append((~slot, captures[slot]))
                        captures[slot] = at
                        pc = outs[pc]
                        continue
                    if op == ASSERT:
                        if assertion_holds(kinds[pc], text, at):
                            pc = outs[pc]
                            continue
                        break
                    if op == NOP:
                        pc = outs[pc]
                        continue
                    if op == MATCH:
                        captures[1] = at
                        return captures
                    break  # FAIL
            return None
        finally:
            self.steps = steps

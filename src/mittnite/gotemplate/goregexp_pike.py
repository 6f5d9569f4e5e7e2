"""Go's Pike VM: leftmost-first matching with captures in linear time and bounded memory.

The text is read once; at each position the VM holds at most one thread per instruction
(in priority order, Go's ``sparse set``), so a search costs ``O(len(program))`` work per
character and memory for ``len(program)`` capture arrays, however long the text. Threads
are added exactly as Go's ``regexp/exec.go`` adds them, following zero-width steps
depth-first in priority order and skipping an instruction already reached at this
position; when a thread matches, every lower-priority thread is cut, which is what makes
the result the same leftmost-first match the backtracker finds.

``steps`` counts thread additions and character steps of the last search, for tests that
prove the bound without timing anything.
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

__all__ = ["PikeMatcher"]

_Thread = tuple[int, list[int]]


class PikeMatcher:
    """Finds Go's leftmost-first match with captures; ``search`` mirrors ``re.search``."""

    __slots__ = ("program", "steps")

    def __init__(self, program: Program) -> None:
        self.program = program
        self.steps = 0

    def search(self, text: str, position: int) -> list[int] | None:
        """Capture positions (``-1`` when unset) of the first match at or after ``position``."""
        program = self.program
        self.steps = 0
        end = len(text)
        if position > end or (program.anchored and position != 0):
            return None
        ops, outs, tests = program.op, program.out, program.test
        marks = [-1] * len(program)  # marks[pc] == at: pc already holds a thread at `at`
        current: list[_Thread] = []
        matched: list[int] | None = None
        prefix = program.prefix
        at = position
        steps = 0
        while True:
            if not current:
                if matched is not None or (program.anchored and at != 0):
                    break
                if prefix and not text.startswith(prefix, at):
                    at = text.find(prefix, at)
                    if at < 0:
                        break
            if matched is None and (at == 0 or not program.anchored):
                fresh = [-1] * program.slots
                fresh[0] = at
                steps += self._add(current, marks, program.start, at, fresh, text)
            following: list[_Thread] = []
            char = text[at] if at < end else None
            for pc, captures in current:
                steps += 1
                op = ops[pc]
                if op == MATCH:
                    matched = captures.copy()
                    matched[1] = at
                    break  # leftmost-first: lower-priority threads are cut
                if char is not None and tests[pc](char):  # type: ignore[misc]
                    steps += self._add(following, marks, outs[pc], at + 1, captures, text)
            if at >= end:
                break
            current = following
            at += 1
        self.steps = steps
        return matched

    def _add(
        self,
        threads: list[_Thread],
        marks: list[int],
        pc: int,
        at: int,
        captures: list[int],
        text: str,
    ) -> int:
        """Add the thread at ``pc`` and everything it reaches by zero-width steps, in
        priority order; returns how many instructions were visited."""
        program = self.program
        ops, outs, alts = program.op, program.out, program.alt
        visited = 0
        stack: list[tuple[int, list[int]]] = [(pc, captures)]
        while stack:
            pc, captures = stack.pop()
            while True:
                if marks[pc] == at:
                    break
                marks[pc] = at
                visited += 1
                op = ops[pc]
                if op == SPLIT:
                    stack.append((alts[pc], captures))
                    pc = outs[pc]
                    continue
                if op == SAVE:
                    captures = captures.copy()
                    captures[program.slot[pc]] = at
                    pc = outs[pc]
                    continue
                if op == NOP:
                    pc = outs[pc]
                    continue
                if op == ASSERT:
                    if assertion_holds(program.kind[pc], text, at):
                        pc = outs[pc]
                        continue
                    break
                if op in (CHAR, MATCH):
                    threads.append((pc, captures))
                break  # FAIL
        return visited

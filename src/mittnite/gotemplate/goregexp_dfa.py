"""A lazily built DFA that answers "does the pattern match anywhere?" in one pass.

``regexMatch`` is sprig's most used regex function and needs no positions, so it does not
have to pay for captures or for leftmost-first priorities: a set of program instructions
per position is enough (Thompson's construction), and sets seen before are remembered as
DFA states, so that after a few characters each further character costs one dictionary
lookup. Like RE2's DFA, zero-width assertions are evaluated when both neighbours of a
position are known: a state holds the instructions *before* following zero-width steps,
plus what kind of character precedes (start of text, newline, word character, other).

Work is linear in the text: each character is one cache hit, or builds one state in
``O(len(program))``. Memory is bounded: at most :data:`MAX_STATES` states are kept; when a
search needs more, the cache is dropped and rebuilt as needed (still linear per character).
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

__all__ = ["MAX_STATES", "MatchDFA"]

MAX_STATES = 2000

_BEGIN, _NEWLINE, _WORD, _OTHER = range(4)
_CONTEXT_TEXT = {_BEGIN: "", _NEWLINE: "\n", _WORD: "a", _OTHER: " "}
"""A stand-in previous character for each kind (assertions only look at its kind)."""


def _kind(char: str) -> int:
    if char == "\n":
        return _NEWLINE
    if char == "_" or (char.isascii() and char.isalnum()):
        return _WORD
    return _OTHER


class MatchDFA:
    """``search(text, position) -> bool`` with the matching semantics of the program.

    ``steps`` counts characters read plus instructions visited while building states, for
    tests that prove the work bound without timing anything.
    """

    __slots__ = ("_generation", "_ids", "_states", "_transitions", "program", "steps")

    def __init__(self, program: Program) -> None:
        self.program = program
        self.steps = 0
        self._ids: dict[tuple[frozenset[int], int], int] = {}
        self._states: list[tuple[frozenset[int], int]] = []
        self._transitions: dict[tuple[int, str], int] = {}
        self._generation = 0

    def _state(self, pcs: frozenset[int], kind: int) -> int:
        key = (pcs, kind)
        found = self._ids.get(key)
        if found is None:
            if len(self._states) >= MAX_STATES:
                self._ids.clear()
                self._states.clear()
                self._transitions.clear()
                self._generation += 1
            found = len(self._states)
            self._ids[key] = found
            self._states.append(key)
        return found

    def _closure(self, pcs: frozenset[int], kind: int, following: str) -> tuple[list[int], bool]:
        """The CHAR instructions reachable from ``pcs`` through zero-width steps that hold
        between a character of ``kind`` and ``following`` ("" at the end), and whether
        MATCH is reachable."""
        program = self.program
        ops, outs, alts = program.op, program.out, program.alt
        before = _CONTEXT_TEXT[kind]
        context = before + following
        position = len(before)
        seen: set[int] = set()
        stack = list(pcs)
        chars: list[int] = []
        matched = False
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            op = ops[pc]
            if op == CHAR:
                chars.append(pc)
            elif op == MATCH:
                matched = True
            elif op == SPLIT:
                stack.append(alts[pc])
                stack.append(outs[pc])
            elif op in (SAVE, NOP) or (
                op == ASSERT and assertion_holds(program.kind[pc], context, position)
            ):
                stack.append(outs[pc])
        self.steps += len(seen)
        return chars, matched

    def search(self, text: str, position: int) -> bool:
        """Whether the program matches ``text`` somewhere at or after ``position``."""
        program = self.program
        self.steps = 0
        end = len(text)
        if position > end or (program.anchored and position != 0):
            return False
        start = frozenset((program.start,))
        kind = _BEGIN if position == 0 else _kind(text[position - 1])
        state = self._state(start, kind)
        transitions = self._transitions
        tests, outs = program.test, program.out
        unanchored = not program.anchored
        for at in range(position, end):
            char = text[at]
            self.steps += 1
            following = transitions.get((state, char))
            if following is None:
                pcs, kind = self._states[state]
                chars, matched = self._closure(pcs, kind, char)
                if matched:
                    return True
                nexts = {outs[pc] for pc in chars if tests[pc](char)}  # type: ignore[misc]
                if unanchored:
                    nexts.add(program.start)
                if not nexts:
                    return False
                generation = self._generation
                following = self._state(frozenset(nexts), _kind(char))
                transitions = self._transitions
                if generation == self._generation:  # the cache was not dropped meanwhile
                    transitions[(state, char)] = following
            state = following
        pcs, kind = self._states[state]
        return self._closure(pcs, kind, "")[1]

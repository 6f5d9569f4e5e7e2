"""A small matcher with Go's exact semantics, for the patterns Python's ``re`` gets wrong.

Python and Go agree on leftmost-first matching except for loops whose body can match
the empty string (see ``needs_go_matcher``). For those rare patterns the tree is
compiled the way Go compiles it (counted repeats expanded into copies, ``x*`` of a
nullable ``x`` turned into ``(x+)?``) and run by a backtracker that, like Go's, never
visits the same instruction at the same position twice. That single rule is what makes
Go drop empty loop iterations, so reproducing it reproduces Go's answers.

It is plain Python and therefore much slower than ``re``; it is only used when needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, Ranges, contains
from mittnite.gotemplate.goregexp_syntax import (
    UNBOUNDED,
    Alternate,
    AnyChar,
    AnyCharNotNL,
    Assertion,
    AssertionKind,
    Capture,
    CharClass,
    Concat,
    EmptyMatch,
    Literal,
    Node,
    NoMatch,
    Repeat,
)
from mittnite.gotemplate.goregexp_unicode import fold_orbit

__all__ = ["BacktrackMatcher"]


class _Op(IntEnum):
    CHAR = 0
    SPLIT = 1
    SAVE = 2
    ASSERT = 3
    NOP = 4
    MATCH = 5
    FAIL = 6


@dataclass(slots=True)
class _Instruction:
    """One step; ``SPLIT`` tries ``next`` before ``alternative``."""

    op: _Op
    next: int = -1
    alternative: int = -1
    slot: int = 0
    ranges: Ranges = ()
    assertion: AssertionKind = AssertionKind.BEGIN_TEXT


@dataclass(slots=True)
class _Fragment:
    """A compiled piece: its entry and the exits still to be connected.

    An exit is ``(instruction index, True)`` for the ``alternative`` field and
    ``(index, False)`` for ``next``.
    """

    start: int
    exits: list[tuple[int, bool]] = field(default_factory=list)
    nullable: bool = True


_NOT_NEWLINE: Ranges = ((0, 9), (11, MAX_RUNE))


def _simplify_unary(low: int, high: int, greedy: bool, sub: Node) -> Node:
    """Go's ``simplify1``: repeating the empty string or an identical operator is a no-op."""
    if isinstance(sub, EmptyMatch):
        return sub
    if (
        isinstance(sub, Repeat)
        and not sub.counted
        and (sub.min, sub.max, sub.greedy) == (low, high, greedy)
    ):
        return sub
    return Repeat(sub, low, high, greedy, counted=False)


def _simplify(node: Node) -> Node:
    """Rewrite counted repeats into copies and ``?``/``*``/``+``, as Go's ``Simplify`` does."""
    match node:
        case Capture():
            return Capture(node.index, node.name, _simplify(node.sub))
        case Concat():
            return Concat([_simplify(sub) for sub in node.subs])
        case Alternate():
            return Alternate([_simplify(sub) for sub in node.subs])
        case Repeat() if not node.counted:
            return _simplify_unary(node.min, node.max, node.greedy, _simplify(node.sub))
        case Repeat():
            return _simplify_counted(node)
        case _:
            return node


def _simplify_counted(node: Repeat) -> Node:
    low, high, greedy = node.min, node.max, node.greedy
    if low == 0 and high == 0:
        return EmptyMatch()
    sub = _simplify(node.sub)
    if high == UNBOUNDED:
        if low <= 1:
            return _simplify_unary(low, UNBOUNDED, greedy, sub)
        return Concat([sub] * (low - 1) + [_simplify_unary(1, UNBOUNDED, greedy, sub)])
    if low == 1 and high == 1:
        return sub
    parts: list[Node] = [sub] * low
    if high > low:
        suffix = _simplify_unary(0, 1, greedy, sub)
        for _ in range(low + 1, high):
            suffix = _simplify_unary(0, 1, greedy, Concat([sub, suffix]))
        parts.append(suffix)
    return Concat(parts) if len(parts) > 1 else parts[0]


class _Compiler:
    """Thompson-style compilation of a simplified tree, mirroring Go's instruction order."""

    def __init__(self) -> None:
        self.program: list[_Instruction] = []

    def _add(self, instruction: _Instruction) -> int:
        self.program.append(instruction)
        return len(self.program) - 1

    def _patch(self, exits: list[tuple[int, bool]], target: int) -> None:
        for index, is_alternative in exits:
            if is_alternative:
                self.program[index].alternative = target
            else:
                self.program[index].next = target

    def _single(self, instruction: _Instruction, nullable: bool = True) -> _Fragment:
        index = self._add(instruction)
        return _Fragment(index, [(index, False)], nullable)

    def _sequence(self, first: _Fragment, second: _Fragment) -> _Fragment:
        self._patch(first.exits, second.start)
        return _Fragment(first.start, second.exits, first.nullable and second.nullable)

    def _choice(self, first: _Fragment, second: _Fragment) -> _Fragment:
        index = self._add(_Instruction(_Op.SPLIT, next=first.start, alternative=second.start))
        return _Fragment(index, first.exits + second.exits, first.nullable or second.nullable)

    def _quest(self, body: _Fragment, greedy: bool) -> _Fragment:
        if greedy:
            index = self._add(_Instruction(_Op.SPLIT, next=body.start))
            return _Fragment(index, [*body.exits, (index, True)])
        index = self._add(_Instruction(_Op.SPLIT, alternative=body.start))
        return _Fragment(index, [(index, False), *body.exits])

    def _loop(self, body: _Fragment, greedy: bool) -> _Fragment:
        if greedy:
            index = self._add(_Instruction(_Op.SPLIT, next=body.start))
            exits = [(index, True)]
        else:
            index = self._add(_Instruction(_Op.SPLIT, alternative=body.start))
            exits = [(index, False)]
        self._patch(body.exits, index)
        return _Fragment(index, exits)

    def _plus(self, body: _Fragment, greedy: bool) -> _Fragment:
        return _Fragment(body.start, self._loop(body, greedy).exits, body.nullable)

    def _star(self, body: _Fragment, greedy: bool) -> _Fragment:
        if body.nullable:
            return self._quest(self._plus(body, greedy), greedy)
        return self._loop(body, greedy)

    def compile_program(self, tree: Node) -> int:
        """Compile ``tree`` followed by a final ``MATCH``; returns the entry instruction."""
        body = self.compile(tree)
        self._patch(body.exits, self._add(_Instruction(_Op.MATCH)))
        return body.start

    def _char(self, code_point: int, fold: bool) -> _Fragment:
        orbit = fold_orbit(code_point) if fold else (code_point,)
        ranges = tuple((member, member) for member in orbit)
        return self._single(_Instruction(_Op.CHAR, ranges=ranges), nullable=False)

    def compile(self, node: Node) -> _Fragment:
        match node:
            case Literal():
                fragment = self._char(node.runes[0], node.fold)
                for code_point in node.runes[1:]:
                    fragment = self._sequence(fragment, self._char(code_point, node.fold))
                return fragment
            case CharClass():
                return self._single(_Instruction(_Op.CHAR, ranges=node.ranges), nullable=False)
            case AnyChar():
                everything: Ranges = ((0, MAX_RUNE),)
                return self._single(_Instruction(_Op.CHAR, ranges=everything), nullable=False)
            case AnyCharNotNL():
                return self._single(_Instruction(_Op.CHAR, ranges=_NOT_NEWLINE), nullable=False)
            case Assertion():
                return self._single(_Instruction(_Op.ASSERT, assertion=node.kind))
            case EmptyMatch():
                return self._single(_Instruction(_Op.NOP))
            case NoMatch():
                return _Fragment(self._add(_Instruction(_Op.FAIL)), [], nullable=False)
            case Capture():
                opening = self._single(_Instruction(_Op.SAVE, slot=2 * node.index))
                body = self._sequence(opening, self.compile(node.sub))
                closing = self._single(_Instruction(_Op.SAVE, slot=2 * node.index + 1))
                return self._sequence(body, closing)
            case Repeat() if (node.min, node.max) == (0, UNBOUNDED):
                return self._star(self.compile(node.sub), node.greedy)
            case Repeat() if (node.min, node.max) == (1, UNBOUNDED):
                return self._plus(self.compile(node.sub), node.greedy)
            case Repeat():
                return self._quest(self.compile(node.sub), node.greedy)
            case Concat():
                fragments = [self.compile(sub) for sub in node.subs]
                result = fragments[0]
                for fragment in fragments[1:]:
                    result = self._sequence(result, fragment)
                return result
            case Alternate():
                fragments = [self.compile(sub) for sub in node.subs]
                result = fragments[-1]
                for fragment in reversed(fragments[:-1]):
                    result = self._choice(fragment, result)
                return result


def _is_word_char(text: str, position: int) -> bool:
    if position < 0 or position >= len(text):
        return False
    char = text[position]
    return char == "_" or (char.isascii() and char.isalnum())


def _assertion_holds(kind: AssertionKind, text: str, position: int) -> bool:
    match kind:
        case AssertionKind.BEGIN_TEXT:
            return position == 0
        case AssertionKind.END_TEXT:
            return position == len(text)
        case AssertionKind.BEGIN_LINE:
            return position == 0 or text[position - 1] == "\n"
        case AssertionKind.END_LINE:
            return position == len(text) or text[position] == "\n"
        case AssertionKind.WORD_BOUNDARY:
            return _is_word_char(text, position - 1) != _is_word_char(text, position)
        case AssertionKind.NO_WORD_BOUNDARY:
            return _is_word_char(text, position - 1) == _is_word_char(text, position)


class BacktrackMatcher:
    """Go-exact search over a compiled program; ``search`` mirrors ``re.Pattern.search``."""

    def __init__(self, tree: Node, group_count: int) -> None:
        compiler = _Compiler()
        self._start = compiler.compile_program(_simplify(tree))
        self._program = compiler.program
        self._slots = 2 * (group_count + 1)

    def search(self, text: str, position: int) -> list[int] | None:
        """Capture positions (``-1`` when unset) of the first match at or after ``position``."""
        visited: set[int] = set()
        for start in range(position, len(text) + 1):
            captures = self._try_from(text, start, visited)
            if captures is not None:
                return captures
        return None

    def _try_from(self, text: str, start: int, visited: set[int]) -> list[int] | None:
        program = self._program
        stride = len(text) + 1
        captures = [-1] * self._slots
        captures[0] = start
        # Jobs are (instruction, position); a negative instruction -1-slot restores a slot.
        jobs: list[tuple[int, int]] = [(self._start, start)]
        while jobs:
            index, position = jobs.pop()
            if index < 0:
                captures[-1 - index] = position
                continue
            while True:
                key = index * stride + position
                if key in visited:
                    break
                visited.add(key)
                instruction = program[index]
                op = instruction.op
                if op is _Op.CHAR:
                    if position < len(text) and contains(instruction.ranges, ord(text[position])):
                        index, position = instruction.next, position + 1
                        continue
                    break
                if op is _Op.SPLIT:
                    jobs.append((instruction.alternative, position))
                    index = instruction.next
                    continue
                if op is _Op.SAVE:
                    jobs.append((-1 - instruction.slot, captures[instruction.slot]))
                    captures[instruction.slot] = position
                    index = instruction.next
                    continue
                if op is _Op.ASSERT:
                    if _assertion_holds(instruction.assertion, text, position):
                        index = instruction.next
                        continue
                    break
                if op is _Op.NOP:
                    index = instruction.next
                    continue
                if op is _Op.MATCH:
                    captures[1] = position
                    return captures
                break
        return None

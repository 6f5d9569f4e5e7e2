"""A parsed Go regexp compiled to a program of simple instructions, as Go compiles it.

Both of our matchers (:mod:`goregexp_backtrack`, :mod:`goregexp_pike`) run this program.
It is built the way Go's ``syntax.Compile`` builds its own: counted repeats are expanded
into copies and ``?``/``*``/``+`` (Go's ``Simplify``), ``x*`` of a nullable ``x`` becomes
``(x+)?``, and alternatives are tried in order. Matching a program while never visiting
the same instruction at the same position twice is what makes Go's matchers linear *and*
what makes Go drop empty loop iterations; reproducing the program reproduces Go's answers.

The program is stored as parallel lists (opcode, next, alternative, argument) because the
matchers' inner loops index them millions of times; character tests are precomputed as
plain callables (a ``frozenset.__contains__`` for small classes).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, Ranges
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

__all__ = ["CHAR", "MATCH", "Program", "assertion_holds", "compile_program"]

# Opcodes (small ints: compared in the matchers' inner loops).
CHAR = 0
SPLIT = 1
SAVE = 2
ASSERT = 3
NOP = 4
MATCH = 5
FAIL = 6

_SMALL_CLASS = 256
"""Classes of at most this many code points are tested through a frozenset."""

CharTest = Callable[[str], bool]


@dataclass(slots=True)
class Program:
    """A compiled regexp: instruction ``pc`` is ``op[pc]`` with ``out[pc]`` (next),
    ``alt[pc]`` (a SPLIT's second choice), ``slot[pc]`` (SAVE), ``kind[pc]`` (ASSERT),
    ``test[pc]`` (CHAR) and ``ranges[pc]`` (CHAR, for analysis)."""

    op: list[int] = field(default_factory=list)
    out: list[int] = field(default_factory=list)
    alt: list[int] = field(default_factory=list)
    slot: list[int] = field(default_factory=list)
    kind: list[AssertionKind | None] = field(default_factory=list)
    test: list[CharTest | None] = field(default_factory=list)
    ranges: list[Ranges] = field(default_factory=list)
    start: int = 0
    slots: int = 2
    anchored: bool = False
    """Every match starts at the beginning of the text (Go's ``EmptyBeginText`` start)."""
    prefix: str = ""
    """Characters every match starts with (none when a class or fold starts it)."""
    first: frozenset[str] | None = None
    """The characters a match can start with, when that is a small set; ``None`` if any
    character (or the empty string) can start one."""

    def __len__(self) -> int:
        return len(self.op)


def _char_test(ranges: Ranges) -> CharTest:
    """A fast membership test for one character against sorted code point ranges."""
    size = sum(end - start + 1 for start, end in ranges)
    if size <= _SMALL_CLASS:
        members = frozenset(chr(code) for start, end in ranges for code in range(start, end + 1))
        return members.__contains__
    if ranges == ((0, MAX_RUNE),):
        return _anything
    if ranges == ((0, 9), (11, MAX_RUNE)):
        return "\n".__ne__
    starts = [start for start, _ in ranges]
    ends = [end for _, end in ranges]

    def in_ranges(char: str) -> bool:
        code = ord(char)
        index = bisect_right(starts, code) - 1
        return index >= 0 and code <= ends[index]

    return in_ranges


def _anything(char: str) -> bool:
    return True


# --- Go's Simplify -------------------------------------------------------------------------


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


def simplify(node: Node) -> Node:
    """Go's ``Simplify`` on operators: ``x**`` is ``x*``, repeating the empty string is the
    empty string. Counted repeats keep their counts here; the compiler expands them into
    copies (without building Go's deeply nested ``(x(x(x)?)?)?`` tree, which would need a
    recursion level per copy)."""
    match node:
        case Capture():
            return Capture(node.index, node.name, simplify(node.sub))
        case Concat():
            return Concat([simplify(sub) for sub in node.subs])
        case Alternate():
            return Alternate([simplify(sub) for sub in node.subs])
        case Repeat() if not node.counted:
            return _simplify_unary(node.min, node.max, node.greedy, simplify(node.sub))
        case Repeat():
            if node.max == 0:
                return EmptyMatch()
            sub = simplify(node.sub)
            if node.min == node.max == 1:
                return sub
            return Repeat(sub, node.min, node.max, node.greedy, counted=True)
        case _:
            return node


# --- Thompson compilation ------------------------------------------------------------------


@dataclass(slots=True)
class _Fragment:
    """A compiled piece: its entry and the exits still to be connected.

    An exit is ``(instruction, True)`` for the ``alt`` field and ``(instruction, False)``
    for ``out``.
    """

    start: int
    exits: list[tuple[int, bool]]
    nullable: bool = True


_EVERYTHING: Ranges = ((0, MAX_RUNE),)
_NOT_NEWLINE: Ranges = ((0, 9), (11, MAX_RUNE))


class _Compiler:
    """Compiles a simplified tree in Go's instruction order."""

    def __init__(self) -> None:
        self.program = Program()

    def _add(
        self,
        op: int,
        *,
        out: int = -1,
        alt: int = -1,
        slot: int = 0,
        kind: AssertionKind | None = None,
        ranges: Ranges = (),
    ) -> int:
        program = self.program
        program.op.append(op)
        program.out.append(out)
        program.alt.append(alt)
        program.slot.append(slot)
        program.kind.append(kind)
        program.ranges.append(ranges)
        program.test.append(_char_test(ranges) if op == CHAR else None)
        return len(program.op) - 1

    def _patch(self, exits: list[tuple[int, bool]], target: int) -> None:
        for index, is_alternative in exits:
            if is_alternative:
                self.program.alt[index] = target
            else:
                self.program.out[index] = target

    def _single(self, index: int, nullable: bool = True) -> _Fragment:
        return _Fragment(index, [(index, False)], nullable)

    def _sequence(self, first: _Fragment, second: _Fragment) -> _Fragment:
        self._patch(first.exits, second.start)
        return _Fragment(first.start, second.exits, first.nullable and second.nullable)

    def _choice(self, first: _Fragment, second: _Fragment) -> _Fragment:
        index = self._add(SPLIT, out=first.start, alt=second.start)
        return _Fragment(index, first.exits + second.exits, first.nullable or second.nullable)

    def _quest(self, body: _Fragment, greedy: bool) -> _Fragment:
        if greedy:
            index = self._add(SPLIT, out=body.start)
            return _Fragment(index, [*body.exits, (index, True)])
        index = self._add(SPLIT, alt=body.start)
        return _Fragment(index, [(index, False), *body.exits])

    def _loop(self, body: _Fragment, greedy: bool) -> _Fragment:
        if greedy:
            index = self._add(SPLIT, out=body.start)
            exits = [(index, True)]
        else:
            index = self._add(SPLIT, alt=body.start)
            exits = [(index, False)]
        self._patch(body.exits, index)
        return _Fragment(index, exits)

    def _plus(self, body: _Fragment, greedy: bool) -> _Fragment:
        return _Fragment(body.start, self._loop(body, greedy).exits, body.nullable)

    def _star(self, body: _Fragment, greedy: bool) -> _Fragment:
        if body.nullable:
            return self._quest(self._plus(body, greedy), greedy)
        return self._loop(body, greedy)

    def _char(self, code_point: int, fold: bool) -> _Fragment:
        orbit = fold_orbit(code_point) if fold else (code_point,)
        ranges = tuple((member, member) for member in sorted(orbit))
        return self._single(self._add(CHAR, ranges=ranges), nullable=False)

    def _counted(self, node: Repeat) -> _Fragment:
        """``x{n,m}`` as Go expands it: ``n`` copies of ``x``, then ``x*``/``x+`` when
        unbounded, else ``(x(x(x)?)?)?`` with ``m - n`` levels, built innermost first."""
        low, high, greedy, sub = node.min, node.max, node.greedy, node.sub
        pieces: list[_Fragment] = []
        if high == UNBOUNDED:
            if low <= 1:
                return self.compile(_simplify_unary(low, UNBOUNDED, greedy, sub))
            pieces = [self.compile(sub) for _ in range(low - 1)]
            pieces.append(self.compile(_simplify_unary(1, UNBOUNDED, greedy, sub)))
        else:
            pieces = [self.compile(sub) for _ in range(low)]
            if high > low:
                suffix = self.compile(_simplify_unary(0, 1, greedy, sub))
                for _ in range(low + 1, high):
                    suffix = self._quest(self._sequence(self.compile(sub), suffix), greedy)
                pieces.append(suffix)
        result = pieces[0]
        for piece in pieces[1:]:
            result = self._sequence(result, piece)
        return result

    def compile(self, node: Node) -> _Fragment:
        match node:
            case Literal():
                fragment = self._char(node.runes[0], node.fold)
                for code_point in node.runes[1:]:
                    fragment = self._sequence(fragment, self._char(code_point, node.fold))
                return fragment
            case CharClass():
                if not node.ranges:
                    return _Fragment(self._add(FAIL), [], nullable=False)
                return self._single(self._add(CHAR, ranges=node.ranges), nullable=False)
            case AnyChar():
                return self._single(self._add(CHAR, ranges=_EVERYTHING), nullable=False)
            case AnyCharNotNL():
                return self._single(self._add(CHAR, ranges=_NOT_NEWLINE), nullable=False)
            case Assertion():
                return self._single(self._add(ASSERT, kind=node.kind))
            case EmptyMatch():
                return self._single(self._add(NOP))
            case NoMatch():
                return _Fragment(self._add(FAIL), [], nullable=False)
            case Capture():
                opening = self._single(self._add(SAVE, slot=2 * node.index))
                body = self._sequence(opening, self.compile(node.sub))
                closing = self._single(self._add(SAVE, slot=2 * node.index + 1))
                return self._sequence(body, closing)
            case Repeat() if node.counted:
                return self._counted(node)
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


def compile_program(tree: Node, group_count: int) -> Program:
    """The program for ``tree`` (with ``group_count`` capturing groups), ending in MATCH."""
    compiler = _Compiler()
    body = compiler.compile(simplify(tree))
    compiler._patch(body.exits, compiler._add(MATCH))
    program = compiler.program
    program.start = body.start
    program.slots = 2 * (group_count + 1)
    _analyse_start(program)
    return program


# --- what a match must start with ----------------------------------------------------------


def _analyse_start(program: Program) -> None:
    """Fill in ``anchored``, ``prefix`` and ``first`` (used to skip hopeless positions)."""
    pc = program.start
    prefix: list[str] = []
    while True:  # Go's StartCond: the straight line of zero-width steps at the start
        op = program.op[pc]
        if op == ASSERT and program.kind[pc] is AssertionKind.BEGIN_TEXT:
            program.anchored = True
        elif op not in (ASSERT, SAVE, NOP):
            break
        pc = program.out[pc]
    while program.op[pc] == CHAR:
        ranges = program.ranges[pc]
        if len(ranges) != 1 or ranges[0][0] != ranges[0][1]:
            break
        prefix.append(chr(ranges[0][0]))
        pc = program.out[pc]
        while program.op[pc] in (SAVE, NOP):
            pc = program.out[pc]
    program.prefix = "".join(prefix)
    program.first = _first_characters(program)


def _first_characters(program: Program) -> frozenset[str] | None:
    """The set of characters the first consumed character of any match belongs to, when
    it is small; ``None`` when the empty string can match or the set is large."""
    seen: set[int] = set()
    pending = [program.start]
    members: set[str] = set()
    while pending:
        pc = pending.pop()
        if pc in seen:
            continue
        seen.add(pc)
        op = program.op[pc]
        if op == MATCH:
            return None
        if op == SPLIT:
            pending.append(program.out[pc])
            pending.append(program.alt[pc])
        elif op in (SAVE, NOP, ASSERT):
            pending.append(program.out[pc])
        elif op == CHAR:
            ranges = program.ranges[pc]
            if sum(end - start + 1 for start, end in ranges) + len(members) > _SMALL_CLASS:
                return None
            members.update(chr(code) for start, end in ranges for code in range(start, end + 1))
    return frozenset(members)


# --- zero-width assertions -----------------------------------------------------------------


def _is_word_char(text: str, position: int) -> bool:
    if position < 0 or position >= len(text):
        return False
    char = text[position]
    return char == "_" or (char.isascii() and char.isalnum())


def assertion_holds(kind: AssertionKind | None, text: str, position: int) -> bool:
    """Whether the zero-width test ``kind`` holds between ``text[position-1]`` and
    ``text[position]`` (Go's word characters are ASCII only)."""
    if kind is AssertionKind.BEGIN_TEXT:
        return position == 0
    if kind is AssertionKind.END_TEXT:
        return position == len(text)
    if kind is AssertionKind.BEGIN_LINE:
        return position == 0 or text[position - 1] == "\n"
    if kind is AssertionKind.END_LINE:
        return position == len(text) or text[position] == "\n"
    if kind is AssertionKind.WORD_BOUNDARY:
        return _is_word_char(text, position - 1) != _is_word_char(text, position)
    return _is_word_char(text, position - 1) == _is_word_char(text, position)

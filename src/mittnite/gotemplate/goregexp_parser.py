"""A parser for Go's regular expression syntax (RE2, as in Go 1.19's ``regexp/syntax``).

It follows Go's single left-to-right scan with an operand stack, because that scan
decides *which* error a broken pattern reports and which piece of the pattern the message
quotes (``a**`` is a nested repetition, ``**`` a missing argument, ``(?i)*`` is fine...).
A recursive-descent parser would accept the same language but word many errors
differently.

Flags are applied while parsing, so the resulting tree needs no further flag handling.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag

from mittnite.gotemplate.goregexp_atoms import PatternReader, is_surrogate
from mittnite.gotemplate.goregexp_charclass import PERL_GROUPS
from mittnite.gotemplate.goregexp_errors import ErrorCode
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

__all__ = ["ParsedRegexp", "parse"]

MAX_REPEAT = 1000
"""Largest count allowed in ``{n,m}``, also for nested counts multiplied together."""

MAX_HEIGHT = 1000
"""Deepest parse tree Go accepts (``expression nests too deeply`` beyond)."""

MAX_RUNES = (128 << 20) // 4
"""Go's budget of code points held by literals and classes (128 MB of runes)."""

MAX_SIZE = (128 << 20) // 40
"""Go's budget of compiled instructions (128 MB of instructions)."""

_DECIMAL_DIGITS = "0123456789"
_SIMPLE_ASSERTIONS = {
    "A": AssertionKind.BEGIN_TEXT,
    "b": AssertionKind.WORD_BOUNDARY,
    "B": AssertionKind.NO_WORD_BOUNDARY,
    "z": AssertionKind.END_TEXT,
}


class _Flag(IntFlag):
    """Parse-time flags, as set by ``(?imsU)``; ``ONE_LINE`` is on unless ``(?m)``."""

    NONE = 0
    FOLD_CASE = 1
    ONE_LINE = 2
    DOT_NL = 4
    NON_GREEDY = 8


_FLAG_LETTERS = {
    "i": _Flag.FOLD_CASE,
    "m": _Flag.ONE_LINE,
    "s": _Flag.DOT_NL,
    "U": _Flag.NON_GREEDY,
}
_INVERTED_FLAGS = _Flag.ONE_LINE
"""``(?m)`` turns ``ONE_LINE`` off and ``(?-m)`` on: the letter names the opposite."""


@dataclass(slots=True)
class _LeftParen:
    """Stack marker for an open group, remembering the flags to restore at ``)``."""

    capture_index: int
    name: str
    saved_flags: _Flag


class _VerticalBar:
    """Stack marker separating finished alternatives from the one being parsed."""

    __slots__ = ()


_StackItem = Node | _LeftParen | _VerticalBar


@dataclass(frozen=True, slots=True)
class ParsedRegexp:
    """A successfully parsed pattern: the tree plus its capture group names.

    ``capture_names[0]`` stands for the whole match and, like unnamed groups, is ``""``.
    """

    tree: Node
    capture_names: tuple[str, ...]


def parse(pattern: str) -> ParsedRegexp:
    """Parse ``pattern`` with Go's ``regexp.Compile`` rules, or raise :class:`GoRegexpError`."""
    return _Parser(pattern).parse()


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _as_node(item: _StackItem) -> Node:
    """Narrow a stack entry the parser knows to be an operand, not a marker."""
    if isinstance(item, _LeftParen | _VerticalBar):
        raise AssertionError("regexp parser stack out of order")
    return item


def _is_valid_capture_name(name: str) -> bool:
    return name != "" and all(_is_ascii_alnum(char) or char == "_" for char in name)


def _children(node: Node) -> list[Node]:
    match node:
        case Capture() | Repeat():
            return [node.sub]
        case Concat() | Alternate():
            return node.subs
        case _:
            return []


def _repeat_is_valid(node: Node, budget: int) -> bool:
    """Go's rule that nested counted repetitions may not make more than 1000 copies."""
    pending = [(node, budget)]
    while pending:
        current, remaining = pending.pop()
        if isinstance(current, Repeat) and current.counted:
            copies = current.max
            if copies == 0:
                continue
            if copies < 0:
                copies = current.min
            if copies > remaining:
                return False
            if copies > 0:
                remaining //= copies
        pending.extend((child, remaining) for child in _children(current))
    return True


def _compiled_size(root: Node) -> int:
    """Go's estimate of the instruction count, to reject gigantic programs like Go does."""
    sizes: dict[int, int] = {}
    pending: list[tuple[Node, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        children = _children(node)
        if not children_done and children:
            pending.append((node, True))
            pending.extend((child, False) for child in children)
            continue
        sub_sizes = [sizes[id(child)] for child in children]
        size = 0
        match node:
            case Literal():
                size = len(node.runes)
            case Capture():
                size = 2 + sub_sizes[0]
            case Repeat() if not node.counted:
                size = (2 if node.max == UNBOUNDED and node.min == 0 else 1) + sub_sizes[0]
            case Repeat() if node.max == UNBOUNDED:
                size = 2 + sub_sizes[0] if node.min == 0 else 1 + node.min * sub_sizes[0]
            case Repeat():
                size = node.max * sub_sizes[0] + (node.max - node.min)
            case Concat():
                size = sum(sub_sizes)
            case Alternate():
                size = sum(sub_sizes) + len(sub_sizes) - 1
        sizes[id(node)] = max(size, 1)
    return sizes[id(root)]


class _Parser(PatternReader):
    """One parse of one pattern; see the module docstring for why it is stack-based."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.flags = _Flag.ONE_LINE
        self.stack: list[_StackItem] = []
        self.capture_names: list[str] = [""]
        self.rune_count = 0
        self.node_count = 0
        self.repeat_product = 1

    # -- the main scan -----------------------------------------------------------------

    def parse(self) -> ParsedRegexp:
        pattern = self.pattern
        index = 0
        last_repeat = -1
        while index < len(pattern):
            repeat_start = -1
            char = pattern[index]
            if char == "(":
                if pattern.startswith("(?", index):
                    index = self._parse_group_flags(index)
                else:
                    self._open_group(index=len(self.capture_names), name="")
                    index += 1
            elif char == "|":
                self._parse_vertical_bar()
                index += 1
            elif char == ")":
                self._parse_right_paren()
                index += 1
            elif char in "^$.":
                self._push(self._anchor_or_dot(char))
                index += 1
            elif char == "[":
                ranges, index = self.parse_bracket_class(index, self._folding)
                self._push(CharClass(ranges))
            elif char in "*+?":
                low, high = {"*": (0, UNBOUNDED), "+": (1, UNBOUNDED), "?": (0, 1)}[char]
                after = self._repeat(low, high, False, index, index + 1, last_repeat)
                repeat_start, index = index, after
            elif char == "{":
                counts = self._parse_repeat_counts(index)
                if counts is None:
                    self._literal(ord("{"))
                    index += 1
                else:
                    low, high, after = counts
                    if low < 0 or low > MAX_REPEAT or high > MAX_REPEAT or 0 <= high < low:
                        raise self.error(ErrorCode.INVALID_REPEAT_SIZE, index, after)
                    after = self._repeat(low, high, True, index, after, last_repeat)
                    repeat_start, index = index, after
            elif char == "\\":
                index = self._parse_backslash(index)
            else:
                self._literal(ord(self.next_char(index)))
                index += 1
            last_repeat = repeat_start

        self._concat()
        if self._swap_vertical_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) != 1:
            raise self.whole_error(ErrorCode.MISSING_PAREN)
        tree = _as_node(self.stack[0])
        self._check_size(tree)
        return ParsedRegexp(tree, tuple(self.capture_names))

    @property
    def _folding(self) -> bool:
        return bool(self.flags & _Flag.FOLD_CASE)

    def _anchor_or_dot(self, char: str) -> Node:
        """``^``, ``$`` and ``.``, whose meaning depends on ``(?m)`` and ``(?s)``."""
        if char == ".":
            return AnyChar() if self.flags & _Flag.DOT_NL else AnyCharNotNL()
        one_line = bool(self.flags & _Flag.ONE_LINE)
        if char == "^":
            return Assertion(AssertionKind.BEGIN_TEXT if one_line else AssertionKind.BEGIN_LINE)
        return Assertion(AssertionKind.END_TEXT if one_line else AssertionKind.END_LINE)

    # -- stack handling ----------------------------------------------------------------

    def _merge_top_literals(self) -> None:
        """Join the two topmost literals; the very top one stays apart for a repeat."""
        if len(self.stack) < 2:
            return
        top, below = self.stack[-1], self.stack[-2]
        if isinstance(top, Literal) and isinstance(below, Literal) and top.fold == below.fold:
            below.runes.extend(top.runes)
            self.stack.pop()

    def _check_limits(self, node: Node) -> None:
        if self.rune_count > MAX_RUNES:
            raise self.whole_error(ErrorCode.INTERNAL_ERROR)
        if node.height > MAX_HEIGHT:
            raise self.whole_error(ErrorCode.NESTING_DEPTH)

    def _push(self, item: _StackItem) -> None:
        self.node_count += 1
        if isinstance(item, CharClass):
            self.rune_count += 2 * len(item.ranges)
            item = self._simplify_class(item)
        elif isinstance(item, Literal):
            self.rune_count += len(item.runes)
        self._merge_top_literals()
        self.stack.append(item)
        if not isinstance(item, _LeftParen | _VerticalBar):
            self._check_limits(item)

    @staticmethod
    def _simplify_class(node: CharClass) -> Node:
        """Turn ``[a]`` and ``[Aa]`` into literals, as Go does (it changes tree heights)."""
        ranges = node.ranges
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            return Literal([ranges[0][0]], fold=False)
        pair: tuple[int, ...] = ()
        if len(ranges) == 2 and all(start == end for start, end in ranges):
            pair = (ranges[0][0], ranges[1][0])
        elif len(ranges) == 1 and ranges[0][1] == ranges[0][0] + 1:
            pair = ranges[0]
        if pair and fold_orbit(pair[0]) == pair:
            return Literal([pair[0]], fold=True)
        return node

    def _literal(self, code_point: int) -> None:
        self._push(Literal([code_point], fold=self._folding))

    def _open_group(self, index: int, name: str) -> None:
        if index:
            self.capture_names.append(name)
        self._push(_LeftParen(index, name, self.flags))

    def _operands_start(self) -> int:
        """Index just above the topmost ``(`` or ``|`` marker."""
        position = len(self.stack)
        while position > 0 and not isinstance(self.stack[position - 1], _LeftParen | _VerticalBar):
            position -= 1
        return position

    def _take_operands(self) -> list[Node]:
        start = self._operands_start()
        operands = self.stack[start:]
        del self.stack[start:]
        return [_as_node(item) for item in operands]

    def _concat(self) -> None:
        self._merge_top_literals()
        operands = self._take_operands()
        if not operands:
            self._push(EmptyMatch())
        elif len(operands) == 1:
            self._push(operands[0])
        else:
            flat: list[Node] = []
            for operand in operands:
                flat.extend(operand.subs if isinstance(operand, Concat) else [operand])
            self._push(Concat(flat))

    def _alternate(self) -> None:
        operands = self._take_operands()
        if not operands:
            self._push(NoMatch())
        elif len(operands) == 1:
            self._push(operands[0])
        else:
            flat: list[Node] = []
            for operand in operands:
                flat.extend(operand.subs if isinstance(operand, Alternate) else [operand])
            self._push(Alternate(flat))

    def _swap_vertical_bar(self) -> bool:
        """Move a just-finished alternative below the ``|`` marker that collects them."""
        if len(self.stack) >= 2 and isinstance(self.stack[-2], _VerticalBar):
            self.stack[-1], self.stack[-2] = self.stack[-2], self.stack[-1]
            return True
        return False

    def _parse_vertical_bar(self) -> None:
        self._concat()
        if not self._swap_vertical_bar():
            self._push(_VerticalBar())

    def _parse_right_paren(self) -> None:
        self._concat()
        if self._swap_vertical_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) < 2:
            raise self.whole_error(ErrorCode.UNEXPECTED_PAREN)
        body = _as_node(self.stack.pop())
        paren = self.stack.pop()
        if not isinstance(paren, _LeftParen):
            raise self.whole_error(ErrorCode.UNEXPECTED_PAREN)
        self.flags = paren.saved_flags
        if paren.capture_index == 0:
            self._push(body)
        else:
            self._push(Capture(paren.capture_index, paren.name, body))

    # -- repetition --------------------------------------------------------------------

    def _repeat(
        self, low: int, high: int, counted: bool, start: int, after: int, last_repeat: int
    ) -> int:
        """Apply a repetition operator spanning ``pattern[start:after]`` to the top operand."""
        flags = self.flags
        if self.pattern.startswith("?", after):
            after += 1
            flags ^= _Flag.NON_GREEDY
        if last_repeat >= 0:
            raise self.error(ErrorCode.INVALID_REPEAT_OP, last_repeat, after)
        if not self.stack or isinstance(self.stack[-1], _LeftParen | _VerticalBar):
            raise self.error(ErrorCode.MISSING_REPEAT_ARGUMENT, start, after)
        node = Repeat(_as_node(self.stack[-1]), low, high, not flags & _Flag.NON_GREEDY, counted)
        self.stack[-1] = node
        self.node_count += 1
        if counted:
            copies = max(high if high >= 0 else low, 1)
            self.repeat_product = min(self.repeat_product * copies, MAX_SIZE)
        self._check_limits(node)
        if counted and (low >= 2 or high >= 2) and not _repeat_is_valid(node, MAX_REPEAT):
            raise self.error(ErrorCode.INVALID_REPEAT_SIZE, start, after)
        return after

    def _parse_decimal(self, index: int) -> tuple[int, int] | None:
        """A count inside braces: digits without leading zeros; -1 stands for "too big"."""
        pattern = self.pattern
        if index >= len(pattern) or pattern[index] not in _DECIMAL_DIGITS:
            return None
        if pattern[index] == "0" and self.has_digit_at(index + 1, _DECIMAL_DIGITS):
            return None
        end = index
        while end < len(pattern) and pattern[end] in _DECIMAL_DIGITS:
            end += 1
        value = 0
        for digit in pattern[index:end]:
            if value >= 100_000_000:
                value = -1
                break
            value = value * 10 + int(digit)
        return value, end

    def _parse_repeat_counts(self, index: int) -> tuple[int, int, int] | None:
        """``{n}``, ``{n,}`` or ``{n,m}`` at ``index``; ``None`` makes the brace a literal."""
        pattern = self.pattern
        parsed = self._parse_decimal(index + 1)
        if parsed is None:
            return None
        low, position = parsed
        if position >= len(pattern):
            return None
        if pattern[position] != ",":
            high = low
        else:
            position += 1
            if position >= len(pattern):
                return None
            if pattern[position] == "}":
                high = UNBOUNDED
            else:
                parsed = self._parse_decimal(position)
                if parsed is None:
                    return None
                high, position = parsed
                if high < 0:
                    low = -1
        if position >= len(pattern) or pattern[position] != "}":
            return None
        return low, high, position + 1

    def _check_size(self, tree: Node) -> None:
        if self.node_count < MAX_SIZE // self.repeat_product:
            return
        if _compiled_size(tree) > MAX_SIZE:
            raise self.whole_error(ErrorCode.INTERNAL_ERROR)

    # -- groups and flags --------------------------------------------------------------

    def _parse_group_flags(self, start: int) -> int:
        """``(?P<name>``, ``(?flags)``, ``(?flags:`` or ``(?:`` at ``start``."""
        pattern = self.pattern
        if pattern.startswith("(?P<", start) and len(pattern) - start > 4:
            end = pattern.find(">", start)
            if end < 0:
                self.check_utf8(start, len(pattern))
                raise self.error(ErrorCode.INVALID_NAMED_CAPTURE, start)
            self.check_utf8(start + 4, end)
            name = pattern[start + 4 : end]
            if not _is_valid_capture_name(name):
                raise self.error(ErrorCode.INVALID_NAMED_CAPTURE, start, end + 1)
            self._open_group(index=len(self.capture_names), name=name)
            return end + 1

        flags = self.flags
        negated = False
        saw_flag = False
        position = start + 2
        while position < len(pattern):
            char = self.next_char(position)
            position += 1
            if char in _FLAG_LETTERS:
                letter_flag = _FLAG_LETTERS[char]
                turn_on = negated == bool(letter_flag & _INVERTED_FLAGS)
                flags = flags | letter_flag if turn_on else flags & ~letter_flag
                saw_flag = True
            elif char == "-":
                if negated:
                    break
                negated = True
                saw_flag = False
            elif char in ":)":
                if negated and not saw_flag:
                    break
                if char == ":":
                    self._open_group(index=0, name="")
                self.flags = flags
                return position
            else:
                break
        raise self.error(ErrorCode.INVALID_PERL_OP, start, position)

    # -- escapes -----------------------------------------------------------------------

    def _parse_backslash(self, start: int) -> int:
        """Everything that starts with a backslash outside brackets."""
        pattern = self.pattern
        letter = pattern[start + 1 : start + 2]
        if letter in _SIMPLE_ASSERTIONS:
            self._push(Assertion(_SIMPLE_ASSERTIONS[letter]))
            return start + 2
        if letter == "C":
            raise self.error(ErrorCode.INVALID_ESCAPE, start, start + 2)
        if letter == "Q":
            end = pattern.find("\\E", start + 2)
            literal_end = len(pattern) if end < 0 else end
            for position in range(start + 2, literal_end):
                char = pattern[position]
                if is_surrogate(char):
                    raise self.error(ErrorCode.INVALID_UTF8, position, literal_end)
                self._literal(ord(char))
            return literal_end if end < 0 else end + 2
        if letter in ("p", "P"):
            ranges, after = self.parse_unicode_class(start, self._folding)
            self._push(CharClass(ranges))
            return after
        if pattern[start : start + 2] in PERL_GROUPS:
            group = PERL_GROUPS[pattern[start : start + 2]]
            self._push(CharClass(self.named_group(group, self._folding)))
            return start + 2
        code_point, after = self.parse_escape(start)
        self._literal(code_point)
        return after

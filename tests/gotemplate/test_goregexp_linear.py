"""Matching is linear in the text, as Go's regexp guarantees, proven by counting steps.

Pathological patterns that take exponential (or polynomial) time on a backtracking engine
such as Python's ``re`` must stay within ``c * len(program) * (len(text) + 1)`` steps on
both of Go's strategies (bit-state backtracker and Pike VM), and the work must grow
linearly with the text (the bound holds for texts of thousands of characters).
No wall-clock assertions: the step counters are the measure.
"""

from __future__ import annotations

import pytest

from mittnite.gotemplate.goregexp import compile
from mittnite.gotemplate.goregexp_backtrack import MAX_VISITED, BacktrackMatcher
from mittnite.gotemplate.goregexp_dfa import MatchDFA
from mittnite.gotemplate.goregexp_engine import GoMatcher, runs_on_re
from mittnite.gotemplate.goregexp_parser import parse
from mittnite.gotemplate.goregexp_pike import PikeMatcher
from mittnite.gotemplate.goregexp_program import Program, compile_program

STEP_FACTOR = 3
"""Each (instruction, position) pair is visited once and pushes or pops at most one job."""

PATHOLOGICAL = [
    ("^(a+)+$", "a" * 40 + "!"),
    ("(a|a)*b", "a" * 60),
    ("(a*)*b", "a" * 60),
    ("a*a*a*a*a*c", "a" * 80),
    ("(x+x+)+y", "x" * 70),
    ("(a|aa)+$", "a" * 50 + "b"),
    ("(\\w+\\s?)+$", "word " * 12 + "!"),
    ("(.*a){12}", "a" * 30),
    ("[a-z]+X", "a" * 200),
    ("(?i)(k|K|\u212a)*z", "k" * 60),
]


def _program(pattern: str) -> Program:
    parsed = parse(pattern)
    return compile_program(parsed.tree, len(parsed.capture_names) - 1)


def _bound(program: Program, text: str) -> int:
    return STEP_FACTOR * len(program) * (len(text) + 1)


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_backtracker_steps_are_bounded_by_program_times_text(pattern: str, text: str) -> None:
    program = _program(pattern)
    matcher = BacktrackMatcher(program)
    for start in (0, len(text) // 2):
        matcher.search(text, start)
        assert matcher.steps <= _bound(program, text)
    assert matcher.steps > 0 or program.anchored


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_pike_vm_steps_are_bounded_by_program_times_text(pattern: str, text: str) -> None:
    program = _program(pattern)
    matcher = PikeMatcher(program)
    for start in (0, len(text) // 2):
        matcher.search(text, start)
        assert matcher.steps <= _bound(program, text)
    assert matcher.steps > 0 or program.anchored


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_match_dfa_steps_are_bounded_by_program_times_text(pattern: str, text: str) -> None:
    program = _program(pattern)
    dfa = MatchDFA(program)
    for longer in (text, text * 10, text * 100):
        dfa.search(longer, 0)
        assert dfa.steps <= _bound(program, longer)


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_bound_holds_for_long_texts(pattern: str, text: str) -> None:
    """The same per-character bound for texts 10 and 40 times longer: the work is linear."""
    program = _program(pattern)
    for longer in (text * 10, text * 40):
        matcher = BacktrackMatcher(program) if len(longer) < 1000 else PikeMatcher(program)
        matcher.search(longer, 0)
        assert matcher.steps <= _bound(program, longer)


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_pathological_patterns_never_run_on_python_re(pattern: str, text: str) -> None:
    assert not runs_on_re(parse(pattern))
    regexp = compile(pattern)
    regexp.match_string(text)  # answers at all (a backtracking engine would hang here)


def test_long_texts_switch_to_the_pike_vm_with_the_same_answers() -> None:
    """Beyond the backtracker's bitmap the Pike VM runs; the answers do not change."""
    pattern = "(a|b)*(c)"
    parsed = parse(pattern)
    matcher = GoMatcher(parsed)
    text = "ab" * (MAX_VISITED // (2 * matcher.program_size)) + "c"
    program = _program(pattern)
    assert not BacktrackMatcher(program).fits(text, 0)
    assert matcher.search(text, 0) == [0, len(text), len(text) - 2, len(text) - 1,
                                       len(text) - 1, len(text)]  # fmt: skip
    assert matcher.steps <= _bound(program, text)
    short = "abc"
    assert BacktrackMatcher(program).search(short, 0) == PikeMatcher(program).search(short, 0)


def test_forty_a_with_nested_plus_answers_go_results() -> None:
    """The issue's example: ``regexMatch "^(a+)+$"`` on 40 characters (hours on ``re``)."""
    regexp = compile("^(a+)+$")
    assert regexp.match_string("a" * 40)
    assert not regexp.match_string("a" * 40 + "!")
    assert regexp.find_string_submatch("a" * 40) == ["a" * 40, "a" * 40]


def test_repetition_free_patterns_keep_python_re() -> None:
    """Literal and bounded-alternation patterns run on ``re``, whose time per start
    position is bounded by the pattern alone."""
    for pattern in ("-", "^(dev|prod|staging)$", "\\bfoo\\b", "(a|b)(c|d)(e|f)"):
        assert runs_on_re(parse(pattern)), pattern
    for pattern in ("a?", "x{2}", "(a|b|c|d)(a|b|c|d)(a|b|c|d)(a|b|c|d)"):
        assert not runs_on_re(parse(pattern)), pattern

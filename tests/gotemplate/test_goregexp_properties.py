"""Properties of the Go regexp module that must hold for any input, checked with hypothesis.

* Any pattern either compiles or fails with :class:`GoRegexpError`, never another
  exception (templates turn that error into Go's message).
* Every parsed pattern translates to valid Python ``re`` syntax.
* The Python ``re`` translation agrees with the Go-semantics backtracker wherever Python
  and Go agree (no loop over an empty-matching body): independent implementations of
  the same tree.
* The bit-state backtracker and the Pike VM, Go's two linear strategies, give the same
  match and captures for every pattern and input, and the DFA behind ``regexMatch``
  agrees on whether there is a match at all.
* ``quote_meta`` makes any text match itself literally.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.gotemplate.goregexp import GoRegexpError, compile, quote_meta
from mittnite.gotemplate.goregexp_backtrack import BacktrackMatcher
from mittnite.gotemplate.goregexp_dfa import MatchDFA
from mittnite.gotemplate.goregexp_parser import parse
from mittnite.gotemplate.goregexp_pike import PikeMatcher
from mittnite.gotemplate.goregexp_program import compile_program
from mittnite.gotemplate.goregexp_translate import needs_go_matcher, to_python_pattern

_PATTERN_PIECES = [
    "a",
    "b",
    "K",
    "é",
    "σ",
    ".",
    "^",
    "$",
    "|",
    "(",
    ")",
    "(?:",
    "(?i)",
    "(?i:",
    "(?m)",
    "(?s)",
    "(?U)",
    "(?-i)",
    "(?P<n>",
    "(?P<",
    "(?<",
    "*",
    "+",
    "?",
    "*?",
    "{",
    "}",
    "{2}",
    "{1,3}",
    "{,2}",
    "{2,}",
    "{1001}",
    "[",
    "]",
    "[^",
    "-",
    "[:alpha:]",
    "[[:^digit:]]",
    "\\",
    "\\d",
    "\\W",
    "\\s",
    "\\b",
    "\\B",
    "\\A",
    "\\z",
    "\\pL",
    "\\p{Greek}",
    "\\PN",
    "\\p{",
    "\\Q",
    "\\E",
    "\\x41",
    "\\x{263a}",
    "\\101",
    "\\1",
    "\\C",
    "\\n",
    ",",
    "0",
]
patterns = st.lists(st.sampled_from(_PATTERN_PIECES), max_size=12).map("".join)
any_text = st.text(max_size=20)
subjects = st.text(alphabet="abKkσςΣé \n_1-,", max_size=12)


@given(st.one_of(patterns, any_text))
def test_any_pattern_compiles_or_raises_go_error(pattern: str) -> None:
    try:
        regexp = compile(pattern)
    except GoRegexpError as error:
        assert str(error).startswith("error parsing regexp: ")
        return
    assert regexp.pattern == pattern
    regexp.find_all_string("aKσ é\n_1", -1)


@given(st.one_of(patterns, any_text))
def test_parsed_patterns_translate_to_valid_python(pattern: str) -> None:
    try:
        parsed = parse(pattern)
    except GoRegexpError:
        return
    compiled = re.compile(to_python_pattern(parsed.tree))
    assert compiled.groups == len(parsed.capture_names) - 1


@settings(max_examples=300)
@given(patterns, st.lists(subjects, min_size=1, max_size=4))
def test_python_translation_agrees_with_go_backtracker(pattern: str, texts: list[str]) -> None:
    try:
        parsed = parse(pattern)
    except GoRegexpError:
        return
    if needs_go_matcher(parsed.tree):
        return
    translated = re.compile(to_python_pattern(parsed.tree))
    backtracker = BacktrackMatcher(compile_program(parsed.tree, translated.groups))
    for text in texts:
        for start in range(len(text) + 1):
            found = translated.search(text, start)
            expected = None if found is None else [pos for span in found.regs for pos in span]
            assert backtracker.search(text, start) == expected, (text, start)


@settings(max_examples=400)
@given(patterns, st.lists(subjects, min_size=1, max_size=4))
def test_backtracker_and_pike_vm_agree(pattern: str, texts: list[str]) -> None:
    try:
        parsed = parse(pattern)
    except GoRegexpError:
        return
    program = compile_program(parsed.tree, len(parsed.capture_names) - 1)
    backtracker, pike = BacktrackMatcher(program), PikeMatcher(program)
    for text in texts:
        for start in range(len(text) + 1):
            assert backtracker.search(text, start) == pike.search(text, start), (text, start)


@settings(max_examples=300)
@given(patterns, st.lists(subjects, min_size=1, max_size=4))
def test_match_dfa_agrees_with_the_backtracker(pattern: str, texts: list[str]) -> None:
    """``regexMatch``'s DFA says "matches" exactly where the backtracker finds a match."""
    try:
        parsed = parse(pattern)
    except GoRegexpError:
        return
    program = compile_program(parsed.tree, len(parsed.capture_names) - 1)
    backtracker, dfa = BacktrackMatcher(program), MatchDFA(program)
    for text in texts:
        for start in range(len(text) + 1):
            found = backtracker.search(text, start) is not None
            assert dfa.search(text, start) == found, (text, start)


@given(any_text)
def test_quote_meta_matches_the_text_literally(text: str) -> None:
    quoted = quote_meta(text)
    assert compile(quoted).find_string(text) == text
    anchored = compile("\\A" + quoted + "\\z")
    assert anchored.match_string(text)
    assert not anchored.match_string(text + "x")

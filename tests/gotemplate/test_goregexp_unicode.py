"""The embedded Unicode 13 tables Go 1.19 matches ``\\p{...}`` and ``(?i)`` with.

The tables were dumped from Go; these tests check the decoded data against Python's own
Unicode database (a newer Unicode version, so only the known differences are allowed)
and against facts about Go's tables, without needing Go.
"""

from __future__ import annotations

import unicodedata

import pytest

from mittnite.gotemplate.goregexp_ranges import MAX_RUNE, contains
from mittnite.gotemplate.goregexp_unicode import (
    fold_orbit,
    foldable_code_points,
    is_digit,
    is_letter,
    unicode_table,
)
from mittnite.gotemplate.goregexp_unicode_data import CATEGORY_RANGES, SCRIPT_RANGES

RECATEGORIZED_SINCE_UNICODE_13 = {0x1734: "Mn"}
"""HANUNOO SIGN PAMUDPOD became a spacing mark (Mc) in Unicode 14."""


def test_every_categorized_code_point_agrees_with_unicodedata() -> None:
    for name in CATEGORY_RANGES:
        table = unicode_table(name)
        assert table is not None
        for start, end in table:
            for code_point in range(start, end + 1):
                expected = RECATEGORIZED_SINCE_UNICODE_13.get(
                    code_point, unicodedata.category(chr(code_point))
                )
                assert expected == name, hex(code_point)


def test_one_letter_categories_are_unions_of_their_subcategories() -> None:
    for letter in "CLMNPSZ":
        union = {
            code_point
            for name in CATEGORY_RANGES
            if name[0] == letter
            for start, end in unicode_table(name) or ()
            for code_point in range(start, end + 1)
        }
        table = unicode_table(letter)
        assert table is not None
        assert {cp for start, end in table for cp in range(start, end + 1)} == union


def test_go_table_names() -> None:
    assert len(SCRIPT_RANGES) == 156  # Go 1.19's unicode.Scripts
    assert unicode_table("Any") == ((0, MAX_RUNE),)
    assert unicode_table("greek") is None
    assert unicode_table("IsGreek") is None
    assert unicode_table("Cn") is None


@pytest.mark.parametrize(
    ("script", "member", "outsider"),
    [
        ("Greek", "α", "a"),
        ("Latin", "a", "α"),
        ("Latin", "\u212a", "1"),  # KELVIN SIGN is Latin script
        ("Han", "日", "あ"),
        ("Hiragana", "あ", "日"),
        ("Cyrillic", "Ж", "Z"),
        ("Common", "1", "a"),
        ("Inherited", "\u0301", "a"),
    ],
)
def test_script_membership(script: str, member: str, outsider: str) -> None:
    table = unicode_table(script)
    assert table is not None
    assert contains(table, ord(member))
    assert not contains(table, ord(outsider))


def test_fold_orbits_are_case_insensitively_equal() -> None:
    for code_point in foldable_code_points():
        orbit = fold_orbit(code_point)
        assert code_point in orbit
        assert len({chr(member).casefold() for member in orbit}) == 1, orbit


@pytest.mark.parametrize(
    ("char", "orbit"),
    [
        ("k", "K" + "k" + "\u212a"),
        ("s", "S" + "s" + "\u017f"),
        ("ß", "ß" + "\u1e9e"),
        ("σ", "Σσς"),
        ("i", "Ii"),  # neither dotted İ nor dotless ı fold with i in Go
        ("ı", "ı"),
        ("1", "1"),
    ],
)
def test_fold_orbit_examples(char: str, orbit: str) -> None:
    assert fold_orbit(ord(char)) == tuple(sorted(ord(member) for member in orbit))


def test_letters_and_digits_for_replacement_names() -> None:
    assert is_letter("é") and is_letter("日") and not is_letter("1")
    assert is_digit("٣") and not is_digit("²") and not is_digit("a")

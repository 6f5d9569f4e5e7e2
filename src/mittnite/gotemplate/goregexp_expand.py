"""Go's ``$`` replacement templates (``Regexp.Expand``), as used by ``regexReplaceAll``.

The rules differ from Python's ``\\1`` / ``\\g<name>`` and have surprising corners that
templates rely on without knowing: ``$1x`` names a group called ``1x`` (which does not
exist, so it expands to nothing), ``$01`` is not group 1, an unknown group is silently
empty, and a ``$`` that starts no reference is kept as text.
"""

from __future__ import annotations

from collections.abc import Sequence

from mittnite.gotemplate.goregexp_unicode import is_digit, is_letter

__all__ = ["expand"]

_LARGEST_GROUP_NUMBER = 100_000_000
"""Go stops reading a number at this size and treats the reference as a name instead."""


def _is_name_char(char: str) -> bool:
    return char == "_" or is_letter(char) or is_digit(char)


def _reference_at(template: str, start: int) -> tuple[str, int, int] | None:
    """Parse ``name`` or ``{name}`` right after a ``$``.

    Returns the name, its group number (``-1`` when it is not a plain decimal number
    without leading zeros) and the index after the reference; ``None`` if malformed.
    """
    position = start
    braced = template.startswith("{", position)
    if braced:
        position += 1
    name_start = position
    while position < len(template) and _is_name_char(template[position]):
        position += 1
    if position == name_start:
        return None
    name = template[name_start:position]
    if braced:
        if not template.startswith("}", position):
            return None
        position += 1
    number = 0
    for char in name:
        if not "0" <= char <= "9" or number >= _LARGEST_GROUP_NUMBER:
            number = -1
            break
        number = number * 10 + int(char)
    if name[0] == "0" and len(name) > 1:
        number = -1
    return name, number, position


def _group_text(text: str, captures: Sequence[int], index: int) -> str | None:
    if 2 * index + 1 < len(captures) and captures[2 * index] >= 0:
        return text[captures[2 * index] : captures[2 * index + 1]]
    return None


def expand(template: str, text: str, captures: Sequence[int], names: Sequence[str]) -> str:
    """Expand ``template`` for one match of a regexp in ``text``.

    ``captures`` holds the start and end of every group (``-1`` if it did not take part)
    and ``names`` the group names (``""`` for unnamed groups and for the whole match).
    """
    pieces: list[str] = []
    position = 0
    while True:
        dollar = template.find("$", position)
        if dollar < 0:
            break
        pieces.append(template[position:dollar])
        position = dollar + 1
        if template.startswith("$", position):
            pieces.append("$")
            position += 1
            continue
        reference = _reference_at(template, position)
        if reference is None:
            pieces.append("$")
            continue
        name, number, position = reference
        if number >= 0:
            pieces.append(_group_text(text, captures, number) or "")
            continue
        for index, group_name in enumerate(names):
            if group_name == name:
                found = _group_text(text, captures, index)
                if found is not None:
                    pieces.append(found)
                    break
    pieces.append(template[position:])
    return "".join(pieces)

"""Colours and boxes for human output, and when to use them (pure apart from ``for_stream``).

The original always colours (even ``--json`` through a pipe). Ours colours only
when the stream is a terminal, ``NO_COLOR`` is unset or empty
(https://no-color.org) and ``TERM`` is not ``dumb``, so that piped output is
plain text. Colours and the rounded 80-column boxes follow the original's look.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

SUCCESS = (0x00, 0xB7, 0x85)
STOPPED = (0xE0, 0x8D, 0xFF)
FAILED = (0xE1, 0x24, 0x4C)
HIGHLIGHT = (0x40, 0x7F, 0xF8)
BOX_WIDTH = 80
RESET = "\x1b[0m"


def colours_wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether to colour output written to ``stream``."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    """Wraps text in ANSI colours, or returns it unchanged when colours are off."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        return cls(colours_wanted(stream))

    def _paint(self, text: str, start: str) -> str:
        return f"{start}{text}{RESET}" if self.enabled and text else text

    def colour(self, text: str, rgb: tuple[int, int, int]) -> str:
        red, green, blue = rgb
        return self._paint(text, f"\x1b[38;2;{red};{green};{blue}m")

    def bold(self, text: str) -> str:
        return self._paint(text, "\x1b[1m")

    def success(self, text: str) -> str:
        return self.colour(text, SUCCESS)

    def stopped(self, text: str) -> str:
        return self.colour(text, STOPPED)

    def failed(self, text: str) -> str:
        return self.colour(text, FAILED)

    def highlight(self, text: str) -> str:
        return self.colour(text, HIGHLIGHT)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide East Asian and emoji count 2, joiners 0.

    A character followed by VS16 (U+FE0F, emoji presentation, as in ``ℹ️``) is
    drawn two columns wide by terminals; with VS15 (U+FE0E, ``▶︎``) it stays one.
    """
    import unicodedata

    width = 0
    for index, char in enumerate(text):
        code = ord(char)
        if code in (0xFE0E, 0xFE0F, 0x200D) or unicodedata.combining(char):
            continue
        emoji_presentation = text[index + 1 : index + 2] == "\ufe0f"
        if (
            emoji_presentation
            or code >= 0x1F000
            or unicodedata.east_asian_width(char) in ("W", "F")
        ):
            width += 2
        else:
            width += 1
    return width


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def wrap(line: str, width: int) -> list[str]:
    """Greedy word wrap of prose; indented lines (commands to copy) are never wrapped."""
    if line.startswith(" ") or display_width(_strip_ansi(line)) <= width:
        return [line]
    indent = ""
    rows: list[str] = []
    current = ""
    for word in line.split():
        candidate = f"{current} {word}" if current else indent + word
        if current and display_width(_strip_ansi(candidate)) > width:
            rows.append(current)
            candidate = indent + word
        current = candidate
    rows.append(current)
    return rows


def box(lines: list[str], style: Style, rgb: tuple[int, int, int] = HIGHLIGHT) -> str:
    """``lines`` in a rounded box with one cell of padding (lipgloss look).

    The box is 80 columns wide, as the original's; long prose lines wrap at
    spaces. Indented lines (commands a person may copy, e.g. with a long
    ``--api-address``) are never wrapped: the box grows to hold them, so its
    right border stays straight.
    """
    inner = BOX_WIDTH - 2
    for line in lines:
        if line.startswith(" "):
            inner = max(inner, display_width(_strip_ansi(line)) + 2)
    content = [""] + [row for line in lines for row in wrap(line, inner - 2)] + [""]
    rows = [style.colour("╭" + "─" * inner + "╮", rgb)]
    side = style.colour("│", rgb)
    for line in content:
        pad = max(0, inner - 2 - display_width(_strip_ansi(line)))
        rows.append(f"{side} {line}{' ' * pad} {side}")
    rows.append(style.colour("╰" + "─" * inner + "╯", rgb))
    return "\n".join(rows) + "\n"

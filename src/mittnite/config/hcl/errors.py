"""Errors raised while reading HCL: always carrying a position a person can jump to."""

from __future__ import annotations


class Pos:
    """A place in a source file: 1-based line and column (columns count characters)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pos):
            return NotImplemented
        return (self.line, self.column) == (other.line, other.column)

    def __hash__(self) -> int:
        return hash((self.line, self.column))

    def __repr__(self) -> str:
        return f"Pos({self.line}, {self.column})"

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


class HclError(Exception):
    """A syntax or decoding error, formatted as ``file:line:col: message``.

    The file name is filled in by whoever knows it (the loader); the lexer and
    parser only know positions.
    """

    def __init__(self, pos: Pos, message: str, filename: str = "") -> None:
        self.pos = pos
        self.message = message
        self.filename = filename
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.filename}:{self.pos}" if self.filename else str(self.pos)
        return f"{where}: {self.message}"


class HclSyntaxError(HclError):
    """The text is not valid HCL (lexing or parsing failed)."""


class HclDecodeError(HclError):
    """The text is valid HCL but a value does not fit the configuration schema."""

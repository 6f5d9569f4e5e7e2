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


# Inputs hcl v1 accepts but we refuse on purpose, each with the reason given in
# the README ("Migrating from the original" -> "Fixed"). An error caused by one
# of them carries its key in ``HclError.stricter``.
STRICTER_THAN_HCL: dict[str, str] = {
    "dangling-assignment": (
        "a `key =` with nothing after it at the end of a file: hcl v1 drops the key "
        "silently, we report the missing value"
    ),
    "swallowed-brace": (
        "a malformed value right before a closing `}` (`command = }`, `args = [\"a\" }`): "
        "hcl v1 drops the entry, takes the `}` as part of it and reads on, so the block "
        "silently loses keys; we report the malformed value"
    ),
    "extension-field": (
        "a value of the wrong type for `stopSignal` or `stopTimeout`, mittnite-for-Python's "
        "own keys: hcl v1 ignores keys it does not know, we check them"
    ),
    "nesting-depth": (
        "blocks, objects or lists nested deeper than 100 levels: hcl v1 recurses without "
        "limit, we refuse such input as certainly broken before it can exhaust the stack"
    ),
}


class HclError(Exception):
    """A syntax or decoding error, formatted as ``file:line:col: message``.

    The file name is filled in by whoever knows it (the loader); the lexer and
    parser only know positions. ``hint`` says how to fix it, where we know.
    ``stricter`` names the entry of :data:`STRICTER_THAN_HCL` when hcl v1
    would have accepted the input.
    """

    def __init__(
        self,
        pos: Pos,
        message: str,
        filename: str = "",
        stricter: str | None = None,
        hint: str = "",
    ) -> None:
        self.pos = pos
        self.message = message
        self.filename = filename
        self.stricter = stricter
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.filename}:{self.pos}" if self.filename else str(self.pos)
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{hint}"


class HclSyntaxError(HclError):
    """The text is not valid HCL (lexing or parsing failed)."""


class HclDecodeError(HclError):
    """The text is valid HCL but a value does not fit the configuration schema."""

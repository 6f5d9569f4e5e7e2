"""Parse errors of Go's ``regexp`` package, worded exactly as Go words them.

Sprig's must-functions hand the error to the template, and the plain functions panic with
it, so users read ``error parsing regexp: missing closing ): `(abc``` verbatim in their
logs. Matching Go means matching both the fixed text of each error kind and the exact
slice of the pattern that Go quotes after it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ErrorCode", "GoRegexpError"]


class ErrorCode(StrEnum):
    """The kinds of parse failure, with Go's ``syntax.ErrorCode`` texts."""

    INTERNAL_ERROR = "regexp/syntax: internal error"
    INVALID_CHAR_CLASS = "invalid character class"
    INVALID_CHAR_RANGE = "invalid character class range"
    INVALID_ESCAPE = "invalid escape sequence"
    INVALID_NAMED_CAPTURE = "invalid named capture"
    INVALID_PERL_OP = "invalid or unsupported Perl syntax"
    INVALID_REPEAT_OP = "invalid nested repetition operator"
    INVALID_REPEAT_SIZE = "invalid repeat count"
    INVALID_UTF8 = "invalid UTF-8"
    MISSING_BRACKET = "missing closing ]"
    MISSING_PAREN = "missing closing )"
    MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator"
    TRAILING_BACKSLASH = "trailing backslash at end of expression"
    UNEXPECTED_PAREN = "unexpected )"
    NESTING_DEPTH = "expression nests too deeply"


class GoRegexpError(ValueError):
    """A pattern Go's ``regexp.Compile`` rejects; ``str()`` is Go's ``err.Error()``.

    ``code`` tells the kind of failure and ``expr`` the part of the pattern Go quotes, so
    callers that build Go's panic text (``regexp: Compile(...): ...``) can reuse them.
    """

    def __init__(self, code: ErrorCode, expr: str) -> None:
        self.code = code
        self.expr = expr
        super().__init__(f"error parsing regexp: {code.value}: `{expr}`")

"""Exceptions of the template engine.

``str()`` of a template error is exactly Go's message (``template: NAME:LINE: ...``), because
mittnite prints it verbatim and users compare it with what the original printed.
"""

from __future__ import annotations

__all__ = ["GoError", "GoPanic", "TemplateError", "TemplateExecError", "TemplateParseError"]


class TemplateError(Exception):
    """Base of all errors a template can produce while being parsed or executed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TemplateParseError(TemplateError):
    """The template text is not a valid Go template (``template: NAME:LINE: MSG``)."""


class TemplateExecError(TemplateError):
    """Execution failed (``template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG``).

    ``partial_output`` holds what had been written before the error, which is what a
    partially rendered target file contains in the original.
    """

    def __init__(self, message: str, partial_output: str = "") -> None:
        super().__init__(message)
        self.partial_output = partial_output


class GoError(Exception):
    """Raised by a template function to return a non-nil Go ``error``.

    The engine reports it as ``error calling NAME: MESSAGE``, as Go does for the second
    result of a ``(T, error)`` function.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class GoPanic(GoError):
    """Raised by a template function to mimic a Go panic (``runtime error: ...``); reported
    like an error, as Go's template engine recovers panics of called functions."""

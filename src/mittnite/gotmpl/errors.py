"""Errors of the template engine; their text is Go's, byte for byte."""

from __future__ import annotations


class TemplateError(Exception):
    """Base: ``str()`` is the message Go's text/template would return."""


class TemplateParseError(TemplateError):
    """``template: NAME:LINE: MESSAGE``."""


class TemplateExecError(TemplateError):
    """``template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE``.

    ``partial`` holds what had been written before the error (Go writes
    progressively, so a target file would contain exactly that).
    """

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial

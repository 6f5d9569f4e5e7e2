"""The one exception type every ``mittnitectl`` command raises for a failure.

Commands raise :class:`CtlError` with a message written for the person at the
terminal (what went wrong and, where we know, what to do about it); ``main``
prints it to stderr and exits 1. Keeping one type means no command prints
half an error or chooses its own exit status.
"""

from __future__ import annotations


class CtlError(Exception):
    """A failure to report: ``str(exc)`` is the complete, human-readable message."""


class UsageProblem(CtlError):
    """A bad flag value found after parsing (cobra prints these with the usage)."""

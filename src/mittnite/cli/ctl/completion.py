"""``mittnitectl`` completion: job names from the API, the rest from the command tree.

The scripts and the protocol are shared with ``mittnite`` (see
:mod:`mittnite.cli.completion`); what is ``mittnitectl``'s own is that a job
command's argument completes to the names the API lists, using the
``--api-address`` typed on the line. Errors (no API running) complete nothing.
"""

from __future__ import annotations

from .. import completion as shared

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..framework import Command, Invocation

JOB_COMMANDS = ("status", "start", "stop", "restart", "logs")
SHELLS = shared.SHELLS


def script(shell: str) -> str:
    """The completion script for ``shell``; unknown shells are a clear error."""
    from .errors import UsageProblem

    try:
        return shared.script("mittnitectl", shell)
    except ValueError as error:
        raise UsageProblem(str(error)) from None


def job_arguments(list_jobs: Callable[[str], list[str]]) -> shared.Arguments:
    """Argument candidates: job names for the job commands (one argument at most)."""

    def arguments(command: Command, invocation: Invocation) -> list[str] | None:
        if invocation.args:
            return None  # every command takes at most one argument
        parent = command.parent
        if parent is not None and parent.name == "job" and command.name in JOB_COMMANDS:
            return list_jobs(invocation["api-address"])
        return None

    return arguments


def candidates(
    root: Command, words: list[str], partial: str, list_jobs: Callable[[str], list[str]]
) -> list[str]:
    """What may follow ``words`` when the current word begins ``partial``."""
    return shared.candidates(root, words, partial, job_arguments(list_jobs))


def api_job_names(api_address: str) -> list[str]:
    """Job names from the API at ``api_address`` (used for completion)."""
    from .address import parse_endpoint
    from .client import ApiClient

    return ApiClient(parse_endpoint(api_address)).list_jobs()

"""The log line for a reaped orphan: ``reaped orphaned process``, as the original's newer releases.

An orphan is a process a job left behind (a daemon that double-forked, a
background child of a shell that exited); the kernel re-parents it to
mittnite, which reaps it. The line says which job it came from - jobs run in
their own process groups, and an orphan usually keeps its group - and how it
ended: ``exit.code`` for an exit, ``signal`` when a signal killed it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..runtime.exitstatus import ExitStatus
    from ..runtime.reaper import Reaper
    from .logger import Logger


def orphan_reporter(
    logger: Logger, reaper: Callable[[], Reaper | None], job_of_group: Callable[[int], str | None]
) -> Callable[[int, ExitStatus], None]:
    """An ``on_orphan`` callback for the reaper that logs each reaped orphan."""

    def report(pid: int, status: ExitStatus) -> None:
        fields: dict[str, Any] = {"pid": pid}
        current = reaper()
        group = current.orphan_group if current is not None else None
        name = job_of_group(group) if group is not None else None
        if name is not None:
            fields["job.name"] = name
        if status.exit_code is not None:
            fields["exit.code"] = status.exit_code
        elif status.term_signal is not None:
            from ..runtime.exitstatus import signal_name

            fields["signal"] = signal_name(status.term_signal)
        logger.info("reaped orphaned process", **fields)

    return report

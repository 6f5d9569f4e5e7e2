"""Which job a command means when the name is left out (as the original).

With exactly one controllable job the name is optional; otherwise the
original's messages say why a name is needed.
"""

from __future__ import annotations

from .errors import CtlError, UsageProblem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def pick_job(args: Sequence[str], list_jobs: Callable[[], list[str]]) -> str:
    """The job named in ``args``, or the only controllable one."""
    if len(args) > 1:
        raise UsageProblem(f"accepts at most 1 arg(s), received {len(args)}")
    if args:
        return args[0]
    try:
        names = list_jobs()
    except CtlError as exc:
        message = str(exc)
        prefix = "failed to list jobs: "
        raise CtlError(message if message.startswith(prefix) else prefix + message) from None
    if not names:
        raise CtlError("no jobs found")
    if len(names) > 1:
        raise CtlError("more than one job found; please provide a job name as argument")
    return names[0]

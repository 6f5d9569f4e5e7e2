"""``mittnitectl job logs [JOB] [-f] [--tail N]``: print the job's output line by line."""

from __future__ import annotations

from .errors import CtlError
from .flags import tail_lines
from .jobname import pick_job

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ..framework import Invocation
    from .client import ApiClient


def run(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    job = pick_job(invocation.args, client.list_jobs)
    follow = bool(invocation["follow"])
    stream = client.logs(job, follow, tail_lines(invocation["tail"]))
    try:
        for line in stream:
            out.write(line + "\n")
            if follow:
                out.flush()
    except CtlError as exc:
        raise CtlError(f"failed to print output: {exc}") from None
    finally:
        stream.close()
    return 0

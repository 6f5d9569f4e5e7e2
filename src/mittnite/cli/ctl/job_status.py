"""``mittnitectl job status [JOB] [-j] [--exit-with-status]``.

``--json`` prints only the status object, pretty and parseable (the
original adds colour codes and a trailing box), with one key style (see
:func:`.status.json_document`); ``--exit-with-status`` makes
scripts and health checks able to test "is it running" by exit status.
"""

from __future__ import annotations

from .hints import status_hints
from .jobname import pick_job
from .status import detail_lines, json_document, status_line
from .style import Style, box

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ..framework import Invocation
    from .client import ApiClient


def run(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    job = pick_job(invocation.args, client.list_jobs)
    status = client.status(job)
    if invocation["json"]:
        import json

        out.write(json.dumps(json_document(status.raw), indent=4, ensure_ascii=False) + "\n")
    else:
        style = Style.for_stream(out)
        out.write("\n".join([status_line(status, style), *detail_lines(status, style)]) + "\n\n")
        out.write(box(status_hints(invocation["api-address"], job), style))
    if invocation["exit-with-status"] and not status.running:
        return 1
    return 0

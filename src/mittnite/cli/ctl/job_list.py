"""``mittnitectl job list [-j]``: the controllable jobs and their status lines.

``--json`` prints one object per job - ``name``, ``running``, ``pid`` (while
running) and ``phase`` - with the status document's keys, so a script needs
no second call per job (the original printed the bare names, in colour).
"""

from __future__ import annotations

from .errors import CtlError
from .hints import list_hints
from .status import status_line, summary
from .style import Style, box

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ..framework import Invocation
    from .client import ApiClient


def run(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    names = client.list_jobs()
    if invocation["json"]:
        import json

        entries = [summary(client.status(name)) for name in names]
        out.write(json.dumps(entries, indent=4, ensure_ascii=False) + "\n")
        return 0
    style = Style.for_stream(out)
    lines = ["The following processes are managed, and controllable:", ""]
    for name in names:
        try:
            lines.append(status_line(client.status(name), style))
        except CtlError as exc:
            lines.append(style.failed(str(exc)))
    if not names:
        lines.append('(none: give a job "controllable = true" to control it with mittnitectl)')
    out.write("\n".join(lines) + "\n\n")
    out.write(box(list_hints(invocation["api-address"]), style))
    return 0

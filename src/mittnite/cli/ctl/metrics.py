"""``mittnitectl metrics``: print the run's metrics (OpenMetrics text) as ``/metrics`` serves them.

The text comes from the control API (``GET /v1/metrics``), not from the probe port:
``mittnitectl`` already knows where the API is, while the probe port may be moved
(``-p``), firewalled or not reachable from where ``mittnitectl`` runs. Both serve the
same exposition.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ..framework import Invocation
    from .client import ApiClient


def run(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    out.write(client.metrics())
    return 0

"""Helpers shared by the bench scripts (imported as ``_common``: each script is run as
``python bench/<name>.py``, which puts this directory first on ``sys.path``)."""

from __future__ import annotations


def rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (``VmRSS``), 0 for a process without one."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

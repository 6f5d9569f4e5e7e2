"""``process_*``: the basics every Prometheus exporter offers, read from ``/proc``.

Read at scrape time (a scrape is rare and cheap; keeping them current between scrapes
would cost a timer): CPU seconds (user + system), resident memory, start time (Unix
seconds), open file descriptors and their limit. Names and units are the ones
Prometheus client libraries use, so existing dashboards work.
"""

from __future__ import annotations

import os
import resource

from .registry import Family, Sample

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["process_families"]

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _boot_time() -> float:
    with open("/proc/stat") as handle:
        for line in handle:
            if line.startswith("btime "):
                return float(line.split()[1])
    return 0.0


def _one(name: str, kind: str, help: str, value: float, unit: str = "") -> Family:
    sample_name = name + ("_total" if kind == "counter" else "")
    return Family(name, kind, help, unit, (Sample(sample_name, (), value),))


def process_families(pid: int | str = "self") -> Iterator[Family]:
    """The families for ``pid`` (mittnite itself by default)."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        stat = handle.read()
    fields = stat[stat.rfind(b")") + 2 :].split()
    # Fields after the command, counted from 3 (state): utime 14, stime 15,
    # starttime 22, rss 24 in proc(5)'s numbering.
    utime, stime = int(fields[11]), int(fields[12])
    start_ticks, rss_pages = int(fields[19]), int(fields[21])
    yield _one(
        "process_cpu_seconds",
        "counter",
        "Total user and system CPU time spent in seconds.",
        (utime + stime) / _TICKS,
        "seconds",
    )
    yield _one(
        "process_resident_memory_bytes",
        "gauge",
        "Resident memory size in bytes.",
        rss_pages * _PAGE,
        "bytes",
    )
    yield _one(
        "process_start_time_seconds",
        "gauge",
        "Start time of the process since unix epoch in seconds.",
        _boot_time() + start_ticks / _TICKS,
        "seconds",
    )
    yield _one("process_open_fds", "gauge", "Number of open file descriptors.", _open_fds(pid))
    yield _one(
        "process_max_fds",
        "gauge",
        "Maximum number of open file descriptors.",
        _max_fds(pid),
    )


def _open_fds(pid: int | str) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _max_fds(pid: int | str) -> float:
    if pid == "self" or pid == os.getpid():
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        return float("inf") if soft == resource.RLIM_INFINITY else float(soft)
    with open(f"/proc/{pid}/limits") as handle:
        for line in handle:
            if line.startswith("Max open files"):
                soft_text = line.split()[3]
                return float("inf") if soft_text == "unlimited" else float(soft_text)
    return 0.0

"""``mittnitectl job start|stop|restart [JOB] [-w] [--wait-for 5s]``.

The API answers before the change happens, so by default the command polls
the status every 100 ms until the job reached the wanted state. For restart
the original accepted "running" (true at once: the old process), so it never
really waited; ours waits for a running process with a new pid. Starting a
job that already runs says so (exit status 0) instead of announcing a start
that does not happen.
"""

from __future__ import annotations

import time

from .errors import CtlError
from .flags import wait_seconds
from .jobname import pick_job
from .style import STOPPED, SUCCESS, Style, box

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from ..framework import Invocation
    from .client import ApiClient
    from .status import JobStatus

POLL_INTERVAL = 0.1

# verb -> (announcement, waiting line, text of the box when done)
MESSAGES = {
    "start": ("▶️  starting job {job}", "🕑 waiting for job {job} to start", "🚀 job {job} started"),
    "restart": (
        "🔄  restarting job {job}",
        "🕑 waiting for job {job} to restart",
        "🥳 job {job} restarted",
    ),
    "stop": ("⏸️  stopping job {job}", "🕑 waiting for job {job} to stop", "😵 job {job} stopped"),
}


def reached(verb: str, status: JobStatus, old_pid: int) -> bool:
    """Whether ``status`` is what ``verb`` waits for (``old_pid``: before a restart)."""
    if verb == "stop":
        return not status.running
    if verb == "restart":
        return status.running and status.pid != old_pid
    return status.running


def wait_until(
    verb: str,
    job: str,
    client: ApiClient,
    timeout: float,
    old_pid: int = 0,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> JobStatus:
    """Poll the status until ``verb`` is done; :class:`CtlError` after ``timeout`` seconds.

    The clock is a parameter so that tests can run the timeout in no time.
    """
    deadline = monotonic() + timeout
    while True:
        status = client.status(job)
        if reached(verb, status, old_pid):
            return status
        if monotonic() >= deadline:
            raise CtlError(f"timeout waiting for job {job} to reach desired state")
        sleep(POLL_INTERVAL)


def _already_running(client: ApiClient, job: str, out: TextIO) -> bool:
    """Say so and return True when ``job`` runs (a status the API refuses: let start try)."""
    try:
        before = client.status(job)
    except CtlError:
        return False
    if before.running:
        out.write(f"▶️  job {job} is already running (pid {before.pid})\n")
    return before.running


def run(verb: str, invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    wait = bool(invocation["wait"])
    timeout = wait_seconds(invocation["wait-for"])
    job = pick_job(invocation.args, client.list_jobs)
    announce, waiting, done = (text.format(job=job) for text in MESSAGES[verb])
    if verb == "start" and _already_running(client, job, out):
        return 0
    old_pid = 0
    if wait and verb == "restart":
        before = client.status(job)
        old_pid = before.pid if before.running else 0
    out.write(announce + "\n")
    out.flush()
    client.action(verb, job)
    if not wait:
        return 0
    out.write(waiting + "\n")
    out.flush()
    wait_until(verb, job, client, timeout, old_pid)
    style = Style.for_stream(out)
    colour = STOPPED if verb == "stop" else SUCCESS
    out.write(box([style.bold(done)], style, colour))
    return 0

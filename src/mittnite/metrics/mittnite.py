"""The ``mittnite_*`` metric families of one run, and their exposition.

Wiring (:mod:`mittnite.supervisor.observe`): the run creates one
:class:`MittniteMetrics` on the first scrape, with the job, probe and listener names
from the typed config (so every series exists from the start, at 0). The jobs, checks,
probes and listeners only count what happens to them, as plain numbers; at each scrape
the observer adds what those counts grew to the counters (``starts``, ``restarts``,
``job_checks``, ...) and sets the state gauges through :meth:`MittniteMetrics.job_state`
and :meth:`MittniteMetrics.job_ready`. ``render()`` produces the complete exposition
including ``process_*``; the probe server answers ``GET /metrics`` with it and
:data:`CONTENT_TYPE`, ``mittnitectl metrics`` fetches and prints that text.

The other per-event methods (``job_started``, ``job_exited``, ``job_restarted``,
``probe_checked``, ``job_checked``, ``lazy_activated``, ``listener_connection``,
``listener_bytes_forwarded``, ``output_dropped_bytes``) feed one family each for a
caller that learns of events one by one (the test kits do); the run itself does not
call them. ``mittnite_output_dropped_bytes`` stays 0: back-pressure never drops output;
only a destination that broke for good (``EPIPE``, ``ENOSPC``) has its output discarded,
which a warning reports once (``supervisor.output``) rather than this counter per job.
"""

from __future__ import annotations

from .openmetrics import CONTENT_TYPE, render
from .process import process_families
from .registry import Registry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CONTENT_TYPE", "JOB_STATES", "MittniteMetrics"]

JOB_STATES = (
    "waiting",  # ours: held back by after = [...]
    "awaitingReadiness",
    "unknown",
    "started",
    "crashLooping",
    "failed",
    "stopped",
    "completed",
    "awaitingConnection",  # a lazy job without a process
)
"""States of ``mittnite_job_state``: the API's phase reasons plus ``waiting``."""

CHECK_RESULTS = ("success", "failure", "timeout")
DIRECTIONS = ("in", "out")
RUNNING_STATES = frozenset({"started"})


class MittniteMetrics:
    """Every ``mittnite_*`` family of one run, plus ``process_*`` at render time."""

    def __init__(
        self,
        *,
        jobs: Iterable[str] = (),
        probes: Iterable[str] = (),
        listeners: Iterable[tuple[str, str]] = (),
        process: bool = True,
    ) -> None:
        registry = self.registry = Registry()
        self.up = registry.gauge(
            "mittnite_job_up", "1 when the job's process runs and is ready.", ["job"]
        )
        self.ready = registry.gauge(
            "mittnite_job_ready", "1 when the job passes its readiness check.", ["job"]
        )
        self.restarts = registry.counter(
            "mittnite_job_restarts", "Times the job was started again after it ran.", ["job"]
        )
        self.starts = registry.counter(
            "mittnite_job_starts", "Processes started for the job.", ["job"]
        )
        self.last_exit_code = registry.gauge(
            "mittnite_job_last_exit_code",
            "Exit code of the job's last process (minus the signal number if killed).",
            ["job"],
        )
        self.liveness_failures = registry.counter(
            "mittnite_job_liveness_failures",
            "Restarts caused by a failing liveness check.",
            ["job"],
        )
        self.state = registry.state_set(
            "mittnite_job_state", "The job's phase (1 for the current one).", JOB_STATES, ["job"]
        )
        self.probe_up = registry.gauge(
            "mittnite_probe_up", "1 when the probe's last check passed.", ["probe"]
        )
        self.probe_checks = registry.counter(
            "mittnite_probe_checks", "Probe checks by result.", ["probe", "result"]
        )
        self.job_checks = registry.counter(
            "mittnite_job_checks",
            "Readiness and liveness check attempts of jobs, by result.",
            ["job", "check", "result"],
        )
        self.lazy_activations = registry.counter(
            "mittnite_lazy_activations",
            "Times a lazy job's process was started by a connection.",
            ["job"],
        )
        self.listener_connections = registry.counter(
            "mittnite_listener_connections", "Connections accepted.", ["job", "listener"]
        )
        self.listener_bytes = registry.counter(
            "mittnite_listener_bytes",
            "Bytes forwarded (in: client to job, out: job to client).",
            ["job", "direction"],
            unit="bytes",
        )
        self.output_dropped = registry.counter(
            "mittnite_output_dropped_bytes",
            "Bytes of job output dropped because the destination did not keep up.",
            ["job"],
            unit="bytes",
        )
        if process:
            registry.add_collector(process_families)
        self._running: dict[str, bool] = {}
        for job in jobs:
            self.add_job(job)
        for probe in probes:
            self.probe_up.set(probe, value=0)
            for result in CHECK_RESULTS:
                self.probe_checks.touch(probe, result)
        for job, listener in listeners:
            self.listener_connections.touch(job, listener)
            for direction in DIRECTIONS:
                self.listener_bytes.touch(job, direction)

    def add_job(self, job: str) -> None:
        """Make every per-job series exist at 0 (called for each configured job)."""
        for counter in (self.restarts, self.starts, self.output_dropped, self.liveness_failures):
            counter.touch(job)
        self.up.set(job, value=0)
        self.ready.set(job, value=0)
        self.state.set_state(job, state="awaitingReadiness")
        self._running[job] = False

    # -- events --------------------------------------------------------------------------------
    def job_started(self, job: str) -> None:
        self.starts.inc(job)

    def job_exited(self, job: str, code: int) -> None:
        self.last_exit_code.set(job, value=code)
        self.job_ready(job, False)

    def job_restarted(self, job: str, *, liveness: bool = False) -> None:
        self.restarts.inc(job)
        if liveness:
            self.liveness_failures.inc(job)

    def job_state(self, job: str, state: str) -> None:
        self.state.set_state(job, state=state)
        self._running[job] = state in RUNNING_STATES
        self._update_up(job)

    def job_ready(self, job: str, ready: bool) -> None:
        self.ready.set(job, value=1 if ready else 0)
        self._update_up(job)

    def probe_checked(self, probe: str, result: str) -> None:
        if result not in CHECK_RESULTS:
            raise ValueError(f"unknown check result {result!r}")
        self.probe_checks.inc(probe, result)
        self.probe_up.set(probe, value=1 if result == "success" else 0)

    def job_checked(self, job: str, check: str, result: str) -> None:
        if result not in CHECK_RESULTS:
            raise ValueError(f"unknown check result {result!r}")
        self.job_checks.inc(job, check, result)

    def lazy_activated(self, job: str) -> None:
        self.lazy_activations.inc(job)

    def listener_connection(self, job: str, listener: str) -> None:
        self.listener_connections.inc(job, listener)

    def listener_bytes_forwarded(self, job: str, direction: str, count: int) -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}")
        self.listener_bytes.inc(job, direction, amount=count)

    def output_dropped_bytes(self, job: str, count: int) -> None:
        self.output_dropped.inc(job, amount=count)

    # -- exposition --------------------------------------------------------------------------------
    def render(self) -> bytes:
        return render(self.registry.collect())

    content_type = CONTENT_TYPE

    def _update_up(self, job: str) -> None:
        up = self._running.get(job, False) and self.ready.value(job) == 1
        self.up.set(job, value=1 if up else 0)

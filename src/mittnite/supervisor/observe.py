"""What the probe server and the API show of a run's jobs: readiness, status keys, metrics.

Read-only views over the :class:`~.jobs.JobSet`: nothing here changes a job. The metrics
are fed as things happen (the job set calls :class:`~mittnite.metrics.mittnite.MittniteMetrics`
on each event); what the runtime counts anyway is added when ``/metrics`` is scraped:

* the current phase of every job (``waiting`` while ``after`` holds it back);
* lazy activations (``LazyMachine.starts``), connections accepted and bytes forwarded
  by every listener (``Forwarder.accepted``, ``Forwarder.bytes_forwarded()``), as the
  growth since the previous scrape, so the counters never go down.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from ..runtime.forward import Forwarder
    from .jobs import JobSet
    from .lazy import JobListeners

__all__ = ["Observer"]


class Observer:
    """The views of one job set."""

    def __init__(self, jobs: JobSet) -> None:
        self.jobs = jobs
        self._seen: dict[tuple[str, ...], int] = {}
        """Runtime counters already added to the metrics."""

    def readiness_gaps(self) -> list[str]:
        """Jobs that keep the run from being ready, with why (``/readyz``)."""
        if not self.jobs.started:
            return ["jobs have not been started yet"]
        return self.jobs.deps.missing()

    def status_extras(self, name: str) -> dict[str, Any]:
        """Our keys of a job's API status (only for jobs using ``after``, readiness, notify).

        Jobs configured as for the original get exactly the original's document.
        """
        deps = self.jobs.deps
        job = self.jobs.find(name)
        if job is None or job.config is None:
            return {}
        config = job.config
        health = None if job.lazy else job.health  # type: ignore[union-attr]
        extras: dict[str, Any] = {}
        if config.after or config.readiness or config.liveness or name in self.jobs.dependencies:
            ready = deps.satisfied(name)  # a one-time job: completed
            message = "" if ready else deps.describe(name)
            if not ready and health is not None and health.message:
                message = f"not ready: {health.message}"
            extras["readiness"] = {
                "ready": ready,
                "since": self.jobs.ready_since.get(name, 0.0),
                "message": message,
            }
        if health is not None and health.notify is not None:
            extras["notify"] = {"state": health.notify.describe(), "status": health.notify.status}
        if config.after:
            extras["waitingFor"] = deps.waiting_for(name) if deps.is_waiting(name) else []
        return extras

    def render_metrics(self) -> bytes:
        """``/metrics``: the event-fed series plus what the runtime counts, read now."""
        jobs = self.jobs
        metrics = jobs.metrics
        for job in jobs.all():
            if jobs.deps.is_waiting(job.name):
                state = "waiting"
            elif job.lazy:
                state = job.phase  # type: ignore[union-attr]
            else:
                state = job.machine.phase  # type: ignore[union-attr]
            metrics.job_state(job.name, state)
        for lazy in jobs.lazy_jobs:
            for _ in range(self._delta(("lazy", lazy.name), lazy.machine.starts)):
                metrics.lazy_activated(lazy.name)
                metrics.job_started(lazy.name)
            self._count_traffic(lazy.name, _forwarders(lazy.listeners))
        for common in jobs.jobs:
            if common.listeners is not None:
                self._count_traffic(common.name, _forwarders(common.listeners))
        return metrics.render()

    def _count_traffic(self, job: str, forwarders: Iterable[tuple[str, Forwarder]]) -> None:
        metrics = self.jobs.metrics
        for label, forwarder in forwarders:
            accepted = self._delta(("accepted", job, label), forwarder.accepted)
            if accepted:
                metrics.listener_connections.inc(job, label, amount=accepted)
            received, sent = forwarder.bytes_forwarded()
            for direction, total in (("in", received), ("out", sent)):
                moved = self._delta(("bytes", job, label, direction), total)
                if moved:
                    metrics.listener_bytes_forwarded(job, direction, moved)

    def _delta(self, key: tuple[str, ...], total: int) -> int:
        """How much ``total`` grew since the last scrape (a counter never goes down)."""
        seen = self._seen.get(key, 0)
        self._seen[key] = max(seen, total)
        return max(0, total - seen)


def _forwarders(listeners: JobListeners) -> list[tuple[str, Forwarder]]:
    return list(zip((spec.label for spec in listeners.specs), listeners.forwarders, strict=True))

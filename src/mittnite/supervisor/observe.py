"""What the probe server and the API show of a run's jobs: readiness, status keys, metrics.

Read-only views over the :class:`~.jobs.JobSet`: nothing here changes a job.

Metrics are counted where things happen, by the objects they happen to, as plain
numbers: a job's processes started (``JobMachine.runs``), its restarts and liveness
restarts and last exit code (:class:`~.job.SupervisedJob`), its check attempts
(:class:`~.health.JobHealth`), a probe's attempts (``Probe.attempts``), a lazy job's
activations (``LazyMachine.starts``), a forwarding listener's connections and bytes
(``Forwarder.accepted``, ``Forwarder.bytes_forwarded()``; an activated ``listen``
block's connections go to the job directly and are not counted). The first scrape creates the
:class:`~mittnite.metrics.mittnite.MittniteMetrics` registry (so a run nobody scrapes
never loads it); every scrape adds what each count grew since the previous one (so the
counters never go down) and sets the gauges (phase, ready, up, last exit code, probe up)
to what they are now. Nothing is polled between scrapes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from ..metrics.mittnite import MittniteMetrics
    from ..metrics.registry import Counter
    from ..runtime.forward import Forwarder
    from .jobs import JobSet
    from .lazy import JobListeners

__all__ = ["Observer"]


class Observer:
    """The views of one job set."""

    def __init__(self, jobs: JobSet) -> None:
        self.jobs = jobs
        self._metrics: MittniteMetrics | None = None
        self._seen: dict[tuple[str, ...], int] = {}
        """Counts already added to the metrics, by counter and labels."""

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

    @property
    def metrics(self) -> MittniteMetrics:
        """The registry, created on first use with every series of the configuration at 0."""
        if self._metrics is None:
            from ..metrics.mittnite import MittniteMetrics

            ignition = self.jobs.ignition
            metrics = MittniteMetrics(
                jobs=self.jobs.order,
                probes=[probe.name for probe in ignition.probes],
                listeners=[
                    (job.name, listener.address)
                    for job in ignition.unique_jobs
                    for listener in job.listeners or ()
                    if not listener.activate
                ],
            )
            for config in ignition.unique_jobs:
                checks = (("readiness", config.readiness), ("liveness", config.liveness))
                for check, block in checks:
                    if block is not None and not block.notify and not config.is_lazy:
                        for result in ("success", "failure", "timeout"):
                            metrics.job_checks.touch(config.name, check, result)
            self._metrics = metrics
        return self._metrics

    def render_metrics(self) -> bytes:
        """``/metrics``: every count and state, as of now."""
        jobs = self.jobs
        metrics = self.metrics
        for job in jobs.all():
            name = job.name
            if jobs.deps.is_waiting(name):
                state = "waiting"
            elif job.lazy:
                state = job.phase  # type: ignore[union-attr]
            else:
                state = job.machine.phase  # type: ignore[union-attr]
            metrics.job_state(name, state)
            metrics.job_ready(name, jobs.ready.get(name, False))
        for common in jobs.jobs:
            name = common.name
            self._add(metrics.starts, (name,), common.machine.runs)
            self._add(metrics.restarts, (name,), common.restarts)
            self._add(metrics.liveness_failures, (name,), common.liveness_restarts)
            if common.last_exit_code is not None:
                metrics.last_exit_code.set(name, value=common.last_exit_code)
            if common.health is not None:
                for (check, result), count in common.health.attempts.items():
                    self._add(metrics.job_checks, (name, check, result), count)
            if common.listeners is not None:
                self._count_traffic(name, _forwarders(common.listeners))
        for lazy in jobs.lazy_jobs:
            self._add(metrics.starts, (lazy.name,), lazy.machine.starts)
            self._add(metrics.lazy_activations, (lazy.name,), lazy.machine.starts)
            self._count_traffic(lazy.name, _forwarders(lazy.listeners))
        for name, probe in jobs.probes.items():
            for result, count in probe.attempts.items():
                self._add(metrics.probe_checks, (name, result), count)
            if probe.state.ok is not None:
                metrics.probe_up.set(name, value=1 if probe.state.ok else 0)
        return metrics.render()

    def _count_traffic(self, job: str, forwarders: Iterable[tuple[str, Forwarder]]) -> None:
        metrics = self.metrics
        for label, forwarder in forwarders:
            self._add(metrics.listener_connections, (job, label), forwarder.accepted)
            received, sent = forwarder.bytes_forwarded()
            self._add(metrics.listener_bytes, (job, "in"), received, key=(job, label, "in"))
            self._add(metrics.listener_bytes, (job, "out"), sent, key=(job, label, "out"))

    def _add(
        self,
        counter: Counter,
        labels: tuple[str, ...],
        total: int,
        *,
        key: tuple[str, ...] | None = None,
    ) -> None:
        """Add to ``counter`` what ``total`` grew since the last scrape (never less than 0).

        ``key`` tells apart counts that add up in one series (two listeners of a job).
        """
        seen_key = (counter.name, *(key if key is not None else labels))
        seen = self._seen.get(seen_key, 0)
        if total > seen:
            counter.inc(*labels, amount=total - seen)
            self._seen[seen_key] = total


def _forwarders(listeners: JobListeners) -> list[tuple[str, Forwarder]]:
    """Each forwarded block's label and forwarder (activated blocks' connections are the
    job's own: mittnite never sees them)."""
    labels = [spec.label for spec in listeners.specs if not spec.activate]
    return list(zip(labels, listeners.forwarders, strict=True))

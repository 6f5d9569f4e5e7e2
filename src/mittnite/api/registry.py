"""The jobs as the control API sees them: an adapter over the supervisor's ``JobSet``.

What the original gets wrong and this fixes:

* lazy jobs are listed and controllable like any other job (the original can
  neither list nor control them); start/stop/restart act on their process, and
  the next connection still starts a stopped lazy job, as without the API;
* a name that is unknown, or not ``controllable``, is one answer: not found
  (the original answers 400 for unknown names and lazy jobs);
* before the jobs are started (probes and boot jobs still running) status
  works and shows ``awaitingReadiness``; actions are refused with a clear
  message instead of crashing the handler;
* start/restart during crash-loop back-off never creates a second supervisor:
  the job's state machine decides (one machine per job).
"""

from __future__ import annotations

from typing import cast

from .status import encode_status, status_document

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Protocol

    from ..config.model import JobConfig
    from ..logs.ring import LogRing
    from ..supervisor.job import SupervisedJob
    from ..supervisor.jobs import JobSet
    from ..supervisor.lazy import LazyJob

    Job = SupervisedJob | LazyJob

    class Jobs(Protocol):
        """What the registry needs of ``JobSet`` (tests pass a fake)."""

        @property
        def started(self) -> bool: ...

        def all(self) -> Sequence[Job]: ...


class NotReady(Exception):
    """The jobs have not been started yet; actions must wait."""


class JobRegistry:
    """Controllable jobs in configuration order; lookups, status and actions."""

    def __init__(self, jobs: Jobs | JobSet, secrets: Sequence[str] = ()) -> None:
        self.jobs = jobs
        self.secrets = tuple(secret for secret in secrets if secret)

    @property
    def ready(self) -> bool:
        """Whether the jobs have been started (before that, actions are refused)."""
        return self.jobs.started

    def names(self) -> list[str]:
        """Names of the controllable jobs, lazy ones included, in configuration order."""
        return [job.name for job in self.jobs.all() if _controllable(job)]

    def resolve(self, name: str) -> Job | None:
        """The controllable job of that name, or None (unknown or not controllable)."""
        for job in self.jobs.all():
            if job.name == name:
                return job if _controllable(job) else None
        return None

    def status(self, job: Job) -> bytes:
        """The status JSON of ``job`` (see :mod:`.status`)."""
        config = job.config
        assert config is not None  # resolve() only returns configured jobs
        lazy, common = _split(job)
        if lazy is not None:
            reason, changed = lazy.phase, lazy.phase_changed_at
        else:
            assert common is not None
            reason, changed = common.machine.phase, common.machine.phase_changed_at
        extras = getattr(self.jobs, "status_extras", None)
        document = status_document(
            pid=job.pid,
            running=job.running,
            reason=reason,
            last_change=changed,
            config=config,
            secrets=self.secrets,
            extras=extras(job.name) if extras is not None else None,
        )
        return encode_status(document)

    def metrics(self) -> bytes | None:
        """The run's metrics in OpenMetrics text (``None``: this server has none)."""
        render = getattr(self.jobs, "render_metrics", None)
        return render() if render is not None else None

    def start(self, job: Job) -> None:
        """Start the job if it is not running (a no-op while it runs)."""
        self._check_ready()
        lazy, common = _split(job)
        if lazy is not None:
            self._check_not_waiting(lazy)
            lazy.start_process()
        else:
            assert common is not None
            common.start()  # a job that waits for its dependencies keeps waiting

    def stop(self, job: Job) -> None:
        """Stop signal now, SIGKILL after the job's stop timeout; it stays stopped."""
        self._check_ready()
        lazy, common = _split(job)
        if lazy is not None:
            lazy.stop_process()
        else:
            assert common is not None
            common.stop()

    def restart(self, job: Job) -> None:
        """Stop and start again; starts the job if it is not running."""
        self._check_ready()
        lazy, common = _split(job)
        if lazy is not None:
            self._check_not_waiting(lazy)
            lazy.restart_process()
        else:
            assert common is not None
            common.restart()

    def _check_not_waiting(self, lazy: LazyJob) -> None:
        """A lazy job whose listeners wait for its dependencies cannot be started yet."""
        waiting = getattr(self.jobs, "waiting_for", None)
        pending = waiting(lazy.name) if waiting is not None else []
        if pending:
            raise NotReady(f"it waits for {', '.join(pending)} (after)")

    def _check_ready(self) -> None:
        if not self.jobs.started:
            raise NotReady("jobs have not been started yet (waiting for probes or boot jobs)")


def log_ring(job: Job) -> LogRing:
    """The in-memory output of ``job`` (lines of streams that have no log file)."""
    return job.ring


def job_config(job: Job) -> JobConfig:
    config = job.config
    assert config is not None
    return config


def _split(job: Job) -> tuple[LazyJob, None] | tuple[None, SupervisedJob]:
    """Lazy or common (``lazy`` is a class attribute: no import of the lazy machinery)."""
    if job.lazy:
        return cast("LazyJob", job), None
    return None, cast("SupervisedJob", job)


def _controllable(job: Job) -> bool:
    return job.config is not None and job.config.controllable

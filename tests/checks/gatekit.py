"""A minimal stand-in for the supervisor's wiring, to test the pieces together with real processes.

It plays the supervisor's part with the real components: the dependency machine decides
who starts, the runtime spawns and reaps, health monitors run real checks (or listen on a
real notify socket), verdicts go back to the dependency machine, liveness failures restart
the process, and metrics are fed on each event. What it leaves out (back-off, API, output,
lazy listeners) belongs to the supervisor and is not under test here. (The real wiring is
:mod:`mittnite.supervisor.jobs`; ``bench/gate_delay.py`` measures it through ``mittnite up``.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import dataclass, field

from mittnite.checks.base import Check, CheckOutcome
from mittnite.checks.monitor import HealthMonitor
from mittnite.checks.notify import NotifyState
from mittnite.core.clock import SystemClock
from mittnite.core.deps import DependencyMachine, Fail, Node, NodeKind, Start, Stop
from mittnite.core.health import HealthMachine
from mittnite.core.job import Action, CancelTimer, Log, StartTimer
from mittnite.metrics.mittnite import MittniteMetrics
from mittnite.runtime.notify import NotifySocket, ProcessFamily
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import Child, spawn
from tests.runtime.procs import children_of, eventually


@dataclass
class JobSpec:
    name: str
    argv: list[str]
    kind: str = NodeKind.JOB
    after: tuple[str, ...] = ()
    readiness: Check | None = None
    readiness_notify: bool = False
    liveness: Check | None = None
    liveness_interval: float = 0.2
    liveness_timeout: float = 1.0
    liveness_failures: int = 2
    readiness_interval: float = 0.05


@dataclass
class Running:
    spec: JobSpec
    child: Child | None = None
    readiness: HealthMonitor | None = None
    liveness: HealthMonitor | None = None
    notify: NotifySocket | None = None
    state: NotifyState | None = None
    restarting: bool = False
    stopping: bool = False
    events: list[tuple[float, str]] = field(default_factory=list)


class Gate:
    """Runs a few jobs with ``after`` ordering, readiness and liveness, as the supervisor does."""

    def __init__(self, reaper: Reaper, specs: list[JobSpec]) -> None:
        self.reaper = reaper
        self.loop = asyncio.get_running_loop()
        self.jobs = {spec.name: Running(spec) for spec in specs}
        nodes = [
            Node(s.name, s.kind, s.after, s.readiness is not None or s.readiness_notify)
            for s in specs
        ]
        self.machine = DependencyMachine(nodes, clock=SystemClock())
        self.metrics = MittniteMetrics(jobs=[s.name for s in specs], process=False)
        self.timeline: list[tuple[float, str, str]] = []
        self.failures: dict[str, str] = {}
        self.logs: list[tuple[str, dict[str, object]]] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._exits: list[asyncio.Task[None]] = []
        self.changed = asyncio.Event()
        for running in self.jobs.values():
            self._prepare(running)

    def _prepare(self, running: Running) -> None:
        spec = running.spec
        name = spec.name
        if spec.readiness_notify:
            running.notify = NotifySocket.open(name)
            machine = HealthMachine(clock=SystemClock(), polled=False)
            running.readiness = HealthMonitor(
                machine, None, on_verdict=lambda ok, msg: self._readiness(name, ok, msg)
            )
            running.state = NotifyState(readiness=running.readiness)
            running.notify.start(running.state.apply)
        elif spec.readiness is not None:
            machine = HealthMachine(clock=SystemClock(), interval=spec.readiness_interval)
            running.readiness = HealthMonitor(
                machine,
                spec.readiness,
                on_verdict=lambda ok, msg: self._readiness(name, ok, msg),
            )
        if spec.liveness is not None:
            machine = HealthMachine(
                clock=SystemClock(),
                interval=spec.liveness_interval,
                timeout=spec.liveness_timeout,
                failures=spec.liveness_failures,
            )
            running.liveness = HealthMonitor(
                machine,
                spec.liveness,
                on_verdict=lambda ok, msg: self._liveness(name, ok, msg),
                on_outcome=lambda outcome: self._checked(name, outcome),
            )

    # -- recording ------------------------------------------------------------------------------
    def mark(self, name: str, what: str) -> None:
        self.timeline.append((self.loop.time(), name, what))
        self.changed.set()

    def when(self, name: str, what: str) -> list[float]:
        return [t for t, n, w in self.timeline if n == name and w == what]

    async def until(self, predicate: object, timeout: float = 60.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():  # type: ignore[operator]
                self.changed.clear()
                await self.changed.wait()

    # -- the machine's actions --------------------------------------------------------------------
    def begin(self) -> None:
        self.apply(self.machine.begin())

    def apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Start):
                self._spawn(self.jobs[action.name])
            elif isinstance(action, Stop):
                self._stop(self.jobs[action.name])
            elif isinstance(action, Fail):
                self.failures[action.name] = action.message
                self.metrics.job_state(action.name, "failed")
                self.mark(action.name, "failed")
            elif isinstance(action, StartTimer):
                self._cancel(action.name)
                self._timers[action.name] = self.loop.call_later(
                    action.delay, self._fired, action.name
                )
            elif isinstance(action, CancelTimer):
                self._cancel(action.name)
            elif isinstance(action, Log):
                self.logs.append((action.msg, action.fields))

    def _fired(self, name: str) -> None:
        self._timers.pop(name, None)
        self.apply(self.machine.timer_fired(name))

    def _cancel(self, name: str) -> None:
        handle = self._timers.pop(name, None)
        if handle is not None:
            handle.cancel()

    def _spawn(self, running: Running) -> None:
        spec = running.spec
        env = dict(os.environ)
        if running.notify is not None:
            env.update(running.notify.environment())
            assert running.state is not None
            running.state.reset()
        child = spawn(spec.argv, reaper=self.reaper, env=env)
        running.child = child
        if running.notify is not None:
            running.notify.family = ProcessFamily(child.pid, child.pgid)
        self.mark(spec.name, "started")
        self.metrics.job_started(spec.name)
        self.metrics.job_state(spec.name, "started")
        self.apply(self.machine.started(spec.name))
        if running.readiness is not None:
            running.readiness.start()
        elif running.liveness is not None:
            running.liveness.start()
        self._exits.append(self.loop.create_task(self._watch_exit(running, child)))

    async def _watch_exit(self, running: Running, child: Child) -> None:
        status = await child.exited
        name = running.spec.name
        for monitor in (running.readiness, running.liveness):
            if monitor is not None:
                monitor.stop()
        self.metrics.job_exited(name, status.returncode)
        self.mark(name, "exited")
        if running.restarting and not running.stopping:
            running.restarting = False
            self.apply(self.machine.not_ready(name, "restarting: liveness check failed"))
            self.metrics.job_restarted(name, liveness=True)
            self._spawn(running)
            return
        if running.stopping:
            self.metrics.job_state(name, "stopped")
            self.apply(self.machine.stopped(name))
        elif status.success and running.spec.kind == NodeKind.ONE_TIME:
            self.metrics.job_state(name, "completed")
            self.apply(self.machine.completed(name))
        else:
            self.metrics.job_state(name, "failed")
            self.apply(self.machine.failed(name, status.describe()))

    def _readiness(self, name: str, ok: bool, message: str) -> None:
        self.metrics.job_ready(name, ok)
        self.mark(name, "ready" if ok else "not ready")
        running = self.jobs[name]
        if ok and running.liveness is not None and not running.liveness.machine.active:
            running.liveness.start()
        self.apply(self.machine.ready(name) if ok else self.machine.not_ready(name, message))

    def _liveness(self, name: str, ok: bool, message: str) -> None:
        running = self.jobs[name]
        if ok or running.child is None or running.stopping:
            return
        self.mark(name, "unhealthy")
        running.restarting = True
        running.child.signal_group(signal.SIGKILL)

    def _checked(self, name: str, outcome: CheckOutcome) -> None:
        self.metrics.probe_checked(f"{name}-liveness", outcome.result)
        self.changed.set()

    def _stop(self, running: Running) -> None:
        running.stopping = True
        self.mark(running.spec.name, "stop")
        child = running.child
        if child is None or child.exited.done():
            self.apply(self.machine.stopped(running.spec.name))
            return
        self._exits.append(self.loop.create_task(self._terminate(child)))

    async def _terminate(self, child: Child) -> None:
        await child.terminate(5.0)

    async def shutdown(self) -> None:
        self.apply(self.machine.shutdown())
        await self.until(
            lambda: all(
                r.child is None or (r.child.exited.done() and not r.restarting)
                for r in self.jobs.values()
            )
        )
        await asyncio.sleep(0)  # let the last exit watchers report
        for running in self.jobs.values():
            for monitor in (running.readiness, running.liveness):
                if monitor is not None:
                    await monitor.aclose()
            if running.notify is not None:
                running.notify.close()
        for handle in self._timers.values():
            handle.cancel()
        for task in self._exits:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # Grandchildren of killed jobs come home to this (subreaper) process: reap them
        # here, or a later test's reaper would count them as its orphans.
        await eventually(lambda: not children_of(os.getpid()))

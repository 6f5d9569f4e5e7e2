"""Lazy jobs at run time: listeners that start the job's process on demand.

:class:`LazyJob` ties three things together and decides nothing itself:

* its listeners (:class:`JobListeners`, one :class:`~mittnite.runtime.forward.Forwarder`
  per ``listen`` block) report connections opening and closing and ask for the upstream
  before dialling;
* the pure :class:`~mittnite.core.lazy.LazyMachine` turns those reports into actions;
* a :class:`ProcessControl`, implemented by the supervisor, starts and stops the process.

:class:`JobListeners` also serves jobs without ``lazy``: the README documents ``listen``
for every job (the original silently ignored it without ``lazy``); there the upstream is
simply assumed to be running and the dial retries until the spin-up timeout.

Log lines are the original's: ``holding off starting job <name> until first request``,
``starting TCP listener`` (``address=``, also for unix sockets), ``starting job``,
``process already running`` (debug; the original logs it at info for every
connection), ``process terminated with error``, ``process terminated``,
``error while dialling upstream``. ``accepted connection`` is at debug level too.

Fixes over the original: a listener that fails to bind fails the start of the job
whichever listener it is (the original swallowed failures of all but the first); unix
socket files are removed on shutdown and stale ones replaced at start; an exec failure
closes the waiting connections with the error instead of killing every listener.

Ours: a ``listen`` block with ``proxyProtocol`` sends a PROXY protocol header to the
upstream (:meth:`~mittnite.runtime.forward.Forwarder.send_proxy_header`); one with
``activate = true`` is not forwarded at all: its listening socket is handed to the job
(:mod:`mittnite.runtime.activation`), at descriptors 3.. in ``listen`` order, and the
job accepts its clients itself. Forwarded and activated blocks may be mixed in a job.
For a lazy job the activated sockets work like this (the machine is the same):

* while no process runs, mittnite *watches* them: the first connection waits in the
  kernel's accept queue, raises "process needed" and is accepted by the job once it
  runs; nothing is dialled and ``spinUpTimeout`` does not apply;
* while the process runs, mittnite samples the sockets' activity (connections queued,
  connections the job holds: ``runtime.sockdiag``) every ``coolDownTimeout``/10
  (clamped to 50 ms .. 1 s) and reports it to the machine as one virtual connection,
  opened while busy and closed when idle, which arms the exact cool-down;
* after a stop (cool-down, API) the sockets are watched again: a connection that is
  already queued starts the job again at once;
* after a failed start or a quick exit the machine holds off new starts (back-off); the
  queued connections are then accepted and closed at once (``closed queued connections``
  with the count), as forwarded connections are refused, rather than left to hang;
* the sockets stay open (and keep queueing) from boot until shutdown, where they are
  closed once the process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket

from ..core.job import CancelTimer, Log, Phase, StartTimer
from ..core.lazy import (
    DEFAULT_COOL_DOWN,
    DEFAULT_SPIN_UP,
    AbortDials,
    LazyMachine,
    LazyState,
    Refuse,
    StartProcess,
    StopProcess,
)
from ..logs.ring import LogRing
from ..runtime.activation import ActivatedSockets, ActivityMonitor
from ..runtime.dial import Dialer
from ..runtime.forward import Forwarder
from ..runtime.timers import NamedTimers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from typing import Protocol

    from ..config.addresses import Address
    from ..config.model import JobConfig, Listener
    from ..core.clock import Clock
    from ..core.job import Action
    from ..runtime.activation import Handoff
    from ..runtime.forward import LogSink

    class ProcessControl(Protocol):
        """The lazy job's process, as the supervisor runs it (spawn, output, reaping).

        Contract:

        * ``start()`` returns once the OS process exists (not once it listens) and
          raises with the error text (Go's, e.g. ``fork/exec /x: no such file or
          directory``) if it cannot be spawned; ``start(handoff)`` (jobs with activated
          sockets only) gives the process the job's listening sockets;
        * ``stop()`` sends the job's stop signal to the process group, SIGKILLs the group
          after the stop timeout (logging ``forcefully killed job``) and returns once the
          process is gone; it logs nothing else (the machine logs ``sending signal``);
        * the exit handler is called exactly once per started process, after ``start()``
          returned, whatever ended it (crash, clean exit, ``stop()``), with Go's
          description of the status (``exit status 3``, ``signal: terminated``);
        * ``signal()`` passes a signal to the process group if a process runs.
        """

        @property
        def running(self) -> bool: ...

        async def start(self, handoff: Handoff | None = None) -> None: ...

        async def stop(self) -> None: ...

        def set_exit_handler(self, handler: Callable[[bool, str], None]) -> None: ...

        def signal(self, signum: int) -> None: ...

    class RootLogger(Protocol):
        def with_fields(self, **fields: object) -> LogSink: ...


__all__ = ["JobListeners", "LazyJob", "LazyJobError", "ListenerSpec", "listener_specs"]


class LazyJobError(Exception):
    """A connection could not get a running process (shutdown, process gone)."""


class ListenerSpec:
    """One ``listen`` block, parsed: the label as written plus both addresses.

    ``forward`` is None for an activated block (``activate``), whose socket goes to the
    job under ``name`` (the effective ``LISTEN_FDNAMES`` entry); ``proxy_protocol`` is
    the PROXY header version sent to the upstream (0: none).
    """

    __slots__ = ("activate", "forward", "label", "listen", "name", "proxy_protocol")

    def __init__(
        self,
        label: str,
        listen: Address,
        forward: Address | None,
        *,
        proxy_protocol: int = 0,
        activate: bool = False,
        name: str = "",
    ) -> None:
        if forward is None and not activate:
            raise ValueError("a listen block either forwards or is activated")
        self.label = label
        self.listen = listen
        self.forward = forward
        self.proxy_protocol = proxy_protocol
        self.activate = activate
        self.name = name


def listener_specs(listeners: Sequence[Listener] | None, job_name: str = "") -> list[ListenerSpec]:
    """The configured ``listen`` blocks, their addresses parsed at load time."""
    specs = []
    for listener in listeners or ():
        assert listener.listen is not None, "checked at load"
        if listener.activate:
            spec = ListenerSpec(
                listener.address,
                listener.listen,
                None,
                activate=True,
                name=listener.fd_name(job_name),
            )
        else:
            assert listener.upstream is not None, "checked at load"
            spec = ListenerSpec(
                listener.address,
                listener.listen,
                listener.upstream,
                proxy_protocol=listener.proxy_protocol,
            )
        specs.append(spec)
    return specs


def go_duration_text(seconds: float) -> str:
    """A timeout as Go prints a ``time.Duration`` (``5s``, ``1m30s``, ``300ms``)."""
    from ..golang.gotime_duration import format_duration

    return format_duration(round(seconds * 1e9))


class _ReportingDialer:
    """A forwarder's dialer that also says when a dial reached the upstream."""

    def __init__(self, dialer: Dialer, on_connected: Callable[[], None]) -> None:
        self._dialer = dialer
        self._on_connected = on_connected

    async def connect(self) -> socket.socket:
        sock = await self._dialer.connect()
        self._on_connected()
        return sock

    def __getattr__(self, name: str) -> object:
        return getattr(self._dialer, name)


class JobListeners:
    """All ``listen`` blocks of one job: opened together, closed together.

    Forwarded blocks get a :class:`~mittnite.runtime.forward.Forwarder` each (in
    :attr:`forwarders`); activated ones share one
    :class:`~mittnite.runtime.activation.ActivatedSockets` (:attr:`activated`, None
    when the job has none), whose order is the ``listen`` order.
    """

    def __init__(
        self,
        name: str,
        specs: Sequence[ListenerSpec],
        *,
        logger: LogSink,
        spin_up_timeout: float = DEFAULT_SPIN_UP,
        spin_up_text: str | None = None,
        ensure_upstream: Callable[[], Awaitable[None]] | None = None,
        on_connection_opened: Callable[[], None] | None = None,
        on_connection_closed: Callable[[], None] | None = None,
        on_upstream_connected: Callable[[], None] | None = None,
        use_splice: bool = False,
    ) -> None:
        self.name = name
        self.specs = tuple(specs)
        self.log = logger
        text = spin_up_text if spin_up_text is not None else go_duration_text(spin_up_timeout)
        hooks: dict[str, Callable[[], None]] = {}
        if on_connection_opened is not None:
            hooks["on_connection_opened"] = on_connection_opened
        if on_connection_closed is not None:
            hooks["on_connection_closed"] = on_connection_closed
        self._forwarder_of: dict[int, Forwarder] = {}
        for index, spec in enumerate(self.specs):
            if spec.activate:
                continue
            assert spec.forward is not None
            forwarder = Forwarder(
                spec.listen,
                spec.forward,
                logger=logger,
                spin_up_timeout=spin_up_timeout,
                timeout_error=f"job {name} did not start after {text}",
                ensure_upstream=ensure_upstream,
                use_splice=use_splice,
                **hooks,
            )
            forwarder.send_proxy_header(spec.proxy_protocol)
            if on_upstream_connected is not None:
                forwarder.dialer = _ReportingDialer(forwarder.dialer, on_upstream_connected)  # type: ignore[assignment]
            self._forwarder_of[index] = forwarder
        self.forwarders = list(self._forwarder_of.values())
        activated = [(spec.listen, spec.name) for spec in self.specs if spec.activate]
        self.activated = ActivatedSockets(activated) if activated else None

    def open(self, *, announce: bool = True) -> None:
        """Open every listener in ``listen`` order; if one fails, close the others and raise.

        The exception is ``runtime.listen.ListenError`` with Go's text
        (``listen tcp :80: bind: address already in use``). ``announce``: log
        ``starting TCP listener`` for each (not on the quiet retries of a job whose
        forwarding blocks could not be opened at first).
        """
        try:
            for index, spec in enumerate(self.specs):
                if announce:
                    self.log.log("info", "starting TCP listener", {"address": spec.label})
                forwarder = self._forwarder_of.get(index)
                if forwarder is not None:
                    forwarder.open()
                else:
                    assert self.activated is not None
                    self.activated.open_next()
        except BaseException:
            for forwarder in self.forwarders:
                forwarder.stop_accepting()
            if self.activated is not None:
                self.activated.close()
            raise

    @property
    def addresses(self) -> list[str]:
        """Where each listener is bound, in ``listen`` order (real ports for ``:0``)."""
        activated = iter(self.activated.addresses if self.activated is not None else ())
        return [
            self._forwarder_of[index].address if index in self._forwarder_of else next(activated)
            for index in range(len(self.specs))
        ]

    @property
    def active(self) -> int:
        """Forwarded connections open now (activated ones are the job's own)."""
        return sum(forwarder.active for forwarder in self.forwarders)

    def stop_accepting(self) -> None:
        """Forwarders stop accepting; activated sockets are no longer watched (they stay
        open: a running job still accepts on them until it is stopped)."""
        for forwarder in self.forwarders:
            forwarder.stop_accepting()
        if self.activated is not None:
            self.activated.unwatch()

    async def close_forwarders(self) -> None:
        """Stop accepting and end all forwarded connections (their close hooks run)."""
        self.stop_accepting()
        await asyncio.gather(*(forwarder.close() for forwarder in self.forwarders))

    def close_activated(self) -> None:
        """Close the activated sockets (once no process of the job can need them)."""
        if self.activated is not None:
            self.activated.close()

    async def close(self) -> None:
        """Close everything: forwarders with their connections, activated sockets."""
        await self.close_forwarders()
        self.close_activated()


class LazyJob:
    """A ``job`` with a ``lazy`` block at run time."""

    lazy = True

    def __init__(
        self,
        name: str,
        specs: Sequence[ListenerSpec],
        process: ProcessControl,
        *,
        logger: LogSink,
        clock: Clock,
        spin_up_timeout: float = DEFAULT_SPIN_UP,
        cool_down_timeout: float = DEFAULT_COOL_DOWN,
        spin_up_text: str | None = None,
        stop_signal: int = signal.SIGTERM,
        use_splice: bool = False,
        config: JobConfig | None = None,
        ring: LogRing | None = None,
    ) -> None:
        self.name = name
        self.config = config
        self.ring = ring if ring is not None else LogRing()
        self.process = process
        self.log = logger
        self.machine = LazyMachine(
            name, clock=clock, cool_down=cool_down_timeout, stop_signal=stop_signal
        )
        self.listeners = JobListeners(
            name,
            specs,
            logger=logger,
            spin_up_timeout=spin_up_timeout,
            spin_up_text=spin_up_text,
            ensure_upstream=self._ensure_upstream,
            on_connection_opened=self._opened,
            on_connection_closed=self._closed,
            on_upstream_connected=self._reached,
            use_splice=use_splice,
        )
        self._timers: NamedTimers[str] = NamedTimers(
            lambda name: self._apply(self.machine.timer_fired(name))
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready: asyncio.Future[None] | None = None
        self._dialling: set[asyncio.Task[object]] = set()
        """Connections past ``_ensure_upstream``, dialling the process (AbortDials ends them)."""
        self.phase = Phase.AWAITING_READINESS
        """The API's ``phase.reason`` (see :meth:`_track_phase`)."""
        self.phase_changed_at = 0.0
        """Wall-clock time of the last phase change, 0 for never."""
        self.activated = self.listeners.activated
        """The job's activated sockets (None: it only forwards)."""
        self.sample_interval = min(max(cool_down_timeout / 10, _MIN_SAMPLE), _MAX_SAMPLE)
        """How often a running process's activated sockets are sampled for activity."""
        self.monitor: ActivityMonitor | None = None
        self._virtual_open = False
        """The activated sockets count as one open connection to the machine (busy)."""
        self._rewatch: asyncio.TimerHandle | None = None
        process.set_exit_handler(self._exited)

    @classmethod
    def from_config(
        cls,
        config: JobConfig,
        process: ProcessControl,
        *,
        logger: RootLogger,
        clock: Clock,
        stop_signal: int = signal.SIGTERM,
        ring: LogRing | None = None,
    ) -> LazyJob:
        """Build from a ``job`` block with ``lazy`` (durations parsed at load time)."""
        from ..golang.gotime_duration import format_duration

        laziness = config.laziness
        spin_up = DEFAULT_SPIN_UP * 1e9
        cool_down = DEFAULT_COOL_DOWN * 1e9
        if laziness is not None:
            spin_up = laziness.spin_up_timeout.nanoseconds
            cool_down = laziness.cool_down_timeout.nanoseconds
        return cls(
            config.name,
            listener_specs(config.listeners, config.name),
            process,
            logger=logger.with_fields(**{"job.name": config.name}),
            clock=clock,
            spin_up_timeout=spin_up / 1e9,
            cool_down_timeout=cool_down / 1e9,
            spin_up_text=format_duration(int(spin_up)),
            stop_signal=stop_signal,
            config=config,
            ring=ring,
        )

    # -- what the runner calls ---------------------------------------------------------------
    async def start(self) -> None:
        """Open the listeners; the process waits for the first connection.

        Raises ``runtime.listen.ListenError`` if any listener cannot be opened (mittnite
        then stops); listeners opened before the failing one are closed again.
        """
        self._apply(self.machine.boot())
        self.listeners.open()
        self._watch()

    async def shutdown(self) -> None:
        """Stop accepting, end all connections, stop the process and wait until it is gone.

        Activated sockets are closed last: until its process is gone, the job accepts on
        them (and a start under way still hands them over).
        """
        self.listeners.stop_accepting()
        self._cancel_rewatch()
        self._stop_monitor()
        self._apply(self.machine.shutdown())
        self._fail_waiters(LazyJobError(f"job {self.name} is shutting down"))
        await self.listeners.close_forwarders()
        while self._tasks:
            await asyncio.gather(*tuple(self._tasks), return_exceptions=True)
        self.listeners.close_activated()
        self._timers.cancel_all()

    # -- API requests (the original cannot control lazy jobs at all) ----------------------------
    def start_process(self) -> None:
        """Start the process without waiting for a connection."""
        self._apply(self.machine.activate())

    def stop_process(self) -> None:
        """Stop the process; the next connection starts it again."""
        self._apply(self.machine.deactivate())

    def restart_process(self) -> None:
        self._apply(self.machine.restart())

    def forward_signal(self, signum: int) -> None:
        """Pass a signal mittnite received on to the process group, if a process runs."""
        if self.machine.running:
            self.process.signal(signum)

    @property
    def running(self) -> bool:
        return self.machine.running

    @property
    def pid(self) -> int | None:
        """The process id while a process runs (the API's status ``pid``)."""
        return getattr(self.process, "pid", None) if self.machine.running else None

    def _track_phase(self) -> None:
        """Map the machine's state to the original's phase names, for the API.

        Lazy jobs have no phases in the original (they are invisible to its API);
        ``awaitingConnection`` is the original's name, defined but never used, for
        exactly the state of a lazy job without a process.
        """
        if self.machine.running:
            reason = Phase.STARTED
        elif self.machine.state == LazyState.STARTING:
            reason = Phase.UNKNOWN
        elif self.machine.shutting_down:
            reason = Phase.STOPPED
        else:
            reason = "awaitingConnection"
        if reason != self.phase:
            self.phase = reason
            self.phase_changed_at = self.machine.clock.wall()

    # -- hooks of the listeners -------------------------------------------------------------
    def _opened(self) -> None:
        self._apply(self.machine.connection_opened())

    def _closed(self) -> None:
        self._apply(self.machine.connection_closed())

    def _reached(self) -> None:
        self._apply(self.machine.upstream_reached())

    async def _ensure_upstream(self) -> None:
        """Make sure a process exists (starting one if needed) before the dial.

        Raises ``LazyJobError`` (the forwarder closes the client and logs it) during
        shutdown, in start-up back-off, or when the start fails. Once this returns, the
        connection's task is remembered until it is done: if the process ends on its
        own meanwhile, the dial is cancelled and the client closed at once, rather than
        dialling a dead process until ``spinUpTimeout``.
        """
        actions = self.machine.process_needed()
        self._apply(actions)
        for action in actions:
            if isinstance(action, Refuse):
                raise LazyJobError(action.reason)
        if self.machine.shutting_down:
            raise LazyJobError(f"job {self.name} is shutting down")
        if self.machine.state != LazyState.RUNNING:
            if self._ready is None:
                self._ready = asyncio.get_running_loop().create_future()
                self._ready.add_done_callback(_consume)
            # Shielded: one waiter hitting its deadline must not cancel the others' start.
            await asyncio.shield(self._ready)
        task = asyncio.current_task()
        if task is not None:
            self._dialling.add(task)
            task.add_done_callback(self._dialling.discard)

    # -- activated sockets -------------------------------------------------------------------
    def _watch(self) -> None:
        """Wait for a connection on the activated sockets, while no process runs."""
        self._cancel_rewatch()
        if (
            self.activated is None
            or self.machine.shutting_down
            or self.machine.state != LazyState.IDLE
        ):
            return
        self.activated.watch(self._pending)

    def _watch_after_drain(self) -> None:
        """Watch again; after a pause if connections are still queued: a drain that could
        not accept them (out of descriptors) must not turn into a busy loop."""
        assert self.activated is not None
        if self.activated.pending():
            self._cancel_rewatch()
            loop = asyncio.get_running_loop()
            self._rewatch = loop.call_later(_REWATCH_PAUSE, self._watch)
        else:
            self._watch()

    def _cancel_rewatch(self) -> None:
        if self._rewatch is not None:
            self._rewatch.cancel()
            self._rewatch = None

    def _pending(self, _index: int) -> None:
        """A connection waits on an activated socket: it needs the process."""
        actions = self.machine.process_needed()
        self._apply(actions)
        for action in actions:
            if isinstance(action, Refuse):
                self._drain(action.reason)  # back-off: do not leave it hanging
                self._watch_after_drain()
                return

    def _drain(self, reason: str) -> None:
        """Close the connections queued for a process that will not come now."""
        assert self.activated is not None
        closed = self.activated.drain()
        if closed:
            self.log.log(
                "error", "closed queued connections", {"connections": closed, "error": reason}
            )

    def _virtual(self, busy: bool) -> None:
        """The activated sockets' activity, as one connection opening and closing."""
        if busy == self._virtual_open:
            return
        self._virtual_open = busy
        if busy:
            self._apply(self.machine.connection_opened())
        else:
            self._apply(self.machine.connection_closed())

    def _start_monitor(self) -> None:
        assert self.activated is not None
        if self.monitor is None:
            self.monitor = ActivityMonitor(
                self.activated.sockets,
                interval=self.sample_interval,
                on_busy=lambda: self._virtual(True),
                on_idle=lambda: self._virtual(False),
            )
        self.monitor.start()

    def _stop_monitor(self) -> None:
        if self.monitor is not None:
            self.monitor.stop()

    # -- reports of the process control -------------------------------------------------------
    def _exited(self, success: bool, description: str) -> None:
        if self.monitor is not None and self.monitor.running:
            self.monitor.stop()
            if self.monitor.served:  # the job accepted connections: it works
                self._apply(self.machine.upstream_reached())
        self._apply(self.machine.exited(success, description))
        self._virtual(False)
        if self.machine.state == LazyState.IDLE:
            self._fail_waiters(
                LazyJobError(f"job {self.name} terminated before it could serve: {description}")
            )
            self._activated_idle(f"job {self.name} terminated: {description}")

    def _activated_idle(self, reason: str) -> None:
        """No process any more: close what is queued if new starts are held off, watch."""
        if self.activated is None or self.machine.shutting_down:
            return
        if self.machine.holding_off:
            self._drain(reason)
            self._watch_after_drain()
        else:
            self._watch()  # a connection already queued starts the job again at once

    async def _start_process(self) -> None:
        try:
            if self.activated is not None:
                await self.process.start(self.activated.handoff())
            else:
                await self.process.start()
        except Exception as error:
            self._apply(self.machine.start_failed(str(error)))
            self._fail_waiters(LazyJobError(f"failed to start job {self.name}: {error}"))
            if self.machine.state == LazyState.IDLE:
                self._activated_idle(f"failed to start job {self.name}: {error}")
            return
        if self.activated is not None:
            self._virtual(True)  # the connection that started it waits in the queue
        self._apply(self.machine.started())
        if self.machine.state == LazyState.RUNNING:
            ready, self._ready = self._ready, None
            if ready is not None and not ready.done():
                ready.set_result(None)
            if self.activated is not None:
                self._start_monitor()

    def _fail_waiters(self, error: Exception) -> None:
        ready, self._ready = self._ready, None
        if ready is not None and not ready.done():
            ready.set_exception(error)

    # -- carrying out actions -------------------------------------------------------------------
    def _apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, StartProcess):
                if self.activated is not None:
                    self._cancel_rewatch()
                    self.activated.unwatch()  # the job accepts now; mittnite must not spin
                self._spawn_task(self._start_process())
            elif isinstance(action, StopProcess):
                self._stop_monitor()
                self._spawn_task(self.process.stop())
            elif isinstance(action, StartTimer):
                self._timers.start(action.name, action.delay)
            elif isinstance(action, CancelTimer):
                self._timers.cancel(action.name)
            elif isinstance(action, Log):
                self.log.log(action.level, action.msg, action.fields)
            elif isinstance(action, AbortDials):
                self._fail_waiters(LazyJobError(action.reason))
                for task in tuple(self._dialling):
                    task.cancel()  # the forwarder closes the client (its cancellation path)
                self._dialling.clear()
        self._track_phase()

    def _spawn_task(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            await work

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.log.log("error", f"lazy job {self.name}: {task.exception()}")



_MIN_SAMPLE = 0.05  # seconds between activity samples, at least ...
_MAX_SAMPLE = 1.0  # ... and at most
_REWATCH_PAUSE = 0.1  # before watching sockets whose queue could not be drained


def _consume(future: asyncio.Future[None]) -> None:
    """Mark a waiter future's exception as seen (its waiters may all have given up)."""
    if not future.cancelled():
        with contextlib.suppress(Exception):
            future.exception()

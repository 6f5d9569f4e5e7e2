"""Jobs that wait for each other (``after = [...]``), as a pure dependency-graph machine.

The machine knows every node of the run (jobs, lazy jobs, boot jobs, one-time jobs) and
the ``after`` edges between them. The supervisor feeds it what happens to each node
(started, ready, not ready, completed, failed, stopped) and carries out what it answers:
start a node whose dependencies are all satisfied, fail a node whose dependency failed,
stop nodes in reverse dependency order at shutdown, log progress while a node waits.
It never touches the OS and reads time only through the injected clock, so every rule
below is tested in milliseconds.

When is a dependency *satisfied*?

* a job: it runs and is ready (without a ``readiness`` block: as soon as it started);
* a lazy job: its listeners are open (ready = listening);
* a one-time job or a boot job: it completed (exited 0). If it failed instead, every
  node still waiting for it fails too, with a message naming the dependency; so do their
  own waiting dependents, transitively.

A dependent is started the moment its last dependency becomes satisfied: the action is
the answer to that very event, no polling. It waits as long as it takes and says so
every ``report_interval`` (10 s, as the probe wait does). Gating governs *starting*
(the initial start and start requests from the API); a dependency that becomes
unready later, or restarts, does not stop dependents already running, and a
dependent's own crash-loop restarts are not gated again (its job machine owns those).

Shutdown follows the reverse order: a node is told to stop once none of its dependents
is active any more (starting, running or ready), so the stop is as parallel as the graph
allows and driven by ``stopped`` events.

Wiring (:mod:`mittnite.supervisor.jobs`, the config side in :mod:`mittnite.config.validate`):

* the config layer builds one :class:`Node` per job/lazy job/boot job/one-time job and
  calls :func:`check_graph` in ``validate``; each :class:`Problem` names the dependent
  (whose ``after`` entry gives the source position) and the dependency;
* the supervisor creates one :class:`DependencyMachine` for the run, reports boot
  outcomes with ``completed``/``failed``, calls ``begin()`` where it now starts every
  job, and translates actions: :class:`Start` → ``SupervisedJob.start()`` or
  ``LazyJob.start()`` (opening listeners), :class:`Fail` → fail the job with the message
  (fatal unless ``canFail``), :class:`Stop` → ``shutdown()`` of that job,
  ``StartTimer``/``CancelTimer``/``Log`` as for the job machine;
* it feeds: process spawned → ``started``; readiness check passed/failed →
  ``ready``/``not_ready``; a job entering back-off → ``not_ready``; one-time job exited 0
  → ``completed``; ``Finished("failed")`` → ``failed``; ``Finished("stopped"|"shutdown")``
  → ``stopped``; API start → ``request_start``; SIGTERM → ``shutdown``.
"""

from __future__ import annotations

from ..config.record import record
from .job import Action, CancelTimer, Log, StartTimer, go_seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .clock import Clock

__all__ = [
    "REPORT_INTERVAL",
    "DependencyMachine",
    "Fail",
    "GraphError",
    "Node",
    "NodeKind",
    "NodeState",
    "Problem",
    "Start",
    "Stop",
    "check_graph",
    "start_layers",
    "stop_layers",
    "wait_timer",
]

REPORT_INTERVAL = 10.0
"""Seconds between two "still waiting for dependencies" lines of one node."""


class NodeKind:
    """What a node is; decides what "satisfied" means and who starts it."""

    JOB = "job"
    LAZY = "lazy"
    BOOT = "boot"
    ONE_TIME = "oneTime"

    ALL = (JOB, LAZY, BOOT, ONE_TIME)


_KIND_WORDS = {
    NodeKind.JOB: "job",
    NodeKind.LAZY: "lazy job",
    NodeKind.BOOT: "boot job",
    NodeKind.ONE_TIME: "one-time job",
}


@record
class Node:
    """One participant of the graph, as the config layer describes it.

    ``after`` lists the names this node waits for, in the order written. ``readiness``
    says whether a readiness check decides when the node is ready; without one a job is
    ready as soon as it started (as today). (A record, not a dataclass: this module is
    on every ``mittnite up``'s start-up path, and frozen dataclasses cost a millisecond
    each to define.)
    """

    name: str
    kind: str = NodeKind.JOB
    after: tuple[str, ...] = ()
    readiness: bool = False


@record
class Problem:
    """Something wrong with the graph; names both ends of the offending edge.

    ``dependent`` wrote ``after = [..., dependency, ...]``; the config layer points at
    that entry. ``cycle`` is the whole loop (first name repeated at the end) for cycles.
    """

    severity: str
    dependent: str
    dependency: str
    message: str
    cycle: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


class GraphError(ValueError):
    """The machine was given a graph with errors (``validate`` should have caught them)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def _label(node: Node) -> str:
    return f'{_KIND_WORDS[node.kind]} "{node.name}"'


def check_graph(nodes: Iterable[Node]) -> list[Problem]:
    """Every problem of the graph: unknown names, self-references, cycles, bad kinds.

    Errors: a name that is no node (with a suggestion when one is close), a node that
    runs after itself, a cycle (reported once, at the edge that closes it), and a boot
    job that waits for something other than a boot job (boot jobs finish before any job
    starts). Warning: a name listed twice in one ``after``.
    """
    graph = _index(nodes)
    problems: list[Problem] = []
    for node in graph.values():
        seen: set[str] = set()
        for name in node.after:
            if name in seen:
                problems.append(
                    Problem(
                        "warning",
                        node.name,
                        name,
                        f'{_label(node)} lists "{name}" twice in after; once is enough',
                    )
                )
                continue
            seen.add(name)
            problems.extend(_edge_problems(graph, node, name))
    problems.extend(_cycle_problems(graph))
    return problems


def _index(nodes: Iterable[Node]) -> dict[str, Node]:
    graph: dict[str, Node] = {}
    for node in nodes:
        if node.kind not in NodeKind.ALL:
            raise ValueError(f"unknown node kind {node.kind!r}")
        graph.setdefault(node.name, node)  # first definition wins, as for jobs
    return graph


def _edge_problems(graph: dict[str, Node], node: Node, name: str) -> list[Problem]:
    if name == node.name:
        return [Problem("error", node.name, name, f"{_label(node)} cannot run after itself")]
    target = graph.get(name)
    if target is None:
        message = f'{_label(node)} runs after "{name}", but there is no job of that name'
        import difflib  # only on this error path

        close = difflib.get_close_matches(name, list(graph), n=1)
        if close:
            message += f'; did you mean "{close[0]}"?'
        return [Problem("error", node.name, name, message)]
    if node.kind == NodeKind.BOOT and target.kind != NodeKind.BOOT:
        return [
            Problem(
                "error",
                node.name,
                name,
                f"{_label(node)} cannot run after {_label(target)}: "
                "boot jobs finish before any job starts",
            )
        ]
    return []


def _cycle_problems(graph: dict[str, Node]) -> list[Problem]:
    """One problem per cycle found by a depth-first walk (iterative: deep graphs are fine)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    problems: list[Problem] = []
    for root in graph:
        if colour[root] != white:
            continue
        path: list[str] = [root]
        iterators = [iter(_known_edges(graph, root))]
        colour[root] = grey
        while iterators:
            step = next(iterators[-1], None)
            if step is None:
                colour[path.pop()] = black
                iterators.pop()
                continue
            if colour[step] == grey:
                loop = (*path[path.index(step) :], step)
                dependent, dependency = path[-1], step
                arrows = " → ".join(loop)
                problems.append(
                    Problem(
                        "error",
                        dependent,
                        dependency,
                        f'{_label(graph[dependent])} runs after "{dependency}", which '
                        f"(indirectly) runs after it: dependency cycle {arrows}",
                        cycle=loop,
                    )
                )
            elif colour[step] == white:
                colour[step] = grey
                path.append(step)
                iterators.append(iter(_known_edges(graph, step)))
    return problems


def _known_edges(graph: dict[str, Node], name: str) -> list[str]:
    """Dependencies that exist and are not the node itself (those are reported apart)."""
    return [dep for dep in dict.fromkeys(graph[name].after) if dep in graph and dep != name]


def start_layers(nodes: Iterable[Node]) -> list[list[str]]:
    """Nodes grouped so each group only depends on earlier groups (graph must be valid)."""
    graph = _index(nodes)
    depth: dict[str, int] = {}
    for name in graph:
        _depth(graph, name, depth)
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in graph:
        layers[depth[name]].append(name)
    return layers


def stop_layers(nodes: Iterable[Node]) -> list[list[str]]:
    """The shutdown order: dependents first, what they depend on last."""
    return list(reversed(start_layers(nodes)))


def _depth(graph: dict[str, Node], name: str, depth: dict[str, int]) -> int:
    stack = [name]
    while stack:
        current = stack[-1]
        if current in depth:
            stack.pop()
            continue
        pending = [dep for dep in _known_edges(graph, current) if dep not in depth]
        if pending:
            if any(dep in stack for dep in pending):
                raise GraphError(check_graph(graph.values()))
            stack.extend(pending)
            continue
        depth[current] = 1 + max((depth[dep] for dep in _known_edges(graph, current)), default=-1)
        stack.pop()
    return depth[name]


# ---- actions ---------------------------------------------------------------------------


class Start(Action):
    """Start the node now (a lazy job: open its listeners); ``started`` follows."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Stop(Action):
    """Shutdown: stop the node now (all its dependents are gone); ``stopped`` follows."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Fail(Action):
    """The node will not start because a dependency failed; ``message`` says which."""

    __slots__ = ("message", "name")

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message


def wait_timer(name: str) -> str:
    """The name of the progress timer of a waiting node (``timer_fired`` gets it back)."""
    return f"after:{name}"


# ---- the machine -------------------------------------------------------------------------


class NodeState:
    """Where a node is, as far as ordering cares."""

    IDLE = "idle"  # not started (not requested yet, or waiting for dependencies)
    STARTING = "starting"  # Start issued, started() not reported yet
    RUNNING = "running"  # started, not ready (or between restarts)
    READY = "ready"
    COMPLETED = "completed"
    FAILED = "failed"
    STOPPED = "stopped"

    ACTIVE = frozenset({STARTING, RUNNING, READY})


class _Entry:
    __slots__ = ("dependents", "node", "reason", "requested", "state", "stop_sent", "waiting_since")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.state = NodeState.IDLE
        self.requested = False
        """Wants to run: begin()/request_start() happened and it has not started yet."""
        self.reason = ""
        """Why it is not ready or failed, for people (``/readyz``, progress lines)."""
        self.waiting_since: float | None = None
        self.stop_sent = False
        self.dependents: list[str] = []


class DependencyMachine:
    """Gates starts on dependencies and orders shutdown. One event at a time; no I/O."""

    def __init__(
        self,
        nodes: Iterable[Node],
        *,
        clock: Clock,
        report_interval: float = REPORT_INTERVAL,
    ) -> None:
        node_list = list(nodes)
        errors = [p for p in check_graph(node_list) if p.severity == "error"]
        if errors:
            raise GraphError(errors)
        self.clock = clock
        self.report_interval = report_interval
        self.shutting_down = False
        self._entries: dict[str, _Entry] = {}
        for node in node_list:
            self._entries.setdefault(node.name, _Entry(node))
        for entry in self._entries.values():
            for dep in dict.fromkeys(entry.node.after):
                self._entries[dep].dependents.append(entry.node.name)

    # -- queries ---------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self._entries)

    def state(self, name: str) -> str:
        return self._entry(name).state

    def reason(self, name: str) -> str:
        return self._entry(name).reason

    def node(self, name: str) -> Node:
        return self._entry(name).node

    def satisfied(self, name: str) -> bool:
        """Whether ``name`` lets its dependents start right now."""
        entry = self._entry(name)
        if entry.node.kind in (NodeKind.BOOT, NodeKind.ONE_TIME):
            return entry.state == NodeState.COMPLETED
        return entry.state == NodeState.READY

    def waiting_for(self, name: str) -> list[str]:
        """Dependencies of ``name`` that are not satisfied, in ``after`` order."""
        entry = self._entry(name)
        return [dep for dep in dict.fromkeys(entry.node.after) if not self.satisfied(dep)]

    def is_waiting(self, name: str) -> bool:
        """Requested but held back by dependencies."""
        entry = self._entry(name)
        return entry.requested and entry.state == NodeState.IDLE and entry.waiting_since is not None

    def missing(self) -> list[str]:
        """What keeps the run from being ready, one line per node (``/readyz``)."""
        lines: list[str] = []
        for name, entry in self._entries.items():
            if entry.node.kind == NodeKind.BOOT or self.satisfied(name):
                continue
            lines.append(f"{_KIND_WORDS[entry.node.kind]} {name}: {self.describe(name)}")
        return lines

    def describe(self, name: str) -> str:
        """A node's situation in a few words: ``not ready: connection refused``."""
        entry = self._entry(name)
        state = entry.state
        if state == NodeState.IDLE:
            if self.is_waiting(name):
                return "waiting for " + self._pending_text(name)
            return "not done" if entry.node.kind == NodeKind.BOOT else "not started"
        if state == NodeState.RUNNING:
            if entry.node.kind == NodeKind.ONE_TIME:
                return "running, not completed yet"
            return f"not ready: {entry.reason}" if entry.reason else "not ready"
        if state == NodeState.FAILED and entry.reason:
            return f"failed: {entry.reason}"
        return state

    # -- events ------------------------------------------------------------------------------
    def begin(self) -> list[Action]:
        """The jobs phase starts: request every job, lazy job and one-time job."""
        actions: list[Action] = []
        for name, entry in self._entries.items():
            if entry.node.kind != NodeKind.BOOT and entry.state == NodeState.IDLE:
                actions += self.request_start(name)
        return actions

    def request_start(self, name: str) -> list[Action]:
        """Start ``name`` once its dependencies allow (boot, API start, relaunch)."""
        entry = self._entry(name)
        if self.shutting_down or entry.node.kind == NodeKind.BOOT:
            return []
        if entry.state in NodeState.ACTIVE:
            return []
        entry.requested = True
        entry.state = NodeState.IDLE
        return self._try_start(name)

    def started(self, name: str) -> list[Action]:
        """A process of ``name`` was spawned (a lazy job: its listeners are open)."""
        entry = self._entry(name)
        self._leave_waiting(entry)
        entry.reason = ""
        auto_ready = entry.node.kind == NodeKind.LAZY or (
            entry.node.kind == NodeKind.JOB and not entry.node.readiness
        )
        if auto_ready:
            return self._become_ready(entry)
        entry.state = NodeState.RUNNING
        return []

    def ready(self, name: str) -> list[Action]:
        """The readiness check of ``name`` passed (or READY=1 arrived)."""
        entry = self._entry(name)
        if entry.state not in (NodeState.RUNNING, NodeState.READY, NodeState.STARTING):
            return []
        return self._become_ready(entry)

    def not_ready(self, name: str, reason: str = "") -> list[Action]:
        """``name`` is not (or no longer) ready: check failed, process exited, back-off."""
        entry = self._entry(name)
        entry.reason = reason
        if entry.state in (NodeState.READY, NodeState.STARTING):
            entry.state = NodeState.RUNNING
        return []

    def completed(self, name: str) -> list[Action]:
        """A one-time or boot job exited 0 (other kinds: they ended, as ``stopped``)."""
        entry = self._entry(name)
        if entry.node.kind not in (NodeKind.ONE_TIME, NodeKind.BOOT):
            return self.stopped(name)
        self._leave_waiting(entry)
        entry.state = NodeState.COMPLETED
        entry.reason = ""
        entry.requested = False
        actions = self._after_inactive(entry)
        return actions + self._wake_dependents(name)

    def failed(self, name: str, reason: str = "") -> list[Action]:
        """``name`` gave up for good; dependents still waiting for it fail too."""
        entry = self._entry(name)
        actions: list[Action] = []
        if self._leave_waiting(entry):
            actions.append(CancelTimer(wait_timer(name)))
        entry.state = NodeState.FAILED
        entry.reason = reason
        entry.requested = False
        actions += self._after_inactive(entry)
        if not self.shutting_down:
            actions += self._fail_dependents(name)
        return actions

    def stopped(self, name: str) -> list[Action]:
        """``name`` was stopped (API stop, or the Stop of a shutdown) and runs no more."""
        entry = self._entry(name)
        actions: list[Action] = []
        if self._leave_waiting(entry):
            actions.append(CancelTimer(wait_timer(name)))
        entry.state = NodeState.STOPPED
        entry.requested = False
        return actions + self._after_inactive(entry)

    def shutdown(self) -> list[Action]:
        """mittnite stops: nothing starts any more; stop nodes dependents first."""
        self.shutting_down = True
        actions: list[Action] = []
        for name, entry in self._entries.items():
            entry.requested = False
            if self._leave_waiting(entry):
                actions.append(CancelTimer(wait_timer(name)))
        return actions + self._stops()

    def timer_fired(self, timer: str) -> list[Action]:
        """A progress timer: say what ``name`` still waits for, and re-arm."""
        name = timer.partition(":")[2]
        if wait_timer(name) != timer or name not in self._entries:
            return []
        entry = self._entries[name]
        if not self.is_waiting(name) or entry.waiting_since is None:
            return []
        waited = self.clock.monotonic() - entry.waiting_since
        return [
            Log(
                "info",
                "still waiting for dependencies",
                {
                    "job.name": name,
                    "pending": self._pending_text(name),
                    "waited": go_seconds(round(waited)),
                },
            ),
            StartTimer(timer, self.report_interval),
        ]

    # -- internals -----------------------------------------------------------------------------
    def _entry(self, name: str) -> _Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise ValueError(f"no node named {name!r} in the dependency graph") from None

    def _try_start(self, name: str) -> list[Action]:
        entry = self._entries[name]
        failed = [dep for dep in entry.node.after if self.state(dep) == NodeState.FAILED]
        if failed:
            return self._fail(entry, failed[0])
        pending = self.waiting_for(name)
        if not pending:
            actions: list[Action] = []
            if entry.waiting_since is not None:
                waited = self.clock.monotonic() - entry.waiting_since
                actions += [
                    CancelTimer(wait_timer(name)),
                    Log(
                        "info",
                        "dependencies ready",
                        {"job.name": name, "waited": _short_seconds(waited)},
                    ),
                ]
                entry.waiting_since = None
            entry.requested = False
            entry.state = NodeState.STARTING
            entry.stop_sent = False
            return [*actions, Start(name)]
        if entry.waiting_since is not None:
            return []
        entry.waiting_since = self.clock.monotonic()
        return [
            Log(
                "info",
                "waiting for dependencies",
                {"job.name": name, "pending": self._pending_text(name)},
            ),
            StartTimer(wait_timer(name), self.report_interval),
        ]

    def _fail(self, entry: _Entry, dependency: str) -> list[Action]:
        name = entry.node.name
        actions: list[Action] = []
        if self._leave_waiting(entry):
            actions.append(CancelTimer(wait_timer(name)))
        dep = self._entries[dependency]
        why = f": {dep.reason}" if dep.reason else ""
        message = (
            f'{_label(entry.node)} will not start: it runs after "{dependency}", which failed{why}'
        )
        entry.state = NodeState.FAILED
        entry.reason = f'dependency "{dependency}" failed'
        entry.requested = False
        actions += [Log("error", message, {"job.name": name}), Fail(name, message)]
        return actions + self._fail_dependents(name)

    def _fail_dependents(self, name: str) -> list[Action]:
        actions: list[Action] = []
        for dependent in self._entries[name].dependents:
            entry = self._entries[dependent]
            if entry.requested and entry.state == NodeState.IDLE:
                actions += self._fail(entry, name)
        return actions

    def _wake_dependents(self, name: str) -> list[Action]:
        if self.shutting_down:
            return []
        actions: list[Action] = []
        for dependent in self._entries[name].dependents:
            entry = self._entries[dependent]
            if entry.requested and entry.state == NodeState.IDLE:
                actions += self._try_start(dependent)
        return actions

    def _become_ready(self, entry: _Entry) -> list[Action]:
        entry.state = NodeState.READY
        entry.reason = ""
        return self._wake_dependents(entry.node.name)

    def _leave_waiting(self, entry: _Entry) -> bool:
        """Forget that the node waits; True when a progress timer needs cancelling."""
        was_waiting = entry.waiting_since is not None
        entry.waiting_since = None
        return was_waiting

    def _after_inactive(self, entry: _Entry) -> list[Action]:
        entry.stop_sent = False
        return self._stops() if self.shutting_down else []

    def _stops(self) -> list[Action]:
        """Stop every active node none of whose dependents is still active."""
        actions: list[Action] = []
        for name, entry in self._entries.items():
            if entry.state not in NodeState.ACTIVE or entry.stop_sent:
                continue
            if any(self._entries[d].state in NodeState.ACTIVE for d in entry.dependents):
                continue
            entry.stop_sent = True
            actions.append(Stop(name))
        return actions

    def _pending_text(self, name: str) -> str:
        parts = []
        for dep in self.waiting_for(name):
            what = "waiting itself" if self.is_waiting(dep) else self.describe(dep)
            parts.append(f"{dep} ({what})")
        return ", ".join(parts)


def _short_seconds(seconds: float) -> str:
    """``0s`` is unhelpful for a short wait: milliseconds below a second."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    return go_seconds(round(seconds))

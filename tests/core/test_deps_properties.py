"""Properties of the dependency machine under random graphs and random event orders.

A small simulated world plays the supervisor: it carries out the machine's actions and
reports random (but possible) events back. The world, not the machine, is the judge of
what was true when an action was issued.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.core.clock import FakeClock
from mittnite.core.deps import DependencyMachine, Fail, Node, NodeKind, Start, Stop, wait_timer
from mittnite.core.job import Action

EXAMPLES = int(os.environ.get("MITTNITE_FUZZ_EXAMPLES", "200"))
ACTIVE = {"starting", "running", "ready"}


@st.composite
def graphs(draw: st.DrawFn) -> list[Node]:
    count = draw(st.integers(1, 8))
    nodes: list[Node] = []
    for index in range(count):
        kind = draw(st.sampled_from(NodeKind.ALL))
        candidates = [n.name for n in nodes if kind != NodeKind.BOOT or n.kind == NodeKind.BOOT]
        after: list[str] = []
        if candidates:
            after = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3))
        nodes.append(Node(f"n{index}", kind, tuple(after), draw(st.booleans())))
    return draw(st.permutations(nodes))


class World:
    """What really happened to each node; checks every action against it."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = {n.name: n for n in nodes}
        self.state = dict.fromkeys(self.nodes, "idle")
        self.dependents = {name: [n.name for n in nodes if name in n.after] for name in self.nodes}
        self.stop_sent: set[str] = set()
        self.shutting_down = False
        self.started_ever: set[str] = set()
        self.failed_by_dependency: set[str] = set()

    def satisfied(self, name: str) -> bool:
        if self.nodes[name].kind in (NodeKind.BOOT, NodeKind.ONE_TIME):
            return self.state[name] == "completed"
        return self.state[name] == "ready"

    def apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Start):
                name = action.name
                assert not self.shutting_down, f"{name} started during shutdown"
                assert self.state[name] not in ACTIVE, f"{name} started twice"
                assert self.nodes[name].kind != NodeKind.BOOT
                unmet = [d for d in self.nodes[name].after if not self.satisfied(d)]
                assert not unmet, f"{name} started before {unmet} were ready"
                self.state[name] = "starting"
                self.started_ever.add(name)
            elif isinstance(action, Stop):
                name = action.name
                assert self.shutting_down
                assert self.state[name] in ACTIVE
                busy = [d for d in self.dependents[name] if self.state[d] in ACTIVE]
                assert not busy, f"{name} stopped while its dependents {busy} still run"
                assert name not in self.stop_sent, f"{name} stopped twice"
                self.stop_sent.add(name)
            elif isinstance(action, Fail):
                name = action.name
                assert self.state[name] not in ACTIVE
                failed = [d for d in self.nodes[name].after if self.state[d] == "failed"]
                assert failed, f"{name} failed without a failed dependency"
                assert any(f'"{d}"' in action.message for d in failed)
                self.state[name] = "failed"
                self.failed_by_dependency.add(name)

    def possible_events(self) -> list[tuple[str, str]]:
        events: list[tuple[str, str]] = []
        for name, state in self.state.items():
            kind = self.nodes[name].kind
            if state == "starting":
                events.append(("started", name))
            if state == "running":
                events += [("not_ready", name), ("failed", name)]
                if kind == NodeKind.ONE_TIME:
                    events.append(("completed", name))
                elif self.nodes[name].readiness:
                    events.append(("ready", name))
            if state == "ready":
                events += [("not_ready", name), ("failed", name)]
                if not self.shutting_down:
                    events.append(("stopped", name))
            if state in ("stopped", "failed") and kind != NodeKind.BOOT:
                events.append(("request_start", name))
            if state in ACTIVE and name in self.stop_sent:
                events.append(("stopped", name))
            events.append(("timer", name))
        return events

    def feed(self, machine: DependencyMachine, event: str, name: str) -> None:
        kind = self.nodes[name].kind
        if event == "timer":
            self.apply(machine.timer_fired(wait_timer(name)))
            return
        if event == "request_start":
            self.apply(machine.request_start(name))
            return
        if event == "started":
            auto = kind == NodeKind.LAZY or (
                kind == NodeKind.JOB and not self.nodes[name].readiness
            )
            self.state[name] = "ready" if auto else "running"
        elif event == "ready":
            self.state[name] = "ready"
        elif event == "not_ready":
            self.state[name] = "running"
        elif event in ("completed", "failed", "stopped"):
            self.state[name] = event
            self.stop_sent.discard(name)
        self.apply(getattr(machine, event)(name))


def report_boot_jobs(world: World, machine: DependencyMachine, outcomes: st.DataObject) -> None:
    for name, node in world.nodes.items():
        if node.kind == NodeKind.BOOT:
            world.feed(machine, outcomes.draw(st.sampled_from(["completed", "failed"])), name)


@settings(max_examples=EXAMPLES, deadline=None)
@given(graphs(), st.data())
def test_no_start_before_dependencies_and_reverse_stop_order(
    nodes: list[Node], data: st.DataObject
) -> None:
    world = World(nodes)
    machine = DependencyMachine(nodes, clock=FakeClock())
    report_boot_jobs(world, machine, data)
    world.apply(machine.begin())
    for _ in range(data.draw(st.integers(0, 40))):
        events = world.possible_events()
        event, name = data.draw(st.sampled_from(events))
        world.feed(machine, event, name)

    world.shutting_down = True
    world.apply(machine.shutdown())
    for _ in range(200):
        pending = [(e, n) for e, n in world.possible_events() if e in ("started", "stopped")]
        if not pending:
            break
        event, name = data.draw(st.sampled_from(pending))
        world.feed(machine, event, name)
    still_active = [n for n, s in world.state.items() if s in ACTIVE]
    assert still_active == [], f"shutdown left {still_active} running"


@settings(max_examples=EXAMPLES, deadline=None)
@given(graphs(), st.data())
def test_everything_starts_when_everything_succeeds(nodes: list[Node], data: st.DataObject) -> None:
    world = World(nodes)
    machine = DependencyMachine(nodes, clock=FakeClock())
    for name, node in world.nodes.items():
        if node.kind == NodeKind.BOOT:
            world.feed(machine, "completed", name)
    world.apply(machine.begin())
    for _ in range(10 * len(nodes) + 10):
        progress = [
            (e, n) for e, n in world.possible_events() if e in ("started", "ready", "completed")
        ]
        if not progress:
            break
        event, name = data.draw(st.sampled_from(progress))
        world.feed(machine, event, name)
    unstarted = [
        n
        for n, node in world.nodes.items()
        if node.kind != NodeKind.BOOT and n not in world.started_ever
    ]
    assert unstarted == []
    assert machine.missing() == []


@settings(max_examples=EXAMPLES, deadline=None)
@given(graphs(), st.data())
def test_a_failed_dependency_fails_every_waiting_dependent(
    nodes: list[Node], data: st.DataObject
) -> None:
    world = World(nodes)
    machine = DependencyMachine(nodes, clock=FakeClock())
    for name, node in world.nodes.items():
        if node.kind == NodeKind.BOOT:
            world.feed(machine, "failed", name)
    world.apply(machine.begin())
    # Every started node ends up failed; whatever never started must have been failed
    # for its dependency's sake, never left waiting forever.
    for _ in range(10 * len(nodes) + 10):
        progress = [(e, n) for e, n in world.possible_events() if e in ("started", "failed")]
        if not progress:
            break
        event, name = data.draw(st.sampled_from(progress))
        world.feed(machine, event, name)
    for name, node in world.nodes.items():
        if node.kind != NodeKind.BOOT and name not in world.started_ever:
            assert world.state[name] == "failed"
            assert name in world.failed_by_dependency
            assert not machine.is_waiting(name)

"""The dependency-graph machine: validation, gating, failure propagation, shutdown order."""

from __future__ import annotations

import pytest

from mittnite.core.clock import FakeClock
from mittnite.core.deps import (
    DependencyMachine,
    Fail,
    GraphError,
    Node,
    NodeKind,
    NodeState,
    Start,
    Stop,
    check_graph,
    start_layers,
    stop_layers,
    wait_timer,
)
from mittnite.core.job import Action, CancelTimer, Log, StartTimer


def starts(actions: list[Action]) -> list[str]:
    return [a.name for a in actions if isinstance(a, Start)]


def stops(actions: list[Action]) -> list[str]:
    return [a.name for a in actions if isinstance(a, Stop)]


def fails(actions: list[Action]) -> dict[str, str]:
    return {a.name: a.message for a in actions if isinstance(a, Fail)}


def log_lines(actions: list[Action]) -> list[tuple[str, dict[str, object]]]:
    return [(a.msg, a.fields) for a in actions if isinstance(a, Log)]


def app_db_migrate() -> list[Node]:
    return [
        Node("db", NodeKind.JOB, readiness=True),
        Node("migrate", NodeKind.ONE_TIME, after=("db",)),
        Node("app", NodeKind.JOB, after=("db", "migrate")),
    ]


# ---- validation ---------------------------------------------------------------------------


def test_valid_graph_has_no_problems() -> None:
    assert check_graph(app_db_migrate()) == []


def test_unknown_name_names_both_ends_and_suggests() -> None:
    problems = check_graph([Node("db"), Node("app", after=("dbb",))])
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.severity, problem.dependent, problem.dependency) == ("error", "app", "dbb")
    assert str(problem) == (
        'job "app" runs after "dbb", but there is no job of that name; did you mean "db"?'
    )


def test_self_reference_is_an_error() -> None:
    [problem] = check_graph([Node("a", after=("a",))])
    assert problem.message == 'job "a" cannot run after itself'
    assert (problem.dependent, problem.dependency) == ("a", "a")


def test_two_node_cycle_names_both_ends() -> None:
    [problem] = check_graph([Node("a", after=("b",)), Node("b", after=("a",))])
    assert problem.severity == "error"
    assert {problem.dependent, problem.dependency} == {"a", "b"}
    assert problem.cycle == ("a", "b", "a")
    assert "dependency cycle a → b → a" in problem.message


def test_longer_cycle_reported_once_with_its_path() -> None:
    nodes = [
        Node("a", after=("b",)),
        Node("b", after=("c",)),
        Node("c", after=("a",)),
        Node("d", after=("a",)),
    ]
    problems = check_graph(nodes)
    assert len(problems) == 1
    assert problems[0].cycle == ("a", "b", "c", "a")
    assert (problems[0].dependent, problems[0].dependency) == ("c", "a")


def test_two_separate_cycles_are_both_reported() -> None:
    nodes = [
        Node("a", after=("b",)),
        Node("b", after=("a",)),
        Node("x", after=("y",)),
        Node("y", after=("x",)),
    ]
    cycles = {p.cycle for p in check_graph(nodes)}
    assert cycles == {("a", "b", "a"), ("x", "y", "x")}


def test_boot_job_cannot_wait_for_a_job() -> None:
    [problem] = check_graph([Node("web"), Node("init", NodeKind.BOOT, after=("web",))])
    assert problem.message == (
        'boot job "init" cannot run after job "web": boot jobs finish before any job starts'
    )


def test_duplicate_entry_is_a_warning_only() -> None:
    [problem] = check_graph([Node("db"), Node("app", after=("db", "db"))])
    assert problem.severity == "warning"
    DependencyMachine([Node("db"), Node("app", after=("db", "db"))], clock=FakeClock())


def test_machine_refuses_a_graph_with_errors() -> None:
    with pytest.raises(GraphError) as caught:
        DependencyMachine([Node("a", after=("b",)), Node("b", after=("a",))], clock=FakeClock())
    assert caught.value.problems[0].cycle


def test_deep_chain_is_checked_without_recursion_limits() -> None:
    nodes = [Node("n0")] + [Node(f"n{i}", after=(f"n{i - 1}",)) for i in range(1, 5000)]
    assert check_graph(nodes) == []
    assert len(start_layers(nodes)) == 5000


def test_layers() -> None:
    assert start_layers(app_db_migrate()) == [["db"], ["migrate"], ["app"]]
    assert stop_layers(app_db_migrate()) == [["app"], ["migrate"], ["db"]]
    assert start_layers([Node("a"), Node("b"), Node("c", after=("a", "b"))]) == [
        ["a", "b"],
        ["c"],
    ]


# ---- gating -------------------------------------------------------------------------------


def test_app_starts_once_db_is_ready_and_migrate_completed() -> None:
    clock = FakeClock()
    machine = DependencyMachine(app_db_migrate(), clock=clock)
    actions = machine.begin()
    assert starts(actions) == ["db"]
    assert StartTimer(wait_timer("app"), 10.0) in actions
    assert log_lines(actions) == [
        ("waiting for dependencies", {"job.name": "migrate", "pending": "db (starting)"}),
        (
            "waiting for dependencies",
            {"job.name": "app", "pending": "db (starting), migrate (waiting itself)"},
        ),
    ]
    assert machine.is_waiting("app") and machine.is_waiting("migrate")

    assert machine.started("db") == []  # has a readiness check: not ready yet
    assert machine.state("db") == NodeState.RUNNING
    assert machine.not_ready("db", "connection refused") == []
    assert machine.describe("db") == "not ready: connection refused"

    clock.advance(2.5)
    actions = machine.ready("db")
    assert starts(actions) == ["migrate"]
    assert CancelTimer(wait_timer("migrate")) in actions
    assert ("dependencies ready", {"job.name": "migrate", "waited": "2s"}) in log_lines(actions)
    assert machine.waiting_for("app") == ["migrate"]

    assert machine.started("migrate") == []
    assert machine.state("migrate") == NodeState.RUNNING  # one-time: completion counts
    actions = machine.completed("migrate")
    assert starts(actions) == ["app"]
    assert machine.started("app") == []
    assert machine.state("app") == NodeState.READY  # no readiness check: ready when started
    assert machine.missing() == []


def test_job_without_readiness_is_ready_when_started() -> None:
    machine = DependencyMachine([Node("a"), Node("b", after=("a",))], clock=FakeClock())
    assert starts(machine.begin()) == ["a"]
    assert starts(machine.started("a")) == ["b"]


def test_lazy_job_is_ready_when_listening() -> None:
    nodes = [Node("web", NodeKind.LAZY, readiness=True), Node("warmup", after=("web",))]
    machine = DependencyMachine(nodes, clock=FakeClock())
    assert starts(machine.begin()) == ["web"]
    assert starts(machine.started("web")) == ["warmup"]


def test_dependency_that_is_not_ready_again_holds_back_later_starts_only() -> None:
    nodes = [Node("db", readiness=True), Node("app", after=("db",))]
    machine = DependencyMachine(nodes, clock=FakeClock())
    machine.begin()
    machine.started("db")
    assert starts(machine.ready("db")) == ["app"]
    machine.started("app")
    machine.not_ready("db", "exit status 1")  # crash: app keeps running
    assert machine.state("app") == NodeState.READY
    machine.stopped("app")  # API stop, then start: gated again
    assert starts(machine.request_start("app")) == []
    assert machine.is_waiting("app")
    machine.started("db")
    assert starts(machine.ready("db")) == ["app"]


def test_ready_before_started_and_repeated_events_start_once() -> None:
    machine = DependencyMachine(
        [Node("a", readiness=True), Node("b", after=("a",))], clock=FakeClock()
    )
    machine.begin()
    assert starts(machine.ready("a")) == ["b"]
    assert starts(machine.ready("a")) == []
    assert starts(machine.request_start("b")) == []


def test_boot_jobs_are_reported_not_started() -> None:
    nodes = [Node("init", NodeKind.BOOT), Node("app", after=("init",))]
    machine = DependencyMachine(nodes, clock=FakeClock())
    assert machine.completed("init") == []
    assert starts(machine.begin()) == ["app"]


def test_failed_boot_job_fails_its_dependents() -> None:
    nodes = [Node("init", NodeKind.BOOT), Node("app", after=("init",)), Node("other")]
    machine = DependencyMachine(nodes, clock=FakeClock())
    machine.failed("init", "exit status 2")
    actions = machine.begin()
    assert starts(actions) == ["other"]
    assert fails(actions) == {
        "app": 'job "app" will not start: it runs after "init", which failed: exit status 2'
    }
    assert machine.state("app") == NodeState.FAILED


def test_failed_one_time_job_fails_dependents_transitively() -> None:
    nodes = [
        Node("migrate", NodeKind.ONE_TIME),
        Node("app", after=("migrate",)),
        Node("worker", after=("app",)),
        Node("side"),
    ]
    machine = DependencyMachine(nodes, clock=FakeClock())
    machine.begin()
    machine.started("migrate")
    actions = machine.failed(
        "migrate", "reached max retries for job migrate; last error: exit status 1"
    )
    messages = fails(actions)
    assert set(messages) == {"app", "worker"}
    assert messages["app"].startswith(
        'job "app" will not start: it runs after "migrate", which failed'
    )
    assert "exit status 1" in messages["app"]
    assert messages["worker"] == (
        'job "worker" will not start: it runs after "app", which failed: '
        'dependency "migrate" failed'
    )
    assert (
        CancelTimer(wait_timer("app")) in actions and CancelTimer(wait_timer("worker")) in actions
    )
    assert machine.describe("app") == 'failed: dependency "migrate" failed'
    assert machine.state("side") == NodeState.STARTING


def test_progress_is_logged_every_interval_while_waiting() -> None:
    clock = FakeClock()
    machine = DependencyMachine(
        [Node("db", readiness=True), Node("app", after=("db",))], clock=clock
    )
    machine.begin()
    machine.started("db")
    machine.not_ready("db", "http: GET http://127.0.0.1:5432/health returned 503")
    clock.advance(10)
    actions = machine.timer_fired(wait_timer("app"))
    assert actions == [
        Log(
            "info",
            "still waiting for dependencies",
            {
                "job.name": "app",
                "pending": "db (not ready: http: GET http://127.0.0.1:5432/health returned 503)",
                "waited": "10s",
            },
        ),
        StartTimer(wait_timer("app"), 10.0),
    ]
    clock.advance(10)
    assert log_lines(machine.timer_fired(wait_timer("app")))[0][1]["waited"] == "20s"
    actions = machine.ready("db")
    assert starts(actions) == ["app"] and CancelTimer(wait_timer("app")) in actions
    assert machine.timer_fired(wait_timer("app")) == []  # a late timer does nothing
    assert machine.timer_fired("unrelated") == []


def test_missing_explains_what_is_not_ready() -> None:
    machine = DependencyMachine(app_db_migrate(), clock=FakeClock())
    machine.begin()
    machine.started("db")
    machine.not_ready("db", "connection refused")
    assert machine.missing() == [
        "job db: not ready: connection refused",
        "one-time job migrate: waiting for db (not ready: connection refused)",
        "job app: waiting for db (not ready: connection refused), migrate (waiting itself)",
    ]


def test_unknown_names_in_events_are_programming_errors() -> None:
    machine = DependencyMachine([Node("a")], clock=FakeClock())
    with pytest.raises(ValueError, match="no node named 'b'"):
        machine.ready("b")


# ---- shutdown -------------------------------------------------------------------------------


def running_chain() -> DependencyMachine:
    nodes = [
        Node("db"),
        Node("migrate", NodeKind.ONE_TIME, after=("db",)),
        Node("app", after=("db", "migrate")),
        Node("web", after=("app",)),
    ]
    machine = DependencyMachine(nodes, clock=FakeClock())
    machine.begin()
    machine.started("db")
    machine.started("migrate")
    machine.completed("migrate")
    machine.started("app")
    machine.started("web")
    return machine


def test_shutdown_stops_dependents_first() -> None:
    machine = running_chain()
    assert stops(machine.shutdown()) == ["web"]
    assert stops(machine.stopped("web")) == ["app"]
    assert stops(machine.stopped("app")) == ["db"]  # migrate completed: not in the way
    assert stops(machine.stopped("db")) == []


def test_shutdown_stops_independent_nodes_together_and_never_starts() -> None:
    nodes = [
        Node("a"),
        Node("b"),
        Node("c", after=("a",)),
        Node("late", after=("c",), readiness=True),
    ]
    machine = DependencyMachine(nodes, clock=FakeClock())
    machine.begin()
    machine.started("a")  # c starting (no started() yet), late waits for c
    actions = machine.shutdown()
    assert stops(actions) == ["b", "c"]
    assert CancelTimer(wait_timer("late")) in actions
    assert starts(machine.started("c")) == []  # spawn finished after shutdown began
    assert stops(machine.stopped("b")) == []
    assert stops(machine.stopped("c")) == ["a"]
    assert starts(machine.request_start("late")) == []


def test_failure_during_shutdown_fails_no_dependents() -> None:
    machine = running_chain()
    machine.shutdown()
    assert fails(machine.failed("web", "killed")) == {}
    assert stops(machine.stopped("app")) == ["db"]

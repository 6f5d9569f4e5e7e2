"""Handing listening sockets to a real job: descriptors 3.., ``LISTEN_*``, real client
addresses, a clean slate otherwise, and Go's texts when the command cannot start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from mittnite.runtime.activation import Handoff, fd_name_problem
from mittnite.runtime.goerrors import SpawnError
from mittnite.runtime.lookpath import look_path
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from ..lazy.helpers import ipv6_available, run
from ..runtime.procs import zombies_of
from ..runtime.test_cleanslate import usable
from .helpers import ask, sockets, start_job

RENUMBER = str(Path(__file__).with_name("renumber.py"))


def test_two_sockets_arrive_at_3_and_4_with_systemd_variables() -> None:
    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "admin.sock")
            activated = sockets(("127.0.0.1:0", "tcp", "web"), (path, "unix", "admin"))
            async with Reaper() as reaper:
                job = await start_job(activated, reaper)
                try:
                    report = job.report
                    assert report["LISTEN_PID"] == str(report["pid"]) == str(job.child.pid)
                    assert report["LISTEN_FDS"] == "2"
                    assert report["LISTEN_FDNAMES"] == "web:admin"
                    assert report["fds"] == [0, 1, 2, 3, 4]  # nothing else leaked in
                    assert report["pgid"] == report["pid"]  # its own process group
                    web, admin = report["sockets"]
                    port = int(activated.addresses[0].rpartition(":")[2])
                    assert web["address"] == ["127.0.0.1", port]
                    assert admin["address"] == path
                    assert web["listening"] and admin["listening"]
                    # blocking, as systemd passes them: a plain accept() must work
                    assert web["blocking"] and admin["blocking"]

                    answer, me = await ask(activated.addresses[0])
                    assert answer == {"fd": 3, "name": "web", "peer": list(me)}
                    answer, _ = await ask(path, unix=True)
                    assert (answer["fd"], answer["name"]) == (4, "admin")
                finally:
                    await job.stop()
            activated.close()
            assert not os.path.exists(path)  # the socket file goes with the sockets

    run(scenario())


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 on this host")
def test_the_job_sees_ipv6_and_ipv4_clients_of_a_dual_stack_socket() -> None:
    async def scenario() -> None:
        activated = sockets((":0", "tcp", "any"))
        port = int(activated.addresses[0].rpartition(":")[2])
        async with Reaper() as reaper:
            job = await start_job(activated, reaper)
            try:
                answer, me = await ask(f"[::1]:{port}")
                assert answer["peer"] == ["::1", me[1]]
                answer, me = await ask(f"127.0.0.1:{port}")
                assert answer["peer"] == ["::ffff:127.0.0.1", me[1]]  # what a v6 socket sees
            finally:
                await job.stop()
        activated.close()

    run(scenario())


def test_abstract_unix_socket() -> None:
    async def scenario() -> None:
        name = f"@mittnite-test-{os.getpid()}"
        activated = sockets((name, "unix", "abstract"))
        assert activated.addresses == [name]
        async with Reaper() as reaper:
            job = await start_job(activated, reaper)
            try:
                assert job.report["sockets"][0]["address"] == "\0" + name[1:]
                answer, _ = await ask(name, unix=True)
                assert answer["name"] == "abstract"
            finally:
                await job.stop()
        activated.close()

    run(scenario())


def test_inherited_listen_variables_are_replaced_and_the_environment_kept() -> None:
    async def scenario() -> None:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        env = [
            b"LISTEN_PID=1",
            b"LISTEN_FDS=7",
            b"LISTEN_FDNAMES=stale",
            b"TEST_KEPT=yes",
            b"TEST_EQUALS=a=b",
            b"PATH=" + os.environb.get(b"PATH", b"/usr/bin:/bin"),
        ]
        async with Reaper() as reaper:
            job = await start_job(activated, reaper, env=env)
            try:
                report = job.report
                assert report["LISTEN_PID"] == str(job.child.pid)
                assert (report["LISTEN_FDS"], report["LISTEN_FDNAMES"]) == ("1", "web")
                assert report["env"] == {"TEST_KEPT": "yes", "TEST_EQUALS": "a=b"}
            finally:
                await job.stop()
        activated.close()

    run(scenario())


def test_signal_state_is_a_clean_slate_for_a_non_python_job() -> None:
    """The handoff runs Python in the child; the exec'd program must not notice."""

    async def scenario() -> dict[str, str]:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        read_end, write_end = os.pipe()
        async with Reaper() as reaper:
            child = spawn(
                ["cat", "/proc/self/status"],
                handoff=activated.handoff(),
                reaper=reaper,
                stdout=write_end,
            )
            os.close(write_end)
            status = await child.exited
        with os.fdopen(read_end, "rb") as output:
            text = output.read().decode()
        activated.close()
        assert status.success
        return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)

    fields = run(scenario())
    assert usable(fields["SigBlk"]) == 0
    assert usable(fields["SigIgn"]) == 0  # SIGPIPE/SIGXFSZ back to default


@pytest.mark.parametrize("numbers", [(4, 3), (3, 4), (6, 5)])
def test_sockets_already_inside_the_target_range_are_renumbered_correctly(
    numbers: tuple[int, int],
) -> None:
    """(4, 3): each socket sits where the other must go; (6, 5): the handoff's error pipe
    would land in 3..4 and is moved above."""
    result = subprocess.run(
        [sys.executable, RENUMBER, *map(str, numbers)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = json.loads(result.stdout)
    report = data["report"]
    assert [s["address"][1] for s in report["sockets"]] == data["ports"]
    assert report["fds"] == [0, 1, 2, 3, 4]
    assert report["LISTEN_FDNAMES"] == "first:second"


def spawn_failure(argv: list[str], cwd: str | None = None) -> SpawnError:
    async def attempt() -> SpawnError:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        baseline = len(os.listdir("/proc/self/fd"))
        try:
            async with Reaper() as reaper:
                with pytest.raises(SpawnError) as caught:
                    spawn(argv, handoff=activated.handoff(), reaper=reaper, cwd=cwd)
                assert reaper.watched_pids == frozenset()
                assert reaper.reap() == 0  # the failed child was collected already
                assert reaper.orphans_reaped == 0
            assert len(os.listdir("/proc/self/fd")) == baseline  # no pipe left open
            return caught.value
        finally:
            activated.close()

    error = run(attempt())
    assert zombies_of(os.getpid()) == []
    return error


def test_exec_failures_keep_go_texts() -> None:
    assert str(spawn_failure(["/no/such"])) == "fork/exec /no/such: no such file or directory"
    assert str(spawn_failure(["/etc/passwd"])) == "fork/exec /etc/passwd: permission denied"
    with tempfile.TemporaryDirectory() as directory:
        script = os.path.join(directory, "bad")
        with open(script, "wb") as handle:
            handle.write(b"\x7fELF-not-really")
        os.chmod(script, 0o755)
        assert str(spawn_failure([script])) == f"fork/exec {script}: exec format error"
    error = spawn_failure(["true"], cwd="/no/such/dir")  # Go blames the executable
    assert str(error) == f"fork/exec {look_path('true')}: no such file or directory"
    assert error.working_directory == "/no/such/dir"


def test_nul_bytes_are_refused_before_any_fork() -> None:
    async def attempt(argv: list[str], env: list[bytes] | None) -> str:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        baseline = len(os.listdir("/proc/self/fd"))
        try:
            async with Reaper() as reaper:
                with pytest.raises(SpawnError) as caught:
                    spawn(argv, handoff=activated.handoff(), reaper=reaper, env=env)
                assert reaper.watched_pids == frozenset()
            assert len(os.listdir("/proc/self/fd")) == baseline  # no pipe left open
            return str(caught.value)
        finally:
            activated.close()

    # Go's texts: the environment is checked by os/exec, an argument by the kernel.
    assert run(attempt(["true"], [b"A=x\0y"])) == "exec: environment variable contains NUL"
    assert run(attempt(["true", "a\0b"], None)).endswith(": invalid argument")
    assert zombies_of(os.getpid()) == []


def test_environment_entries_reach_the_job_verbatim_as_go_passes_them() -> None:
    """No entry is rebuilt: one without ``=`` stays, order is kept, ``LISTEN_*`` replaced."""

    async def scenario() -> None:
        activated = sockets(("127.0.0.1:0", "tcp", "web"))
        env = [b"TEST_BARE", b"LISTEN_FDS=9", b"TEST_X=1", b"=TEST_NAMELESS", b"LISTEN_PID"]
        async with Reaper() as reaper:
            job = await start_job(activated, reaper, env=env)
            try:
                assert job.report["raw_env"] == [
                    "TEST_BARE",
                    "TEST_X=1",
                    "=TEST_NAMELESS",
                    "LISTEN_FDS=1",
                    "LISTEN_FDNAMES=web",
                    f"LISTEN_PID={job.child.pid}",
                ]
            finally:
                await job.stop()
        activated.close()

    run(scenario())


def test_handoff_arguments() -> None:
    with pytest.raises(ValueError):
        Handoff([3], [])
    with pytest.raises(ValueError):
        Handoff([], [])
    assert Handoff([7, 8], ["a", "b"]).environment([b"X=1", b"LISTEN_FDS=5", b"Y"]) == [
        b"X=1",
        b"Y",
        b"LISTEN_FDS=2",
        b"LISTEN_FDNAMES=a:b",
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("web", None),
        ("my-job_1.http", None),
        ("a b", None),
        ("", "must not be empty"),
        ("a:b", "must not contain ':'"),
        ("x" * 256, "longer than 255"),
        ("tab\t", "printable ASCII"),
        ("café", "printable ASCII"),
    ],
)
def test_fd_names_follow_systemds_rule(name: str, problem: str | None) -> None:
    found = fd_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found

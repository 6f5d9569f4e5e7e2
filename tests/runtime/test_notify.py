"""The per-job NOTIFY_SOCKET with real senders: Python, systemd-notify, strangers."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from mittnite.runtime.notify import (
    MAX_DATAGRAM,
    NotifyMessage,
    NotifySocket,
    ProcessFamily,
    parse_notify,
)
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import Child, spawn

from .procs import children_of, eventually, run

# Sends argv[1] (with \n escapes) to $NOTIFY_SOCKET, then lingers so it is still there
# when mittnite looks at who sent it; prints "sent" first so the test knows.
SENDER = r"""
import os, socket, sys, time
address = os.environ["NOTIFY_SOCKET"]
if address.startswith("@"):
    address = "\0" + address[1:]
if len(sys.argv) > 2 and sys.argv[2] == "setsid":
    if os.fork():
        time.sleep(30)
        sys.exit(0)
    os.setsid()
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.sendto(sys.argv[1].encode().decode("unicode_escape").encode(), address)
time.sleep(30)
"""


class Inbox:
    """Collects what a socket delivers; lets a test await the next message."""

    def __init__(self) -> None:
        self.messages: list[NotifyMessage] = []
        self.rejected: list[tuple[int, str]] = []
        self.changed = asyncio.Event()

    def message(self, message: NotifyMessage) -> None:
        self.messages.append(message)
        self.changed.set()

    def reject(self, pid: int, reason: str) -> None:
        self.rejected.append((pid, reason))
        self.changed.set()

    async def until(self, count: int, *, rejected: bool = False) -> None:
        while len(self.rejected if rejected else self.messages) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 30)


def env_for(notify: NotifySocket) -> dict[str, str]:
    return {**os.environ, **notify.environment()}


def python_sender(reaper: Reaper, notify: NotifySocket, text: str, *extra: str) -> Child:
    return spawn([sys.executable, "-c", SENDER, text, *extra], reaper=reaper, env=env_for(notify))


async def finish(*children: Child) -> None:
    """Stop the senders and wait until every process they left is reaped.

    Leftovers would be re-parented to this (subreaper) test process and be counted as
    orphans by a later test's reaper.
    """
    for child in children:
        await child.terminate(5, 9)
    assert await eventually(lambda: not children_of(os.getpid()))


def test_parse_multiple_assignments_last_wins() -> None:
    fields = parse_notify(b"READY=1\nSTATUS=one\nbogus\n=x\nSTATUS=two=2\nMAINPID=12\n")
    assert fields == {"READY": "1", "STATUS": "two=2", "MAINPID": "12"}
    message = NotifyMessage(1, 0, fields)
    assert message.ready and message.status == "two=2" and message.main_pid == 12
    assert not message.reloading and message.watchdog_usec is None
    watchdog = NotifyMessage(1, 0, parse_notify(b"WATCHDOG=1\nWATCHDOG_USEC=250000"))
    assert watchdog.watchdog_ping and watchdog.watchdog_usec == 250000
    assert NotifyMessage(1, 0, parse_notify(b"WATCHDOG=trigger")).watchdog_trigger
    assert parse_notify(b"STATUS=caf\xff") == {"STATUS": "caf\ufffd"}


def test_job_process_is_heard_and_its_pid_is_known() -> None:
    async def scenario() -> tuple[list[NotifyMessage], int]:
        inbox = Inbox()
        notify = NotifySocket.open("db")
        assert notify.address.startswith("@mittnite/")
        async with Reaper() as reaper:
            notify.start(inbox.message, inbox.reject)
            job = python_sender(reaper, notify, r"READY=1\nSTATUS=Accepting connections")
            notify.family = ProcessFamily(job.pid, job.pgid)
            await inbox.until(1)
            await finish(job)
        notify.close()
        return inbox.messages, job.pid

    messages, pid = run(scenario())
    assert len(messages) == 1
    assert messages[0].pid == pid and messages[0].uid == os.getuid()
    assert messages[0].ready and messages[0].status == "Accepting connections"


def test_other_process_groups_are_ignored() -> None:
    async def scenario() -> tuple[Inbox, int, int]:
        inbox = Inbox()
        notify = NotifySocket.open("db")
        async with Reaper() as reaper:
            notify.start(inbox.message, inbox.reject)
            job = spawn(["sleep", "30"], reaper=reaper)
            notify.family = ProcessFamily(job.pid, job.pgid)
            stranger = python_sender(reaper, notify, "READY=1")  # its own group: not the job
            await inbox.until(1, rejected=True)
            await finish(job, stranger)
        notify.close()
        return inbox, stranger.pid, notify.rejected

    inbox, stranger, rejected = run(scenario())
    assert inbox.messages == []
    assert inbox.rejected == [(stranger, "sender is not a process of this job")]
    assert rejected == 1


def test_descendant_that_left_the_group_is_still_heard() -> None:
    async def scenario() -> tuple[list[NotifyMessage], int]:
        inbox = Inbox()
        notify = NotifySocket.open("daemon")
        async with Reaper() as reaper:
            notify.start(inbox.message, inbox.reject)
            job = python_sender(reaper, notify, "READY=1", "setsid")
            notify.family = ProcessFamily(job.pid, job.pgid)
            await inbox.until(1)
            os.kill(inbox.messages[0].pid, 9)  # in its own session: the group kill misses it
            await finish(job)
        notify.close()
        return inbox.messages, job.pid

    messages, pid = run(scenario())
    assert messages[0].ready and messages[0].pid != pid  # the grandchild in its own session


def test_nothing_is_accepted_before_a_process_is_known() -> None:
    async def scenario() -> Inbox:
        inbox = Inbox()
        notify = NotifySocket.open("early")
        async with Reaper() as reaper:
            notify.start(inbox.message, inbox.reject)
            job = python_sender(reaper, notify, "READY=1")
            await inbox.until(1, rejected=True)
            await finish(job)
        notify.close()
        return inbox

    inbox = run(scenario())
    assert inbox.messages == [] and len(inbox.rejected) == 1


def test_oversized_datagram_is_dropped_whole() -> None:
    async def scenario() -> tuple[Inbox, int]:
        inbox = Inbox()
        notify = NotifySocket.open("big")
        notify.family = ProcessFamily(os.getpid(), os.getpgid(0))  # the test itself sends
        notify.start(inbox.message, inbox.reject)
        sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        target = "\0" + notify.address[1:]
        sender.sendto(b"STATUS=" + b"x" * MAX_DATAGRAM, target)
        sender.sendto(b"READY=1", target)
        await inbox.until(1)
        sender.close()
        notify.close()
        return inbox, notify.oversized

    inbox, oversized = run(scenario())
    assert oversized == 1
    assert [m.fields for m in inbox.messages] == [{"READY": "1"}]
    assert inbox.rejected[0][1] == f"datagram longer than {MAX_DATAGRAM} bytes"


def test_path_socket_and_passed_descriptors_are_closed(tmp_path: Path) -> None:
    async def scenario() -> tuple[Inbox, bytes]:
        inbox = Inbox()
        path = str(tmp_path / "notify.sock")
        notify = NotifySocket.open("p", path=path)
        assert notify.environment() == {"NOTIFY_SOCKET": path}
        notify.family = ProcessFamily(os.getpid(), os.getpgid(0))
        notify.start(inbox.message, inbox.reject)
        read_end, write_end = os.pipe()
        sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        rights = (socket.SOL_SOCKET, socket.SCM_RIGHTS, write_end.to_bytes(4, sys.byteorder))
        sender.sendmsg([b"BARRIER=1"], [rights], 0, path)
        os.close(write_end)
        await inbox.until(1)
        os.set_blocking(read_end, True)
        eof = await asyncio.get_running_loop().run_in_executor(None, os.read, read_end, 1)
        os.close(read_end)
        sender.close()
        notify.close()
        assert not os.path.exists(path)
        return inbox, eof

    inbox, eof = run(scenario())
    assert eof == b""  # our copy of the pipe was closed: a barrier is answered
    assert inbox.messages[0].fields == {"BARRIER": "1"}


def test_stale_socket_file_is_replaced_but_other_files_are_not(tmp_path: Path) -> None:
    path = tmp_path / "n.sock"
    first = NotifySocket.open("a", path=str(path))
    first.sock.close()  # crashed run: the file stays behind
    second = NotifySocket.open("a", path=str(path))
    second.close()
    path.write_text("not a socket")
    with pytest.raises(FileExistsError):
        NotifySocket.open("a", path=str(path))


@pytest.mark.skipif(shutil.which("systemd-notify") is None, reason="systemd-notify not installed")
def test_systemd_notify_from_a_job_script() -> None:
    script = 'systemd-notify --ready --status="Serving on :8080"; echo $? > "$RESULT"; sleep 30'

    async def scenario(result: str) -> tuple[list[NotifyMessage], int, str]:
        inbox = Inbox()
        notify = NotifySocket.open("web")
        async with Reaper() as reaper:
            notify.start(inbox.message, inbox.reject)
            env = {**env_for(notify), "RESULT": result}
            job = spawn(["sh", "-c", script], reaper=reaper, env=env)
            notify.family = ProcessFamily(job.pid, job.pgid)
            while not (os.path.exists(result) and Path(result).read_text().strip()):
                await asyncio.sleep(0.05)
            await finish(job)
        notify.close()
        return inbox.messages, job.pid, Path(result).read_text().strip()

    result = f"/tmp/mittnite-notify-test-{os.getpid()}"
    try:
        messages, pid, status = run(scenario(result))
    finally:
        if os.path.exists(result):
            os.unlink(result)
    assert status == "0"  # the barrier was answered: systemd-notify did not time out
    merged: dict[str, str] = {}
    for message in messages:
        # As root, systemd-notify sends READY with its parent's pid (the job's shell) and
        # the barrier with its own, a member of the job's process group: both are heard.
        merged.update(message.fields)
    assert {m.pid for m in messages} - {pid}, "the barrier comes from systemd-notify itself"
    assert merged["READY"] == "1" and merged["STATUS"] == "Serving on :8080"

"""Children start clean: empty signal mask, default dispositions, only fds 0-2."""

from __future__ import annotations

import os
import signal
import socket

from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from .procs import run, settle, status_fields
from .test_reaper import run_driver

# glibc reserves signals 32 and 33: no program (nor Python) can block, ignore or catch them
# through libc, but a parent may hand them over in odd states (some CI runners start
# everything with signal 32 ignored). The clean slate covers every signal a program can use.
GLIBC_INTERNAL = (1 << 31) | (1 << 32)


def usable(mask: str) -> int:
    return int(mask, 16) & ~GLIBC_INTERNAL


def spawn_sleep_and_inspect(stdin: int | None = None) -> tuple[dict[str, str], list[int]]:
    async def scenario() -> tuple[dict[str, str], list[int]]:
        async with Reaper() as reaper:
            child = spawn(["sleep", "30"], reaper=reaper, stdin=stdin)
            fields = status_fields(child.pid)
            fds = sorted(int(name) for name in os.listdir(f"/proc/{child.pid}/fd"))
            await settle(child.terminate(30))
            return fields, fds

    return run(scenario())


def test_sigpipe_is_default_and_mask_empty_even_if_the_parent_blocks_signals() -> None:
    # CPython ignores SIGPIPE and SIGXFSZ in this very process.
    assert signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGHUP})
    try:
        fields, _ = spawn_sleep_and_inspect()
        still_blocked = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    assert usable(fields["SigBlk"]) == 0
    assert usable(fields["SigIgn"]) == 0
    assert usable(fields["SigCgt"]) == 0
    assert {signal.SIGUSR1, signal.SIGHUP} <= still_blocked  # the parent's mask is restored


def test_no_file_descriptor_leaks_into_the_child() -> None:
    inheritable = os.open("/dev/null", os.O_RDONLY)
    os.set_inheritable(inheritable, True)
    listener = socket.socket()
    listener.set_inheritable(True)
    read_end, write_end = os.pipe()
    stdin = os.open("/dev/null", os.O_RDONLY)
    try:
        _, fds = spawn_sleep_and_inspect(stdin=stdin)
    finally:
        for fd in (inheritable, read_end, write_end, stdin):
            os.close(fd)
        listener.close()
    assert fds == [0, 1, 2]


def test_stdio_descriptors_are_wired_and_left_open_in_the_parent() -> None:
    read_end, write_end = os.pipe()

    async def scenario() -> bytes:
        async with Reaper() as reaper:
            child = spawn(
                ["sh", "-c", "echo out; echo err >&2"],
                reaper=reaper,
                stdout=write_end,
                stderr=write_end,
            )
            await settle(child.exited)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as handle:
            return handle.read()

    assert run(scenario()) == b"out\nerr\n"


def test_prepare_process_clears_inherited_state_in_a_fresh_process() -> None:
    report = run_driver([], "cleanslate")
    assert report["unblocked"] == [signal.SIGUSR1, signal.SIGTERM]
    assert report["unignored"] == sorted(
        [signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGCHLD]
    )
    assert {key: usable(value) for key, value in report["child"].items()} == {
        "SigBlk": 0,
        "SigIgn": 0,
        "SigCgt": 0,
    }
    # mittnite itself: nothing blocked, only CPython's own PIPE and XFSZ still ignored.
    assert usable(report["self"]["SigBlk"]) == 0
    pipe_and_xfsz = (1 << (signal.SIGPIPE - 1)) | (1 << (signal.SIGXFSZ - 1))
    assert usable(report["self"]["SigIgn"]) == pipe_and_xfsz
    assert report["hup_status"] == "signal: hangup"

"""Commands that cannot start fail with Go 1.19's exact texts, and leave nothing behind.

The expected strings were printed by a Go 1.19 program starting the same commands through
``exec.Command`` with ``SysProcAttr{Setpgid: true}``, as mittnite does.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mittnite.runtime.goerrors import SpawnError, errno_text, go_quote
from mittnite.runtime.lookpath import go_base, look_path, resolve_command
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import spawn

from .procs import run, zombies_of

STANDARD_PATH = "/usr/local/bin:/usr/bin:/bin"


def spawn_error(argv: list[str], cwd: str | None = None) -> SpawnError:
    async def attempt() -> SpawnError:
        async with Reaper() as reaper:
            with pytest.raises(SpawnError) as caught:
                spawn(argv, reaper=reaper, cwd=cwd)
            assert reaper.watched_pids == frozenset()
            assert reaper.reap() == 0  # the failed child was already collected
            assert reaper.orphans_reaped == 0
            return caught.value

    error = run(attempt())
    assert zombies_of(os.getpid()) == []
    return error


@pytest.fixture
def standard_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", STANDARD_PATH)


@pytest.mark.usefixtures("standard_path")
def test_unknown_command() -> None:
    error = spawn_error(["nosuchcmd"])
    assert str(error) == 'exec: "nosuchcmd": executable file not found in $PATH'


def test_missing_absolute_path() -> None:
    error = spawn_error(["/no/such"])
    assert str(error) == "fork/exec /no/such: no such file or directory"
    assert error.path == "/no/such"


def test_not_executable() -> None:
    assert str(spawn_error(["/etc/passwd"])) == "fork/exec /etc/passwd: permission denied"


def test_directory() -> None:
    assert str(spawn_error(["/etc"])) == "fork/exec /etc: permission denied"


@pytest.mark.usefixtures("standard_path")
def test_missing_working_directory_blames_the_executable_like_go() -> None:
    true = look_path("true")
    error = spawn_error(["true"], cwd="/nonexistent/dir")
    assert str(error) == f"fork/exec {true}: no such file or directory"
    assert error.working_directory == "/nonexistent/dir"


@pytest.mark.usefixtures("standard_path")
def test_working_directory_that_is_a_file() -> None:
    true = look_path("true")
    assert str(spawn_error(["true"], cwd="/etc/passwd")) == f"fork/exec {true}: not a directory"


def test_empty_command() -> None:
    assert str(spawn_error([""])) == "exec: no command"
    assert str(spawn_error([])) == "exec: no command"


def test_root_directory_is_looked_up_like_go() -> None:
    assert str(spawn_error(["/"])) == 'exec: "/": permission denied'
    assert str(spawn_error(["//"])) == "fork/exec //: permission denied"


def test_exec_format_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus"
    bogus.write_bytes(b"\x7fELFjunk")
    bogus.chmod(0o755)
    assert str(spawn_error([str(bogus)])) == f"fork/exec {bogus}: exec format error"


@pytest.mark.usefixtures("standard_path")
def test_nul_byte_in_argument() -> None:
    true = look_path("true")
    assert str(spawn_error(["true", "a\0b"])) == f"fork/exec {true}: invalid argument"


def test_names_are_quoted_like_go() -> None:
    error = spawn_error(['no"q\x01é\n'])
    assert str(error) == 'exec: "no\\"q\\x01é\\n": executable file not found in $PATH'
    assert go_quote("a\udcffb\u00a0") == '"a\\xffb\\u00a0"'


def test_relative_path_hit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bin").mkdir()
    tool = tmp_path / "bin" / "dotcmd"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "bin:/usr/bin")
    assert str(spawn_error(["dotcmd"])) == (
        'exec: "dotcmd": cannot run executable found relative to current directory'
    )
    monkeypatch.setenv("PATH", ":/usr/bin")  # empty element means "."
    (tmp_path / "dotcmd").symlink_to(tool)
    assert "relative to current directory" in str(spawn_error(["dotcmd"]))


def test_lookup_skips_directories_and_files_without_execute_bits(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "tool").mkdir()  # a directory named like the command
    (second / "tool").write_text("#!/bin/sh\n")
    with pytest.raises(SpawnError, match="not found"):
        look_path("tool", f"{first}:{second}")
    (second / "tool").chmod(stat.S_IRUSR | stat.S_IXGRP)  # any execute bit counts, even as root
    assert look_path("tool", f"{first}:{second}") == str(second / "tool")
    # Go cleans each candidate: doubled slashes and ".." disappear from the result.
    assert look_path("tool", f"/{tmp_path}/a/../b") == str(second / "tool")


def test_lookup_uses_mittnites_path_not_the_childs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nowhere")
    error = spawn_error(["true"])
    assert "executable file not found" in str(error)
    monkeypatch.setenv("PATH", STANDARD_PATH)

    async def child_env_does_not_matter() -> str:
        async with Reaper() as reaper:
            child = spawn(["true"], reaper=reaper, env={"PATH": "/nowhere"})
            await child.exited
            return child.path

    assert run(child_env_does_not_matter()) == look_path("true")


def test_names_with_slashes_are_not_searched() -> None:
    assert resolve_command("x/") == "x/"
    assert resolve_command("./local") == "./local"
    assert go_base("") == "."
    assert go_base("/") == "/"
    assert go_base("a/b/") == "b"


def test_errno_texts_follow_go() -> None:
    assert errno_text(2) == "no such file or directory"
    assert errno_text(8) == "exec format error"
    assert errno_text(73) == "RFS specific error"
    assert errno_text(116) == "stale NFS file handle"
    assert errno_text(41) == "errno 41"
    assert errno_text(133) == "errno 133"
    assert errno_text(110) == "connection timed out"

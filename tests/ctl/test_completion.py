"""Shell completion: candidates from the command tree and job names from the API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mittnite.cli.ctl.completion import candidates
from mittnite.cli.ctl.main import build_root, main

from .fake_api import FakeApi

Capture = pytest.CaptureFixture[str]
ROOT = build_root()


def names(address: str) -> list[str]:
    assert address == "unix:///x.sock"
    return ["web", "worker", "db"]


def complete(line: str) -> list[str]:
    *words, partial = line.split(" ")
    return candidates(ROOT, words, partial, names)


def test_commands_and_flags() -> None:
    assert complete("") == ["completion", "help", "job", "metrics", "version"]  # __complete is hidden
    assert complete("job s") == ["start", "status", "stop"]
    assert complete("job start --w") == ["--wait", "--wait-for"]
    assert complete("job logs -") == [
        "--api-address", "--follow", "-f", "--help", "-h", "--tail",
    ]  # fmt: skip
    assert complete("completion ") == ["bash", "zsh", "fish", "powershell"]


def test_job_names_from_the_api_address_on_the_line() -> None:
    assert complete("--api-address unix:///x.sock job stop w") == ["web", "worker"]
    assert complete("job status --api-address=unix:///x.sock ") == ["web", "worker", "db"]
    assert complete("--api-address unix:///x.sock job stop web ") == []  # one argument only
    assert complete("--api-address unix:///x.sock job list ") == []
    assert complete("job start --wait-for ") == []  # a flag's value


def test_api_errors_complete_nothing() -> None:
    def broken(address: str) -> list[str]:
        raise OSError("no API")

    assert candidates(ROOT, ["job", "start"], "", broken) == []


def test_scripts(capsys: Capture) -> None:
    assert main(["completion", "bash"]) == 0
    assert "complete -F _mittnitectl mittnitectl" in capsys.readouterr().out
    assert main(["completion", "zsh"]) == 0
    assert capsys.readouterr().out.startswith("#compdef mittnitectl\n")
    for shell in ("fish", "powershell"):
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        assert "mittnitectl" in out and "__complete" in out
    assert main(["completion", "tcsh"]) == 1
    assert 'unsupported shell "tcsh"' in capsys.readouterr().err


def test_hidden_complete_command_asks_the_api(api: FakeApi, capsys: Capture) -> None:
    api.jobs("web", "worker")
    assert main(["__complete", "--", "--api-address", api.address, "job", "logs", "wo"]) == 0
    assert capsys.readouterr().out == "worker\n"
    # the word being completed as an option (PowerShell and fish: it may be empty)
    args = ["__complete", "--partial=", "--", "--api-address", api.address, "job", "logs"]
    assert main(args) == 0
    assert capsys.readouterr().out == "web\nworker\n"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_script_in_a_real_bash(api: FakeApi) -> None:
    api.jobs("web", "worker")
    bindir = Path(sys.executable).parent
    assert (bindir / "mittnitectl").exists()
    line = f"mittnitectl --api-address {api.address} job restart "
    program = (
        "source <(mittnitectl completion bash)\n"
        f'COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}\n'
        "_mittnitectl\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, env=env, timeout=30
    )
    assert result.stdout.split() == ["web", "worker"], result.stderr

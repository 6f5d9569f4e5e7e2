"""``mittnite completion`` and the scripts of both programs, run in real shells where present.

bash is always there; fish runs when installed (``apt-get install fish``), else
its script is checked for what it must contain. PowerShell is not installed
here: its script is checked for its structure (balanced blocks, the
registration, the protocol call).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mittnite.cli.completion import SHELLS, script
from mittnite.cli.main import main

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}


def bash_complete(program: str, line: str) -> list[str]:
    assert (BIN / program).exists()
    code = (
        f"source <({program} completion bash)\n"
        f'COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}\n'
        f"_{program}\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", code], capture_output=True, text=True, env=ENV, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_command_prints_every_shells_script(capsys: pytest.CaptureFixture[str]) -> None:
    for shell in SHELLS:
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        assert "mittnite" in out and "__complete" in out
    assert main(["completion", "tcsh"]) == 1
    assert 'unsupported shell "tcsh"' in capsys.readouterr().err
    assert main(["completion"]) == 1
    assert capsys.readouterr().err.startswith("Error: accepts 1 arg(s), received 0\nUsage:")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_flags_shells_and_help_topics() -> None:
    assert bash_complete("mittnite", "mittnite v") == ["validate", "version"]
    assert bash_complete("mittnite", "mittnite up --api") == [
        "--api", "--api-allow-remote", "--api-listen-address",
    ]  # fmt: skip
    assert bash_complete("mittnite", "mittnite completion ") == list(SHELLS)
    assert bash_complete("mittnite", "mittnite help re") == ["renderfiles"]
    # a flag's value (a directory) is left to bash's file completion: nothing from us
    assert bash_complete("mittnite", "mittnite -c ") == []
    assert "complete -o default -F _mittnite mittnite" in script("mittnite", "bash", files=True)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_script_of_mittnitectl_completes_its_commands() -> None:
    assert bash_complete("mittnitectl", "mittnitectl job re") == ["restart"]
    assert bash_complete("mittnitectl", "mittnitectl completion f") == ["fish"]


def fish_complete(program: str, line: str) -> list[str]:
    result = subprocess.run(
        ["fish", "-c", f"{program} completion fish | source; complete -C '{line}'"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return [row.split("\t")[0] for row in result.stdout.splitlines()]


def test_fish_scripts(tmp_path: Path) -> None:
    for program in ("mittnite", "mittnitectl"):
        text = script(program, "fish", files=program == "mittnite")
        assert f"complete -c {program} -f -a '(__{program}_complete)'" in text
        assert '"--partial=$current" --' in text  # an empty word survives
        if shutil.which("fish") is None:
            continue
        path = tmp_path / f"{program}.fish"
        path.write_text(text)
        check = subprocess.run(["fish", "--no-execute", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed: only the scripts' text was checked")
    assert fish_complete("mittnite", "mittnite v") == ["validate", "version"]
    assert fish_complete("mittnite", "mittnite completion ") == sorted(SHELLS)
    assert fish_complete("mittnitectl", "mittnitectl job st") == ["start", "status", "stop"]
    # nothing known: mittnite falls back to file names
    (tmp_path / "conf.d").mkdir()
    assert fish_complete("mittnite", f"mittnite -c {tmp_path}/con") == [f"{tmp_path}/conf.d/"]


def _balanced(text: str) -> bool:
    depth = {"{": 0, "(": 0}
    closing = {"}": "{", ")": "("}
    for char in text:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return False
    return all(value == 0 for value in depth.values())


def test_powershell_scripts_are_well_formed() -> None:
    for program, files in (("mittnite", True), ("mittnitectl", False)):
        text = script(program, "powershell", files=files)
        assert _balanced(text)
        assert f"Register-ArgumentCompleter -Native -CommandName '{program}'" in text
        assert '& $program __complete "--partial=$WordToComplete" -- @words' in text
        assert ("Get-ChildItem" in text) is files

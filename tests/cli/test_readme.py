"""The README's command-line examples are real output of this version."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
MITTNITE = [sys.executable, "-m", "mittnite"]


def block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return section.split("```", 2)[1].strip("\n")


def test_the_help_block_is_mittnites_help() -> None:
    shown = block_after("## Command line")
    actual = subprocess.run([*MITTNITE, "--help"], capture_output=True, text=True).stdout
    # the README starts with the usage line and ends before cobra's footer
    commands = actual.split("Available Commands:", 1)[1].split("\nUse ", 1)[0].rstrip("\n")
    assert shown.split("Available Commands:", 1)[1] == commands


@pytest.mark.skipif(os.path.exists("/etc/mittnite.d"), reason="/etc/mittnite.d exists here")
def test_the_missing_config_dir_line_is_real(tmp_path: Path) -> None:
    shown = re.search(r"^level=fatal msg=.*lstat /etc/mittnite.d.*$", README, re.MULTILINE)
    assert shown is not None
    result = subprocess.run(
        [*MITTNITE, "up", "-p", "0"],
        capture_output=True,
        text=True,
        env={**os.environ, "MITTNITE_LOG_LEVEL": ""},
        timeout=60,
    )
    assert result.returncode == 1
    assert shown.group(0) in result.stderr

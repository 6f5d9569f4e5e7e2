"""The README's ``mittnite validate`` example shows the command's real output.

The README marks the example's files and its output with
``<!-- readme-validate: NAME -->`` comments before fenced blocks. This test
writes the files to a directory, runs ``mittnite validate`` there as a real
process and compares stderr with the README. ``MITTNITE_UPDATE_README=1``
rewrites the README's output block instead (then review the diff).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"<!-- readme-validate: (?P<name>\S+) -->\n```[a-z]*\n(?P<body>.*?)```", re.S)
COMMAND = "$ mittnite validate -c mittnite.d\n"


def test_readme_validate_example_is_real_output(tmp_path: Path) -> None:
    text = README.read_text()
    blocks = {m.group("name"): m for m in BLOCK.finditer(text)}
    assert set(blocks) == {"mittnite.d/app.hcl", "app.conf.tpl", "output"}
    for name in ("mittnite.d/app.hcl", "app.conf.tpl"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(blocks[name].group("body"))
    result = subprocess.run(
        [sys.executable, "-m", "mittnite", "validate", "-c", "mittnite.d"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    output = COMMAND + result.stderr
    if os.environ.get("MITTNITE_UPDATE_README") == "1":
        block = blocks["output"]
        start, end = block.span("body")
        README.write_text(text[:start] + output + text[end:])
    assert blocks["output"].group("body") == output

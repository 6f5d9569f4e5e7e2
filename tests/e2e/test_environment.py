"""Jobs get the container's environment untouched, byte for byte as the original gives it.

CPython adds ``LC_CTYPE=C.UTF-8`` to its own environment when no UTF-8 locale is set (the
usual case in containers); nothing of that may reach a job. Each case starts mittnite
with an exact environment block (including entries ``env`` cannot express) and compares
the job's ``/proc/self/environ`` with what the original gave the same job
(``data/environment_vectors.json``, made by ``data/make_environment_vectors.py``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mittnite.runtime import forkexec

from .environment_cases import capture

VECTORS = json.loads((Path(__file__).parent / "data" / "environment_vectors.json").read_text())
ENTRY_POINTS = {
    "console script": [str(Path(sys.executable).parent / "mittnite")],
    "python -m mittnite": [sys.executable, "-m", "mittnite"],
}

pytestmark = pytest.mark.skipif(not forkexec.supported(), reason="needs _posixsubprocess")


def expected_block(vector: dict[str, object]) -> bytes:
    return b"".join(
        entry.encode("utf-8", "surrogateescape") + b"\0" for entry in vector["expected"]
    )  # type: ignore[attr-defined]


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_job_environment_is_the_originals(
    entry: str, vector: dict[str, object], tmp_path: Path
) -> None:
    block = capture(ENTRY_POINTS[entry], vector, tmp_path)
    assert block == expected_block(vector)
    assert "Traceback" not in (tmp_path / "log.txt").read_text()


def test_templates_and_renderfiles_see_the_container_environment(tmp_path: Path) -> None:
    """``.Env`` and the environment of ``renderfiles COMMAND`` hold no coerced locale."""
    conf = tmp_path / "conf"
    conf.mkdir()
    template = tmp_path / "t.tpl"
    template.write_text("{{ range $k, $v := .Env }}{{ $k }}={{ $v }};{{ end }}")
    target = tmp_path / "out.txt"
    (conf / "a.hcl").write_text(f'file "{target}" {{\n from = "{template}"\n}}\n')
    dump = tmp_path / "environ.bin"
    argv = [
        *ENTRY_POINTS["console script"],
        "renderfiles",
        "-c",
        str(conf),
        "cat",
        "/proc/self/environ",
    ]
    out = os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        pid = forkexec.fork_exec(
            [os.fsencode(a) for a in argv],
            os.fsencode(argv[0]),
            env=[b"PATH=/usr/bin:/bin", b"Z=26"],
            cwd=str(tmp_path),
            stdout=out,
        )
    finally:
        os.close(out)
    deadline = time.monotonic() + 30
    while os.waitpid(pid, os.WNOHANG)[0] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert target.read_text() == "PATH=/usr/bin:/bin;Z=26;"
    assert dump.read_bytes() == b"PATH=/usr/bin:/bin\0Z=26\0"


def test_renderfiles_command_starts_with_default_signal_dispositions(tmp_path: Path) -> None:
    """CPython ignores SIGPIPE and SIGXFSZ; COMMAND replaces mittnite and must not inherit
    that (an ignored signal stays ignored across exec), as it does not under the original."""
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "a.hcl").write_text("")
    result = subprocess.run(
        [
            *ENTRY_POINTS["console script"],
            "renderfiles",
            "--config-dir",
            str(conf),
            "grep",
            "^SigIgn:",
            "/proc/self/status",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ignored = int(result.stdout.split()[1], 16)
    for signum in (signal.SIGPIPE, signal.SIGXFSZ):
        assert not ignored & (1 << (signum - 1)), result.stdout

"""Start ``mittnite up`` with an exact environment block and capture a job's environment.

Shared by the vector generator (``data/make_environment_vectors.py``, which runs the
original) and the tests (which run ours). The outer environment is handed to ``execve``
entry by entry (duplicates, entries without ``=``, empty strings included), which neither
``env`` nor ``subprocess`` can do; the job is ``cat /proc/self/environ`` writing to a file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from mittnite.runtime import forkexec

CASES: list[dict[str, object]] = [
    {
        "name": "job env: duplicates, entries without '=', leading '=' names, empty strings",
        "outer": ["PATH=/usr/bin:/bin", "HOME=/root", "X=1"],
        "env": [
            "A=1",
            "NOEQ",
            "A=2",
            "B=x",
            "",
            "NOEQ",
            "=lead",
            "=lead2=v",
            "=lead3",
            "HOME=/x",
            "C=",
            "B=y",
            "=lead2=w",
        ],
    },
    {
        "name": "no locale at all: nothing is added (C locale coercion)",
        "outer": ["PATH=/usr/bin:/bin"],
        "env": [],
    },
    {
        "name": "LC_CTYPE=C keeps its value",
        "outer": ["PATH=/usr/bin:/bin", "LC_CTYPE=C", "LANG=C"],
        "env": ["Y=2"],
    },
    {
        "name": "PYTHONCOERCECLOCALE=warn and POSIX locale",
        "outer": ["PATH=/usr/bin:/bin", "PYTHONCOERCECLOCALE=warn", "LANG=POSIX"],
        "env": [],
    },
    {
        "name": "UTF-8 locale given: kept as is",
        "outer": ["PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "LANG=C.UTF-8"],
        "env": ["LC_ALL=C"],
    },
    {
        "name": "outer block: duplicate names, entries without '=', empty strings",
        "outer": ["PATH=/usr/bin:/bin", "D=1", "NOEQOUT", "", "D=2", "=z", "=w", "E=e"],
        "env": ["D=3", "NOEQOUT"],
    },
]

CONFIG = """job "dump" {{
  command = "cat"
  args = ["/proc/self/environ"]
  stdout = "{out}"
  env = {env}
  oneTime = true
}}
"""


def capture(
    mittnite: list[str], case: dict[str, object], workdir: Path, timeout: float = 30
) -> bytes:
    """Run ``mittnite up`` (argv prefix ``mittnite``) for ``case``; the job's environ block."""
    config_dir = workdir / "conf"
    config_dir.mkdir(parents=True, exist_ok=True)
    out = workdir / "environ.bin"
    if out.exists():
        out.unlink()
    env_list = json.dumps(case["env"])
    (config_dir / "a.hcl").write_text(CONFIG.format(out=out, env=env_list))
    argv = [*mittnite, "up", "-c", str(config_dir), "-p", "0"]
    outer = [os.fsencode(entry) for entry in case["outer"]]  # type: ignore[attr-defined]
    log = os.open(workdir / "log.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        pid = forkexec.fork_exec(
            [os.fsencode(a) for a in argv],
            os.fsencode(argv[0]),
            env=outer,
            cwd=str(workdir),
            stdout=log,
            stderr=log,
        )
    finally:
        os.close(log)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            raise AssertionError(f"mittnite did not finish: {(workdir / 'log.txt').read_text()}")
        time.sleep(0.02)
    assert os.waitstatus_to_exitcode(status) == 0, (workdir / "log.txt").read_text()
    return out.read_bytes()

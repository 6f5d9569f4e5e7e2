"""Go's environment rules (``os.Environ`` and ``os/exec``'s ``dedupEnv``) and the restoring of
the environment the interpreter changed before mittnite's code ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mittnite.runtime import forkexec
from mittnite.runtime.environ import (
    as_mapping,
    dedup_env,
    environ_map,
    go_environ,
    parse_environ_block,
)
from mittnite.runtime.reaper import Reaper
from mittnite.runtime.spawn import NUL_IN_ENVIRONMENT, SpawnError, spawn

from .procs import run

VECTORS = json.loads(
    (Path(__file__).parents[1] / "e2e" / "data" / "environment_vectors.json").read_text()
)


def encoded(entries: list[str]) -> list[bytes]:
    return [entry.encode("utf-8", "surrogateescape") for entry in entries]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_go_environ_plus_dedup_env_is_what_the_original_passes(
    vector: dict[str, list[str]],
) -> None:
    built = dedup_env(go_environ(encoded(vector["outer"])) + encoded(vector["env"]))
    assert built == encoded(vector["expected"])


def test_go_environ_keeps_the_first_of_a_name_and_entries_without_equals() -> None:
    block = [b"A=1", b"", b"NOEQ", b"A=2", b"=x", b"=y", b"B=", b"NOEQ"]
    assert go_environ(block) == [b"A=1", b"NOEQ", b"=x", b"B=", b"NOEQ"]


def test_dedup_env_names_with_a_leading_equals_sign() -> None:
    assert dedup_env([b"=a=1", b"=a=2", b"=b", b"=c"]) == [b"=a=2", b"=c"]


def test_environ_map_and_block_parsing() -> None:
    assert parse_environ_block(b"A=1\0B\0C=\0") == [b"A=1", b"B", b"C="]
    assert parse_environ_block(b"") == []
    assert environ_map([b"A=1", b"B", b"A=2", b"C=x=y"]) == {b"A": b"1", b"C": b"x=y"}
    assert as_mapping([b"A=1", b"NOEQ", b"=x", b"B=2"]) == {b"A": b"1", b"B": b"2"}


RESTORE_PROBE = """
import json, os, sys
from mittnite.runtime.environ import restore_original_environment, child_environment
before = dict(os.environ)
restored = restore_original_environment()
print(json.dumps({
    "restored": restored,
    "before": before,
    "after": dict(os.environ),
    "child": [e.decode() for e in child_environment(["K=v"])],
}))
"""


def test_restore_undoes_the_c_locale_coercion_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", RESTORE_PROBE],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert report["before"].get("LC_CTYPE") == "C.UTF-8"  # what CPython did to itself
    assert report["restored"] is True
    assert "LC_CTYPE" not in report["after"]
    assert report["child"][-1] == "K=v" and not any(
        e.startswith("LC_CTYPE=") for e in report["child"]
    )


def test_a_changed_environment_is_used_as_it_is_now() -> None:
    """After mittnite (or a test) changed os.environ, jobs see the current environment."""
    program = RESTORE_PROBE.replace("before = dict(os.environ)", "before = {}").replace(
        "print(", 'os.environ["LATE"] = "1"\nprint('
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join(sys.path), "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    child = json.loads(result.stdout)["child"]
    assert "LATE=1" in child and child[-1] == "K=v"


def spawned_environment(env: list[bytes], tmp_path: Path) -> bytes:
    out = tmp_path / "environ.bin"

    async def go() -> None:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            async with Reaper() as reaper:
                child = spawn(["cat", "/proc/self/environ"], reaper=reaper, env=env, stdout=fd)
                status = await child.exited
                assert status.success
        finally:
            os.close(fd)

    run(go())
    return out.read_bytes()


def test_spawn_passes_entries_verbatim(tmp_path: Path) -> None:
    entries = [b"PATH=/usr/bin:/bin", b"NOEQ", b"=x=y", b"A=\xff"]
    assert spawned_environment(entries, tmp_path) == b"\0".join(entries) + b"\0"


def test_spawn_without_the_c_helper_falls_back_to_popen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an interpreter whose fork_exec is unknown, Popen starts the job (lossy env)."""
    monkeypatch.setattr(forkexec, "_call", None)
    assert not forkexec.supported()
    entries = [b"PATH=/usr/bin:/bin", b"NOEQ", b"A=1"]
    assert spawned_environment(entries, tmp_path) == b"PATH=/usr/bin:/bin\0A=1\0"


def test_nul_in_the_environment_fails_the_start_with_gos_text() -> None:
    async def go() -> SpawnError:
        async with Reaper() as reaper:
            with pytest.raises(SpawnError) as caught:
                spawn(["true"], reaper=reaper, env=[b"A=1", b"B=x\0y"])
            assert reaper.watched_pids == frozenset()
            return caught.value

    assert str(run(go())) == NUL_IN_ENVIRONMENT == "exec: environment variable contains NUL"


FROZEN_PROBE = """
import json, os, subprocess, sys
child = '''
import json, sys
sys.frozen = True  # as in a PyInstaller executable, whose parent is the bootloader
from mittnite.runtime.environ import initial_environment_block
print(json.dumps([e.decode() for e in initial_environment_block()]))
'''
env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.environ["PYTHONPATH"], "ADDED_BY_BOOTLOADER": "1"}
sys.stdout.write(subprocess.run([sys.executable, "-c", child], env=env, capture_output=True,
                                text=True, check=True).stdout)
"""


def test_frozen_executables_read_the_bootloaders_block() -> None:
    """The Python half of the standalone executable takes its parent's (same binary) block."""
    result = subprocess.run(
        [sys.executable, "-c", FROZEN_PROBE],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join(sys.path), "GIVEN": "yes"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    block = json.loads(result.stdout)
    assert "GIVEN=yes" in block and "ADDED_BY_BOOTLOADER=1" not in block

"""``mittnite version``: a real version, commit and build time, never empty strings."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"Mittnite process manager, version (?P<version>\S+) \(commit (?P<commit>\S+)\), "
    r'built at (?P<built>[^"\s]+)'
)


def _backend() -> ModuleType:
    if str(ROOT / "build_backend") not in sys.path:  # as the build frontend's backend-path
        sys.path.insert(0, str(ROOT / "build_backend"))
    spec = importlib.util.spec_from_file_location(
        "mittnite_backend_under_test", ROOT / "build_backend" / "mittnite_backend.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_version_command_prints_version_commit_and_build_time() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mittnite", "version"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MITTNITE_LOG_LEVEL": ""},
    )
    assert result.returncode == 0
    found = LINE.search(result.stderr)
    assert found, result.stderr
    from importlib.metadata import version

    assert found["version"] == version("mittnite")
    # this test runs from a git checkout: the commit is the checkout's HEAD
    head = _git(ROOT, "rev-parse", "HEAD")
    assert found["commit"] in (head, f"{head}-dirty")
    assert found["built"] == "unknown" or re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", found["built"]
    )


def test_short_version_flag_agrees_with_the_package_metadata() -> None:
    from importlib.metadata import version

    result = subprocess.run(
        [sys.executable, "-m", "mittnite", "-v"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout == f"mittnite version {version('mittnite')}\n"


def test_build_records_the_commit_of_a_checkout_and_keeps_an_sdists_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend()
    project = tmp_path / "project"
    package = project / "src" / "mittnite"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "init")
    head = _git(project, "rev-parse", "HEAD")
    monkeypatch.setattr(backend, "ROOT", project.resolve())
    monkeypatch.setattr(backend, "RECORD", package / "_build_info.py")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")

    assert backend.write_record() is None
    namespace: dict[str, object] = {}
    exec((package / "_build_info.py").read_text(), namespace)
    assert namespace["COMMIT"] == head
    assert namespace["BUILT_AT"] == "2026-05-28T20:26:40Z"

    # a wheel built from the sdist (no git any more) keeps the sdist's record
    recorded = (package / "_build_info.py").read_bytes()
    subprocess.run(["rm", "-rf", str(project / ".git")], check=True)
    assert backend.write_record() == recorded
    assert (package / "_build_info.py").read_bytes() == recorded

    # nothing known at all: "unknown", never empty
    (package / "_build_info.py").unlink()
    backend.write_record()
    namespace = {}
    exec((package / "_build_info.py").read_text(), namespace)
    assert namespace["COMMIT"] == "unknown"


def test_version_without_git_or_record_says_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mittnite.cli import version

    monkeypatch.setattr(version, "_recorded", lambda: ("unknown", "unknown"))
    assert version.checkout_commit(tmp_path / "src" / "mittnite") is None
    monkeypatch.setattr(version, "checkout_commit", lambda _path: None)
    line = version.version_line()
    assert line.endswith("(commit unknown), built at unknown")

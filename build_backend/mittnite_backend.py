"""The PEP 517 build backend: setuptools, plus a record of which commit was built when.

``mittnite version`` prints the commit and build time the way the original's
release builds do. A Python package has no linker flags to inject them, so
this wrapper writes ``src/mittnite/_build_info.py`` before setuptools builds
a wheel, an sdist or an editable install:

* in a git checkout it records ``git rev-parse HEAD`` (with ``-dirty`` when
  tracked files differ from it) and the build time (``SOURCE_DATE_EPOCH``
  when set, for reproducible builds);
* outside a checkout (a wheel built from an sdist) an existing record is kept,
  so the sdist's commit survives; without one the commit is ``unknown``.

For wheels and sdists the file is removed again afterwards (the record lives
in the artifact, not in the working tree); an editable install keeps it, and
``mittnite version`` prefers the checkout's live ``git`` commit anyway.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - re-export every hook we do not wrap

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "src" / "mittnite" / "_build_info.py"


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def current_commit() -> str | None:
    """The checked-out commit, ``-dirty`` when tracked files were changed; None outside git."""
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != ROOT:
        return None  # not a checkout of this project (maybe an sdist inside another repo)
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None
    changed = _git("status", "--porcelain", "--untracked-files=no")
    return f"{commit}-dirty" if changed else commit


def build_time() -> str:
    """RFC 3339 in UTC, as the original's release builds print it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def write_record() -> bytes | None:
    """Write the record; returns the previous content (None if there was none)."""
    previous = RECORD.read_bytes() if RECORD.exists() else None
    commit = current_commit()
    if commit is None and previous is not None:
        return previous  # built from an sdist: keep the commit it was made from
    RECORD.write_text(
        '"""Written by the build (build_backend/mittnite_backend.py); not in git."""\n\n'
        f"COMMIT = {commit or 'unknown'!r}\n"
        f"BUILT_AT = {build_time()!r}\n"
    )
    return previous


def _restore(previous: bytes | None) -> None:
    if previous is None:
        RECORD.unlink(missing_ok=True)
    else:
        RECORD.write_bytes(previous)


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    previous = write_record()
    try:
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    finally:
        _restore(previous)


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    previous = write_record()
    try:
        return _setuptools.build_sdist(sdist_directory, config_settings)
    finally:
        _restore(previous)


def build_editable(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    write_record()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)

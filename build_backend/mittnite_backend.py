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

from typing import Any

from buildinfo import ROOT, current_commit, record_text
from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - re-export every hook we do not wrap

RECORD = ROOT / "src" / "mittnite" / "_build_info.py"


def write_record() -> bytes | None:
    """Write the record; returns the previous content (None if there was none)."""
    previous = RECORD.read_bytes() if RECORD.exists() else None
    commit = current_commit(ROOT)
    if commit is None and previous is not None:
        return previous  # built from an sdist: keep the commit it was made from
    RECORD.write_text(record_text(commit))
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

"""``mittnite version`` and ``mittnite --version``.

The original's release builds print the version, the full commit hash and
the build time (RFC 3339, UTC), injected by the linker. Ours come from:

* version: ``mittnite.__version__``, the single place the package's version is
  written (pyproject.toml reads it from there, so the installed metadata always
  agrees; asking ``importlib.metadata`` instead cost 50 ms of every start);
* commit: the live ``git`` commit when the package runs from a checkout
  (an editable install sees every new commit), else the record the build
  wrote (``mittnite._build_info``, see ``build_backend/``);
* build time: that record.

A value nobody can know is ``unknown``, never an empty string.
"""

from __future__ import annotations

import os
import sys

from .. import __version__
from .framework import Invocation

UNKNOWN = "unknown"


def package_version() -> str:
    """The package's version (what its distribution metadata says too)."""
    return __version__


def _recorded() -> tuple[str, str]:
    """(commit, build time) as the build recorded them."""
    try:
        from .. import _build_info  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return UNKNOWN, UNKNOWN
    commit = str(getattr(_build_info, "COMMIT", "") or UNKNOWN)
    built_at = str(getattr(_build_info, "BUILT_AT", "") or UNKNOWN)
    return commit, built_at


def checkout_commit(package_dir: str | os.PathLike[str]) -> str | None:
    """The commit of the git checkout the package runs from (None when not in one).

    Plain ``os.path``: ``pathlib`` would cost 10 ms of every ``version``."""
    root = os.path.dirname(os.path.dirname(os.fspath(package_dir)))  # src/mittnite -> root
    if not os.path.exists(os.path.join(root, ".git")):
        return None
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if done.returncode != 0 or not done.stdout.strip():
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return f"{commit}-dirty" if dirty.returncode == 0 and dirty.stdout.strip() else commit


def build_info() -> tuple[str, str, str]:
    """(version, commit, build time), never empty."""
    commit, built_at = _recorded()
    package_dir = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    # inside the static executable's zip there is no checkout, whatever lies around it
    live = checkout_commit(package_dir) if os.path.isdir(package_dir) else None
    return package_version(), live or commit, built_at


def version_line() -> str:
    version, commit, built_at = build_info()
    return f"Mittnite process manager, version {version} (commit {commit}), built at {built_at}"


def run(invocation: Invocation) -> int:
    """Log the extended version line (the original logs it at info to stderr)."""
    from ..logs.logger import get_logger

    get_logger().info(version_line())
    return 0


def print_short_version() -> int:
    """``mittnite -v``: cobra's version line on stdout."""
    sys.stdout.write(f"mittnite version {package_version()}\n")
    return 0

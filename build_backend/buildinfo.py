"""What ``mittnite version`` reports about a build: the commit and the build time.

Shared by the PEP 517 backend (wheels, sdists, editable installs) and the static
executable's build (packaging/build_standalone.py); imports nothing but the standard
library, so the static build can use it without setuptools.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project's checkout."""


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def current_commit(root: Path = ROOT) -> str | None:
    """The checked-out commit, ``-dirty`` when tracked files were changed; None outside git."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root:
        return None  # not a checkout of this project (maybe an sdist inside another repo)
    commit = _git(root, "rev-parse", "HEAD")
    if not commit:
        return None
    changed = _git(root, "status", "--porcelain", "--untracked-files=no")
    return f"{commit}-dirty" if changed else commit


def build_time(epoch: str | None = None) -> str:
    """RFC 3339 in UTC, as the original's release builds print it: ``epoch`` (seconds), else
    ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = epoch if epoch is not None else os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def record_text(commit: str | None, epoch: str | None = None) -> str:
    """The content of ``mittnite/_build_info.py`` for a build of ``commit``."""
    return (
        '"""Written by the build (build_backend/buildinfo.py); not in git."""\n\n'
        f"COMMIT = {commit or 'unknown'!r}\n"
        f"BUILT_AT = {build_time(epoch)!r}\n"
    )

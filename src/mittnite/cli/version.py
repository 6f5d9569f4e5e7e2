"""``mittnite version`` and ``mittnite --version``."""

from __future__ import annotations

import sys

from .. import __version__
from .framework import Invocation

COMMIT = ""
BUILT_AT = ""


def run(invocation: Invocation) -> int:
    """Log the extended version line (the original logs it at info to stderr)."""
    from ..logs.logger import get_logger

    get_logger().info(
        f"Mittnite process manager, version {__version__} (commit {COMMIT}), built at {BUILT_AT}"
    )
    return 0


def print_short_version() -> int:
    """``mittnite -v``: cobra's version line on stdout."""
    sys.stdout.write(f"mittnite version {__version__}\n")
    return 0

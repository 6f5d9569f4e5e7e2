"""The ``mittnitectl`` command (the control API client lands with its own issue)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    sys.stdout.write("This command can be used to control mittnite by command line.\n")
    return 0

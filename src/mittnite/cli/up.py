"""``mittnite up`` (supervision lands with its own issue)."""

from __future__ import annotations

import sys

from .framework import Invocation


def run(invocation: Invocation) -> int:
    sys.stderr.write("Error: 'mittnite up' is not implemented yet\n")
    return 1

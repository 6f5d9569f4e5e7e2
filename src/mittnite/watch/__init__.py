"""File-watch building blocks that are libraries in their own right.

:mod:`.goglob` reproduces Go's ``filepath.Match``/``Glob`` so that a
``watch "<glob>"`` selects the same files as in the Go original, and tells
which directories to watch for new matches. It imports only the standard
library (``os``, ``stat``): importing this package costs nothing measurable.
The orchestration lives in :mod:`mittnite.supervisor.watch`.
"""

from __future__ import annotations

from .goglob import ErrBadPattern, glob, glob_base_dirs, has_meta, match, validate

__all__ = ["ErrBadPattern", "glob", "glob_base_dirs", "has_meta", "match", "validate"]

"""Lazy jobs at run time (wired in with the lazy-jobs issue)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.model import JobConfig
    from .context import RunContext


def make_lazy_job(config: JobConfig, context: RunContext) -> object:
    raise NotImplementedError("lazy jobs are wired in with the lazy-jobs issue")

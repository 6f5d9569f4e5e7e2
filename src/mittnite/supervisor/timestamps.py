"""Line timestamps for jobs with ``enableTimestamps`` (Go layouts)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..logs.logger import Logger


def timestamp_factory(logger: Logger) -> Callable[[str, str], Callable[[], str]] | None:
    """Returns a factory building a "now" formatter per job (None until wired)."""
    return None

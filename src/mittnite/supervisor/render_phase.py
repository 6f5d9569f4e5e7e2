"""Phase 1 of ``up``: render every ``file`` directive before anything starts."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.model import Ignition
    from ..logs.logger import Logger


def render_files(ignition: Ignition, logger: Logger) -> bool:
    """Render all files; log and return False on the first error."""
    logger.info("generating configuration files")
    if not ignition.files:
        return True
    from ..render import RenderError, render_all

    try:
        render_all(ignition.files, log=logger.info)
    except RenderError as exc:
        logger.fatal(f"failed while rendering files from ignition config, err: {exc}")
        return False
    return True

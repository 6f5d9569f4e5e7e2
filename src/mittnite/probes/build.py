"""From ``probe`` directives to ready-to-run :class:`~.base.Probe` objects.

Each kind's module - and with it its driver - is imported only when a probe
of that kind is configured. Probes are keyed by name; as in the original a
later directive with the same name replaces an earlier one, and a directive
without a type is left out (``mittnite validate`` reports it).
"""

from __future__ import annotations

import asyncio
import os

from ..logs.logger import get_logger
from .base import Probe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..config.model import ProbeConfig
    from ..logs.logger import Logger
    from .base import Checker


def build_probes(
    configs: Iterable[ProbeConfig],
    *,
    environ: Mapping[str, str] | None = None,
    logger: Logger | None = None,
) -> dict[str, Probe]:
    """All typed probes by name (sorted), built in configuration order.

    Building resolves ``ENV:`` fields from ``environ`` (default: the process
    environment), logs the defaults it applies, and registers every password
    with the logger so no log line can show it.
    """
    environ = os.environ if environ is None else environ
    logger = logger if logger is not None else get_logger()
    probes: dict[str, Probe] = {}
    for config in configs:
        checker = build_checker(config, environ=environ, logger=logger)
        if checker is None:
            logger.debug("probe has no type; ignored", kind="probe", name=config.name)
            continue
        probes.pop(config.name, None)
        probes[config.name] = Probe(config.name, checker, wait=config.wait, logger=logger)
    return dict(sorted(probes.items()))


def build_checker(
    config: ProbeConfig, *, environ: Mapping[str, str], logger: Logger
) -> Checker | None:
    """The checker for the probe's type (the original's precedence), or ``None``."""
    if config.filesystem:
        from . import filesystem

        return filesystem.build(config.filesystem)
    if config.redis is None and config.smtp is None:
        # The drivers (and https) need TLS; see runtime/deferred_ssl.py.
        from ..runtime.deferred_ssl import require_ssl

        require_ssl()
    if config.mysql is not None:
        from . import mysql

        return mysql.build(config.mysql, environ=environ, logger=logger)
    if config.redis is not None:
        from . import redis

        return redis.build(config.redis, environ=environ, logger=logger)
    if config.mongodb is not None:
        from . import mongodb

        return mongodb.build(config.mongodb, environ=environ, logger=logger)
    if config.amqp is not None:
        from . import amqp

        return amqp.build(config.amqp, environ=environ, logger=logger)
    if config.http is not None:
        from . import http

        return http.build(config.http, environ=environ, logger=logger)
    if config.smtp is not None:
        from . import smtp

        return smtp.build(config.smtp, environ=environ, logger=logger)
    return None


async def close_probes(probes: Mapping[str, Probe]) -> None:
    """Cancel running attempts and release clients (mongodb) at shutdown."""
    await asyncio.gather(*(probe.aclose() for probe in probes.values()), return_exceptions=True)

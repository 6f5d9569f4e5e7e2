"""``amqp { host {...} credentials {...} virtualHost }``: ready when an AMQP 0-9-1 connection opens.

Each attempt opens a connection to the virtual host (default ``/``) with
aiormq and closes it again. As in the original, the credentials are used
only when both user and password are given; otherwise the broker default
``guest``/``guest`` applies.

aiormq reports a refused virtual host only as an unexpected frame (the
broker answers ``Connection.Open`` with ``Connection.Close``), and brokers
give the same answer for a missing vhost and for a user without access to
it - hence one message for both. aiormq's own logger is silenced: its
"error when creating transport" lines would bypass mittnite's log format,
and every failure is reported by the probe anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import quote

import aiormq
import aiormq.exceptions

from .base import BrokenChecker, Checker, ProbeError
from .connect import can_connect, describe_connect_failure
from .gotext import escape_path
from .resolve import hostname_or_local, join_host_port, port_error, resolve_env, resolve_port

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..config.model import AmqpProbe
    from ..logs.logger import Logger

DEFAULT_PORT = "5672"
DEFAULT_VIRTUAL_HOST = "/"
DEFAULT_USER = "guest"


def _silence_driver_logging() -> None:
    driver_logger = logging.getLogger("aiormq")
    if not any(isinstance(handler, logging.NullHandler) for handler in driver_logger.handlers):
        driver_logger.addHandler(logging.NullHandler())
    driver_logger.propagate = False


class AmqpChecker(Checker):
    kind = "amqp"

    def __init__(self, host: str, port: int, user: str, password: str, virtual_host: str) -> None:
        self.host = host
        self.port = port
        self.virtual_host = virtual_host
        self.target = join_host_port(host, port)
        self.secrets = (password, quote(password, safe="")) if password else ()
        self.user = user if user and password else DEFAULT_USER
        userinfo = (
            f"{quote(user, safe='')}:{quote(password, safe='')}@" if user and password else ""
        )
        # aiormq reads the vhost from the URL path; "%2F" is how "/" survives.
        self._url = f"amqp://{userinfo}{self.target}/{quote(virtual_host, safe='')}"
        # the URL as the original's messages show it (Go's url.URL with the vhost as path)
        path = virtual_host if virtual_host.startswith("/") else "/" + virtual_host
        self.go_url = f"amqp://{userinfo}{self.target}{escape_path(path)}"

    def _go(self, cause: str) -> str:
        """The original's wording: ``failed to dial amqp with url '...': <cause>``."""
        return f"failed to dial amqp with url '{self.go_url}': {cause}"

    async def reachable(self) -> bool:
        return await can_connect(self.host, self.port)

    async def check(self) -> None:
        connection = aiormq.Connection(self._url)
        try:
            await connection.connect()
        except aiormq.exceptions.ProbableAuthenticationError:
            raise ProbeError(
                f"amqp: access refused for user {self.user!r} at {self.target} "
                "(wrong user name or password)",
                go_text=self._go('Exception (403) Reason: "username or password not allowed"'),
            ) from None
        except aiormq.exceptions.InvalidFrameError as error:
            if "OpenOk" in str(error):
                raise ProbeError(
                    f"amqp: vhost {self.virtual_host!r} not found or access refused "
                    f"for user {self.user!r}"
                ) from None
            raise ProbeError(f"amqp: {self.target} does not speak AMQP 0-9-1") from None
        except aiormq.exceptions.IncompatibleProtocolError:
            raise ProbeError(
                f"amqp: {self.target} closed the connection; is it an AMQP broker?"
            ) from None
        except OSError as error:  # aiormq's connection errors are OSErrors with the errno
            failure = describe_connect_failure("amqp", self.target, [error])
            raise ProbeError(
                failure.message,
                unreachable=failure.unreachable,
                go_text=self._go(failure.go_text),
            ) from None
        except aiormq.exceptions.AMQPError as error:
            raise ProbeError(f"amqp: {self.target}: {error}") from None
        finally:
            await _close_quietly(connection)


async def _close_quietly(connection: aiormq.Connection) -> None:
    with contextlib.suppress(Exception):
        async with asyncio.timeout(1.0):
            await connection.close()


def build(config: AmqpProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    _silence_driver_logging()
    user = resolve_env(config.credentials.user, environ)
    password = resolve_env(config.credentials.password, environ)
    logger.add_secret(password)
    logger.add_secret(quote(password, safe=""))
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    port = resolve_port(
        config.host.port, environ, DEFAULT_PORT, key="port", kind="amqp", logger=logger
    )
    virtual_host = resolve_env(config.virtual_host, environ) or DEFAULT_VIRTUAL_HOST
    if isinstance(port, str):
        return BrokenChecker("amqp", join_host_port(host, port), f"amqp: {port_error(port)}")
    return AmqpChecker(host, port, user, password, virtual_host)

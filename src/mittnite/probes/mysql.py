"""``mysql { host {...} credentials {...} database allowNativePassword }``: ready when ``SELECT 1`` runs.

One authenticated connection per attempt (with PyMySQL, in a daemon thread),
to ``database`` when one is given, then ``SELECT 1``; every step is bounded
by 5 s connect/read/write timeouts.

``allowNativePassword`` keeps the original's meaning: its Go driver was
configured to *refuse* the ``mysql_native_password`` method unless the
option is true (any Go boolean spelling; anything else means false). PyMySQL
has no such switch, so the refusal is installed through its documented
``auth_plugin_map`` (the entry for ``mysql_native_password`` refuses when the
server switches to it) and, as Go did, before answering a greeting that names
it as the server's default (so a wrong password is refused with the same
advice, not "access denied"). Methods Go would also use
(``caching_sha2_password``, ``sha256_password``, ``client_ed25519`` when
PyNaCl is installed) are accepted.

Unlike the original (which logged its DSN with the password at debug level),
no password reaches a log line or an error.
"""

from __future__ import annotations

import pymysql  # type: ignore[import-untyped]  # no stubs; PyMySQL ships none

from .base import BrokenChecker, Checker, ProbeError
from .blocking import run_blocking
from .connect import can_connect, describe_connect_failure
from .resolve import (
    hostname_or_local,
    join_host_port,
    parse_go_bool,
    port_error,
    resolve_env,
    resolve_port,
    with_default,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..config.model import MySQLProbe
    from ..logs.logger import Logger

DEFAULT_PORT = "3306"
DEFAULT_ALLOW_NATIVE_PASSWORD = "false"
DRIVER_TIMEOUT = 5

_ACCESS_DENIED = 1045
_DB_ACCESS_DENIED = 1044
_BAD_DB = 1049
_HOST_NOT_PRIVILEGED = 1130
_TOO_MANY_CONNECTIONS = 1040
_CONN_HOST_ERROR = 2003
_SERVER_LOST = 2013


class NativePasswordRefused(Exception):
    """The account uses ``mysql_native_password`` and ``allowNativePassword`` is off."""


class _RefuseNativePassword:
    """``auth_plugin_map`` entry: PyMySQL builds it when the server switches to the method."""

    def __init__(self, connection: object) -> None:
        raise NativePasswordRefused


class _Connection(pymysql.connections.Connection):  # type: ignore[misc]  # untyped library
    """Refuses ``mysql_native_password`` before answering, where Go's driver refused it.

    The server's greeting names its default method; Go's driver (with
    ``allowNativePasswords=false``) stopped right there, so a wrong password
    and a right one got the same refusal. PyMySQL would answer first.
    """

    refuse_native = False

    def _request_authentication(self) -> None:
        if self.refuse_native and self._auth_plugin_name in ("", "mysql_native_password"):
            raise NativePasswordRefused
        super()._request_authentication()


class MySQLChecker(Checker):
    kind = "mysql"
    timeout = DRIVER_TIMEOUT + 1.0  # the driver's own timeouts fire first, with better words

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        database: str,
        allow_native_password: bool,
    ) -> None:
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.secrets = (password,) if password else ()
        self.database = database
        self.allow_native_password = allow_native_password
        self.target = join_host_port(host, port)

    async def reachable(self) -> bool:
        return await can_connect(self.host, self.port)

    async def check(self) -> None:
        await run_blocking(self._select_one, name="mittnite-probe-mysql")

    def _select_one(self) -> None:
        connection = _Connection(
            host=self.host,
            port=self.port,
            password=self.password,
            database=self.database or None,
            connect_timeout=DRIVER_TIMEOUT,
            read_timeout=DRIVER_TIMEOUT,
            write_timeout=DRIVER_TIMEOUT,
            autocommit=None,  # leave the session as the server made it: one round trip less
            defer_connect=True,
            auth_plugin_map=None
            if self.allow_native_password
            else {"mysql_native_password": _RefuseNativePassword},
        )
        # PyMySQL would replace an empty user name by the OS user; the original sends it as is.
        connection.user = self.user
        connection.refuse_native = not self.allow_native_password
        try:
            connection.connect()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchall()
        except NativePasswordRefused:
            raise ProbeError(
                f"mysql: user {self.user!r} signs in with mysql_native_password, which this "
                "probe refuses unless allowNativePassword = true",
                go_text="this user requires mysql native password authentication.",
            ) from None
        except pymysql.MySQLError as error:
            raise self._describe(error) from None
        finally:
            if connection.open:
                connection.close()

    def _describe(self, error: pymysql.MySQLError) -> ProbeError:
        failure = self._plain(error)
        code = error.args[0] if error.args and isinstance(error.args[0], int) else None
        if code is not None and code < 2000 and len(error.args) > 1:
            # a server error, as the original's Go driver printed it
            return ProbeError(failure.message, go_text=f"Error {code}: {error.args[1]}")
        return failure

    def _plain(self, error: pymysql.MySQLError) -> ProbeError:
        code = error.args[0] if error.args and isinstance(error.args[0], int) else None
        detail = str(error.args[1]) if len(error.args) > 1 else str(error)
        if code == _ACCESS_DENIED:
            return ProbeError(f"mysql: access denied for user {self.user!r}")
        if code == _DB_ACCESS_DENIED:
            return ProbeError(
                f"mysql: access denied for user {self.user!r} to database {self.database!r}"
            )
        if code == _BAD_DB:
            return ProbeError(f"mysql: database {self.database!r} does not exist")
        if code == _HOST_NOT_PRIVILEGED:
            return ProbeError(f"mysql: {self.target} does not accept connections from this host")
        if code == _TOO_MANY_CONNECTIONS:
            return ProbeError(f"mysql: {self.target} has too many connections")
        if code == _CONN_HOST_ERROR:
            cause = getattr(error, "original_exception", None)
            if isinstance(cause, OSError):
                return describe_connect_failure("mysql", self.target, [cause])
        if code == _SERVER_LOST:
            if "timed out" in detail:
                return ProbeError(
                    f"mysql: {self.target} accepted the connection but did not answer "
                    f"within {DRIVER_TIMEOUT}s"
                )
            return ProbeError(f"mysql: {self.target} closed the connection; is it a MySQL server?")
        return ProbeError(f"mysql: {self.target}: {detail}")


def build(config: MySQLProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    user = resolve_env(config.credentials.user, environ)
    database = resolve_env(config.database, environ)
    password = resolve_env(config.credentials.password, environ)
    logger.add_secret(password)
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    port = resolve_port(
        config.host.port, environ, DEFAULT_PORT, key="Port", kind="mysql", logger=logger
    )
    allow_native = with_default(
        resolve_env(config.allow_native_password, environ),
        DEFAULT_ALLOW_NATIVE_PASSWORD,
        key="AllowNativePassword",
        kind="mysql",
        logger=logger,
    )
    if isinstance(port, str):
        return BrokenChecker("mysql", join_host_port(host, port), f"mysql: {port_error(port)}")
    return MySQLChecker(host, port, user, password, database, parse_go_bool(allow_native) is True)

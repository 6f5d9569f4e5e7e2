"""``mongodb { url }`` (or the legacy fields): ready when ``ping`` succeeds on the primary.

``url`` is preferred. Without it the legacy fields build one, as in the
original, with a warning that this form is deprecated; unlike the original,
``authenticationDatabase`` really becomes ``authSource`` (the original
computed it and then dropped it), ``gssapiServiceName`` is passed the way
pymongo understands it (``authMechanismProperties=SERVICE_NAME:...``), and a
``/`` always separates hosts and options so pymongo accepts the URL.

One pymongo client is created per probe, on the first attempt (so building
the probe neither blocks nor starts threads) and reused afterwards: its
monitor notices a server coming up within half a second. Attempts are
bounded by 5 s server selection and socket timeouts (the original allowed
30 s). An unusable URL is an error on every attempt instead of the
original's crash.
"""

from __future__ import annotations

import threading
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlencode

import pymongo
import pymongo.errors

from .base import Checker, ProbeError
from .blocking import run_blocking
from .connect import can_connect
from .resolve import hostname_or_local, join_host_port, parse_port, resolve_env, resolve_port

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ..config.model import MongoDBProbe
    from ..logs.logger import Logger

DEFAULT_PORT = "27017"
DRIVER_TIMEOUT_MS = 5000
_AUTHENTICATION_FAILED = 18


class MongoDBChecker(Checker):
    kind = "mongodb"
    timeout = DRIVER_TIMEOUT_MS / 1000 + 1.0  # pymongo's own timeouts fire first

    def __init__(self, url: str) -> None:
        self.url = url
        self.hosts = hosts_of(url)
        self.target = self.hosts
        self.user = user_of(url)
        self._client: pymongo.MongoClient[dict[str, Any]] | None = None
        self._lock = threading.Lock()

    async def reachable(self) -> bool | None:
        seed = first_seed(self.url)
        if seed is None:
            return None
        return await can_connect(*seed)

    async def check(self) -> None:
        await run_blocking(self._ping, name="mittnite-probe-mongodb")

    async def aclose(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            await run_blocking(client.close)

    def _connected_client(self) -> pymongo.MongoClient[dict[str, Any]]:
        with self._lock:
            if self._client is None:
                try:
                    self._client = pymongo.MongoClient(
                        self.url,
                        serverSelectionTimeoutMS=DRIVER_TIMEOUT_MS,
                        connectTimeoutMS=DRIVER_TIMEOUT_MS,
                        socketTimeoutMS=DRIVER_TIMEOUT_MS,
                        connect=False,
                    )
                except pymongo.errors.PyMongoError as error:
                    raise ProbeError(f"mongodb: invalid url: {error}") from None
            return self._client

    def _ping(self) -> None:
        client = self._connected_client()
        try:
            client.admin.command("ping")
        except pymongo.errors.ServerSelectionTimeoutError as error:
            detail = _selection_detail(str(error))
            raise ProbeError(
                f"mongodb: no usable server at {self.hosts} within "
                f"{DRIVER_TIMEOUT_MS // 1000}s: {detail}",
                unreachable="connection refused" in detail,
            ) from None
        except pymongo.errors.OperationFailure as error:
            if error.code == _AUTHENTICATION_FAILED:
                raise ProbeError(f"mongodb: authentication failed for user {self.user!r}") from None
            raise ProbeError(f"mongodb: ping failed at {self.hosts}: {error}") from None
        except pymongo.errors.PyMongoError as error:
            raise ProbeError(f"mongodb: {self.hosts}: {error}") from None


def _selection_detail(message: str) -> str:
    """The useful part of pymongo's selection error: what went wrong, per server."""
    detail = message.split(", Timeout: ", 1)[0]
    while " (configured timeouts: " in detail:
        head, _, tail = detail.partition(" (configured timeouts: ")
        detail = head + tail.partition(")")[2]
    for raw, plain in (
        ("[Errno 111] Connection refused", "connection refused"),
        ("[Errno 113] No route to host", "no route to host"),
        ("[Errno -2] Name or service not known", "no such host"),
        ("[Errno -3] Temporary failure in name resolution", "temporary failure in name resolution"),
    ):
        detail = detail.replace(raw, plain)
    return detail


def _netloc(url: str) -> str:
    rest = url.partition("://")[2]
    for end in ("/", "?"):
        rest = rest.partition(end)[0]
    return rest


def hosts_of(url: str) -> str:
    """The host list of a MongoDB URL, without credentials (for messages)."""
    hosts = _netloc(url).rpartition("@")[2]
    return hosts or url.partition("://")[0] or "mongodb"


def user_of(url: str) -> str:
    userinfo = _netloc(url).rpartition("@")[0]
    return unquote_plus(userinfo.partition(":")[0])


def password_forms(url: str) -> list[str]:
    """The password of a URL as written and decoded (both are masked in logs)."""
    userinfo = _netloc(url).rpartition("@")[0]
    if ":" not in userinfo:
        return []
    written = userinfo.partition(":")[2]
    return [form for form in {written, unquote(written), unquote_plus(written)} if form]


def first_seed(url: str) -> tuple[str, int] | None:
    """Host and port of the first seed of a ``mongodb://`` URL (``None`` for SRV or sockets)."""
    if not url.startswith("mongodb://"):
        return None
    seed = hosts_of(url).split(",")[0]
    if seed.startswith("["):
        host, _, rest = seed[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif seed.count(":") == 1:
        host, _, port_text = seed.partition(":")
    else:
        host, port_text = seed, ""
    if not host or "/" in host or "%" in host:
        return None
    try:
        port = int(port_text) if port_text else int(DEFAULT_PORT)
    except ValueError:
        return None
    return host, port


def legacy_url(config: MongoDBProbe, environ: Mapping[str, str], logger: Logger) -> str:
    """The URL the deprecated fields describe, with ``authSource`` applied."""
    user = resolve_env(config.credentials.user, environ)
    password = resolve_env(config.credentials.password, environ)
    host = hostname_or_local(resolve_env(config.host.hostname, environ))
    database = resolve_env(config.database, environ)
    port = str(
        resolve_port(
            config.host.port, environ, DEFAULT_PORT, key="port", kind="mongodb", logger=logger
        )
    )
    replica_set = resolve_env(config.replica_set_name, environ)
    auth_database = resolve_env(config.authentication_database, environ)
    mechanism = resolve_env(config.authentication_mechanism, environ)
    service_name = resolve_env(config.gssapi_service_name, environ)
    options: dict[str, str] = {}
    if replica_set:
        options["replicaSet"] = replica_set
    if service_name:
        options["authMechanismProperties"] = f"SERVICE_NAME:{service_name}"
    if mechanism:
        options["authMechanism"] = mechanism
    userinfo = ""
    if user and password:
        userinfo = f"{quote_plus(user)}:{quote_plus(password)}@"
        if auth_database:
            options["authSource"] = auth_database
    with_port = join_host_port(host, port) if _valid_port(port) else f"{host}:{port}"
    query = "?" + urlencode(sorted(options.items())) if options else ""
    return f"mongodb://{userinfo}{with_port}/{quote(database, safe='')}{query}"


def _valid_port(text: str) -> bool:
    try:
        parse_port(text)
    except ValueError:
        return False
    return True


def build(config: MongoDBProbe, *, environ: Mapping[str, str], logger: Logger) -> Checker:
    url = resolve_env(config.url, environ)
    if not url:
        logger.warning(
            "probe is now configured by 'url', this configuration will explode in a future release",
            kind="probe",
            name="mongodb",
        )
        logger.add_secret(resolve_env(config.credentials.password, environ))
        url = legacy_url(config, environ, logger)
    checker = MongoDBChecker(url)
    checker.secrets = tuple(password_forms(url))
    for secret in checker.secrets:
        logger.add_secret(secret)
    return checker

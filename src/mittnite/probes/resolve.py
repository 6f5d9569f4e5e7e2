"""Turning configured probe fields into effective values, as the original does.

* ``ENV:NAME`` in a field means "the value of the environment variable NAME"
  (empty when unset); it is resolved once, when the probe is built.
* An empty port (and mysql's ``allowNativePassword``) falls back to a default
  and says so in the log, with the original's message and fields.
* An empty hostname means this machine.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..config.model import Port
    from ..logs.logger import Logger

ENV_PREFIX = "ENV:"
LOCALHOST = "localhost"


def resolve_env(value: str, environ: Mapping[str, str]) -> str:
    """``ENV:NAME`` → the variable's value (empty if unset); anything else unchanged."""
    if value.startswith(ENV_PREFIX):
        return environ.get(value[len(ENV_PREFIX) :], "")
    return value


def with_default(value: str, default: str, *, key: str, kind: str, logger: Logger) -> str:
    """``value``, or ``default`` (logged exactly as the original logs it) when empty."""
    if value:
        return value
    logger.info(
        "no input for probe specified, assuming default",
        default=default,
        key=key,
        kind="cfg",
        name=kind,
    )
    return default


def resolve_port(
    port: Port, environ: Mapping[str, str], default: str, *, key: str, kind: str, logger: Logger
) -> int | str:
    """The probe's port: as parsed at load time, or from ``ENV:NAME`` (the default when empty).

    Returns the number, or the text an ``ENV:`` variable held when it is not
    a port (for the probe's error message).
    """
    if isinstance(port, int):
        return port
    text = with_default(
        "" if port is None else environ.get(port.name, ""), default, key=key, kind=kind, logger=logger
    )
    try:
        return parse_port(text)
    except ValueError:
        return text


def hostname_or_local(hostname: str) -> str:
    """An empty hostname means this machine (Go dials ``:port`` locally)."""
    return hostname or LOCALHOST


def port_error(text: str) -> str:
    """Why ``text`` (from an ``ENV:`` variable) is not a port, in words."""
    return f"invalid port {text!r} (expected a number from 1 to 65535)"


def parse_port(text: str) -> int:
    """A TCP port number; :class:`ValueError` with a message a person understands."""
    if not (text.isascii() and text.isdigit()) or len(text) > 5 or not 0 < int(text) < 65536:
        raise ValueError(port_error(text))
    return int(text)


def join_host_port(host: str, port: str | int) -> str:
    """``host:port``, with brackets around IPv6 addresses (Go's ``net.JoinHostPort``)."""
    if ":" in host:
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def parse_go_bool(text: str) -> bool | None:
    """Go's ``strconv.ParseBool``: ``None`` when the text is not a boolean."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None

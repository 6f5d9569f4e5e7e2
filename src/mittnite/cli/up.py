"""``mittnite up``: the init system itself (see :mod:`mittnite.supervisor.runner`)."""

from __future__ import annotations

from .framework import Invocation


def _seconds(text: str) -> float:
    """``--stop-timeout`` (checked by ``main.check_flags`` before ``up`` runs) in seconds."""
    from ..config.model import Duration

    return Duration.parse(text).seconds


def raise_open_file_limit(cap: int = 65536) -> None:
    """Lift the soft ``RLIMIT_NOFILE`` towards the hard one, as Go programs do.

    A forwarding listener needs two descriptors per connection; the common
    soft default of 1024 would cap it at about 500 clients. Capped at 65536
    because jobs inherit the limit, and some daemons close every possible
    descriptor at start-up.
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = cap if hard == resource.RLIM_INFINITY else min(hard, cap)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def run(invocation: Invocation) -> int:
    """Parse ``up``'s flags (also reached from bare ``mittnite``) and run."""
    from ..runtime.deferred_ssl import defer_ssl

    defer_ssl()  # before asyncio is imported: no OpenSSL unless a probe needs it
    raise_open_file_limit()
    import asyncio

    from ..logs.logger import Logger, set_logger
    from ..supervisor.runner import UpOptions, run_up

    values = invocation.values
    log_format = values.get("log_format", "auto")
    logger = Logger(fmt="json" if log_format == "json" else log_format)
    set_logger(logger)
    stop_timeout_text = values.get("stop_timeout", "10s")
    options = UpOptions(
        config_dir=values.get("config_dir", "/etc/mittnite.d"),
        probe_listen_port=values.get("probe_listen_port", 9102),
        pidfile=values.get("pidfile", ""),
        api=values.get("api", False),
        api_listen_address=values.get("api_listen_address", "unix:///var/run/mittnite.sock"),
        api_allow_remote=values.get("api_allow_remote", False),
        keep_running=values.get("keep_running", False),
        stop_timeout=10.0 if stop_timeout_text == "10s" else _seconds(stop_timeout_text),
        prefix_output=values.get("prefix_output", False),
    )
    return asyncio.run(run_up(options, logger))

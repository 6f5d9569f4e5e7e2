"""Readiness probes: one module per kind, the readiness wait and the status server.

Importing this package is cheap on purpose - mittnite is an init and every
container start pays for what it imports. Drivers (PyMySQL, pymongo, aiormq,
h11, ssl) are imported only when a probe of that kind is built or the status
server starts, so the names below are resolved lazily on first access.

The supervisor's view::

    probes = build_probes(ignition.probes)              # {name: Probe}
    server = ProbeServer(probes, port=9102, readiness=...)
    await server.start()                                # raises ListenError
    wait = ReadinessWait(probes.values())
    await wait.run()                                    # cancellable
    ...
    await server.stop(); await close_probes(probes)
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .base import Probe, ProbeError, ProbeState
    from .build import build_probes, close_probes
    from .server import ListenError, ProbeServer
    from .wait import ReadinessWait, wait_for_readiness

__all__ = [
    "ListenError",
    "Probe",
    "ProbeError",
    "ProbeServer",
    "ProbeState",
    "ReadinessWait",
    "build_probes",
    "close_probes",
    "wait_for_readiness",
]

_HOMES = {
    "Probe": "base",
    "ProbeError": "base",
    "ProbeState": "base",
    "build_probes": "build",
    "close_probes": "build",
    "ListenError": "server",
    "ProbeServer": "server",
    "ReadinessWait": "wait",
    "wait_for_readiness": "wait",
}


def __getattr__(name: str) -> object:
    """Import the defining module on first use of a public name."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value

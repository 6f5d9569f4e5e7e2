"""Keep OpenSSL out of an idle init.

``import asyncio`` imports :mod:`ssl`, which maps libssl and libcrypto: about
3.7 MB of RSS in every container, although most configurations never open a
TLS connection. :func:`defer_ssl` (called before asyncio is first imported)
makes asyncio load without it - asyncio supports a Python built without ssl -
and :func:`require_ssl` brings it back the moment a feature needs it (an
``https`` probe, a database driver), re-teaching the asyncio modules that
captured ``ssl = None``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

_deferred = False


def defer_ssl() -> bool:
    """Hide :mod:`ssl` from imports until :func:`require_ssl`; True if it took effect.

    Does nothing when ssl or asyncio has been imported already.
    """
    global _deferred
    if "ssl" in sys.modules or "asyncio" in sys.modules:
        return False
    sys.modules["ssl"] = None  # type: ignore[assignment]  # makes `import ssl` fail cleanly
    _deferred = True
    return True


def ssl_loaded() -> bool:
    """Whether the real :mod:`ssl` module is imported."""
    return sys.modules.get("ssl") is not None


def require_ssl() -> ModuleType:
    """Import :mod:`ssl` for real and make already imported asyncio use it."""
    global _deferred
    if sys.modules.get("ssl", False) is None:
        del sys.modules["ssl"]
    import ssl

    if _deferred:
        _deferred = False
        import importlib

        for name in ("asyncio.base_events", "asyncio.selector_events"):
            module = sys.modules.get(name)
            if module is not None:
                module.ssl = ssl  # type: ignore[attr-defined]
        sslproto = sys.modules.get("asyncio.sslproto")
        if sslproto is not None:
            importlib.reload(sslproto)  # its TLS helpers are defined only when ssl exists
    return ssl

"""sprig v3.3.0's ``TxtFuncMap`` (minus ``env``, which mittnite removes).

Each family module exports ``FUNCS: dict[str, GoFunc]``; they are imported
on first use of :func:`funcs` (an init renders a handful of templates and
should not pay for crypto or date code it does not call - families import
their heavy dependencies inside the functions).
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..funcs import GoFunc

FAMILIES = (
    "strings",
    "encoding",
    "regex",
    "lists",
    "dicts",
    "defaults",
    "reflection",
    "math",
    "dates",
    "semver",
    "paths",
    "crypto",
    "network",
)

REMOVED = ("env",)  # mittnite deletes sprig's env; .Env is used instead

_cache: dict[str, GoFunc] | None = None


def funcs() -> dict[str, GoFunc]:
    """The function map (built once)."""
    global _cache
    if _cache is None:
        merged: dict[str, GoFunc] = {}
        for family in FAMILIES:
            try:
                module = import_module(f"{__name__}.{family}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{family}":
                    raise
                continue
            merged.update(module.FUNCS)
        for name in REMOVED:
            merged.pop(name, None)
        _cache = merged
    return _cache

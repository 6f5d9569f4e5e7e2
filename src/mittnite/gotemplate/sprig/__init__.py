"""The sprig function map, assembled from one module per function family.

Each family module in this package (``strings.py``, ``lists.py``, ...) exports
``FUNCS: FuncMap`` (see ``mittnite.gotemplate.funcs`` for how to declare functions). This hook
finds the modules present in the package directory and merges their maps, so a new family
plugs in just by existing; modules whose name starts with ``_`` are private helpers and are not
scanned, and modules without ``FUNCS`` contribute nothing. mittnite removes only ``env`` from
sprig's map, so ``env`` is dropped here whatever a family declares.

Family modules are imported when this package is, so they must keep their module level cheap:
import heavy libraries (``cryptography``, ``bcrypt``, ``json``, ...) inside the functions that
need them.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable

from mittnite.gotemplate.funcs import FuncMap

__all__ = ["FUNCS", "REMOVED", "build_funcs", "family_modules"]

REMOVED = frozenset({"env"})


def family_modules() -> list[str]:
    """Names of the family modules present in this package, in sorted order."""
    directory = os.path.dirname(__file__)
    names = []
    for entry in os.listdir(directory):
        stem, extension = os.path.splitext(entry)
        if extension == ".py" and not stem.startswith("_") and stem.isidentifier():
            names.append(stem)
    return sorted(names)


def build_funcs(families: Iterable[str] | None = None) -> FuncMap:
    """The merged ``FUNCS`` of the given family modules (default: all present), minus
    mittnite's removals. A listed family that does not exist yet is skipped."""
    funcs: FuncMap = {}
    for family in family_modules() if families is None else families:
        try:
            module = importlib.import_module(f"{__name__}.{family}")
        except ModuleNotFoundError as missing:
            if missing.name == f"{__name__}.{family}":
                continue  # this family has not been written yet
            raise
        funcs.update(getattr(module, "FUNCS", {}))
    for name in REMOVED:
        funcs.pop(name, None)
    return funcs


FUNCS: FuncMap = build_funcs()

"""The sprig function map, assembled from one module per function family.

Each family module in this package (``strings.py``, ``lists.py``, ...) exports
``FUNCS: FuncMap`` (see ``mittnite.gotemplate.funcs`` for how to declare functions).
mittnite removes only ``env`` from sprig's map, so ``env`` is dropped whatever a family
declares. Modules whose name starts with ``_`` are private helpers.

``FUNCS`` is a read-only mapping that knows every function's name from ``_index`` but imports
a family module only when a template actually names one of its functions: an init renders a
handful of templates that use a few functions, and importing all 13 families (regexp engine,
date layouts, semver, crypto glue) would cost more than rendering them. Family modules must
still keep their module level cheap and import heavy libraries (``cryptography``, ``bcrypt``,
``json``, ...) inside the functions that need them.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator, Mapping

from mittnite.gotemplate.funcs import FuncMap, GoFunc
from mittnite.gotemplate.sprig._index import FAMILIES

__all__ = ["FUNCS", "REMOVED", "LazyFuncMap", "build_funcs", "family_modules"]

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
    mittnite's removals, imported at once. A listed family that does not exist is skipped."""
    funcs: FuncMap = {}
    for family in family_modules() if families is None else families:
        try:
            module = importlib.import_module(f"{__name__}.{family}")
        except ModuleNotFoundError as missing:
            if missing.name == f"{__name__}.{family}":
                continue
            raise
        funcs.update(getattr(module, "FUNCS", {}))
    for name in REMOVED:
        funcs.pop(name, None)
    return funcs


class LazyFuncMap(Mapping[str, GoFunc]):
    """Every sprig function by name; a family is imported on the first lookup of one of its
    functions (membership tests, which is all the parser needs, import nothing)."""

    __slots__ = ("_family_of", "_loaded")

    def __init__(self, families: Mapping[str, Iterable[str]]) -> None:
        self._family_of = {
            name: family
            for family, names in families.items()
            for name in names
            if name not in REMOVED
        }
        self._loaded: dict[str, GoFunc] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._family_of

    def __getitem__(self, name: str) -> GoFunc:
        found = self._loaded.get(name)
        if found is None:
            family = self._family_of[name]  # KeyError: not a sprig function
            self._loaded.update(build_funcs([family]))
            found = self._loaded[name]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._family_of)

    def __len__(self) -> int:
        return len(self._family_of)

    def __repr__(self) -> str:
        return f"<sprig functions: {len(self)}, {len(self._loaded)} loaded>"


FUNCS: Mapping[str, GoFunc] = LazyFuncMap(FAMILIES)
"""sprig v3.3.0's ``TxtFuncMap`` minus ``env``, loaded family by family on use."""

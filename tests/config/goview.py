"""Our decoding of a configuration in the original's Go terms, for comparison with hclref.

The reference decoder prints the structs hcl v1 fills; our decoder produces
the same shapes (Go field names) before the typed model is built, so the two
can be compared field by field. Our own keys (``stopSignal``, ``stopTimeout``, the
``listen`` keys ``proxyProtocol``, ``activate`` and ``name``)
are not part of the original's structs and are left out.
"""

from __future__ import annotations

import os
from typing import Any

from mittnite.config.hcl import MapList, StructValue
from mittnite.config.load import decode_sources, find_config_files, read_sources
from mittnite.config.problems import Problem

EXTENSION_FIELDS = frozenset(
    {
        "StopSignal",
        "StopTimeout",
        "ProxyProtocol",
        "Activate",
        "FdName",
        "After",
        "Readiness",
        "Liveness",
    }
)
DIRECTIVES = ("Probes", "Files", "Jobs", "BootJobs")


def plain(value: Any) -> Any:
    """Decoded values as JSON-like data (structs to dicts, our fields dropped)."""
    if isinstance(value, StructValue):
        return {k: plain(v) for k, v in value.items() if k not in EXTENSION_FIELDS}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, MapList | list):
        return [plain(v) for v in value]
    return value


def merged(decoded: list[tuple[str, StructValue]]) -> dict[str, Any]:
    """All files' directives accumulated in load order, as hcl v1 fills one struct."""
    out: dict[str, Any] = {}
    for name in DIRECTIVES:
        items = [plain(item) for _, value in decoded for item in value[name] or ()]
        out[name] = items or None
    return out


def walk_order(names: list[str]) -> list[str]:
    """Relative paths in the order Go's filepath.Walk visits them."""
    return sorted(names, key=lambda name: [os.fsencode(part) for part in name.split("/")])


def decode_files(files: dict[str, bytes], root: str = "/mittnite.d") -> tuple[Any, list[Problem]]:
    """Decode file contents in memory: ``(Go view, problems)``; the view is ``None`` on errors."""
    problems: list[Problem] = []
    sources = [(f"{root}/{name}", files[name]) for name in walk_order(list(files))]
    decoded = decode_sources(sources, problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return merged(decoded), problems


def decode_directory_view(root: str) -> tuple[Any, list[Problem]]:
    """Decode a directory on disk: ``(Go view, problems)``; the view is ``None`` on errors."""
    paths, problems = find_config_files(root)
    decoded = decode_sources(read_sources(paths, problems), problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return merged(decoded), problems

"""Find, parse and merge a configuration directory into one :class:`Ignition`.

Discovery is the original's: a recursive walk in lexical order (hidden
entries included, symlinked directories not descended) selecting every entry
whose name ends in ``hcl``; all files are decoded into one configuration in
walk order, directives appended. Two deliberate differences, both documented
in the README:

* Kubernetes ConfigMap mounts hold every file twice (``..2024_01_01.../x.hcl``
  and the ``x.hcl`` symlink into it); the original loads both and runs boot
  jobs twice. We skip the atomic-writer internals (names starting with ``..``
  in a directory that has a ``..data`` link).
* A symlinked config directory given with ``-c`` is followed.

Every problem of every file is collected before failing, so one run of
``mittnite validate`` shows them all.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from . import build
from .hcl import Decoder, HclError, Pos, StructValue, parse_any
from .model import Ignition, Source
from .problems import ConfigError, Problem
from .schema import IGNITION
from .validate import check

LogFn = Callable[[str], None]


def find_config_files(directory: str) -> tuple[list[str], list[Problem]]:
    """Paths of all configuration files under ``directory``, in load order.

    Returns problems instead of raising so the caller can report everything.
    """
    root = directory.rstrip("/") or "/"
    try:
        info = os.stat(root)
    except OSError as exc:
        return [], [Problem("error", f"lstat {root}: {_os_reason(exc)}")]
    found: list[str] = []
    problems: list[Problem] = []
    if stat.S_ISDIR(info.st_mode):
        if root.endswith("hcl"):
            found.append(root)
        _walk(root, found, problems)
    elif root.endswith("hcl"):
        found.append(root)
    if not found and not problems:
        problems.append(Problem("error", f"could not find any configuration files in {root}"))
    return found, problems


def _walk(directory: str, found: list[str], problems: list[Problem]) -> None:
    try:
        names = os.listdir(directory)
    except OSError as exc:
        problems.append(Problem("error", f"open {directory}: {_os_reason(exc)}"))
        return
    names.sort(key=os.fsencode)
    configmap = "..data" in names
    for name in names:
        if configmap and name.startswith(".."):
            continue
        path = os.path.join(directory, name)
        try:
            info = os.lstat(path)
        except OSError as exc:
            problems.append(Problem("error", f"lstat {path}: {_os_reason(exc)}"))
            continue
        if name.endswith("hcl"):
            found.append(path)
        if stat.S_ISDIR(info.st_mode):
            _walk(path, found, problems)


def _os_reason(exc: OSError) -> str:
    """Go's wording of an OS error (lower-case strerror)."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def decode_file(path: str, decoder: Decoder, problems: list[Problem]) -> StructValue | None:
    """Read, parse and decode one file; problems (and warnings) go to ``problems``."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        problems.append(Problem("error", f"read {path}: is a directory"))
        return None
    except OSError as exc:
        problems.append(Problem("error", f"open {path}: {_os_reason(exc)}"))
        return None
    return decode_source(path, data, decoder, problems)


def decode_source(
    path: str, data: bytes, decoder: Decoder, problems: list[Problem]
) -> StructValue | None:
    """Parse and decode the contents of one file (``path`` names it in messages).

    Returns ``None`` when the file cannot be used; every error and warning is
    appended to ``problems``.
    """
    text = data.decode("utf-8", "surrogateescape")
    warnings_before = len(decoder.warnings)
    errors_before = len(decoder.errors)

    def warn(pos: Pos, message: str) -> None:
        decoder.warn(pos, message)

    try:
        decoded: StructValue | None = decoder.decode_document(parse_any(text, warn), IGNITION)
    except HclError as exc:
        decoder.errors.append(exc)
        decoded = None
    for warning in decoder.warnings[warnings_before:]:
        where = Source(path, warning.pos.line, warning.pos.column)
        problems.append(Problem("warning", warning.message, where))
    errors = decoder.errors[errors_before:]
    for error in errors:
        where = Source(path, error.pos.line, error.pos.column)
        problems.append(Problem("error", error.message, where, error.stricter))
    return None if errors else decoded


def decode_directory(directory: str, log: LogFn | None = None) -> tuple[Ignition, list[Problem]]:
    """Find and decode every file (no semantic checks); problems are returned."""
    if log is not None:
        log(f"looking for configuration files in {directory}")
    paths, problems = find_config_files(directory)
    decoder = Decoder()
    per_file: list[tuple[str, StructValue]] = []
    for path in paths:
        if log is not None:
            log(f"found config file: {path}")
        decoded = decode_file(path, decoder, problems)
        if decoded is not None:
            per_file.append((path, decoded))
    ignition = Ignition(
        probes=tuple(build.probe(f, v) for f, d in per_file for v in d["Probes"] or ()),
        files=tuple(build.file_directive(f, v) for f, d in per_file for v in d["Files"] or ()),
        jobs=tuple(build.job(f, v) for f, d in per_file for v in d["Jobs"] or ()),
        boot_jobs=tuple(build.boot_job(f, v) for f, d in per_file for v in d["BootJobs"] or ()),
        config_files=tuple(paths),
    )
    return ignition, problems


def load(directory: str, log: LogFn | None = None) -> tuple[Ignition, list[Problem]]:
    """Load and check a configuration directory.

    Returns the configuration and its warnings; raises :class:`ConfigError`
    listing every problem (errors and warnings) when anything is wrong.
    """
    ignition, problems = decode_directory(directory, log)
    if not any(p.severity == "error" for p in problems):
        problems.extend(check(ignition))
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    return ignition, problems

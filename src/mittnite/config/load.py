"""Find, read, parse and merge a configuration directory into one typed :class:`Ignition`.

Discovery is the original's: a recursive walk in lexical order (hidden
entries included, symlinked directories not descended) selecting every entry
whose name ends in ``hcl``; all files are decoded into one configuration in
walk order, directives appended. Deliberate differences, documented in the
README:

* Kubernetes ConfigMap mounts hold every file twice (``..2024_01_01.../x.hcl``
  and the ``x.hcl`` symlink into it); the original loads both and runs boot
  jobs twice. We skip the atomic-writer internals (names starting with ``..``
  in a directory that has a ``..data`` link).
* A symlinked config directory given with ``-c`` is followed.
* Whatever the directory holds, loading ends in bounded time and memory with
  a message naming the place: a FIFO or device named ``*.hcl`` (the original
  blocks on a FIFO and reads ``/dev/zero`` until memory runs out), files
  larger than :data:`MAX_FILE_SIZE`, more than :data:`MAX_WALK_ENTRIES`
  entries under the directory; ``-c ""`` and ``-c /`` are errors (in the
  original too; we used to walk the whole file system).

Every problem of every file is collected before failing, so one run of
``mittnite validate`` shows them all.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator

from .hcl import Decoder, HclError, Pos, StructValue, parse_any
from .model import Ignition, Source
from .problems import ConfigError, Problem
from .schema import IGNITION

LogFn = Callable[[str], None]

MAX_FILE_SIZE = 4 * 1024 * 1024
"""Largest configuration file read (real ones are a few KiB; templates belong in ``from``)."""
MAX_TOTAL_SIZE = 16 * 1024 * 1024
"""Largest sum of all configuration files of one directory."""
MAX_WALK_ENTRIES = 10_000
"""Most directory entries looked at under the configuration directory."""

_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


class _TooManyEntries(Exception):
    pass


def find_config_files(directory: str) -> tuple[list[str], list[Problem]]:
    """Paths of all configuration files under ``directory``, in load order.

    Returns problems instead of raising so the caller can report everything.
    """
    root = directory[:-1] if directory.endswith("/") else directory  # Go's TrimSuffix
    if not root:
        given = '"/"' if directory else '""'
        return [], [
            Problem(
                "error",
                f"lstat : no such file or directory (the configuration directory given is "
                f"{given}; name the directory holding the *.hcl files, e.g. -c /etc/mittnite.d)",
            )
        ]
    try:
        info = os.stat(root)
    except OSError as exc:
        return [], [Problem("error", f"lstat {root}: {os_reason(exc)}")]
    found: list[str] = []
    problems: list[Problem] = []
    if stat.S_ISDIR(info.st_mode):
        if root.endswith("hcl"):
            found.append(root)
        try:
            _walk(root, found, problems)
        except _TooManyEntries:
            problems.append(
                Problem(
                    "error",
                    f"{root} holds more than {MAX_WALK_ENTRIES} files and directories; is it "
                    "really the configuration directory? (every *hcl file below it is read)",
                )
            )
    elif root.endswith("hcl"):
        found.append(root)
    if not found and not problems:
        problems.append(Problem("error", f"could not find any configuration files in {root}"))
    return found, problems


def _walk(root: str, found: list[str], problems: list[Problem]) -> None:
    """Go's ``filepath.Walk`` order (pre-order, names sorted bytewise), iteratively."""
    seen = 0
    stack: list[tuple[str, Iterator[str], bool]] = []

    def enter(directory: str) -> None:
        nonlocal seen
        try:
            names = os.listdir(directory)
        except OSError as exc:
            problems.append(Problem("error", f"open {directory}: {os_reason(exc)}"))
            return
        seen += len(names)
        if seen > MAX_WALK_ENTRIES:
            raise _TooManyEntries
        names.sort(key=os.fsencode)
        stack.append((directory, iter(names), "..data" in names))

    enter(root)
    while stack:
        directory, names, configmap = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        if configmap and name.startswith(".."):
            continue
        path = os.path.join(directory, name)
        try:
            info = os.lstat(path)
        except OSError as exc:
            problems.append(Problem("error", f"lstat {path}: {os_reason(exc)}"))
            continue
        if name.endswith("hcl"):
            found.append(path)
        if stat.S_ISDIR(info.st_mode):
            enter(path)


def os_reason(exc: OSError) -> str:
    """Go's wording of an OS error (lower-case strerror)."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def read_config_file(path: str, limit: int = MAX_FILE_SIZE) -> tuple[bytes | None, Problem | None]:
    """The contents of one configuration file, or the problem that prevents reading it.

    Never blocks (FIFOs are opened non-blocking and refused), never reads more
    than ``limit`` bytes (``/dev/zero`` and huge files are refused).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, Problem("error", f"open {path}: {os_reason(exc)}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _FILE_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            if kind == "a directory":
                return None, Problem("error", f"read {path}: is a directory")
            return None, Problem(
                "error", f"read {path}: {kind}, not a regular file; configuration files must be "
                "regular files (or symlinks to them)"
            )
        if info.st_size > limit:
            return None, Problem("error", _too_big(path, limit))
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # the file grew while we read it
                return None, Problem("error", _too_big(path, limit))
            chunks.append(chunk)
    except OSError as exc:
        return None, Problem("error", f"read {path}: {os_reason(exc)}")
    finally:
        os.close(fd)
    return b"".join(chunks), None


def _too_big(path: str, limit: int) -> str:
    return (
        f"read {path}: the file is larger than {_size(limit)}; configuration "
        "files are small (put large content in a template given with 'from')"
    )


def _size(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit % mib == 0 else f"{limit} bytes"


def decode_source(
    path: str, data: bytes, decoder: Decoder, problems: list[Problem]
) -> StructValue | None:
    """Parse and decode the contents of one file (``path`` names it in messages).

    Every error and warning is appended to ``problems``. Returns what could be
    decoded (also when a value had the wrong type, so later checks can look at
    the rest), or ``None`` when the file could not be parsed at all.
    """
    text = data.decode("utf-8", "surrogateescape")
    warnings_before = len(decoder.warnings)
    errors_before = len(decoder.errors)
    try:
        decoded: StructValue | None = decoder.decode_document(
            parse_any(text, decoder.warn), IGNITION
        )
    except HclError as exc:
        decoder.errors.append(exc)
        decoded = None
    for warning in decoder.warnings[warnings_before:]:
        where = _source(path, warning.pos)
        problems.append(Problem("warning", warning.message, where, hint=warning.hint))
    for error in decoder.errors[errors_before:]:
        where = _source(path, error.pos)
        problems.append(Problem("error", error.message, where, error.stricter, error.hint))
    return decoded


def _source(path: str, pos: Pos) -> Source:
    return Source(path, pos.line, pos.column)


def decode_sources(
    sources: Iterable[tuple[str, bytes]], problems: list[Problem]
) -> list[tuple[str, StructValue]]:
    """Decode file contents given as ``(path, data)`` in load order."""
    decoder = Decoder()
    decoded: list[tuple[str, StructValue]] = []
    for path, data in sources:
        value = decode_source(path, data, decoder, problems)
        if value is not None:
            decoded.append((path, value))
    return decoded


def read_sources(paths: list[str], problems: list[Problem]) -> Iterator[tuple[str, bytes]]:
    """Read each file (bounded in size, total included); unreadable ones become problems."""
    budget = MAX_TOTAL_SIZE
    for path in paths:
        data, problem = read_config_file(path, min(MAX_FILE_SIZE, budget))
        if problem is not None:
            if budget < MAX_FILE_SIZE and "larger than" in problem.message:
                problem = Problem(
                    "error",
                    f"read {path}: the configuration files together exceed "
                    f"{_size(MAX_TOTAL_SIZE)}",
                )
            problems.append(problem)
            continue
        assert data is not None
        budget -= len(data)
        yield path, data


def decode_directory(directory: str, log: LogFn | None = None) -> tuple[Ignition, list[Problem]]:
    """Find, read and decode every file into the typed model; problems are returned.

    The model is built from whatever could be decoded, so the caller sees every
    problem of every file; it must not be used when there are errors.
    """
    from .build import build_ignition

    if log is not None:
        log(f"looking for configuration files in {directory}")
    paths, problems = find_config_files(directory)
    if log is not None:
        for path in paths:
            log(f"found config file: {path}")
    decoded = decode_sources(read_sources(paths, problems), problems)
    ignition = build_ignition(decoded, paths, problems)
    return ignition, problems


def load(directory: str, log: LogFn | None = None) -> tuple[Ignition, list[Problem]]:
    """Load and check a configuration directory.

    Returns the configuration and its warnings; raises :class:`ConfigError`
    listing every problem (errors and warnings) when anything is wrong.
    """
    from .validate import check

    ignition, problems = decode_directory(directory, log)
    problems.extend(check(ignition))
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    return ignition, problems

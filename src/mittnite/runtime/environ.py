"""The environment the container gave mittnite, kept exactly, and jobs' environments built from it.

Why this module exists: before any Python code runs, CPython may change its own
environment. With no UTF-8 locale configured (the usual case in containers) its C-locale
coercion (PEP 538) sets ``LC_CTYPE=C.UTF-8``; PyInstaller's bootloader, which starts the
standalone executable, sets ``LD_LIBRARY_PATH`` and its own ``_PYI_*`` variables. Children
inherit whatever the process environment holds, so jobs, boot jobs, watch commands,
``renderfiles COMMAND`` and templates' ``.Env`` would see variables the container never set.
:func:`restore_original_environment`, called first thing by every entry point, puts the
environment back to what was passed to ``execve``.

Where the original block comes from: the kernel keeps the strings the process was started
with in its own memory and shows them in ``/proc/self/environ``; ``setenv`` never writes
there. For the standalone executable the Python interpreter runs in a child of the
bootloader (the same executable), which already received the modified environment, so the
bootloader's block, ``/proc/<ppid>/environ``, is the container's. Without ``/proc`` nothing
is changed (there is no sound way to tell a coerced ``LC_CTYPE`` from one the container set).

How Go builds a child's environment, which jobs must see byte for byte (the original is a
Go program using ``os/exec``):

* ``os.Environ()`` is the initial block without empty strings and, per name (the text up to
  the first ``=``), without entries after the first one; entries without ``=`` are kept;
* ``exec.Cmd`` appends the job's ``env`` and removes duplicates with ``dedupEnv``: the last
  entry of each name wins and sits where that last entry was; the name of an entry
  starting with ``=`` extends to the next ``=`` (``=a=b`` is named ``=a``); entries without
  ``=`` are passed through verbatim, each of them; empty strings are dropped; a NUL byte
  makes the start fail (``exec: environment variable contains NUL``, see
  :func:`mittnite.runtime.spawn.spawn`).

Python's ``os.environ`` cannot hold entries without ``=`` (and the spawner cannot pass a
mapping with them), so job environments are lists of ``bytes`` entries.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "child_environment",
    "dedup_env",
    "go_environ",
    "inherited_environment",
    "initial_environment_block",
    "restore_original_environment",
]

_original: tuple[bytes, ...] | None = None
"""Go's ``os.Environ()`` of the original block, once :func:`restore_original_environment` ran."""
_original_map: dict[bytes, bytes] | None = None


def parse_environ_block(data: bytes) -> list[bytes]:
    """The entries of a ``/proc/<pid>/environ`` image (NUL-separated, NUL-terminated)."""
    if not data:
        return []
    entries = data.split(b"\0")
    if entries[-1] == b"":
        entries.pop()
    return entries


def go_environ(block: Iterable[bytes]) -> list[bytes]:
    """What Go's ``os.Environ()`` returns for an initial environment block."""
    seen: set[bytes] = set()
    result: list[bytes] = []
    for entry in block:
        if not entry:
            continue
        name, sep, _value = entry.partition(b"=")
        if sep:
            if name in seen:
                continue
            seen.add(name)
        result.append(entry)
    return result


def environ_map(entries: Iterable[bytes]) -> dict[bytes, bytes]:
    """Name to value, as ``os.environb`` and Go's ``Getenv`` see it: first wins, no ``=`` skipped."""
    mapping: dict[bytes, bytes] = {}
    for entry in entries:
        name, sep, value = entry.partition(b"=")
        if sep and name not in mapping:
            mapping[name] = value
    return mapping


def _dedup_name(entry: bytes) -> bytes | None:
    """The name ``dedupEnv`` compares, or None for an entry without ``=``."""
    index = entry.find(b"=")
    if index == 0:
        index = entry.find(b"=", 1)
        index = 0 if index < 0 else index
    if index < 0:
        return None
    return entry[:index]


def dedup_env(entries: Sequence[bytes]) -> list[bytes]:
    """Go's ``os/exec`` ``dedupEnv`` (NUL entries are kept: the spawner rejects them)."""
    seen: set[bytes] = set()
    kept: list[bytes] = []
    for entry in reversed(entries):
        if not entry:
            continue
        name = _dedup_name(entry)
        if name is not None:
            if name in seen:
                continue
            seen.add(name)
        kept.append(entry)
    kept.reverse()
    return kept


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _started_by_bootloader() -> int | None:
    """The bootloader's pid when this is the Python half of a PyInstaller executable."""
    if not getattr(sys, "frozen", False):
        return None
    parent = os.getppid()
    try:
        same = os.readlink(f"/proc/{parent}/exe") == os.readlink("/proc/self/exe")
    except OSError:
        return None
    return parent if same else None


def initial_environment_block() -> list[bytes] | None:
    """The environment mittnite was started with, entry by entry; None if unreadable."""
    bootloader = _started_by_bootloader()
    data = _read(f"/proc/{bootloader}/environ" if bootloader else "/proc/self/environ")
    if data is None:
        return None
    return parse_environ_block(data)


def restore_original_environment(block: Sequence[bytes] | None = None) -> bool:
    """Make the process environment exactly the one mittnite was started with.

    Call it first in every entry point, before anything reads the environment. Variables
    the interpreter (or the bootloader) added are removed, changed ones get their
    original values back; the original block is remembered for
    :func:`inherited_environment`. Returns False (and changes nothing) without ``/proc``.
    ``block`` replaces the block read from ``/proc`` (tests).
    """
    global _original, _original_map
    entries_block = initial_environment_block() if block is None else list(block)
    if entries_block is None:
        return False
    entries = go_environ(entries_block)
    wanted = environ_map(entries)
    current = os.environb
    for name in [name for name in current if name not in wanted]:
        try:
            del current[name]
        except ValueError:  # an empty name: unsetenv refuses it
            continue
    for name, value in wanted.items():
        if current.get(name) != value:
            try:
                current[name] = value
            except ValueError:  # an empty name: setenv cannot hold it, execve can
                continue
    _original = tuple(entries)
    _original_map = dict(current)  # what "unchanged since start-up" looks like
    return True


def inherited_environment() -> list[bytes]:
    """Go's ``os.Environ()`` now: the original block while nobody changed the environment.

    The block keeps what ``os.environ`` cannot show (entries without ``=``, the order the
    container gave); once mittnite's own environment was changed (it never is in ``up``,
    tests do), the current ``os.environb`` is the truth.
    """
    current = dict(os.environb)
    if _original is not None and current == _original_map:
        return list(_original)
    return [name + b"=" + value for name, value in current.items()]


def child_environment(extra: Sequence[str] | None) -> list[bytes]:
    """A job's (or command's) environment: mittnite's plus ``extra``, as Go's ``os/exec`` builds it."""
    base = inherited_environment()
    if extra:
        base.extend(os.fsencode(entry) for entry in extra)
    return dedup_env(base)


def as_mapping(entries: Sequence[bytes]) -> Mapping[bytes, bytes]:
    """The best mapping for an entry list (for spawners that only take mappings).

    Entries without ``=`` and names containing ``=`` cannot be represented and are left out.
    """
    mapping: dict[bytes, bytes] = {}
    for entry in entries:
        name, sep, value = entry.partition(b"=")
        if sep and name:
            mapping[name] = value
    return mapping

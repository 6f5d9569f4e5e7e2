"""What a watched path "is", so that real changes signal a job and unrelated swaps do not.

The original compares modification times: a ``touch`` (or a config
management run rewriting identical content) signals the job, while a change
that keeps the time is missed. Here a path is identified by its *content*,
and for the same file (same device and inode) by its modification time too:

* a ``touch`` or an in-place rewrite signals, as in the original (setups touch
  a file to ask for a reload);
* a change that keeps the time (same size, within one kernel tick, or times
  reset) is caught, which the original misses;
* a *different* file with the same bytes in its place (a Kubernetes ConfigMap
  ``..data`` swap made for another key, an atomic replace by an identical
  copy) is no change: the original would signal, for nothing.

How the content is taken:

* regular files: a BLAKE2b digest of the bytes. Files up to ``SMALL_FILE``
  (64 KiB; nearly every config file) are read on every evaluation, which
  costs microseconds and cannot be fooled by the coarse (one kernel tick)
  granularity of file times: two writes of equal size within one tick leave
  size, mtime and ctime identical. Larger files are read only when their
  cheap identity (device, inode, size, mtime, ctime) changed. Files above
  ``HASH_LIMIT`` (8 MiB) are identified by that cheap identity alone, so that
  one evaluation never blocks the event loop for long;
* directories (a pattern may match one): the sorted list of entry names;
* anything that cannot be read (permissions) and special files (FIFOs,
  devices: opening them can block or have side effects): the cheap identity.

Symlinks are followed (a dangling symlink counts as absent, as ``os.Stat``
does in the original). A ``chmod`` changes neither time nor content: no change.
"""

from __future__ import annotations

import os
import stat

try:  # the built-in module; hashlib would load OpenSSL (~4 ms) for the same function
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython builds without it
    from hashlib import blake2b

SMALL_FILE = 64 * 1024
HASH_LIMIT = 8 * 1024 * 1024
_CHUNK = 1024 * 1024
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)


class Fingerprint:
    """The identity of one path: ``digest`` (and, for the same file, its modification time)
    decides equality; ``key`` saves reads."""

    __slots__ = ("digest", "key")

    def __init__(self, key: tuple[int, ...], digest: bytes) -> None:
        self.key = key
        self.digest = digest

    def __eq__(self, other: object) -> bool:
        """Same content, and not the same file with another modification time."""
        if not isinstance(other, Fingerprint) or other.digest != self.digest:
            return False
        same_file = self.key[1:3] == other.key[1:3]
        return not same_file or self.key[4] == other.key[4]

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        return f"Fingerprint({self.digest.hex()[:16]})"


def _key(info: os.stat_result) -> tuple[int, ...]:
    return (
        stat.S_IFMT(info.st_mode),
        info.st_dev,
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    )


def _by_key(key: tuple[int, ...]) -> bytes:
    return b"stat:" + repr(key).encode()


def _hash_fd(fd: int) -> bytes:
    digest = blake2b(digest_size=20)
    while True:
        block = os.read(fd, _CHUNK)
        if not block:
            return b"blake2b:" + digest.digest()
        digest.update(block)


def _file(path: str, info: os.stat_result, previous: Fingerprint | None) -> Fingerprint:
    key = _key(info)
    if info.st_size > HASH_LIMIT:
        return Fingerprint(key, _by_key(key))
    if previous is not None and previous.key == key and info.st_size > SMALL_FILE:
        return previous
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return Fingerprint(key, _by_key(key))  # unreadable: the cheap identity it is
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else meanwhile
            return Fingerprint(_key(opened), _by_key(_key(opened)))
        key = _key(opened)
        try:
            return Fingerprint(key, _hash_fd(fd))
        except OSError:
            return Fingerprint(key, _by_key(key))
    finally:
        os.close(fd)


def _directory(path: str, info: os.stat_result) -> Fingerprint:
    key = _key(info)
    try:
        names = sorted(os.fsencode(name) for name in os.listdir(path))
    except OSError:
        return Fingerprint(key, _by_key(key))
    digest = blake2b(b"\0".join(names), digest_size=20).digest()
    return Fingerprint(key, b"dir:" + digest)


def take(path: str, previous: Fingerprint | None = None) -> Fingerprint | None:
    """The fingerprint of ``path`` now, or None when it does not exist (for us).

    ``previous`` (this path's last fingerprint) lets large files skip the
    read when their cheap identity is unchanged.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None  # missing, dangling symlink, symlink loop, unreachable
    if stat.S_ISREG(info.st_mode):
        return _file(path, info, previous)
    if stat.S_ISDIR(info.st_mode):
        return _directory(path, info)
    return Fingerprint(_key(info), _by_key(_key(info)))

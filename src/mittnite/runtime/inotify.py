"""Directory change notifications on the asyncio loop: inotify, or stat polling.

The watch code needs to hear, within milliseconds, that "something under this
directory changed", however it changed: in-place writes, renames over a
file, editors' swap-file dances, Kubernetes' atomic ``..data`` symlink swaps,
directories that are deleted and created again. It then looks at the files
itself, so this module only reports *where* (directory, entry name), never
interprets events.

One :class:`WatchHub` owns one inotify descriptor for all subscribers and all
directories, read with ``loop.add_reader`` (no threads). A directory watched
by several subscribers costs one kernel watch. Watches follow directory
symlinks; when the path starts pointing at another directory (a swapped
symlink, a directory replaced by a new one) the next :meth:`Subscription.
set_directories` notices the new identity and moves the watch.

Polling (``os.scandir`` + ``lstat``, every ``poll_interval`` seconds) is used

* for everything when inotify is unavailable (``ENOSYS`` in odd sandboxes,
  ``EMFILE``/``ENFILE``, the per-user instance limit) or when asked to
  (``mode="poll"``, tests);
* per directory when the watch limit is reached (``ENOSPC``) or the kernel
  refuses the watch;
* *in addition* to inotify for directories on file systems whose changes are
  made elsewhere and produce no local events (NFS, SMB, FUSE, 9p, Ceph ...).

Why ctypes and not the ``inotify_simple`` package: that package imports
``enum`` and friends (about 35 ms at start) and locates libc with
``ctypes.util.find_library``, which runs ``ldconfig`` in a subprocess - a
child that an init's reaper would then race for. ``CDLL(None)`` binds to the
libc already loaded into the process, on glibc and musl alike.
"""

from __future__ import annotations

import asyncio
import errno
import os
import stat
import struct
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    Callback = Callable[[str, "str | None"], None]

# inotify(7) event bits.
IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000

#: What a watched directory reports: every way an entry can change content,
#: metadata or identity, and the directory itself going away.
DIRECTORY_MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)

DEFAULT_POLL_INTERVAL = 2.0
RECENT = 1.0  # entries modified this recently are reported again on the next scan

#: statfs(2) magic numbers of file systems whose changes can happen on another
#: machine (or in user space) and then produce no inotify events here.
EVENTLESS_FILESYSTEMS = frozenset(
    {
        0x6969,  # nfs
        0x517B,  # smb
        0xFF534D42,  # cifs
        0xFE534D42,  # smb2
        0x65735546,  # fuse (sshfs, gcsfuse, virtiofs, Docker Desktop shares)
        0x01021997,  # 9p (WSL2, gVisor gofer, VM shares)
        0x00C36400,  # ceph
        0x5346414F,  # afs
        0x6B414653,  # kafs
        0x73757245,  # coda
        0x0BD00BD0,  # lustre
        0x01161970,  # gfs2
        0x7461636F,  # ocfs2
    }
)

_EVENT = struct.Struct("iIII")
_READ_SIZE = 64 * 1024


class _Inotify:
    """The three system calls, through the libc already in the process."""

    def __init__(self) -> None:
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            self._init1 = libc.inotify_init1
            self._add = libc.inotify_add_watch
            self._rm = libc.inotify_rm_watch
            self._statfs = libc.statfs
        except (OSError, AttributeError) as error:
            raise OSError(errno.ENOSYS, "inotify is not available") from error
        self._ctypes = ctypes
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._rm.argtypes = [ctypes.c_int, ctypes.c_int]
        self._statfs.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        fd = self._init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            self._raise()
        self.fd: int = fd

    def _raise(self) -> None:
        code = self._ctypes.get_errno()
        raise OSError(code, os.strerror(code))

    def add_watch(self, path: str, mask: int) -> int:
        wd: int = self._add(self.fd, os.fsencode(path), mask)
        if wd < 0:
            self._raise()
        return wd

    def rm_watch(self, wd: int) -> None:
        self._rm(self.fd, wd)  # EINVAL for a watch the kernel already dropped: fine

    def fs_magic(self, path: str) -> int | None:
        """The file system type of ``path`` (statfs ``f_type``), None if unknown."""
        buffer = self._ctypes.create_string_buffer(512)
        if self._statfs(os.fsencode(path), buffer) != 0:
            return None
        # f_type is the first member; a long everywhere but on s390x.
        width = (
            4 if os.uname().machine.startswith("s390") else self._ctypes.sizeof(self._ctypes.c_long)
        )
        return int.from_bytes(buffer.raw[:width], sys.byteorder) & 0xFFFFFFFF

    def read_events(self) -> list[tuple[int, int, str | None]]:
        """All queued events as (wd, mask, name or None)."""
        events: list[tuple[int, int, str | None]] = []
        while True:
            try:
                data = os.read(self.fd, _READ_SIZE)
            except (BlockingIOError, InterruptedError):
                return events
            if not data:
                return events
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size
                raw = data[offset : offset + length].rstrip(b"\0")
                offset += length
                events.append((wd, mask, os.fsdecode(raw) if raw else None))

    def close(self) -> None:
        os.close(self.fd)


class _Directory:
    """One watched directory path and who is interested in it."""

    __slots__ = ("ident", "path", "polled", "recent", "snapshot", "subscribers", "wd")

    def __init__(self, path: str) -> None:
        self.path = path
        self.subscribers: set[Subscription] = set()
        self.wd: int | None = None
        self.ident: tuple[int, int] | None = None  # (st_dev, st_ino) when watched
        self.polled = False
        self.snapshot: dict[str, tuple[int, int, int, int, int]] | None = None
        self.recent: set[str] = set()


class Subscription:
    """One consumer's set of directories; its callback hears about their changes."""

    def __init__(self, hub: WatchHub, callback: Callback) -> None:
        self._hub = hub
        self.callback = callback
        self.directories: set[str] = set()
        self.closed = False

    def set_directories(self, directories: Iterable[str]) -> set[str]:
        """Watch exactly ``directories`` (made absolute); return those watched anew.

        "Anew" means new to this subscription, or a path that now leads to a
        different directory than before. Changes made inside those before
        this call were not reported to this subscription, so the caller
        should look at them again.
        Paths that do not exist, or are not directories, are skipped and
        retried on the next call.
        """
        if self.closed:
            return set()
        wanted = {os.path.abspath(path) for path in directories}
        for path in self.directories - wanted:
            self._hub._detach(path, self)
        before = self.directories
        self.directories = wanted
        fresh = set()
        for path in sorted(wanted):
            if self._hub._attach(path, self) or path not in before:
                fresh.add(path)
        return fresh

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            for path in self.directories:
                self._hub._detach(path, self)
            self.directories = set()


class WatchHub:
    """All directory watches of a process, on one inotify descriptor (or polling).

    ``mode`` is ``"auto"`` (inotify, falling back to polling), ``"inotify"``
    (fail if unavailable) or ``"poll"``. Create it while the loop runs.
    """

    def __init__(
        self,
        *,
        mode: str = "auto",
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        if mode not in ("auto", "inotify", "poll"):
            raise ValueError(f"unknown watch mode {mode!r}")
        self.loop = loop or asyncio.get_running_loop()
        self.poll_interval = poll_interval
        self._dirs: dict[str, _Directory] = {}
        self._wds: dict[int, set[str]] = {}
        self._poll_handle: asyncio.TimerHandle | None = None
        self._inotify: _Inotify | None = None
        #: Why inotify is not used, if it is not (for a log line).
        self.fallback_reason: str | None = None
        if mode != "poll":
            try:
                self._inotify = _Inotify()
            except OSError as error:
                if mode == "inotify":
                    raise
                self.fallback_reason = f"inotify unavailable: {error.strerror or error}"
            else:
                self.loop.add_reader(self._inotify.fd, self._on_readable)
        self.closed = False

    @property
    def mode(self) -> str:
        """The backend in use: ``inotify`` or ``poll``."""
        return "poll" if self._inotify is None else "inotify"

    def subscribe(self, callback: Callback) -> Subscription:
        """A new consumer; ``callback(directory, name)`` is called on the loop.

        ``name`` is the entry that changed, or None when the directory itself
        changed (removed, moved, replaced) or events were lost (queue
        overflow): then anything in it may have changed.
        """
        return Subscription(self, callback)

    def watched(self) -> dict[str, str]:
        """Watched paths and how (``inotify``, ``poll``, ``both``); for tests and status."""
        result = {}
        for path, entry in self._dirs.items():
            if entry.wd is not None and entry.polled:
                result[path] = "both"
            elif entry.wd is not None:
                result[path] = "inotify"
            elif entry.polled:
                result[path] = "poll"
        return result

    def close(self) -> None:
        """Release the descriptor, every watch and the poll timer."""
        if self.closed:
            return
        self.closed = True
        if self._poll_handle is not None:
            self._poll_handle.cancel()
            self._poll_handle = None
        if self._inotify is not None:
            self.loop.remove_reader(self._inotify.fd)
            self._inotify.close()
            self._inotify = None
        self._dirs.clear()
        self._wds.clear()

    # -- bookkeeping ----------------------------------------------------------------
    def _attach(self, path: str, subscriber: Subscription) -> bool:
        entry = self._dirs.get(path)
        if entry is None:
            entry = self._dirs[path] = _Directory(path)
        entry.subscribers.add(subscriber)
        return self._ensure(entry)

    def _detach(self, path: str, subscriber: Subscription) -> None:
        entry = self._dirs.get(path)
        if entry is None:
            return
        entry.subscribers.discard(subscriber)
        if not entry.subscribers:
            self._unwatch(entry)
            del self._dirs[path]

    def _ensure(self, entry: _Directory) -> bool:
        """Make sure the directory now at ``entry.path`` is watched; True if newly."""
        if self.closed:
            return False
        try:
            info = os.stat(entry.path)
        except (OSError, ValueError):
            self._unwatch(entry)
            return False
        if not stat.S_ISDIR(info.st_mode):
            self._unwatch(entry)
            return False
        ident = (info.st_dev, info.st_ino)
        if entry.ident == ident and (entry.wd is not None or entry.polled):
            return False
        self._unwatch(entry)
        entry.ident = ident
        poll = self._inotify is None
        if self._inotify is not None:
            try:
                wd = self._inotify.add_watch(entry.path, DIRECTORY_MASK)
            except OSError as error:
                if error.errno in (errno.ENOENT, errno.ENOTDIR):
                    entry.ident = None
                    return False  # gone meanwhile; the parent's events bring us back
                poll = True  # ENOSPC (watch limit), EACCES, ...
            else:
                entry.wd = wd
                self._wds.setdefault(wd, set()).add(entry.path)
                poll = self._inotify.fs_magic(entry.path) in EVENTLESS_FILESYSTEMS
        if poll:
            entry.polled = True
            entry.snapshot = _scan(entry.path)
            entry.recent = _recent(entry.snapshot, time.time())
            self._schedule_poll()
        return True

    def _unwatch(self, entry: _Directory) -> None:
        if entry.wd is not None:
            paths = self._wds.get(entry.wd)
            if paths is not None:
                paths.discard(entry.path)
                if not paths:
                    del self._wds[entry.wd]
                    if self._inotify is not None:
                        self._inotify.rm_watch(entry.wd)
            entry.wd = None
        entry.polled = False
        entry.snapshot = None
        entry.recent = set()
        entry.ident = None

    # -- inotify --------------------------------------------------------------------
    def _on_readable(self) -> None:
        if self._inotify is None:
            return
        try:
            events = self._inotify.read_events()
        except OSError as error:
            self.loop.call_exception_handler(
                {"message": "reading inotify events failed", "exception": error}
            )
            return
        pending: dict[tuple[str, str | None], None] = {}
        for wd, mask, name in events:
            if mask & IN_Q_OVERFLOW:
                # Events were lost: every directory may have changed.
                for path in self._dirs:
                    pending[(path, None)] = None
                continue
            paths = self._wds.get(wd)
            if not paths:
                continue  # a watch we already dropped
            if mask & (IN_IGNORED | IN_MOVE_SELF | IN_DELETE_SELF | IN_UNMOUNT):
                # The directory is gone from this path (or moved away with the
                # watch on it): forget the watch; the consumer re-evaluates and
                # set_directories() watches whatever is at the path now.
                for path in sorted(paths):
                    pending[(path, None)] = None
                    entry = self._dirs.get(path)
                    if entry is not None:
                        self._unwatch(entry)
                if mask & IN_IGNORED:
                    self._wds.pop(wd, None)
                continue
            for path in paths:
                pending[(path, name)] = None
        self._notify(pending)

    def _notify(self, pending: dict[tuple[str, str | None], None]) -> None:
        for path, name in pending:
            entry = self._dirs.get(path)
            if entry is None:
                continue
            for subscriber in list(entry.subscribers):
                if subscriber.closed:
                    continue
                try:
                    subscriber.callback(path, name)
                except Exception as error:  # one consumer's bug must not stop the rest
                    self.loop.call_exception_handler(
                        {"message": "watch callback failed", "exception": error}
                    )

    # -- polling --------------------------------------------------------------------
    def _schedule_poll(self) -> None:
        if self._poll_handle is None and not self.closed:
            self._poll_handle = self.loop.call_later(self.poll_interval, self._poll)

    def _poll(self) -> None:
        self._poll_handle = None
        if self.closed:
            return
        pending: dict[tuple[str, str | None], None] = {}
        now = time.time()
        for entry in list(self._dirs.values()):
            if not entry.polled:
                continue
            try:
                info = os.stat(entry.path)
                ident: tuple[int, int] | None = (info.st_dev, info.st_ino)
                if not stat.S_ISDIR(info.st_mode):
                    ident = None
            except (OSError, ValueError):
                ident = None
            if ident != entry.ident:
                # Removed or replaced: report it; set_directories() re-watches.
                pending[(entry.path, None)] = None
                if entry.wd is None:
                    self._unwatch(entry)
                continue
            snapshot = _scan(entry.path)
            old = entry.snapshot or {}
            for name in entry.recent:
                pending[(entry.path, name)] = None
            for name in old.keys() | snapshot.keys():
                if old.get(name) != snapshot.get(name):
                    pending[(entry.path, name)] = None
            entry.snapshot = snapshot
            entry.recent = _recent(snapshot, now)
        if any(entry.polled for entry in self._dirs.values()):
            self._schedule_poll()
        self._notify(pending)


def _scan(path: str) -> dict[str, tuple[int, int, int, int, int]]:
    """Entry name -> lstat fingerprint (inode, mode, size, mtime, ctime)."""
    snapshot = {}
    try:
        with os.scandir(path) as entries:
            for item in entries:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                snapshot[item.name] = (
                    info.st_ino,
                    info.st_mode,
                    info.st_size,
                    info.st_mtime_ns,
                    info.st_ctime_ns,
                )
    except OSError:
        pass
    return snapshot


def _recent(snapshot: dict[str, tuple[int, int, int, int, int]], now: float) -> set[str]:
    """Entries changed within RECENT seconds of ``now``.

    File times have a coarse granularity (a kernel tick): a second write in
    the same tick as the scan that saw the first one leaves size and times
    unchanged. Reporting such young entries once more closes that gap; the
    consumer compares contents, so a repeat costs a look and nothing else.
    """
    horizon = int((now - RECENT) * 1e9)
    return {name for name, info in snapshot.items() if max(info[3], info[4]) >= horizon}

"""``--pidfile``: write mittnite's PID on start, remove it on exit.

Follows the original (exclusive create, mode 0644, the PID without a
newline, stale files of dead processes replaced) and fixes its bugs: a file
holding our own PID - the normal case when a container restarts and mittnite
is PID 1 again - is stale, not "a running process"; a trailing newline
written by another tool is accepted; release removes the file instead of
closing stdin.
"""

from __future__ import annotations

import contextlib
import errno
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    LogFn = Callable[[str], None]


class PidFileError(Exception):
    """The PID file cannot be written (or belongs to a running process)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


class PidFile:
    """An acquired PID file; :meth:`release` removes it."""

    def __init__(self, path: str, log: LogFn | None = None) -> None:
        self.path = path
        self._log = log or (lambda _msg: None)
        self.acquired = False

    def acquire(self) -> None:
        """Create the file with our PID, replacing a stale one."""
        directory = os.path.dirname(self.path)
        if directory:
            os.makedirs(directory, mode=0o755, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                self._remove_if_stale()
                continue
            except OSError as exc:
                raise PidFileError(
                    f'failed to write pid file to "{self.path}": {exc.strerror}'
                ) from exc
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            self.acquired = True
            self._log(f"acquired pid file {self.path}")
            return
        raise PidFileError(f'failed to write pid file to "{self.path}": it keeps reappearing')

    def _remove_if_stale(self) -> None:
        try:
            with open(self.path) as handle:
                content = handle.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise PidFileError(f"failed to read pid file '{self.path}': {exc.strerror}") from exc
        try:
            pid = int(content.strip())
        except ValueError:
            raise PidFileError(
                f"failed to parse pid file '{self.path}': {content[:40]!r} is not a process id"
            ) from None
        if pid != os.getpid() and pid > 0 and _pid_alive(pid):
            raise PidFileError(
                f'pid file "{self.path}" already exists and contains the PID of a running process'
            )
        self._log("existing pid file contains the PID of a non-running process; removing it")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def release(self) -> None:
        """Remove the file (only if we wrote it)."""
        if not self.acquired:
            return
        self.acquired = False
        try:
            os.unlink(self.path)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                self._log(f"error while cleaning up the pid file: {exc}")
                return
        self._log(f"released pid file {self.path}")

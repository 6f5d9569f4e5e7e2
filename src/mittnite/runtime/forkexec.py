"""fork + exec of one child with an environment given as a list of entries.

Why not ``subprocess.Popen``: it takes the environment as a mapping and rebuilds every
entry as ``name=value``, so an entry without ``=`` (which Go's ``os/exec``, and so the
original, passes to ``execve`` verbatim) cannot be given to a child, nor can a name
containing ``=``. The C helper behind Popen, ``_posixsubprocess.fork_exec``, takes the
final list of ``bytes`` entries. It is a private API, so:

* it is used only on CPython versions whose signature was checked (3.11 to 3.13; the
  ``allow_vfork`` argument exists exactly when ``subprocess._USE_VFORK`` does);
* everything around the call is what Popen does (error pipe, its message format, waiting
  for a child that failed to exec), so the behaviour is Popen's;
* :func:`supported` says whether it can be used; the spawner falls back to Popen with a
  mapping otherwise (entries that a mapping cannot hold are then lost, and said so in
  the docs).

The child gets: its own process group (pgid = pid), default dispositions for the signals
CPython ignores (``restore_signals``), descriptors 0-2 as given (``-1`` inherits), every
other descriptor closed.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["fork_exec", "supported"]

_MAX_ERROR_REPORT = 50000


def _load() -> Callable[..., int] | None:
    if sys.implementation.name != "cpython" or not (3, 11) <= sys.version_info[:2] <= (3, 13):
        return None
    try:
        import _posixsubprocess
        import subprocess
    except ImportError:
        return None
    function: Any = getattr(_posixsubprocess, "fork_exec", None)
    if function is None:
        return None
    with_vfork_flag = hasattr(subprocess, "_USE_VFORK")

    def call(arguments: tuple[Any, ...]) -> int:
        full = (*arguments, True) if with_vfork_flag else arguments
        pid: int = function(*full)
        return pid

    return call


_call = _load()


def supported() -> bool:
    """Whether :func:`fork_exec` can run on this interpreter."""
    return _call is not None


def _error_pipe() -> tuple[int, int]:
    """A close-on-exec pipe whose write end is not one of the standard descriptors."""
    read_end, write_end = os.pipe()
    low: list[int] = []
    while write_end < 3:
        low.append(write_end)
        write_end = os.dup(write_end)
    for fd in low:
        os.close(fd)
    return read_end, write_end


def fork_exec(
    argv: Sequence[bytes],
    executable: bytes,
    *,
    env: Sequence[bytes] | None,
    cwd: str | None = None,
    stdin: int = -1,
    stdout: int = -1,
    stderr: int = -1,
    preexec_fn: Callable[[], None] | None = None,
) -> int:
    """Start ``executable`` with ``argv`` and ``env`` (None: inherit); return the pid.

    ``preexec_fn`` runs in the child after the standard descriptors, the working
    directory, the signals and the process group are set up, as Popen runs it
    (``runtime.activation.Handoff`` uses it, and execs from there itself).

    Returns once the child has exec'd. If it could not (missing file, permission, the
    working directory), the child is waited for and ``OSError`` is raised as Popen raises
    it: ``filename`` is the working directory when ``chdir`` failed, else the executable.
    Raises ``RuntimeError`` if :func:`supported` is False.
    """
    if _call is None:
        raise RuntimeError("_posixsubprocess.fork_exec is not usable on this interpreter")
    read_end, write_end = _error_pipe()
    try:
        try:
            pid = _call(
                (
                    list(argv),
                    (executable,),
                    True,  # close_fds
                    (write_end,),  # pass_fds
                    cwd,
                    None if env is None else list(env),
                    stdin,
                    -1,
                    -1,
                    stdout,
                    -1,
                    stderr,
                    read_end,
                    write_end,
                    True,  # restore_signals
                    False,  # call_setsid
                    0,  # pgid_to_set: a group of its own
                    None,  # gid
                    None,  # extra_groups
                    None,  # uid
                    -1,  # child_umask
                    preexec_fn,
                )
            )
        finally:
            os.close(write_end)
        report = bytearray()
        while True:
            part = os.read(read_end, _MAX_ERROR_REPORT)
            report += part
            if not part or len(report) > _MAX_ERROR_REPORT:
                break
    finally:
        os.close(read_end)
    if report:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        raise _child_error(bytes(report), executable, cwd)
    return pid


def _child_error(report: bytes, executable: bytes, cwd: str | None) -> Exception:
    """Turn the child's ``ExceptionName:hex errno:message`` report into the exception."""
    try:
        name, hex_errno, message_bytes = report.split(b":", 2)
        message = message_bytes.decode()
    except ValueError:
        return OSError(0, f"bad exception data from child: {report!r}")
    kind = getattr(builtins, name.decode("ascii", "replace"), None)
    if not isinstance(kind, type) or not issubclass(kind, Exception):
        return OSError(0, message)
    if issubclass(kind, OSError) and hex_errno:
        number = int(hex_errno, 16)
        filename: str | bytes | None = cwd if message == "noexec" else os.fsdecode(executable)
        text = os.strerror(number) if number else ""
        return kind(number, text, filename)
    return kind(message)

"""The error texts Go's ``os/exec`` produces when a command cannot be started.

mittnite logs these verbatim (``exec: "x": executable file not found in $PATH``,
``fork/exec /bin/x: permission denied``), so the port rebuilds them from three facts:
Go's errno wording, Go's string quoting and the shape of each error.
"""

from __future__ import annotations

import errno
import os

# Go's ``syscall.Errno.Error()`` wording for the errnos that starting a process can produce.
# It is glibc's ``strerror`` with a lower-case first letter, except where Go kept older texts;
# the table pins the common cases so the words do not depend on the C library.
_GO_ERRNO_TEXTS: dict[int, str] = {
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or directory",
    errno.ESRCH: "no such process",
    errno.EIO: "input/output error",
    errno.E2BIG: "argument list too long",
    errno.ENOEXEC: "exec format error",
    errno.EAGAIN: "resource temporarily unavailable",
    errno.ENOMEM: "cannot allocate memory",
    errno.EACCES: "permission denied",
    errno.EFAULT: "bad address",
    errno.ENOTDIR: "not a directory",
    errno.EISDIR: "is a directory",
    errno.EINVAL: "invalid argument",
    errno.ENFILE: "too many open files in system",
    errno.EMFILE: "too many open files",
    errno.ETXTBSY: "text file busy",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ELIBBAD: "accessing a corrupted shared library",
    errno.ESTALE: "stale NFS file handle",
}

# Go's errno table ends at 133 and has holes where glibc has no name.
_GO_ERRNO_UNNAMED = frozenset({41, 58})
_GO_ERRNO_LIMIT = 133


def errno_text(number: int) -> str:
    """Return Go's ``syscall.Errno(number).Error()`` text for Linux."""
    known = _GO_ERRNO_TEXTS.get(number)
    if known is not None:
        return known
    if number <= 0 or number >= _GO_ERRNO_LIMIT or number in _GO_ERRNO_UNNAMED:
        return f"errno {number}"
    text = os.strerror(number)
    if text.startswith("Unknown error"):
        return f"errno {number}"
    # Go keeps acronyms such as "RFS" upper case; only a capital followed by lower case is
    # a sentence start to soften.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


_SHORT_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Quote like Go's ``strconv.Quote`` so command names print as Go prints them.

    Undecodable bytes (Python keeps them as surrogate escapes) come out as ``\\xNN``, just
    as Go shows invalid UTF-8.
    """
    parts = ['"']
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            parts.append(_SHORT_ESCAPES[char])
        elif 0xDC80 <= code <= 0xDCFF:
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif char == " " or char.isprintable():
            parts.append(char)
        elif code < 0x80:
            parts.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    parts.append('"')
    return "".join(parts)


class SpawnError(Exception):
    """A command could not be started; ``str()`` is exactly what Go would have said.

    The attributes keep the facts apart from the text so the supervisor can log more than
    Go did (Go blames the executable even when the working directory is missing).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        errno_number: int | None = None,
        working_directory: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.errno = errno_number
        # Set when the child failed before exec (Python reports the chdir), None otherwise.
        self.working_directory = working_directory

    def __str__(self) -> str:
        return self.message


def no_command_error() -> SpawnError:
    """Go's error for an empty command name."""
    return SpawnError("exec: no command")


def lookup_error(name: str, reason: str) -> SpawnError:
    """Go's ``exec.Error``: the lookup of ``name`` failed for ``reason``."""
    return SpawnError(f"exec: {go_quote(name)}: {reason}", path=name)


def start_error(
    path: str, errno_number: int, *, working_directory: str | None = None
) -> SpawnError:
    """Go's ``fork/exec`` error: the kernel refused to start ``path``.

    mittnite starts children with ``Setpgid``, so Go skips its own working-directory check
    and a missing directory is reported against the executable, with the ``chdir`` errno.
    """
    return SpawnError(
        f"fork/exec {path}: {errno_text(errno_number)}",
        path=path,
        errno_number=errno_number,
        working_directory=working_directory,
    )

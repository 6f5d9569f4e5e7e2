"""Go's ``os.MkdirAll``, so that a failure names the same directory as the original does.

Python's ``os.makedirs`` reports the deepest directory it tried to create; Go's
``MkdirAll`` first walks up to an existing ancestor, so below a regular file the
error names that file (``mkdir /srv/app.log: not a directory``), and otherwise the
directory whose ``mkdir`` failed. The raised ``OSError`` carries Go's path in
``filename``; the operation is always ``mkdir``.
"""

from __future__ import annotations

import errno
import os
import stat


def mkdir_all(path: str, mode: int = 0o777) -> None:
    """Create ``path`` and its missing parents as Go's ``os.MkdirAll(path, mode)``."""
    try:
        info = os.stat(path)
    except OSError:
        pass
    else:
        if stat.S_ISDIR(info.st_mode):
            return
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), path)
    end = len(path)
    while end > 0 and path[end - 1] == "/":  # trailing separators
        end -= 1
    start = end
    while start > 0 and path[start - 1] != "/":  # back over the last element
        start -= 1
    if start > 1:
        mkdir_all(path[: start - 1], mode)
    try:
        os.mkdir(path, mode)
    except OSError:
        try:
            if stat.S_ISDIR(os.lstat(path).st_mode):
                return  # created meanwhile by somebody else
        except OSError:
            pass
        raise

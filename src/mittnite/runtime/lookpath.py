"""Finding a command's executable the way Go's ``exec.Command`` does.

Users' configs were written against Go's rules, which differ from the shell's and from
``shutil.which`` in ways that decide whether a job starts:

* only a bare name (``filepath.Base(name) == name``) is searched in ``$PATH``; anything
  else is used as given and fails, if at all, at exec time;
* the search uses mittnite's own ``$PATH``, not the job's environment;
* a file qualifies when it is not a directory and has any execute bit (no ``access``
  check, so root sees the same as everyone);
* an empty ``$PATH`` element means ``.``, and a hit that is not an absolute path is
  refused (Go 1.19's ``ErrDot``) rather than run from the current directory.
"""

from __future__ import annotations

import errno
import os
import stat

from mittnite.runtime.goerrors import SpawnError, errno_text, lookup_error, no_command_error

NOT_FOUND = "executable file not found in $PATH"
RELATIVE_TO_CWD = "cannot run executable found relative to current directory"


def go_base(path: str) -> str:
    """Go's ``filepath.Base``: last element, trailing slashes ignored, ``"."`` for empty."""
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def _check_executable(path: str) -> int | None:
    """Return ``None`` when Go would run ``path``, else the errno explaining why not."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return error.errno
    if not stat.S_ISDIR(mode) and mode & 0o111:
        return None
    return errno.EACCES


def _go_join(directory: str, name: str) -> str:
    """Go's ``filepath.Join``: join, then clean (``./x`` is ``x``, ``//a`` is ``/a``)."""
    joined = os.path.normpath(os.path.join(directory, name))
    return "/" + joined.lstrip("/") if joined.startswith("//") else joined


def look_path(name: str, search_path: str | None = None) -> str:
    """Go's ``exec.LookPath``: resolve ``name`` against ``search_path`` (default ``$PATH``).

    Raises ``SpawnError`` with Go's text when nothing qualifies.
    """
    if "/" in name:
        problem = _check_executable(name)
        if problem is None:
            return name
        raise lookup_error(name, errno_text(problem))
    if search_path is None:
        search_path = os.environ.get("PATH", "")
    for directory in search_path.split(os.pathsep) if search_path else ():
        candidate = _go_join(directory or ".", name)
        if _check_executable(candidate) is None:
            if not os.path.isabs(candidate):
                raise lookup_error(name, RELATIVE_TO_CWD)
            return candidate
    raise lookup_error(name, NOT_FOUND)


def resolve_command(name: str, search_path: str | None = None) -> str:
    """Return the path ``exec.Command(name)`` would start, or raise Go's ``SpawnError``.

    Names that are not bare (they contain a slash) are returned untouched: Go leaves them
    to ``fork/exec`` to judge.
    """
    if name == "":
        raise no_command_error()
    if go_base(name) != name:
        return name
    return look_path(name, search_path)


__all__ = ["NOT_FOUND", "RELATIVE_TO_CWD", "SpawnError", "go_base", "look_path", "resolve_command"]

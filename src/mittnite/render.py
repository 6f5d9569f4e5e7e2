"""The ``file`` directive: render a Go template with ``.Params`` and ``.Env`` to a target.

As the original: ``from`` is read relative to the working directory, the
template is named after the target (that name appears in error messages),
``overwrite = false`` keeps an existing target, parent directories are
created, new files get mode 0666 minus the umask, and the data root is a
``*files.templateData`` with ``Env`` (``map[string]string``) and ``Params``.

Unlike the original, the target is replaced atomically: the output goes to a
temporary file in the target's directory which is renamed over the target
only after the template ran completely. A template error therefore never
leaves a truncated or half-written file behind (the original writes in
place). A target that is a symlink is written through, as the original does.

Error messages start with the original's Go text (scripts match it) and go
on with what Go left out: a template error names the template file and the
``file`` block (``template: /etc/app.conf:1: unexpected "}" in operand
(template file app.tpl; file block at /etc/mittnite.d/files.hcl:3:1)``), and
a target that cannot be created says why (a parent that is a regular file,
a file system such as ``/proc`` that allows no new files).
"""

from __future__ import annotations

import contextlib
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    from .config.model import FileConfig

    LogFn = Callable[[str], None]


class RenderError(Exception):
    """A file could not be rendered; the message is what the original would report."""


def to_template_value(value: Any) -> Any:
    """Decoded HCL params → template values (``[]map[string]interface {}`` keeps its type).

    hcl builds a list with one ``append`` per element, so it has Go's append-grown capacity,
    which sprig's ``slice`` can reach into (``slice .Params.list 0 4`` of three elements)."""
    from .config.hcl import MapList
    from .gotemplate.values import slice_of

    if isinstance(value, MapList):
        return slice_of("map[string]interface {}", [to_template_value(v) for v in value])
    if isinstance(value, list):
        from .gotemplate.sprig._collections import appended

        return appended([to_template_value(v) for v in value])
    if isinstance(value, dict):
        return {k: to_template_value(v) for k, v in value.items()}
    return value


def template_data(params: Mapping[str, Any] | None, environ: Mapping[str, str]) -> Any:
    """The template's dot: ``.Env`` and ``.Params`` (a nil map when no params are given,
    which Go prints as ``map[]`` and ranges over as empty)."""
    from .gotemplate import template_data as go_template_data
    from .gotemplate.values import MAP_STRING_ANY, map_of, zero_value

    env = map_of("string", "string", dict(environ))
    if params is None:
        converted = zero_value(MAP_STRING_ANY)
    else:
        converted = to_template_value(dict(params))
    return go_template_data(env, converted)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _create_temporary(directory: str, base: str) -> tuple[int, str]:
    """A new, empty, owner-only file next to the target (``tempfile.mkstemp`` without
    importing ``tempfile``, whose dependencies cost an init 8 ms at start-up)."""
    for _ in range(100):
        path = os.path.join(directory, f".{base}.{os.urandom(6).hex()}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name for {base} in {directory}")


def write_atomically(target: str, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one rename; keep an existing file's mode."""
    if os.path.islink(target):
        target = os.path.realpath(target)
    directory = os.path.dirname(target) or "."
    try:
        mode: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, temporary = _create_temporary(directory, os.path.basename(target))
    try:
        with os.fdopen(fd, "wb") as handle:
            # No fsync: the rename already makes the replacement atomic for every reader,
            # and durability across a power loss buys nothing here, because the files are
            # rendered again on every start (fsync cost ~4 ms per file, the bulk of a
            # container's render time).
            handle.write(data)
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        with contextlib.suppress(OSError):
            existing = os.stat(target)
            os.chown(temporary, existing.st_uid, existing.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _go_os_error(operation: str, path: str, exc: OSError, hint: str = "") -> RenderError:
    reason = exc.strerror or str(exc)
    text = f"{operation} {path}: {reason[:1].lower() + reason[1:]}"
    return RenderError(f"{text} ({hint})" if hint else text)


def _blocking_file(directory: str) -> str | None:
    """The first existing component of ``directory`` that is not a directory, if any."""
    current = os.path.abspath(directory)
    parts = []
    while current not in ("", "/"):
        parts.append(current)
        current = os.path.dirname(current)
    for path in reversed(parts):
        if not os.path.lexists(path):
            return None
        if not os.path.isdir(path):
            return path
    return None


def _nearest_existing(path: str) -> str:
    current = os.path.abspath(path)
    while not os.path.lexists(current) and current != "/":
        current = os.path.dirname(current)
    return current


def _creation_error(target: str, directory: str, exc: OSError) -> RenderError:
    """Why ``target`` (in ``directory``) cannot be created, in Go's words and then ours."""
    import errno

    blocker = _blocking_file(directory) if directory else None
    if blocker is not None:
        kind = "a regular file" if os.path.isfile(blocker) else "not a directory"
        return RenderError(
            f"mkdir {blocker}: not a directory ({blocker} is {kind}, so {target} "
            "cannot be created below it)"
        )
    if exc.errno == errno.ENOENT:
        existing = _nearest_existing(directory or ".")
        missing = directory if existing != os.path.abspath(directory or ".") else target
        operation = "mkdir" if missing == directory else "open"
        if existing.startswith(("/proc", "/sys")):
            system = "/proc" if existing.startswith("/proc") else "/sys"
            hint = f"{system} is a kernel file system: no files can be created there"
        else:
            hint = f"{existing} exists, but its file system does not allow creating {missing}"
        return _go_os_error(operation, missing, exc, hint)
    return _go_os_error("open", target, exc)


def render_file(
    file: FileConfig, environ: Mapping[str, str], funcs: Any, log: LogFn | None = None
) -> bool:
    """Render one ``file``; returns False when it was skipped (``overwrite = false``)."""
    from .gotemplate import TemplateError, parse

    target = file.target
    if not file.template:
        raise RenderError(f"configuration file {target} has no specified source")
    if not file.effective_overwrite and os.path.lexists(target):
        if log is not None:
            log(f"skipping already existing configuration file {target}")
        return False
    if log is not None:
        log(f"creating configuration file {target} from template {file.template}")
    try:
        with open(file.template, "rb") as handle:
            text = handle.read().decode("utf-8", "surrogateescape")
    except OSError as exc:
        raise _go_os_error("open", file.template, exc) from None
    try:
        output = parse(target, text, funcs).render(template_data(file.parameters, environ))
    except TemplateError as exc:
        raise RenderError(f"{exc} ({_where(file)})") from None
    directory = os.path.dirname(target)
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        write_atomically(target, output.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise _creation_error(target, directory, exc) from None
    return True


def _where(file: FileConfig) -> str:
    """The template file and the ``file`` block, for template errors (Go names neither)."""
    where = f"template file {file.template}"
    if file.source.line > 0:
        where += f"; file block at {file.source}"
    return where


def render_all(files: Iterable[FileConfig], log: LogFn | None = None) -> int:
    """Render every file in order; stops at the first error. Returns how many were written."""
    from .gotemplate.sprig import FUNCS

    environ = dict(os.environ)
    function_map = FUNCS
    written = 0
    for file in files:
        if render_file(file, environ, function_map, log):
            written += 1
    return written

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


def _go_os_error(operation: str, path: str, exc: OSError) -> RenderError:
    reason = exc.strerror or str(exc)
    return RenderError(f"{operation} {path}: {reason[:1].lower() + reason[1:]}")


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
        raise RenderError(str(exc)) from None
    directory = os.path.dirname(target)
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        write_atomically(target, output.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise _go_os_error("open", target, exc) from None
    return True


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

"""What ``mittnite up`` would run into before any job starts, checked by ``mittnite validate``.

The configuration can be valid and still fail at start: a template with a
syntax error, a ``from`` file that is not there, a target whose directory
cannot be created, a command that is not installed. ``validate`` looks for
all of these in one run, against the file system and ``$PATH`` of the
machine it runs on. Where that machine may well differ from the image the
configuration is for (``$PATH``, working directories, log files), the finding
is a warning; what ``up`` would certainly stop at is an error.

Templates are only parsed (with the template engine's parser, read-only),
never executed: their output depends on the environment ``up`` runs in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from .load import os_reason
from .model import BaseJob, BootJobConfig, FileConfig, Ignition, JobConfig, Source
from .problems import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .problems import Severity

_GO_TEMPLATE_POSITION = r"^template: (?P<name>.*?):(?P<line>\d+)(?::(?P<col>\d+))?: "


def preflight(ignition: Ignition) -> list[Problem]:
    """Every problem ``up`` would hit before starting jobs, as far as this machine can tell."""
    problems: list[Problem] = []
    for file in ignition.files:
        problems.extend(_file(file))
    for job in (*ignition.boot_jobs, *ignition.unique_jobs):
        problems.extend(_job(job))
    return problems


def _file(file: FileConfig) -> Iterator[Problem]:
    if file.template:
        yield from _template(file)
    if not file.effective_overwrite and os.path.lexists(file.target):
        return
    found = _directory_problem(os.path.dirname(file.target))
    if found is not None:
        severity, reason = found
        yield Problem(
            severity,
            f'file "{file.target}": its directory cannot be created: {reason}',
            file.source,
            hint="fix the path"
            if severity == "error"
            else "up runs as another user, or in the image, perhaps; check the permissions there",
        )


def _template(file: FileConfig) -> Iterator[Problem]:
    where = file.where("template")
    try:
        with open(file.template, "rb") as handle:
            text = handle.read().decode("utf-8", "surrogateescape")
    except OSError as exc:
        yield Problem(
            "error",
            f'file "{file.target}": from: open {file.template}: {os_reason(exc)}',
            where,
            hint="'from' is relative to the directory mittnite is started in "
            f"(here: {os.getcwd()})",
        )
        return
    from ..gotemplate import TemplateError, parse
    from ..gotemplate.sprig import FUNCS

    try:
        parse(file.target, text, FUNCS)
    except TemplateError as exc:
        import re

        message = str(exc)
        match = re.match(_GO_TEMPLATE_POSITION, message)
        line = int(match.group("line")) if match else 1
        column = int(match.group("col")) if match and match.group("col") else 1
        detail = message[match.end() :] if match else message
        # Go names the template after the target; in our message "line N" reads better.
        detail = detail.replace(f"{file.target}:", "line ")
        yield Problem(
            "error",
            f'template {file.template} (used by file "{file.target}" at {file.source}): {detail}',
            Source(file.template, line, column),
            hint=f"Go reports it as: {message}" if match else "",
        )


def _command(label: str, command: str, where: Source) -> Iterator[Problem]:
    """A warning when ``command`` would not be found (Go's lookup, this machine's $PATH)."""
    if not command:
        return
    from ..runtime.goerrors import SpawnError
    from ..runtime.lookpath import look_path

    try:
        look_path(command)
    except SpawnError as exc:
        yield Problem(
            "warning",
            f"{label}: {exc} on this machine",
            where,
            hint="the image may differ from this machine; make sure it is installed there",
        )


def _job(job: BaseJob) -> Iterator[Problem]:
    what = "boot job" if isinstance(job, BootJobConfig) else "job"
    label = f'{what} "{job.name}"'
    yield from _command(label, job.command, job.where("command"))
    if isinstance(job, JobConfig):
        for watch in job.watches or ():
            commands = (("preCommand", watch.pre_command), ("postCommand", watch.post_command))
            for name, command in commands:
                if command is not None:
                    where = f'{label}: watch "{watch.filename}": {name}'
                    yield from _command(where, command.command, watch.source)
    if job.working_directory and not os.path.isdir(job.working_directory):
        yield Problem(
            "warning",
            f"{label}: workingDirectory {job.working_directory} does not exist on this machine",
            job.where("working_directory"),
            hint="the job fails to start unless it exists when the job starts",
        )
    for field, path in (("stdout", job.stdout), ("stderr", job.stderr)):
        if not path:
            continue
        found = _directory_problem(os.path.dirname(path))
        if found is not None:
            yield Problem(
                "warning",
                f"{label}: {field} {path}: its directory cannot be created here: {found[1]}",
                job.where(field),
                hint="the job fails to start unless the file can be opened",
            )


def _directory_problem(directory: str) -> tuple[Severity, str] | None:
    """``(severity, reason)`` when ``directory`` could not be created (``mkdir -p``).

    A file in the way is an error; missing permissions only a warning, since
    ``up`` usually runs as another user (root, in the image).
    """
    path = os.path.abspath(directory or ".")
    missing = False
    while True:
        if os.path.isdir(path):
            break
        if os.path.lexists(path):
            return "error", f"{path} exists and is not a directory"
        missing = True
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent
    if missing and not os.access(path, os.W_OK | os.X_OK):
        return "warning", f"{path} is not writable for this user (uid {os.getuid()})"
    return None

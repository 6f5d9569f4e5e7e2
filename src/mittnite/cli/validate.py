"""``mittnite validate``: everything ``up`` would stop at, reported in one run.

It loads the configuration exactly as ``up`` does, then checks across
directives (names defined twice, colliding listen addresses, the probe
port) and what ``up`` would hit before any job starts (templates, ``from``
files, target directories; commands in ``$PATH`` as warnings). Every
problem of every file is reported with file, line and column.

Output: problems on stderr as ``file:line:col: severity: message (hint)``
and a summary line; ``--format json`` prints them to stdout as a JSON list
(``file``, ``line``, ``column``, ``severity``, ``message``, ``hint``) for
editors and CI. ``--json`` prints the effective configuration (defaults
applied, passwords masked); with both, stdout holds one object
``{"problems": [...], "config": {...}}``. Exit status 1 when there is an error.
"""

from __future__ import annotations

import sys

from .framework import Invocation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.problems import Problem

FORMATS = ("text", "json")


def run(invocation: Invocation) -> int:
    from ..config.load import decode_directory
    from ..config.preflight import preflight
    from ..config.validate import check

    directory = invocation["config_dir"]
    ignition, problems = decode_directory(directory)
    problems.extend(check(ignition, invocation["probe_listen_port"]))
    problems.extend(preflight(ignition))
    problems = in_reading_order(problems, ignition.config_files)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if invocation["format"] == "json":
        import json

        listed = [p.as_dict() for p in problems]
        document: object = listed
        if invocation["json"]:
            from ..config.dump import effective_config

            config = None if errors else effective_config(ignition)
            document = {"problems": listed, "config": config}
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 1 if errors else 0
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if errors:
        sys.stderr.write(f"{directory}: {_count(errors, 'error')}, {_count(warnings, 'warning')}\n")
    else:
        count = len(ignition.config_files)
        sys.stderr.write(
            f"{directory}: configuration is valid ({_count(count, 'file')}, "
            f"{_count(len(ignition.unique_jobs), 'job')}, "
            f"{_count(len(ignition.boot_jobs), 'boot job')}, "
            f"{_count(len(ignition.files), 'file directive')}, "
            f"{_count(len(ignition.probes), 'probe')}"
            f"{', ' + _count(warnings, 'warning') if warnings else ''})\n"
        )
    if invocation["json"] and not errors:
        import json

        from ..config.dump import effective_config

        json.dump(effective_config(ignition), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    return 1 if errors else 0


def in_reading_order(problems: list[Problem], files: tuple[str, ...]) -> list[Problem]:
    """Problems sorted as a person reads the configuration: file by file, top to bottom.

    Problems without a place come first, those in other files (templates) last.
    """
    order = {path: index for index, path in enumerate(files)}

    def key(problem: Problem) -> tuple[int, str, int, int]:
        source = problem.source
        if source is None:
            return (-1, "", 0, 0)
        return (order.get(source.file, len(order)), source.file, source.line, source.column)

    return sorted(problems, key=key)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

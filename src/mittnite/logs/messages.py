"""The fatal lines for failures that end ``up`` and ``renderfiles`` before anything runs.

Their first part is the original's text, so that existing log greps keep
matching (``failed while trying to generate ignition config from dir 'X':
...``); what follows says what to do about it. The wording of the two
commands differs as the original's does: ``up`` returned the error to cobra
(``dir 'X': <err>``), ``renderfiles`` logged it itself (``dir 'X', err:
'<err>'``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config.problems import ConfigError, Problem

DEFAULT_CONFIG_DIR = "/etc/mittnite.d"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def problem_text(problem: Problem) -> str:
    """One error as the original worded parse errors: ``could not parse configuration file``."""
    source = problem.source
    if source is None or source.line <= 0:
        return problem.message
    return (
        f"could not parse configuration file {source.file}: "
        f"At {source.line}:{source.column}: {problem.message}"
    )


def config_hint(directory: str, problem: Problem) -> str:
    """What to do about a configuration directory that is missing or holds no files."""
    message = problem.message
    root = directory.rstrip("/") or "/"
    if message == f"lstat {root}: no such file or directory":
        if root == DEFAULT_CONFIG_DIR:
            return (
                f"{DEFAULT_CONFIG_DIR} is the default configuration directory; "
                "give yours with -c/--config-dir"
            )
        return "check the directory given with -c/--config-dir"
    if message.startswith("could not find any configuration files in "):
        return (
            "mittnite reads the files whose names end in 'hcl' (e.g. jobs.hcl), in that "
            "directory and below; give another directory with -c/--config-dir"
        )
    return ""


def config_detail(directory: str, error: ConfigError) -> str:
    """The first error in the original's words, plus a hint and how many more there are."""
    errors = error.errors
    if not errors:
        return str(error)
    detail = problem_text(errors[0])
    hint = config_hint(directory, errors[0])
    if hint:
        detail += f" ({hint})"
    if len(errors) > 1:
        detail += f" (and {_plural(len(errors) - 1, 'more error')}, each logged above)"
    return detail


def config_failure_up(directory: str, error: ConfigError) -> str:
    """``up``'s fatal line for a configuration that cannot be loaded."""
    return (
        f"failed while trying to generate ignition config from dir '{directory}': "
        f"{config_detail(directory, error)}"
    )


def config_failure_renderfiles(directory: str, error: ConfigError) -> str:
    """``renderfiles``' fatal line for a configuration that cannot be loaded."""
    return (
        f"failed while trying to generate ignition config from dir '{directory}', "
        f"err: '{config_detail(directory, error)}'"
    )

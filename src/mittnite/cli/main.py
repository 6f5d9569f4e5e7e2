"""The ``mittnite`` command: the original's commands and flags, plus ``validate``.

Command modules are imported only when their command runs, so ``--help`` and
``validate`` stay at argparse-level start-up cost.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .framework import Command, Flag, Invocation, help_command, run_main

DEFAULT_CONFIG_DIR = "/etc/mittnite.d"
DEFAULT_API_ADDRESS = "unix:///var/run/mittnite.sock"
DEFAULT_PROBE_PORT = 9102


LOG_FORMATS = ("auto", "text", "json", "tty")


def check_flags(invocation: Invocation) -> str | None:
    """Why a flag value cannot be used (cobra's wording), or ``None``.

    The framework only converts ints and booleans; the other values are
    checked here, before a command runs, so ``up --log-format bogus`` fails at
    once instead of being ignored.
    """
    values = invocation.values
    log_format = values.get("log_format", "auto")
    if log_format not in LOG_FORMATS:
        return (
            f'invalid argument "{log_format}" for "--log-format" flag: '
            f"must be one of {', '.join(LOG_FORMATS)}"
        )
    if "stop_timeout" in values:
        from ..config.model import Duration

        text = values["stop_timeout"]
        try:
            timeout = Duration.parse(text)
        except ValueError as exc:
            return f'invalid argument "{text}" for "--stop-timeout" flag: {exc}'
        if timeout.nanoseconds < 0:
            return f'invalid argument "{text}" for "--stop-timeout" flag: must not be negative'
    if values.get("format", "text") not in ("text", "json"):
        return f'invalid argument "{values["format"]}" for "--format" flag: must be text or json'
    port = values.get("probe_listen_port", DEFAULT_PROBE_PORT)
    if not 0 <= port <= 65535:
        return (
            f'invalid argument "{port}" for "-p, --probe-listen-port" flag: '
            "must be a port number (0-65535)"
        )
    return None


def _flag_error(invocation: Invocation, message: str) -> int:
    from .framework import usage_text

    sys.stderr.write(f"Error: {message}\n{usage_text(invocation.command)}")
    return 1


def _run_up(invocation: Invocation) -> int:
    problem = check_flags(invocation)
    if problem is not None:
        return _flag_error(invocation, problem)
    from .up import run

    return run(invocation)


def _run_root(invocation: Invocation) -> int:
    if invocation.args:
        sys.stderr.write(
            f'Error: unknown command "{invocation.args[0]}" for "mittnite"\n'
            "Run 'mittnite --help' for usage.\n"
        )
        return 1
    if invocation["version"]:
        from .version import print_short_version

        return print_short_version()
    from ..logs.logger import get_logger

    get_logger().warning(
        "Running 'mittnite' without any arguments - defaulting to 'up'. "
        "This behaviour may change in future releases!"
    )
    return _run_up(invocation)


def _run_renderfiles(invocation: Invocation) -> int:
    problem = check_flags(invocation)
    if problem is not None:
        return _flag_error(invocation, problem)
    from .renderfiles import run

    return run(invocation)


def _run_version(invocation: Invocation) -> int:
    from .version import run

    return run(invocation)


def _run_validate(invocation: Invocation) -> int:
    problem = check_flags(invocation)
    if problem is not None:
        return _flag_error(invocation, problem)
    from .validate import run

    return run(invocation)


UP_FLAGS = [
    Flag(
        "probe-listen-port",
        "int",
        "set the port to listen for probe requests",
        DEFAULT_PROBE_PORT,
        short="p",
    ),
    Flag("pidfile", "string", "write mittnites process id to this file"),
    Flag("api", "bool", "enables the api for remote or cli controlling"),
    Flag(
        "api-listen-address",
        "string",
        "listen address for the api (unix:///path/to.sock or host:port)",
        DEFAULT_API_ADDRESS,
    ),
    Flag(
        "api-allow-remote",
        "bool",
        "allow the api to listen on a non-loopback TCP address (it has no authentication)",
    ),
    Flag(
        "keep-running",
        "bool",
        "keep mittnite running even if no job is running anymore",
        short="k",
    ),
    Flag(
        "stop-timeout",
        "duration",
        "how long jobs may take to stop on shutdown before they are killed",
        "10s",
    ),
    Flag("prefix-output", "bool", "prefix every line of job output with the job's name"),
]


def build_root() -> Command:
    """The command tree of ``mittnite``."""
    root = Command(
        "mittnite",
        short="Mittnite - Smart init system for containers",
        long="Mittnite is a small, but smart init system designed for usage as "
        "`ENTRYPOINT` in container images",
        run=_run_root,
        flags=[Flag("version", "bool", "version for mittnite", short="v")],
        persistent_flags=[
            Flag(
                "config-dir",
                "string",
                "set directory to where your .hcl-configs are located",
                DEFAULT_CONFIG_DIR,
                short="c",
            ),
            Flag(
                "profile",
                "bool",
                "enable pprof http server (accepted for compatibility; no effect)",
            ),
            Flag(
                "log-format",
                "string",
                "format of mittnite's own log lines: auto (tty on a terminal, text "
                "otherwise), text, json or tty",
                "auto",
            ),
        ],
    )
    up = Command(
        "up",
        short="Render config files, start probes and processes",
        long="This sub-command renders the configuration files, starts the probes and launches "
        "all configured processes",
        flags=list(UP_FLAGS),
        run=_run_up,
    )
    renderfiles = Command(
        "renderfiles",
        short="Renders configuration files",
        long="This command renders the configured configuration files, before (optionally) "
        "starting another process.\n\nEverything after the first argument that is not a flag "
        "is the command to run (it replaces mittnite, like exec).",
        usage_args="[COMMAND [ARGS...]]",
        run=_run_renderfiles,
        interspersed=False,
    )
    version = Command(
        "version",
        short="Show extended information about the current version of mittnite",
        long="All software has versions. This is mittnite's",
        run=_run_version,
    )
    validate = Command(
        "validate",
        short="Check the configuration and report every problem",
        long="Loads the configuration directory like 'up' does and reports every error and "
        "warning with file, line and column, including what 'up' would run into before "
        "starting jobs (templates, 'from' files, target directories, commands in $PATH). "
        "Exits non-zero if there is an error.\nWith --json the effective configuration "
        "(defaults applied, secrets masked) is printed.",
        flags=[
            Flag("json", "bool", "print the effective configuration as JSON"),
            Flag("format", "string", "how to print the problems: text or json", "text"),
            Flag(
                "probe-listen-port",
                "int",
                "the probe port 'up' will use (listen blocks must not take it)",
                DEFAULT_PROBE_PORT,
                short="p",
            ),
        ],
        run=_run_validate,
    )
    from .completion import completion_commands, no_arguments

    completion, complete = completion_commands(root, no_arguments, files=True)
    root.add(completion, complete, help_command(root), renderfiles, up, validate, version)
    return root


EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in mittnite, reported in one log line


def prepare_process() -> None:
    """What every entry point of ``mittnite`` does before anything else.

    The console script, ``python -m mittnite`` and the standalone executable
    (``packaging/entry.py``) all come through :func:`main`, which calls this first:

    * SIGTERM and SIGINT are caught from here on (:mod:`mittnite.runtime.signals`): as
      PID 1 an uncaught SIGTERM would be dropped, and SIGINT would print a traceback;
    * the environment is put back to exactly what the container gave
      (:mod:`mittnite.runtime.environ`).
    """
    from ..runtime.earlysignals import install_early_handlers

    install_early_handlers()
    from ..runtime.environ import restore_original_environment

    restore_original_environment()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``mittnite``; without ``argv``, ``sys.argv`` in and ``sys.exit`` out.

    Nothing escapes as a traceback: a shutdown signal that cut a command short exits
    with 128 + the signal number (``up`` handles its own and exits 0), and an unexpected
    exception (a bug) is reported in one log line (exit status 70).
    """
    from ..runtime.earlysignals import StartupInterrupted

    try:
        prepare_process()
        status = run_main(build_root(), argv)
    except StartupInterrupted as stop:
        status = 128 + stop.signum
    except SystemExit:
        raise
    except BaseException as error:
        status = report_internal_error(error)
    if argv is None:
        sys.exit(status)
    return status


def report_internal_error(error: BaseException) -> int:
    """One line instead of a traceback (``MITTNITE_TRACEBACK=1`` adds the traceback)."""
    try:
        from ..logs.logger import get_logger
        from ..supervisor.runner import print_traceback_if_asked

        get_logger().error("internal error: mittnite stopped", error=f"{type(error).__name__}: {error}")
        print_traceback_if_asked(error)
    except Exception:
        sys.stderr.write(f"mittnite: internal error: {type(error).__name__}: {error}\n")
    return EXIT_INTERNAL_ERROR

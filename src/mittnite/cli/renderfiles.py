"""``mittnite renderfiles [COMMAND [ARGS...]]``: render all files, then become COMMAND.

The original runs COMMAND as a child with stdin closed and ignores its exit
status; we ``exec`` it, so it becomes the container's main process with
mittnite's stdin, signals go straight to it, and its exit status is the
container's. Everything after the first non-flag argument belongs to
COMMAND (``mittnite renderfiles sh -c 'x'`` works; the original takes that
``-c`` for its config directory). Rendering errors exit 1 before COMMAND.

Log lines are the original's, including Go's wording of a command that
cannot be started (``exec: "x": executable file not found in $PATH``).
Because COMMAND replaces mittnite, its exit status is not logged (the
original's ``failed to execute additional args '[...]', err: 'exit status
7'``): the container runtime sees it directly.
"""

from __future__ import annotations

import os
import sys

from .framework import Invocation


def run(invocation: Invocation) -> int:
    from ..config.load import load
    from ..config.problems import ConfigError
    from ..logs.logger import get_logger
    from ..logs.messages import config_failure_renderfiles
    from ..render import RenderError, render_all

    logger = get_logger()
    directory = invocation["config_dir"]
    try:
        ignition, warnings = load(directory, log=logger.info)
    except ConfigError as exc:
        for problem in exc.problems:
            logger.log(problem.severity, str(problem))
        logger.fatal(config_failure_renderfiles(directory, exc))
        return 1
    for problem in warnings:
        logger.warning(str(problem))
    logger.info("generating configuration files")
    try:
        render_all(ignition.files, log=logger.info)
    except RenderError as exc:
        logger.fatal(f"failed while rendering files from ignition config, err: '{exc}'")
        return 1
    command = invocation.args
    if not command:
        return 0
    shown = f"[{' '.join(command)}]"
    logger.info(f"additional command/args provided - executing: '{shown}'")
    from ..runtime.goerrors import SpawnError, start_error
    from ..runtime.lookpath import resolve_command

    try:
        path = resolve_command(command[0])
    except SpawnError as exc:
        logger.fatal(f"failed to execute additional args '{shown}', err: '{exc}'")
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    from ..runtime.cleanslate import interpreter_signals_restored

    try:
        with interpreter_signals_restored():
            os.execv(path, command)
    except OSError as exc:
        reason = start_error(path, exc.errno) if exc.errno else exc
        logger.fatal(f"failed to execute additional args '{shown}', err: '{reason}'")
        return 127 if isinstance(exc, FileNotFoundError) else 126
    return 0  # not reached

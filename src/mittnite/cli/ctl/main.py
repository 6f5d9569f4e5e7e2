"""The ``mittnitectl`` command tree: the original's commands and flags.

Each command's module is imported only when it runs, so that ``job status``
loads the HTTP client and nothing else (start-up time is most of a status
call). Failures are :class:`~.errors.CtlError`s, printed here to stderr with
exit status 1 (the original printed them to stdout in a box).
"""

from __future__ import annotations

import sys

from ..framework import Command, Flag, Invocation, help_command, run_main, usage_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from .client import ApiClient

    Action = Callable[[Invocation, ApiClient, TextIO], int]

DEFAULT_API_ADDRESS = "unix:///var/run/mittnite.sock"  # also in address.py (not imported here)
EXIT_INTERRUPTED = 130


def _report(message: str, stream: TextIO) -> None:
    from .style import FAILED, Style

    style = Style.for_stream(stream)
    stream.write(f"{style.colour('Error:', FAILED)} {message}\n")


def _guarded(invocation: Invocation, action: Callable[[], int]) -> int:
    """Run ``action``; turn failures into a message on stderr and exit status 1."""
    from .errors import CtlError, UsageProblem

    try:
        return action()
    except UsageProblem as exc:
        sys.stderr.write(f"Error: {exc}\n{usage_text(invocation.command)}")
        return 1
    except CtlError as exc:
        _flush_quietly()
        _report(str(exc), sys.stderr)
        return 1
    except KeyboardInterrupt:
        _flush_quietly()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours. Point stdout at
        # /dev/null so that the interpreter's final flush does not complain.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _flush_quietly() -> None:
    try:  # noqa: SIM105  (contextlib costs milliseconds of start-up)
        sys.stdout.flush()
    except OSError:
        pass


def _with_client(action: Action) -> Callable[[Invocation], int]:
    """Wrap a command that talks to the API: parse ``--api-address``, guard errors."""

    def run(invocation: Invocation) -> int:
        def call() -> int:
            from .address import parse_endpoint
            from .client import ApiClient

            client = ApiClient(parse_endpoint(invocation["api-address"]))
            return action(invocation, client, sys.stdout)

        return _guarded(invocation, call)

    return run


def _list(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    from .job_list import run

    return run(invocation, client, out)


def _status(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    from .job_status import run

    return run(invocation, client, out)


def _logs(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    from .job_logs import run

    return run(invocation, client, out)


def _metrics(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
    from .metrics import run

    return run(invocation, client, out)


def _action(verb: str) -> Action:
    def act(invocation: Invocation, client: ApiClient, out: TextIO) -> int:
        from .job_action import run

        return run(verb, invocation, client, out)

    return act


def _version(invocation: Invocation) -> int:
    from ..version import run

    return run(invocation)


def _json_flag() -> Flag:
    return Flag("json", "bool", "print the output as JSON", short="j")


def _wait_flags() -> list[Flag]:
    return [
        Flag("wait", "bool", "wait until the job reached the desired state", True, short="w"),
        Flag(
            "wait-for",
            "duration",
            "how long to wait for the job to reach the desired state (Go duration, e.g. 30s)",
            "5s",
        ),
    ]


def build_root() -> Command:
    """The command tree of ``mittnitectl``."""
    root = Command(
        "mittnitectl",
        short="Control mittnite by command line",
        long="This command can be used to control mittnite by command line.",
        persistent_flags=[
            Flag(
                "api-address",
                "string",
                "address of mittnite's API: unix:///path/to.sock (or just /path/to.sock) or "
                "host:port, as given to mittnite up --api-listen-address",
                DEFAULT_API_ADDRESS,
            )
        ],
    )
    job = Command(
        "job",
        short="Control a job via command line",
        long="This command can be used to control a managed job.",
    )
    job_arg = "[JOB]"
    job_help = "\n\nJOB may be left out when exactly one job is controllable."
    job.add(
        Command(
            "list",
            short="List jobs",
            long="Lists the controllable jobs and their status.",
            flags=[_json_flag()],
            run=_with_client(_list),
        ),
        Command(
            "logs",
            short="Get logs from job",
            long="Prints the output of a job." + job_help,
            usage_args=job_arg,
            flags=[
                Flag("follow", "bool", "keep printing new output as it arrives", short="f"),
                Flag("tail", "int", "print only the last N lines (-1: all)", -1),
            ],
            run=_with_client(_logs),
        ),
        Command(
            "restart",
            short="Restart a job",
            long="Restarts a job." + job_help,
            usage_args=job_arg,
            flags=_wait_flags(),
            run=_with_client(_action("restart")),
        ),
        Command(
            "start",
            short="Start a job",
            long="Starts a job." + job_help,
            usage_args=job_arg,
            flags=_wait_flags(),
            run=_with_client(_action("start")),
        ),
        Command(
            "status",
            short="Show job status",
            long="Shows the status of a job." + job_help,
            usage_args=job_arg,
            flags=[
                _json_flag(),
                Flag("exit-with-status", "bool", "exit with status 1 if the job is not running"),
            ],
            run=_with_client(_status),
        ),
        Command(
            "stop",
            short="Stop a job",
            long="Stops a job." + job_help,
            usage_args=job_arg,
            flags=_wait_flags(),
            run=_with_client(_action("stop")),
        ),
    )
    metrics = Command(
        "metrics",
        short="Print mittnite's metrics",
        long="Prints the metrics of the running mittnite (jobs, probes, listeners, process) "
        "in the OpenMetrics text format, as its probe server serves them on /metrics.",
        run=_with_client(_metrics),
    )
    version = Command(
        "version",
        short="Show extended information about the current version of mittnite",
        long="All software has versions. This is mittnite's",
        run=_version,
    )
    from ..completion import completion_commands
    from .completion import api_job_names, job_arguments

    completion, complete = completion_commands(root, job_arguments(api_job_names))
    root.add(completion, help_command(root), job, metrics, version, complete)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mittnitectl`` console script."""
    return run_main(build_root(), argv)

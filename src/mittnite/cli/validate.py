"""``mittnite validate``: load the configuration and report every problem."""

from __future__ import annotations

import sys

from .framework import Invocation


def run(invocation: Invocation) -> int:
    """Print problems to stderr (and the effective config with ``--json``).

    Exit status: 0 when the configuration can be used (warnings allowed),
    1 when it has errors.
    """
    from ..config.load import load
    from ..config.problems import ConfigError

    directory = invocation["config_dir"]
    try:
        ignition, problems = load(directory)
    except ConfigError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        errors = len(exc.errors)
        warnings = len(exc.warnings)
        sys.stderr.write(
            f"{directory}: {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}\n"
        )
        return 1
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if invocation["json"]:
        import json

        from ..config.dump import effective_config

        json.dump(effective_config(ignition), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        count = len(ignition.config_files)
        sys.stderr.write(
            f"{directory}: configuration is valid ({count} file{'s' if count != 1 else ''}, "
            f"{len(ignition.unique_jobs)} jobs, {len(ignition.boot_jobs)} boot jobs, "
            f"{len(ignition.files)} files, {len(ignition.probes)} probes"
            f"{f', {len(problems)} warnings' if problems else ''})\n"
        )
    return 0

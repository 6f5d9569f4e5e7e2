"""The "what you can do next" boxes after ``job list`` and ``job status`` (pure).

When ``--api-address`` is not the default, the suggested commands carry it,
so that they can be copied and run as they are.
"""

from __future__ import annotations

from .address import DEFAULT_API_ADDRESS

PROJECT_URL = "https://github.com/mittwald/mittnite"


def command_prefix(api_address: str) -> str:
    """``mittnitectl`` plus ``--api-address`` when it is not the default."""
    if api_address == DEFAULT_API_ADDRESS:
        return "mittnitectl"
    return f"mittnitectl --api-address {api_address}"


def list_hints(api_address: str) -> list[str]:
    ctl = command_prefix(api_address)
    return [
        "ℹ️  Control these jobs with:",
        "",
        f"   {ctl} job start <job>",
        f"   {ctl} job stop <job>",
        f"   {ctl} job restart <job>",
        "",
        f"Visit {PROJECT_URL} to learn more about using the mittnite init system.",
    ]


def status_hints(api_address: str, job: str) -> list[str]:
    ctl = command_prefix(api_address)
    return [
        "ℹ️  Control this job with:",
        "",
        f"   {ctl} job start {job}",
        f"   {ctl} job stop {job}",
        f"   {ctl} job restart {job}",
        "",
        "Show its output with (add -f to follow):",
        "",
        f"   {ctl} job logs {job}",
    ]

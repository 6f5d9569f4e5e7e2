"""Flag values that need more than the framework's parsing (pure).

``--wait-for`` takes Go duration syntax (``500ms``, ``1m30s``) like the
original's pflag ``Duration``; ``--tail`` below -1 means the whole log, as the
original clamps it.
"""

from __future__ import annotations

from .errors import UsageProblem

DEFAULT_WAIT_FOR = "5s"


def wait_seconds(text: str) -> float:
    """``--wait-for`` in seconds; a bad value is pflag's error text."""
    from ...golang.gotime_duration import parse_duration
    from ...golang.gotime_errors import DurationError

    try:
        nanoseconds = int(parse_duration(text))
    except DurationError as exc:
        raise UsageProblem(f'invalid argument "{text}" for "--wait-for" flag: {exc}') from None
    return max(0, nanoseconds) / 1e9


def tail_lines(value: int) -> int:
    """``--tail``: -1 (whole log) for anything below -1."""
    return max(-1, value)

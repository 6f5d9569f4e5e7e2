"""How hard the fuzz tests push: a short bounded run by default, a soak on request.

Every fuzz test in the suite (config loader, template engine, control API) takes its
number of examples from :func:`examples`. CI runs the default, which keeps the whole
suite within its time budget; ``MITTNITE_FUZZ_SCALE=50 pytest tests/fuzz tests/config/
test_hcl_fuzz.py tests/gotemplate/test_engine_fuzz.py`` runs fifty times as many cases
(and lifts hypothesis's per-example deadline) for a soak before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def scale() -> int:
    """The multiplier from ``MITTNITE_FUZZ_SCALE`` (at least 1)."""
    try:
        return max(1, int(os.environ.get("MITTNITE_FUZZ_SCALE", "1")))
    except ValueError:
        return 1


def examples(base: int) -> int:
    """``base`` examples, times the soak multiplier."""
    return base * scale()


def fuzz_settings(base: int, deadline_ms: int = 2000) -> settings:
    """Hypothesis settings for a fuzz test: ``base`` examples scaled, no deadline in a soak."""
    return settings(
        max_examples=examples(base),
        deadline=None if scale() > 1 else deadline_ms,
        suppress_health_check=[HealthCheck.too_slow],
    )

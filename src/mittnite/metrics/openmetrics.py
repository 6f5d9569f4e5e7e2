"""The OpenMetrics 1.0 text format: what ``GET /metrics`` answers.

Per family: ``# TYPE``, ``# HELP`` (escaped), ``# UNIT`` when the family has one, then
its samples; the exposition ends with ``# EOF``. Label values escape backslash,
double quote and newline; numbers are integers when whole, ``+Inf``/``-Inf``/``NaN``
otherwise as OpenMetrics spells them. A family without samples is still announced, so
a dashboard sees the metric exists before the first event.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .registry import Family

__all__ = ["CONTENT_TYPE", "escape_help", "escape_label_value", "format_value", "render"]

CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"


def escape_label_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def format_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def render(families: Iterable[Family]) -> bytes:
    """The whole exposition as UTF-8 bytes."""
    lines: list[str] = []
    seen: set[str] = set()
    for family in families:
        if family.name in seen:
            raise ValueError(f"metric family {family.name!r} appears twice")
        seen.add(family.name)
        lines.append(f"# TYPE {family.name} {family.type}")
        if family.help:
            lines.append(f"# HELP {family.name} {escape_help(family.help)}")
        if family.unit:
            lines.append(f"# UNIT {family.name} {family.unit}")
        for sample in family.samples:
            if sample.labels:
                labels = ",".join(
                    f'{name}="{escape_label_value(value)}"' for name, value in sample.labels
                )
                lines.append(f"{sample.name}{{{labels}}} {format_value(sample.value)}")
            else:
                lines.append(f"{sample.name} {format_value(sample.value)}")
    lines.append("# EOF\n")
    return "\n".join(lines).encode("utf-8")

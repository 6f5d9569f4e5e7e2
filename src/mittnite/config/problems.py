"""Problems found in a configuration, and the error that carries them.

Loading collects every problem it can find (all files, all directives)
instead of stopping at the first, so that `mittnite validate` in an image
build shows the whole list at once.
"""

from __future__ import annotations

from .model import Source
from .record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    Severity = Literal["error", "warning"]


@record
class Problem:
    """One error or warning, optionally tied to a place in a file."""

    severity: Severity
    message: str
    source: Source | None = None
    stricter: str | None = None  # the key in hcl.errors.STRICTER_THAN_HCL, if hcl v1 accepts this
    hint: str = ""  # how to fix it, where we know

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source is not None else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.severity}: {self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        """The problem for ``validate --format json`` (editors, CI annotations)."""
        source = self.source
        return {
            "file": source.file if source is not None else None,
            "line": source.line if source is not None else None,
            "column": source.column if source is not None else None,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint or None,
        }


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "invalid configuration")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

"""Go's ``text/template`` in Python, self-contained (sprig functions live in :mod:`.sprig`).

Typical use::

    from mittnite.gotmpl import Template, Struct
    template = Template.parse("/etc/app.conf", text, funcs=sprig_funcs())
    output = template.render(Struct("*files.templateData", {"Env": env, "Params": params}, "ptr"))

Errors are :class:`TemplateParseError` / :class:`TemplateExecError`, whose
text is what Go prints; an execution error carries the partial output.
"""

from __future__ import annotations

from .errors import TemplateError, TemplateExecError, TemplateParseError
from .values import Map, Slice, Struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .funcs import GoFunc
    from .parser import Tree

__all__ = [
    "Map",
    "Slice",
    "Struct",
    "Template",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
]


class Template:
    """A parsed template (and the templates it defines)."""

    def __init__(
        self, name: str, text: str, trees: dict[str, Tree], funcs: dict[str, GoFunc]
    ) -> None:
        self.name = name
        self.text = text
        self.trees = trees
        self.funcs = funcs

    @classmethod
    def parse(cls, name: str, text: str, funcs: dict[str, GoFunc] | None = None) -> Template:
        """Parse ``text`` (Go: ``template.New(name).Funcs(funcs).Parse(text)``)."""
        from .builtins import BUILTINS
        from .parser import parse

        all_funcs = dict(BUILTINS)
        if funcs:
            all_funcs.update(funcs)
        return cls(name, text, parse(name, text, all_funcs), all_funcs)

    def render(self, data: Any) -> str:
        """Execute with ``data`` as dot; raises :class:`TemplateExecError`."""
        from .exec import execute

        return execute(self.trees, self.name, self.name, self.text, self.funcs, data)
